import { describe, expect, it } from "vitest";
import { invariants } from "../../src/assert/invariants.js";
import { figures } from "../helpers/results.js";

const zc = {
  mode: "send_zc" as const,
  notifications: { reuse: "after_notification" as const, report_usage: false },
  batch: 8,
  socket: { cork: "none" as const, type: "udp" as const },
};
const copy = {
  mode: "send" as const,
  notifications: { reuse: "immediate" as const, report_usage: false },
  batch: 8,
  socket: { cork: "none" as const, type: "udp" as const },
};

describe("always-checked invariants", () => {
  it("hold for a clean zerocopy and a clean copying run", () => {
    const m = figures(1000);
    const n = m.requests;
    expect(invariants(zc, { ...m, zcRequests: n, notifications: n }).every((k) => k.pass)).toBe(
      true,
    );
    expect(invariants(copy, m).every((k) => k.pass)).toBe(true);
  });

  it("fail with a readable reason on each violated counter", () => {
    const m = figures(1000);
    const n = m.requests;
    const failed = invariants(zc, {
      ...m,
      zcRequests: n,
      notifications: n - 1,
      owedNotifications: 1,
      reuseBusy: 3,
      target: { txDropped: n - 5 },
    }).filter((k) => !k.pass);
    expect(failed.map((k) => k.reason)).toEqual([
      `notifications: expected ${n}, got ${n - 1}`,
      "notifications still owed at the end: expected 0, got 1",
      "buffer slots reused while in flight: expected 0, got 3",
      `sink tx dropped: expected at least ${n}, got ${n - 5}`,
    ]);
    const stray = invariants(copy, { ...m, notifications: 2, moreOnPlain: 1 }).filter(
      (k) => !k.pass,
    );
    expect(stray.map((k) => k.name)).toEqual(["notifications", "F_MORE on a copying send"]);
  });

  it("lets msg_zerocopy on TCP owe more notifications than requests, never fewer", () => {
    const m = figures(1000);
    const n = m.requests;
    const owing = (c: Parameters<typeof invariants>[0], zcRequests: number) =>
      invariants(c, { ...m, zcRequests, notifications: zcRequests }).find(
        (k) => k.name === "requests owing a notification",
      )?.pass;
    const tcp = {
      ...zc,
      mode: "msg_zerocopy" as const,
      socket: { cork: "none" as const, type: "tcp" as const },
    };
    expect(owing(tcp, n + 3)).toBe(true);
    expect(owing(tcp, n - 1)).toBe(false);
    expect(owing({ ...tcp, socket: { cork: "none", type: "udp" } }, n + 3)).toBe(false);
    expect(owing({ ...tcp, mode: "send_zc" }, n + 3)).toBe(false);
  });

  it("expects one sink datagram per batch when the batch is corked", () => {
    const m = figures(1000); // 100 requests
    const corked = { ...copy, socket: { cork: "udp_cork" as const, type: "udp" as const } };
    const sink = (k: ReturnType<typeof invariants>) => k.find((c) => c.name === "sink tx dropped");
    expect(sink(invariants(corked, { ...m, target: { txDropped: 13 } }))?.pass).toBe(true);
    expect(sink(invariants(corked, { ...m, target: { txDropped: 12 } }))?.reason).toBe(
      "sink tx dropped: expected at least 13, got 12",
    );
    expect(sink(invariants(copy, { ...m, target: { txDropped: 13 } }))?.pass).toBe(false);
  });

  it("counts the dummy sink's TX packets as the veth sink's drops", () => {
    const m = figures(1000); // 100 requests
    const sink = (k: ReturnType<typeof invariants>) => k.find((c) => c.name === "sink tx packets");
    expect(sink(invariants(copy, { ...m, target: { txPackets: 100 } }))?.pass).toBe(true);
    expect(sink(invariants(copy, { ...m, target: { txPackets: 99 } }))?.reason).toBe(
      "sink tx packets: expected at least 100, got 99",
    );
    // the veth's check is not made where the dummy's counter was read
    const checks = invariants(copy, { ...m, target: { txPackets: 100 } });
    expect(checks.some((c) => c.name === "sink tx dropped")).toBe(false);
  });

  it("expects one sink drop per GSO send, so fewer drops than requests still fail", () => {
    const m = figures(1000);
    const n = m.requests;
    const gso = { ...m, segments: n * 45 };
    const sink = (txDropped: number) =>
      invariants(copy, { ...gso, target: { txDropped } }).find((c) => c.name === "sink tx dropped");
    expect(sink(n)?.pass).toBe(true);
    expect(sink(n - 1)?.reason).toBe(`sink tx dropped: expected at least ${n}, got ${n - 1}`);
  });

  it("holds the built-in receiver's wire datagrams against the sender's GSO segments", () => {
    const m = figures(1000);
    const segments = m.requests * 45;
    const check = (warmup_ns: number, rxDatagrams: number) =>
      invariants(
        { ...copy, warmup_ns, buffers: { size: 63000 } },
        { ...m, segments, target: { rxDatagrams, rxBytes: m.bytes } },
      ).find((c) => c.name.startsWith("receiver wire datagrams"));
    expect(check(0, segments)?.pass).toBe(true);
    expect(check(0, segments - 1)?.reason).toBe(
      `receiver wire datagrams = sender segments: the requests left as ${segments} segments, the receiver counted ${segments - 1} datagrams (lost on the way or in its receive queue: see receiver.rcvbuf)`,
    );
    // the receiver counts the warmup's datagrams too
    expect(check(1e6, segments + 90)?.pass).toBe(true);
    expect(check(1e6, segments - 1)?.pass).toBe(false);
    // no GSO: nothing to compare
    const plain = invariants(
      { ...copy, warmup_ns: 0, buffers: { size: 63000 } },
      { ...m, target: { rxDatagrams: 1 } },
    );
    expect(plain.some((c) => c.name.startsWith("receiver wire datagrams"))).toBe(false);
  });
});
