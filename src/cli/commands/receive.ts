import { UsageError } from "../../index.js";
import { serveReceiver } from "../../internal.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { interruptSignal } from "../interrupt.js";

export async function receiveCommand(argv: string[]): Promise<number> {
  const args = commandLine("receive", argv);
  if (!args) return EXIT.ok;
  if (!args.flag("stdio"))
    throw new UsageError(
      "zcspec receive talks over stdin and stdout only: pass --stdio",
      "a sending zcspec starts it through remote.receiver.launch (docs/two-hosts.md)",
    );
  // SIGINT/SIGTERM end it as a stop line does: it still reports what arrived
  const signal = interruptSignal({ delegate: true });
  // a sender that went away cannot read the result: that is no crash of ours
  process.stdout.on("error", () => undefined);
  try {
    return await serveReceiver({
      input: process.stdin,
      output: process.stdout,
      signal,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    process.stdin.destroy();
  }
}
