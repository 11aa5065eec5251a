/**
 * liburing's examples/send-zerocopy.c for bench.mjs: built here (into a temp
 * directory, never committed) from Debian's liburing-dev copy or from a
 * newer copy the user gives with --example-src, and run inside the sink
 * namespace.
 *
 * It is linked statically against the liburing gcc finds (the system's, or
 * the one C_INCLUDE_PATH and LIBRARY_PATH point at), so the ring it sets up
 * is that liburing's: from 2.6 on liburing sets IORING_SETUP_NO_SQARRAY on
 * every ring where the kernel has it, before that never. A newer example
 * builds against Debian's 2.3 (it uses no newer call) and then runs with
 * an SQ array; one that does not build is reported with gcc's message.
 */
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export const DEBIAN_EXAMPLE = "/usr/share/doc/liburing-dev/examples/send-zerocopy.c";
const execFileP = promisify(execFile);
/** liburing's own build defines _GNU_SOURCE (newer examples need it for CPU_SET) */
const CFLAGS = ["-D_GNU_SOURCE", "-O2", "-pthread"];
const STATIC_URING = ["-Wl,-Bstatic", "-luring", "-Wl,-Bdynamic"];

/** The liburing version gcc's include path has: IO_URING_VERSION_* exist from 2.4 on. */
function liburingVersion(dir) {
  const src = join(dir, "version.c");
  const bin = join(dir, "version");
  writeFileSync(
    src,
    "#include <stdio.h>\n#include <liburing.h>\nint main(void) {\n#ifdef IO_URING_VERSION_MAJOR\n" +
      'printf("%d.%d\\n", IO_URING_VERSION_MAJOR, IO_URING_VERSION_MINOR);\n#else\n' +
      'printf("2.3\\n"); /* or older: the macros came with 2.4 */\n#endif\nreturn 0;\n}\n',
  );
  const cc = spawnSync("gcc", ["-o", bin, src], { encoding: "utf8" });
  if (cc.status !== 0) return undefined;
  return spawnSync(bin, { encoding: "utf8" }).stdout.trim();
}

const atLeast = (version, major, minor) => {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
};

/**
 * Build the example from `src` into `dir`: its binary, the options its
 * getopt string takes (-y: the background poll, from liburing 2.6's copy
 * on), and whether its ring has no SQ array on a kernel that offers that.
 * Returns { error } when gcc cannot build it.
 */
export function buildExample(src, dir) {
  const bin = join(dir, "send-zerocopy");
  const version = liburingVersion(dir);
  if (!version) return { error: "gcc cannot compile against liburing.h: install liburing-dev" };
  const cc = spawnSync("gcc", [...CFLAGS, "-o", bin, src, ...STATIC_URING], { encoding: "utf8" });
  if (cc.status !== 0)
    return {
      error:
        `gcc could not build ${src} against liburing ${version}: ${cc.stderr || cc.error}\n` +
        "a newer example may need a newer liburing: build one and point C_INCLUDE_PATH and " +
        "LIBRARY_PATH at its include/ and lib/ (gcc reads both; the example is linked " +
        "statically, so nothing is needed at run time)",
    };
  const text = spawnSync("cat", [src], { encoding: "utf8" }).stdout;
  const getopt = /getopt\(argc, argv, "([^"]*)"\)/.exec(text)?.[1] ?? "";
  return { bin, src, liburing: version, options: getopt, noSqarray: atLeast(version, 2, 6) };
}

/**
 * Run a program inside the sink namespace; bash's `times` adds the user and
 * system CPU it used, so its CPU per request can be set beside zcspec's.
 */
export async function inSink(ns, argv, cpu) {
  const script = '"$0" "$@"; times';
  // taskset execs the program: `times` still counts its CPU as the shell's child's
  if (cpu !== undefined) argv = ["taskset", "-c", String(cpu), ...argv];
  const { stdout, stderr } = await execFileP("ip", [
    "netns",
    "exec",
    ns,
    "bash",
    "-c",
    script,
    ...argv,
  ]);
  const t = [...stdout.matchAll(/(\d+)m([0-9.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  // `times` prints the shell's user and sys, then its children's
  const cpuS = (t[t.length - 2] ?? Number.NaN) + (t[t.length - 1] ?? Number.NaN);
  return { output: stdout + stderr, cpuNs: cpuS * 1e9 };
}

/**
 * One run of the example: UDP to `dst`, batch 8, `seconds` (it sends for
 * seconds + 200 ms, `windowS`), zerocopy or not, -y (the background poll)
 * when `poll`. Its own tx/s divides a (seconds + 200 ms) count by seconds,
 * so its rate here is its count over its real run time.
 */
export async function runExample(ex, run) {
  const { ns, dst, port, target, c, zc, poll, seconds, windowS, cpu } = run;
  const session = await target.beginCase(c);
  const argv = [ex.bin, "-4", "-D", dst, "-p", String(port), "-s", String(c.buffers.size)];
  argv.push("-t", String(seconds), "-n", "8", "-z", zc ? "1" : "0", ...(poll ? ["-y"] : []));
  argv.push("udp");
  const { output, cpuNs } = await inSink(ns, argv, cpu);
  // 2.3's copy prints tx=N, newer ones packets=N
  const tx = /(?:tx|packets)=(\d+)/.exec(output);
  if (!tx) throw new Error(`the example printed no tx= line: ${output.trim()}`);
  const sent = Number(tx[1]);
  const { txDropped } = await session.collect();
  return { rps: sent / windowS, cpuNs: cpuNs / sent, sent, dropped: txDropped };
}
