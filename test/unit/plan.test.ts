import { describe, expect, it } from "vitest";
import { targetKey } from "../../src/env/open.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { compileCase } from "../../src/plan/compile.js";
import { readSpecText } from "../../src/spec/read.js";

function cases(defaults: string) {
  return readSpecText("t.yaml", `version: 1\nname: t\ndefaults: ${defaults}\n`).cases;
}

describe("plan compile", () => {
  it("registers buffers only where the mode takes them under register: auto", () => {
    const [send] = cases("{ mode: send }");
    const [zc] = cases("{ mode: send_zc }");
    expect(send && compileCase(send).fixedBuf).toBe(false);
    expect(zc && compileCase(zc).fixedBuf).toBe(true);
  });

  it("carries socket.gso_size into the plan, the native plan and the kernel features it needs", () => {
    const [c] = cases("{ mode: sendmsg_zc, socket: { gso_size: 1400 }, buffers: { size: 14000 } }");
    if (!c) throw new Error("no case");
    const plan = compileCase(c);
    expect(plan.gsoSize).toBe(1400);
    expect(plan.needs.features).toContainEqual({
      feature: "udp_segment",
      why: "socket.gso_size: 1400",
    });
    const dest = { netnsPath: "", family: "ipv4" as const, dstAddr: [127, 0, 0, 1] };
    expect(toNativePlan(plan, dest).gso_size).toBe(1400);
    const [plain] = cases("{}");
    expect(plain && compileCase(plain).needs.features.map((f) => f.feature)).not.toContain(
      "udp_segment",
    );
  });

  it("gives a sink or pair of another MTU a target of its own", () => {
    const keys = [
      "{ target: sink }",
      "{ target: sink, sink: { mtu: 1500 } }",
      "{ target: pair }",
      "{ target: pair, pair: { mtu: 1500 } }",
    ]
      .map((d) => cases(d)[0])
      .map((c) => (c ? targetKey(c) : ""));
    expect(new Set(keys).size).toBe(4);
    const [same] = cases("{ target: sink, sink: { mtu: 65535 } }");
    expect(same && targetKey(same)).toBe(keys[0]);
  });

  it("fills every default from the schema", () => {
    const [c] = cases("{}");
    expect(c && compileCase(c)).toMatchObject({
      mode: "send_zc",
      ringEntries: 512,
      ringFlags: ["coop_taskrun"],
      batch: 8,
      bufSize: 4000,
      bufCount: 1,
      sndbuf: 2 * 1024 * 1024,
      durationNs: 2e9,
      warmupNs: 200e6,
      unsupported: [],
    });
  });

  it("lists what this build cannot honour instead of running it half-right", () => {
    const [c] = cases("{ mode: send, socket: { type: tcp }, ring: { cqe_skip_success: true } }");
    expect(c && compileCase(c).unsupported).toEqual([
      'socket.type="tcp"',
      "ring.cqe_skip_success=true",
    ]);
    const [wide] = cases("{ buffers: { size: 4000, align: 4096, slot: 16384 } }");
    expect(wide && compileCase(wide).unsupported).toEqual(["buffers.slot=16384"]);
    const [exact] = cases("{ buffers: { size: 4000, align: 4096, slot: 4096 } }");
    expect(exact && compileCase(exact).unsupported).toEqual([]);
  });
});

describe("plan compile: threads, caps and registration", () => {
  it("pins thread i to cpus[i mod len] and splits the request cap across threads", () => {
    const [c] = cases("{ threads: { count: 3, cpus: [1, 0] }, requests: 10 }");
    const plan = c && compileCase(c);
    expect(plan?.cpus).toEqual([1, 0, 1]);
    expect(plan?.maxRequests).toBe(4);
    const [one] = cases("{ requests: 0 }");
    expect(one && compileCase(one).maxRequests).toBe(0);
    expect(one && compileCase(one).cpus).toEqual([]);
  });

  it("registers for mixed (every other request) and never for none", () => {
    const [mixed] = cases("{ mode: send_zc, buffers: { register: mixed, count: 2 } }");
    expect(mixed && compileCase(mixed)).toMatchObject({ fixedBuf: true, mixedBuf: true });
    const [none] = cases("{ mode: send_zc, buffers: { register: none } }");
    expect(none && compileCase(none)).toMatchObject({ fixedBuf: false, mixedBuf: false });
  });
});
