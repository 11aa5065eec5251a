import dgram from "node:dgram";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "../../src/env/receiving.js";
import type { Pattern } from "../../src/model/case.js";
import { type Receiver, startReceiver } from "../../src/native/receiver.js";
import { NATIVE_LIB } from "../helpers/env.js";

const blocker = existsSync(NATIVE_LIB) ? undefined : `native library not built (${NATIVE_LIB})`;

/** Byte i of a payload, as the executor lays it out. */
function payload(pattern: Pattern, size: number): Buffer {
  const f = {
    alphabet: (i: number) => 97 + (i % 26),
    zeros: () => 0,
    sequence: (i: number) => i % 256,
  };
  return Buffer.from(Array.from({ length: size }, (_, i) => f[pattern](i)));
}

let rx: Receiver | undefined;
afterEach(() => {
  rx?.stop();
  rx = undefined;
});

describe("the native receiver", () => {
  it("counts UDP datagrams and flags exactly the bytes that differ from the pattern", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    rx = startReceiver(
      {
        family: "ipv4",
        proto: "udp",
        addr: [127, 0, 0, 1],
        port: 0,
        rcvbuf: 1 << 20,
        netnsPath: "",
      },
      NATIVE_LIB,
    );
    expect(rx.port).toBeGreaterThan(0);
    const s = dgram.createSocket("udp4");
    const send = (b: Buffer) =>
      new Promise<void>((res, rej) =>
        s.send(b, rx?.port, "127.0.0.1", (e) => (e ? rej(e) : res())),
      );
    try {
      for (const pattern of ["alphabet", "zeros", "sequence"] as const) {
        rx.expect(pattern, 1000);
        const before = rx.read();
        const good = payload(pattern, 1000);
        const bad = Buffer.from(good);
        bad[3] = (bad[3] ?? 0) ^ 0xff;
        bad[999] = (bad[999] ?? 0) ^ 0x01;
        await send(good);
        await send(good);
        await send(bad);
        const after = await settle(rx);
        expect(after.datagrams - before.datagrams, pattern).toBe(3);
        expect(after.bytes - before.bytes, pattern).toBe(3000);
        expect(after.mismatches - before.mismatches, pattern).toBe(2);
      }
    } finally {
      s.close();
    }
  });

  it("verifies a TCP stream as payloads back to back, across reads", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    rx = startReceiver(
      { family: "ipv4", proto: "tcp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: "" },
      NATIVE_LIB,
    );
    rx.expect("sequence", 300);
    const one = payload("sequence", 300);
    // 1000 payloads in 7-byte-unaligned writes, one byte wrong in payload 500
    const stream = Buffer.concat(Array.from({ length: 1000 }, () => one));
    stream[500 * 300 + 17] = 0xee;
    const sock = net.connect(rx.port, "127.0.0.1");
    await new Promise<void>((res) => sock.once("connect", () => res()));
    for (let off = 0; off < stream.length; off += 4093)
      sock.write(stream.subarray(off, off + 4093));
    await new Promise<void>((res) => sock.end(() => res()));
    const s = await settle(rx, "tcp");
    expect(s.bytes).toBe(300_000);
    expect(s.connections).toBe(1);
    expect(s.mismatches).toBe(1);
    expect(s.datagrams).toBe(0);
  });

  it("never verifies a stream against a later case's pattern: an old connection's late bytes are counted, not compared", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    rx = startReceiver(
      { family: "ipv4", proto: "tcp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: "" },
      NATIVE_LIB,
    );
    rx.expect("alphabet", 4000);
    const stream = Buffer.concat(Array.from({ length: 20 }, () => payload("alphabet", 4000)));
    const sock = net.connect(rx.port, "127.0.0.1");
    await new Promise<void>((res) => sock.once("connect", () => res()));
    await new Promise<void>((res) => sock.write(stream.subarray(0, 30_000), () => res()));
    const first = await settle(rx, "tcp");
    expect(first.bytes).toBe(30_000);
    // the next case switches size while this connection still has bytes to come
    rx.expect("alphabet", 600);
    await new Promise<void>((res) => sock.end(stream.subarray(30_000), () => res()));
    const s = await settle(rx, "tcp");
    expect(s.bytes).toBe(80_000);
    expect(s.mismatches).toBe(0);
    // and the new case's own connection is verified with its pattern
    const next = net.connect(rx.port, "127.0.0.1");
    await new Promise<void>((res) => next.once("connect", () => res()));
    const bad = Buffer.concat(Array.from({ length: 10 }, () => payload("alphabet", 600)));
    bad[1234] = 0;
    await new Promise<void>((res) => next.end(bad, () => res()));
    const t = await settle(rx, "tcp");
    expect(t.bytes - s.bytes).toBe(6000);
    expect(t.mismatches).toBe(1);
  });

  it("refuses a port it cannot bind, with the kernel's reason", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    rx = startReceiver(
      { family: "ipv4", proto: "udp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: "" },
      NATIVE_LIB,
    );
    const port = rx.port;
    expect(() =>
      startReceiver(
        { family: "ipv4", proto: "udp", addr: [127, 0, 0, 1], port, rcvbuf: 0, netnsPath: "" },
        NATIVE_LIB,
      ),
    ).toThrow(/receiver bind to port \d+: Address already in use/);
  });

  it("stops twice without harm and keeps the last counters", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const r = startReceiver(
      {
        family: "ipv6",
        proto: "udp",
        addr: [...new Array(15).fill(0), 1],
        port: 0,
        rcvbuf: 0,
        netnsPath: "",
      },
      NATIVE_LIB,
    );
    const last = r.stop();
    expect(last.status).toBe(0);
    expect(r.stop()).toEqual(last);
    expect(() => r.expect("zeros", 1)).toThrow(/already stopped/);
  });
});
