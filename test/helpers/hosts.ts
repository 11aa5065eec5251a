/**
 * Two "hosts" on one machine for the two-host tests: two network
 * namespaces this test process creates, joined by a veth pair, with
 * addresses from 198.18.0.0/15 that exist only inside them. The sender
 * (zcspec run) runs in one, the receiver (zcspec receive --stdio, through
 * `ip netns exec` or a real sshd) in the other. Nothing listens or sends
 * outside them; everything here is removed by `close()`, which kills every
 * process still inside the namespaces first.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI } from "./env.js";
import { pollUntil } from "./wait.js";

export const TX_ADDR = "198.18.7.1";
export const RX_ADDR = "198.18.7.2";
export const TX_DEV = "zh0";
export const RX_DEV = "zh1";
const TX_MAC = "02:00:00:00:07:01";
const RX_MAC = "02:00:00:00:07:02";

/** The test's namespaces carry this prefix, never zcspec's own `zcspec-` (its reaper must not see them). */
export const TEST_NETNS_PREFIX = "zctest-";

function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The pids inside a namespace (`ip netns pids`), [] when it is gone. */
export function pidsIn(ns: string): number[] {
  const r = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** A process's command line, "" when it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Every process on this machine running this checkout's `zcspec receive` (in any namespace). */
export function receiverProcesses(): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = cmdline(Number(d));
    if (cmd.includes(CLI) && / receive --stdio/.test(cmd)) out.push({ pid: Number(d), cmd });
  }
  return out;
}

export interface Hosts {
  /** the sender's namespace ("this host") */
  tx: string;
  /** the receiver's namespace ("the other host") */
  rx: string;
  /** argv prefix that runs a command in the sender's namespace */
  inTx: string[];
  /** remove every process in both namespaces, then the namespaces; safe to call twice */
  close(): void;
}

/** Two namespaces joined by veth: TX_ADDR on TX_DEV in `tx`, RX_ADDR on RX_DEV in `rx`. */
export function createHosts(): Hosts {
  const base = `${TEST_NETNS_PREFIX}${process.pid}-${randomBytes(2).toString("hex")}`;
  const tx = `${base}-tx`;
  const rx = `${base}-rx`;
  const made: string[] = [];
  const close = () => {
    for (const ns of made) {
      for (const pid of pidsIn(ns)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      spawnSync("ip", ["netns", "del", ns]);
    }
    made.length = 0;
  };
  try {
    for (const ns of [tx, rx]) {
      ip("netns", "add", ns);
      made.push(ns);
      ip("-n", ns, "link", "set", "lo", "up");
    }
    ip(
      ...["-n", tx, "link", "add", TX_DEV, "address", TX_MAC, "type", "veth"],
      ...["peer", "name", RX_DEV, "address", RX_MAC, "netns", rx],
    );
    ip("-n", tx, "addr", "add", `${TX_ADDR}/30`, "dev", TX_DEV);
    ip("-n", rx, "addr", "add", `${RX_ADDR}/30`, "dev", RX_DEV);
    ip("-n", tx, "link", "set", TX_DEV, "up");
    ip("-n", rx, "link", "set", RX_DEV, "up");
    // no ARP exchange: a case's first datagrams are not lost to one
    ip("-n", tx, "neigh", "add", RX_ADDR, "lladdr", RX_MAC, "dev", TX_DEV, "nud", "permanent");
    ip("-n", rx, "neigh", "add", TX_ADDR, "lladdr", TX_MAC, "dev", RX_DEV, "nud", "permanent");
  } catch (e) {
    close();
    throw e;
  }
  return { tx, rx, inTx: ["ip", "netns", "exec", tx], close };
}

/** The launcher that starts this checkout's receiver in `rx` through `ip netns exec`. */
export function netnsLaunch(rx: string, ...env: string[]): string[] {
  return [
    "ip",
    ...["netns", "exec", rx],
    ...(env.length ? ["env", ...env] : []),
    process.execPath,
    CLI,
    "receive",
    "--stdio",
  ];
}

export interface Sshd {
  /** the client's throwaway private key */
  key: string;
  /** ssh options for a non-interactive login to RX_ADDR with that key */
  sshArgs: string[];
  stop(): void;
}

/**
 * A real sshd from Debian's openssh-server inside `rx`, listening on
 * RX_ADDR:22 only, with a throwaway host key and a throwaway client key in
 * a temp authorized_keys (StrictModes no). Returns why it cannot run here
 * instead where it cannot (not installed, not root, it does not start).
 */
export async function startSshd(hosts: Hosts): Promise<Sshd | { skip: string }> {
  const sshd = "/usr/sbin/sshd";
  if (!existsSync(sshd))
    return { skip: "openssh-server is not installed (bin/setup.mjs --asan installs it)" };
  if (!existsSync("/usr/bin/ssh") && spawnSync("ssh", ["-V"]).error)
    return { skip: "openssh-client is not installed (bin/setup.mjs --asan installs it)" };
  if (process.getuid?.() !== 0) return { skip: "needs root to start sshd in a namespace" };
  const dir = mkdtempSync(join(tmpdir(), "zcspec-sshd-"));
  chmodSync(dir, 0o700);
  const key = join(dir, "id_ed25519");
  for (const f of [join(dir, "host_ed25519"), key]) {
    const r = spawnSync("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "zcspec-test",
      "-f",
      f,
    ]);
    if (r.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      return { skip: `ssh-keygen failed: ${String(r.stderr)}` };
    }
  }
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${key}.pub`), { mode: 0o600 });
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress ${RX_ADDR}`,
      "Port 22",
      `HostKey ${join(dir, "host_ed25519")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "StrictModes no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // sshd wants its privilege separation directory, /run/sshd: it gets one on a tmpfs
  // of its own, in a mount namespace of its own, so the host's /run is never touched
  // (nor another run's sshd, nor a real one)
  const inRx = (...args: string[]) => [
    ...["netns", "exec", hosts.rx, "unshare", "--mount", "--propagation", "private"],
    ...["sh", "-c", 'mount -t tmpfs -o mode=755 zcspec-sshd /run && mkdir /run/sshd && exec "$@"'],
    ...["sh", sshd, ...args],
  ];
  const test = spawnSync("ip", inRx("-t", "-f", config), { encoding: "utf8" });
  if (test.status !== 0) {
    cleanup();
    return { skip: `sshd refuses its test configuration: ${test.stderr.trim()}` };
  }
  const daemon = spawn("ip", inRx("-D", "-e", "-f", config), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let said = "";
  daemon.stderr?.on("data", (d) => {
    said += d;
  });
  const sshArgs = [
    "-T",
    ...["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"],
    ...["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
    ...["-o", "ConnectTimeout=5", "-i", key],
  ];
  const stop = () => {
    daemon.kill("SIGKILL");
    cleanup();
  };
  // up when a login through it runs a command
  let up = false;
  const loginOrExit = () => {
    up =
      spawnSync(
        hosts.inTx[0] as string,
        [...hosts.inTx.slice(1), "ssh", ...sshArgs, `root@${RX_ADDR}`, "true"],
        { encoding: "utf8", timeout: 10_000 },
      ).status === 0;
    return up || daemon.exitCode !== null;
  };
  await pollUntil(loginOrExit, { ms: 5_000, everyMs: 100 });
  if (up) return { key, sshArgs, stop };
  stop();
  return { skip: `sshd did not come up in the namespace: ${said.trim() || "no login within 5 s"}` };
}

/** Packets the receiving namespace's veth has received so far. */
export function rxPackets(hosts: Hosts): number {
  const out = JSON.parse(ip("-n", hosts.rx, "-s", "-j", "link", "show", RX_DEV)) as {
    stats64?: { rx?: { packets?: number } };
  }[];
  return out[0]?.stats64?.rx?.packets ?? 0;
}
