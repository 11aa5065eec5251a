import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/model/errors.js";
import { CLI } from "../helpers/env.js";

const zcspec = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

describe("the generated reference", () => {
  it("is in step with its sources (docs/generate.mjs --check)", () => {
    const r = spawnSync(process.execPath, ["docs/generate.mjs", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("names every error code", () => {
    const page = readFileSync("docs/reference/error-codes.md", "utf8");
    expect(Object.keys(ERROR_CODES).filter((c) => !page.includes(`### \`${c}\``))).toEqual([]);
  });
});

describe("zcspec explain", () => {
  it("prints a spec key's entry: type, allowed values, default, needs, example", () => {
    const r = zcspec("explain", "buffers.register");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("### `buffers.register`");
    expect(r.stdout).toContain("- allowed: `auto`, `fixed`, `none`, `mixed`");
    expect(r.stdout).toContain("- default: `auto`");
    expect(r.stdout).toContain("fixed_buf_send_zc");
    expect(r.stdout).toContain("register: auto");
  });

  it("takes a key as written under defaults", () => {
    expect(zcspec("explain", "defaults.socket.gso_size").stdout).toContain("### `socket.gso_size`");
  });

  it("prints a CEL field with its unit", () => {
    const r = zcspec("explain", "result.latency.notif");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("- unit: ns (count: requests)");
    expect(r.stdout).toContain("has(result.latency.notif)");
  });

  it("prints an error code with its exit code", () => {
    const r = zcspec("explain", "ZC_GSO_MTU");
    expect(r.stdout).toContain(ERROR_CODES.ZC_GSO_MTU[1]);
    expect(r.stdout).toContain("- exit: 2");
  });

  it("answers an unknown name with did-you-mean, exit 2", () => {
    const r = zcspec("explain", "buffers.regster");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "buffers.register"?');
  });
});
