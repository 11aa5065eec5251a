import { describe, expect, it } from "vitest";
import { inInitialUserNamespace } from "../../src/env/limits.js";
import {
  capabilityVerdict,
  classifyFailure,
  lockLessAdvice,
  runtimeLimitHint,
} from "../../src/env/probe.js";
import type {
  Capabilities,
  Feature,
  FeatureState,
  ProcessLimits,
} from "../../src/model/capabilities.js";
import { ZC_FEAT } from "../../src/native/abi.js";
import { renderProbe } from "../../src/report/console/probe.js";
import { planFor } from "../helpers/native.js";

const KIB64 = { soft: 65536, hard: 65536 };

/** An ordinary user under a 64 KiB RLIMIT_MEMLOCK, default optmem, io_uring allowed. */
const user = (over: Partial<ProcessLimits> = {}): ProcessLimits => ({
  memlock: KIB64,
  ipcLock: false,
  optmemMax: 131072,
  ioUringDisabled: 0,
  ...over,
});

const OPS = ["NOP", "SEND", "SEND_ZC", "SENDMSG_ZC"];

describe("classifyFailure: a limit of this process, or a feature the kernel lacks", () => {
  it("files EINVAL and EOPNOTSUPP under missing, whatever the limits", () => {
    for (const errno of ["EINVAL", "EOPNOTSUPP"])
      for (const f of ["send_zc", "fixed_buf_send", "msg_zerocopy", "sqpoll"] as Feature[])
        expect(classifyFailure(f, errno, user(), OPS)).toBeUndefined();
  });

  it("files an op IORING_REGISTER_PROBE does not list under missing, even when the try ran out of memory", () => {
    expect(classifyFailure("send_zc", "ENOMEM", user(), ["NOP", "SEND"])).toBeUndefined();
    expect(classifyFailure("sendmsg_zc", "ENOMEM", user(), ["NOP", "SEND_ZC"])).toBeUndefined();
    // no op list (the probe itself failed): the errno decides
    expect(classifyFailure("send_zc", "ENOMEM", user())?.what).toBe("RLIMIT_MEMLOCK");
  });

  it("names RLIMIT_MEMLOCK, its values and how to raise it for ENOMEM on io_uring", () => {
    const limit = classifyFailure("send_zc", "ENOMEM", user(), OPS);
    expect(limit).toEqual({
      what: "RLIMIT_MEMLOCK",
      value: "64 KiB soft / 64 KiB hard",
      hint: expect.stringContaining("`ulimit -l`"),
    });
    expect(limit?.hint).toContain("LimitMEMLOCK=");
    for (const f of ["coop_taskrun", "fixed_buf_send_zc", "reg_ring_fd"] as Feature[])
      expect(classifyFailure(f, "ENOMEM", user(), OPS)?.what).toBe("RLIMIT_MEMLOCK");
  });

  it("says how far an ordinary user can raise the soft limit", () => {
    const limit = classifyFailure(
      "send_zc",
      "ENOMEM",
      user({ memlock: { soft: 65536, hard: 8 << 20 } }),
    );
    expect(limit?.value).toBe("64 KiB soft / 8192 KiB hard");
    expect(limit?.hint).toContain("`ulimit -l 8192`");
    const unlimitedHard = classifyFailure(
      "send_zc",
      "ENOMEM",
      user({ memlock: { soft: 65536, hard: null } }),
    );
    expect(unlimitedHard?.hint).toContain("`ulimit -l unlimited`");
  });

  it("does not blame RLIMIT_MEMLOCK where it does not bind: CAP_IPC_LOCK, or no limit", () => {
    expect(classifyFailure("send_zc", "ENOMEM", user({ ipcLock: true }), OPS)).toBeUndefined();
    const unlimited = user({ memlock: { soft: null, hard: null } });
    expect(classifyFailure("send_zc", "ENOMEM", unlimited, OPS)).toBeUndefined();
  });

  it("keeps hugetlb's ENOMEM (no huge pages reserved) a missing feature", () => {
    expect(classifyFailure("hugetlb", "ENOMEM", user(), OPS)).toBeUndefined();
  });

  it("names net.core.optmem_max for MSG_ZEROCOPY's ENOBUFS when it is below one notification", () => {
    const limit = classifyFailure("msg_zerocopy", "ENOBUFS", user({ optmemMax: 512 }), OPS);
    expect(limit).toEqual({
      what: "net.core.optmem_max",
      value: "512 bytes",
      hint: expect.stringContaining("`sysctl -w net.core.optmem_max="),
    });
  });

  it("names RLIMIT_MEMLOCK for MSG_ZEROCOPY's ENOBUFS when optmem is ample and the rlimit binds", () => {
    expect(classifyFailure("msg_zerocopy", "ENOBUFS", user(), OPS)?.what).toBe("RLIMIT_MEMLOCK");
    // with CAP_IPC_LOCK, optmem is what is left
    expect(classifyFailure("msg_zerocopy", "ENOBUFS", user({ ipcLock: true }), OPS)?.what).toBe(
      "net.core.optmem_max",
    );
  });

  it("names kernel.io_uring_disabled, or a seccomp filter, for EPERM on io_uring", () => {
    const off = classifyFailure("send_zc", "EPERM", user({ ioUringDisabled: 2 }), OPS);
    expect(off).toMatchObject({ what: "kernel.io_uring_disabled", value: "2" });
    expect(off?.hint).toContain("sysctl -w kernel.io_uring_disabled=0");
    const group = classifyFailure("coop_taskrun", "EPERM", user({ ioUringDisabled: 1 }), OPS);
    expect(group?.hint).toContain("kernel.io_uring_group");
    const seccomp = classifyFailure("send_zc", "EPERM", user(), OPS);
    expect(seccomp).toMatchObject({ what: "a seccomp filter or security module", value: "EPERM" });
  });

  it("names CAP_SYS_ADMIN for a network namespace refused", () => {
    expect(classifyFailure("netns", "EPERM", user(), OPS)).toMatchObject({
      what: "CAP_SYS_ADMIN",
    });
  });
});

describe("inInitialUserNamespace", () => {
  it("tells the initial user namespace (whose CAP_IPC_LOCK lifts RLIMIT_MEMLOCK) from another", () => {
    expect(inInitialUserNamespace("         0          0 4294967295\n")).toBe(true);
    expect(inInitialUserNamespace("         0      65534          1\n")).toBe(false);
  });
});

/** Capabilities where the named features failed: with a limit when one is given. */
const caps = (failed: Partial<Record<Feature, Omit<FeatureState, "ok">>>): Capabilities => ({
  kernel: "x",
  liburing: "2.3",
  ops: OPS,
  features: Object.fromEntries(
    Object.keys(ZC_FEAT).map((f) => {
      const state = failed[f as Feature];
      return [f, state ? { ok: false, ...state } : { ok: true }];
    }),
  ) as Capabilities["features"],
  memlock: KIB64,
  capNetAdmin: false,
});

const memlocked = (errno = "ENOMEM") => ({
  error: errno,
  limit: classifyFailure("send_zc", "ENOMEM", user(), OPS),
});

describe("capabilityVerdict: a case that needs a limited feature", () => {
  it("ends as an error that names the limit and the way to raise it", () => {
    const plan = planFor("{ mode: send_zc, buffers: { register: none } }");
    const verdict = capabilityVerdict(plan, caps({ send_zc: memlocked() }));
    expect(verdict?.status).toBe("error");
    expect(verdict?.reason).toBe(
      "mode: send_zc needs IORING_OP_SEND_ZC, one request to loopback, which this kernel has but RLIMIT_MEMLOCK (64 KiB soft / 64 KiB hard) stops here (ENOMEM); raise it as root with `ulimit -l` (or memlock in /etc/security/limits.conf), or LimitMEMLOCK= for a systemd service (CAP_IPC_LOCK lifts it)",
    );
  });

  it("names each limit's hint once", () => {
    const plan = planFor("{ mode: send_zc, notifications: { report_usage: true } }");
    const verdict = capabilityVerdict(
      plan,
      caps({ send_zc: memlocked(), report_usage: memlocked(), fixed_buf_send_zc: memlocked() }),
    );
    expect(verdict?.status).toBe("error");
    expect(verdict?.reason.match(/LimitMEMLOCK=/g)).toHaveLength(1);
    expect(verdict?.reason).toContain("notifications.report_usage needs");
  });

  it("is skipped when the kernel also lacks a feature it needs: no limit would let it run", () => {
    const plan = planFor("{ mode: send_zc, notifications: { report_usage: true } }");
    const verdict = capabilityVerdict(
      plan,
      caps({ send_zc: memlocked(), report_usage: { error: "EINVAL" } }),
    );
    expect(verdict?.status).toBe("skipped");
    expect(verdict?.reason).toContain("(EINVAL)");
  });

  it("is skipped, as before, for a missing feature alone", () => {
    const verdict = capabilityVerdict(
      planFor("{ mode: send_zc }"),
      caps({ send_zc: { error: "EINVAL" } }),
    );
    expect(verdict).toEqual({
      status: "skipped",
      reason:
        "mode: send_zc needs IORING_OP_SEND_ZC, one request to loopback, which fails here (EINVAL)",
    });
  });

  it("lets an optmem limit pass for the pair and sink targets, whose sender's namespace zcspec sets up", () => {
    const optmem = {
      error: "ENOBUFS",
      limit: classifyFailure("msg_zerocopy", "ENOBUFS", user({ optmemMax: 512 }), OPS),
    };
    const limited = caps({ msg_zerocopy: optmem });
    expect(
      capabilityVerdict(planFor("{ mode: msg_zerocopy, target: loopback }"), limited)?.reason,
    ).toContain(
      "net.core.optmem_max (512 bytes) stops here (ENOBUFS); raise it with `sysctl -w net.core.optmem_max=",
    );
    for (const target of ["sink", "pair"])
      expect(
        capabilityVerdict(planFor(`{ mode: msg_zerocopy, target: ${target} }`), limited),
      ).toBeUndefined();
  });
});

describe("lockLessAdvice and runtimeLimitHint: a case too big for the limit", () => {
  it("names the registered buffers' size for a registration that ran out of locked memory", () => {
    const plan = planFor("{ mode: send_zc, buffers: { size: 60000, count: 16 } }");
    const hint = runtimeLimitHint(
      "ENOMEM",
      plan,
      user(),
      "io_uring_register_buffers (983040 bytes): out of locked memory: RLIMIT_MEMLOCK is too low; raise it with `ulimit -l` (or LimitMEMLOCK= for a service)",
    );
    expect(hint).toMatch(
      /^RLIMIT_MEMLOCK is 64 KiB soft \/ 64 KiB hard here; or, without privileges/,
    );
    expect(hint).toContain(
      "fewer or smaller registered buffers (buffers.count × buffers.size = 16 × 60000 B, about 960 KiB pinned for the whole run)",
    );
    expect(hint).toContain("a smaller ring.entries (512: about 52 KiB)");
  });

  it("offers register: none where registering is all the buffers cost (send, sendmsg)", () => {
    expect(lockLessAdvice(planFor("{ mode: send, buffers: { register: fixed } }"))).toContain(
      "or buffers.register: none",
    );
    expect(lockLessAdvice(planFor("{ mode: send_zc }"))).not.toContain("register: none");
  });

  it("offers registered buffers for zerocopy from plain buffers, which pins every send's pages", () => {
    const advice = lockLessAdvice(planFor("{ mode: send_zc, buffers: { register: none } }"));
    expect(advice).toContain("buffers.register: fixed");
    expect(advice).toContain("8 × (4000 B + 2 pages) a batch");
    const msg = lockLessAdvice(planFor("{ mode: msg_zerocopy }"));
    expect(msg).toContain("each MSG_ZEROCOPY send pins its pages plus two");
    expect(msg).not.toContain("ring.entries");
  });

  it("gives the hint to raise the limit when the failure did not, and nothing where no limit binds", () => {
    const plan = planFor("{ mode: send_zc, buffers: { register: none } }");
    const hint = runtimeLimitHint(
      "ENOMEM",
      plan,
      user(),
      "io_uring_submit left 6 of 8 requests unsubmitted",
    );
    expect(hint).toContain("RLIMIT_MEMLOCK is 64 KiB soft / 64 KiB hard here: raise it");
    expect(runtimeLimitHint("ENOMEM", plan, user({ ipcLock: true }))).toBeUndefined();
    expect(runtimeLimitHint("EINVAL", plan, user())).toBeUndefined();
    expect(
      runtimeLimitHint("ENOBUFS", planFor("{ mode: msg_zerocopy }"), user({ optmemMax: 512 })),
    ).toContain("net.core.optmem_max is 512 bytes here: raise it");
  });
});

describe("renderProbe", () => {
  it("prints a limited feature as stopped by its limit, and the limit once with its hint", () => {
    const text = renderProbe(
      caps({ send_zc: memlocked(), sendmsg_zc: memlocked(), hugetlb: { error: "ENOMEM" } }),
    );
    expect(text).toMatch(
      /^ {2}send_zc +no: stopped by RLIMIT_MEMLOCK \(ENOMEM\) +IORING_OP_SEND_ZC/m,
    );
    expect(text).toMatch(/^ {2}hugetlb +no \(ENOMEM\) +mmap/m);
    expect(text).toMatch(/^ {2}coop_taskrun +yes +ring/m);
    expect(text).toContain("stopped by a limit of this process, not missing from the kernel:");
    expect(text).toContain(
      "  RLIMIT_MEMLOCK (64 KiB soft / 64 KiB hard) stops send_zc, sendmsg_zc; raise it as root with `ulimit -l`",
    );
  });

  it("prints no limit section when nothing is limited", () => {
    expect(renderProbe(caps({ hugetlb: { error: "ENOMEM" } }))).not.toContain("stopped by");
  });
});
