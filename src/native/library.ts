import { existsSync } from "node:fs";
import { NativeError } from "../model/errors.js";
import type { Progress } from "../model/progress.js";
import {
  CONTROL,
  type NativePlan,
  type RawProbe,
  type RawResult,
  type RawThreadResult,
  type Sample,
  ZC_ABI_VERSION,
  ZC_MAX_THREADS,
  ZC_PHASE,
} from "./abi.js";
import { locateNative } from "./locate.js";
import { koffi, structs } from "./structs.js";

/** Environment variable naming another build of the library (the sanitizer one, say). */
export const NATIVE_LIB_ENV = "ZCSPEC_NATIVE_LIB";

export interface AbiFacts {
  version: number;
  planSize: number;
  resultSize: number;
  controlSize: number;
  probeSize: number;
  rxConfigSize: number;
  rxStatsSize: number;
}

/** The ABI this binding was written for: its version and struct sizes as koffi lays them out. */
export function expectedAbi(): AbiFacts {
  const { PlanStruct, ResultStruct, ProbeStruct, RxConfigStruct, RxStatsStruct } = structs();
  const k = koffi();
  return {
    version: ZC_ABI_VERSION,
    planSize: k.sizeof(PlanStruct),
    resultSize: k.sizeof(ResultStruct),
    controlSize: CONTROL.size,
    probeSize: k.sizeof(ProbeStruct),
    rxConfigSize: k.sizeof(RxConfigStruct),
    rxStatsSize: k.sizeof(RxStatsStruct),
  };
}

const STRUCTS = [
  ["planSize", "zc_plan"],
  ["resultSize", "zc_result"],
  ["controlSize", "zc_control"],
  ["probeSize", "zc_probe"],
  ["rxConfigSize", "zc_rx_config"],
  ["rxStatsSize", "zc_rx_stats"],
] as const;

/** Throws NativeError when a library's ABI facts differ from this binding's. */
export function checkAbi(path: string, actual: AbiFacts, expected: AbiFacts = expectedAbi()): void {
  const diffs: string[] = [];
  if (actual.version !== expected.version)
    diffs.push(`ABI version ${actual.version}, expected ${expected.version}`);
  for (const [key, name] of STRUCTS) {
    if (actual[key] === expected[key]) continue;
    diffs.push(
      actual[key]
        ? `struct ${name} is ${actual[key]} bytes, expected ${expected[key]}`
        : `struct ${name} is not in it (no ${name}_size), expected ${expected[key]} bytes`,
    );
  }
  if (diffs.length) {
    throw new NativeError(
      "ZC_ABI_MISMATCH",
      `native library ${path} does not match this zcspec: ${diffs.join("; ")}`,
      "rebuild it from this checkout with `npm run build:native` (or unset ZCSPEC_NATIVE_LIB)",
    );
  }
}

export interface CaseControl {
  /**
   * aborting ends the send loop at its next batch (within ~100 ms); the partial result still
   * resolves, flagged `interrupted`
   */
  signal?: AbortSignal;
  /** called about every `intervalMs` with the executor's own counters */
  onProgress?: (p: Progress) => void;
  /** spacing of progress calls and of the result's interval series, ms (default 100) */
  intervalMs?: number;
}

export interface NativeLibrary {
  path: string;
  abi: AbiFacts;
  /** Runs one case on native sender threads of its own; resolves when it ends. */
  runCase(plan: NativePlan, control?: CaseControl): Promise<RawResult>;
  /** What this kernel and process can do (tiny real requests on loopback). */
  probe(): RawProbe;
  /** The built-in receiver's calls, which src/native/receiver.ts wraps. */
  receiver: ReceiverCalls;
}

type NativeLib = ReturnType<ReturnType<typeof koffi>["load"]>;
type NativeFn = ReturnType<NativeLib["func"]>;

/** native/receiver.c's zc_rx_start, zc_rx_expect, zc_rx_read, zc_rx_flow_bytes, zc_rx_stop. */
export interface ReceiverCalls {
  start: NativeFn;
  expect: NativeFn;
  read: NativeFn;
  flowBytes: NativeFn;
  stop: NativeFn;
}

/** ZCSPEC_NATIVE_LIB, else the checkout's build, else the cache's (built there on first use). */
export function defaultLibraryPath(): string {
  return process.env[NATIVE_LIB_ENV] ?? locateNative({ abiVersion: ZC_ABI_VERSION });
}

const loaded = new Map<string, NativeLibrary>();

/** Load the library and check its ABI version and every struct size (once per path per process). */
export function loadNative(path: string = defaultLibraryPath()): NativeLibrary {
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new NativeError(
      "ZC_NATIVE_MISSING",
      `native library not found: ${path}`,
      "build it with `npm run build:native` (needs liburing-dev: apt-get install -y liburing-dev)",
    );
  }
  let lib: NativeLib;
  let version: number;
  try {
    lib = koffi().load(path);
    version = lib.func("uint32_t zc_abi_version(void)")() as number;
  } catch (e) {
    throw new NativeError(
      "ZC_NATIVE_LOAD",
      `cannot load native library ${path}: ${(e as Error).message}`,
      "rebuild it with `npm run build:native`",
    );
  }
  const abi = { version } as AbiFacts;
  for (const [key, name] of STRUCTS) abi[key] = exportedSize(lib, name);
  checkAbi(path, abi);
  const run = lib.func("int zc_run_case(const zc_plan *plan, void *res, void *ctl)");
  const probe = lib.func("int zc_probe(_Out_ zc_probe *out)");
  const native: NativeLibrary = {
    path,
    abi,
    runCase: (plan, control) => runCase(run, plan, control),
    probe() {
      const out = {} as RawProbe;
      probe(out);
      return out;
    },
    receiver: {
      start: lib.func(
        "int zc_rx_start(const zc_rx_config *cfg, _Out_ zc_rx **rx, _Out_ zc_rx_stats *st)",
      ),
      expect: lib.func(
        "int zc_rx_expect(zc_rx *rx, uint32_t pattern, uint32_t size, uint32_t segment)",
      ),
      read: lib.func("void zc_rx_read(zc_rx *rx, _Out_ zc_rx_stats *st)"),
      flowBytes: lib.func(
        "void zc_rx_flow_bytes(zc_rx *rx, const uint16_t *ports, uint32_t n, uint64_t *bytes)",
      ),
      stop: lib.func("void zc_rx_stop(zc_rx *rx, _Out_ zc_rx_stats *st)"),
    },
  };
  loaded.set(path, native);
  return native;
}

/**
 * A struct's size as the library exports it; 0 when it exports none (a build from an older header).
 */
function exportedSize(lib: NativeLib, struct: string): number {
  try {
    return lib.func(`uint32_t ${struct}_size(void)`)() as number;
  } catch {
    return 0;
  }
}

/** Sum of every thread's zc_progress, read from memory the executor writes once per batch. */
function readProgress(words: BigUint64Array, phases: Uint32Array, threads: number) {
  const p = { requests: 0, bytes: 0, elapsedNs: 0, measuring: false };
  for (let i = 0; i < threads; i++) {
    const base = (CONTROL.progressOffset + i * CONTROL.progressSize) / 8;
    p.requests += Number(words[base + CONTROL.words.requests]);
    p.bytes += Number(words[base + CONTROL.words.bytes]);
    p.elapsedNs = Math.max(p.elapsedNs, Number(words[base + CONTROL.words.elapsedNs]));
    const phase =
      phases[(CONTROL.progressOffset + i * CONTROL.progressSize + CONTROL.phaseOffset) / 4];
    p.measuring ||= phase === ZC_PHASE.measure;
  }
  return p;
}

/**
 * One async FFI call for the whole case. The control block and the results
 * live in memory koffi allocated (stable for the call's life): C stores its
 * counters there once per batch and reads the stop flag there, JS polls it
 * from a timer; nothing crosses the FFI boundary per request.
 */
function runCase(run: NativeFn, plan: NativePlan, control: CaseControl = {}): Promise<RawResult> {
  // the executor refuses a bad count itself; here it only sizes the result array
  const threads =
    Number.isInteger(plan.threads) && plan.threads > 0 ? Math.min(plan.threads, ZC_MAX_THREADS) : 1;
  const k = koffi();
  const { ResultStruct } = structs();
  const resultSize = k.sizeof(ResultStruct);
  const ctl = k.alloc("uint8_t", CONTROL.size);
  const res = k.alloc("uint8_t", resultSize * (threads + 1));
  const shared = k.view(ctl, CONTROL.size);
  new Uint8Array(shared).fill(0);
  new Uint8Array(k.view(res, resultSize * (threads + 1))).fill(0);
  const words = new BigUint64Array(shared);
  const u32 = new Uint32Array(shared);
  const samples: Sample[] = [];
  const stop = () => {
    u32[CONTROL.stopOffset / 4] = 1;
  };
  const poll = () => {
    const p = readProgress(words, u32, threads);
    if (!p.measuring) return;
    const last = samples.at(-1);
    if (last?.elapsedNs !== p.elapsedNs) {
      samples.push({ elapsedNs: p.elapsedNs, requests: p.requests, bytes: p.bytes });
    }
    control.onProgress?.({ requests: p.requests, bytes: p.bytes, elapsedNs: p.elapsedNs });
  };
  if (control.signal?.aborted) stop();
  control.signal?.addEventListener("abort", stop, { once: true });
  const timer = setInterval(poll, control.intervalMs ?? 100);

  const release = () => {
    clearInterval(timer);
    control.signal?.removeEventListener("abort", stop);
    k.free(ctl);
    k.free(res);
  };
  const decode = (): RawResult => {
    const decoded: RawThreadResult[] = [];
    for (let i = 0; i <= threads; i++) {
      decoded.push(k.decode(res, i * resultSize, ResultStruct) as RawThreadResult);
    }
    const [total, ...perThread] = decoded as [RawThreadResult, ...RawThreadResult[]];
    if (total.elapsed_ns > (samples.at(-1)?.elapsedNs ?? 0)) {
      samples.push({ elapsedNs: total.elapsed_ns, requests: total.requests, bytes: total.bytes });
    }
    return { ...total, threads: perThread, samples };
  };

  return new Promise<RawResult>((resolve, reject) => {
    try {
      run.async(plan, res, ctl, (err: unknown) => {
        try {
          if (err) throw err;
          resolve(decode());
        } catch (e) {
          reject(e);
        } finally {
          release();
        }
      });
    } catch (e) {
      // koffi refused the arguments: the call never started
      release();
      reject(e);
    }
  });
}
