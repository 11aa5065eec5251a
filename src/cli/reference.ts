import {
  COMMANDS,
  type CommandSpec,
  ENVIRONMENT,
  EXIT_CODES,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from "./command-table.js";
import { usageLine } from "./help.js";

/** docs/reference/cli.md: the same option tables that parse the command line and print `--help`. */

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function optionRows(options: readonly OptionSpec[]): string[] {
  return [
    "| option | value | default | what it does |",
    "| --- | --- | --- | --- |",
    ...options.map((o) => {
      const name = `${o.short ? `\`-${o.short}\`, ` : ""}\`--${o.name}\``;
      const notes = [o.multiple ? "repeatable" : "", o.output ? '"-" writes to stdout' : ""]
        .filter(Boolean)
        .join("; ");
      const what = notes ? `${o.description} (${notes})` : o.description;
      return `| ${name} | ${cell(o.value ?? "")} | ${cell(o.default ?? "")} | ${cell(what)} |`;
    }),
  ];
}

function commandSection(cmd: CommandSpec): string[] {
  const { positionals: p } = cmd;
  return [
    `## zcspec ${cmd.name}`,
    "",
    `\`${usageLine(cmd)}\``,
    "",
    cmd.description,
    "",
    ...(p.name ? [`Arguments: \`${p.name}\`: ${p.description}`, ""] : []),
    ...optionRows(cmd.options),
    "",
    ...(cmd.retired?.length
      ? [
          `No longer taken: ${cmd.retired.map((r) => `\`--${r.name}\` (${r.hint})`).join("; ")}.`,
          "",
        ]
      : []),
    ...(cmd.examples?.length ? ["Examples:", "", "```sh", ...cmd.examples, "```", ""] : []),
    `Exit codes: ${cmd.exitCodes.map(([c, m]) => `${c} ${m}`).join(", ")}.`,
    "",
  ];
}

/** The command-line reference page's body (title and source line are the generator's). */
export function cliReference(): string {
  return [
    "`zcspec --help` lists the commands, `zcspec help COMMAND` prints one command's help.",
    "",
    "## zcspec",
    "",
    "`zcspec COMMAND [options]`",
    "",
    ...optionRows(GLOBAL_OPTIONS),
    "",
    "| command | what it does |",
    "| --- | --- |",
    ...COMMANDS.map((c) => `| [${c.name}](#zcspec-${c.name}) | ${cell(c.summary)} |`),
    "",
    "Environment:",
    "",
    "| variable | meaning |",
    "| --- | --- |",
    ...ENVIRONMENT.map(([name, meaning]) => `| \`${name}\` | ${cell(meaning)} |`),
    "",
    `Exit codes: ${EXIT_CODES.map(([c, m]) => `${c} ${m}`).join(", ")}.`,
    "",
    ...COMMANDS.flatMap(commandSection),
  ].join("\n");
}
