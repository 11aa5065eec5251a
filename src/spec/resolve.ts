import type { Case } from "../model/case.js";
import type { SpecDiagnostic } from "../model/errors.js";
import { expandMatrix } from "./matrix.js";
import { schemaDefaults } from "./schema.js";
import { resolveSearch, type SearchSpec } from "./search.js";
import { caseDiagnostics } from "./semantics.js";
import { resolveLatency, resolveMix, resolvePair, resolveReceiver } from "./settings.js";
import type { LoadedSpec } from "./source/load.js";
import type { Source } from "./source/locate.js";
import type { CaseOrigin, SpecInput } from "./types.js";
import { parseDuration, parseRate, parseSize } from "./units.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, anything else (arrays too) replaces. */
export function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObj(b) && isObj(v) ? merge(b, v) : structuredClone(v);
  }
  return out;
}

export function setPath(obj: Obj, dotted: string, value: unknown): Obj {
  return merge(
    obj,
    dotted.split(".").reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value) as Obj,
  );
}

function getPath(obj: Obj, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, seg) => (isObj(o) ? o[seg] : undefined), obj);
}

export function toCase(name: string, p: Obj, matrix: Record<string, unknown>): Case {
  const socket = p.socket as Obj;
  const ring = p.ring as Obj;
  const buffers = p.buffers as Obj;
  const size = (v: unknown) => parseSize(v as string | number);
  const time = (v: unknown) => parseDuration(v as string | number);
  const bytes = size(buffers.size);
  const offset = size(buffers.offset);
  const align = size(buffers.align);
  const slot = size(buffers.slot);
  const c: Case = {
    name,
    mode: p.mode as Case["mode"],
    target: p.target as Case["target"],
    socket: {
      ...(socket as unknown as Case["socket"]),
      sndbuf: size(socket.sndbuf),
    },
    ring: {
      entries: ring.entries as number,
      flags: [...(ring.flags as Case["ring"]["flags"])],
      register_ring_fd: ring.register_ring_fd as boolean,
      fixed_files: ring.fixed_files as boolean,
      poll_first: ring.poll_first as boolean,
      async: ring.async as boolean,
      cqe_skip_success: ring.cqe_skip_success as boolean,
      sqpoll_idle_ns: time(ring.sqpoll_idle),
      sqpoll_cpu: (ring.sqpoll_cpu as number | undefined) ?? -1,
      cqsize: ring.cqsize as number,
      iowq_cpus: [...(ring.iowq_cpus as number[])],
      napi: { ...(ring.napi as Case["ring"]["napi"]) },
    },
    buffers: {
      ...(buffers as unknown as Case["buffers"]),
      size: bytes,
      offset,
      align,
      // 0 means "just big enough": offset + size rounded up to the alignment
      slot: slot || Math.ceil((offset + bytes) / Math.max(1, align)) * Math.max(1, align),
    },
    batch: p.batch as number,
    submit: p.submit as Case["submit"],
    inflight: p.inflight as number,
    notifications: { ...(p.notifications as Case["notifications"]) },
    timestamps: { ...(p.timestamps as Case["timestamps"]) },
    threads: {
      ...(p.threads as Case["threads"]),
      cpus: [...((p.threads as Obj).cpus as number[])],
    },
    duration_ns: time(p.duration),
    warmup_ns: time(p.warmup),
    requests: p.requests as number,
    rate: parseRate(p.rate as string | number, bytes),
    repeat: 1,
    receiver: resolveReceiver(p.receiver as Obj),
    latency: resolveLatency(p.latency as Obj),
    sink: { mtu: (p.sink as Obj).mtu as number },
    pair: resolvePair(p.pair as Obj),
    matrix,
  };
  Object.assign(c, resolveRepeat(p.repeat as number | Obj));
  const mix = resolveMix(c.mode, p.mix as Obj | undefined);
  if (mix) c.mix = mix;
  // remote exists only where a spec names an address (its port alone has a default)
  const remote = p.remote as Obj;
  if (remote.address !== undefined) c.remote = { ...remote } as Case["remote"];
  if (p.reference) c.reference = structuredClone(p.reference) as Case["reference"];
  return c;
}

/** The adaptive form's defaults when a spec leaves min or max out (the schema states them too). */
const ADAPTIVE_MIN = 3;
const ADAPTIVE_MAX = 30;

/** `repeat: 5` or `repeat: {min, max, until: 3%}` as the Case holds it (until as a fraction). */
function resolveRepeat(r: number | Obj): Pick<Case, "repeat" | "adaptive"> {
  if (typeof r === "number") return { repeat: r };
  const until = typeof r.until === "string" ? Number.parseFloat(r.until) / 100 : Number(r.until);
  return {
    repeat: (r.min as number | undefined) ?? ADAPTIVE_MIN,
    adaptive: { max: (r.max as number | undefined) ?? ADAPTIVE_MAX, until },
  };
}

export interface Resolved {
  cases: Case[];
  origins: CaseOrigin[];
  diagnostics: SpecDiagnostic[];
  /** the spec's `search:`, resolved (absent without one, or when it has errors) */
  search?: SearchSpec;
  /** where a case's parameter was set, for checks made later (CPUs at plan time) */
  where: (origin: CaseOrigin, dotted: string) => Source;
}

/**
 * Expand a schema-valid spec into cases: schema defaults, then the defaults
 * of the files it extends (farthest first), then its own defaults, then the
 * matrix cell or the explicit case. Checks what the schema cannot see,
 * pointing at the line (in whichever file) that set the offending value.
 */
export function resolveSpec(spec: LoadedSpec, bases: readonly LoadedSpec[] = []): Resolved {
  const input = spec.data as SpecInput;
  const layers = [...bases].reverse().map((b) => ((b.data as Obj).defaults ?? {}) as Obj);
  const base = [...layers, (input.defaults ?? {}) as Obj].reduce(merge, schemaDefaults());
  const cases: Case[] = [];
  const origins: CaseOrigin[] = [];

  const matrix = expandMatrix(spec, (input.matrix ?? {}) as Obj);
  // a spec with a search and no matrix or cases runs the search only (not one case from its
  // defaults)
  const onlySearch = input.search !== undefined && !input.cases?.length;
  if (Object.keys(input.matrix ?? {}).length > 0 || (!input.cases?.length && !onlySearch)) {
    for (const { values, indexes, included, name } of matrix.cells) {
      let params = base;
      for (const [key, value] of Object.entries(values)) params = setPath(params, key, value);
      cases.push(toCase(name || input.name, params, values));
      origins.push({ kind: "matrix", indexes, included });
    }
  }
  (input.cases ?? []).forEach((c, index) => {
    cases.push(toCase(c.name, merge(base, c as unknown as Obj), {}));
    origins.push({ kind: "case", index });
  });

  const where = (origin: CaseOrigin, dotted: string) => sourceOf(spec, bases, origin, dotted);
  const diagnostics = [...matrix.diagnostics, ...caseDiagnostics(cases, origins, where)];
  const search = input.search
    ? resolveSearch(spec, bases, input.search, { base, merge, setPath, toCase })
    : undefined;
  if (search) diagnostics.push(...search.diagnostics);
  return {
    cases,
    origins,
    diagnostics,
    where,
    ...(search?.search ? { search: search.search } : {}),
  };
}

/**
 * The place that set a parameter for a case: its own entry, its matrix cell,
 * this spec's defaults, or the nearest extended file's defaults.
 */
function sourceOf(
  spec: LoadedSpec,
  bases: readonly LoadedSpec[],
  origin: CaseOrigin,
  dotted: string,
): Source {
  const input = spec.data as SpecInput;
  const segs = dotted.split(".");
  if (origin.kind === "case") {
    const own = input.cases?.[origin.index] as Obj | undefined;
    if (own && getPath(own, dotted) !== undefined)
      return { spec, path: ["cases", origin.index, ...segs] };
  } else if (dotted in origin.indexes) {
    return { spec, path: ["matrix", dotted, origin.indexes[dotted] ?? 0] };
  } else if (origin.included && dotted in origin.included) {
    return { spec, path: ["matrix", "include", origin.included[dotted] ?? 0, dotted] };
  }
  for (const layer of [spec, ...bases]) {
    const defaults = (layer.data as Obj).defaults;
    if (isObj(defaults) && getPath(defaults, dotted) !== undefined)
      return { spec: layer, path: ["defaults", ...segs] };
  }
  // a schema default: point at the case (or the matrix) that took it
  return { spec, path: origin.kind === "case" ? ["cases", origin.index, "name"] : ["matrix"] };
}
