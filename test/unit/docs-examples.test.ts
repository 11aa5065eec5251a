import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCommandLine } from "../../src/cli/args.js";
import { commandSpec } from "../../src/cli/command-table.js";
import { readSpecText, SpecInvalidError, UsageError } from "../../src/index.js";
import { ROOT } from "../helpers/env.js";

/**
 * Docs that cannot rot: every spec in a ```yaml block of the docs is
 * validated as the CLI would (a block whose info string is `yaml fragment`
 * only has to be YAML), and every zcspec command line of a ```sh block is
 * parsed by the command's own option parser, the repository files it names
 * existing. CONTRIBUTING.md says how to mark a fragment.
 */

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? markdownFiles(join(dir, e.name))
      : e.name.endsWith(".md")
        ? [join(dir, e.name)]
        : [],
  );
}

const DOCS = ["README.md", "CONTRIBUTING.md", "specs/README.md", ...markdownFiles("docs")].filter(
  (f) => existsSync(f),
);

interface Block {
  file: string;
  line: number;
  info: string;
  text: string;
}

function codeBlocks(file: string, markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S.*)?$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j] as string))
      body.push((lines[j++] as string).slice(indent));
    out.push({ file, line: i + 1, info: (open[2] ?? "").trim(), text: `${body.join("\n")}\n` });
    i = j;
  }
  return out;
}

/** The problems of one ```yaml block, as the CLI prints them; [] when it is a valid spec. */
function yamlProblems(b: Block): string[] {
  const where = `${b.file}:${b.line}`;
  if (b.info === "yaml fragment") {
    try {
      parse(b.text);
      return [];
    } catch (e) {
      return [`${where}: ${(e as Error).message}`];
    }
  }
  try {
    // named after the document, so extends resolves from its folder as it would for a spec there
    readSpecText(b.file.replace(/[^/]*$/, "doc-example.yaml"), b.text);
    return [];
  } catch (e) {
    if (!(e instanceof SpecInvalidError)) throw e;
    return e.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `${where}+${d.line - 1}: error[${d.code}]: ${d.message}`);
  }
}

const COMMAND = /^(?:npx zcspec|zcspec|node bin\/zcspec\.js|\.\/bin\/zcspec\.js) (.*)$/;

/** Shell words of a line, quotes removed; the comment after an unquoted # dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(#.*$)|(\S+)/g)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? (m[4] as string));
  }
  return out;
}

/** What the real option parser (src/cli/command-table.ts's table) says of a command line; undefined: fine. */
function parseProblem(command: string, rest: string[]): string | undefined {
  if (command === "help" || command === "--version" || command === "--help") {
    const [name] = rest;
    return name === undefined || commandSpec(name) ? undefined : `no command ${name}`;
  }
  const cmd = commandSpec(command);
  if (!cmd) return `no command ${command}`;
  try {
    parseCommandLine(cmd, rest);
    return undefined;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return `error[${e.code}]: ${e.message}${e.hint ? ` (${e.hint})` : ""}`;
  }
}

/** The problems of one zcspec command line: its options as the command parses them, its files. */
function commandProblems(b: Block, line: string): string[] {
  const [command, ...rest] = words(line.replace(COMMAND, "$1"));
  const where = `${b.file}:${b.line}: ${line}`;
  const problem = parseProblem(command as string, rest);
  const problems = problem === undefined ? [] : [`${where}: ${problem}`];
  for (const a of rest) {
    if (/^(specs|schema|docs|bench|test)\//.test(a) && !existsSync(join(ROOT, a)))
      problems.push(`${where}: ${a} does not exist`);
  }
  return problems;
}

/** The commands of a shell line: `a && b`, `a; b` and `a | b` are two (not inside quotes). */
function shellCommands(line: string): string[] {
  const out: string[] = [];
  let quote = "";
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "#") break;
    else if (ch === ";" || ch === "|" || (ch === "&" && line[i + 1] === "&")) {
      out.push(line.slice(start, i));
      if (line[i + 1] === ch) i++;
      start = i + 1;
    }
  }
  out.push(line.slice(start));
  return out.map((c) => c.trim());
}

async function docProblems(file: string, markdown: string): Promise<string[]> {
  const problems: string[] = [];
  for (const b of codeBlocks(file, markdown)) {
    if (b.info === "yaml" || b.info === "yaml fragment") problems.push(...yamlProblems(b));
    if (b.info !== "sh") continue;
    for (const line of b.text.split("\n").flatMap(shellCommands)) {
      if (COMMAND.test(line)) problems.push(...commandProblems(b, line));
    }
  }
  return problems;
}

describe("the docs' examples", () => {
  it("finds the documents and their blocks", () => {
    expect(DOCS).toContain("README.md");
    const blocks = DOCS.flatMap((f) => codeBlocks(f, readFileSync(f, "utf8")));
    expect(blocks.filter((b) => b.info === "yaml").length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => b.info === "sh").length).toBeGreaterThan(5);
  });

  it.each(DOCS)("%s: every spec validates and every zcspec command parses", async (file) => {
    expect(await docProblems(file, readFileSync(file, "utf8"))).toEqual([]);
  });

  it("catches an invalid spec and a stale command", async () => {
    const planted = [
      "```yaml",
      "version: 1",
      "name: t",
      "defaults: { mode: sned_zc }",
      "```",
      "```sh",
      "zcspec run specs/examples/udp-sink.yaml --no-such-flag",
      "zcspec validate specs/examples/gone.yaml",
      "```",
    ].join("\n");
    const problems = await docProblems("PLANTED.md", planted);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("ZC_BAD_VALUE");
    expect(problems[1]).toContain("--no-such-flag");
    expect(problems[2]).toContain("specs/examples/gone.yaml does not exist");
  });
});
