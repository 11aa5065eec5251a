import {
  COMMANDS,
  type CommandSpec,
  ENVIRONMENT,
  EXIT_CODES,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from "./command-table.js";

/** `--help` text, rendered from the option tables of commands.ts. */

const WIDTH = 80;
/** the widest the term column gets; a longer term puts its text on the next line */
const MAX_COLUMN = 26;

/** Words of `text` in lines of at most `width - indent` characters, each indented. */
function wrap(text: string, indent: number, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l);
}

/** Two-column entries: each term, then its text wrapped beside it (or below, when long). */
function entries(rows: readonly (readonly [term: string, text: string])[]): string {
  const widest = Math.max(...rows.map(([term]) => term.length).filter((n) => n + 4 <= MAX_COLUMN));
  const column = widest + 4;
  return rows
    .map(([term, text]) => {
      const body = wrap(text, column);
      const head = `  ${term}`;
      if (head.length < column - 1) body[0] = head.padEnd(column) + (body[0] ?? "").trimStart();
      else body.unshift(head);
      return body.join("\n");
    })
    .join("\n");
}

function optionTerm(o: OptionSpec): string {
  const long = `--${o.name}${o.value ? ` ${o.value}` : ""}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

function optionText(o: OptionSpec): string {
  const more = [o.multiple ? "repeatable" : "", o.default ? `default: ${o.default}` : ""]
    .filter(Boolean)
    .join("; ");
  return more ? `${o.description} (${more})` : o.description;
}

export function usageLine(cmd: CommandSpec): string {
  const { name, min, max } = cmd.positionals;
  const many = max === undefined ? "..." : "";
  const pos = !name ? "" : min === 0 ? ` [${name}]` : ` ${name}${many}`;
  return `zcspec ${cmd.name}${pos} [options]`;
}

function exitCodes(codes: CommandSpec["exitCodes"]): string {
  return wrap(`Exit codes: ${codes.map(([c, m]) => `${c} ${m}`).join(", ")}.`, 0).join("\n");
}

export function commandHelp(cmd: CommandSpec): string {
  const parts = [
    `Usage: ${usageLine(cmd)}`,
    wrap(cmd.description, 0).join("\n"),
    ...(cmd.positionals.name
      ? [`Arguments:\n${entries([[cmd.positionals.name, cmd.positionals.description]])}`]
      : []),
    `Options:\n${entries(cmd.options.map((o) => [optionTerm(o), optionText(o)]))}`,
    ...(cmd.examples ? [`Examples:\n${cmd.examples.map((e) => `  ${e}`).join("\n")}`] : []),
    exitCodes(cmd.exitCodes),
  ];
  return `${parts.join("\n\n")}\n`;
}

export function topHelp(): string {
  const parts = [
    "zcspec: declarative io_uring zerocopy send workloads",
    "Usage: zcspec COMMAND [options]\n       zcspec help COMMAND",
    `Commands:\n${entries(COMMANDS.map((c) => [c.name, c.summary]))}`,
    `Options:\n${entries(GLOBAL_OPTIONS.map((o) => [optionTerm(o), o.description]))}`,
    "Run `zcspec help COMMAND` (or `zcspec COMMAND --help`) for a command's options.",
    `Environment:\n${entries(ENVIRONMENT)}`,
    exitCodes(EXIT_CODES),
  ];
  return `${parts.join("\n\n")}\n`;
}
