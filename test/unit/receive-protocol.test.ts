/**
 * The two-host pieces that need no second host: the receive protocol's
 * messages, how a launcher's failure is told, the delivery check, the
 * spec's remote.receiver, and a remote target without a receiver.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { deliveryCheck } from "../../src/assert/delivery.js";
import { launchFailure, launchReceiver } from "../../src/env/agent/launch.js";
import { parseMessage, RECEIVE_PROTOCOL } from "../../src/env/agent/protocol.js";
import { serveReceiver } from "../../src/env/agent/serve.js";
import { createRemote } from "../../src/env/remote.js";
import { checkSpec, readSpec } from "../../src/spec/read.js";
import { parseSpecText } from "../../src/spec/source/load.js";
import { caseOf } from "../helpers/native.js";
import { figures } from "../helpers/results.js";

const LISTEN = {
  zcspec: "receive",
  protocol: RECEIVE_PROTOCOL,
  message: "listen",
  family: "ipv4",
  type: "udp",
  port: 0,
  bind: "198.18.7.2",
  pattern: "alphabet",
  size: 1000,
  expectMs: 1000,
};

describe("receive protocol messages", () => {
  it("takes the sender's window marks, begin and end only", () => {
    const mark = { zcspec: "receive", protocol: RECEIVE_PROTOCOL, message: "mark", edge: "begin" };
    expect(parseMessage(JSON.stringify(mark), ["mark", "stop"])).toEqual({
      kind: "ok",
      message: mark,
    });
    expect(parseMessage(JSON.stringify({ ...mark, edge: "middle" }), ["mark"]).kind).toBe(
      "invalid",
    );
  });

  it("accepts a valid message of the expected kind", () => {
    const p = parseMessage(JSON.stringify(LISTEN), ["listen"]);
    expect(p).toEqual({ kind: "ok", message: LISTEN });
  });

  it("takes a GSO segment size in a listen message, 1..65535, and none is whole datagrams", () => {
    const gso = { ...LISTEN, segment: 1400 };
    expect(parseMessage(JSON.stringify(gso), ["listen"])).toEqual({ kind: "ok", message: gso });
    expect(parseMessage(JSON.stringify({ ...LISTEN, segment: 0 }), ["listen"])).toEqual({
      kind: "invalid",
      problem: 'invalid "listen" message: /segment must be >= 1',
    });
  });

  it("tells another protocol version apart from an invalid message, with the other side's version", () => {
    const other = { ...LISTEN, protocol: RECEIVE_PROTOCOL + 1, version: "9.9.9" };
    expect(parseMessage(JSON.stringify(other), ["listen"])).toEqual({
      kind: "version",
      protocol: RECEIVE_PROTOCOL + 1,
      version: "9.9.9",
    });
    expect(parseMessage(JSON.stringify({ ...LISTEN, size: 0 }), ["listen"])).toEqual({
      kind: "invalid",
      problem: 'invalid "listen" message: /size must be >= 1',
    });
    expect(parseMessage(JSON.stringify({ ...LISTEN, extra: 1 }), ["listen"]).kind).toBe("invalid");
    expect(parseMessage(JSON.stringify(LISTEN), ["ready", "error"])).toEqual({
      kind: "invalid",
      problem: 'a "listen" message where "ready" or "error" was due',
    });
  });

  it("calls anything else garbage: a shell banner, JSON of another program", () => {
    expect(parseMessage("Welcome to host!", ["ready"]).kind).toBe("garbage");
    expect(parseMessage('{"hello": 1}', ["ready"]).kind).toBe("garbage");
  });

  it("the receiver refuses a request of another protocol version, saying its own", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    input.end(`${JSON.stringify({ ...LISTEN, protocol: 7 })}\n`);
    const code = await serveReceiver({ input, output });
    expect(code).toBe(2);
    const answer = JSON.parse(String(output.read()));
    expect(answer).toMatchObject({
      zcspec: "receive",
      protocol: RECEIVE_PROTOCOL,
      message: "error",
      error: `this zcspec ${answer.version} speaks receive protocol ${RECEIVE_PROTOCOL}; the sender asked for protocol 7`,
    });
  });

  it("the receiver refuses an input that is not a request, and an empty one", async () => {
    for (const text of ["hello\n", ""]) {
      const input = new PassThrough();
      const output = new PassThrough();
      input.end(text);
      expect(await serveReceiver({ input, output })).toBe(2);
      expect(JSON.parse(String(output.read())).message).toBe("error");
    }
  });
});

describe("a launcher that ends before the receiver answers", () => {
  it("cannot start: ENOENT, named, and one exit hook however many launches", async () => {
    const before = process.listenerCount("exit");
    for (let i = 0; i < 12; i++)
      await expect(
        launchReceiver(["/nonexistent/launcher", "x"], "192.0.2.7", {
          family: "ipv4",
          type: "udp",
          port: 0,
          bind: "192.0.2.7",
          pattern: "alphabet",
          size: 1000,
          expectMs: 100,
        }),
      ).rejects.toThrow(
        "cannot start the receiver's launcher for 192.0.2.7: /nonexistent/launcher is not installed here (ENOENT)",
      );
    expect(process.listenerCount("exit") - before).toBeLessThanOrEqual(1);
  });

  const launch = ["ssh", "-T", "me@host", "zcspec", "receive", "--stdio"];
  const told = (stderr: string, code: number | null = 255) =>
    launchFailure("192.0.2.7", launch, stderr, { code, signal: null });

  it("asks for a key and BatchMode when ssh wanted a password", () => {
    const e = told("me@host: Permission denied (publickey,password).\r\n");
    expect(e.code).toBe("ZC_REMOTE_RECEIVER");
    expect(e.message).toBe(
      "the launcher for 192.0.2.7 could not log in without a password: me@host: Permission denied (publickey,password).; zcspec runs `ssh -T me@host zcspec receive --stdio` with no terminal, so nothing can be typed there",
    );
    expect(e.hint).toContain("-o BatchMode=yes");
    expect(e.hint).toContain("ssh-copy-id");
  });

  it("says zcspec is missing on exit 127 or command not found", () => {
    const e = told("bash: line 1: zcspec: command not found\n", 127);
    expect(e.message).toBe(
      "zcspec is not installed on 192.0.2.7, or not where `ssh -T me@host zcspec receive --stdio` looks for it (exit code 127: bash: line 1: zcspec: command not found)",
    );
    expect(e.hint).toContain("docs/two-hosts.md");
  });

  it("says the host is unreachable, and its key refused, in their own words", () => {
    expect(told("ssh: connect to host host port 22: Connection refused").message).toBe(
      "the launcher could not reach 192.0.2.7: ssh: connect to host host port 22: Connection refused",
    );
    expect(told("Host key verification failed.").message).toContain("refused the host's key");
  });

  it("otherwise shows the exit and what it said, and how to try it by hand", () => {
    const e = told("something odd", 3);
    expect(e.message).toBe(
      "the launcher for 192.0.2.7 ended (exit code 3) before the receiver answered: something odd",
    );
    expect(e.hint).toContain("| ssh -T me@host zcspec receive --stdio");
  });
});

describe("the delivery check of a remote receiver", () => {
  const udp = caseOf(
    "{ target: remote, remote: { address: 192.0.2.7 }, buffers: { size: 1000 }, warmup: 0ms }",
  );
  const sent = figures(100_000, { bytes: 10_000_000, requests: 10_000 });

  it("balances bytes sent against bytes received plus the datagrams the receiving kernel dropped", () => {
    const ok = deliveryCheck(udp, {
      ...sent,
      target: { rxBytes: 9_000_000, rxDatagrams: 9000, rxDrops: 1000, rxMismatches: 0 },
    });
    expect(ok).toEqual({
      name: "bytes sent = bytes received + dropped by the receiving host",
      pass: true,
      kind: "invariant",
    });
    const lost = deliveryCheck(udp, {
      ...sent,
      target: { rxBytes: 8_000_000, rxDrops: 1000, rxMismatches: 0, rxNicDrops: 12 },
    });
    expect(lost?.pass).toBe(false);
    expect(lost?.reason).toBe(
      "bytes sent = bytes received + dropped by the receiving host: sent 10000000, received 8000000 + dropped 1000 × 1000 B = 9000000, 1000000 bytes unaccounted for (lost before the receiving socket: the wire, the NIC, its backlog); its interface dropped or missed 12 packets meanwhile (all traffic)",
    );
  });

  it("with a warmup, asks only that the measured bytes are covered (the warmup's arrive too)", () => {
    const warm = caseOf(
      "{ target: remote, remote: { address: 192.0.2.7 }, buffers: { size: 1000 }, warmup: 100ms }",
    );
    const c = deliveryCheck(warm, {
      ...sent,
      target: { rxBytes: 10_500_000, rxDrops: 0, rxMismatches: 0 },
    });
    expect(c?.pass).toBe(true);
    expect(c?.name).toContain(">= bytes sent");
  });

  it("is not made where nobody counted drops (loopback, pair, a remote without receiver)", () => {
    expect(deliveryCheck(udp, { ...sent, target: { rxBytes: 1 } })).toBeUndefined();
    expect(deliveryCheck(udp, { ...sent, target: {} })).toBeUndefined();
  });
});

describe("remote.receiver in a spec", () => {
  it("is how the udp-nic spec's remote rows verify delivery: ssh in BatchMode, no warmup", async () => {
    const spec = await readSpec("specs/cover-letter/udp-nic.yaml");
    const remote = spec.cases.filter((c) => c.target === "remote");
    expect(remote).toHaveLength(8);
    for (const c of remote) {
      expect(c.remote?.receiver?.launch.slice(0, 4), c.name).toEqual([
        "ssh",
        "-T",
        "-o",
        "BatchMode=yes",
      ]);
      expect(c.remote?.receiver?.launch.slice(-2), c.name).toEqual(["receive", "--stdio"]);
      expect(c.warmup_ns, c.name).toBe(0);
    }
  });

  it("resolves the launch into the case", () => {
    const c = caseOf(
      "{ target: remote, remote: { address: 192.0.2.7, receiver: { launch: [ssh, -T, h, zcspec, receive, --stdio] } } }",
    );
    expect(c.remote?.receiver).toEqual({
      launch: ["ssh", "-T", "h", "zcspec", "receive", "--stdio"],
    });
  });

  it("refuses an empty launch where it is written", () => {
    const text = `version: 1
name: t
defaults:
  target: remote
  remote:
    address: 192.0.2.7
    receiver:
      launch: []
`;
    const r = checkSpec(parseSpecText("t.yaml", text));
    const d = r.diagnostics.find((x) => x.code === "ZC_RECEIVER_LAUNCH");
    expect(d).toMatchObject({
      severity: "error",
      file: "t.yaml",
      line: 8,
      message:
        "remote.receiver.launch is empty: nothing would start the receiver on the other host",
    });
    expect(d?.hint).toContain("zcspec receive --stdio");
  });

  it("refuses a receiver without launch, and an unknown key, through the schema", () => {
    const text = `version: 1
name: t
defaults:
  target: remote
  remote: { address: 192.0.2.7, receiver: { lunch: [ssh] } }
`;
    const codes = checkSpec(parseSpecText("t.yaml", text)).diagnostics.map((d) => d.code);
    expect(codes).toContain("ZC_UNKNOWN_KEY");
  });

  it("without a receiver, says in the topology that delivery is not verified", async () => {
    const t = createRemote(caseOf("{ target: remote, remote: { address: 192.0.2.7 } }"));
    expect(t.topology.destination).toBe("192.0.2.7:9 (remote; no receiver: delivery not verified)");
    expect(t.topology.launch).toBeUndefined();
    const s = await t.beginCase(caseOf("{ target: remote, remote: { address: 192.0.2.7 } }"));
    expect(s.dstPort).toBe(9);
    expect(await s.collect()).toEqual({});
    await t.close();
  });
});
