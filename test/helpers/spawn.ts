import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, ROOT } from "./env.js";
import { proc, processTree } from "./procs.js";
import { tempDir } from "./temp.js";
import { pollUntil } from "./wait.js";

export interface Exited {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process, with what it printed collected for when it exits. */
export function startCli(
  args: string[],
  /** detached: a process group of its own, to signal as a terminal does (kill(-pid)) */
  opts: { env?: NodeJS.ProcessEnv; prefix?: string[]; detached?: boolean } = {},
): { child: ChildProcess; exited: Promise<Exited> } {
  const [file, ...pre] = opts.prefix ?? [];
  const argv = [...pre, process.execPath, CLI, ...args];
  const child = spawn(file ?? (argv.shift() as string), argv, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.detached ?? false,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<Exited>((resolve) =>
    child.on("close", (code, signal) =>
      resolve({ pid: child.pid as number, code, signal, stdout, stderr }),
    ),
  );
  return { child, exited };
}

/**
 * A spec file in a fresh directory anyone can read (the unprivileged test
 * reads it as nobody), removed when the calling test finishes.
 */
export function writeSpec(text: string): string {
  const dir = tempDir("spec");
  chmodSync(dir, 0o755);
  const file = join(dir, "spec.yaml");
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

/**
 * The CLI run to its end; test switches (ZCSPEC_TEST_*) are not inherited.
 * `prefix`: a command that runs it (setpriv ... to drop privileges).
 */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  prefix: readonly string[] = [],
): { code: number | null; stdout: string; stderr: string } {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const k of Object.keys(base)) if (k.startsWith("ZCSPEC_TEST_")) delete base[k];
  const [file, ...pre] = [...prefix, process.execPath, CLI, ...args];
  const r = spawnSync(file as string, pre, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...base, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A sender thread (native/launcher.c names them zcspec-tx) runs in the child or under it. */
function sending(child: ChildProcess): boolean {
  return processTree(child.pid as number).some((pid) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return false; // gone
    }
    return tasks.some((t) => proc(`/proc/${pid}/task/${t}/comm`).trim() === "zcspec-tx");
  });
}

/**
 * Resolves once the run's case is under way: its sender threads run (the
 * run prints nothing mid-case without a terminal, so /proc is polled).
 */
export async function caseSending(child: ChildProcess): Promise<void> {
  if (!(await pollUntil(() => sending(child))))
    throw new Error(`run ${child.pid} never started sending`);
}
