#!/usr/bin/env node
/**
 * Installs and builds what this checkout needs, and skips what is already up
 * to date: `npm test` (pretest) and `npm run reproduce` run it first, so
 * those two commands are all a fresh Debian machine needs. It runs before
 * node_modules exists, so it uses nothing but Node itself.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join, relative } from "node:path";
import { parseArgs } from "node:util";

const HELP = `usage: node bin/setup.mjs [--asan] [--help]

Installs and builds what this checkout needs, skipping what is up to date
(npm test and npm run reproduce run it first). In order:
  1. Node.js 20 or later (checked, never installed).
  2. Debian packages: liburing-dev (with liburing.a), pkg-config, gcc, make,
     iproute2 (ip), procps (sysctl), util-linux (setpriv, unshare); with
     --asan also those only the tests use: openssh-client, openssh-server
     (the two-host test starts its own sshd in a namespace), ethtool, and
     what the kernels suite boots its VMs with: qemu-system-x86,
     busybox-static, cpio, xz-utils.
     As root, the missing ones are installed with apt-get (apt-get update
     first). As an ordinary user, it prints the sudo apt-get install -y ...
     line to run and exits 3.
  3. node_modules: npm ci, when it is missing or does not match
     package-lock.json.
  4. native/build/libzcspec.so: make -C native, when it is missing or older
     than a file of native/ or liburing.a.
  5. dist/: npm run build, when it is missing or src/ or a tsconfig changed
     since setup last built it.

options:
  --asan   what the tests need besides: build native/build/asan/libzcspec.so,
           the ASan+UBSan variant they load, and install the test-only
           packages of step 2 (npm test's pretest passes it; npm run
           reproduce does not)
  -h, --help
           print this help and exit

environment:
  CC       the C compiler the Makefile runs (default cc)

exit codes: 0 ready; 1 a step failed (its output says why); 2 bad usage;
3 this machine lacks something setup does not install (Node.js too old,
  Debian packages as an ordinary user, a tool off PATH)
`;

const ROOT = new URL("../", import.meta.url).pathname;
const rel = (p) => relative(ROOT, p) || ".";
const say = (line) => process.stdout.write(`setup: ${line}\n`);

/** Stop with a message, a hint of how to fix it, and an exit code. */
function fail(code, message, hint) {
  process.stderr.write(`setup: ${message}\n`);
  if (hint) process.stderr.write(`  hint: ${hint}\n`);
  process.exit(code);
}

let options;
try {
  options = parseArgs({
    options: { asan: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  }).values;
} catch (e) {
  process.stderr.write(`setup: ${e.message}\n\n${HELP}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

// ---- 1. Node.js ----------------------------------------------------------

const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < 20)
  fail(
    3,
    `zcspec needs Node.js 20 or later; this is ${process.version}`,
    "install Node.js 20 or later (Debian 12's nodejs package is 18), for example with nvm",
  );

// ---- 2. Debian packages --------------------------------------------------

const PATH_DIRS = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

function executableIn(dirs, name) {
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return dir;
    } catch {
      // not in this one
    }
  }
  return undefined;
}

/** The program a command line starts with: CC may carry flags ("gcc -m64"). */
const compiler = (process.env.CC ?? "").trim().split(/\s+/)[0] || "cc";
const COMPILER_PACKAGE = { cc: "gcc", gcc: "gcc", clang: "clang" };

const TOOLS = [
  ["pkg-config", "pkg-config"],
  [compiler, COMPILER_PACKAGE[compiler] ?? compiler],
  ["make", "make"],
  ["ip", "iproute2"],
  ["sysctl", "procps"],
  ["setpriv", "util-linux"],
  ["unshare", "util-linux"],
  // only the tests use these: the two-host test's ssh client, its sshd, the NIC record
  ...(options.asan
    ? [
        ["ssh", "openssh-client"],
        ["/usr/sbin/sshd", "openssh-server"],
        ["/usr/sbin/ethtool", "ethtool"],
        // the kernels suite boots Debian's kernels in QEMU from an initramfs it packs
        ["qemu-system-x86_64", "qemu-system-x86"],
        ["/bin/busybox", "busybox-static"],
        ["cpio", "cpio"],
        ["xz", "xz-utils"],
      ]
    : []),
];

/** liburing.a's path, or undefined when liburing-dev (with its static library) is missing. */
function liburingArchive(havePkgConfig) {
  if (!havePkgConfig) {
    // without pkg-config there is no asking; the header is the package's
    return existsSync("/usr/include/liburing.h") ? "" : undefined;
  }
  const r = spawnSync("pkg-config", ["--variable=libdir", "liburing"], { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  const archive = join(r.stdout.trim(), "liburing.a");
  return existsSync(archive) ? archive : undefined;
}

/** What is missing: Debian packages to install, and tools installed but off PATH. */
function checkPackages() {
  const packages = new Set();
  const offPath = [];
  let havePkgConfig = false;
  for (const [tool, pkg] of TOOLS) {
    const found = tool.includes("/")
      ? existsSync(tool)
      : executableIn(PATH_DIRS, tool) !== undefined;
    if (tool === "pkg-config") havePkgConfig = found;
    if (found) continue;
    const sbin = tool.includes("/") ? undefined : executableIn(SBIN_DIRS, tool);
    if (sbin) offPath.push({ tool, dir: sbin });
    else packages.add(pkg);
  }
  const archive = liburingArchive(havePkgConfig);
  // liburing-dev first, as the Makefile needs it first
  const list = [...(archive === undefined ? ["liburing-dev"] : []), ...packages];
  return { packages: list, offPath, archive };
}

function aptGet(args) {
  const r = spawnSync("apt-get", args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.error)
    fail(
      3,
      `cannot run apt-get: ${r.error.message}`,
      "on a system without apt, install the packages named above with its own package manager",
    );
  if (r.status !== 0)
    fail(
      3,
      `apt-get ${args.join(" ")} failed (exit ${r.status})`,
      "its output above says why; check the network and /etc/apt/sources.list, then run this again",
    );
}

/**
 * openssh-server is for the two-host test, which starts its own sshd inside
 * a namespace: installing it must not start one listening on this host's
 * interfaces, now or at the next boot. apt-get runs with a policy-rc.d that
 * refuses every service start (unless one is there already), and the ssh
 * service is disabled afterwards.
 */
function installWithoutServices(packages) {
  const policy = "/usr/sbin/policy-rc.d";
  const ours = !existsSync(policy);
  const remove = () => {
    if (ours) rmSync(policy, { force: true });
  };
  if (ours) {
    writeFileSync(policy, "#!/bin/sh\n# bin/setup.mjs: no service starts\nexit 101\n", {
      mode: 0o755,
    });
    // a failing apt-get leaves through process.exit
    process.once("exit", remove);
  }
  aptGet(["-q", "install", "-y", "--no-install-recommends", ...packages]);
  remove();
  spawnSync("systemctl", ["disable", "ssh.service", "ssh.socket"], { stdio: "ignore" });
  say("openssh-server is installed for the tests; its service was not started, and is disabled");
}

let deb = checkPackages();
if (deb.packages.length) {
  const list = deb.packages.join(" ");
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `setup: missing Debian packages: ${list}; install them as root, then run this again:\n` +
        `sudo apt-get install -y ${list}\n`,
    );
    process.exit(3);
  }
  say(`installing Debian packages with apt-get: ${list}`);
  aptGet(["-q", "update"]);
  if (deb.packages.includes("openssh-server")) installWithoutServices(deb.packages);
  else aptGet(["-q", "install", "-y", "--no-install-recommends", ...deb.packages]);
  deb = checkPackages();
  if (deb.packages.length)
    fail(
      3,
      `still missing after apt-get install: ${deb.packages.join(" ")}`,
      "apt-get's output above says why; install them by hand, then run this again",
    );
}
if (deb.offPath.length) {
  const dirs = [...new Set(deb.offPath.map((t) => t.dir))];
  fail(
    3,
    `${deb.offPath.map((t) => `${t.tool} is in ${t.dir}`).join(", ")}, which is not on PATH; ` +
      "zcspec runs it to build the sink and pair targets",
    `add it to PATH: export PATH="$PATH:${dirs.join(":")}"`,
  );
}

// ---- helpers for the steps that run a command ------------------------------

/** npm itself: the one running this script when there is one, else npm from PATH. */
function npm(args) {
  const cli = process.env.npm_execpath;
  const shown = `npm ${args.join(" ")}`;
  return cli && /\.[cm]?js$/.test(cli)
    ? { file: process.execPath, args: [cli, ...args], shown }
    : { file: "npm", args, shown };
}

/** Run one step's command in the checkout, its output shown; stop here if it fails. */
function step(what, { file, args, shown = [file, ...args].join(" ") }, hint) {
  const r = spawnSync(file, args, { cwd: ROOT, stdio: "inherit" });
  if (r.error) fail(3, `cannot run ${file}: ${r.error.message}`, hint);
  if (r.status !== 0) fail(1, `${what} failed: \`${shown}\` exited ${r.status ?? r.signal}`, hint);
}

const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
};

const done = [];

// ---- 3. node_modules -----------------------------------------------------

/** Why node_modules does not hold what package-lock.json locks, or undefined. */
function modulesStale() {
  const lockFile = join(ROOT, "package-lock.json");
  if (!existsSync(lockFile)) return undefined; // nothing to install from (not a checkout)
  if (!existsSync(join(ROOT, "node_modules"))) return "node_modules is missing";
  const locked = JSON.parse(readFileSync(lockFile, "utf8")).packages ?? {};
  // each installed package's own package.json: npm's records (node_modules/.package-lock.json)
  // follow package-lock.json even where node_modules does not (npm install --package-lock-only)
  for (const [key, want] of Object.entries(locked)) {
    if (!key.includes("node_modules/")) continue;
    const name = key.slice(key.lastIndexOf("node_modules/") + 13);
    let got;
    try {
      got = JSON.parse(readFileSync(join(ROOT, key, "package.json"), "utf8")).version;
    } catch {
      // optional packages for other platforms are never installed
      if (want.optional) continue;
      return `${name} ${want.version ?? ""} is locked but not installed`.replace("  ", " ");
    }
    if (want.version !== undefined && got !== want.version)
      return `${name} ${got} is installed, package-lock.json has ${want.version}`;
  }
  return undefined;
}

const modules = modulesStale();
if (modules) {
  say(`installing node modules: npm ci (${modules})`);
  step(
    "npm ci",
    npm(["ci", "--no-audit", "--no-fund"]),
    "check that the npm registry is reachable (npm ping)",
  );
} else if (existsSync(join(ROOT, "package-lock.json"))) done.push("node_modules");

// ---- 4. the native library -------------------------------------------------

const NATIVE = join(ROOT, "native");

/** Why a make target is out of date (the Makefile's inputs, seen by mtime as make does), or undefined. */
function nativeStale(output) {
  const built = mtime(output);
  if (built === undefined) return "not built yet";
  const inputs = readdirSync(NATIVE)
    .filter((f) => /\.[ch]$/.test(f) || f === "Makefile")
    .map((f) => join(NATIVE, f));
  if (deb.archive) inputs.push(deb.archive);
  const newer = inputs.find((p) => (mtime(p) ?? 0) > built);
  return newer ? `${newer.startsWith(ROOT) ? rel(newer) : newer} changed` : undefined;
}

if (existsSync(join(NATIVE, "Makefile"))) {
  const targets = [["all", join(NATIVE, "build/libzcspec.so")]];
  if (options.asan) targets.push(["asan", join(NATIVE, "build/asan/libzcspec.so")]);
  for (const [target, output] of targets) {
    const why = nativeStale(output);
    if (!why) {
      done.push(rel(output));
      continue;
    }
    say(`building ${rel(output)}: make -C native ${target} (${why})`);
    step(
      `building ${rel(output)}`,
      { file: "make", args: ["-C", "native", target] },
      "the compiler's errors are above; the Makefile needs liburing-dev 2.3 or later (Debian 12's)",
    );
  }
}

// ---- 5. dist/ ------------------------------------------------------------

const STAMP = join(ROOT, "node_modules/.cache/zcspec-setup/dist.json");

/** A fingerprint of every input of the TypeScript build: paths, sizes, mtimes. */
function distInputs() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(join(ROOT, "src"));
  for (const f of ["tsconfig.json", "tsconfig.build.json"])
    if (existsSync(join(ROOT, f))) files.push(join(ROOT, f));
  const hash = createHash("sha256");
  for (const f of files.sort()) {
    const s = statSync(f);
    hash.update(`${rel(f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

if (existsSync(join(ROOT, "src"))) {
  const main = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).main ?? "dist/index.js";
  const inputs = distInputs();
  let why;
  if (!existsSync(join(ROOT, main))) why = `${main} is missing`;
  else {
    let stamp;
    try {
      stamp = JSON.parse(readFileSync(STAMP, "utf8"));
    } catch {
      // never built by setup in this node_modules
    }
    if (stamp?.inputs !== inputs)
      why = stamp ? "src/ changed since its last build" : "no record of its last build";
  }
  if (why) {
    say(`building dist/: npm run build (${why})`);
    step(
      "building dist/",
      npm(["run", "build"]),
      "the TypeScript errors are above (npm run typecheck lists them)",
    );
    mkdirSync(join(STAMP, ".."), { recursive: true });
    writeFileSync(STAMP, `${JSON.stringify({ inputs })}\n`);
  } else done.push("dist/");
}

if (done.length) say(`up to date: Debian packages, ${done.join(", ")}`);
