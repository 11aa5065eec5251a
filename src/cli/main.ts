import { toolVersion, UsageError } from "../index.js";
import { closest } from "../internal.js";
import { COMMANDS, commandSpec } from "./command-table.js";
import { EXIT, reportError } from "./exit.js";
import { commandHelp, topHelp } from "./help.js";

/** Each command's module, imported when used: validate must not load the native binding. */
const RUNNERS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  run: async () => (await import("./commands/run.js")).runCommand,
  probe: async () => (await import("./commands/probe.js")).probeCommand,
  report: async () => (await import("./commands/report.js")).reportCommand,
  compare: async () => (await import("./commands/compare.js")).compareCommand,
  validate: async () => (await import("./commands/validate.js")).validateCommand,
  plan: async () => (await import("./commands/plan.js")).planCommand,
  schema: async () => (await import("./commands/schema.js")).schemaCommand,
  init: async () => (await import("./commands/init.js")).initCommand,
  explain: async () => (await import("./commands/explain.js")).explainCommand,
  receive: async () => (await import("./commands/receive.js")).receiveCommand,
};

function unknownCommand(word: string, what = "command"): UsageError {
  const guess = closest(
    word,
    COMMANDS.map((c) => c.name),
  );
  return new UsageError(
    `unknown ${what} "${word}"`,
    guess
      ? `did you mean ${guess}? (zcspec --help lists the commands)`
      : "zcspec --help lists the commands",
  );
}

/** `zcspec help [COMMAND]`: the command's help, or the top-level one. */
function help(rest: string[]): number {
  const [name, ...more] = rest;
  if (more.length > 0) throw new UsageError("zcspec help takes one command", "zcspec help run");
  if (name === undefined) {
    process.stdout.write(topHelp());
    return EXIT.ok;
  }
  const cmd = commandSpec(name);
  if (!cmd) throw unknownCommand(name);
  process.stdout.write(commandHelp(cmd));
  return EXIT.ok;
}

/** A file-system error on a path the user gave is theirs to fix, not a bug of ours. */
const USER_FS_ERRORS = new Set(["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ELOOP"]);

function fsUsage(e: unknown): UsageError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== "string" || !USER_FS_ERRORS.has(err.code)) return undefined;
  const reason = err.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
  return new UsageError(
    `${err.path ?? "a file"}: ${reason}`,
    err.code === "EISDIR" ? "name a file, not a directory" : "check the path and its permissions",
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "--version":
      case "-v":
        process.stdout.write(`${toolVersion()}\n`);
        return EXIT.ok;
      case undefined:
        process.stdout.write(topHelp());
        return EXIT.invalid;
      case "help":
        return help(rest);
      case "--help":
      case "-h":
        return help([]);
    }
    const load = RUNNERS[command];
    if (!load) throw unknownCommand(command, command.startsWith("-") ? "option" : "command");
    return await (await load())(rest);
  } catch (e) {
    return reportError(fsUsage(e) ?? e);
  }
}
