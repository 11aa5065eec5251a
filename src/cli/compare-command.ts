import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compareRuns, readResults, renderComparison, UsageError } from "../index.js";
import { EXIT } from "./exit.js";
import { parseTolerance } from "./run-command.js";

export const COMPARE_HELP = `zcspec compare BEFORE.json AFTER.json [options]

Two saved runs (--json output: two kernels, two commits, two machines)
compared case by case: cases are paired by their parameters (not their
names, nor how long they ran), and every figure with a better direction
(requests/s, Gbit/s, CPU per request) gets its change after/before with an
interval and a verdict: improved, regressed, no change detected (or not
comparable: rates under different accelerators).

Options:
  --markdown <file>     write the comparison as Markdown ("-": stdout, the default)
  --json <file>         write it as JSON ("-": stdout)
  --tolerance <pct>     exit 1 when a figure regressed by more than this (default 5%)
  -h, --help            show this help

Exit codes: 0 no regression beyond the tolerance, 1 one, 2 usage, 3 unreadable results.`;

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      markdown: { type: "string" },
      json: { type: "string" },
      tolerance: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${COMPARE_HELP}\n`);
    return EXIT.ok;
  }
  const [before, after] = positionals;
  if (positionals.length !== 2 || !before || !after)
    throw new UsageError(
      "zcspec compare needs two results files",
      "zcspec compare before.json after.json",
    );
  const tolerance = values.tolerance === undefined ? 0.05 : parseTolerance(values.tolerance);
  const comparison = compareRuns(
    { file: before, suite: await readResults(before) },
    { file: after, suite: await readResults(after) },
    tolerance,
  );
  const write = (target: string, text: string) =>
    target === "-" ? process.stdout.write(text) : writeFileSync(target, text);
  if (values.json) write(values.json, `${JSON.stringify(comparison, null, 2)}\n`);
  if (values.markdown || !values.json) write(values.markdown ?? "-", renderComparison(comparison));
  return comparison.pairs.some((p) => p.changes.some((c) => c.beyondTolerance))
    ? EXIT.failed
    : EXIT.ok;
}
