import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openTarget } from "../../src/env/open.js";
import type { CaseResult, RunResult, SuiteResult } from "../../src/model/results.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpec, readSpecText } from "../../src/spec/read.js";
import {
  AS_NOBODY,
  integrationBlocker,
  NATIVE_LIB,
  nobodyBlocker,
  ROOT,
  sanitizerEnv,
  userNamespaceBlocker,
} from "../helpers/env.js";
import { runCorrupted } from "../helpers/native.js";
import { caseSending, startCli, writeSpec } from "../helpers/spawn.js";
import { tempDir } from "../helpers/temp.js";

/** loopback needs only the built library; pair needs namespaces too */
const loopbackBlocker = existsSync(NATIVE_LIB)
  ? undefined
  : `native library not built (${NATIVE_LIB}); run npm run build:native`;
const pairBlocker = integrationBlocker();

const GB = 1e9;

/**
 * 90,000 datagrams of 16,000 bytes = 1.44 GB per target, verified byte by
 * byte. The count stops the case (the duration only bounds it), so the
 * volume does not depend on how fast this machine is; the margin over 1 GB
 * absorbs what UDP may drop on a loaded machine. (send, not send_zc: zerocopy
 * skbs are copied on local receive and overflow the receive queue sooner.)
 */
const BULK = `version: 1
name: bulk
defaults:
  socket: { family: ipv4, type: udp, sndbuf: 4MiB }
  buffers: { register: auto, size: 16000, count: 1 }
  batch: 8
  requests: 90000
  duration: 5s
  warmup: 0ms
cases:
  - { name: loopback-bulk, target: loopback, mode: send }
  - { name: pair-bulk, target: pair, mode: send }
  # TCP: nothing may be lost, so every byte sent is a byte received
  - name: loopback-tcp
    target: loopback
    mode: send_zc
    socket: { type: tcp }
    buffers: { count: 4, pattern: sequence }
    batch: 1
    requests: 70000
  - name: pair-tcp
    target: pair
    mode: send_zc
    socket: { type: tcp }
    buffers: { count: 4, pattern: sequence }
    batch: 1
    requests: 70000
`;

/** Short cases over both families on every local target. */
const FAMILIES = `version: 1
name: families
defaults:
  socket: { type: udp }
  buffers: { size: 4000, count: 1 }
  duration: 100ms
  warmup: 20ms
matrix:
  target: [loopback, pair, sink]
  socket.family: [ipv4, ipv6]
  mode: [send_zc]
`;

function byName(run: RunResult, name: string): CaseResult {
  const r = run.results.find((x) => x.case.name === name);
  if (!r) throw new Error(`no case ${name}`);
  return r;
}

describe("loopback and pair with the verifying receiver", () => {
  let bulk: RunResult;
  let families: RunResult;

  beforeAll(async () => {
    if (loopbackBlocker) return;
    bulk = await runSpec(readSpecText(join(ROOT, "test/bulk.yaml"), BULK));
    families = await runSpec(readSpecText(join(ROOT, "test/families.yaml"), FAMILIES));
  }, 60_000);

  for (const [name, blocker] of [
    ["loopback-bulk", loopbackBlocker],
    ["pair-bulk", pairBlocker],
  ] as const) {
    it(`${name}: more than 1 GB arrives with 0 mismatched bytes`, (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const r = byName(bulk, name);
      expect(r.reason, name).toBeUndefined();
      expect(r.status, name).toBe("passed");
      const t = r.measured?.target;
      expect(r.measured?.requests).toBe(90_000);
      expect(t?.rxBytes).toBeGreaterThan(GB);
      expect(t?.rxMismatches).toBe(0);
      // UDP may drop under load; what did arrive came whole
      expect(t?.rxBytes).toBe((t?.rxDatagrams ?? 0) * 16000);
      expect(r.checks.map((c) => c.name)).toContain("received pattern mismatches");
    });
  }

  for (const [name, blocker] of [
    ["loopback-tcp", loopbackBlocker],
    ["pair-tcp", pairBlocker],
  ] as const) {
    it(`${name}: every byte of a 1.12 GB TCP stream arrives as the pattern says`, (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const r = byName(bulk, name);
      expect(r.status, `${name}: ${r.reason}`).toBe("passed");
      const t = r.measured?.target;
      expect(r.measured?.bytes).toBe(70_000 * 16_000);
      expect(t?.rxBytes).toBe(r.measured?.bytes);
      expect(t?.rxMismatches).toBe(0);
      expect(t?.rxDatagrams).toBeUndefined();
    });
  }

  it("runs IPv4 and IPv6 on every local target, received and verified or dropped by the sink", (ctx) => {
    if (pairBlocker) return ctx.skip(pairBlocker);
    expect(families.results).toHaveLength(6);
    for (const r of families.results) {
      const t = r.measured?.target;
      expect(r.status, `${r.case.name}: ${r.reason}`).toBe("passed");
      expect(r.topology?.family).toBe(r.case.socket.family);
      if (r.case.target === "sink") {
        expect(t?.txDropped, r.case.name).toBeGreaterThanOrEqual(r.measured?.requests ?? 1);
      } else {
        expect(t?.rxDatagrams, r.case.name).toBeGreaterThan(0);
        expect(t?.rxMismatches, r.case.name).toBe(0);
      }
    }
  });

  it("describes the pair's topology: two namespaces of this process, veth MTU 65535", (ctx) => {
    if (pairBlocker) return ctx.skip(pairBlocker);
    const t = byName(bulk, "pair-bulk").topology;
    expect(t?.namespaces).toHaveLength(2);
    for (const n of t?.namespaces ?? []) expect(n).toMatch(new RegExp(`^zcspec-${process.pid}-`));
    expect(t?.mtu).toBe(65535);
    expect(t?.sysctls?.["net.core.optmem_max"]).toBeGreaterThan(0);
    expect(t?.destination).toContain("198.18.0.2");
  });

  it("sets sysctls inside the pair's namespaces and never on the host", async (ctx) => {
    if (pairBlocker) return ctx.skip(pairBlocker);
    const host = () => readFileSync("/proc/sys/net/core/optmem_max", "utf8").trim();
    const before = host();
    const [c] = readSpecText("t.yaml", "version: 1\nname: t\ndefaults: { target: pair }\n").cases;
    if (!c) throw new Error("no case");
    const pair = await openTarget(c);
    try {
      for (const ns of pair.topology.namespaces) {
        const inside = execFileSync(
          "ip",
          ["netns", "exec", ns, "sysctl", "-n", "net.core.optmem_max"],
          {
            encoding: "utf8",
          },
        ).trim();
        expect(Number(inside)).toBe(pair.topology.sysctls?.["net.core.optmem_max"]);
      }
      expect(host()).toBe(before);
      if (pair.topology.sysctls?.["net.core.optmem_max"] === Number(before))
        ctx.skip(
          "the host's optmem_max already has the namespaces' value: isolation is not observable",
        );
    } finally {
      await pair.close();
    }
  });

  it("attaches one environment record to every result", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const env = bulk.environment;
    for (const r of bulk.results) expect(r.environment).toBe(env);
    expect(env.kernel).toBe(release());
    expect(env.liburing).toBe(
      execFileSync("pkg-config", ["--modversion", "liburing"], { encoding: "utf8" }).trim(),
    );
    expect(env.cpu.count).toBeGreaterThan(0);
    expect(env.cpu.model).not.toBe("");
    expect(env.sysctls["net.core.wmem_max"]).toMatch(/^\d+$/);
    expect(env.zcspec).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names the git commit of a spec that sits in a repository", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const spec = await readSpec(join(ROOT, "specs/examples/udp-sink.yaml"));
    const run = await runSpec({ ...spec, cases: [] });
    expect(run.environment.spec).toEqual({ file: spec.file, commit: head, dirty: false });
  });
});

describe("the receiver under ASan and UBSan", () => {
  it("receives UDP and TCP on loopback and pair, both families, cleanly", async (ctx) => {
    if (pairBlocker) return ctx.skip(pairBlocker);
    const sanitizer = sanitizerEnv();
    if ("skip" in sanitizer) return ctx.skip(sanitizer.skip);
    const spec = `version: 1
name: asan
defaults: { mode: send_zc, buffers: { size: 4000, count: 2 }, duration: 100ms, warmup: 20ms }
matrix:
  target: [loopback, pair]
  socket.family: [ipv4, ipv6]
  socket.type: [udp, tcp]
`;
    const r = await startCli(["run", writeSpec(spec)], {
      env: sanitizer.env,
    }).exited;
    expect(r.stderr).not.toContain("AddressSanitizer");
    expect(r.stderr).not.toContain("runtime error");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/ passed$/gm)).toHaveLength(8);
  });
});

describe("safety and privileges", () => {
  it("detects a corrupted payload byte and fails the case (ZCSPEC_TEST_CORRUPT_PATTERN)", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const run = await runCorrupted(
      "test/corrupt.yaml",
      `version: 1
name: corrupt
defaults: { target: loopback, mode: send, buffers: { size: 4000, count: 2 }, duration: 100ms, warmup: 0ms }
matrix:
  socket.type: [udp, tcp]
`,
    );
    for (const r of run.results) {
      const t = r.measured?.target;
      // the switch flips one byte of every payload: one mismatch per payload received
      const payloads = r.case.socket.type === "udp" ? t?.rxDatagrams : r.measured?.requests;
      expect(payloads, r.case.name).toBeGreaterThan(0);
      expect(t?.rxMismatches, r.case.name).toBe(payloads);
      expect(r.status, r.case.name).toBe("failed");
      expect(r.checks.find((c) => !c.pass)?.reason).toBe(
        `received pattern mismatches: expected 0, got ${payloads}`,
      );
    }
  });

  it("refuses a remote target without --allow-remote, saying why, before sending anything", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const file = writeSpec(`version: 1
name: far
defaults: { target: remote, remote: { address: 192.0.2.1, port: 9 }, duration: 100ms, warmup: 0ms }
`);
    const r = await startCli(["run", file]).exited;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error[ZC_REMOTE_REFUSED]");
    expect(r.stderr).toContain("192.0.2.1:9");
    expect(r.stderr).toContain("traffic would leave this machine");
    expect(r.stderr).toContain("--allow-remote");
    expect(r.stderr).not.toContain("[1/1]"); // no case started
  });

  it("lets a run leave its remote cases out with --case instead of refusing it whole", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const file = writeSpec(`version: 1
name: mixed
defaults: { mode: send, duration: 100ms, warmup: 0ms }
cases:
  - { name: far, target: remote, remote: { address: 192.0.2.1, port: 9 } }
  - { name: near, target: loopback }
`);
    const refused = await startCli(["run", file]).exited;
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("--grep/--case");
    const r = await startCli(["run", file, "--case", "near"]).exited;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^near\s.*passed$/m);
    expect(r.stdout).not.toMatch(/^far\s/m);
  });

  const NOBODY = `version: 1
name: nobody
defaults: { mode: send, buffers: { size: 4000, count: 1 }, duration: 100ms, warmup: 0ms }
matrix:
  target: [loopback, pair, sink]
`;
  it("as an unprivileged user without user namespaces: namespace targets skip with the reason, loopback runs", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const nobody = nobodyBlocker();
    if (nobody) return ctx.skip(nobody);
    const r = await startCli(["run", writeSpec(NOBODY)], {
      prefix: AS_NOBODY,
      env: { ZCSPEC_USERNS: "off" },
    }).exited;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^target=loopback\s.*\spassed$/m);
    expect(r.stdout).toMatch(/^target=pair\s.*\sskipped$/m);
    expect(r.stdout).toMatch(/^target=sink\s.*\sskipped$/m);
    expect(r.stdout).toContain(
      "target=pair: skipped: the pair target needs CAP_NET_ADMIN and CAP_SYS_ADMIN to create network namespaces",
    );
  });

  it("as an unprivileged user: zcspec re-runs itself in a user namespace and every target runs", async (ctx) => {
    const why = userNamespaceBlocker();
    if (why) return ctx.skip(why);
    const r = await startCli(["run", writeSpec(NOBODY)], { prefix: AS_NOBODY }).exited;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const t of ["loopback", "pair", "sink"])
      expect(r.stdout).toMatch(new RegExp(`^target=${t}\\s.*\\spassed$`, "m"));
  });

  it("as an unprivileged user: the first SIGINT still stops gracefully and writes partial results", async (ctx) => {
    const why = userNamespaceBlocker();
    if (why) return ctx.skip(why);
    const out = join(tempDir("nobody"), "r.json");
    chmodSync(dirname(out), 0o777);
    const long = NOBODY.replace("duration: 100ms", "duration: 3s");
    const { child, exited } = startCli(["run", writeSpec(long), "--json", out], {
      prefix: AS_NOBODY,
      detached: true,
    });
    // into the first case: the run re-executed inside the user namespace is sending
    await caseSending(child);
    // Ctrl-C signals the terminal's whole process group
    process.kill(-(child.pid as number), "SIGINT");
    const r = await exited;
    expect(r.code, r.stderr).toBe(130);
    // said once, by the run that stops, not again by the process that re-executed it
    expect(r.stderr.match(/SIGINT: stopping after the current case/g)).toHaveLength(1);
    const saved = JSON.parse(readFileSync(out, "utf8")) as SuiteResult;
    expect(saved.partial).toBe(true);
    expect(saved.runs[0]?.results.map((x) => x.status)).toEqual(["error", "skipped", "skipped"]);
  });
});
