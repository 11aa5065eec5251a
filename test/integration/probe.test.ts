import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { release } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilitySkip, probeCapabilities } from "../../src/env/probe.js";
import { createSink } from "../../src/env/sink.js";
import type { Target } from "../../src/env/target.js";
import type { Capabilities } from "../../src/model/capabilities.js";
import { ZC_FEAT } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { CLI, integrationBlocker, NATIVE_LIB, nobodyBlocker, ROOT } from "../helpers/env.js";
import { planFor } from "../helpers/native.js";
import { writeSpec } from "../helpers/spawn.js";

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
    expect(text.stdout).toMatch(/send_zc\s+(yes|no \(E[A-Z]+\)|no: stopped by \S+ \(E[A-Z]+\))/);
    const json = spawnSync(process.execPath, [CLI, "probe", "--json", "-"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as Capabilities;
    // every feature of the ABI's enum zc_feature, each tried
    expect(Object.keys(parsed.features).sort()).toEqual(Object.keys(ZC_FEAT).sort());
    expect(parsed.features.send_zc).toEqual(caps.features.send_zc);
  });
  it("works for an unprivileged user and says what is refused there", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const unprivileged = nobodyBlocker();
    if (unprivileged) return ctx.skip(unprivileged);
    const r = spawnSync(process.execPath, [CLI, "probe", "--json", "-"], {
      cwd: ROOT,
      encoding: "utf8",
      uid: 65534,
      gid: 65534,
    });
    expect(r.status, r.stderr).toBe(0);
    const nobody = JSON.parse(r.stdout) as Capabilities;
    expect(nobody.capNetAdmin).toBe(false);
    // refused for want of a capability: a limit of this process, not a feature the kernel lacks
    expect(nobody.features.netns).toMatchObject({
      ok: false,
      error: "EPERM",
      limit: { what: "CAP_SYS_ADMIN" },
    });
    // io_uring itself needs no privilege
    expect(nobody.features.send_zc).toEqual(caps.features.send_zc);
  });
});

/**
 * RLIMIT_MEMLOCK is counted per user, across all of its processes: the
 * limited runs below use a uid of their own, so other tests' runs as nobody
 * (rings and buffers of their own) do not eat into the 64 KiB they test.
 */
const LIMITED_UID = "64016";

/** Why a test cannot run zcspec as an unprivileged user under a low RLIMIT_MEMLOCK, or undefined. */
function limitedUserBlocker(): string | undefined {
  const why = blocker ?? nobodyBlocker();
  if (why) return why;
  return existsSync("/usr/bin/prlimit") ? undefined : "prlimit (util-linux) is not installed";
}

/** The CLI as an unprivileged user (no CAP_IPC_LOCK) with RLIMIT_MEMLOCK at `memlock` bytes. */
function asLimitedUser(memlock: number, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const k of Object.keys(env)) if (k.startsWith("ZCSPEC_TEST_")) delete env[k];
  const r = spawnSync(
    "prlimit",
    [
      `--memlock=${memlock}:${memlock}`,
      "setpriv",
      `--reuid=${LIMITED_UID}`,
      `--regid=${LIMITED_UID}`,
      "--clear-groups",
      process.execPath,
      CLI,
      ...args,
    ],
    { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

const spec = (defaults: string) =>
  writeSpec(`version: 1\nname: limited\ndefaults: { ${defaults}, duration: 300ms, warmup: 0ms }\n`);

describe("a limit of this process is not a feature the kernel lacks", () => {
  it("under 64 KiB of RLIMIT_MEMLOCK the probe's small requests fit: send_zc and MSG_ZEROCOPY work", (ctx) => {
    const why = limitedUserBlocker();
    if (why) return ctx.skip(why);
    const r = asLimitedUser(65536, ["probe", "--json", "-"]);
    expect(r.code, r.all).toBe(0);
    const caps = JSON.parse(r.stdout) as Capabilities;
    expect(caps.memlock).toEqual({ soft: 65536, hard: 65536 });
    // not the probe's own rings, freed a moment after their close, counted against the limit
    for (const f of ["send_zc", "sendmsg_zc", "fixed_buf_send_zc", "msg_zerocopy"] as const)
      expect(caps.features[f], f).toEqual({ ok: true });
    const run = asLimitedUser(65536, ["run", spec("mode: msg_zerocopy, target: loopback")]);
    expect(run.code, run.all).toBe(0);
  });

  it("a send_zc case from plain buffers that does not fit under 64 KiB errors with the limit and what the spec could change (exit 3)", (ctx) => {
    const why = limitedUserBlocker();
    if (why) return ctx.skip(why);
    const r = asLimitedUser(65536, [
      "run",
      spec("mode: send_zc, target: loopback, buffers: { register: none }"),
    ]);
    expect(r.code, r.all).toBe(3);
    expect(r.stdout).toMatch(/^limited\s.*\serror$/m);
    expect(r.stdout).toContain(
      "(ENOMEM); RLIMIT_MEMLOCK is 64 KiB soft / 64 KiB hard here: raise it",
    );
    expect(r.stdout).toContain("`ulimit -l`");
    expect(r.stdout).toContain("LimitMEMLOCK=");
    expect(r.stdout).toContain("or, without privileges, lock less: a smaller ring.entries (512");
    expect(r.stdout).toContain("buffers.register: fixed");
  });

  it("registered buffers too big for the limit: the hint names buffers.count × buffers.size (exit 3)", (ctx) => {
    const why = limitedUserBlocker();
    if (why) return ctx.skip(why);
    const r = asLimitedUser(65536, [
      "run",
      spec("mode: send_zc, target: loopback, buffers: { size: 60000, count: 16 }"),
    ]);
    expect(r.code, r.all).toBe(3);
    expect(r.stdout).toContain("RLIMIT_MEMLOCK is too low; raise it with `ulimit -l`");
    expect(r.stdout).toContain("RLIMIT_MEMLOCK is 64 KiB soft / 64 KiB hard here;");
    expect(r.stdout).toContain(
      "fewer or smaller registered buffers (buffers.count × buffers.size = 16 × 60000 B",
    );
  });

  it("under a limit even the probe's requests do not fit (8 KiB): the probe says so and the case errors before it runs (exit 3)", (ctx) => {
    const why = limitedUserBlocker();
    if (why) return ctx.skip(why);
    const text = asLimitedUser(8192, ["probe"]);
    expect(text.code, text.all).toBe(0);
    expect(text.stdout).toMatch(/^ {2}send_zc +no: stopped by RLIMIT_MEMLOCK \(ENOMEM\) /m);
    expect(text.stdout).toContain(
      "stopped by a limit of this process, not missing from the kernel:",
    );
    expect(text.stdout).toMatch(
      /^ {2}RLIMIT_MEMLOCK \(8 KiB soft \/ 8 KiB hard\) stops send_zc, /m,
    );
    expect(text.stdout).toContain("`ulimit -l`");
    const json = asLimitedUser(8192, ["probe", "--json", "-"]);
    const caps = JSON.parse(json.stdout) as Capabilities;
    expect(caps.features.send_zc).toMatchObject({
      ok: false,
      error: "ENOMEM",
      limit: { what: "RLIMIT_MEMLOCK", value: "8 KiB soft / 8 KiB hard" },
    });
    // what the kernel lacks stays missing: no huge pages reserved is no limit of the process
    if (!caps.features.hugetlb.ok) expect(caps.features.hugetlb.limit).toBeUndefined();

    const r = asLimitedUser(8192, ["run", spec("mode: send_zc, target: loopback")]);
    expect(r.code, r.all).toBe(3);
    expect(r.stdout).toMatch(/^limited\s.*\serror$/m);
    expect(r.stdout).toContain(
      "mode: send_zc needs IORING_OP_SEND_ZC, one request to loopback, which this kernel has but RLIMIT_MEMLOCK (8 KiB soft / 8 KiB hard) stops here (ENOMEM)",
    );
    expect(r.stdout).toContain("`ulimit -l`");
    expect(r.stdout).not.toContain("skipped:");
  });

  describe("a low net.core.optmem_max, in a network namespace of the test's own", () => {
    const ns = `zcspec-optmem-${process.pid}`;
    /** Why the namespace cannot be made with a low optmem_max of its own, or undefined. */
    let nsBlocker: string | undefined;
    beforeAll(() => {
      nsBlocker = blocker;
      if (nsBlocker) return;
      if (spawnSync("ip", ["netns", "add", ns]).status !== 0) {
        nsBlocker = "ip netns add failed (iproute2 missing, or no CAP_SYS_ADMIN)";
        return;
      }
      // before 6.9 optmem_max is one for the whole machine: never lower the host's
      const own = spawnSync("ip", [
        "netns",
        "exec",
        ns,
        "test",
        "-e",
        "/proc/sys/net/core/optmem_max",
      ]);
      if (own.status !== 0) {
        nsBlocker = "net.core.optmem_max is not per network namespace on this kernel";
        return;
      }
      spawnSync("ip", ["netns", "exec", ns, "ip", "link", "set", "lo", "up"]);
      spawnSync("ip", ["netns", "exec", ns, "sysctl", "-q", "-w", "net.core.optmem_max=512"]);
    });
    afterAll(() => {
      spawnSync("ip", ["netns", "del", ns]);
    });
    const inNamespace = (args: string[]) => {
      const r = spawnSync("ip", ["netns", "exec", ns, process.execPath, CLI, ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 120_000,
      });
      return { code: r.status, stdout: r.stdout, all: r.stdout + r.stderr };
    };

    it("the probe names net.core.optmem_max for MSG_ZEROCOPY, with its value and the sysctl", (ctx) => {
      if (nsBlocker) return ctx.skip(nsBlocker);
      const json = inNamespace(["probe", "--json", "-"]);
      expect(json.code, json.all).toBe(0);
      const caps = JSON.parse(json.stdout) as Capabilities;
      expect(caps.features.msg_zerocopy).toMatchObject({
        ok: false,
        error: "ENOBUFS",
        limit: { what: "net.core.optmem_max", value: "512 bytes" },
      });
      const text = inNamespace(["probe"]);
      expect(text.stdout).toMatch(
        /^ {2}msg_zerocopy +no: stopped by net.core.optmem_max \(ENOBUFS\)/m,
      );
      expect(text.stdout).toContain("`sysctl -w net.core.optmem_max=");
    });

    it("a msg_zerocopy case whose sender is there errors with the hint (exit 3); on a sink target, whose namespace zcspec sets up, it runs", (ctx) => {
      if (nsBlocker) return ctx.skip(nsBlocker);
      const file = writeSpec(`version: 1
name: optmem
defaults: { mode: msg_zerocopy, duration: 300ms, warmup: 0ms }
matrix:
  target: [loopback, sink]
`);
      const r = inNamespace(["run", file]);
      expect(r.code, r.all).toBe(3);
      expect(r.stdout).toMatch(/^target=loopback\s.*\serror$/m);
      expect(r.stdout).toMatch(/^target=sink\s.*\spassed$/m);
      expect(r.stdout).toContain(
        "target=loopback: error: mode: msg_zerocopy needs sendmsg MSG_ZEROCOPY, completion from the error queue, which this kernel has but net.core.optmem_max (512 bytes) stops here (ENOBUFS); raise it with `sysctl -w net.core.optmem_max=",
      );
    });
  });
});
