import { describe, expect, it } from "vitest";
import { capabilitySkip } from "../../src/env/probe.js";
import * as abi from "../../src/native/abi.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { capsWith, caseOf, LOOPBACK4, planFor } from "../helpers/native.js";
import { specErrors } from "../helpers/spec.js";

const needs = (defaults: string) => planFor(defaults).needs.features;
const ALL =
  "{ ring: { flags: [sqpoll, sq_aff, no_sqarray, submit_all], sqpoll_cpu: 3, cqsize: 4096, " +
  "iowq_cpus: [0, 9] }, socket: { background_poll: true } }";

describe("the ring knobs in the spec", () => {
  it("default to the ring zcspec always made: no new flag, the kernel's CQ, any io-wq CPU, no poll", () => {
    const c = caseOf("{}");
    expect(c.ring.flags).toEqual(["coop_taskrun"]);
    expect(c.ring).toMatchObject({ sqpoll_cpu: -1, cqsize: 0, iowq_cpus: [] });
    expect(c.socket.background_poll).toBe(false);
    const n = toNativePlan(planFor("{}"), LOOPBACK4);
    expect(n).toMatchObject({ sqpoll_cpu: -1, cq_entries: 0 });
    expect(n.iowq_cpus).toEqual(new Array(abi.ZC_CPU_SET_BYTES).fill(0));
    expect(n.flags & abi.ZC_PLAN_BACKGROUND_POLL).toBe(0);
    expect(needs("{}").map((f) => f.feature)).toEqual([
      "send_zc",
      "fixed_buf_send_zc",
      "coop_taskrun",
      "reg_ring_fd",
    ]);
  });

  it("are refused by the schema out of range", () => {
    for (const bad of [
      "ring: { flags: [sq_affinity] }",
      "ring: { cqsize: 65537 }",
      "ring: { cqsize: -1 }",
      "ring: { sqpoll_cpu: 1024 }",
      "ring: { iowq_cpus: [0, 0] }",
      "ring: { iowq_cpus: [-1] }",
      "socket: { background_poll: 1 }",
    ])
      expect(specErrors(`version: 1\nname: t\ndefaults: { ${bad} }\n`).length, bad).toBeGreaterThan(
        0,
      );
  });

  it("reach struct zc_plan as written", () => {
    const n = toNativePlan(planFor(ALL), LOOPBACK4);
    const R = abi.ZC_RING;
    expect(n.ring_flags).toBe(R.sqpoll | R.sq_aff | R.no_sqarray | R.submit_all);
    expect(n.sqpoll_cpu).toBe(3);
    expect(n.cq_entries).toBe(4096);
    // CPUs 0 and 9: bit 0 of byte 0, bit 1 of byte 1
    expect(n.iowq_cpus.slice(0, 3)).toEqual([1, 2, 0]);
    expect(n.iowq_cpus.reduce((a, b) => a + b, 0)).toBe(3);
    expect(n.flags & abi.ZC_PLAN_BACKGROUND_POLL).toBe(abi.ZC_PLAN_BACKGROUND_POLL);
  });

  it("need their probed features, each with the setting that asks for it", () => {
    const got = needs(ALL).map((n) => `${n.feature} <- ${n.why}`);
    expect(got).toEqual(
      expect.arrayContaining([
        "sqpoll <- ring.flags: sqpoll",
        "sq_aff <- ring.flags: sq_aff",
        "no_sqarray <- ring.flags: no_sqarray",
        "submit_all <- ring.flags: submit_all",
        "cqsize <- ring.cqsize: 4096",
        "iowq_aff <- ring.iowq_cpus: [0, 9]",
        "background_poll <- socket.background_poll",
      ]),
    );
  });

  it("skip a case with the kernel's errno and the release that brought the feature", () => {
    const plan = planFor("{ ring: { flags: [no_sqarray] } }");
    expect(capabilitySkip(plan, capsWith({}))).toBeUndefined();
    expect(capabilitySkip(plan, capsWith({ no_sqarray: "EINVAL" }))).toBe(
      "ring.flags: no_sqarray needs ring with IORING_SETUP_NO_SQARRAY, one NOP, which fails here (EINVAL); IORING_SETUP_NO_SQARRAY came with Linux 6.6; remove no_sqarray from ring.flags",
    );
    expect(
      capabilitySkip(planFor(ALL), capsWith({ iowq_aff: "EINVAL", background_poll: "EINVAL" })),
    ).toMatch(
      /^ring\.iowq_cpus: \[0, 9\] needs io_uring_register_iowq_aff.*Linux 5\.14.*; socket\.background_poll needs IORING_OP_POLL_ADD POLLIN/,
    );
  });

  it("refuse the impossible combinations, each at its setting", () => {
    const codes = (defaults: string) =>
      specErrors(`version: 1\nname: t\ndefaults: ${defaults}\n`).map((d) => d.code);
    expect(codes("{ ring: { flags: [sq_aff], sqpoll_cpu: 0 } }")).toEqual(["ZC_RING_FLAGS"]);
    expect(codes("{ ring: { flags: [sqpoll, sq_aff] } }")).toEqual(["ZC_SQPOLL_CPU"]);
    expect(codes("{ ring: { flags: [sqpoll], sqpoll_cpu: 0 } }")).toEqual(["ZC_SQPOLL_CPU"]);
    expect(codes("{ mode: msg_zerocopy, socket: { background_poll: true } }")).toEqual([
      "ZC_BACKGROUND_POLL",
    ]);
    // the kernel compares the queues rounded up to powers of two
    expect(caseOf("{ ring: { entries: 1000, cqsize: 999 } }").ring.cqsize).toBe(999);
    expect(codes("{ ring: { entries: 1000, cqsize: 512 } }")).toEqual(["ZC_CQSIZE"]);
  });
});
