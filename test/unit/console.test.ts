import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import { consoleReporter } from "../../src/report/console/console.js";
import { progressLine } from "../../src/report/console/progress.js";
import { sink } from "../helpers/output.js";
import { caseResult, figures, matrixCases, repetition } from "../helpers/results.js";

const c = { ...(matrixCases()[0] as Case), duration_ns: 2e9, warmup_ns: 0, repeat: 1 };

describe("live progress", () => {
  it("shows the bar, requests/s so far and the time left", () => {
    const line = progressLine(c, 1, 6, 0.5e9, { requests: 300000, bytes: 0, elapsedNs: 0.5e9 });
    expect(line).toBe(
      "[2/6] send/size=600 [######------------------]  25% 600,000 req/s 1.5s left",
    );
    expect(progressLine(c, 0, 1, 3e9, undefined)).toMatch(/\[#{24}\] 100% … req\/s 0\.0s left$/);
  });

  it("redraws in place on a terminal and clears the line when the case ends", async () => {
    const err = sink();
    const out = sink();
    const r = consoleReporter({ out: out.stream, err: err.stream, live: true, colour: false });
    r.onCaseStart?.(c, 0, 1);
    r.onCaseProgress?.(c, { requests: 1000, bytes: 0, elapsedNs: 1e7 });
    await new Promise((done) => setTimeout(done, 250));
    r.onCaseEnd?.(caseResult(c, { measured: figures(100000) }));
    const shown = err.text();
    expect(shown.startsWith("\r\u001b[K[1/1] send/size=600 [")).toBe(true);
    expect(shown).toContain("100,000 req/s");
    expect(shown.endsWith("\r\u001b[K[1/1] send/size=600: passed, 100,000 requests/s\n")).toBe(
      true,
    );
  });

  it("prints plain lines without a terminal, and no colour codes", () => {
    const err = sink();
    const out = sink();
    const r = consoleReporter({ out: out.stream, err: err.stream, live: false, colour: false });
    r.onCaseStart?.(c, 0, 1);
    r.onCaseEnd?.(caseResult(c, { measured: figures(100000) }));
    expect(err.text()).toBe(
      "[1/1] send/size=600 ...\n[1/1] send/size=600: passed, 100,000 requests/s\n",
    );
    expect(err.text()).not.toContain("\u001b");
  });
});

describe("results table", () => {
  it("shows runs and the median's interval only for a spec whose cases repeated", () => {
    const [send, , zc] = matrixCases() as [Case, Case, Case];
    const once = sink();
    consoleReporter({ out: once.stream, err: sink().stream, colour: false }).onRunEnd?.({
      spec: "t",
      file: "t.yaml",
      results: [caseResult(send, { measured: figures(100000) })],
      startedAt: "",
      elapsedMs: 0,
      environment: caseResult(send).environment,
    });
    expect(once.text().split("\n")[0]).toBe(
      "case           mode  size  requests/s  Gbit/s  CPU ns/req  completions  notifs  errors  status",
    );
    // CPU per request, the figure to compare, beside the rates
    expect(once.text().split("\n")[2]).toMatch(
      /^send\/size=600 +send +600 +100,000 +[0-9.]+ +1,000 /,
    );

    const out = sink();
    const runs = [figures(90000), figures(100000), figures(104000)];
    const disturbed = [false, true, false].map((d, i) =>
      repetition(i + 1, { cpuShare: d ? 0.5 : 1, disturbed: d }),
    );
    consoleReporter({ out: out.stream, err: sink().stream, colour: false }).onRunEnd?.({
      spec: "t",
      file: "t.yaml",
      results: [
        caseResult(send, { measured: figures(100000), runs, repetitions: disturbed }),
        caseResult(zc, { measured: figures(120000) }),
      ],
      startedAt: "",
      elapsedMs: 0,
      environment: caseResult(send).environment,
    });
    const lines = out.text().split("\n");
    expect(lines[0]).toMatch(/^case +mode +size +runs +requests\/s +interval +Gbit\/s/);
    expect(lines[2]).toMatch(
      /^send\/size=600 +send +600 +3 \(1 dist\.\) +100,000 +-10\.0\/\+4\.0% /,
    );
    expect(lines[3]).toMatch(/^send_zc\/size=600 +send_zc +600 +1 +120,000 +- /);
    expect(lines[4]).toBe(
      "requests/s: the median of the runs; interval: the median's 75 % confidence interval, relative to it (under 6 runs: the range of the runs); dist.: repetitions marked disturbed",
    );
    // the table stays narrow enough for a terminal
    expect(Math.max(...lines.slice(0, 4).map((l) => l.length))).toBeLessThan(130);
  });
});
