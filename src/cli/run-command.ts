import { parseArgs } from "node:util";
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
  kernelFromEnv,
  kernelsOfSpecs,
  onlineCpus,
  parseDuration,
  type Reporter,
  readCheckedSpecs,
  readResults,
  reexecInUserNamespace,
  renderDryRun,
  runOnKernels,
  runSuite,
  suiteVerdict,
  UsageError,
  wantsUserNamespace,
  withKernel,
  withTiming,
} from "../index.js";
import { EXIT } from "./exit.js";
import { interruptSignal } from "./interrupt.js";
import { kernelRunArgs, vmTimeLimitMs } from "./vm-options.js";

export const RUN_HELP = `zcspec run <spec.yaml|dir>... [options]

Run every case of the specs (directories: every *.yaml / *.yml in them)
and print a results table.

Options:
  --case <name>         run only this case (repeatable; * matches any text)
  --grep <regex>        run only cases whose name (or spec/case) matches
  --dry-run             validate and list the cases that would run; run nothing
  --fail-fast           stop after the first case that fails or errs
  --strict              a skipped case or check fails the run (exit 1)
  --time-limit <time>   wall-clock limit per spec (e.g. 10m); past it the run stops, exit 3
  --duration <time>     measured time per case, overriding the spec (e.g. 300ms, 2s)
  --warmup <time>       warmup per case, overriding the spec (e.g. 0, 100ms)
  --repeat <n|MIN..MAX@PCT>
                        repetitions per case, overriding the spec: a count (5),
                        or adaptive (3..30@3%: at least 3, at most 30 runs,
                        more rounds until every case's 95 % intervals of
                        requests/s and CPU per request are within 3 %)
  --seed <n>            seed of the interleaved rounds' order (default: random;
                        the results record it, so --seed repeats a run's order)
  --baseline <file>     compare with a saved run (--save-baseline or --json output)
  --tolerance <pct>     largest accepted drop of requests/s against it (default 5%)
  --save-baseline <f>   write this run's results as a baseline
  --allow-remote        let target: remote cases send to the host they name
                        (refused without it: that traffic leaves this machine)
  --kernel <image|host> run on this kernel, booted in a VM (repeatable; "host":
                        this kernel); the kernel becomes a case parameter
  --modules <dir>       the kernels' modules (default: lib/modules beside the image)
  --vm-time-limit <t>   per VM, boot included (default 5m)
${FORMATS.map((f) => `  --${`${f.name} <file>`.padEnd(19)} ${f.description} ("-": stdout)`).join("\n")}
  -h, --help            show this help

Exit codes: 0 every case passed, 1 a check failed (or, with --strict, a skip),
2 invalid spec or usage, 3 runtime or environment error (or a time limit),
130 interrupted, 143 terminated (partial results are written in both cases).`;

function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let ns: number;
  try {
    ns = parseDuration(/^[0-9.]+$/.test(value) ? Number(value) : value);
  } catch {
    throw new UsageError(
      `--${name} ${value} is not a duration`,
      "write it with a unit, e.g. 300ms or 2s",
    );
  }
  const min = name === "warmup" ? 0 : 1;
  const maxHours = name === "time-limit" ? 24 : 1;
  if (ns < min || ns > maxHours * 3600e9)
    throw new UsageError(`--${name} must be ${min ? "more than 0" : "0"}..${maxHours}h`);
  return ns;
}

/** --repeat: "5" -> 5 runs; "3..30@3%" (or @0.03) -> adaptive, 3 to 30 runs until +-3 %. */
export function parseRepeat(value: string): {
  repeat: number;
  adaptive?: { max: number; until: number };
} {
  const bad = () =>
    new UsageError(
      `--repeat ${value} is neither a count nor MIN..MAX@PCT`,
      "for example --repeat 5, or --repeat 3..30@3% (at least 3 runs, at most 30, until the intervals are within 3 %)",
    );
  const runs = (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw bad();
    return n;
  };
  const v = value.trim();
  if (/^\d+$/.test(v)) return { repeat: runs(v) };
  const m = /^(\d+)\.\.(\d+)@([0-9.]+)(%?)$/.exec(v);
  if (!m) throw bad();
  const min = runs(m[1] as string);
  const max = runs(m[2] as string);
  const until = Number(m[3]) / (m[4] ? 100 : 1);
  if (min > max) throw new UsageError(`--repeat ${value}: MIN (${min}) is more than MAX (${max})`);
  if (!(until > 0 && until <= 1))
    throw new UsageError(
      `--repeat ${value}: the interval width must be more than 0 and at most 100%`,
    );
  return { repeat: min, adaptive: { max, until } };
}

/** --seed: an integer 0..2^32-1. */
function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n >= 2 ** 32)
    throw new UsageError(
      `--seed ${value} is not an integer from 0 to 4294967295`,
      "for example --seed 42",
    );
  return n;
}

/** "5%" or "5" -> 0.05. */
export function parseTolerance(value: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*%?$/.exec(value.trim());
  const pct = m ? Number(m[1]) : Number.NaN;
  if (!(pct >= 0 && pct < 100))
    throw new UsageError(`--tolerance ${value} is not a percentage`, "for example --tolerance 5%");
  return pct / 100;
}

export async function runCommand(argv: string[]): Promise<number> {
  const formatOptions = Object.fromEntries(
    FORMATS.map((f) => [f.name, { type: "string" as const }]),
  );
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      case: { type: "string", multiple: true },
      grep: { type: "string" },
      "dry-run": { type: "boolean" },
      "fail-fast": { type: "boolean" },
      strict: { type: "boolean" },
      "time-limit": { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      repeat: { type: "string" },
      seed: { type: "string" },
      baseline: { type: "string" },
      tolerance: { type: "string" },
      "save-baseline": { type: "string" },
      "allow-remote": { type: "boolean" },
      kernel: { type: "string", multiple: true },
      modules: { type: "string" },
      "vm-time-limit": { type: "string" },
      ...formatOptions,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    throw new UsageError(
      "zcspec run needs a spec file or a directory of them",
      "zcspec run specs/examples/udp-sink.yaml",
    );
  }
  const durationNs = durationFlag("duration", values.duration);
  const warmupNs = durationFlag("warmup", values.warmup);
  const limitNs = durationFlag("time-limit", values["time-limit"]);
  const repeat = values.repeat === undefined ? undefined : parseRepeat(values.repeat);
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const tolerance = values.tolerance === undefined ? 0.05 : parseTolerance(values.tolerance);
  if (values.tolerance !== undefined && values.baseline === undefined)
    throw new UsageError("--tolerance needs --baseline FILE");
  const select = caseFilter(values.case ?? [], values.grep);
  const filtering = (values.case?.length ?? 0) > 0 || values.grep !== undefined;

  const files = await findSpecFiles(positionals);
  // a --kernel run started this one (in its VM, or on the host): the cases carry the kernel
  const kernel = kernelFromEnv();
  const specs = (await readCheckedSpecs(files, { cpus: onlineCpus() })).map((s) => {
    const timed = withTiming(s, {
      ...(durationNs === undefined ? {} : { durationNs }),
      ...(warmupNs === undefined ? {} : { warmupNs }),
      ...(repeat === undefined ? {} : { repeat }),
    });
    return { ...(kernel ? withKernel(timed, kernel) : timed), expectations: s.expectations };
  });
  // namespace targets without root: the same run inside a user namespace of its own (only
  // the selected cases count: one whose remote cases were left out may still reach a host)
  // a search's cases count as its two sides at the lower bound (what --case/--grep select it by)
  const searchSides = (s: (typeof specs)[number]) => {
    if (!s.search) return [];
    const { compare, against } = s.search.at(s.search.settings.from);
    return [compare, against];
  };
  const chosen = (s: (typeof specs)[number]) =>
    [...s.cases, ...searchSides(s)].filter((c) => select(c, s.name));
  const kinds = specs.flatMap((s) => chosen(s).map((c) => c.target));
  if (wantsUserNamespace(kinds))
    // the run inside takes our first SIGINT/SIGTERM as its own graceful stop
    return reexecInUserNamespace(interruptSignal({ delegate: true }));
  for (const s of specs)
    for (const w of s.warnings)
      process.stderr.write(`${formatDiagnostic(w, s.sources.get(w.file))}\n\n`);
  if (filtering && !specs.some((s) => chosen(s).length > 0)) {
    throw new UsageError(
      "no case matches --case/--grep",
      `cases: ${specs
        .flatMap((s) => s.cases.map((c) => c.name))
        .slice(0, 12)
        .join(", ")}`,
    );
  }
  if (values["dry-run"]) {
    process.stdout.write(renderDryRun(specs, select));
    return EXIT.ok;
  }

  const baseline = values.baseline
    ? indexBaseline(values.baseline, await readResults(values.baseline))
    : undefined;
  const outputs = [
    ...FORMATS.map((f) => (values as Record<string, unknown>)[f.name]),
    values["save-baseline"],
  ].filter((o): o is string => typeof o === "string");
  checkOutputs(outputs);
  // a format written to stdout ("-") keeps it clean: the table goes to stderr
  const toStdout = outputs.includes("-");
  const reporters: Reporter[] = [
    consoleReporter({
      ...(toStdout ? { out: process.stderr } : {}),
      ...(baseline ? { baseline, tolerance } : {}),
    }),
    ...FORMATS.flatMap((f) => {
      const path = (values as Record<string, unknown>)[f.name];
      return typeof path === "string" ? [fileReporter(f, path)] : [];
    }),
  ];
  if (values["save-baseline"]) reporters.push(fileReporter(jsonFormat, values["save-baseline"]));

  const signal = interruptSignal();
  // --kernel, else the specs' kernels (never again inside a run a --kernel run started)
  const kernels = values.kernel?.length
    ? values.kernel
    : kernel
      ? undefined
      : kernelsOfSpecs(specs);
  if (kernels && baseline)
    throw new UsageError(
      "--baseline does not go with --kernel (or a spec's kernels)",
      "save each run with --json and compare them: zcspec compare before.json after.json",
    );
  const suite = kernels
    ? await runOnKernels({
        kernels,
        specs: positionals,
        sources: new Map(specs.flatMap((s) => [...s.sources])),
        runArgs: kernelRunArgs(values),
        reporters,
        signal,
        timeoutMs: vmTimeLimitMs(values["vm-time-limit"]),
        onBoot: (line) => process.stderr.write(`${line}\n`),
        ...(values.modules ? { modules: values.modules } : {}),
      }).catch((e: unknown) => {
        // the VM a signal stopped: an interrupted run, not a failed one
        if (signal.aborted) return undefined;
        throw e;
      })
    : await runSuite(specs, {
        reporters,
        filter: select,
        signal,
        ...(limitNs === undefined ? {} : { timeLimitMs: limitNs / 1e6 }),
        ...(values["fail-fast"] ? { failFast: true } : {}),
        ...(values["allow-remote"] ? { allowRemote: true } : {}),
        ...(seed === undefined ? {} : { seed }),
        ...(baseline ? { baseline, tolerance } : {}),
      });
  if (signal.aborted || !suite)
    return String(signal.reason).includes("SIGTERM") ? 128 + 15 : EXIT.interrupted;
  const verdict = suiteVerdict(suite, values.strict ?? false);
  return verdict === "error" ? EXIT.runtime : verdict === "failed" ? EXIT.failed : EXIT.ok;
}
