import {
  caseFilter,
  checkOutputs,
  consoleReporter,
  FORMATS,
  fileReporter,
  findSpecFiles,
  formatDiagnostic,
  indexBaseline,
  jsonFormat,
  onlineCpus,
  planDryRun,
  type Reporter,
  readResults,
  readSpecs,
  renderDryRun,
  runSuite,
  suiteVerdict,
  UsageError,
  withTiming,
} from "../index.js";
import { runInUserNamespaceIfNeeded, targetKinds } from "../internal.js";
import { commandLine } from "./args.js";
import { EXIT } from "./exit.js";
import { interruptSignal } from "./interrupt.js";
import { parseDurationFlag, parseRepeat, parseSeed, parseTolerance } from "./values.js";

export async function runCommand(argv: string[]): Promise<number> {
  const args = commandLine("run", argv);
  if (!args) return EXIT.ok;
  const time = (name: string, bounds?: { min?: number; max?: number }) => {
    const v = args.value(name);
    return v === undefined ? undefined : parseDurationFlag(name, v, bounds);
  };
  const durationNs = time("duration");
  const warmupNs = time("warmup", { min: 0 });
  const limitNs = time("time-limit", { max: 24 * 3600e9 });
  const repeatFlag = args.value("repeat");
  const repeat = repeatFlag === undefined ? undefined : parseRepeat(repeatFlag);
  const seedFlag = args.value("seed");
  const seed = seedFlag === undefined ? undefined : parseSeed(seedFlag);
  const toleranceFlag = args.value("tolerance");
  const baselineFile = args.value("baseline");
  const tolerance = toleranceFlag === undefined ? 0.05 : parseTolerance(toleranceFlag);
  if (toleranceFlag !== undefined && baselineFile === undefined)
    throw new UsageError("--tolerance needs --baseline FILE");
  const select = caseFilter(args.values("case"), args.value("grep"));
  const filtering = args.values("case").length > 0 || args.value("grep") !== undefined;

  const files = await findSpecFiles(args.positionals);
  const specs = (await readSpecs(files, { cpus: onlineCpus(), strict: args.flag("strict") })).map(
    (s) =>
      withTiming(s, {
        ...(durationNs === undefined ? {} : { durationNs }),
        ...(warmupNs === undefined ? {} : { warmupNs }),
        ...(repeat === undefined ? {} : { repeat }),
      }),
  );
  // a bad --baseline is refused before anything runs, --dry-run included
  const baseline = baselineFile
    ? indexBaseline(baselineFile, await readResults(baselineFile))
    : undefined;
  const allowRemote = args.flag("allow-remote");
  // only the selected cases count: one whose remote cases were left out may still reach a host
  const kinds = targetKinds(specs, { filter: select });
  // namespace targets without root: the same run inside a user namespace of its own, which
  // takes our first SIGINT/SIGTERM as its own graceful stop
  const inside = await runInUserNamespaceIfNeeded(kinds, () => interruptSignal({ delegate: true }));
  if (inside !== undefined) return inside;
  for (const s of specs)
    for (const w of s.warnings)
      process.stderr.write(`${formatDiagnostic(w, s.sources.get(w.file))}\n\n`);
  if (filtering && kinds.length === 0) {
    throw new UsageError(
      "no case matches --case/--grep",
      `cases: ${specs
        .flatMap((s) => s.cases.map((c) => c.name))
        .slice(0, 12)
        .join(", ")}`,
    );
  }
  const timeLimit = limitNs === undefined ? {} : { timeLimitMs: limitNs / 1e6 };
  if (args.flag("dry-run")) {
    process.stdout.write(
      renderDryRun(planDryRun(specs, { filter: select, allowRemote, ...timeLimit })),
    );
    return EXIT.ok;
  }

  const saveBaseline = args.value("save-baseline");
  const outputs = [...FORMATS.map((f) => args.value(f.name)), saveBaseline].filter(
    (o): o is string => o !== undefined,
  );
  checkOutputs(outputs);
  // a format written to stdout ("-") keeps it clean: the table goes to stderr
  const toStdout = outputs.includes("-");
  const reporters: Reporter[] = [
    consoleReporter({
      ...(toStdout ? { out: process.stderr } : {}),
      ...(baseline ? { baseline, tolerance } : {}),
    }),
    ...FORMATS.flatMap((f) => {
      const path = args.value(f.name);
      return path === undefined ? [] : [fileReporter(f, path)];
    }),
  ];
  if (saveBaseline) reporters.push(fileReporter(jsonFormat, saveBaseline));

  const signal = interruptSignal();
  const suite = await runSuite(specs, {
    reporters,
    filter: select,
    signal,
    ...timeLimit,
    ...(args.flag("fail-fast") ? { failFast: true } : {}),
    ...(allowRemote ? { allowRemote } : {}),
    ...(seed === undefined ? {} : { seed }),
    ...(baseline ? { baseline, tolerance } : {}),
  });
  if (signal.aborted)
    return String(signal.reason).includes("SIGTERM") ? 128 + 15 : EXIT.interrupted;
  const verdict = suiteVerdict(suite, args.flag("strict"));
  return verdict === "error" ? EXIT.runtime : verdict === "failed" ? EXIT.failed : EXIT.ok;
}
