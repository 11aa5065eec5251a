import {
  type Latency,
  TX_SPANS,
  type TxSpan,
  type TxTimestamps,
} from "../model/measured/latency.js";
import { fromDense } from "../stats/latency.js";
import { type RawTstamp, ZC_TS_SPAN, ZC_TS_VIA } from "./abi.js";

/** zc_tstamp.hist's index of each tx_ span */
const INDEX: Record<TxSpan, number> = {
  tx_sched: ZC_TS_SPAN.sched,
  tx_driver: ZC_TS_SPAN.driver,
  tx_ack: ZC_TS_SPAN.ack,
  tx_notif: ZC_TS_SPAN.notif,
  tx_total: ZC_TS_SPAN.total,
};

/** The sampled requests' span histograms, leaving out spans with nothing timed. */
export function txLatency(raw: RawTstamp | undefined): Latency {
  const out: Latency = {};
  if (!raw?.via) return out;
  for (const span of TX_SPANS) {
    const h = raw.hist[INDEX[span]];
    const summary =
      h &&
      fromDense({ count: h.count, sumNs: h.sum_ns, minNs: h.min_ns, maxNs: h.max_ns }, h.buckets);
    if (summary) out[span] = summary;
  }
  return out;
}

/** Why a span has no histogram, from the stamps that did come back. */
function whyAbsent(t: Omit<TxTimestamps, "absent">, tcp: boolean): Record<TxSpan, string> {
  const none = `no sampled request was timed (${t.sampled} sampled, ${t.incomplete} incomplete)`;
  return {
    tx_sched: t.stamps.sched ? none : "no SCHED stamp came back: no packet reached a device queue",
    tx_driver: t.stamps.software
      ? none
      : "no SOFTWARE stamp: the driver dropped the packet first, or never stamps",
    tx_ack: !tcp ? "UDP has no ACK stamp" : t.stamps.ack ? none : "no ACK stamp came back",
    tx_notif: none,
    tx_total: none,
  };
}

/** zc_tstamp as the results say it; undefined where the case asked for no stamps. */
export function txTimestamps(
  raw: RawTstamp | undefined,
  latency: Latency,
  tcp: boolean,
): TxTimestamps | undefined {
  if (!raw?.via) return undefined;
  const [sched = 0, software = 0, ack = 0] = raw.stamps;
  const t = {
    via: raw.via === ZC_TS_VIA.errqueue ? ("error_queue" as const) : ("io_uring" as const),
    sampled: raw.sampled,
    timed: raw.timed,
    incomplete: raw.incomplete,
    unmatched: raw.unmatched,
    disordered: raw.disordered,
    mismatched: raw.mismatched,
    early: raw.early,
    stamps: { sched, software, ack },
  };
  const why = whyAbsent(t, tcp);
  const absent: TxTimestamps["absent"] = {};
  for (const span of TX_SPANS) if (!latency[span]) absent[span] = why[span];
  return { ...t, absent };
}
