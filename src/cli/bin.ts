import { EXIT } from "./exit.js";
import { interrupt, interruptDelegated } from "./interrupt.js";
import { main } from "./main.js";

/**
 * First signal: let the run stop after the current case and write partial
 * results. Second signal (or none listening): exit now; the run's finally
 * blocks will not run, but the library's exit hook still removes its namespaces.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (interrupt(signal)) {
    if (interruptDelegated()) return;
    process.stderr.write(
      `\n${signal}: stopping after the current case and writing partial results ` +
        "(again to quit now)\n",
    );
    return;
  }
  // the library removes its namespaces in its exit hook
  process.stderr.write(`\ninterrupted (${signal}); removing namespaces\n`);
  process.exit(signal === "SIGINT" ? EXIT.interrupted : 128 + 15);
}

// a reader that went away (zcspec plan ... | head) is no crash: stop quietly, as a
// tool killed by SIGPIPE does (128 + 13); the library's exit hook removes its namespaces
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(128 + 13);
  });

process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.exitCode = await main(process.argv.slice(2));
