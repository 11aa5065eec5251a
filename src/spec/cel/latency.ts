import type { Environment } from "@marcbachmann/cel-js";
import {
  LATENCY_SPANS,
  type Latency,
  type LatencyHistogram,
  type LatencySpan,
} from "../../model/measured/latency.js";

/** What an expression reads of a span: `result.latency.notif.p99` (ns; count in requests). */
export const LATENCY_FIELDS = [
  "count",
  "mean",
  "min",
  "max",
  "p50",
  "p90",
  "p99",
  "p999",
] as const satisfies readonly (keyof LatencyHistogram)[];

/** One span's summary; a class because cel-js checks custom-typed values by constructor. */
export class CelSpan {
  constructor(h: LatencyHistogram) {
    for (const f of LATENCY_FIELDS) Object.assign(this, { [f]: h[f] });
  }
}

/** `result.latency`: the spans the case timed; one it did not is absent, so reading it errs. */
export class CelLatency {
  /** l is undefined in a results file (a baseline) written before zcspec measured latency */
  constructor(l: Latency | undefined) {
    for (const span of LATENCY_SPANS) {
      const h = l?.[span];
      if (h) Object.assign(this, { [span]: new CelSpan(h) });
    }
  }
}

export function registerLatency(env: Environment): Environment {
  return env
    .registerType("LatencySpan", {
      ctor: CelSpan,
      fields: Object.fromEntries(LATENCY_FIELDS.map((f) => [f, "double"])),
    })
    .registerType("Latency", {
      ctor: CelLatency,
      fields: Object.fromEntries(LATENCY_SPANS.map((s) => [s, "LatencySpan"])),
    });
}

const WHY_ABSENT: Record<LatencySpan, string> = {
  completion: "no request succeeded",
  notif: "only zerocopy requests are notified",
  pinned: "only zerocopy requests are notified",
  intended_completion: "only a paced case (rate:) has intended starts",
  intended_notif: "only a paced zerocopy case (rate:) has intended starts and notifications",
  lateness: "only a paced case (rate:) has intended starts",
  tx_sched: "only with timestamps.every, where the device queue stamps",
  tx_driver: "only with timestamps.every, where the driver stamps",
  tx_ack: "only with timestamps.every over TCP",
  tx_notif: "only with timestamps.every",
  tx_total: "only with timestamps.every",
};

/**
 * Why an expression could not read a span (cel-js: "No such key: notif"),
 * with the guard that makes it apply only where there is one; else undefined.
 */
export function absentSpanHint(summary: string): string | undefined {
  const key = /No such key: (\w+)/.exec(summary)?.[1];
  const span = LATENCY_SPANS.find((s) => s === key);
  if (!span) return undefined;
  return (
    `no ${span} latency in this result (${WHY_ABSENT[span]}; over() gives none): guard with ` +
    `where: has(result.latency.${span})`
  );
}
