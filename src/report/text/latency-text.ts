import { figureValue, MEASURED_FIGURES } from "../../model/figures.js";
import {
  LATENCY_SPANS,
  type LatencyHistogram,
  type LatencySpan,
} from "../../model/measured/latency.js";
import type { Measured } from "../../model/measured/measured.js";
import type { CaseResult } from "../../model/results.js";
import { alignment, markdownTable } from "./markdown-table.js";
import { duration, durations, figureText, integer } from "./numbers.js";

/** Cases with some latency span measured, each with its figures. */
function withLatency(results: readonly CaseResult[]): { result: CaseResult; measured: Measured }[] {
  return results.flatMap((r) => {
    const m = r.measured;
    return m && LATENCY_SPANS.some((s) => m.latency?.[s]) ? [{ result: r, measured: m }] : [];
  });
}

/** The spans some of `measured` has, in LATENCY_SPANS order: a copying mode's run has no notif. */
function spansIn(measured: readonly Measured[]): LatencySpan[] {
  return LATENCY_SPANS.filter((s) => measured.some((m) => m.latency?.[s]));
}

/** A run's measured spans with their histograms, in LATENCY_SPANS order. */
function histograms(m: Measured): [LatencySpan, LatencyHistogram][] {
  return LATENCY_SPANS.flatMap((s) => {
    const h = m.latency?.[s];
    return h ? [[s, h] as [LatencySpan, LatencyHistogram]] : [];
  });
}

/** "12.1/40.3/88 µs": a span's p50, p99 and p99.9, in one unit. */
function tail(h: LatencyHistogram | undefined): string {
  return h ? durations([h.p50, h.p99, h.p999]) : "-";
}

const PEAK = MEASURED_FIGURES.peakPinnedBytes;

/** "256 KiB", or "-" where the executor did not count it. */
function peakPinned(m: Measured): string {
  const v = figureValue(m, "peakPinnedBytes");
  return v === undefined ? "-" : figureText(PEAK.format, v);
}

const TAIL_HEAD = "latency p50/p99/p99.9";

/**
 * The console's latency table: a line per case with latency, each span's
 * p50/p99/p99.9 and the peak pinned bytes; undefined when no case has any.
 */
export function latencyTable(
  results: readonly CaseResult[],
): { head: string[]; rows: string[][] } | undefined {
  const cases = withLatency(results);
  if (cases.length === 0) return undefined;
  const spans = spansIn(cases.map((c) => c.measured));
  return {
    head: [TAIL_HEAD, ...spans, PEAK.column],
    rows: cases.map(({ result, measured: m }) => [
      result.case.name,
      ...spans.map((s) => tail(m.latency?.[s])),
      peakPinned(m),
    ]),
  };
}

/**
 * "latency p50/p99/p99.9: completion 12.1/40.3/88 µs, notif ...; peak pinned 256 KiB", or
 * undefined.
 */
export function latencyLine(m: Measured): string | undefined {
  const spans = histograms(m);
  if (spans.length === 0) return undefined;
  const parts = spans.map(([s, h]) => `${s} ${tail(h)}`);
  return `${TAIL_HEAD}: ${parts.join(", ")}; ${PEAK.column} ${peakPinned(m)}`;
}

/**
 * What the latency histograms sampled, when some case timed fewer than all its requests
 * (latency.record: sampled): "latency timed one request in 64 (send_zc, ...): a histogram's
 * count is the requests it timed".
 */
export function samplingNote(results: readonly CaseResult[]): string | undefined {
  const byRate = new Map<number, string[]>();
  for (const { result } of withLatency(results)) {
    const every = result.case.latency?.every ?? 1;
    if (every > 1) byRate.set(every, [...(byRate.get(every) ?? []), result.case.name]);
  }
  if (byRate.size === 0) return undefined;
  const parts = [...byRate].map(([every, names]) => {
    const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")}, ...` : names.join(", ");
    return `one request in ${every} (${shown})`;
  });
  return (
    `latency timed ${parts.join("; ")}: a histogram's count is the requests it timed ` +
    "(latency: { record: full } times all)"
  );
}

/** A Markdown table of every case's latency, a row per span; undefined when no case has any. */
export function latencyMarkdown(results: readonly CaseResult[]): string | undefined {
  const cases = withLatency(results);
  if (cases.length === 0) return undefined;
  const head = ["case", "span", "count", "p50", "p90", "p99", "p99.9", "max", PEAK.column];
  const rows = cases.flatMap(({ result, measured: m }) =>
    histograms(m).map(([s, h], i) => {
      const times = [h.p50, h.p90, h.p99, h.p999, h.max].map(duration);
      // the peak is the case's, not a span's: written once, on its first row
      return [result.case.name, s, integer(h.count), ...times, i === 0 ? peakPinned(m) : ""];
    }),
  );
  const sampled = samplingNote(results);
  return (
    "Latency per request (completion: submit to completion; notif: submit to the buffer-free " +
    "notification; pinned: completion to " +
    `notification):\n\n${markdownTable(head, rows, alignment(head, "case", "span"))}` +
    (sampled ? `\n\n${sampled}.` : "")
  );
}
