import { spawn, spawnSync } from "node:child_process";
import { constants } from "node:os";
import type { TargetKind } from "../spec/types.js";
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
export function wantsUserNamespace(kinds: readonly TargetKind[]): boolean {
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
 */
export function reexecInUserNamespace(): Promise<number> {
  const setup = 'mount -t tmpfs -o mode=755 zcspec /run && ip link set lo up && exec "$@"';
  const child = spawn(
    "unshare",
    [...UNSHARE, "--", "sh", "-c", setup, "sh", process.execPath, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, [USERNS_ENV]: "inside" } },
  );
  // if this process is made to exit, the run inside cleans up and exits too
  const stop = () => child.kill("SIGTERM");
  process.once("exit", stop);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      process.off("exit", stop);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
