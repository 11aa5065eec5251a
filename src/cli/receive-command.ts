import { parseArgs } from "node:util";
import { UsageError } from "../index.js";
import { serveReceiver } from "../internal.js";
import { EXIT } from "./exit.js";
import { interruptSignal } from "./interrupt.js";

export const RECEIVE_HELP = `zcspec receive --stdio

The receiver of a remote target, for another host's zcspec to start through
a launcher (ssh, kubectl exec -i, ip netns exec; see docs/two-hosts.md). It
reads one JSON listen request on stdin, listens on the address and port it
names (nothing else), answers with the port on stdout, and when it reads a
stop line, when stdin closes, or at its own time limit (the case's expected
duration + 20 s), writes one JSON result: bytes, datagrams and pattern
mismatches received, the kernel's UDP receive-buffer drops, and this host's
kernel, CPU and NIC (driver and offloads from ethtool where installed).
The messages are described by schema/receive.schema.json.

Options:
  --stdio     talk over stdin and stdout (the only way it talks)
  -h, --help  show this help

Exit codes: 0 result written, 2 a request it cannot take (another protocol
version, an invalid message), 3 it could not listen.`;

export async function receiveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stdio: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${RECEIVE_HELP}\n`);
    return EXIT.ok;
  }
  if (!values.stdio)
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
