import type { ParsedArgs } from "./args.js";
import { commandSpec } from "./command-table.js";
import { parseDurationFlag } from "./values.js";

/** A VM's time limit, boot included: TCG boots in seconds, but node runs ~20× slower there. */
const DEFAULT_VM_LIMIT_NS = 300e9;

/** --vm-time-limit: a duration ("90s", "5m"), default 5 minutes; in ms. */
export function vmTimeLimitMs(args: ParsedArgs): number {
  const v = args.value("vm-time-limit");
  const ns = v === undefined ? DEFAULT_VM_LIMIT_NS : parseDurationFlag("vm-time-limit", v);
  return ns / 1e6;
}

/**
 * The `zcspec run` options each kernel's run takes as given (outputs and baselines stay the
 * host's).
 */
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
export function kernelRunArgs(args: ParsedArgs): string[] {
  const switches = new Set(
    commandSpec("run")
      ?.options.filter((o) => o.type === "boolean")
      .map((o) => o.name),
  );
  return PASSED.flatMap((name) => {
    if (switches.has(name)) return args.flag(name) ? [`--${name}`] : [];
    return args.values(name).flatMap((v) => [`--${name}`, v]);
  });
}
