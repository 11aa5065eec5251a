import { toolVersion, UsageError } from "../index.js";
import { EXIT, reportError } from "./exit.js";

const HELP = `zcspec: declarative io_uring zerocopy send workloads

Usage: zcspec <command> [options]

Commands:
  run <spec|dir>...        run specs' cases, check them, print and write results
  validate <file|dir>...   check specs without running them (every problem, located)
  plan <spec.yaml>         show the expanded cases and their native plans, running nothing
  report <results>         render a saved run (--json output) as markdown, svg, junit, csv
  compare <before> <after> two saved runs case by case: every figure's change and verdict
  probe                    show what this kernel and process can do (each feature tried;
                           --kernel: other kernels in VMs, side by side)
  schema                   print the spec language's JSON Schema
  explain <name>           one spec key, CEL name or error code, from the reference
  receive --stdio          the receiver of a remote target, started on the receiving host

Run \`zcspec <command> --help\` for a command's options.

Exit codes: 0 every case passed, 1 a check failed, 2 invalid spec or usage,
3 runtime or environment error, 130 interrupted.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // each command is imported when used: validate must not load the native binding
      case "run":
        return await (await import("./run-command.js")).runCommand(rest);
      case "probe":
        return await (await import("./probe-command.js")).probeCommand(rest);
      case "report":
        return await (await import("./report-command.js")).reportCommand(rest);
      case "compare":
        return await (await import("./compare-command.js")).compareCommand(rest);
      case "validate":
        return await (await import("./validate-command.js")).validateCommand(rest);
      case "plan":
        return await (await import("./plan-command.js")).planCommand(rest);
      case "schema":
        return await (await import("./schema-command.js")).schemaCommand(rest);
      case "explain":
        return await (await import("./explain-command.js")).explainCommand(rest);
      case "receive":
        return await (await import("./receive-command.js")).receiveCommand(rest);
      case "--version":
      case "-v":
        process.stdout.write(`${toolVersion()}\n`);
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
      return reportError(new UsageError((e as Error).message, "check the path"));
    }
    return reportError(e);
  }
}
