import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type {
  Case,
  Mode,
  Pattern,
  Register,
  Reuse,
  RingFlag,
  TargetKind,
} from "../../src/model/case.js";
import { flatten } from "../../src/spec/flatten.js";
import { readSpecText } from "../../src/spec/read.js";
import { type JsonSchema, paramAt, paramPaths, specSchema } from "../../src/spec/schema.js";

/** true only when A and B are the same type (checked by tsc --noEmit, which covers tests). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Each list is tied to its TypeScript union at compile time and to the schema's enum at run
// time, so the types and the schema cannot drift apart unnoticed.
const MODES = [
  "send",
  "send_zc",
  "sendmsg",
  "sendmsg_zc",
  "msg_zerocopy",
  "sendto",
  "mixed",
] as const;
const FLAGS = [
  "coop_taskrun",
  "single_issuer",
  "defer_taskrun",
  "taskrun_flag",
  "sqpoll",
  "no_sqarray",
  "sq_aff",
  "submit_all",
] as const;
const REGISTER = ["auto", "fixed", "none", "mixed"] as const;
const TARGETS = ["sink", "loopback", "pair", "remote"] as const;
const REUSE = ["immediate", "after_batch", "after_notification"] as const;
const PATTERNS = ["alphabet", "zeros", "sequence"] as const;
const FAMILIES = ["ipv4", "ipv6"] as const;
const TYPES = ["udp", "tcp"] as const;
const CORK = ["none", "udp_cork", "msg_more"] as const;
const SUBMIT = ["submit_and_wait", "submit"] as const;
const tied: true[] = [
  true satisfies Equal<(typeof MODES)[number], Mode>,
  true satisfies Equal<(typeof FLAGS)[number], RingFlag>,
  true satisfies Equal<(typeof REGISTER)[number], Register>,
  true satisfies Equal<(typeof TARGETS)[number], TargetKind>,
  true satisfies Equal<(typeof REUSE)[number], Reuse>,
  true satisfies Equal<(typeof PATTERNS)[number], Pattern>,
  true satisfies Equal<(typeof FAMILIES)[number], Case["socket"]["family"]>,
  true satisfies Equal<(typeof TYPES)[number], Case["socket"]["type"]>,
  true satisfies Equal<(typeof CORK)[number], Case["socket"]["cork"]>,
  true satisfies Equal<(typeof SUBMIT)[number], Case["submit"]>,
];

/** Resolved names of schema parameters whose unit the resolver converts. */
const RENAMED: Record<string, string> = {
  duration: "duration_ns",
  warmup: "warmup_ns",
  "ring.sqpoll_idle": "ring.sqpoll_idle_ns",
};

function walk(node: JsonSchema, path: string, visit: (path: string, node: JsonSchema) => void) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    visit(`${path}${key}`, child);
    walk(child, `${path}${key}.`, visit);
  }
  for (const [key, child] of Object.entries(node.$defs ?? {})) walk(child, `$defs.${key}.`, visit);
}

describe("schema and types", () => {
  it("ties every enum of the TypeScript types to the schema", () => {
    expect(tied).toHaveLength(10);
    expect(paramAt("mode")?.enum).toEqual([...MODES]);
    expect(paramAt("ring.flags")?.items?.enum).toEqual([...FLAGS]);
    expect(paramAt("buffers.register")?.enum).toEqual([...REGISTER]);
    expect(paramAt("target")?.enum).toEqual([...TARGETS]);
    expect(paramAt("notifications.reuse")?.enum).toEqual([...REUSE]);
    expect(paramAt("buffers.pattern")?.enum).toEqual([...PATTERNS]);
    expect(paramAt("socket.family")?.enum).toEqual([...FAMILIES]);
    expect(paramAt("socket.type")?.enum).toEqual([...TYPES]);
    expect(paramAt("socket.cork")?.enum).toEqual([...CORK]);
    expect(paramAt("submit")?.enum).toEqual([...SUBMIT]);
  });

  it("resolves every schema parameter into a Case field and nothing else", () => {
    const text = `version: 1
name: t
defaults:
  target: remote
  remote:
    address: 192.0.2.1
    interface: eth0
    receiver: { launch: [ssh, -T, h, zcspec, receive, --stdio], port: 0 }
  socket: { bind_device: eth0 }
  reference: { source: letter, rps: 1, note: n, columns: { zc: 1 } }
  mode: mixed
  mix:
    weights: { send: 1, send_zc: 1, send_zc_fixed: 1, sendmsg: 1, sendmsg_zc: 1, sendmsg_zc_fixed: 1 }
    order: rotate
    seed: 7
`;
    const [c] = readSpecText("t.yaml", text).cases;
    const resolved = flatten(c as Case)
      .map(([p]) => p)
      .filter((p) => !p.startsWith("matrix.") && !p.startsWith("reference."));
    const fromSchema = paramPaths()
      .filter((p) => !p.startsWith("reference."))
      .map((p) => RENAMED[p] ?? p);
    expect(resolved.sort()).toEqual([...fromSchema, "matrix"].sort());
  });

  it("describes every property with its default, and numbers with their unit", () => {
    const missing: string[] = [];
    walk(specSchema, "", (path, node) => {
      const d = node.description ?? "";
      if (!d) missing.push(`${path}: no description`);
      if (node.default !== undefined && !/Default: /.test(d)) missing.push(`${path}: no default`);
      const numeric =
        node.type === "integer" ||
        node.type === "number" ||
        /\/(size|duration)$/.test(node.$ref ?? "");
      if (numeric && !/Unit: /.test(d)) missing.push(`${path}: no unit`);
    });
    expect(missing).toEqual([]);
  });

  it("keeps the precompiled validators in step with the schemas", () => {
    const r = spawnSync(process.execPath, ["schema/generate.mjs", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
