import { FEATURE_TRIES, type Feature } from "../../model/capabilities.js";
import type { KernelProbe } from "../../model/kernel.js";
import { type Accelerator, acceleratorNote } from "../../model/kernel.js";
import { renderTable } from "../text/table.js";

function kib(bytes: number | null): string {
  return bytes === null ? "unlimited" : `${Math.floor(bytes / 1024)} KiB`;
}

/**
 * `zcspec probe --kernel A --kernel B`: every probed feature and limit, one
 * column per kernel; a row whose kernels disagree is marked `*`, so what
 * one kernel has and another lacks stands out.
 */
export function renderProbeTable(probes: readonly KernelProbe[]): string {
  const rows: [string, string[]][] = [
    ["release", probes.map((p) => p.kernel.release)],
    ["accelerator", probes.map((p) => p.kernel.accelerator)],
    ["config sha256", probes.map((p) => p.kernel.configHash || "-")],
    ["liburing", probes.map((p) => p.caps.liburing)],
    [
      "io_uring ops",
      probes.map((p) =>
        p.caps.opsError ? `failed: ${p.caps.opsError}` : String(p.caps.ops.length),
      ),
    ],
    ...(Object.keys(FEATURE_TRIES) as Feature[]).map((f): [string, string[]] => [
      f,
      probes.map((p) => {
        const s = p.caps.features[f];
        if (!s) return "-";
        return s.ok ? "yes" : s.limit ? `limited: ${s.limit.what}` : `no (${s.error})`;
      }),
    ]),
    ["memlock (soft)", probes.map((p) => kib(p.caps.memlock.soft))],
    ["CAP_NET_ADMIN", probes.map((p) => (p.caps.capNetAdmin ? "yes" : "no"))],
  ];
  const table = renderTable(
    ["", "feature", ...probes.map((p) => p.kernel.name)],
    rows.map(([name, values]) => [
      name !== "release" && new Set(values).size > 1 ? "*" : "",
      name,
      ...values,
    ]),
  );
  const notes = [...new Set(probes.map((p) => p.kernel.accelerator))]
    .map((a: Accelerator) => acceleratorNote(a))
    .filter((n): n is string => n !== undefined);
  return `${table}\n* the kernels differ\n${notes.map((n) => `${n}\n`).join("")}`;
}
