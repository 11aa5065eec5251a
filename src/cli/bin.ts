import { removeLiveNamespacesSync } from "../env/netns.js";
import { EXIT } from "./exit.js";
import { interrupt, interruptDelegated } from "./interrupt.js";
import { main } from "./main.js";

/**
 * First signal: let the run stop after the current case and write partial
 * results. Second signal (or none listening): leave no namespace behind and
 * exit now, since the run's finally blocks may never get to run.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (interrupt(signal)) {
    if (interruptDelegated()) return;
    process.stderr.write(
      `\n${signal}: stopping after the current case and writing partial results (again to quit now)\n`,
    );
    return;
  }
  removeLiveNamespacesSync();
  process.stderr.write(`\ninterrupted (${signal}); namespaces removed\n`);
  process.exit(signal === "SIGINT" ? EXIT.interrupted : 128 + 15);
}

process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.exitCode = await main(process.argv.slice(2));
