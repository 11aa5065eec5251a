import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import { NativeError } from "../errors.js";
import {
  type NativePlan,
  PlanStruct,
  type RawResult,
  ResultStruct,
  ZC_ABI_VERSION,
} from "./abi.js";

/** Environment variable naming another build of the library (the sanitizer one, say). */
export const NATIVE_LIB_ENV = "ZCSPEC_NATIVE_LIB";

export interface AbiFacts {
  version: number;
  planSize: number;
  resultSize: number;
}

export const EXPECTED_ABI: AbiFacts = {
  version: ZC_ABI_VERSION,
  planSize: koffi.sizeof(PlanStruct),
  resultSize: koffi.sizeof(ResultStruct),
};

/** Throws NativeError when a library's ABI facts differ from this binding's. */
export function checkAbi(path: string, actual: AbiFacts, expected: AbiFacts = EXPECTED_ABI): void {
  const diffs: string[] = [];
  if (actual.version !== expected.version)
    diffs.push(`ABI version ${actual.version}, expected ${expected.version}`);
  if (actual.planSize !== expected.planSize) {
    diffs.push(`struct zc_plan is ${actual.planSize} bytes, expected ${expected.planSize}`);
  }
  if (actual.resultSize !== expected.resultSize) {
    diffs.push(`struct zc_result is ${actual.resultSize} bytes, expected ${expected.resultSize}`);
  }
  if (diffs.length) {
    throw new NativeError(
      "ZC_ABI_MISMATCH",
      `native library ${path} does not match this zcspec: ${diffs.join("; ")}`,
      "rebuild it from this checkout with `npm run build:native` (or unset ZCSPEC_NATIVE_LIB)",
    );
  }
}

export interface NativeLibrary {
  path: string;
  abi: AbiFacts;
  /** Runs one case on a native thread; resolves when it ends. */
  runCase(plan: NativePlan): Promise<RawResult>;
}

export function defaultLibraryPath(): string {
  return (
    process.env[NATIVE_LIB_ENV] ??
    fileURLToPath(new URL("../../native/build/libzcspec.so", import.meta.url))
  );
}

const loaded = new Map<string, NativeLibrary>();

/** Load and check the executor library (once per path per process). */
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
  let lib: ReturnType<typeof koffi.load>;
  let abi: AbiFacts;
  try {
    lib = koffi.load(path);
    abi = {
      version: lib.func("uint32_t zc_abi_version(void)")() as number,
      planSize: lib.func("uint32_t zc_plan_size(void)")() as number,
      resultSize: lib.func("uint32_t zc_result_size(void)")() as number,
    };
  } catch (e) {
    throw new NativeError(
      "ZC_NATIVE_LOAD",
      `cannot load native library ${path}: ${(e as Error).message}`,
      "rebuild it with `npm run build:native`",
    );
  }
  checkAbi(path, abi);
  const run = lib.func("int zc_run_case(const zc_plan *plan, _Out_ zc_result *res)");
  const native: NativeLibrary = {
    path,
    abi,
    runCase(plan) {
      return new Promise((resolve, reject) => {
        const out = {} as RawResult;
        run.async(plan, out, (err: unknown) => (err ? reject(err) : resolve(out)));
      });
    },
  };
  loaded.set(path, native);
  return native;
}
