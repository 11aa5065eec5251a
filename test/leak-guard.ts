/**
 * The run's leak guard (vitest globalSetup): a run fails when a test left a
 * temporary folder or a network namespace behind.
 *
 * Folders: the run gets a temp dir of its own as TMPDIR, which the workers
 * and every CLI a test spawns inherit, so whatever is left in it was left by
 * this run, whatever else runs on the machine at the same time. New
 * /tmp/zcspec-* entries outside it (a path that ignores TMPDIR) count too.
 *
 * Namespaces: zcspec-* (the product's) and zctest-* (the tests') that are
 * new since the start, unless their creator (the pid in the name) is alive
 * and not one of this run's processes: that one belongs to a run in progress.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parentOf } from "./helpers/procs.js";

const TMP = "/tmp";
const RUN_DIR = /^zcspec-run-/;
const NETNS = /^(?:zcspec|zctest)-(?:[a-z]+-)?(\d+)(?:-|$)/;

function tmpEntries(): string[] {
  return readdirSync(TMP)
    .filter((n) => n.startsWith("zcspec-") && !RUN_DIR.test(n))
    .map((n) => join(TMP, n));
}

function namespaces(): string[] {
  try {
    const out = execFileSync("ip", ["netns", "list"], { encoding: "utf8", stdio: "pipe" });
    return out
      .split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter((n) => NETNS.test(n));
  } catch {
    return []; // no iproute2, or not allowed to list: no test could have made one either
  }
}

/** The pid runs now and is neither this process nor one of its descendants. */
function someoneElses(pid: number): boolean {
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf(p))
    if (p === process.pid) return false;
  return parentOf(pid) !== undefined;
}

function list(what: string, names: readonly string[]): string {
  return names.length ? `\n  ${what}:\n${names.map((n) => `    ${n}`).join("\n")}` : "";
}

export default function setup(): () => void {
  const tmpBefore = new Set(tmpEntries());
  const nsBefore = new Set(namespaces());
  const runDir = mkdtempSync(join(tmpdir(), "zcspec-run-"));
  // as /tmp is: the tests that run as nobody make and read their folders in it
  chmodSync(runDir, 0o1777);
  const outer = process.env.TMPDIR;
  process.env.TMPDIR = runDir;

  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    const inRun = readdirSync(runDir).map((n) => join(runDir, n));
    rmSync(runDir, { recursive: true, force: true });
    const strays = tmpEntries().filter((d) => !tmpBefore.has(d));
    const netns = namespaces().filter(
      (n) => !nsBefore.has(n) && !someoneElses(Number(NETNS.exec(n)?.[1])),
    );
    if (inRun.length + strays.length + netns.length === 0) return;
    // vitest prints an error thrown here ("error during close") but still exits 0 for it
    process.exitCode = 1;
    throw new Error(
      `tests left ${inRun.length + strays.length} temporary folder(s) and ${netns.length} network namespace(s) behind` +
        list("in this run's temp dir (now removed with it)", inRun) +
        list(
          "in /tmp, outside this run's temp dir (a path that ignores TMPDIR, or the tests of another checkout running meanwhile)",
          strays,
        ) +
        list("namespaces (ip netns del NAME)", netns),
    );
  };
}
