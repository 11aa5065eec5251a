import { describe, expect, it } from "vitest";
import { capabilitySkip } from "../../src/env/probe.js";
import type { Capabilities, Feature } from "../../src/model/capabilities.js";
import type { RawResult } from "../../src/native/abi.js";
import * as abi from "../../src/native/abi.js";
import { CORRUPT_PATTERN_ENV, toNativePlan } from "../../src/native/marshal.js";
import { errnoName, measure } from "../../src/native/result.js";
import { LOOPBACK4, LOOPBACK6, planFor, rawThread as thread } from "../helpers/native.js";

describe("toNativePlan", () => {
  it("maps every option to its flag, enum and field", () => {
    const p = toNativePlan(
      planFor(
        "{ mode: sendmsg_zc, socket: { type: tcp, connect: true, nodelay: true, cork: none, bind_device: lo, port: 9000 }, ring: { poll_first: true, async: true, flags: [sqpoll], sqpoll_idle: 20ms, fixed_files: false, register_ring_fd: false }, submit: submit_and_wait, buffers: { register: mixed, count: 8, offset: 3, align: 64, pattern: sequence }, notifications: { reuse: after_notification, report_usage: true }, threads: { count: 2, cpus: [1] } }",
      ),
      LOOPBACK6,
    );
    expect(p.flags).toBe(
      abi.ZC_PLAN_FIXED_BUF |
        abi.ZC_PLAN_MIXED_BUF |
        abi.ZC_PLAN_TCP |
        abi.ZC_PLAN_CONNECT |
        abi.ZC_PLAN_NODELAY |
        abi.ZC_PLAN_POLL_FIRST |
        abi.ZC_PLAN_ASYNC |
        abi.ZC_PLAN_SUBMIT_AND_WAIT |
        abi.ZC_PLAN_REPORT_USAGE,
    );
    expect(p).toMatchObject({
      mode: abi.ZC_MODE.sendmsg_zc,
      family: abi.AF_INET6,
      ring_flags: abi.ZC_RING.sqpoll,
      sqpoll_idle_ms: 20,
      reuse: abi.ZC_REUSE.after_notification,
      pattern: abi.ZC_PATTERN.sequence,
      buf_offset: 3,
      buf_align: 64,
      threads: 2,
      bind_device: "lo",
      dst_port: 9000,
    });
    expect(p.cpus.slice(0, 3)).toEqual([1, 1, -1]);
    expect(p.cpus).toHaveLength(abi.ZC_MAX_THREADS);
  });

  it("sets the corrupt-pattern test flag only under its environment variable", () => {
    const plan = planFor("{}");
    expect(toNativePlan(plan, LOOPBACK4).flags & abi.ZC_PLAN_CORRUPT_PATTERN).toBe(0);
    process.env[CORRUPT_PATTERN_ENV] = "1";
    try {
      expect(toNativePlan(plan, LOOPBACK4).flags & abi.ZC_PLAN_CORRUPT_PATTERN).not.toBe(0);
    } finally {
      delete process.env[CORRUPT_PATTERN_ENV];
    }
  });
});

const caps = (broken: Partial<Record<Feature, string>>): Capabilities => {
  const features = Object.fromEntries(
    Object.keys(abi.ZC_FEAT).map((f) => {
      const error = broken[f as Feature];
      return [f, error ? { ok: false, error } : { ok: true }];
    }),
  ) as Capabilities["features"];
  return {
    kernel: "x",
    liburing: "2.3",
    ops: [],
    features,
    memlock: { soft: null, hard: null },
    capNetAdmin: true,
  };
};

describe("capabilitySkip", () => {
  it("names each setting whose feature failed, with the errno", () => {
    const plan = planFor(
      "{ mode: send_zc, notifications: { report_usage: true }, ring: { flags: [single_issuer, defer_taskrun] } }",
    );
    expect(capabilitySkip(plan, caps({}))).toBeUndefined();
    const reason = capabilitySkip(plan, caps({ report_usage: "EINVAL", defer_taskrun: "EINVAL" }));
    expect(reason).toBe(
      "notifications.report_usage needs SEND_ZC with IORING_SEND_ZC_REPORT_USAGE, which fails here (EINVAL); ring.flags: defer_taskrun needs ring with SINGLE_ISSUER|DEFER_TASKRUN, which fails here (EINVAL)",
    );
  });

  it("asks for registered buffers on IORING_OP_SEND only when send registers them", () => {
    const broken = caps({ fixed_buf_send: "EINVAL" });
    expect(capabilitySkip(planFor("{ mode: send }"), broken)).toBeUndefined();
    expect(capabilitySkip(planFor("{ mode: send, buffers: { register: fixed } }"), broken)).toMatch(
      /^registered buffers with mode: send needs .*\(EINVAL\); this kernel takes registered buffers only with send_zc\/sendmsg_zc/,
    );
  });
});

describe("measure", () => {
  it("derives rates, errno names and the interval series", () => {
    const raw: RawResult = {
      ...thread({
        requests: 300,
        bytes: 300 * 1000,
        elapsed_ns: 3e8,
        user_ns: 1e7,
        sys_ns: 2e7,
        errors: 3,
        errnos: [
          { err: -22, reserved: 0, count: 2 },
          { err: -105, reserved: 0, count: 1 },
          { err: 0, reserved: 0, count: 0 },
        ],
        interrupted: 1,
      }),
      threads: [thread({ requests: 300, cpu: 1 })],
      samples: [
        { elapsedNs: 1e8, requests: 100, bytes: 1e5 },
        { elapsedNs: 3e8, requests: 300, bytes: 3e5 },
      ],
    };
    const m = measure(raw);
    expect(m.rps).toBeCloseTo(1000);
    expect(m.gbps).toBeCloseTo((300 * 1000 * 8) / 0.3 / 1e9);
    expect(m.cpuNsPerRequest).toBeCloseTo(1e5);
    expect(m.errnos).toEqual({ EINVAL: 2, ENOBUFS: 1 });
    expect(m.interrupted).toBe(true);
    expect(m.threads[0]?.cpu).toBe(1);
    expect(m.intervals.map((i) => Math.round(i.rps))).toEqual([1000, 1000]);
    expect(errnoName(-9999)).toBe("errno 9999");
  });

  it("reads the histograms by span, leaving out a span with nothing timed", () => {
    // bucket 36 is [40, 41], bucket 57 [100, 103] (zcspec.h)
    const dense = new Array<number>(abi.ZC_HIST.buckets).fill(0);
    dense[36] = 1;
    dense[57] = 2;
    const timed = { count: 3, sum_ns: 40 + 100 + 102, min_ns: 40, max_ns: 102, buckets: dense };
    const empty = {
      count: 0,
      sum_ns: 0,
      min_ns: 0,
      max_ns: 0,
      buckets: new Array(abi.ZC_HIST.buckets).fill(0),
    };
    const raw = thread({
      latency: [timed, empty, empty],
      peak_pinned_bytes: 8000,
      latency_lost: 2,
    });
    const m = measure({ ...raw, threads: [raw], samples: [] });
    expect(Object.keys(m.latency)).toEqual(["completion"]);
    expect(m.latency.completion).toMatchObject({ count: 3, min: 40, max: 102, p50: 101.5 });
    expect(m.latency.completion?.buckets).toEqual([
      [40, 1],
      [100, 2],
    ]);
    expect(m.threads[0]?.latency).toEqual(m.latency);
    expect([m.peakPinnedBytes, m.latencyLost]).toEqual([8000, 2]);
  });
});
