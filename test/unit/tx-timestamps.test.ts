import { describe, expect, it } from "vitest";
import type { CaseResult } from "../../src/model/results.js";
import { type RawHistogram, type RawTstamp, ZC_HIST, ZC_TS_VIA } from "../../src/native/abi.js";
import { txLatency, txTimestamps } from "../../src/native/tstamp.js";
import { txTimestampsTable } from "../../src/report/text/tx-timestamps-text.js";
import { planFor } from "../helpers/native.js";

/** a histogram of `count` values of 100 ns (bucket 32 + 2 * 16 + 9 holds 100), or an empty one */
function hist(count: number): RawHistogram {
  const buckets = new Array<number>(ZC_HIST.buckets).fill(0);
  buckets[32 + 2 * 16 + 9] = count;
  return { count, sum_ns: 100 * count, min_ns: count ? 100 : 0, max_ns: count ? 100 : 0, buckets };
}

/** UDP on a device that stamps SCHED only: sched and notif spans, no driver, no ACK */
const SINK: RawTstamp = {
  via: ZC_TS_VIA.uring,
  reserved: 0,
  sampled: 10,
  timed: 9,
  incomplete: 1,
  unmatched: 0,
  disordered: 0,
  mismatched: 0,
  early: 0,
  stamps: [9, 0, 0],
  hist: [hist(9), hist(0), hist(0), hist(9), hist(9)],
};

describe("transmit timestamps from the executor", () => {
  it("turns the span histograms into tx_ latency, leaving out the empty ones", () => {
    const latency = txLatency(SINK);
    expect(Object.keys(latency)).toEqual(["tx_sched", "tx_notif", "tx_total"]);
    expect(latency.tx_total?.count).toBe(9);
    expect(txLatency(undefined)).toEqual({});
    expect(txLatency({ ...SINK, via: 0 })).toEqual({});
  });

  it("says why each absent span is absent, from the stamps that came back", () => {
    const udp = txTimestamps(SINK, txLatency(SINK), false);
    expect(udp).toMatchObject({ via: "io_uring", sampled: 10, timed: 9, incomplete: 1 });
    expect(udp?.stamps).toEqual({ sched: 9, software: 0, ack: 0 });
    expect(udp?.absent).toEqual({
      tx_driver: "no SOFTWARE stamp: the driver dropped the packet first, or never stamps",
      tx_ack: "UDP has no ACK stamp",
    });
    const tcp = txTimestamps({ ...SINK, via: ZC_TS_VIA.errqueue }, txLatency(SINK), true);
    expect(tcp?.via).toBe("error_queue");
    expect(tcp?.absent.tx_ack).toBe("no ACK stamp came back");
    expect(txTimestamps(undefined, {}, false)).toBeUndefined();
  });

  it("prints a row per case that asked for stamps", () => {
    const timestamps = txTimestamps(SINK, txLatency(SINK), false);
    const results = [
      { case: { name: "stamped" }, measured: { timestamps } },
      { case: { name: "plain" }, measured: {} },
    ] as unknown as CaseResult[];
    const table = txTimestampsTable(results);
    expect(table?.rows).toHaveLength(1);
    expect(table?.rows[0]?.slice(0, 7)).toEqual(["stamped", "io_uring", "10", "9", "1", "0", "0"]);
    expect(table?.rows[0]?.[7]).toContain("tx_ack: UDP has no ACK stamp");
    expect(txTimestampsTable([results[1] as CaseResult])).toBeUndefined();
  });
});

describe("what timestamps need of the kernel", () => {
  const needs = (defaults: string) => planFor(defaults).needs.features.map((n) => n.feature);

  it("the io_uring reader only when asked for by name (auto falls back to the error queue)", () => {
    expect(needs("{ mode: send_zc, timestamps: { every: 8, via: io_uring } }")).toContain(
      "tx_timestamp",
    );
    expect(needs("{ mode: send_zc, timestamps: { every: 8 } }")).not.toContain("tx_timestamp");
    expect(needs("{ mode: send_zc, timestamps: { every: 0, via: io_uring } }")).not.toContain(
      "tx_timestamp",
    );
  });

  it("sendmsg_zc from a registered buffer, as the sampled request goes", () => {
    expect(
      needs("{ mode: send_zc, buffers: { register: fixed }, timestamps: { every: 8 } }"),
    ).toContain("fixed_buf_sendmsg_zc");
    expect(
      needs("{ mode: send_zc, buffers: { register: none }, timestamps: { every: 8 } }"),
    ).not.toContain("fixed_buf_sendmsg_zc");
  });
});
