import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  initScript,
  jobScript,
  MARK,
  RESULT_END,
  readConsole,
} from "../../src/env/vm/guest-init.js";
import { hostEntries } from "../../src/env/vm/initramfs.js";
import {
  imageRelease,
  type KernelImage,
  parseConfig,
  readKernelImage,
} from "../../src/env/vm/kernel-image.js";
import { stageModules } from "../../src/env/vm/modules.js";
import { qemuArgs } from "../../src/env/vm/qemu.js";
import { VmError } from "../../src/model/errors.js";
import { kernelsOfSpecs } from "../../src/runner/kernel-runs.js";
import { readSpecText } from "../../src/spec/read.js";
import { referencedVariables } from "../../src/spec/source/interpolate.js";

/** A file shaped like a bzImage's header: "HdrS" at 0x202, the version string where 0x20e points. */
function bzImage(version: string): Buffer {
  const b = Buffer.alloc(0x400);
  b.write("HdrS", 0x202, "latin1");
  b.writeUInt16LE(0x100, 0x20e);
  b.write(`${version}\0`, 0x300, "latin1");
  return b;
}

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "zcspec-vm-unit-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const kernel = (config: string): KernelImage => ({
  path: "/k",
  name: "k",
  release: "6.1.0-test",
  config: parseConfig(config),
  configHash: "x",
});

describe("a kernel image given with --kernel", () => {
  it("names its release from the boot header, its config and modules from beside it", () => {
    expect(imageRelease(bzImage("6.12.1-test (someone@host) #1 SMP"), "x")).toBe("6.12.1-test");
    const d = scratch();
    writeFileSync(join(d, "vmlinuz-6.12.1-test"), bzImage("6.12.1-test #1"));
    writeFileSync(join(d, "config-6.12.1-test"), "CONFIG_IO_URING=y\n# CONFIG_VETH is not set\n");
    const k = readKernelImage(join(d, "vmlinuz-6.12.1-test"));
    expect(k).toMatchObject({ name: "6.12.1-test", release: "6.12.1-test" });
    expect(k.configHash).toMatch(/^[0-9a-f]{16}$/);
    expect(k.config?.get("CONFIG_IO_URING")).toBe("y");
    expect(k.config?.has("CONFIG_VETH")).toBe(false);
  });

  it("refuses a file that is not a bzImage", () => {
    const d = scratch();
    writeFileSync(join(d, "vmlinux"), Buffer.alloc(0x400));
    expect(() => readKernelImage(join(d, "vmlinux"))).toThrow(
      expect.objectContaining({ code: "ZC_VM_LAUNCH" }),
    );
  });

  it("a kernel without what a run needs, or without the module's file, is ZC_VM_KERNEL_LACKS before any boot", () => {
    const stage = scratch();
    const lacks = (config: string) => {
      try {
        stageModules(kernel(config), stage);
      } catch (e) {
        expect(e).toBeInstanceOf(VmError);
        return `${(e as VmError).code}: ${(e as VmError).message}`;
      }
      return "no error";
    };
    expect(lacks("CONFIG_NET_NS=y\nCONFIG_VETH=y\n")).toBe(
      "ZC_VM_KERNEL_LACKS: kernel k lacks io_uring: CONFIG_IO_URING is not set",
    );
    expect(lacks("CONFIG_IO_URING=y\nCONFIG_NET_NS=y\nCONFIG_VETH=m\n")).toMatch(
      /^ZC_VM_KERNEL_LACKS: .*module veth/,
    );
    // dummy is loaded where the kernel has it; no target needs it, so its absence is no error
    expect(lacks("CONFIG_IO_URING=y\nCONFIG_NET_NS=y\nCONFIG_VETH=y\n")).toBe("no error");
  });
});

describe("the guest", () => {
  it("runs the job's words as given, and its console reads back", () => {
    expect(jobScript({ argv: ["node", "it's"], cwd: "/a b", stdoutIsResult: true })).toBe(
      "cd '/a b' && 'node' 'it'\\''s' > /tmp/zcspec-result\n",
    );
    expect(initScript(["veth"])).toContain("insmod /zcspec-vm/modules/$m.ko");
    const text = `noise\r\n${MARK} booted 6.1.0\r\n${MARK} exit 1\r\n${MARK} result-begin\r\n{"a":\r\n1}\r\n\r\n${MARK} result-end\r\n`;
    expect(readConsole(text)).toEqual({ booted: "6.1.0", exit: 1, result: '{"a":\n1}' });
    expect(RESULT_END.test(text)).toBe(true);
    expect(RESULT_END.test(text.slice(0, -4))).toBe(false);
  });

  it("QEMU has no network device at all, and no reboot", () => {
    const args = qemuArgs({ kernel: "k", initrd: "i", accelerator: "tcg", timeoutMs: 1 });
    expect(args).toEqual(expect.arrayContaining(["-nodefaults", "-no-reboot"]));
    expect(args.join(" ")).toContain("-nic none");
    expect(args.join(" ")).not.toMatch(/-netdev|-device/);
  });

  it("packs the host's files at their own paths, parents first, links as links", () => {
    const d = scratch();
    writeFileSync(join(d, "f"), "x");
    symlinkSync("f", join(d, "l"));
    const entries = hostEntries([join(d, "l")], []);
    const rel = d.slice(1);
    expect(entries.slice(-2)).toEqual([`${rel}/f`, `${rel}/l`]);
    expect(entries.indexOf(rel)).toBeLessThan(entries.indexOf(`${rel}/f`));
  });
});

describe("a spec's kernels", () => {
  const spec = (kernels: string) =>
    readSpecText(
      "/specs/sub/k.yaml",
      `version: 1\nname: k\n${kernels}\ndefaults: { target: loopback, duration: 100ms, warmup: 0s }\ncases: [{ name: a, mode: send }]\n`,
    );

  it("resolves images from the spec's folder and keeps host", () => {
    expect(spec("kernels: [../boot/vmlinuz-6.1, host]").kernels).toEqual([
      "/specs/boot/vmlinuz-6.1",
      "host",
    ]);
    expect(() => spec("kernels: []")).toThrow();
  });

  it("gives the run one list: none for the host alone, and specs naming different kernels are refused", () => {
    const one = spec("kernels: [/k/a, host]");
    const other = spec("kernels: [/k/b]");
    const plain = spec("");
    expect(kernelsOfSpecs([plain])).toBeUndefined();
    expect(kernelsOfSpecs([spec("kernels: [host]")])).toBeUndefined();
    expect(kernelsOfSpecs([one, { ...one }])).toEqual(["/k/a", "host"]);
    expect(() => kernelsOfSpecs([one, other])).toThrow(/name different kernels/);
    expect(() => kernelsOfSpecs([one, plain])).toThrow(/name different kernels/);
  });
});

describe("what a guest gets of the host's environment", () => {
  it("only the variables the specs reference", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a spec's ${VAR}s, not a template
    expect(referencedVariables("a: ${A}\nb: ${B:-1} $${C} ${A} ${1x}")).toEqual(["A", "B"]);
  });
});
