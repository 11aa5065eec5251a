/**
 * The kernel's own zerocopy selftest for selftest.mjs: its sources
 * (tools/testing/selftests/net/io_uring_zerocopy_tx.c and msg_zerocopy.c)
 * from a folder the user names or downloaded from the kernel's tree, built
 * with gcc into a temp directory (never committed), and run on the
 * topology io_uring_zerocopy_tx.sh builds: two namespaces created here,
 * joined by veth (MTU 65535), optmem_max 1000000 in both, 192.168.1.1 and
 * .2 (fd::1 and fd::2). Traffic goes only to addresses inside them.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileP = promisify(execFile);
export const SOURCES = ["io_uring_zerocopy_tx.c", "msg_zerocopy.c"];
const TREE = "tools/testing/selftests/net";
/** io_uring_zerocopy_tx.sh's addresses and port (the tools' default) */
export const ADDR = {
  ipv4: { flag: "-4", tx: "192.168.1.1", rx: "192.168.1.2", prefix: 24 },
  ipv6: { flag: "-6", tx: "fd::1", rx: "fd::2", prefix: 64 },
};
export const PORT = 8000;
/** -t 1 makes both tools run 200 ms + 1 s; the sender's own tx/s divides by 1 s */
export const TOOL_SECONDS = 1.2;

/** Copy the two sources into dir: from src (a folder holding them) or downloaded at ref. */
export async function fetchSources(dir, src, ref) {
  for (const f of SOURCES) {
    if (src) {
      const p = [join(src, f), join(src, TREE, f)].find((x) => existsSync(x));
      if (!p) throw new Error(`${f} is neither in ${src} nor in ${join(src, TREE)}`);
      writeFileSync(join(dir, f), readFileSync(p));
      continue;
    }
    const url = `https://raw.githubusercontent.com/torvalds/linux/${ref}/${TREE}/${f}`;
    const res = await fetch(url).catch((e) => ({ ok: false, statusText: String(e.cause ?? e) }));
    if (!res.ok)
      throw new Error(
        `cannot download ${url}: ${res.statusText}; pass --src DIR, a folder holding ${SOURCES.join(" and ")} (or a kernel tree)`,
      );
    writeFileSync(join(dir, f), Buffer.from(await res.arrayBuffer()));
  }
}

/** gcc builds both tools into dir; returns their paths. */
export function buildTools(dir) {
  const out = {};
  for (const f of SOURCES) {
    const bin = join(dir, f.replace(/\.c$/, ""));
    const cc = spawnSync("gcc", ["-O2", "-D_GNU_SOURCE", "-o", bin, join(dir, f)], {
      encoding: "utf8",
    });
    if (cc.status !== 0) throw new Error(`gcc could not build ${f}: ${cc.stderr || cc.error}`);
    out[f.replace(/\.c$/, "")] = bin;
  }
  return { tx: out.io_uring_zerocopy_tx, rx: out.msg_zerocopy };
}

const ip = (...args) => execFileP("ip", args);

/** The selftest's two namespaces and veth; close() removes them. */
export async function createSelftestPair() {
  // zcspec's own naming: a later run reclaims them if this one is killed outright
  const ns = [0, 1].map(() => `zcspec-${process.pid}-${randomBytes(4).toString("hex")}`);
  const made = [];
  const close = async () => {
    for (const n of made) await ip("netns", "del", n).catch(() => undefined);
  };
  try {
    for (const n of ns) {
      await ip("netns", "add", n);
      made.push(n);
      await ip("netns", "exec", n, "sysctl", "-w", "-q", "net.core.optmem_max=1000000");
    }
    await ip(
      ...["link", "add", "veth0", "mtu", "65535", "netns", ns[0], "type", "veth"],
      ...["peer", "name", "veth0", "mtu", "65535", "netns", ns[1]],
    );
    const macs = ["02:02:02:02:02:02", "06:06:06:06:06:06"];
    for (const [i, n] of ns.entries()) {
      await ip("-netns", n, "link", "set", "veth0", "up");
      await ip("-netns", n, "link", "set", "dev", "veth0", "address", macs[i]);
      for (const a of Object.values(ADDR)) {
        const addr = `${i === 0 ? a.tx : a.rx}/${a.prefix}`;
        await ip(
          "-netns",
          n,
          "addr",
          "add",
          addr,
          "dev",
          "veth0",
          ...(a.prefix === 64 ? ["nodad"] : []),
        );
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { tx: ns[0], rx: ns[1], close };
}

/**
 * msg_zerocopy -r in the receiving namespace (its -t 2: it gives up 2.2 s
 * after the start); resolves with its output when it exits.
 */
export function startKernelReceiver(tools, pair, family, proto, cpu) {
  const a = ADDR[family];
  const args = [a.flag, "-t", "2", "-C", String(cpu), "-S", a.tx, "-D", a.rx, "-r", proto];
  const child = spawn("ip", ["netns", "exec", pair.rx, tools.rx, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.on("data", (d) => {
    text += d;
  });
  child.stderr.on("data", (d) => {
    text += d;
  });
  const done = new Promise((res) => child.on("close", (code) => res({ code, text })));
  return { done, kill: () => child.kill() };
}

/** One cell of io_uring_zerocopy_tx.sh: requests/s over the tools' run time (1.2 s). */
export async function runSelftestCell(tools, pair, cell, cpu) {
  const a = ADDR[cell.family];
  const rx = startKernelReceiver(tools, pair, cell.family, cell.proto, cpu);
  await new Promise((res) => setTimeout(res, 200)); // the .sh's sleep 0.2
  const args = [a.flag, "-t", "1", "-D", a.rx, "-m", String(cell.m), "-n", String(cell.n)];
  const tx = await execFileP("ip", ["netns", "exec", pair.tx, tools.tx, ...args, cell.proto]).catch(
    (e) => e,
  );
  const got = await rx.done;
  const m = /tx=(\d+)/.exec(`${tx.stdout}${tx.stderr}`);
  if (!m) throw new Error(`selftest ${cell.label} failed: ${tx.stderr || tx.message}\n${got.text}`);
  // msg_zerocopy -r counts its reads that returned data as rx= (TCP; datagrams for UDP)
  const reads = Number(/rx=(\d+)/.exec(got.text)?.[1]);
  return { rps: Number(m[1]) / TOOL_SECONDS, readsPerRequest: reads / Number(m[1]) };
}
