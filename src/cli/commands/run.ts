import {
  caseFilter,
  consoleReporter,
  FORMATS,
  fileReporter,
  findSpecFiles,
  indexBaseline,
  jsonFormat,
  planDryRun,
  type Reporter,
  readResults,
  readSpecs,
  renderDryRun,
  runOnKernels,
  runSuite,
  suiteVerdict,
  UsageError,
  withTiming,
} from "../../index.js";
import {
  checkOutputs,
  kernelFromEnv,
  kernelsOfSpecs,
  onlineCpus,
  runInUserNamespaceIfNeeded,
  targetKinds,
  withKernel,
} from "../../internal.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { interruptSignal } from "../interrupt.js";
import { noCaseMatches, printWarnings } from "../spec-notes.js";
import { parseDurationFlag, parseRepeat, parseSeed, parseTolerance } from "../values.js";
import { kernelRunArgs, vmTimeLimitMs } from "../vm-options.js";

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
  // a --kernel run started this one (in its VM, or on the host): the cases carry the kernel
  const kernel = kernelFromEnv();
  const read = await readSpecs(files, { cpus: onlineCpus(), strict: args.flag("strict") });
  const specs = read.map((s) => {
    const timed = withTiming(s, {
      ...(durationNs === undefined ? {} : { durationNs }),
      ...(warmupNs === undefined ? {} : { warmupNs }),
      ...(repeat === undefined ? {} : { repeat }),
    });
    return kernel ? withKernel(timed, kernel) : timed;
  });
  // a bad --baseline is refused before anything runs, --dry-run included
  const baseline = baselineFile
    ? indexBaseline(baselineFile, await readResults(baselineFile))
    : undefined;
  // --kernel, else the specs' kernels (never again inside a run a --kernel run started)
  const kernelFlags = args.values("kernel");
  const kernels = kernelFlags.length > 0 ? kernelFlags : kernel ? undefined : kernelsOfSpecs(specs);
  if (kernels && baseline)
    throw new UsageError(
      "--baseline does not go with --kernel (or a spec's kernels)",
      "save each run with --json and compare them: zcspec compare before.json after.json",
    );
  const allowRemote = args.flag("allow-remote");
  // only the selected cases count: one whose remote cases were left out may still reach a host
  const kinds = targetKinds(specs, { filter: select });
  // namespace targets without root: the same run inside a user namespace of its own, which
  // takes our first SIGINT/SIGTERM as its own graceful stop
  const inside = await runInUserNamespaceIfNeeded(kinds, () => interruptSignal({ delegate: true }));
  if (inside !== undefined) return inside;
  printWarnings(specs);
  if (filtering && kinds.length === 0) throw noCaseMatches(specs);
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
  const modules = args.value("modules");
  const suite = kernels
    ? await runOnKernels({
        kernels,
        specs: args.positionals,
        sources: new Map(specs.flatMap((s) => [...s.sources])),
        runArgs: kernelRunArgs(args),
        reporters,
        signal,
        timeoutMs: vmTimeLimitMs(args),
        onBoot: (line) => process.stderr.write(`${line}\n`),
        ...(modules ? { modules } : {}),
      }).catch((e: unknown) => {
        // the VM a signal stopped: an interrupted run, not a failed one
        if (signal.aborted) return undefined;
        throw e;
      })
    : await runSuite(specs, {
        reporters,
        filter: select,
        signal,
        ...timeLimit,
        ...(args.flag("fail-fast") ? { failFast: true } : {}),
        ...(allowRemote ? { allowRemote } : {}),
        ...(seed === undefined ? {} : { seed }),
        ...(baseline ? { baseline, tolerance } : {}),
      });
  if (signal.aborted || !suite)
    return String(signal.reason).includes("SIGTERM") ? 128 + 15 : EXIT.interrupted;
  const verdict = suiteVerdict(suite, args.flag("strict"));
  return verdict === "error" ? EXIT.runtime : verdict === "failed" ? EXIT.failed : EXIT.ok;
}
