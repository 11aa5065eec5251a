import { describe, expect, it } from "vitest";
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
  });
});
