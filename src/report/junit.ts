import { isFailure } from "../model/check.js";
import type { CaseResult, RunResult, SuiteResult } from "../model/results.js";
import { caseProblems, describeCheck } from "./describe.js";
import type { ReportFormat } from "./format.js";
import { gbit } from "./numbers.js";
import { xmlEscape as x } from "./xml.js";

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
  if (r.stats)
    parts.push(`median of ${r.stats.runs} runs, stddev ${Math.round(r.stats.stddev.rps)} req/s`);
  return parts.join(", ");
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

function totals(results: readonly CaseResult[]): string {
  return `tests="${results.length}" failures="${count(results, "failed")}" errors="${count(results, "error")}" skipped="${count(results, "skipped")}"`;
}

function testsuite(run: RunResult): string {
  const props = run.partial
    ? `    <properties>\n      <property name="partial" value="true"/>\n      <property name="stoppedBy" value="${x(run.stoppedBy ?? "")}"/>\n    </properties>\n`
    : "";
  return [
    `  <testsuite name="${x(run.spec)}" ${totals(run.results)} time="${secs(run.elapsedMs)}" timestamp="${x(run.startedAt.replace(/\.\d+Z$/, ""))}" file="${x(run.file)}">`,
    `${props}${run.results.map(testcase).join("\n")}`,
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
      `<testsuites name="zcspec" ${totals(all)} time="${secs(suite.elapsedMs)}">`,
      ...suite.runs.map(testsuite),
      "</testsuites>",
      "",
    ].join("\n");
  },
};
