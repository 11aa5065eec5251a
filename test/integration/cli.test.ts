import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { integrationBlocker, sanitizerEnv } from "../helpers/env.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

const blocker = integrationBlocker();

const zcspec = runCli;

describe("zcspec run", () => {
  it("exits 2 on an invalid spec with file:line:col, a code frame and a hint", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = writeSpec("version: 1\nname: t\ndefaults:\n  mode: sned_zc\n");
    const r = zcspec(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:9 error[ZC_BAD_VALUE]`);
    expect(r.stderr).toContain("> 4 |   mode: sned_zc");
    expect(r.stderr).toContain('hint: did you mean "send_zc"?');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on a missing file and on a bad flag", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    expect(zcspec(["run", "/nonexistent.yaml"]).code).toBe(2);
    expect(zcspec(["run", "specs/examples/udp-sink.yaml", "--duration", "fast"]).code).toBe(2);
    expect(zcspec(["frobnicate"]).code).toBe(2);
  });

  it("runs the example and prints the results table", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const r = zcspec([
      "run",
      "specs/examples/udp-sink.yaml",
      "--duration",
      "200ms",
      "--warmup",
      "0",
    ]);
    expect(r.stderr).toContain("[6/6] send_zc/size=8000");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [table = "", latency = "", summary] = r.stdout.trim().split("\n\n");
    expect(summary).toBe("1 spec(s), 6 case(s): 6 passed, 0 failed, 0 skipped, 0 error");
    const lines = table.split("\n");
    expect(lines[0]).toMatch(
      /^case\s+mode\s+size\s+requests\/s\s+Gbit\/s\s+CPU ns\/req\s+machine ns\/req\s+completions\s+notifs\s+errors\s+status$/,
    );
    expect(lines.slice(2)).toHaveLength(6);
    for (const line of lines.slice(2)) expect(line).toMatch(/\s0\s+passed$/);
    // then each case's latency percentiles: a copying send has no notification and pins nothing
    // (a slow tail prints with a thousands separator: 12.5/20/2,949 µs)
    const spans = latency.split("\n");
    expect(spans[0]).toMatch(
      /^latency p50\/p99\/p99\.9\s+completion\s+notif\s+pinned\s+peak pinned$/,
    );
    // and what the default latency setting timed
    expect(spans.at(-1)).toMatch(
      /^latency timed one request in 64 \(send\/size=600, .*, \.\.\.\): /,
    );
    expect(spans.slice(2, -1)).toHaveLength(6);
    for (const line of spans.slice(2, -1)) {
      if (line.startsWith("send/")) expect(line).toMatch(/ µs\s+-\s+-\s+0 B$/);
      else
        expect(line).toMatch(
          // thousands are grouped: a loaded machine's p99.9 may pass 1,000 µs
          /^send_zc\/size=\d+\s+[\d.,/]+ µs\s+[\d.,/]+ µs\s+[\d.,/]+ [nµm]?s\s+[\d.]+ KiB$/,
        );
    }
  });

  it("runs clean under ASan and UBSan", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const sanitizer = sanitizerEnv();
    if ("skip" in sanitizer) return ctx.skip(sanitizer.skip);
    const r = zcspec(
      ["run", "specs/examples/udp-sink.yaml", "--duration", "100ms", "--warmup", "20ms"],
      sanitizer.env,
    );
    expect(r.stderr).not.toContain("AddressSanitizer");
    expect(r.stderr).not.toContain("runtime error");
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("zcspec init", () => {
  it.for(["sink", "loopback-tcp"])(
    "writes a %s spec that validates and runs as written",
    (template, ctx) => {
      if (blocker) return ctx.skip(blocker);
      const dir = mkdtempSync(join(tmpdir(), "zcspec-init-"));
      try {
        const file = join(dir, "starter.yaml");
        expect(zcspec(["init", "--template", template, file]).code).toBe(0);
        expect(zcspec(["validate", "--strict", file]).code).toBe(0);
        const r = zcspec(["run", file, "--duration", "100ms", "--warmup", "0"]);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toMatch(/2 case\(s\): 2 passed, 0 failed, 0 skipped/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("zcspec run's durations", () => {
  it("accepts h and compounds where they are in range", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const r = zcspec([
      "run",
      "specs/examples/udp-sink.yaml",
      "--dry-run",
      "--time-limit",
      "2h",
      "--duration",
      "1m30s",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/send_zc\/size=600 .* 90000ms /);
  });
});
