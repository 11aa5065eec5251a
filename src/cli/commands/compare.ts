import { compareRuns, readResults, renderComparison } from "../../index.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { writeOutput } from "../output.js";
import { parseTolerance } from "../values.js";

export async function compareCommand(argv: string[]): Promise<number> {
  const args = commandLine("compare", argv);
  if (!args) return EXIT.ok;
  const [before, after] = args.positionals as [string, string];
  const toleranceFlag = args.value("tolerance");
  const tolerance = toleranceFlag === undefined ? 0.05 : parseTolerance(toleranceFlag);
  const comparison = compareRuns(
    { file: before, suite: await readResults(before) },
    { file: after, suite: await readResults(after) },
    tolerance,
  );
  const json = args.value("json");
  const markdown = args.value("markdown");
  if (json !== undefined) await writeOutput(json, `${JSON.stringify(comparison, null, 2)}\n`);
  // Markdown on stdout unless an output took it
  if (markdown !== undefined || json === undefined)
    await writeOutput(markdown ?? "-", renderComparison(comparison));
  return comparison.pairs.some((p) => p.changes.some((c) => c.beyondTolerance))
    ? EXIT.failed
    : EXIT.ok;
}
