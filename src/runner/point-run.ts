import type { Expectation } from "../spec/cel/expectations.js";
import type { ValidSpec } from "../spec/read.js";
import { CaseRounds } from "./case-rounds.js";
import type { RunOptions } from "./options.js";
import { PeerJudge } from "./peers.js";
import type { PointRun } from "./search.js";

/**
 * A search's point on the spec's run: its two cases in rounds on this run's
 * targets, judged by the per-case expectations (peer() finds the other side
 * at the same value), no per-case baseline.
 */
export function pointRunOn(
  run: CaseRounds,
  spec: ValidSpec,
  options: RunOptions,
  perCase: readonly Expectation[],
): PointRun {
  return async (cases, pointSeed, goOn) => {
    const judge = new PeerJudge({ name: spec.name, cases }, perCase, cases, {});
    const pr = new CaseRounds(
      { ...spec, cases: [...cases], order: "interleaved" },
      cases,
      options,
      { ...run.ctx, judge, seed: pointSeed },
      goOn,
    );
    await pr.runAll();
    run.ctx.native ??= pr.ctx.native;
    const results = pr.finish();
    return {
      results,
      rounds: pr.roundsInfo().stoppedBy,
      ...(pr.stoppedBy ? { stoppedBy: pr.stoppedBy } : {}),
    };
  };
}
