import { setTimeout as sleep } from "node:timers/promises";

/**
 * A condition that the event able to make it true re-checks (a socket's
 * data, a progress report): `met` resolves true the moment it holds, or
 * false after `ms`, a generous cap so that a test which never sees it fails
 * on its own assertions, saying what is missing, instead of on the test's timeout.
 */
export function condition(
  holds: () => boolean,
  ms = 10_000,
): { check: () => void; met: Promise<boolean> } {
  let resolve: (met: boolean) => void = () => undefined;
  const met = new Promise<boolean>((r) => {
    resolve = r;
  });
  const cap = setTimeout(() => resolve(false), ms);
  const check = () => {
    if (!holds()) return;
    clearTimeout(cap);
    resolve(true);
  };
  check();
  return { check, met };
}

/**
 * Polls `holds` every `everyMs` until it is true (resolves true) or `ms`
 * pass (false): only for what no event announces, a kernel counter or a
 * process of another tree.
 */
export async function pollUntil(
  holds: () => boolean | Promise<boolean>,
  { ms = 20_000, everyMs = 20 }: { ms?: number; everyMs?: number } = {},
): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!(await holds())) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
