/**
 * The first SIGINT/SIGTERM during a run stops it gracefully (the current
 * case ends, partial results are written, targets are torn down); bin.ts
 * calls `interrupt()` and exits at once only when no run is listening or on
 * the second signal.
 */
const controller = new AbortController();
let listening = false;
let delegated = false;

/**
 * The signal a command stops on; marks the process as able to stop
 * gracefully. `delegate`: a child process does the stopping and says so
 * itself (the user-namespace re-execution), so this one stays quiet.
 */
export function interruptSignal(options: { delegate?: boolean } = {}): AbortSignal {
  listening = true;
  delegated = options.delegate ?? false;
  return controller.signal;
}

/** Whether the process that took the interrupt leaves the telling to a child. */
export function interruptDelegated(): boolean {
  return delegated;
}

/** true when a run took the interrupt and will wind down by itself. */
export function interrupt(signal: NodeJS.Signals): boolean {
  if (!listening || controller.signal.aborted) return false;
  controller.abort(`interrupted by ${signal}`);
  return true;
}
