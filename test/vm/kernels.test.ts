import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { runInGuest } from "../../src/env/vm/guest.js";
import { readKernelImage } from "../../src/env/vm/kernel-image.js";
import { probeKernels } from "../../src/env/vm/probe-kernels.js";
import type { VmError } from "../../src/model/errors.js";
import type { KernelProbe } from "../../src/model/kernel.js";
import { renderProbeTable } from "../../src/report/console/probe-table.js";
import { runOnKernels } from "../../src/runner/kernel-runs.js";
import { debianKernels, type Series } from "../helpers/kernels.js";

/*
 * Debian's 6.1 and 6.12 cloud kernels booted under TCG (the tests never
 * probe KVM: a nested hypervisor may fail these kernels, and TCG runs
 * everywhere). Few boots: each costs ~25 s of emulated CPU on this machine.
 */
process.env.ZCSPEC_VM_ACCEL = "tcg";
const VM_MS = 90_000;
const SPEC = new URL("../fixtures/vm/pair-send-zc.yaml", import.meta.url).pathname;

const kernels = debianKernels();
const images = "images" in kernels ? kernels.images : undefined;
const skip = "skip" in kernels ? kernels.skip : undefined;

/** QEMU processes this test process started that are still there. */
function ourQemus(): number[] {
  const out: number[] = [];
  for (const pid of readFileSync(`/proc/self/task/${process.pid}/children`, "utf8")
    .split(" ")
    .filter(Boolean)) {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    if (comm.startsWith("qemu-system")) out.push(Number(pid));
  }
  return out;
}

async function vmError(p: Promise<unknown>): Promise<VmError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, "the boot should have failed").toBeDefined();
  return e as VmError;
}

describe.skipIf(skip !== undefined)(
  `Debian's kernels in VMs${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    const image = (s: Series) => images?.[s] as string;
    let probes: KernelProbe[];
    beforeAll(async () => {
      probes = await probeKernels([image("6.1"), image("6.12"), "host"], { timeoutMs: VM_MS });
    }, 2 * VM_MS);

    it("probes each kernel in its guest: one table, and it differs where the kernels differ", () => {
      const [old, newer] = probes as [KernelProbe, KernelProbe, KernelProbe];
      expect(old.kernel).toMatchObject({
        release: readKernelImage(image("6.1")).release,
        accelerator: "tcg",
      });
      expect(old.caps.kernel).toBe(old.kernel.release);
      expect(newer.caps.kernel).toBe(newer.kernel.release);
      for (const p of [old, newer]) {
        // absent before 6.17 and 6.15
        expect(p.caps.features.send_vectorized.ok).toBe(false);
        expect(p.caps.features.fixed_buf_sendmsg_zc.ok).toBe(false);
        expect(p.caps.features.send_zc.ok).toBe(true);
      }
      // io_uring ops 6.12 has and 6.1 lacks (BIND and LISTEN: 6.11; WAITID: 6.7)
      for (const op of ["BIND", "LISTEN", "WAITID"]) {
        expect(newer.caps.ops).toContain(op);
        expect(old.caps.ops).not.toContain(op);
      }
      const table = renderProbeTable(probes);
      expect(table).toMatch(/^\*\s+io_uring ops\s+\d+\s+\d+\s+\d+$/m);
      expect(table).toMatch(/^\s+send_zc\s+yes\s+yes\s+yes/m);
      expect(table).toContain("rates measure the emulator");
    });

    it(
      "runs a spec on each kernel: send and send_zc verified, the vectored case skipped with the reason",
      async () => {
        const suite = await runOnKernels({
          kernels: [image("6.1"), image("6.12")],
          specs: [SPEC],
          sources: new Map([[SPEC, readFileSync(SPEC, "utf8")]]),
          runArgs: [],
          timeoutMs: VM_MS,
        });
        const results = suite.runs.flatMap((r) => r.results);
        expect(results).toHaveLength(8);
        for (const p of probes.slice(0, 2)) {
          const mine = results.filter((r) => r.case.kernel?.name === p.kernel.name);
          expect(mine.map((r) => [r.case.name, r.status])).toEqual([
            [`send [${p.kernel.name}]`, "passed"],
            [`send_zc [${p.kernel.name}]`, "passed"],
            [`send_zc/iov=4 [${p.kernel.name}]`, "skipped"],
            [`sink/send_zc [${p.kernel.name}]`, "passed"],
          ]);
          for (const r of mine) {
            expect(r.environment.kernel).toBe(p.kernel.release);
            expect(r.case.matrix.kernel).toBe(p.kernel.name);
            expect(r.warnings?.join(" ")).toContain("rates measure the emulator");
          }
          expect(mine[2]?.reason).toMatch(/SEND_VECTORIZED.*6\.17/);
          // the spec's expectation reads case.kernel inside the guest
          const carried = mine[1]?.checks.find(
            (c) => c.name === "the guest's cases carry their kernel",
          );
          expect(carried?.pass).toBe(true);
          // every byte the receiver got was compared with the pattern
          expect(mine[1]?.measured?.target.rxMismatches).toBe(0);
          expect(mine[1]?.measured?.target.rxChecked).toBeGreaterThan(0);
          // the sink is the guest's real dummy device: its driver took every datagram
          const sink = mine[3]?.measured;
          expect(sink?.target.txPackets).toBeGreaterThanOrEqual(sink?.requests ?? 1);
          expect(mine[3]?.checks.find((c) => c.name === "sink tx packets")?.pass).toBe(true);
        }
      },
      2 * VM_MS,
    );

    it(
      "a kernel that panics ends as ZC_VM_PANIC with the console's last lines, nothing left running",
      async () => {
        const e = await vmError(
          runInGuest(
            readKernelImage(image("6.12")),
            { argv: ["true"], cwd: "/", stdoutIsResult: true },
            {
              accelerator: "tcg",
              timeoutMs: VM_MS,
              append: "rdinit=/nonexistent root=/dev/nonexistent",
            },
          ),
        );
        expect(e.code).toBe("ZC_VM_PANIC");
        expect(e.console.join("\n")).toMatch(/Kernel panic/);
        expect(ourQemus()).toEqual([]);
      },
      VM_MS,
    );

    it(
      "a kernel that hangs ends as ZC_VM_TIMEOUT at the time limit, QEMU killed",
      async () => {
        const started = Date.now();
        const e = await vmError(
          runInGuest(
            readKernelImage(image("6.12")),
            { argv: ["true"], cwd: "/", stdoutIsResult: true },
            // init is a sleep that never ends
            { accelerator: "tcg", timeoutMs: 8_000, append: "rdinit=/bin/busybox -- sleep 600" },
          ),
        );
        expect(e.code).toBe("ZC_VM_TIMEOUT");
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(ourQemus()).toEqual([]);
      },
      VM_MS,
    );
  },
);
