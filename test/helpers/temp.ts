import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A fresh directory `zcspec-<label>-XXXXXX` under the temp dir, removed when
 * the test that asked for it finishes (passed, failed or timed out). Call it
 * inside a test; a directory a whole file shares is made in beforeAll and
 * removed in afterAll by the file itself.
 */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `zcspec-${label}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
