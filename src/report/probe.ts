import { type Capabilities, FEATURE_TRIES } from "../model/capabilities.js";

function kib(bytes: number | null): string {
  return bytes === null ? "unlimited" : `${Math.floor(bytes / 1024)} KiB`;
}

/** What `zcspec probe` prints: the kernel, the limits, and every feature as tried. */
export function renderProbe(caps: Capabilities): string {
  const lines = [
    `kernel         ${caps.kernel}`,
    `liburing       ${caps.liburing} (built against, linked statically)`,
    `io_uring ops   ${caps.opsError ? `probe failed: ${caps.opsError}` : `${caps.ops.length} supported: ${caps.ops.join(" ")}`}`,
    `memlock        ${kib(caps.memlock.soft)} soft, ${kib(caps.memlock.hard)} hard (registered buffers count against it)`,
    `CAP_NET_ADMIN  ${caps.capNetAdmin ? "yes" : "no"}`,
    "features (each tried for real):",
  ];
  for (const [name, state] of Object.entries(caps.features)) {
    const verdict = state.ok ? "yes" : `no (${state.error})`;
    lines.push(
      `  ${name.padEnd(22)}${verdict.padEnd(16)}${FEATURE_TRIES[name as keyof typeof FEATURE_TRIES]}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
