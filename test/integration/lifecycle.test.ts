import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { listZcspecNamespaces, reapStaleNamespaces } from "../../src/env/netns.js";
import { integrationBlocker } from "../helpers/env.js";
import { caseSending, startCli, writeSpec } from "../helpers/spawn.js";
import { pollUntil } from "../helpers/wait.js";

const blocker = integrationBlocker();

/** A pair case long enough to be interrupted in the middle. */
const LONG = `version: 1
name: long
defaults: { target: pair, mode: send, buffers: { size: 4000, count: 1 }, duration: 3s, warmup: 0ms }
`;
const SHORT = `version: 1
name: short
defaults: { target: sink, mode: send, buffers: { size: 4000, count: 1 }, duration: 50ms, warmup: 0ms }
`;

const ownedBy = async (pid: number) =>
  (await listZcspecNamespaces()).filter((n) => n.startsWith(`zcspec-${pid}-`));

/** zcspec's veth names; they live in its namespaces and must never show up on the host. */
function hostVeths(): string[] {
  const links = JSON.parse(execFileSync("ip", ["-j", "link", "show"], { encoding: "utf8" })) as {
    ifname: string;
  }[];
  return links.map((l) => l.ifname).filter((n) => /^z[sp][01]$/.test(n));
}

async function waitForNamespaces(pid: number, count: number): Promise<void> {
  if (!(await pollUntil(async () => (await ownedBy(pid)).length >= count)))
    throw new Error(`run ${pid} never created ${count} namespaces`);
}

describe("namespace lifecycle", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal}: the run exits ${code} and removes its namespaces`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const { child, exited } = startCli(["run", writeSpec(LONG)]);
      const pid = child.pid as number;
      await waitForNamespaces(pid, 2);
      await caseSending(child); // into the case: the sender and the receiver are running
      child.kill(signal);
      const r = await exited;
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(`${signal}: stopping after the current case`);
      expect(await ownedBy(pid)).toEqual([]);
      expect(hostVeths()).toEqual([]);
    }, 30_000);
  }

  it("SIGKILL: what the killed run left is removed by the next run", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { child, exited } = startCli(["run", writeSpec(LONG)]);
    const pid = child.pid as number;
    await waitForNamespaces(pid, 2);
    child.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    // nothing could clean up: the namespaces are still there
    expect((await ownedBy(pid)).length).toBeGreaterThanOrEqual(1);
    const next = await startCli(["run", writeSpec(SHORT)]).exited;
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(await ownedBy(pid)).toEqual([]);
    expect(await ownedBy(next.pid)).toEqual([]);
    expect(hostVeths()).toEqual([]);
  }, 30_000);

  it("two runs at once do not collide", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const spec = writeSpec(`version: 1
name: twin
defaults: { mode: send, buffers: { size: 4000, count: 1 }, duration: 200ms, warmup: 0ms }
matrix:
  target: [pair, sink, loopback]
`);
    const runs = await Promise.all([
      startCli(["run", spec]).exited,
      startCli(["run", spec]).exited,
    ]);
    for (const r of runs) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout.match(/ passed$/gm)).toHaveLength(3);
      expect(await ownedBy(r.pid)).toEqual([]);
    }
  }, 30_000);

  it("reaps only namespaces whose owner is gone, never a live run's", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const gone = spawnSync("true").pid;
    const stale = `zcspec-${gone}-0000aa`;
    const live = `zcspec-${process.pid}-0000bb`;
    execFileSync("ip", ["netns", "add", stale]);
    execFileSync("ip", ["netns", "add", live]);
    try {
      const removed = await reapStaleNamespaces();
      expect(removed).toContain(stale);
      expect(removed).not.toContain(live);
      const now = await listZcspecNamespaces();
      expect(now).not.toContain(stale);
      expect(now).toContain(live);
    } finally {
      spawnSync("ip", ["netns", "del", live]);
      spawnSync("ip", ["netns", "del", stale]);
    }
  });
});
