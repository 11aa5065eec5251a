import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { EXIT, reportError } from "./exit.js";
import { probeCommand } from "./probe-command.js";
import { RUN_HELP, runCommand } from "./run-command.js";

const HELP = `zcspec: declarative io_uring zerocopy send workloads

Usage: zcspec <command> [options]

Commands:
  run <spec.yaml>   run a spec's cases and print the results table
  probe             show what this kernel and process can do (each feature tried)

Run \`zcspec <command> --help\` for a command's options.

${RUN_HELP.split("\n").slice(4).join("\n")}`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await runCommand(rest);
      case "probe":
        return await probeCommand(rest);
      case "--version":
      case "-v":
        process.stdout.write(`${version()}\n`);
        return EXIT.ok;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? EXIT.invalid : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`, "zcspec --help lists the commands");
    }
  } catch (e) {
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      return reportError(new UsageError(e.message, "zcspec <command> --help lists the options"));
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      return reportError(new UsageError((e as Error).message, "check the spec file's path"));
    }
    return reportError(e);
  }
}
