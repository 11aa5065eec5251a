import type { SpecDiagnostic } from "./diagnostic.js";
import type { LoadedSpec } from "./load.js";
import { locate, type SpecPath } from "./locate.js";
import { schemaDefaults } from "./schema.js";
import type { Case, CaseOrigin, SpecInput } from "./types.js";
import { parseDuration, parseSize } from "./units.js";

const UDP4_MAX_PAYLOAD = 65507;
/** the executor's own bound: every case stops by itself within this */
const MAX_DURATION_NS = 3600e9;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, anything else (arrays too) replaces. */
function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObj(b) && isObj(v) ? merge(b, v) : structuredClone(v);
  }
  return out;
}

function setPath(obj: Obj, dotted: string, value: unknown): Obj {
  return merge(
    obj,
    dotted.split(".").reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value) as Obj,
  );
}

function getPath(obj: Obj, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, seg) => (isObj(o) ? o[seg] : undefined), obj);
}

/** Every combination of the matrix values, first key slowest (the order a table reads). */
function product(matrix: Record<string, unknown[]>): Record<string, number>[] {
  let rows: Record<string, number>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    rows = rows.flatMap((row) => values.map((_, i) => ({ ...row, [key]: i })));
  }
  return rows;
}

function cellLabel(dotted: string, value: unknown): string {
  const leaf = dotted.split(".").pop() ?? dotted;
  return dotted === "mode" ? String(value) : `${leaf}=${String(value)}`;
}

function toCase(name: string, p: Obj, matrix: Record<string, unknown>): Case {
  const socket = p.socket as Obj;
  const ring = p.ring as Obj;
  const buffers = p.buffers as Obj;
  const size = (v: unknown) => parseSize(v as string | number);
  const time = (v: unknown) => parseDuration(v as string | number);
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
    },
    buffers: {
      ...(buffers as unknown as Case["buffers"]),
      size: size(buffers.size),
      offset: size(buffers.offset),
      align: size(buffers.align),
    },
    batch: p.batch as number,
    submit: p.submit as Case["submit"],
    inflight: p.inflight as number,
    notifications: { ...(p.notifications as Case["notifications"]) },
    threads: { ...(p.threads as Case["threads"]) },
    duration_ns: time(p.duration),
    warmup_ns: time(p.warmup),
    requests: p.requests as number,
    repeat: p.repeat as number,
    matrix,
  };
  if (p.remote)
    c.remote = {
      ...(schemaDefaults().remote as object),
      ...(p.remote as Case["remote"]),
    } as Case["remote"];
  if (p.reference) c.reference = structuredClone(p.reference) as Case["reference"];
  return c;
}

export interface Resolved {
  cases: Case[];
  origins: CaseOrigin[];
  diagnostics: SpecDiagnostic[];
}

/**
 * Expand a schema-valid spec into cases: schema defaults, then the spec's
 * defaults, then the matrix cell or the explicit case. Checks what the schema
 * cannot see, pointing at the line that set the offending value.
 */
export function resolveSpec(spec: LoadedSpec): Resolved {
  const input = spec.data as SpecInput;
  const base = merge(schemaDefaults(), (input.defaults ?? {}) as Obj);
  const cases: Case[] = [];
  const origins: CaseOrigin[] = [];

  const matrix = input.matrix ?? {};
  if (Object.keys(matrix).length > 0 || !input.cases?.length) {
    for (const indexes of product(matrix)) {
      let params = base;
      const values: Record<string, unknown> = {};
      for (const [key, i] of Object.entries(indexes)) {
        values[key] = matrix[key]?.[i];
        params = setPath(params, key, values[key]);
      }
      const label = Object.entries(values)
        .map(([k, v]) => cellLabel(k, v))
        .join("/");
      cases.push(toCase(label || input.name, params, values));
      origins.push({ kind: "matrix", indexes });
    }
  }
  (input.cases ?? []).forEach((c, index) => {
    cases.push(toCase(c.name, merge(base, c as unknown as Obj), {}));
    origins.push({ kind: "case", index });
  });

  return { cases, origins, diagnostics: checkCases(spec, cases, origins) };
}

/** The YAML path that set a parameter for a case: its own entry, its matrix cell, or defaults. */
function sourceOf(spec: LoadedSpec, origin: CaseOrigin, dotted: string): SpecPath {
  const input = spec.data as SpecInput;
  const segs = dotted.split(".");
  if (origin.kind === "case") {
    const own = input.cases?.[origin.index] as Obj | undefined;
    if (own && getPath(own, dotted) !== undefined) return ["cases", origin.index, ...segs];
  } else if (dotted in origin.indexes) {
    return ["matrix", dotted, origin.indexes[dotted] ?? 0];
  }
  if (input.defaults && getPath(input.defaults as Obj, dotted) !== undefined)
    return ["defaults", ...segs];
  return origin.kind === "case" ? ["cases", origin.index] : ["matrix"];
}

function checkCases(spec: LoadedSpec, cases: Case[], origins: CaseOrigin[]): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const seen = new Map<string, number>();
  cases.forEach((c, i) => {
    const origin = origins[i] as CaseOrigin;
    const report = (code: string, dotted: string, message: string, hint: string) => {
      const at = sourceOf(spec, origin, dotted);
      if (out.some((d) => d.code === code && d.message === message)) return; // one per source
      out.push({ code, severity: "error", message, hint, file: spec.file, ...locate(spec, at) });
    };
    if (c.buffers.size < 1 || c.buffers.size > UDP4_MAX_PAYLOAD) {
      report(
        "ZC_PAYLOAD_SIZE",
        "buffers.size",
        `buffers.size ${c.buffers.size} does not fit one UDP/IPv4 datagram`,
        `use 1..${UDP4_MAX_PAYLOAD} bytes`,
      );
    }
    if (c.batch > c.ring.entries) {
      report(
        "ZC_BATCH_OVER_RING",
        "batch",
        `batch ${c.batch} is larger than ring.entries ${c.ring.entries}`,
        "a batch must fit in the submission queue: lower batch or raise ring.entries",
      );
    }
    if (c.ring.flags.includes("defer_taskrun") && !c.ring.flags.includes("single_issuer")) {
      report(
        "ZC_RING_FLAGS",
        "ring.flags",
        "defer_taskrun needs single_issuer",
        "add single_issuer to ring.flags (the kernel refuses DEFER_TASKRUN alone)",
      );
    }
    if (c.duration_ns <= 0 || c.duration_ns > MAX_DURATION_NS) {
      report(
        "ZC_DURATION",
        "duration",
        "duration must be more than 0 and at most 1h",
        "for example duration: 2s",
      );
    }
    if (c.warmup_ns > MAX_DURATION_NS) {
      report("ZC_DURATION", "warmup", "warmup must be at most 1h", "for example warmup: 200ms");
    }
    if (c.buffers.register === "fixed" && c.mode === "send") {
      out.push({
        code: "ZC_FIXED_SEND",
        severity: "warning",
        message: `case "${c.name}": registered buffers with mode send are refused by many kernels (-EINVAL)`,
        hint: "use register: auto to register only where the mode accepts it (send_zc)",
        file: spec.file,
        ...locate(spec, sourceOf(spec, origin, "buffers.register")),
      });
    }
    const prev = seen.get(c.name);
    if (prev !== undefined) {
      report(
        "ZC_DUPLICATE_CASE",
        "name",
        `case name "${c.name}" is used twice`,
        "give each case a unique name",
      );
    }
    seen.set(c.name, i);
  });
  return out;
}
