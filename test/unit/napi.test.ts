import { describe, expect, it } from "vitest";
import { targetKey } from "../../src/env/open.js";
import { capabilitySkip } from "../../src/env/probe.js";
import type * as abi from "../../src/native/abi.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { readSpecText } from "../../src/spec/read.js";
import { capsWith, caseOf, LOOPBACK4, planFor, rawThread } from "../helpers/native.js";
import { specErrors } from "../helpers/spec.js";

const PAIR = "target: pair, socket: { type: tcp, background_poll: true }, batch: 1";
const GRO = `${PAIR}, pair: { gro: true }`;
const NAPI = `{ ${GRO}, ring: { napi: { busy_poll_us: 50, prefer_busy_poll: true } } }`;
const codes = (defaults: string) =>
  specErrors(`version: 1\nname: t\ndefaults: ${defaults}\n`).map((d) => d.code);

describe("ring.napi and pair.gro in the spec", () => {
  it("default to no busy poll and a veth without GRO, as zcspec always ran", () => {
    const c = caseOf("{}");
    expect(c.ring.napi).toEqual({ busy_poll_us: 0, prefer_busy_poll: false });
    expect(c.pair.gro).toBe(false);
    const n = toNativePlan(planFor("{}"), LOOPBACK4);
    expect(n).toMatchObject({ napi_busy_poll_us: 0, napi_prefer_busy_poll: 0 });
    expect(planFor("{}").needs.features.map((f) => f.feature)).not.toContain("napi");
  });

  it("reach struct zc_plan as written", () => {
    const n = toNativePlan(planFor(NAPI), LOOPBACK4);
    expect(n).toMatchObject({ napi_busy_poll_us: 50, napi_prefer_busy_poll: 1 });
    expect(n.napi_pad).toEqual([0, 0, 0]);
  });

  it("are refused by the schema out of range", () => {
    for (const bad of [
      "ring: { napi: { busy_poll_us: -1 } }",
      "ring: { napi: { busy_poll_us: 1000001 } }",
      "ring: { napi: { busy_poll: 50 } }",
      "ring: { napi: true }",
      "pair: { gro: on }",
    ])
      expect(specErrors(`version: 1\nname: t\ndefaults: { ${bad} }\n`).length, bad).toBeGreaterThan(
        0,
      );
  });

  it("refuse busy poll where the socket has no NAPI instance, or no ring", () => {
    expect(caseOf(NAPI).ring.napi).toEqual({ busy_poll_us: 50, prefer_busy_poll: true });
    expect(codes(`{ ${PAIR}, ring: { napi: { busy_poll_us: 50 } } }`)).toEqual(["ZC_NAPI"]);
    expect(codes("{ target: loopback, ring: { napi: { busy_poll_us: 50 } } }")).toEqual([
      "ZC_NAPI",
    ]);
    expect(codes("{ target: sink, ring: { napi: { busy_poll_us: 50 } } }")).toEqual(["ZC_NAPI"]);
    expect(
      codes(
        `{ target: pair, socket: { type: tcp }, batch: 1, pair: { gro: true }, mode: msg_zerocopy, ring: { napi: { busy_poll_us: 50 } } }`,
      ),
    ).toEqual(["ZC_NAPI"]);
    expect(codes(`{ ${GRO}, ring: { napi: { prefer_busy_poll: true } } }`)).toEqual(["ZC_NAPI"]);
  });

  it("warn where no poll would ever tell the ring the socket's NAPI ID", () => {
    const warned = (defaults: string) =>
      readSpecText("t.yaml", `version: 1\nname: t\ndefaults: ${defaults}\n`).warnings.map(
        (d) => `${d.code} ${d.message}`,
      );
    expect(warned(NAPI)).toEqual([]);
    const noPoll = NAPI.replace("background_poll: true", "background_poll: false");
    expect(warned(noPoll)).toEqual([
      "ZC_NAPI ring.napi without socket.background_poll: the ring may never learn what to poll",
    ]);
  });

  it("need the probed feature napi, and skip with its errno and release where it fails", () => {
    const plan = planFor(NAPI);
    expect(plan.needs.features.map((f) => `${f.feature} <- ${f.why}`)).toContain(
      "napi <- ring.napi.busy_poll_us: 50",
    );
    expect(capabilitySkip(plan, capsWith({}))).toBeUndefined();
    expect(capabilitySkip(plan, capsWith({ napi: "EINVAL" }))).toBe(
      "ring.napi.busy_poll_us: 50 needs IORING_REGISTER_NAPI (busy poll 1 µs), then IORING_UNREGISTER_NAPI, which fails here (EINVAL); IORING_REGISTER_NAPI came with Linux 6.9 and needs CONFIG_NET_RX_BUSY_POLL; remove ring.napi",
    );
  });

  it("give a pair with GRO a target of its own", () => {
    const off = targetKey(caseOf(`{ ${PAIR} }`));
    const on = targetKey(caseOf(`{ ${GRO} }`));
    expect(on).not.toBe(off);
    expect(on).toMatch(/gro=on$/);
    // busy poll is the ring's: with and without it, one pair
    expect(targetKey(caseOf(NAPI))).toBe(on);
  });
});

describe("measured.napi", () => {
  const raw = (napi: Partial<abi.RawResult>): abi.RawResult => ({
    ...rawThread({ requests: 100, bytes: 409600, elapsed_ns: 1e9 }),
    threads: [],
    samples: [],
    ...napi,
  });
  const plan = {
    gsoSize: 0,
    bufSize: 4096,
    napiBusyPollUs: 50,
    napiPreferBusyPoll: false,
    rate: 0,
    batch: 8,
    threads: 1,
  };

  it("says the rings registered busy poll, with the settings and the socket's NAPI ID", () => {
    expect(measure(raw({ napi_threads: 2, napi_id: 260 }), {}, plan).napi).toEqual({
      rings: 2,
      busyPollUs: 50,
      preferBusyPoll: false,
      napiId: 260,
    });
  });

  it("is absent where no ring registered it", () => {
    expect(measure(raw({ napi_threads: 0, napi_id: 0 }), {}, plan).napi).toBeUndefined();
    expect(measure(raw({}), {}, plan).napi).toBeUndefined();
  });
});
