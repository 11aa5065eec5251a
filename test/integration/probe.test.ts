import { spawnSync } from "node:child_process";
import { release } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilitySkip, probeCapabilities } from "../../src/env/probe.js";
import { createSink } from "../../src/env/sink.js";
import type { Target } from "../../src/env/target.js";
import type { Capabilities } from "../../src/model/capabilities.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { CLI, integrationBlocker, NATIVE_LIB, nobodyBlocker, ROOT } from "../helpers/env.js";
import { planFor } from "../helpers/native.js";

const blocker = integrationBlocker();

describe("the capability probe", () => {
  let caps: Capabilities;
  let sink: Target;
  beforeAll(async () => {
    if (blocker) return;
    caps = probeCapabilities(loadNative(NATIVE_LIB));
    sink = await createSink();
  });
  afterAll(async () => {
    await sink?.close();
  });

  it("names the kernel, the liburing it was built with and the ops IORING_REGISTER_PROBE lists", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    expect(caps.kernel).toBe(release());
    const pc = spawnSync("pkg-config", ["--modversion", "liburing"], { encoding: "utf8" });
    expect(caps.liburing).toBe(pc.stdout.trim());
    expect(caps.ops).toContain("NOP");
    // the op list and the real request agree about SEND_ZC
    expect(caps.ops.includes("SEND_ZC")).toBe(caps.features.send_zc.ok);
  });

  it("agrees with what a real case does, feature by feature", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const tries: [keyof Capabilities["features"], string][] = [
      ["fixed_buf_send", "mode: send, buffers: { register: fixed }"],
      ["fixed_buf_send_zc", "mode: send_zc, buffers: { register: fixed }"],
      ["fixed_buf_sendmsg_zc", "mode: sendmsg_zc, buffers: { register: fixed }"],
      ["report_usage", "mode: send_zc, notifications: { report_usage: true }"],
      ["sqpoll", "mode: send, ring: { flags: [sqpoll] }"],
      ["defer_taskrun", "mode: send, ring: { flags: [single_issuer, defer_taskrun] }"],
      ["hugetlb", "mode: send, buffers: { hugetlb: true }"],
    ];
    for (const [feature, params] of tries) {
      const plan = planFor(`{ ${params}, requests: 8, duration: 1s, warmup: 0 }`);
      const m = measure(await loadNative(NATIVE_LIB).runCase(toNativePlan(plan, sink)));
      const state = caps.features[feature];
      const failed = m.errors > 0 || m.requests === 0;
      expect(failed, `${feature}: probe says ${JSON.stringify(state)}`).toBe(!state.ok);
      if (state.ok) expect(capabilitySkip(plan, caps)).toBeUndefined();
      else expect(capabilitySkip(plan, caps)).toContain(`(${state.error})`);
    }
  });

  it("makes the runner skip a case this kernel cannot run, with the reason", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    if (caps.features.fixed_buf_send.ok)
      return ctx.skip("this kernel takes registered buffers on IORING_OP_SEND");
    const spec = readSpecText(
      "t.yaml",
      "version: 1\nname: t\ndefaults: { mode: send, buffers: { register: fixed }, duration: 10ms, warmup: 0 }\n",
    );
    const run = await runSpec(spec);
    expect(run.results[0]?.status).toBe("skipped");
    expect(run.results[0]?.reason).toMatch(
      /registered buffers with mode: send needs IORING_OP_SEND with a registered buffer, which fails here \(EINVAL\)/,
    );
  });

  it("skips hugetlb buffers with the reason when no huge pages are reserved", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const plan = planFor("{ buffers: { hugetlb: true } }");
    if (caps.features.hugetlb.ok) {
      expect(capabilitySkip(plan, caps)).toBeUndefined();
      return ctx.skip("huge pages are reserved here: the hugetlb case runs (checked above)");
    }
    expect(capabilitySkip(plan, caps)).toContain(
      "buffers.hugetlb needs mmap of one 2 MiB MAP_HUGETLB page",
    );
    expect(capabilitySkip(plan, caps)).toContain("vm.nr_hugepages");
  });

  it("prints the findings with `zcspec probe` and `--json`", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const text = spawnSync(process.execPath, [CLI, "probe"], { cwd: ROOT, encoding: "utf8" });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`kernel         ${release()}`);
    expect(text.stdout).toMatch(/send_zc\s+(yes|no \(E[A-Z]+\))/);
    const json = spawnSync(process.execPath, [CLI, "probe", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as Capabilities;
    expect(Object.keys(parsed.features)).toHaveLength(16);
    expect(parsed.features.send_zc).toEqual(caps.features.send_zc);
  });
  it("works for an unprivileged user and says what is refused there", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const unprivileged = nobodyBlocker();
    if (unprivileged) return ctx.skip(unprivileged);
    const r = spawnSync(process.execPath, [CLI, "probe", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      uid: 65534,
      gid: 65534,
    });
    expect(r.status, r.stderr).toBe(0);
    const nobody = JSON.parse(r.stdout) as Capabilities;
    expect(nobody.capNetAdmin).toBe(false);
    expect(nobody.features.netns).toEqual({ ok: false, error: "EPERM" });
    // io_uring itself needs no privilege
    expect(nobody.features.send_zc).toEqual(caps.features.send_zc);
  });
});
