import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findSpecFiles } from "../../src/spec/files.js";
import { tempDir } from "../helpers/temp.js";

describe("findSpecFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "zcspec-files-"));
  mkdirSync(join(dir, "sub"));
  for (const f of ["b.yaml", "a.yml", "notes.txt", "shared.defaults.yaml", "sub/c.yaml"])
    writeFileSync(join(dir, f), "");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("searches directories in name order and leaves shared defaults out of a run", async () => {
    expect(await findSpecFiles([dir])).toEqual(
      ["a.yml", "b.yaml", "sub/c.yaml"].map((f) => join(dir, f)),
    );
  });

  it("keeps shared defaults files for validate, and a file named outright", async () => {
    expect(await findSpecFiles([dir], { defaults: true })).toContain(
      join(dir, "shared.defaults.yaml"),
    );
    expect(await findSpecFiles([join(dir, "notes.txt")])).toEqual([join(dir, "notes.txt")]);
  });

  it("refuses a missing path and a folder without specs", async () => {
    await expect(findSpecFiles([join(dir, "nope")])).rejects.toThrow(
      /no such spec file or directory/,
    );
    const empty = tempDir("empty");
    await expect(findSpecFiles([empty])).rejects.toThrow(/no \*\.yaml spec in/);
  });
});
