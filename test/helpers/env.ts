import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { namespaceBlocker } from "../../src/env/caps.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const NATIVE_LIB = `${ROOT}native/build/libzcspec.so`;
export const ASAN_LIB = `${ROOT}native/build/asan/libzcspec.so`;
export const CLI = `${ROOT}bin/zcspec.js`;

/** Why the integration tests cannot run here, or undefined: each test skips with this reason. */
export function integrationBlocker(): string | undefined {
  if (!existsSync(NATIVE_LIB))
    return `native library not built (${NATIVE_LIB}); run npm run build:native`;
  if (!existsSync(`${ROOT}dist/cli/bin.js`)) return "CLI not built; run npm run build";
  return namespaceBlocker();
}

/**
 * The environment that runs a child node on the ASan+UBSan build of the
 * library (node itself is not instrumented, so the runtime is preloaded),
 * or why that cannot be done here.
 */
export function sanitizerEnv(): { env: Record<string, string> } | { skip: string } {
  if (!existsSync(ASAN_LIB)) return { skip: "sanitizer build missing: npm run build:native:asan" };
  const runtime = spawnSync("cc", ["-print-file-name=libasan.so"], {
    encoding: "utf8",
  }).stdout.trim();
  if (!runtime.startsWith("/")) return { skip: "the compiler has no libasan.so to preload" };
  return {
    env: {
      ZCSPEC_NATIVE_LIB: ASAN_LIB,
      LD_PRELOAD: runtime,
      // LeakSanitizer would report node's own allocations at exit, not ours
      ASAN_OPTIONS: "detect_leaks=0:abort_on_error=1",
      UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
    },
  };
}

/**
 * Why a test cannot run zcspec as the unprivileged `nobody` user, or
 * undefined: it needs root to switch users, and a checkout that nobody can
 * read (a clone under root's mode-700 home is not).
 */
export function nobodyBlocker(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root to run a child as the nobody user";
  const files = [
    CLI,
    `${ROOT}dist/cli/bin.js`,
    NATIVE_LIB,
    `${ROOT}node_modules/koffi/package.json`,
  ];
  const readable = spawnSync("setpriv", [
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "sh",
    "-c",
    'for f; do test -r "$f" || exit 1; done',
    "sh",
    ...files,
  ]);
  if (readable.error) return "setpriv (util-linux) is not installed";
  if (readable.status !== 0)
    return `the nobody user cannot read this checkout (${ROOT}); clone it under a world-readable directory to run this test`;
  return undefined;
}

/** The prefix that runs a command as the unprivileged `nobody` user, without capabilities. */
export const AS_NOBODY = [
  "setpriv",
  "--reuid=nobody",
  "--regid=nogroup",
  "--clear-groups",
  "--inh-caps=-all",
];

/** Why nobody cannot run zcspec in a user namespace of its own here, or undefined. */
export function userNamespaceBlocker(): string | undefined {
  if (!existsSync(NATIVE_LIB))
    return `native library not built (${NATIVE_LIB}); run npm run build:native`;
  const why = nobodyBlocker();
  if (why) return why;
  const probe = spawnSync(AS_NOBODY[0] as string, [
    ...AS_NOBODY.slice(1),
    ...["unshare", "--user", "--map-root-user", "--net", "true"],
  ]);
  return probe.status === 0 ? undefined : "this kernel refuses unprivileged user namespaces";
}
