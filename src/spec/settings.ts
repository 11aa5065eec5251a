/**
 * The parts of a case that resolve beyond a unit conversion: the request
 * mix of mode: mixed, the built-in receiver's settings and the pair's
 * sysctls and MTU (schema/zcspec.schema.json documents each).
 */
import type { Case, LatencyRecord, MixKind, Mode } from "../model/case.js";
import { parseSize } from "./units.js";

type Obj = Record<string, unknown>;

/** The kernel selftest's -m 3: copy, zerocopy, and zerocopy from a registered buffer, alike. */
export const DEFAULT_MIX: Readonly<Partial<Record<MixKind, number>>> = {
  send: 1,
  send_zc: 1,
  send_zc_fixed: 1,
};
export const DEFAULT_MIX_SEED = 1;

/**
 * A case's mix: present with mode: mixed (the selftest's weights when none
 * is given) and wherever the spec writes one, so that a mix no mixed case
 * uses can be reported where it was written.
 */
export function resolveMix(mode: Mode, mix: Obj | undefined): Case["mix"] {
  if (mode !== "mixed" && mix === undefined) return undefined;
  const written = (mix?.weights ?? {}) as Partial<Record<MixKind, number>>;
  const weights = Object.keys(written).length > 0 ? { ...written } : { ...DEFAULT_MIX };
  return {
    weights,
    order: (mix?.order as "random" | "rotate" | undefined) ?? "random",
    seed: (mix?.seed as number | undefined) ?? DEFAULT_MIX_SEED,
  };
}

export function resolveReceiver(r: Obj): Case["receiver"] {
  return {
    verify: r.verify as Case["receiver"]["verify"],
    sample_bytes: parseSize(r.sample_bytes as string | number),
    sample_every: r.sample_every as number,
    rcvbuf: parseSize(r.rcvbuf as string | number),
    cpu: (r.cpu as number | undefined) ?? -1,
  };
}

/** `latency`: its `every` as the executor takes it (1: every request, 0: none). */
export function resolveLatency(l: Obj): Case["latency"] {
  const record = l.record as LatencyRecord;
  return { record, every: record === "full" ? 1 : record === "off" ? 0 : (l.every as number) };
}

export function resolvePair(p: Obj): Case["pair"] {
  const s = p.sysctls as Obj;
  const size = (v: unknown) => parseSize(v as string | number);
  return {
    sysctls: {
      optmem_max: size(s.optmem_max),
      wmem_max: size(s.wmem_max),
      rmem_max: size(s.rmem_max),
    },
    mtu: p.mtu as number,
    gro: p.gro as boolean,
  };
}
