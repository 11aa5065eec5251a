import { describe, expect, it } from "vitest";
import { flowChecks } from "../../src/assert/flows.js";
import type { FlowMeasured } from "../../src/model/measured/measured.js";
import type { RawResult, RawThreadResult } from "../../src/native/abi.js";
import { flowsOf } from "../../src/native/result.js";
import { readSpecText } from "../../src/spec/read.js";
import { fairness } from "../../src/stats/fairness.js";
import { figures } from "../helpers/results.js";

describe("fairness between flows", () => {
  it("is 1 with even shares when every flow sent the same", () => {
    expect(fairness([5, 5, 5, 5])).toEqual({ jain: 1, minShare: 0.25, maxShare: 0.25 });
  });

  it("is 1/n when one flow sent everything", () => {
    expect(fairness([0, 0, 0, 8])).toEqual({ jain: 0.25, minShare: 0, maxShare: 1 });
  });

  it("matches Jain's index worked by hand", () => {
    // (1 + 2 + 3)² / (3 × (1 + 4 + 9)) = 36 / 42
    const f = fairness([1, 2, 3]);
    expect(f?.jain).toBeCloseTo(36 / 42, 12);
    expect(f?.minShare).toBeCloseTo(1 / 6, 12);
    expect(f?.maxShare).toBeCloseTo(1 / 2, 12);
    // (3 + 1)² / (2 × (9 + 1)) = 16 / 20
    expect(fairness([3e9, 1e9])?.jain).toBeCloseTo(0.8, 12);
  });

  it("says nothing of one flow, or of flows that sent nothing", () => {
    expect(fairness([7])).toBeUndefined();
    expect(fairness([0, 0])).toBeUndefined();
    expect(fairness([])).toBeUndefined();
  });
});

const raw = (flows: number, f: { port: number; bytes: number }[]): RawThreadResult =>
  ({
    flows,
    flow: f.map((x) => ({ ...x, requests: x.bytes / 100, sent_bytes: x.bytes + 100 })),
  }) as unknown as RawThreadResult;

describe("the executor's flows", () => {
  it("list every thread's filled records, thread by thread", () => {
    const r = {
      threads: [
        raw(2, [
          { port: 1000, bytes: 100 },
          { port: 1001, bytes: 200 },
          { port: 0, bytes: 0 },
        ]),
        raw(2, [
          { port: 2000, bytes: 300 },
          { port: 2001, bytes: 400 },
        ]),
      ],
    } as Pick<RawResult, "threads">;
    expect(flowsOf(r).map((f) => [f.thread, f.port, f.bytes, f.requests, f.sentBytes])).toEqual([
      [0, 1000, 100, 1, 200],
      [0, 1001, 200, 2, 300],
      [1, 2000, 300, 3, 400],
      [1, 2001, 400, 4, 500],
    ]);
  });

  it("are none with one socket per thread", () => {
    expect(flowsOf({ threads: [raw(1, [{ port: 1000, bytes: 100 }])] })).toEqual([]);
  });
});

const flow = (port: number, bytes: number, rxBytes?: number): FlowMeasured => ({
  thread: 0,
  port,
  requests: bytes / 1000,
  bytes,
  sentBytes: bytes,
  ...(rxBytes === undefined ? {} : { rxBytes }),
});

describe("the flows' invariants", () => {
  const m = (flows: FlowMeasured[]) => ({
    ...figures(1000),
    requests: flows.reduce((a, f) => a + f.requests, 0),
    bytes: flows.reduce((a, f) => a + f.bytes, 0),
    flows,
  });
  const tcp = { socket: { type: "tcp" as const } };
  const udp = { socket: { type: "udp" as const } };

  it("hold when each flow's bytes arrived and the counts add up", () => {
    const checks = flowChecks(tcp, m([flow(1, 4000, 4000), flow(2, 8000, 8000)]));
    expect(checks.map((k) => [k.name, k.pass])).toEqual([
      ["flows' bytes add up to the bytes", true],
      ["flows' requests add up to the requests", true],
      ["each of 2 flows: bytes received = bytes sent", true],
    ]);
  });

  it("name the flows whose bytes differ at the receiver", () => {
    const bad = flowChecks(tcp, m([flow(1, 4000, 4000), flow(2, 8000, 7000)])).filter(
      (k) => !k.pass,
    );
    expect(bad.map((k) => k.reason)).toEqual([
      "each of 2 flows: bytes received = bytes sent: 1 flows differ: " +
        "thread 0 port 2 sent 8000, received 7000",
    ]);
  });

  it("let a UDP flow lose datagrams, never receive more than it sent", () => {
    expect(
      flowChecks(udp, m([flow(1, 4000, 3000), flow(2, 4000, 4000)])).every((k) => k.pass),
    ).toBe(true);
    const more = flowChecks(udp, m([flow(1, 4000, 5000), flow(2, 4000, 4000)]));
    expect(more.filter((k) => !k.pass).map((k) => k.name)).toEqual([
      "each of 2 flows: bytes received <= bytes sent",
    ]);
  });

  it("catch flows that do not add up to the case", () => {
    const checks = flowChecks(tcp, { ...m([flow(1, 4000), flow(2, 4000)]), bytes: 9000 });
    expect(checks.filter((k) => !k.pass).map((k) => k.name)).toEqual([
      "flows' bytes add up to the bytes",
    ]);
    // without the receiver's counts (the sink) only the sums are checked
    expect(checks).toHaveLength(2);
  });

  it("are none for one flow per thread", () => {
    expect(flowChecks(tcp, figures(1000))).toEqual([]);
  });
});

describe("TCP byte order over flows", () => {
  const order = (socket: string, batch: number) =>
    readSpecText(
      "t.yaml",
      `version: 1\nname: t\ndefaults: { socket: ${socket}, batch: ${batch} }\n`,
    )
      .warnings.filter((w) => w.code === "ZC_TCP_ORDER")
      .map((w) => w.code);

  it("needs no warning when round robin gives each socket one request of a batch at most", () => {
    expect(order("{ type: tcp, flows: 8 }", 8)).toEqual([]);
    expect(order("{ type: tcp, flows: 8 }", 9)).toEqual(["ZC_TCP_ORDER"]);
    expect(order("{ type: tcp, flows: 8, flow_order: random }", 8)).toEqual(["ZC_TCP_ORDER"]);
    expect(order("{ type: tcp }", 8)).toEqual(["ZC_TCP_ORDER"]);
  });
});
