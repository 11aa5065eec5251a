import { toolVersion, UsageError } from "../index.js";
import { closest } from "../internal.js";
import { COMMANDS, commandSpec } from "./commands.js";
import { EXIT, reportError } from "./exit.js";
import { commandHelp, topHelp } from "./help.js";

/** Each command's module, imported when used: validate must not load the native binding. */
const RUNNERS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  run: async () => (await import("./run-command.js")).runCommand,
  probe: async () => (await import("./probe-command.js")).probeCommand,
  report: async () => (await import("./report-command.js")).reportCommand,
  compare: async () => (await import("./compare-command.js")).compareCommand,
  validate: async () => (await import("./validate-command.js")).validateCommand,
  plan: async () => (await import("./plan-command.js")).planCommand,
  schema: async () => (await import("./schema-command.js")).schemaCommand,
  init: async () => (await import("./init-command.js")).initCommand,
  explain: async () => (await import("./explain-command.js")).explainCommand,
  receive: async () => (await import("./receive-command.js")).receiveCommand,
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
