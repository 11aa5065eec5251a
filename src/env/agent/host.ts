/**
 * What `zcspec receive` reports about the host it runs on: kernel, CPU, the
 * interface holding the address it listens on (driver and firmware from
 * `ethtool -i`, offloads from `ethtool -k`, MTU from `ip -j addr`), the
 * sysctls that bound receiving, and the kernel's counters of what it
 * dropped. Everything is read from this process's network namespace; a tool
 * that is missing or refuses leaves its part out with a note, never fails.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, hostname, release } from "node:os";
import type { MachineCpu } from "../../model/measured/machine.js";
import type { ReceiverHost, ReceiverInterface } from "../../model/target.js";
import { machineOfTicks } from "../../native/window.js";
import { toolVersion } from "../../version.js";
import type { Family } from "../addresses.js";
import { findTool } from "../command.js";
import type { CpuLines } from "../procstat.js";

/** Bound on each tool run: the result must not wait on a hung one. */
const TOOL_TIMEOUT_MS = 5000;

/** The sysctls that bound receiving, as the receiving host has them. */
const RECEIVE_SYSCTLS = [
  "net.core.rmem_max",
  "net.core.rmem_default",
  "net.core.netdev_max_backlog",
  "net.ipv4.udp_mem",
  "net.ipv4.udp_rmem_min",
];

/** The `ethtool -k` features that shape receiving (and sending) on a NIC. */
const OFFLOADS = [
  "rx-checksumming",
  "tx-checksumming",
  "scatter-gather",
  "tcp-segmentation-offload",
  "tx-udp-segmentation",
  "generic-segmentation-offload",
  "generic-receive-offload",
  "large-receive-offload",
  "rx-gro-hw",
  "rx-gro-list",
  "rx-udp-gro-forwarding",
  "receive-hashing",
];

/** A tool's stdout, or its failure in words (missing, refused, timed out). */
function tool(file: string, args: readonly string[]): Promise<{ out: string } | { why: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: "utf8", timeout: TOOL_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (!err) return resolve({ out: stdout });
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === "ENOENT") return resolve({ why: `${file} is not installed` });
      if (e.killed) return resolve({ why: `${file} ${args.join(" ")} timed out` });
      resolve({ why: `${file} ${args.join(" ")}: ${stderr.trim() || e.message}` });
    });
  });
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The UDP counters that say what the kernel dropped on receive, for this namespace. */
export interface UdpCounters {
  rcvbufErrors: number;
  inErrors: number;
}

/**
 * /proc/net/snmp's `Udp:` RcvbufErrors and InErrors (IPv4), or
 * /proc/net/snmp6's Udp6RcvbufErrors and Udp6InErrors: datagrams dropped
 * for a full receive buffer, and every datagram dropped on input.
 */
export function readUdpCounters(family: Family): UdpCounters | undefined {
  if (family === "ipv6") {
    const text = readOr("/proc/net/snmp6");
    if (!text) return undefined;
    const value = (key: string) => Number(new RegExp(`^${key}\\s+(\\d+)`, "m").exec(text)?.[1]);
    const rcvbufErrors = value("Udp6RcvbufErrors");
    const inErrors = value("Udp6InErrors");
    return Number.isFinite(rcvbufErrors) && Number.isFinite(inErrors)
      ? { rcvbufErrors, inErrors }
      : undefined;
  }
  const lines = (readOr("/proc/net/snmp") ?? "").split("\n").filter((l) => l.startsWith("Udp: "));
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  if (!names || !values) return undefined;
  const value = (key: string) => Number(values[names.indexOf(key)]);
  const rcvbufErrors = value("RcvbufErrors");
  const inErrors = value("InErrors");
  return Number.isFinite(rcvbufErrors) && Number.isFinite(inErrors)
    ? { rcvbufErrors, inErrors }
    : undefined;
}

/** The interface holding `address` in this namespace (`ip -j addr`), with its MTU. */
export async function interfaceOf(
  address: string,
): Promise<{ name: string; mtu: number } | undefined> {
  if (address === "any") return undefined;
  const ip = findTool("ip");
  if (!ip) return undefined;
  const r = await tool(ip, ["-j", "addr", "show"]);
  if (!("out" in r)) return undefined;
  let links: { ifname?: string; mtu?: number; addr_info?: { local?: string }[] }[];
  try {
    links = JSON.parse(r.out);
  } catch {
    return undefined;
  }
  const want = address.toLowerCase();
  const link = links.find((l) => l.addr_info?.some((a) => a.local?.toLowerCase() === want));
  return link?.ifname ? { name: link.ifname, mtu: link.mtu ?? 0 } : undefined;
}

/** The interface's receive counters (`ip -s -s -j link`): packets, dropped, missed. */
export async function nicCounters(
  name: string,
): Promise<{ rxPackets: number; rxDropped: number; rxMissed: number } | undefined> {
  const ip = findTool("ip");
  if (!ip) return undefined;
  const r = await tool(ip, ["-s", "-s", "-j", "link", "show", "dev", name]);
  if (!("out" in r)) return undefined;
  try {
    const [link] = JSON.parse(r.out) as {
      stats64?: { rx?: { packets?: number; dropped?: number; missed_errors?: number } };
    }[];
    const rx = link?.stats64?.rx;
    if (!rx) return undefined;
    return {
      rxPackets: rx.packets ?? 0,
      rxDropped: rx.dropped ?? 0,
      rxMissed: rx.missed_errors ?? 0,
    };
  } catch {
    return undefined;
  }
}

/** `key: value` lines (ethtool's output) as a map. */
function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1]) out.set(m[1].trim(), (m[2] ?? "").trim());
  }
  return out;
}

/** Driver, firmware and offloads of an interface, from ethtool where it is installed. */
export async function describeInterface(name: string, mtu: number): Promise<ReceiverInterface> {
  const nic: ReceiverInterface = { name, mtu };
  const ethtool = findTool("ethtool");
  if (!ethtool) {
    nic.note =
      "ethtool is not installed: no driver, firmware or offloads (apt-get install ethtool)";
    return nic;
  }
  const notes: string[] = [];
  const info = await tool(ethtool, ["-i", name]);
  if ("out" in info) {
    const kv = keyValues(info.out);
    const set = (key: keyof ReceiverInterface, from: string) => {
      const v = kv.get(from);
      if (v) (nic as unknown as Record<string, string>)[key] = v;
    };
    set("driver", "driver");
    set("driverVersion", "version");
    set("firmware", "firmware-version");
    set("bus", "bus-info");
  } else notes.push(info.why);
  const features = await tool(ethtool, ["-k", name]);
  if ("out" in features) {
    const kv = keyValues(features.out);
    const offloads: Record<string, string> = {};
    for (const f of OFFLOADS) {
      const v = kv.get(f);
      if (v !== undefined) offloads[f] = v;
    }
    nic.offloads = offloads;
  } else notes.push(features.why);
  if (notes.length) nic.note = notes.join("; ");
  return nic;
}

function sysctls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of RECEIVE_SYSCTLS) {
    const v = readOr(`/proc/sys/${k.replaceAll(".", "/")}`);
    if (v !== undefined) out[k] = v.trim().replace(/\s+/g, " ");
  }
  return out;
}

/** This host as a receiver's result describes it. */
export async function receiverHost(
  address: string,
  nic: { name: string; mtu: number } | undefined,
): Promise<ReceiverHost> {
  const cpu = cpus();
  const host: ReceiverHost = {
    hostname: hostname(),
    kernel: release(),
    cpu: { model: cpu[0]?.model ?? "unknown", count: cpu.length },
    zcspec: toolVersion(),
    node: process.version,
    address,
    sysctls: sysctls(),
  };
  if (nic) host.interface = await describeInterface(nic.name, nic.mtu);
  return host;
}

let ticksPerSecond: Promise<number> | undefined;

/**
 * /proc/stat's ticks per second (USER_HZ): `getconf CLK_TCK`, or Linux's 100 without getconf.
 * Asked once per agent: it is the kernel's constant, and every case of a session needs it.
 */
export function clockTicks(): Promise<number> {
  ticksPerSecond ??= tool("getconf", ["CLK_TCK"]).then((r) => {
    const n = "out" in r ? Number(r.out.trim()) : Number.NaN;
    return Number.isInteger(n) && n > 0 ? n : 100;
  });
  return ticksPerSecond;
}

/**
 * The receiving host's CPU between two reads of its /proc/stat, as the sender's own machine
 * figures are (src/native/window.ts): every CPU read at both edges, each filled to the window.
 */
export function machineBetween(begin: CpuLines, end: CpuLines, clkTck: number): MachineCpu {
  const rows = [...begin.cpus].flatMap(([cpu, start]) => {
    const last = end.cpus.get(cpu);
    return last ? [{ cpu, ticks: { start, end: last } }] : [];
  });
  const all = { start: begin.all, end: end.all };
  return machineOfTicks(rows, all, end.atNs - begin.atNs, clkTck, false);
}
