import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chooseAccelerator } from "../env/vm/accelerator.js";
import { runInGuest } from "../env/vm/guest.js";
import { RESULT_FILE } from "../env/vm/guest-init.js";
import { readKernelImage } from "../env/vm/kernel-image.js";
import type { KernelVmOptions } from "../env/vm/probe-kernels.js";
import {
  guestKernel,
  hostKernel,
  KERNEL_ENV,
  PROJECT_ROOT,
  ZCSPEC_BIN,
} from "../env/vm/project.js";
import { consoleTail } from "../env/vm/qemu.js";
import { EnvError, UsageError, VmError } from "../model/errors.js";
import { acceleratorNote, HOST_KERNEL, type KernelInfo } from "../model/kernel.js";
import type { Reporter } from "../model/reporter.js";
import type { CaseResult, ResultsDocument, RunResult, SuiteResult } from "../model/results.js";
import { referencedVariables } from "../spec/source/interpolate.js";

export interface KernelRunOptions extends KernelVmOptions {
  /** images, or `host` for the kernel zcspec runs on */
  kernels: readonly string[];
  /** spec files and folders, as `zcspec run` takes them */
  specs: readonly string[];
  /**
   * the specs' files and the files they extend, with their text (ValidSpec.sources):
   * each guest gets them at their own paths, and the variables they reference
   */
  sources: ReadonlyMap<string, string>;
  /** the run's other options, passed to each kernel's `zcspec run` as they were given */
  runArgs: readonly string[];
  reporters?: readonly Reporter[];
}

/**
 * The kernels the specs' `kernels` name, when they name any: one list for
 * the whole run (a spec without one runs on the host alone), so specs that
 * name different kernels are refused together.
 */
export function kernelsOfSpecs(
  specs: readonly { file: string; kernels?: string[] }[],
): string[] | undefined {
  const lists = specs.map((s) => s.kernels ?? [HOST_KERNEL]);
  const first = lists[0];
  if (!first || lists.every((l) => l.length === 1 && l[0] === HOST_KERNEL)) return undefined;
  const other = specs.find((_, i) => (lists[i] as string[]).join("\0") !== first.join("\0"));
  if (other)
    throw new UsageError(
      `${specs[0]?.file} and ${other.file} name different kernels`,
      "run them separately, or give the kernels for both with --kernel",
    );
  return first;
}

/** The host's own run of the same command, in a child process like a guest's. */
async function runOnHost(
  argv: readonly string[],
  kernel: KernelInfo,
  signal?: AbortSignal,
): Promise<ResultsDocument> {
  const dir = mkdtempSync(join(tmpdir(), "zcspec-host-run-"));
  try {
    const file = join(dir, "results.json");
    // its own table and progress would repeat the merged run's: only its errors are kept
    const child = spawn(process.execPath, [ZCSPEC_BIN, ...argv, "--json", file], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, [KERNEL_ENV]: JSON.stringify(kernel) },
      ...(signal ? { signal } : {}),
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((done) => {
      child.on("close", done);
      child.on("error", () => done(null));
    });
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new EnvError(
        "ZC_VM_GUEST",
        `zcspec run on the host exited with ${code} and wrote no results: ` +
          `${stderr.trim().split("\n").slice(-5).join("; ")}`,
        "run it without --kernel to see it whole",
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A kernel's results as one dimension of the run: its name in the case's name and matrix, the
 * kernel on the case.
 */
export function tagWithKernel(r: CaseResult, kernel: KernelInfo): CaseResult {
  const note = acceleratorNote(kernel.accelerator);
  return {
    ...r,
    case: {
      ...r.case,
      name: `${r.case.name} [${kernel.name}]`,
      matrix: { ...r.case.matrix, kernel: kernel.name },
      kernel,
    },
    ...(note ? { warnings: [...(r.warnings ?? []), note] } : {}),
  };
}

/** Each spec's runs on every kernel, as one run per spec. */
export function mergeKernelRuns(tagged: readonly RunResult[]): RunResult[] {
  const bySpec = new Map<string, RunResult>();
  for (const run of tagged) {
    const seen = bySpec.get(run.file);
    if (!seen) bySpec.set(run.file, { ...run, results: [...run.results] });
    else {
      seen.results.push(...run.results);
      seen.elapsedMs += run.elapsedMs;
      if (run.partial) seen.partial = true;
      if (run.timedOut) seen.timedOut = true;
      if (run.stoppedBy && !seen.stoppedBy) seen.stoppedBy = run.stoppedBy;
    }
  }
  return [...bySpec.values()];
}

/**
 * `zcspec run SPEC... --kernel A --kernel B`: the same zcspec runs the same
 * specs on each kernel, one VM after another (a guest's expectations
 * compare only cases of its own kernel, so relations never cross
 * accelerators), and the results come back as one run with the kernel as
 * a case parameter; the reporters see it as they see any run.
 */
export async function runOnKernels(o: KernelRunOptions): Promise<SuiteResult> {
  const started = Date.now();
  const specs = o.specs.map((s) => resolve(s));
  const argv = ["run", ...specs, ...o.runArgs];
  const files = [...o.sources.keys()].map((f) => resolve(f));
  // what the specs' ${VAR}s read on the host, and nothing else of the host's environment
  const variables = Object.fromEntries(
    [...o.sources.values()]
      .flatMap(referencedVariables)
      .flatMap((name) =>
        process.env[name] === undefined ? [] : [[name, process.env[name] as string]],
      ),
  );
  const runs: RunResult[] = [];
  for (const k of o.kernels) {
    let kernel: KernelInfo;
    let doc: ResultsDocument;
    if (k === HOST_KERNEL) {
      kernel = hostKernel();
      doc = await runOnHost(argv, kernel, o.signal);
    } else {
      const image = readKernelImage(k, o.modules);
      const accelerator = await chooseAccelerator(image);
      o.onBoot?.(`${image.name}: booting under ${accelerator} to run ${o.specs.join(" ")}`);
      const guest = await runInGuest(
        image,
        {
          argv: [process.execPath, ZCSPEC_BIN, ...argv, "--json", RESULT_FILE],
          cwd: process.cwd(),
          stdoutIsResult: false,
          // the release the image's header names: the guest's uname -r
          env: {
            ...variables,
            [KERNEL_ENV]: JSON.stringify(guestKernel(image, image.release, accelerator)),
          },
        },
        {
          project: PROJECT_ROOT,
          files,
          accelerator,
          timeoutMs: o.timeoutMs,
          ...(o.signal ? { signal: o.signal } : {}),
        },
      );
      kernel = guestKernel(image, guest.release, accelerator);
      try {
        doc = JSON.parse(guest.result);
      } catch {
        throw new VmError(
          "ZC_VM_GUEST",
          `zcspec run in the VM of ${image.name} exited with ${guest.exit} and wrote no results`,
          "the console's last lines say why",
          consoleTail(guest.console),
        );
      }
    }
    for (const run of doc.runs)
      runs.push({ ...run, results: run.results.map((r) => tagWithKernel(r, kernel)) });
  }
  const merged = mergeKernelRuns(runs);
  for (const run of merged) {
    for (const r of o.reporters ?? [])
      r.onRunStart?.({ name: run.spec, file: run.file, cases: run.results.map((x) => x.case) });
    run.results.forEach((result, i) => {
      for (const r of o.reporters ?? []) {
        r.onCaseStart?.(result.case, i, run.results.length);
        r.onCaseEnd?.(result);
      }
    });
    for (const r of o.reporters ?? []) await r.onRunEnd?.(run);
  }
  const stoppedBy = merged.find((r) => r.stoppedBy)?.stoppedBy;
  const suite: SuiteResult = {
    runs: merged,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    partial: merged.some((r) => r.partial),
    ...(stoppedBy ? { stoppedBy } : {}),
  };
  for (const r of o.reporters ?? []) await r.onSuiteEnd?.(suite);
  return suite;
}
