/**
 * One zcspec case run by the bench scripts through the library, as `zcspec
 * run` runs it: the target's session, the plan, the native run, the
 * figures. A failed run or a received byte that differs is an error, not
 * a figure.
 */
import { compileCase } from "../dist/index.js";
import { measure, toNativePlan } from "../dist/internal.js";

export async function runMeasured(native, target, c) {
  const session = await target.beginCase(c);
  const plan = { ...toNativePlan(compileCase(c), target), dst_port: session.dstPort };
  const raw = await native.runCase(plan);
  const m = measure(raw, await session.collect());
  if (raw.status !== 0 || m.errors)
    throw new Error(`zcspec ${c.name}: ${raw.message} (${raw.status}), ${m.errors} errors`);
  if (m.target.rxMismatches) throw new Error(`${c.name}: ${m.target.rxMismatches} bytes differ`);
  return m;
}
