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
