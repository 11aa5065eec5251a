import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { TcpView } from "../../src/model/measured/machine.js";
import { ackClockNote } from "../../src/report/text/ack-clock.js";
import { readSpecText } from "../../src/spec/read.js";
import { histogramOf } from "../helpers/latency.js";
import { figures } from "../helpers/results.js";

const tcpCase = (nodelay: boolean): Case => {
  const [c] = readSpecText(
    "t.yaml",
    `version: 1\nname: t\ndefaults: { mode: send_zc, target: loopback, socket: { type: tcp, nodelay: ${nodelay} }, notifications: { reuse: after_notification }, buffers: { count: 16 } }\n`,
  ).cases;
  return c as Case;
};

/** TCP_INFO as the loopback case of issue 23 read it at the window's end (shape, not a result) */
const view = (over: Partial<TcpView>): TcpView => ({
  connections: 1,
  rttUs: 10_000,
  rttvarUs: 5_000,
  sndCwnd: 10,
  sndMss: 65483,
  unacked: 1,
  lost: 0,
  retrans: 0,
  retransBytes: 0,
  deliveryRate: 4e9,
  notsentBytes: 27 * 1024,
  inFlightBytes: 4000,
  busyUs: 900_000,
  rwndLimitedUs: 0,
  sndbufLimitedUs: 0,
  ...over,
});

/** 99 notifications fast and the rest at the delayed ACK: p99 lands on `tail` ns */
const notifWithTail = (fast: number, tail: number) =>
  histogramOf([...new Array<number>(97).fill(fast), tail, tail, tail]);

const measured = (tail: number, tcp: TcpView | undefined) => {
  const notif = notifWithTail(150e3, tail);
  return figures(1000, { latency: { completion: notif, notif, pinned: notif }, tcp });
};

describe("ackClockNote: when the notification tail follows TCP's ACK clock", () => {
  it("names Nagle behind an unacked segment, and nodelay, for the 40 ms tail", () => {
    const note = ackClockNote(tcpCase(false), measured(51e6, view({})));
    expect(note).toMatch(/^notification tail follows the ACK clock \(p99 5\d(\.\d+)? ms, /);
    expect(note).toContain("RTT 10 ms, 1 segment unacked, 27 KiB not sent");
    expect(note).toContain("Nagle behind an unacked segment; socket.nodelay: true removes it");
  });

  it("names the delayed ACK when nothing waits unsent (nodelay already on)", () => {
    const note = ackClockNote(tcpCase(true), measured(42e6, view({ notsentBytes: 0 })));
    expect(note).toContain("RTT 10 ms, 1 segment unacked:");
    expect(note).toContain("the receiver's delayed ACK (up to 40 ms)");
    expect(note).not.toContain("Nagle");
  });

  it("follows a slow RTT with bytes held even when the p99 is below the timeout", () => {
    expect(ackClockNote(tcpCase(false), measured(3e6, view({})))).toContain("Nagle");
  });

  it("says nothing of a fast tail and a short RTT, a copying case or one without TCP_INFO", () => {
    const quick = view({ rttUs: 40, unacked: 0, notsentBytes: 0 });
    expect(ackClockNote(tcpCase(true), measured(152e3, quick))).toBeUndefined();
    // a short RTT with bytes in flight is a busy link, not the ACK clock
    expect(ackClockNote(tcpCase(true), measured(152e3, view({ rttUs: 60 })))).toBeUndefined();
    expect(ackClockNote(tcpCase(false), measured(51e6, undefined))).toBeUndefined();
    const copy = figures(1000, { tcp: view({}) });
    expect(ackClockNote(tcpCase(false), copy)).toBeUndefined();
  });
});
