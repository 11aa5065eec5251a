import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listZcspecNamespaces } from "../../src/env/netns.js";
import type { RunResult } from "../../src/model/results.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { withTiming } from "../../src/spec/override.js";
import { readSpec } from "../../src/spec/read.js";
import { integrationBlocker, ROOT } from "../helpers/env.js";

const blocker = integrationBlocker();

describe("the example spec on the sink", () => {
  let run: RunResult;

  beforeAll(async () => {
    if (blocker) return;
    const spec = await readSpec(join(ROOT, "specs/examples/udp-sink.yaml"));
    run = await runSpec(withTiming(spec, { durationNs: 300e6, warmupNs: 50e6 }));
  });

  it("runs send and send_zc at 600, 4000 and 8000 bytes", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    expect(run.results.map((r) => [r.case.mode, r.case.buffers.size])).toEqual([
      ["send", 600],
      ["send", 4000],
      ["send", 8000],
      ["send_zc", 600],
      ["send_zc", 4000],
      ["send_zc", 8000],
    ]);
    for (const r of run.results) {
      expect(r.reason, r.case.name).toBeUndefined();
      expect(r.status, r.case.name).toBe("passed");
    }
  });

  it("sends, measures the window it was asked for, and sees no errors", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const r of run.results) {
      const m = r.measured;
      expect(m?.requests, r.case.name).toBeGreaterThan(0);
      expect(m?.errors, r.case.name).toBe(0);
      expect(m?.bytes, r.case.name).toBe((m?.requests ?? 0) * r.case.buffers.size);
      // the loop stops at the first batch boundary past the window (a batch
      // takes microseconds; the bound only allows for a loaded machine)
      expect(m?.elapsedNs, r.case.name).toBeGreaterThanOrEqual(300e6);
      expect(m?.elapsedNs, r.case.name).toBeLessThan(2e9);
    }
  });

  it("counts one notification per send_zc request and none for send", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const r of run.results) {
      const m = r.measured;
      expect(m?.completions, r.case.name).toBe(m?.requests);
      expect(m?.notifications, r.case.name).toBe(r.case.mode === "send_zc" ? m?.requests : 0);
    }
  });

  it("sees every request dropped by the sink device", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const r of run.results) {
      // warmup packets are dropped too, so the counter is at least the measured requests
      expect(r.measured?.target.txDropped, r.case.name).toBeGreaterThanOrEqual(
        r.measured?.requests ?? 1,
      );
    }
  });

  it("leaves no namespace behind", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const mine = (await listZcspecNamespaces()).filter((n) =>
      n.startsWith(`zcspec-${process.pid}-`),
    );
    expect(mine).toEqual([]);
  });
});
