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
