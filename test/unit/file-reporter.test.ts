import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileReporter, jsonFormat } from "../../src/index.js";
import { sampleSuite } from "../helpers/results.js";

describe("fileReporter", () => {
  it("rewrites its file with the suite so far after each spec, then with the whole", async () => {
    const d = mkdtempSync(join(tmpdir(), "zcspec-file-reporter-"));
    try {
      const path = join(d, "r.json");
      const file = fileReporter(jsonFormat, path);
      const whole = sampleSuite();
      await file.onSuiteUpdate?.({ ...whole, runs: [], partial: true });
      expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ runs: [], partial: true });
      await file.onSuiteEnd?.(whole);
      expect(JSON.parse(readFileSync(path, "utf8")).runs).toHaveLength(whole.runs.length);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("writes only the complete suite to stdout, so that it stays one document", async () => {
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    const piped = fileReporter(jsonFormat, "-", out);
    await piped.onSuiteUpdate?.({ ...sampleSuite(), partial: true });
    expect(chunks).toEqual([]);
    await piped.onSuiteEnd?.(sampleSuite());
    expect(chunks).toHaveLength(1);
  });
});
