import { describe, expect, it } from "vitest";
import { invariants } from "../../src/assert/invariants.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { compileCase } from "../../src/plan/compile.js";
import { readSpecText } from "../../src/spec/read.js";
import { LOOPBACK4 } from "../helpers/native.js";
import { figures } from "../helpers/results.js";
import { specErrors } from "../helpers/spec.js";

const HEAD = "version: 1\nname: t\n";

function one(body: string) {
  const [c] = readSpecText("t.yaml", HEAD + body).cases;
  if (!c) throw new Error("no case");
  return c;
}

const problems = (body: string) => specErrors(HEAD + body);

describe("mode: mixed", () => {
  it("defaults to the selftest's -m 3 mix, drawn at random from seed 1, and registers for it", () => {
    const c = one("defaults: { mode: mixed }\n");
    expect(c.mix).toEqual({
      weights: { send: 1, send_zc: 1, send_zc_fixed: 1 },
      order: "random",
      seed: 1,
    });
    const plan = compileCase(c);
    expect(plan.mode).toBe("mixed");
    expect(plan.fixedBuf).toBe(true);
    expect(plan.mixedBuf).toBe(false);
    expect(plan.mix).toEqual(c.mix);
    expect(plan.needs.features.filter((f) => f.why.startsWith("mix."))).toEqual([
      { feature: "send_zc", why: "mix.weights.send_zc" },
      { feature: "send_zc", why: "mix.weights.send_zc_fixed" },
      { feature: "fixed_buf_send_zc", why: "mix.weights.send_zc_fixed" },
    ]);
    // zc_plan: mode 6, a weight per enum zc_kind (send 0, send_zc 2, send_zc_fixed 3)
    const native = toNativePlan(plan, LOOPBACK4);
    expect(native.mode).toBe(6);
    expect(native.mix).toEqual([1, 0, 1, 1, 0, 0, 0, 0]);
    expect(native.mix_order).toBe(0);
    expect(native.mix_seed).toBe(1);
  });

  it("takes stated weights as written (a kind left out weighs 0), a rotation and a seed", () => {
    const c = one(
      "defaults: { mode: mixed, mix: { weights: { sendmsg: 2, sendmsg_zc: 1 }, order: rotate, seed: 42 } }\n",
    );
    const plan = compileCase(c);
    expect(plan.fixedBuf).toBe(false);
    const native = toNativePlan(plan, LOOPBACK4);
    expect(native.mix).toEqual([0, 0, 0, 0, 2, 0, 1, 0]);
    expect(native.mix_order).toBe(1);
    expect(native.mix_seed).toBe(42);
    expect(plan.needs.features.filter((f) => f.why.startsWith("mix."))).toEqual([
      { feature: "sendmsg_zc", why: "mix.weights.sendmsg_zc" },
    ]);
  });

  it("leaves single-mode plans' mix empty even when defaults carry one", () => {
    const [zc, mixed] = readSpecText(
      "t.yaml",
      `${HEAD}defaults: { mix: { weights: { send: 1, send_zc: 3 } } }\nmatrix:\n  mode: [send_zc, mixed]\n`,
    ).cases;
    if (!zc || !mixed) throw new Error("cases missing");
    expect(compileCase(zc).mix).toBeUndefined();
    expect(toNativePlan(compileCase(zc), LOOPBACK4).mix).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(compileCase(mixed).mix?.weights).toEqual({ send: 1, send_zc: 3 });
  });

  it("refuses a mix nothing uses, a mix of nothing, and a register setting of its own", () => {
    const [unused] = problems("defaults: { mode: send_zc, mix: { order: rotate } }\n");
    expect(unused).toMatchObject({ code: "ZC_MIX", line: 3 });
    expect(unused?.hint).toContain("set mode: mixed");
    const [empty] = problems("defaults: { mode: mixed, mix: { weights: { send: 0 } } }\n");
    expect(empty).toMatchObject({ code: "ZC_MIX", line: 3 });
    expect(empty?.message).toContain("every weight of mix.weights is 0");
    const [register] = problems("defaults: { mode: mixed, buffers: { register: none } }\n");
    expect(register).toMatchObject({ code: "ZC_MIX" });
    expect(register?.message).toBe(
      "buffers.register: none, but mix.weights sends send_zc_fixed from registered buffers",
    );
    const [alternate] = problems("defaults: { mode: mixed, buffers: { register: mixed } }\n");
    expect(alternate?.message).toContain("has no say with mode: mixed");
    // fixed registers whatever the mix; none is fine for a mix without _fixed kinds
    expect(
      compileCase(
        one(
          "defaults: { mode: mixed, mix: { weights: { send: 1 } }, buffers: { register: fixed } }\n",
        ),
      ).fixedBuf,
    ).toBe(true);
    expect(
      compileCase(
        one(
          "defaults: { mode: mixed, mix: { weights: { send_zc: 1 } }, buffers: { register: none } }\n",
        ),
      ).fixedBuf,
    ).toBe(false);
    const [skip] = problems("defaults: { mode: mixed, ring: { cqe_skip_success: true } }\n");
    expect(skip).toMatchObject({ code: "ZC_CQE_SKIP_ZC" });
    // a mix of copies only may skip completions (the executor still refuses: not implemented)
    expect(
      one(
        "defaults: { mode: mixed, mix: { weights: { send: 1 } }, ring: { cqe_skip_success: true } }\n",
      ).ring.cqe_skip_success,
    ).toBe(true);
  });
});

describe("invariants of a mixed case", () => {
  const c = {
    mode: "mixed" as const,
    notifications: { reuse: "immediate" as const, report_usage: false },
    batch: 8,
    socket: { cork: "none" as const, type: "udp" as const },
  };

  it("owe one notification per zerocopy request the executor drew, none per copy", () => {
    const m = figures(1000); // 100 requests
    const held = invariants(c, { ...m, zcSent: 60, zcRequests: 60, notifications: 60 });
    expect(held.filter((k) => !k.pass)).toEqual([]);
    const failed = invariants(c, { ...m, zcSent: 60, zcRequests: 61, notifications: 61 }).filter(
      (k) => !k.pass,
    );
    expect(failed.map((k) => k.reason)).toEqual([
      "requests owing a notification: expected 60, got 61",
    ]);
  });
});
