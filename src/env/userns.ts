import { spawn, spawnSync } from "node:child_process";
import { constants } from "node:os";
import type { TargetKind } from "../model/case.js";
import { namespaceBlocker } from "./caps.js";

/**
 * "inside" in a zcspec re-executed in a user namespace of its own; "off"
 * keeps zcspec from doing so (then namespace targets are skipped).
 */
export const USERNS_ENV = "ZCSPEC_USERNS";

const UNSHARE = ["--user", "--map-root-user", "--net", "--mount"];

/** This process is a zcspec re-executed in a user namespace of its own. */
export function insideUserNamespace(): boolean {
  return process.env[USERNS_ENV] === "inside";
}

/**
 * Whether a run with these targets should re-execute itself in a user
 * namespace: it needs network namespaces, lacks the privilege to build
 * them here, and the kernel lets ordinary users create user namespaces.
 */
function wantsUserNamespace(kinds: readonly TargetKind[]): boolean {
  if (process.env[USERNS_ENV]) return false;
  if (!kinds.some((k) => k === "sink" || k === "pair")) return false;
  if (namespaceBlocker() === undefined) return false;
  return spawnSync("unshare", [...UNSHARE, "true"], { stdio: "ignore" }).status === 0;
}

/**
 * Run this same command again as root of a new user namespace, with a new
 * network namespace (loopback brought up) and a mount namespace whose /run
 * is a private tmpfs, so `ip netns add` works without privilege on the host.
 * Everything it creates dies with it. Resolves with its exit code.
 *
 * The child gets a process group of its own, so a terminal's Ctrl-C reaches
 * only this process, which passes the first SIGINT/SIGTERM on (`stop`
 * aborts with "interrupted by SIGNAL"): the run inside then stops gracefully
 * and writes its partial results, as it would without the re-execution.
 */
function reexecInUserNamespace(stop: AbortSignal): Promise<number> {
  const setup = 'mount -t tmpfs -o mode=755 zcspec /run && ip link set lo up && exec "$@"';
  const child = spawn(
    "unshare",
    [...UNSHARE, "--", "sh", "-c", setup, "sh", process.execPath, ...process.argv.slice(1)],
    { stdio: "inherit", detached: true, env: { ...process.env, [USERNS_ENV]: "inside" } },
  );
  const forward = () => {
    const m = /(SIGINT|SIGTERM)/.exec(String(stop.reason));
    child.kill((m?.[1] as NodeJS.Signals | undefined) ?? "SIGTERM");
  };
  stop.addEventListener("abort", forward, { once: true });
  // if this process is made to exit (a second signal), the run inside exits at once too
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      process.off("exit", kill);
      stop.removeEventListener("abort", forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/**
 * The one way a command that runs cases (`zcspec run`, `npm run reproduce`)
 * gets namespace targets without root: when these target kinds need network
 * namespaces this process cannot build but may create a user namespace,
 * run this same command again inside one (reexecInUserNamespace) and resolve
 * with its exit code; undefined when the run goes on in this process.
 * `stop` is asked for only then: the caller's first SIGINT/SIGTERM, which the
 * run inside takes as its own graceful stop.
 */
export async function runInUserNamespaceIfNeeded(
  kinds: readonly TargetKind[],
  stop: () => AbortSignal,
): Promise<number | undefined> {
  return wantsUserNamespace(kinds) ? reexecInUserNamespace(stop()) : undefined;
}
