import { MEASURED_FIGURES } from "../../model/figures.js";
import type { CaseResult } from "../../model/results.js";
import { figureText } from "./numbers.js";

const share = (n: number) => figureText(MEASURED_FIGURES.flowMinShare.format, n);

/**
 * socket.flows (issue 24), one line a case rather than a table of 64: how
 * many flows, the fairness between them, and whether the receiver's count
 * of each flow matched; undefined for a case with one flow per thread.
 */
export function flowsLine(r: CaseResult): string | undefined {
  const m = r.measured;
  if (!m?.flows?.length) return undefined;
  const fair =
    m.flowJain !== undefined && m.flowMinShare !== undefined && m.flowMaxShare !== undefined
      ? `, Jain's index ${figureText(MEASURED_FIGURES.flowJain.format, m.flowJain)}, ` +
        `shares ${share(m.flowMinShare)}..${share(m.flowMaxShare)}`
      : "";
  const verified = r.checks.filter((k) => k.name.startsWith(`each of ${m.flows?.length} flows`));
  const rx = verified.length
    ? verified.every((k) => k.pass)
      ? ", each flow's bytes verified at the receiver"
      : ", a flow's bytes differ at the receiver"
    : "";
  return `${m.flows.length} flows${fair}${rx}`;
}

/** `case: line` for every case with several flows. */
export function flowsLines(results: readonly CaseResult[]): string[] {
  return results.flatMap((r) => {
    const line = flowsLine(r);
    return line ? [`${r.case.name}: ${line}`] : [];
  });
}
