import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { basename, dirname } from "node:path";
import type { Environment } from "../model/environment.js";
import { toolVersion } from "../version.js";
import { readMemlock } from "./limits.js";
import { insideUserNamespace } from "./userns.js";

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
  /** the liburing the native library was built against, as its probe says */
  liburing = "unknown (native library not loadable)",
): Promise<Environment> {
  const cpu = cpus();
  return {
    zcspec: toolVersion(),
    node: process.version,
    userNamespace: insideUserNamespace(),
    kernel: release(),
    liburing,
    cpu: { model: cpu[0]?.model ?? "unknown", count: cpu.length },
    memlock: readMemlock(),
    sysctls: sysctls(),
    spec: await specRevision(specFile),
  };
}
