import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SuiteResult } from "../../src/model/results.js";
import { AS_NOBODY, nobodyBlocker, ROOT, userNamespaceBlocker } from "../helpers/env.js";

/**
 * `npm run reproduce` as an ordinary user: bench/reproduce.mjs takes the
 * same way into a user namespace as `zcspec run` (runInUserNamespaceIfNeeded),
 * so a sink case is measured, not skipped for privileges. One case of the
 * dummy table, 100 ms.
 */
const ONE_SINK_CASE = ["--grep", "^udp-dummy/send/size=4000$", "--duration", "100ms"];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function reproduceAsNobody(env: NodeJS.ProcessEnv = {}) {
  const out = mkdtempSync(join(tmpdir(), "zcspec-reproduce-"));
  dirs.push(out);
  chmodSync(out, 0o777);
  const [file, ...args] = [
    ...AS_NOBODY,
    process.execPath,
    `${ROOT}bench/reproduce.mjs`,
    ...ONE_SINK_CASE,
    "--warmup",
    "0ms",
    "--out",
    out,
  ];
  const r = spawnSync(file as string, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  const suite = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as SuiteResult;
  return { ...r, suite, report: readFileSync(join(out, "REPORT.md"), "utf8") };
}

describe("npm run reproduce as an ordinary user", () => {
  it("re-executes in a user namespace: the sink case is measured, not skipped", (ctx) => {
    const why = userNamespaceBlocker();
    if (why) return ctx.skip(why);
    const r = reproduceAsNobody();
    const results = r.suite.runs.flatMap((run) => run.results);
    expect(results.map((x) => [x.case.name, x.status, x.reason])).toEqual([
      ["send/size=4000", "passed", undefined],
    ]);
    expect(results[0]?.environment.userNamespace).toBe(true);
    expect(r.status, r.stderr).toBe(0);
    expect(r.report).not.toContain("Not reproduced");
  });

  it("without user namespaces: names the unmeasured table at the top of REPORT.md and on stderr, exit 4", (ctx) => {
    const why = nobodyBlocker();
    if (why) return ctx.skip(why);
    const r = reproduceAsNobody({ ZCSPEC_USERNS: "off" });
    expect(r.status, r.stderr).toBe(4);
    const notice =
      "**Not reproduced: 1 table(s) could not be measured on this machine** (exit code 4):";
    expect(r.report.startsWith(notice)).toBe(true);
    expect(r.stderr).toContain(notice);
    expect(r.report).toContain("the sink target needs CAP_NET_ADMIN and CAP_SYS_ADMIN");
  });
});
