/**
 * The first SIGINT/SIGTERM during a run stops it gracefully (the current
 * case ends, partial results are written, targets are torn down); bin.ts
 * calls `interrupt()` and exits at once only when no run is listening or on
 * the second signal.
 */
const controller = new AbortController();
let listening = false;

/** The signal a command stops on; marks the process as able to stop gracefully. */
export function interruptSignal(): AbortSignal {
  listening = true;
  return controller.signal;
}

/** true when a run took the interrupt and will wind down by itself. */
export function interrupt(signal: NodeJS.Signals): boolean {
  if (!listening || controller.signal.aborted) return false;
  controller.abort(`interrupted by ${signal}`);
  return true;
}
