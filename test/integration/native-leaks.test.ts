import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZC_RING } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import { planFor, sharedSink } from "../helpers/native.js";

const blocker = integrationBlocker();
const MODES = ["send", "send_zc", "sendmsg", "sendmsg_zc", "msg_zerocopy", "sendto"];

function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}
/** V8 grows its heap in anonymous 256 KiB pages: those come and go with the JS heap, not with cases. */
const V8_PAGE = 256 * 1024;

function mappings(): number {
  return readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .filter((line) => {
      const [range = "", perms, , , , path] = line.split(/\s+/);
      const [lo = "0", hi = "0"] = range.split("-");
      return !(
        perms === "rw-p" &&
        !path &&
        Number.parseInt(hi, 16) - Number.parseInt(lo, 16) === V8_PAGE
      );
    }).length;
}

describe("resource hygiene", () => {
  const sink = sharedSink(blocker);

  it("leaks no socket, ring or buffer mapping over 1000 cases in one process", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const lib = loadNative(NATIVE_LIB);
    // one flow, and (but msg_zerocopy, which keeps to one) four sockets per thread
    const plans = MODES.flatMap((mode) =>
      ["fixed_files: true", "fixed_files: false"].flatMap((ff) =>
        (mode === "msg_zerocopy" ? [1] : [1, 4]).map((flows) =>
          toNativePlan(
            planFor(
              `{ mode: ${mode}, requests: 8, duration: 1s, warmup: 0, ring: { entries: 8, ${ff} }, buffers: { count: 2, size: 1000 }, socket: { flows: ${flows} } }`,
            ),
            sink(),
          ),
        ),
      ),
    );
    const runAll = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const raw = await lib.runCase(plans[i % plans.length] as (typeof plans)[number]);
        if (raw.status !== 0 || raw.requests !== 8) throw new Error(`case ${i}: ${raw.message}`);
      }
    };
    // let the allocator and thread-stack caches reach their steady state first
    await runAll(48);
    const fds = openFds();
    const maps = mappings();
    await runAll(1000);
    expect(openFds()).toBe(fds);
    // a leaked ring costs 2-3 mappings and a leaked buffer 1: 1000 cases would show thousands
    expect(mappings() - maps).toBeLessThan(20);
  });

  it("cleans up after a case that fails half-way through its setup", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const lib = loadNative(NATIVE_LIB);
    // defer_taskrun without single_issuer (the validator refuses it, so set it in the raw
    // plan): the ring is refused after the buffers and the socket exist
    const plan = { ...toNativePlan(planFor("{}"), sink()), ring_flags: ZC_RING.defer_taskrun };
    const first = await lib.runCase(plan);
    expect(first.message).toBe(
      "io_uring_queue_init: Invalid argument: ring flag defer_taskrun is at fault (Linux 6.1+, needs single_issuer, not with sqpoll)",
    );
    const fds = openFds();
    const maps = mappings();
    for (let i = 0; i < 200; i++) {
      const raw = await lib.runCase(plan);
      expect(raw.status).toBe(-22);
    }
    expect(openFds()).toBe(fds);
    expect(mappings() - maps).toBeLessThan(20);
  });
});
