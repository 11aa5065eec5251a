import { describe, expect, it } from "vitest";
import { capabilitySkip } from "../../src/env/probe.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { registeredFrags } from "../../src/spec/rules/iov.js";
import { capsWith, caseOf, LOOPBACK4, planFor } from "../helpers/native.js";

const features = (defaults: string) => planFor(defaults).needs.features.map((n) => n.feature);

describe("buffers.iov in the plan", () => {
  it("defaults to 1 and reaches zc_plan.iov as written", () => {
    expect(toNativePlan(planFor("{}"), LOOPBACK4).iov).toBe(1);
    for (const iov of [2, 17, 64])
      expect(
        toNativePlan(planFor(`{ mode: sendmsg, buffers: { iov: ${iov} } }`), LOOPBACK4).iov,
      ).toBe(iov);
  });

  it("registers none for a vectored send_zc under register: auto, as before for sendmsg_zc", () => {
    expect(planFor("{ mode: send_zc, buffers: { iov: 1 } }").fixedBuf).toBe(true);
    expect(planFor("{ mode: send_zc, buffers: { iov: 2 } }").fixedBuf).toBe(false);
    expect(
      planFor("{ mode: sendmsg_zc, socket: { type: tcp }, buffers: { iov: 64 } }").fixedBuf,
    ).toBe(true);
  });

  it("needs the probed IORING_SEND_VECTORIZED for send and send_zc (and such kinds of a mix) with iov > 1 only", () => {
    expect(features("{ mode: send, buffers: { iov: 2 } }")).toContain("send_vectorized");
    expect(features("{ mode: send_zc, buffers: { iov: 64 } }")).toContain("send_vectorized");
    expect(features("{ mode: send_zc, buffers: { iov: 1 } }")).not.toContain("send_vectorized");
    for (const mode of ["sendmsg", "sendmsg_zc", "msg_zerocopy", "sendto"])
      expect(features(`{ mode: ${mode}, buffers: { iov: 8 } }`), mode).not.toContain(
        "send_vectorized",
      );
    expect(
      features(
        "{ mode: mixed, mix: { weights: { send: 1, sendmsg_zc: 1 } }, buffers: { iov: 3 } }",
      ),
    ).toContain("send_vectorized");
    expect(
      features(
        "{ mode: mixed, mix: { weights: { sendmsg: 1, sendmsg_zc_fixed: 1 } }, buffers: { iov: 3 } }",
      ),
    ).not.toContain("send_vectorized");
  });

  it("is skipped with the setting and the kernel's errno where the kernel lacks it", () => {
    const plan = planFor("{ mode: send, buffers: { iov: 4 } }");
    expect(capabilitySkip(plan, capsWith({}))).toBeUndefined();
    expect(capabilitySkip(plan, capsWith({ send_vectorized: "EINVAL" }))).toBe(
      "buffers.iov: 4 with mode: send needs IORING_OP_SEND_ZC with IORING_SEND_VECTORIZED, two iovecs, which fails here (EINVAL); IORING_SEND_VECTORIZED came with Linux 6.17; sendmsg and sendmsg_zc take iovecs on any kernel",
    );
    expect(
      capabilitySkip(
        planFor("{ mode: sendmsg, buffers: { iov: 4 } }"),
        capsWith({ send_vectorized: "EINVAL" }),
      ),
    ).toBeUndefined();
  });
});

describe("skb fragments of a registered payload in pieces", () => {
  const frags = (buffers: string) =>
    registeredFrags(caseOf(`{ mode: sendmsg_zc, buffers: ${buffers} }`));

  it("counts one per piece where no piece crosses a page", () => {
    // 4000 bytes from a page boundary: 1 page; 1000-byte pieces
    expect(frags("{ size: 4000, iov: 4 }")).toBe(4);
    expect(frags("{ size: 4000, iov: 1 }")).toBe(1);
  });

  it("adds one for each page boundary inside a piece", () => {
    // 8192 bytes in two 4096-byte pieces: the boundary falls between them
    expect(frags("{ size: 8192, iov: 2 }")).toBe(2);
    // three pieces of 2731, 2731, 2730: the page boundary at 4096 cuts the second
    expect(frags("{ size: 8192, iov: 3 }")).toBe(4);
    // an offset moves the payload across a boundary: 100 bytes from 4050
    expect(frags("{ size: 100, iov: 1, offset: 4050, align: 4096 }")).toBe(2);
  });

  it("takes the slot that crosses most, when slots do not start on page boundaries", () => {
    // 64-byte aligned slots of 2048 bytes: every other slot starts mid-page; none crosses
    expect(frags("{ size: 2048, iov: 2, count: 4, align: 64 }")).toBe(2);
    // 3000-byte slots: the second starts at 3000 and crosses 4096 inside its first piece
    expect(frags("{ size: 3000, iov: 2, count: 2, align: 8 }")).toBe(3);
  });
});
