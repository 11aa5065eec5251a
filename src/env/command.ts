import { execFile, execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { EnvError } from "../model/errors.js";

/** The Debian package of each tool zcspec runs. */
const PACKAGE: Record<string, string> = {
  ip: "iproute2",
  sysctl: "procps",
  unshare: "util-linux",
  ethtool: "ethtool",
};

/** Run a program (no shell), failing with its stderr in the message. */
export function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: "utf8" }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
      reject(
        new EnvError(
          missing ? "ZC_TOOL_MISSING" : "ZC_COMMAND_FAILED",
          missing
            ? `${file} is not installed`
            : `\`${file} ${args.join(" ")}\` failed: ${stderr.trim() || err.message}`,
          missing ? `install it (apt-get install -y ${PACKAGE[file] ?? file})` : undefined,
        ),
      );
    });
  });
}

/** The same, synchronously and ignoring failure: for cleanup on the way out of the process. */
export function runQuietSync(file: string, args: readonly string[]): void {
  try {
    execFileSync(file, args, { stdio: "ignore" });
  } catch {
    // best effort: the process is exiting and the caller has nothing better to do
  }
}

/**
 * A tool on PATH or in the sbin directories (ethtool lives in /usr/sbin, often off an ordinary
 * user's PATH).
 */
export function findTool(name: string): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? "").split(delimiter),
    "/usr/local/sbin",
    "/usr/sbin",
    "/sbin",
  ];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}
