import { removeLiveNamespacesSync } from "../env/netns.js";
import { EXIT } from "./exit.js";
import { main } from "./main.js";

/** Leave no namespace behind when interrupted: the run's finally blocks may never get to run. */
function onSignal(signal: NodeJS.Signals): void {
  removeLiveNamespacesSync();
  process.stderr.write(`\ninterrupted (${signal}); namespaces removed\n`);
  process.exit(signal === "SIGINT" ? EXIT.interrupted : 128 + 15);
}

process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.exitCode = await main(process.argv.slice(2));
