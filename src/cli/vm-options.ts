import { parseDuration, UsageError } from "../index.js";

/** A VM's time limit, boot included: TCG boots in seconds, but node runs ~20× slower there. */
const DEFAULT_VM_LIMIT_MS = 300_000;

/** --vm-time-limit: a duration ("90s", "5m"), default 5 minutes. */
export function vmTimeLimitMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_VM_LIMIT_MS;
  try {
    const ms = parseDuration(value) / 1e6;
    if (ms > 0) return ms;
  } catch {
    // said below
  }
  throw new UsageError(
    `--vm-time-limit ${value} is not a duration`,
    "for example --vm-time-limit 3m",
  );
}

/** The `zcspec run` options each kernel's run takes as given (outputs and baselines stay the host's). */
const PASSED = [
  "case",
  "grep",
  "fail-fast",
  "strict",
  "time-limit",
  "duration",
  "warmup",
  "repeat",
  "seed",
  "allow-remote",
];

/** The run's own options, as a kernel's `zcspec run` is to get them. */
export function kernelRunArgs(values: Record<string, unknown>): string[] {
  return PASSED.flatMap((name) => {
    const v = values[name];
    if (v === undefined || v === false) return [];
    if (v === true) return [`--${name}`];
    return (Array.isArray(v) ? v : [v]).flatMap((x) => [`--${name}`, String(x)]);
  });
}
