import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { basename, dirname } from "node:path";
import { loadNative } from "../native/library.js";
import { capabilities } from "../native/probe.js";
import { toolVersion } from "../version.js";
import { insideUserNamespace } from "./userns.js";

/** Where and with what a run was taken: captured once per run, attached to every result. */
export interface Environment {
  zcspec: string;
  node: string;
  /** run as root of a user namespace of zcspec's own (an ordinary user's namespace targets) */
  userNamespace: boolean;
  /** kernel release (uname -r) */
  kernel: string;
  /** the liburing the native library was built against */
  liburing: string;
  cpu: { model: string; count: number };
  /** RLIMIT_MEMLOCK in bytes (registered buffers count against it); null = unlimited */
  memlock: { soft: number | null; hard: number | null };
  /** the host's sysctls that bound socket buffers and zerocopy; absent where the kernel has none */
  sysctls: Record<string, string>;
  spec: {
    file: string;
    /** HEAD of the git repository holding the spec, if it is in one */
    commit?: string;
    /** the spec file differs from that commit */
    dirty?: boolean;
  };
}

const SYSCTLS = [
  "net.core.optmem_max",
  "net.core.wmem_max",
  "net.core.rmem_max",
  "net.core.wmem_default",
  "net.core.rmem_default",
  "net.ipv4.udp_mem",
  "net.ipv4.tcp_wmem",
  "net.ipv4.tcp_rmem",
  "kernel.io_uring_disabled",
];

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim().replace(/\s+/g, " ");
  } catch {
    return undefined;
  }
}

function sysctls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SYSCTLS) {
    const v = readOr(`/proc/sys/${k.replaceAll(".", "/")}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** RLIMIT_MEMLOCK from the text of /proc/self/limits (null: unlimited). */
export function parseMemlock(limits: string): Environment["memlock"] {
  const m = /^Max locked memory\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) throw new Error("no 'Max locked memory' line in /proc/self/limits");
  const n = (s: string | undefined) => (s === undefined || s === "unlimited" ? null : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}

function memlock(): Environment["memlock"] {
  // read raw: readOr folds the lines this parse anchors on
  return parseMemlock(readFileSync("/proc/self/limits", "utf8"));
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, encoding: "utf8" }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim()),
    );
  });
}

async function specRevision(file: string): Promise<Environment["spec"]> {
  const dir = dirname(file);
  const commit = await git(dir, ["rev-parse", "HEAD"]);
  if (!commit) return { file };
  const status = await git(dir, ["status", "--porcelain", "--", basename(file)]);
  return status === undefined ? { file, commit } : { file, commit, dirty: status !== "" };
}

/** What this run's results need to say about where they were taken. */
export async function captureEnvironment(
  specFile: string,
  nativeLib?: string,
): Promise<Environment> {
  let liburing: string;
  try {
    liburing = capabilities(loadNative(nativeLib)).liburing;
  } catch {
    liburing = "unknown (native library not loadable)";
  }
  const cpu = cpus();
  return {
    zcspec: toolVersion(),
    node: process.version,
    userNamespace: insideUserNamespace(),
    kernel: release(),
    liburing,
    cpu: { model: cpu[0]?.model ?? "unknown", count: cpu.length },
    memlock: memlock(),
    sysctls: sysctls(),
    spec: await specRevision(specFile),
  };
}
