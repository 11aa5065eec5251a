import { type Capabilities, FEATURE_TRIES, type FeatureLimit } from "../../model/capabilities.js";

function kib(bytes: number | null): string {
  return bytes === null ? "unlimited" : `${Math.floor(bytes / 1024)} KiB`;
}

/** What `zcspec probe` prints: the kernel, the limits, and every feature as tried. */
export function renderProbe(caps: Capabilities): string {
  const lines = [
    `kernel         ${caps.kernel}`,
    `liburing       ${caps.liburing} (built against, linked statically)`,
    `io_uring ops   ${
      caps.opsError
        ? `probe failed: ${caps.opsError}`
        : `${caps.ops.length} supported: ${caps.ops.join(" ")}`
    }`,
    `memlock        ${kib(caps.memlock.soft)} soft, ${kib(caps.memlock.hard)} hard (registered ` +
      "buffers count against it)",
    `CAP_NET_ADMIN  ${caps.capNetAdmin ? "yes" : "no"}`,
    "features (each tried for real):",
  ];
  // a feature a limit stops says so; the limit is explained once, below the table
  const verdicts = Object.entries(caps.features).map(([name, state]) => {
    const verdict = state.ok
      ? "yes"
      : state.limit
        ? `no: stopped by ${state.limit.what} (${state.error})`
        : `no (${state.error})`;
    return [name as keyof typeof FEATURE_TRIES, verdict] as const;
  });
  const width = Math.max(16, ...verdicts.map(([, v]) => v.length + 2));
  for (const [name, verdict] of verdicts)
    lines.push(`  ${name.padEnd(22)}${verdict.padEnd(width)}${FEATURE_TRIES[name]}`);
  const limited = new Map<string, { limit: FeatureLimit; features: string[] }>();
  for (const [name, state] of Object.entries(caps.features)) {
    if (!state.limit) continue;
    const entry = limited.get(state.limit.what) ?? { limit: state.limit, features: [] };
    entry.features.push(name);
    limited.set(state.limit.what, entry);
  }
  if (limited.size) lines.push("stopped by a limit of this process, not missing from the kernel:");
  for (const { limit, features } of limited.values())
    lines.push(`  ${limit.what} (${limit.value}) stops ${features.join(", ")}; ${limit.hint}`);
  return `${lines.join("\n")}\n`;
}
