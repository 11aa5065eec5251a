import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import { consoleReporter } from "../../src/report/console.js";
import { progressLine } from "../../src/report/progress.js";
import { caseResult, figures, matrixCases } from "../helpers/results.js";

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

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
