import { type Check, isFailure } from "../../model/check.js";
import type { CaseResult, RunResult, SuiteResult } from "../../model/results.js";
import type { ReportFormat } from "../file-format.js";
import { caseProblems, describeCheck } from "../text/describe.js";
import { latencyLine } from "../text/latency-text.js";
import { gbit } from "../text/numbers.js";
import { outcomeSentences } from "../text/search-text.js";
import { xmlEscape as x } from "../text/xml.js";

const secs = (ms: number) => (ms / 1000).toFixed(3);

function caseSeconds(r: CaseResult): string {
  const runs = r.runs ?? (r.measured ? [r.measured] : []);
  return (runs.reduce((a, m) => a + m.elapsedNs, 0) / 1e9).toFixed(3);
}

function figures(r: CaseResult): string {
  const m = r.measured;
  if (!m) return "";
  const parts = [
    `requests/s ${Math.round(m.rps)}`,
    `Gbit/s ${gbit(m.gbps)}`,
    `requests ${m.requests}`,
    `completions ${m.completions}`,
    `notifications ${m.notifications}`,
    `errors ${m.errors}`,
  ];
  if (m.segmentsPerSecond !== undefined)
    parts.splice(1, 0, `segments/s ${Math.round(m.segmentsPerSecond)}`);
  if (r.stats)
    parts.push(`median of ${r.stats.runs} runs, stddev ${Math.round(r.stats.stddev.rps)} req/s`);
  const latency = latencyLine(m);
  return latency ? `${parts.join(", ")}\n${latency}` : parts.join(", ");
}

const inconclusive = (r: CaseResult) => r.checks.filter((c) => c.verdict === "inconclusive");

/**
 * A case that passed but for a relation whose interval was inconclusive: CI
 * systems show it as skipped (yellow, with the message), not as a pass.
 */
const undecided = (r: CaseResult) => r.status === "passed" && inconclusive(r).length > 0;

function testcase(r: CaseResult): string {
  const open = `    <testcase classname="${x(r.spec)}" name="${x(r.case.name)}" time="${caseSeconds(r)}"`;
  const body: string[] = [];
  if (r.status === "skipped") body.push(`      <skipped message="${x(r.reason ?? "skipped")}"/>`);
  if (undecided(r)) {
    const first = inconclusive(r)[0];
    body.push(`      <skipped message="${x(first ? describeCheck(first) : "inconclusive")}"/>`);
  }
  if (r.status === "error") {
    const all = caseProblems(r).join("\n");
    body.push(`      <error message="${x(r.reason ?? "error")}" type="error">${x(all)}</error>`);
  }
  if (r.status === "failed") {
    const failed = r.checks.filter(isFailure);
    const first = failed[0];
    body.push(
      `      <failure message="${x(first ? describeCheck(first) : "failed")}" type="${x(first?.kind ?? "check")}">${x(failed.map(describeCheck).join("\n"))}</failure>`,
    );
  }
  const skippedChecks = r.checks
    .filter((c) => c.skipped || c.verdict === "inconclusive")
    .map(describeCheck);
  const out = [figures(r), ...skippedChecks, ...(r.warnings ?? [])].filter(Boolean);
  if (out.length) body.push(`      <system-out>${x(out.join("\n"))}</system-out>`);
  return body.length ? `${open}>\n${body.join("\n")}\n    </testcase>` : `${open}/>`;
}

function count(results: readonly CaseResult[], status: CaseResult["status"]): number {
  return results.filter((r) => r.status === status || (status === "skipped" && undecided(r)))
    .length;
}

/** A break-even search's own testcase: its checks (expectations about `search`, the baseline). */
function searchCase(
  run: RunResult,
): { xml: string; failed: boolean; skipped: boolean } | undefined {
  const r = run.search;
  if (!r) return undefined;
  const { parameter, labels } = r.settings;
  const name = `search ${parameter}: ${labels.compare} vs ${labels.against}`;
  const open = `    <testcase classname="${x(run.spec)}" name="${x(name)}" time="${secs(r.elapsedMs)}"`;
  const failed = r.checks.filter(isFailure);
  const undecided = r.checks.filter((c) => !c.pass && !isFailure(c));
  const body: string[] = [];
  if (failed.length)
    body.push(
      `      <failure message="${x(describeCheck(failed[0] as Check))}" type="${x(failed[0]?.kind ?? "check")}">${x(failed.map(describeCheck).join("\n"))}</failure>`,
    );
  else if (undecided.length)
    body.push(`      <skipped message="${x(describeCheck(undecided[0] as Check))}"/>`);
  body.push(`      <system-out>${x(outcomeSentences(r).join("\n"))}</system-out>`);
  return {
    xml: `${open}>\n${body.join("\n")}\n    </testcase>`,
    failed: failed.length > 0,
    skipped: failed.length === 0 && undecided.length > 0,
  };
}

function totals(results: readonly CaseResult[], runs: readonly RunResult[] = []): string {
  const searches = runs.flatMap((run) => {
    const c = searchCase(run);
    return c ? [c] : [];
  });
  const failures = count(results, "failed") + searches.filter((c) => c.failed).length;
  const skipped = count(results, "skipped") + searches.filter((c) => c.skipped).length;
  return (
    `tests="${results.length + searches.length}" failures="${failures}" ` +
    `errors="${count(results, "error")}" skipped="${skipped}"`
  );
}

function testsuite(run: RunResult): string {
  const props = run.partial
    ? `    <properties>\n      <property name="partial" value="true"/>\n      <property name="stoppedBy" value="${x(run.stoppedBy ?? "")}"/>\n    </properties>\n`
    : "";
  return [
    `  <testsuite name="${x(run.spec)}" ${totals(run.results, [run])} time="${secs(run.elapsedMs)}" timestamp="${x(run.startedAt.replace(/\.\d+Z$/, ""))}" file="${x(run.file)}">`,
    `${props}${[
      ...run.results.map(testcase),
      ...(run.search ? [searchCase(run)?.xml ?? ""] : []),
    ].join("\n")}`,
    "  </testsuite>",
  ].join("\n");
}

/** JUnit XML as CI systems read it: one testsuite per spec, one testcase per case. */
export const junitFormat: ReportFormat = {
  name: "junit",
  description: "JUnit XML for CI: a testsuite per spec, a testcase per case",
  render(suite: SuiteResult) {
    const all = suite.runs.flatMap((r) => r.results);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="zcspec" ${totals(all, suite.runs)} time="${secs(suite.elapsedMs)}">`,
      ...suite.runs.map(testsuite),
      "</testsuites>",
      "",
    ].join("\n");
  },
};
