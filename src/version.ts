import { readFileSync } from "node:fs";

/** zcspec's own version, from package.json. */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}
