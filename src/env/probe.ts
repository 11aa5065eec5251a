import { release } from "node:os";
import { type Capabilities, FEATURE_TRIES, type Feature } from "../model/capabilities.js";
import type { Plan } from "../model/plan.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { runProbe } from "../native/probe.js";
import { effectiveCaps } from "./caps.js";
import { readMemlock } from "./limits.js";

/** Try everything (about 10 ms of tiny requests on loopback). */
export function probeCapabilities(native: NativeLibrary = loadNative()): Capabilities {
  return {
    kernel: release(),
    ...runProbe(native),
    memlock: readMemlock(),
    capNetAdmin: Boolean((effectiveCaps() >> 12n) & 1n),
  };
}

const cached = new Map<string, Capabilities>();

/** probeCapabilities, once per library per process. */
export function capabilities(native: NativeLibrary = loadNative()): Capabilities {
  let caps = cached.get(native.path);
  if (!caps) {
    caps = probeCapabilities(native);
    cached.set(native.path, caps);
  }
  return caps;
}

const HINTS: Partial<Record<Feature, string>> = {
  hugetlb: "reserve huge pages first: sysctl vm.nr_hugepages=16",
  fixed_buf_send:
    "this kernel takes registered buffers only with send_zc/sendmsg_zc; use register: auto",
};

/** Why this kernel or process cannot run a plan (the case is skipped with it), or undefined. */
export function capabilitySkip(plan: Plan, caps: Capabilities): string | undefined {
  const missing = plan.needs.features
    .filter(({ feature }) => !caps.features[feature].ok)
    .map(({ feature: f, why }) => {
      const hint = HINTS[f] ? `; ${HINTS[f]}` : "";
      return `${why} needs ${FEATURE_TRIES[f]}, which fails here (${caps.features[f].error})${hint}`;
    });
  return missing.length ? missing.join("; ") : undefined;
}
