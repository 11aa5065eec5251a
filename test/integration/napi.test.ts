import { release } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findTool } from "../../src/env/command.js";
import { probeCapabilities } from "../../src/env/probe.js";
import type { RunResult } from "../../src/model/results.js";
import { loadNative } from "../../src/native/library.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { integrationBlocker, NATIVE_LIB, ROOT } from "../helpers/env.js";
import { featureSkip } from "../helpers/native.js";

const blocker = integrationBlocker();
const lib = () => loadNative(NATIVE_LIB);
const [major = 0, minor = 0] = release().split(".").map(Number);
const since69 = major > 6 || (major === 6 && minor >= 9);

describe("the napi probe", () => {
  it("registers NAPI busy poll on a ring and takes it back where the kernel has it", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const f = probeCapabilities(lib()).features.napi;
    if (!since69) return expect(f.ok, JSON.stringify(f)).toBe(false);
    // 6.9+: works, unless built without CONFIG_NET_RX_BUSY_POLL (then EOPNOTSUPP)
    if (!f.ok) expect(JSON.stringify(f)).toContain("EOPNOTSUPP");
    else expect(f.ok).toBe(true);
  });
});

const DEFAULTS = `{ mode: send_zc, target: pair, socket: { type: tcp, background_poll: true }, pair: { gro: true }, ring: { napi: { busy_poll_us: 50 } } }`;

const SPEC = `version: 1
name: napi
defaults:
  mode: send_zc
  target: pair
  requests: 2000
  duration: 10s
  warmup: 0ms
  batch: 1
  buffers: { size: 4000, pattern: sequence }
  socket: { type: tcp, background_poll: true }
  pair: { gro: true }
matrix:
  ring.napi.busy_poll_us: [0, 50]
`;

describe("NAPI busy poll on the pair with GRO", () => {
  const skip = () =>
    blocker ??
    (findTool("ethtool") ? undefined : "ethtool is not installed (pair.gro needs it)") ??
    featureSkip(DEFAULTS);
  let result: RunResult;
  beforeAll(async () => {
    if (skip()) return;
    result = await runSpec(readSpecText(join(ROOT, "test/napi.yaml"), SPEC));
  }, 60_000);

  it("is registered where asked, on a socket that has a NAPI ID, and every byte arrives", (ctx) => {
    const why = skip();
    if (why) return ctx.skip(why);
    expect(result.results).toHaveLength(2);
    for (const r of result.results) {
      const name = `${r.case.name}: ${r.reason ?? ""}`;
      expect(r.status, name).toBe("passed");
      expect(r.topology?.gro, name).toBe(true);
      expect(r.measured?.requests, name).toBe(2000);
      expect(r.measured?.target?.rxBytes, name).toBe(r.measured?.bytes);
      expect(r.measured?.target?.rxMismatches, name).toBe(0);
    }
    const [off, on] = result.results;
    expect(off?.measured?.napi).toBeUndefined();
    expect(on?.measured?.napi).toMatchObject({ rings: 1, busyPollUs: 50, preferBusyPoll: false });
    // the ACKs came through the sender's veth NAPI: busy poll has that instance to poll
    expect(on?.measured?.napi?.napiId).toBeGreaterThan(0);
  });
});
