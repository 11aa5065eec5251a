import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { integrationBlocker, nobodyBlocker, ROOT } from "../helpers/env.js";

const blocker = integrationBlocker();

/** Registers 16 x 60000 bytes of buffers; prints status and message. Never sends (registration fails first). */
const SCRIPT = `
import { compileCase, readSpecText } from "./dist/index.js";
import { loadNative, toNativePlan } from "./dist/internal.js";
const c = readSpecText("t.yaml", "version: 1\\nname: t\\ndefaults: { mode: send_zc, buffers: { size: 60000, count: 16 } }\\n").cases[0];
const r = await loadNative().runCase(toNativePlan({ ...compileCase(c), unsupported: [] }, { netnsPath: "", dstAddr: [127, 0, 0, 1], family: "ipv4" }));
console.log(JSON.stringify({ status: r.status, message: r.message }));
`;

describe("errors a user can act on", () => {
  it("says RLIMIT_MEMLOCK and `ulimit -l` when buffer registration runs out of locked memory", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    // root has CAP_IPC_LOCK, which lifts the limit: run as nobody with a 64 KiB limit
    const nobody = nobodyBlocker();
    if (nobody) return ctx.skip(nobody);
    if (!existsSync("/usr/bin/prlimit")) return ctx.skip("prlimit (util-linux) is not installed");
    const r = spawnSync(
      "prlimit",
      ["--memlock=65536:65536", process.execPath, "--input-type=module", "-e", SCRIPT],
      { cwd: ROOT, encoding: "utf8", uid: 65534, gid: 65534, timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { status: number; message: string };
    expect(out.status).toBe(-12);
    expect(out.message).toContain("RLIMIT_MEMLOCK");
    expect(out.message).toContain("`ulimit -l`");
  });
});
