import { existsSync, statSync } from "node:fs";
import { UsageError } from "../index.js";
import { closest } from "../internal.js";
import { type CommandSpec, commandSpec, type OptionSpec } from "./command-table.js";
import { commandHelp } from "./help.js";

/** A command line parsed against its command's table. */
export interface ParsedArgs {
  positionals: string[];
  flag(name: string): boolean;
  value(name: string): string | undefined;
  values(name: string): string[];
}

const helpHint = (cmd: CommandSpec) => `zcspec ${cmd.name} --help lists the options`;

function optionWord(o: OptionSpec): string {
  return `--${o.name}${o.value ? ` ${o.value}` : ""}`;
}

function unknownOption(cmd: CommandSpec, word: string): UsageError {
  const retired = cmd.retired?.find((r) => word === `--${r.name}` || word === `-${r.short}`);
  if (retired) return new UsageError(`zcspec ${cmd.name} no longer has ${word}`, retired.hint);
  const long = word.startsWith("--");
  const names = cmd.options.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]);
  const guess = long ? closest(word, names) : undefined;
  const first = guess
    ? `did you mean ${guess}? `
    : long
      ? ""
      : `a file whose name starts with "-" goes after --: zcspec ${cmd.name} -- ${word} `;
  return new UsageError(
    `unknown option ${word} for zcspec ${cmd.name}`,
    first ? `${first}(${helpHint(cmd)})` : helpHint(cmd),
  );
}

function missingValue(cmd: CommandSpec, o: OptionSpec, got?: string): UsageError {
  const after = got === undefined ? "" : `, got ${got}`;
  const hint = o.output
    ? `--${o.name} names the file to write: --${o.name} - prints to stdout (it is no switch)`
    : `${optionWord(o)}: ${o.description} (${helpHint(cmd)})`;
  return new UsageError(`--${o.name} needs a value (${o.value})${after}`, hint);
}

/** A value that reads as a spec or a folder of them is almost surely an input, not an output. */
function checkOutput(o: OptionSpec, value: string): void {
  const dir = existsSync(value) && statSync(value).isDirectory();
  if (/\.ya?ml$/.test(value) || dir)
    throw new UsageError(
      `--${o.name} ${value}: --${o.name} names the file to write, and that is ` +
        `${dir ? "a directory" : "a spec"}`,
      `write --${o.name} - for stdout, or --${o.name} ${o.name === "json" ? "out.json" : "FILE"}`,
    );
}

/**
 * Parse `argv` with `cmd`'s table: --name value, --name=value, -x, and "--"
 * to end the options. Every mistake is a UsageError naming the command.
 */
export function parseCommandLine(cmd: CommandSpec, argv: readonly string[]): ParsedArgs {
  const got = new Map<string, string[]>();
  const positionals: string[] = [];
  const byWord = new Map<string, OptionSpec>();
  for (const o of cmd.options) {
    byWord.set(`--${o.name}`, o);
    if (o.short) byWord.set(`-${o.short}`, o);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const word = eq > 0 ? arg.slice(0, eq) : arg;
    const o = byWord.get(word);
    if (!o) throw unknownOption(cmd, word);
    let value: string | undefined;
    if (o.type === "boolean") {
      if (eq > 0) throw new UsageError(`--${o.name} takes no value`, `write --${o.name} alone`);
      value = "";
    } else if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--") || (next !== "-" && byWord.has(next)))
        throw missingValue(cmd, o, next);
      value = next;
      i++;
    }
    if (o.output) checkOutput(o, value);
    const list = got.get(o.name) ?? [];
    if (list.length > 0 && !o.multiple)
      throw new UsageError(`--${o.name} given twice`, `${optionWord(o)} takes one value`);
    got.set(o.name, [...list, value]);
  }
  const { min, max, name } = cmd.positionals;
  if (!got.has("help")) {
    if (positionals.length < min)
      throw new UsageError(
        `zcspec ${cmd.name} needs ${name}${min > 1 ? ` (${min})` : ""}`,
        cmd.examples?.[0] ?? helpHint(cmd),
      );
    if (max !== undefined && positionals.length > max)
      throw new UsageError(
        max === 0
          ? `zcspec ${cmd.name} takes no arguments (got ${positionals.join(" ")})`
          : `zcspec ${cmd.name} takes at most ${max} ${name} (got ${positionals.join(" ")})`,
        helpHint(cmd),
      );
  }
  return {
    positionals,
    flag: (n) => got.has(n),
    value: (n) => got.get(n)?.[0],
    values: (n) => got.get(n) ?? [],
  };
}

/**
 * Parse the command line of the command called `name`. With --help, print
 * its help and return undefined: the command has nothing more to do.
 */
export function commandLine(name: string, argv: readonly string[]): ParsedArgs | undefined {
  const cmd = commandSpec(name);
  if (!cmd) throw new Error(`no command ${name} in the table`);
  const args = parseCommandLine(cmd, argv);
  if (!args.flag("help")) return args;
  process.stdout.write(commandHelp(cmd));
  return undefined;
}
