/**
 * target: remote with a receiver, end to end on one machine: the "other
 * host" is a network namespace this test creates, joined by veth to a
 * second one the sender runs in (zcspec run under `ip netns exec`).
 * Addresses are 198.18.7.1 and .2, inside those namespaces only, and
 * --allow-remote is given for those runs alone. The receiver is started
 * through `ip netns exec` and through a real sshd in the namespace.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECEIVE_PROTOCOL } from "../../src/env/agent/protocol.js";
import type { CaseResult, SuiteResult } from "../../src/model/results.js";
import { CLI, integrationBlocker, nobodyBlocker } from "../helpers/env.js";
import {
  cmdline,
  createHosts,
  type Hosts,
  netnsLaunch,
  pidsIn,
  RX_ADDR,
  RX_DEV,
  receiverProcesses,
  rxPackets,
  type Sshd,
  startSshd,
} from "../helpers/hosts.js";
import { type Exited, startCli, writeSpec } from "../helpers/spawn.js";
import { pollUntil } from "../helpers/wait.js";

const blocker = integrationBlocker();

const yamlList = (argv: readonly string[]) => `[${argv.map((a) => JSON.stringify(a)).join(", ")}]`;

/** A spec of remote cases to RX_ADDR, each `name: launch`, with `extra` merged into each case. */
function remoteSpec(
  cases: { name: string; launch?: string[]; extra?: string }[],
  defaults = "",
): string {
  return `version: 1
name: two-hosts
defaults:
  target: remote
  remote: { address: ${RX_ADDR} }
  socket: { type: udp }
  buffers: { size: 1000, count: 1 }
  batch: 8
  duration: 1s
  warmup: 0ms
${defaults}
cases:
${cases
  .map(
    (c) =>
      `  - name: ${c.name}\n` +
      (c.launch
        ? `    remote: { address: ${RX_ADDR}, receiver: { launch: ${yamlList(c.launch)} } }\n`
        : "") +
      (c.extra ?? ""),
  )
  .join("")}`;
}

/** zcspec run in the sender's namespace, with --allow-remote (the address is inside our namespace) and --json. */
function runInTx(hosts: Hosts, spec: string) {
  const file = writeSpec(spec);
  const json = join(dirname(file), "results.json");
  const { child, exited } = startCli(["run", file, "--allow-remote", "--json", json], {
    prefix: hosts.inTx,
  });
  return {
    child,
    done: exited.then((r) => ({ ...r, results: readResults(json) })),
  };
}

function readResults(file: string): CaseResult[] {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as SuiteResult).runs.flatMap((r) => r.results);
  } catch {
    return [];
  }
}

function byName(results: CaseResult[], name: string): CaseResult {
  const r = results.find((x) => x.case.name === name);
  if (!r) throw new Error(`no case ${name} in ${results.map((x) => x.case.name).join(", ")}`);
  return r;
}

/**
 * The receiver this test's run started, once its case is sending to it
 * (a thousand packets more than `before` have reached the receiving veth):
 * its pid on the "other host".
 */
async function caseUnderWay(hosts: Hosts, before: number, ms = 30_000): Promise<number> {
  let pid: number | undefined;
  const sending = () => {
    pid = pidsIn(hosts.rx).find((p) => / receive --stdio/.test(cmdline(p)));
    return pid !== undefined && rxPackets(hosts) > before + 1000;
  };
  if ((await pollUntil(sending, { ms, everyMs: 50 })) && pid !== undefined) return pid;
  throw new Error("no case sending to a receiver in the receiving namespace");
}

/** UDP datagrams the kernel dropped on a full receive buffer, in the namespace of `pid`. */
function udpRcvbufErrors(pid: number): number {
  const [names, values] = readFileSync(`/proc/${pid}/net/snmp`, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("Udp:"))
    .map((l) => l.split(/\s+/));
  return Number(values?.[names?.indexOf("RcvbufErrors") ?? -1]);
}

/** Nothing of ours is left running: no receiver anywhere, nothing in the sender's namespace. */
function expectNothingLeft(hosts: Hosts, sshd?: number[]): void {
  expect(receiverProcesses()).toEqual([]);
  expect(pidsIn(hosts.tx)).toEqual([]);
  expect(pidsIn(hosts.rx).filter((p) => !sshd?.includes(p))).toEqual([]);
}

/** Every delivery check of a verified case, and the books it balances. */
function expectVerified(r: CaseResult, exit: Exited): void {
  expect(r.status, `${r.case.name}: ${r.reason}\n${exit.stderr}`).toBe("passed");
  const m = r.measured;
  const t = m?.target;
  expect(m?.bytes).toBeGreaterThan(0);
  expect(t?.rxMismatches).toBe(0);
  const datagram = r.case.buffers.size;
  const dropped = r.case.socket.type === "udp" ? (t?.rxDrops ?? -1) * datagram : 0;
  expect((t?.rxBytes ?? 0) + dropped).toBe(m?.bytes);
  if (r.case.socket.type === "tcp") expect(t?.rxDrops).toBe(0);
  expect(r.checks).toContainEqual({
    name: "bytes sent = bytes received + dropped by the receiving host",
    pass: true,
    kind: "invariant",
  });
  expect(r.checks.find((c) => c.name === "received pattern mismatches")?.pass).toBe(true);
  // the receiving host described itself
  const host = r.topology?.receiver;
  expect(host?.kernel).toBe(release());
  expect(host?.cpu.count).toBeGreaterThan(0);
  expect(host?.address).toBe(RX_ADDR);
  expect(host?.interface?.name).toBe(RX_DEV);
  expect(host?.interface?.mtu).toBe(1500);
  expect(host?.sysctls["net.core.rmem_max"]).toMatch(/^\d+$/);
  if (host?.interface?.note?.includes("ethtool is not installed")) return;
  expect(host?.interface?.driver).toBe("veth");
  expect(host?.interface?.offloads?.["generic-receive-offload"]).toMatch(/^(on|off)/);
}

const UDP_TCP = (launch: string[]) =>
  remoteSpec([
    { name: "udp", launch, extra: "    requests: 20000\n" },
    {
      name: "tcp",
      launch,
      extra:
        "    mode: send_zc\n    socket: { type: tcp }\n    buffers: { size: 4000, count: 4, pattern: sequence }\n    batch: 1\n    requests: 20000\n",
    },
  ]);

describe.skipIf(blocker)(`two hosts${blocker ? ` (skipped: ${blocker})` : ""}`, () => {
  let hosts: Hosts;
  let sshd: Sshd | { skip: string } = { skip: "not started" };
  const sshdPids = () =>
    "key" in sshd ? pidsIn(hosts.rx).filter((p) => /sshd/.test(cmdline(p))) : [];
  const sshLaunch = (...command: string[]): string[] => {
    if (!("key" in sshd)) throw new Error(sshd.skip);
    return ["ssh", ...sshd.sshArgs, `root@${RX_ADDR}`, ...command];
  };
  const zcspecThere = [process.execPath, CLI, "receive", "--stdio"];

  beforeAll(async () => {
    hosts = createHosts();
    sshd = await startSshd(hosts);
  }, 60_000);

  afterAll(() => {
    if ("key" in sshd) sshd.stop();
    hosts?.close();
    // nothing of ours is left: no namespace, no receiver, no sshd in them
    const left = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout;
    expect(left).not.toContain(hosts?.tx ?? "-");
    expect(left).not.toContain(hosts?.rx ?? "-");
    expect(receiverProcesses()).toEqual([]);
  });

  it("verifies a UDP and a TCP case end to end through ip netns exec", async () => {
    const run = runInTx(hosts, UDP_TCP(netnsLaunch(hosts.rx)));
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of ["udp", "tcp"]) expectVerified(byName(r.results, name), r);
    const udp = byName(r.results, "udp");
    expect(udp.measured?.target.rxDatagrams).toBe(
      (udp.measured?.target.rxBytes ?? 0) / udp.case.buffers.size,
    );
    expect(udp.topology?.launch).toEqual(netnsLaunch(hosts.rx));
    expect(udp.topology?.destination).toContain("delivery verified by zcspec receive");
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("reads the receiving host's machine CPU at the sender's window edges", async () => {
    // a whole window with no request cap, so the progress poll sees it open
    const run = runInTx(
      hosts,
      remoteSpec([
        { name: "window", launch: netnsLaunch(hosts.rx), extra: "    duration: 600ms\n" },
      ]),
    );
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const m = byName(r.results, "window").measured;
    const rx = m?.target.rxMachine;
    expect(rx?.cpus.length).toBeGreaterThan(0);
    // the marks arrive within a progress poll (100 ms) and a pipe's hop of the window's edges
    expect(Math.abs((rx?.windowNs ?? 0) - (m?.elapsedNs ?? 0))).toBeLessThan(250e6);
    const rxPerRequest = m?.target.rxMachineCpuNsPerRequest ?? 0;
    expect(rxPerRequest).toBeGreaterThan(0);
    // the "other host" is a namespace of this machine: its /proc/stat is the sender's, over
    // nearly the same window, so the two machine figures agree to within the edges' offset
    const ratio = rxPerRequest / (m?.machineCpuNsPerRequest ?? 1);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    expect(r.stdout).toMatch(/machine ns\/req\s+rx host ns\/req/);
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("verifies each of 64 TCP flows' bytes at the remote receiver, by source port", async () => {
    const spec = remoteSpec([
      {
        name: "flows",
        launch: netnsLaunch(hosts.rx),
        extra:
          "    mode: send_zc\n    socket: { type: tcp, flows: 64 }\n    buffers: { size: 4000, count: 64 }\n    batch: 64\n    requests: 6400\n",
      },
    ]);
    const r = await runInTx(hosts, spec).done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const m = byName(r.results, "flows").measured;
    expect(m?.flows).toHaveLength(64);
    for (const f of m?.flows ?? []) expect(f.rxBytes, `port ${f.port}`).toBe(f.sentBytes);
    expect(m?.flows?.reduce((a, f) => a + (f.rxBytes ?? 0), 0)).toBe(m?.target.rxBytes);
    expect(m?.flowJain).toBe(1);
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("verifies a UDP and a TCP case through a real sshd in the namespace", async (ctx) => {
    if (!("key" in sshd)) return ctx.skip(sshd.skip);
    const run = runInTx(hosts, UDP_TCP(sshLaunch(...zcspecThere)));
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of ["udp", "tcp"]) expectVerified(byName(r.results, name), r);
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("ends each broken launch as an error naming the host and what to do; the run goes on", async () => {
    const launches: { name: string; launch: string[] }[] = [
      { name: "no-launcher", launch: ["/nonexistent/launcher", "zcspec", "receive", "--stdio"] },
      {
        name: "no-zcspec",
        launch: ["ip", "netns", "exec", hosts.rx, "/nonexistent/zcspec", "receive", "--stdio"],
      },
      {
        name: "other-protocol",
        launch: netnsLaunch(hosts.rx, "ZCSPEC_TEST_RECEIVE_PROTOCOL=99"),
      },
    ];
    if ("key" in sshd) {
      launches.push(
        // no key and no BatchMode: ssh would ask for a password, and cannot
        {
          name: "ssh-password",
          launch: [
            "ssh",
            "-T",
            ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
            ...["-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR"],
            `root@${RX_ADDR}`,
            ...zcspecThere,
          ],
        },
        { name: "ssh-no-zcspec", launch: sshLaunch("zcspec-not-installed", "receive", "--stdio") },
      );
    }
    const spec = remoteSpec([...launches, { name: "fine", launch: netnsLaunch(hosts.rx) }]);
    const r = await runInTx(hosts, spec).done;
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const reason = (name: string) => {
      const x = byName(r.results, name);
      expect(x.status, name).toBe("error");
      return x.reason ?? "";
    };
    expect(reason("no-launcher")).toBe(
      `cannot start the receiver's launcher for ${RX_ADDR}: /nonexistent/launcher is not installed here (ENOENT) (install it (for ssh: apt-get install openssh-client) or write its full path as the first word of remote.receiver.launch)`,
    );
    expect(reason("no-zcspec")).toMatch(
      new RegExp(
        `^zcspec is not installed on ${RX_ADDR}, or not where \`ip netns exec \\S+ /nonexistent/zcspec receive --stdio\` looks for it \\(exit code 1: exec of "/nonexistent/zcspec" failed: No such file or directory\\) \\(install zcspec on the receiving host`,
      ),
    );
    expect(reason("other-protocol")).toBe(
      `the receiver on ${RX_ADDR} speaks zcspec receive protocol 99 (zcspec 0.1.0); this zcspec speaks protocol ${RECEIVE_PROTOCOL} (install the same zcspec version on both hosts)`,
    );
    if ("key" in sshd) {
      expect(reason("ssh-password")).toMatch(
        new RegExp(
          `^the launcher for ${RX_ADDR} could not log in without a password: .*Permission denied.*; zcspec runs \`ssh .*\` with no terminal, so nothing can be typed there \\(log in with a key .* add -o BatchMode=yes to remote.receiver.launch`,
        ),
      );
      expect(reason("ssh-no-zcspec")).toMatch(
        new RegExp(
          `^zcspec is not installed on ${RX_ADDR}, or not where \`ssh .*zcspec-not-installed receive --stdio\` looks for it \\(exit code 127: .*zcspec-not-installed: command not found\\)`,
        ),
      );
    }
    expectVerified(byName(r.results, "fine"), r);
    for (const line of [
      "no-launcher",
      "no-zcspec",
      "other-protocol",
      ...("key" in sshd ? ["ssh-password", "ssh-no-zcspec"] : []),
    ])
      expect(r.stdout).toMatch(new RegExp(`^${line}\\s.*error$`, "m"));
    expectNothingLeft(hosts, sshdPids());
  }, 90_000);

  it("counts what the receiving kernel drops, and the books still balance (the receiver stalls mid-case)", async (ctx) => {
    // as nobody the receive buffer is capped at the namespace's rmem_max (no SO_RCVBUFFORCE),
    // so a short stall overflows it with a few megabytes, not hundreds
    const why = nobodyBlocker();
    if (why) return ctx.skip(why);
    const launch = [
      ...["ip", "netns", "exec", hosts.rx],
      ...["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"],
      ...zcspecThere,
    ];
    const before = rxPackets(hosts);
    const run = runInTx(
      hosts,
      remoteSpec([{ name: "stalls", launch, extra: "    duration: 2s\n" }]),
    );
    const pid = await caseUnderWay(hosts, before);
    const dropsBefore = udpRcvbufErrors(pid);
    process.kill(pid, "SIGSTOP");
    // stopped until its full buffer has made the kernel drop a datagram, not for a guessed time
    const dropped = await pollUntil(() => udpRcvbufErrors(pid) > dropsBefore);
    process.kill(pid, "SIGCONT");
    const r = await run.done;
    expect(dropped, "the kernel dropped nothing while the receiver was stopped").toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const stalls = byName(r.results, "stalls");
    expectVerified(stalls, r);
    expect(stalls.measured?.target.rxDrops).toBeGreaterThan(0);
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("reports a receiver that dies mid-case as an error and leaves nothing running", async () => {
    const before = rxPackets(hosts);
    const run = runInTx(
      hosts,
      remoteSpec([
        { name: "dies", launch: netnsLaunch(hosts.rx), extra: "    duration: 4s\n" },
        { name: "after", launch: netnsLaunch(hosts.rx) },
      ]),
    );
    const pid = await caseUnderWay(hosts, before);
    process.kill(pid, "SIGKILL");
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const dies = byName(r.results, "dies");
    expect(dies.status).toBe("error");
    expect(dies.reason).toMatch(
      new RegExp(
        `^the receiver on ${RX_ADDR} \\(pid ${pid} there\\) ended during the case without its result \\(killed by SIGKILL\\) \\(look at the receiving host`,
      ),
    );
    expectVerified(byName(r.results, "after"), r);
    expectNothingLeft(hosts, sshdPids());
  }, 60_000);

  it("gives up on a receiver whose network dropped, within a bounded time, and nothing is left", async (ctx) => {
    // through ssh the link itself goes; without sshd the receiver is frozen instead (SIGSTOP)
    const viaSsh = "key" in sshd;
    const launch = viaSsh ? sshLaunch(...zcspecThere) : netnsLaunch(hosts.rx);
    const started = Date.now();
    const before = rxPackets(hosts);
    const run = runInTx(
      hosts,
      remoteSpec([{ name: "dropped", launch, extra: "    duration: 3s\n" }]),
    );
    const pid = await caseUnderWay(hosts, before);
    if (viaSsh) execIp("-n", hosts.rx, "addr", "flush", "dev", RX_DEV);
    else process.kill(pid, "SIGSTOP");
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const dropped = byName(r.results, "dropped");
    expect(dropped.status).toBe("error");
    expect(dropped.reason).toBe(
      `no result from the receiver on ${RX_ADDR} within 15 s of the case's end: the network to it (or the launcher's connection) may be down (check the link to the host and the launcher (ssh -o ServerAliveInterval=5 notices a dead connection); the receiver there stops by itself within its time limit)`,
    );
    // bounded: the case, the result timeout, the launcher's kill
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(pidsIn(hosts.tx)).toEqual([]);
    // the receiver on the far side stops by itself at its limit (3 s + 20 s after ready)
    await pollUntil(() => receiverProcesses().length === 0, { ms: 40_000, everyMs: 250 });
    expectNothingLeft(hosts, sshdPids());
    if (!("key" in sshd)) ctx.annotate(`sshd unavailable (${sshd.skip}): simulated with SIGSTOP`);
  }, 120_000);
});

function execIp(...args: string[]): void {
  execFileSync("ip", args);
}
