// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is spec text, not a template
import { describe, expect, it } from "vitest";
import { SpecInvalidError } from "../../src/model/errors.js";
import { readSpec, readSpecText } from "../../src/spec/read.js";

const HEAD = "version: 1\nname: t\n";

function cases(body: string, env: Record<string, string> = {}) {
  return readSpecText("t.yaml", HEAD + body, { env }).cases;
}

function errors(body: string, env: Record<string, string> = {}) {
  try {
    readSpecText("t.yaml", HEAD + body, { env });
  } catch (e) {
    if (e instanceof SpecInvalidError) return e.diagnostics;
    throw e;
  }
  throw new Error("spec was accepted");
}

describe("resolution", () => {
  it("merges defaults under each case, objects key by key, lists replaced", () => {
    const [a, b] = cases(`defaults:
  buffers: { size: 600, count: 4 }
  ring: { flags: [coop_taskrun] }
cases:
  - name: a
    buffers: { size: 8000 }
  - name: b
    ring: { flags: [single_issuer, defer_taskrun] }
`);
    expect(a?.buffers).toMatchObject({ size: 8000, count: 4 });
    expect(a?.ring.flags).toEqual(["coop_taskrun"]);
    expect(b?.buffers).toMatchObject({ size: 600, count: 4 });
    expect(b?.ring.flags).toEqual(["single_issuer", "defer_taskrun"]);
  });

  it("expands the matrix as a cartesian product with readable names, then the cases", () => {
    const all = cases(`matrix:
  mode: [send, send_zc]
  buffers.size: [600, 4KiB]
  ring.flags: [[coop_taskrun], [single_issuer, defer_taskrun]]
cases:
  - name: extra
`);
    expect(all.map((c) => c.name)).toEqual([
      "send/size=600/flags=coop_taskrun",
      "send/size=600/flags=single_issuer+defer_taskrun",
      "send/size=4KiB/flags=coop_taskrun",
      "send/size=4KiB/flags=single_issuer+defer_taskrun",
      "send_zc/size=600/flags=coop_taskrun",
      "send_zc/size=600/flags=single_issuer+defer_taskrun",
      "send_zc/size=4KiB/flags=coop_taskrun",
      "send_zc/size=4KiB/flags=single_issuer+defer_taskrun",
      "extra",
    ]);
    expect(all[2]?.buffers.size).toBe(4096);
    expect(all[2]?.matrix).toEqual({
      mode: "send",
      "buffers.size": "4KiB",
      "ring.flags": ["coop_taskrun"],
    });
  });

  it("names cells by the whole path where two keys share their last segment", () => {
    const names = cases(`defaults:
  target: remote
  remote: { address: 192.0.2.1 }
matrix:
  socket.port: [9, 10]
  remote.port: [9]
`).map((c) => c.name);
    expect(names).toEqual(["socket.port=9/remote.port=9", "socket.port=10/remote.port=9"]);
  });

  it("resolves repeat into each case and converts units", () => {
    const [c] = cases(
      "defaults: { repeat: 5, duration: 1.5s, warmup: 0, socket: { sndbuf: 4MiB } }\n",
    );
    expect(c).toMatchObject({ repeat: 5, duration_ns: 1.5e9, warmup_ns: 0 });
    expect(c?.socket.sndbuf).toBe(4 * 1024 * 1024);
  });

  it("gives remote its defaults only where a spec names an address", () => {
    expect(cases("defaults: { remote: { port: 10 } }\n")[0]?.remote).toBeUndefined();
    const [c, d] = cases(`defaults: { target: remote, remote: { address: 192.0.2.1 } }
cases:
  - name: c
  - name: d
    remote: { port: 10 }
`);
    expect(c?.remote).toEqual({ address: "192.0.2.1", port: 9 });
    expect(d?.remote).toEqual({ address: "192.0.2.1", port: 10 });
  });

  it("interpolates ${VAR} and ${VAR:-default}, typing whole references", () => {
    const body = `defaults:
  batch: \${B}
  duration: \${D:-300ms}
  socket: { bind_device: "if-\${DEV:-lo}", port: "\${P:-7}" }
`;
    // an empty variable takes the default, as in the shell
    const [c] = cases(body, { B: "16", DEV: "" });
    expect(c).toMatchObject({ batch: 16, duration_ns: 300e6 });
    expect(c?.socket).toMatchObject({ bind_device: "if-lo", port: 7 });
    const [d] = cases(body, { B: "4", D: "1s", DEV: "eth1", P: "9000" });
    expect(d).toMatchObject({ batch: 4, duration_ns: 1e9 });
    expect(d?.socket).toMatchObject({ bind_device: "if-eth1", port: 9000 });
  });

  it("keeps $${ as a literal ${", () => {
    const [c] = cases('defaults: { socket: { bind_device: "a$${b}" } }\n');
    expect(c?.socket.bind_device).toBe("a${b}");
  });

  it("reports an unset variable once, at the reference, not again as a bad value", () => {
    const ds = errors("defaults:\n  batch: x${NOPE}\n");
    expect(ds.map((d) => [d.code, d.line, d.col, d.length])).toEqual([["ZC_ENV_UNSET", 4, 11, 7]]);
  });

  it("merges an extended file's defaults under the spec's own, through ${VAR}", async () => {
    const spec = await readSpec("test/fixtures/good/extends.yaml", { env: {} });
    expect(spec.cases.map((c) => c.name)).toEqual(["send", "send_zc"]);
    expect(spec.cases[0]).toMatchObject({
      target: "sink", // from the shared file
      duration_ns: 300e6, // from the shared file
      batch: 4, // the spec's ${ZCSPEC_TEST_BATCH:-4}
      repeat: 3,
    });
    expect(spec.cases[0]?.ring).toMatchObject({
      entries: 64, // shared file: objects merge key by key
      flags: ["coop_taskrun", "single_issuer"], // the spec's own
    });
    expect(spec.cases[0]?.buffers.size).toBe(600);
    const env = { ZCSPEC_TEST_SIZE: "8000", ZCSPEC_TEST_BATCH: "8" };
    const other = await readSpec("test/fixtures/good/extends.yaml", { env });
    expect(other.cases[0]).toMatchObject({ batch: 8, buffers: { size: 8000 } });
    expect([...other.sources.keys()]).toEqual([
      "test/fixtures/good/extends.yaml",
      "test/fixtures/shared/base.defaults.yaml",
    ]);
  });

  it("points a semantic error at the matrix cell, the case, or defaults that set the value", () => {
    const ds = errors(`defaults:
  buffers: { size: 70000 }
matrix:
  buffers.size: [600, 70001]
cases:
  - name: big
    buffers: { size: 70002 }
  - name: from-defaults
`);
    expect(ds.map((d) => [d.code, d.line, d.col])).toEqual([
      ["ZC_PAYLOAD_SIZE", 4, 20],
      ["ZC_PAYLOAD_SIZE", 6, 23],
      ["ZC_PAYLOAD_SIZE", 9, 22],
    ]);
  });
});
