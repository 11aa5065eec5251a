import type { Case } from "../model/case.js";
import type { Environment } from "../model/environment.js";
import type { RoundsInfo } from "../model/noise.js";
import type { CaseResult } from "../model/results.js";
import type { SearchSettings } from "../model/search.js";
import type { NativeLibrary } from "../native/library.js";
import { compileCase } from "../plan/compile.js";
import type { RunStart } from "../report/reporter.js";
import type { ValidSpec } from "../spec/read.js";
import { type StopReason, wantsMore } from "../stats/estimates.js";
import { type CaseState, cap, repetitionState } from "./case-state.js";
import type { RunOptions } from "./options.js";
import { unrun } from "./outcome.js";
import type { PeerJudge } from "./peers.js";
import { interleaved, sequential } from "./round-loop.js";
import { caseResult, type DoneRepetition } from "./run-case.js";
import type { StopWatch } from "./stop.js";
import type { TargetCache } from "./targets.js";

/** What a spec's run shares with the probes of its search: where it runs, its stop, its judge. */
export interface SpecContext {
  environment: Environment;
  stop: StopWatch;
  judge: PeerJudge;
  targets: TargetCache;
  started: number;
  seed: number;
  /** loaded when the first case runs */
  native?: NativeLibrary;
}

/**
 * The state of one spec's run: its cases, where each stands, and why it
 * stopped. The rounds are driven by round-loop.ts, each repetition by turn.ts;
 * a case ends here (end), and the rest when the rounds are over (finish).
 */
export class SpecRun {
  readonly order: "interleaved" | "sequential";
  /** a case repeats: repetitions are ordered in rounds and recorded with their noise */
  readonly inRounds: boolean;
  readonly states: CaseState[];
  /** why the run stopped early (SIGINT, the time limit, --fail-fast) */
  stoppedBy: string | undefined;
  #failFast = false;
  /** why repetition ended, when it ended by itself */
  roundsStop: StopReason | "time-limit" = "count";
  /** rounds run so far */
  rounds = 0;
  /** rounds planned: the largest cap of the selected cases */
  readonly planned: number;
  /** a selected case repeats adaptively */
  readonly adaptive: boolean;

  constructor(
    readonly spec: ValidSpec,
    readonly selected: readonly Case[],
    readonly options: RunOptions,
    readonly ctx: SpecContext,
    /** asked after each interleaved round instead of the adaptive rule (a search's probe) */
    readonly goOn?: (done: readonly (readonly DoneRepetition[])[]) => boolean,
  ) {
    this.order = spec.order ?? "interleaved";
    this.planned = Math.max(1, ...selected.map(cap));
    this.adaptive = selected.some((c) => c.adaptive);
    this.inRounds = this.planned > 1;
    this.states = selected.map((c, index) => ({
      c,
      index,
      plan: compileCase(c),
      done: [],
      started: false,
      out: false,
    }));
  }

  runStart(search?: SearchSettings): RunStart {
    const { name, file } = this.spec;
    return {
      name,
      file,
      cases: this.selected,
      ...(search ? { search } : {}),
      ...(this.inRounds
        ? {
            rounds: {
              order: this.order,
              seed: this.ctx.seed,
              rounds: this.planned,
              adaptive: this.adaptive,
            },
          }
        : {}),
    };
  }

  roundsInfo(): RoundsInfo {
    const until = this.selected.find((c) => c.adaptive)?.adaptive?.until;
    const stoppedBy: RoundsInfo["stoppedBy"] = !this.stoppedBy
      ? this.roundsStop
      : this.#failFast
        ? "fail-fast"
        : this.ctx.stop.timedOut()
          ? "time-limit"
          : "interrupted";
    return {
      order: this.order,
      seed: this.ctx.seed,
      rounds: this.rounds,
      stoppedBy,
      ...(until === undefined ? {} : { until }),
    };
  }

  async runAll(): Promise<void> {
    if (this.inRounds && this.order === "interleaved") await interleaved(this);
    else await sequential(this);
  }

  /** Stop before the next repetition: SIGINT or the time limit fired, or --fail-fast. */
  stopped(): boolean {
    if (this.ctx.stop.signal?.aborted) this.stoppedBy ??= this.ctx.stop.reason();
    return this.stoppedBy !== undefined;
  }

  /** What every result of a case carries: the spec, the case, its plan, where it ran. */
  base(st: CaseState) {
    const { c, plan, topology } = st;
    return {
      spec: this.spec.name,
      case: c,
      plan,
      environment: this.ctx.environment,
      ...(topology ? { topology } : {}),
    };
  }

  /** The result of a case's finished repetitions; `cutShort` when it wanted more. */
  settled(st: CaseState, cutShort?: string): CaseResult {
    return caseResult(this.base(st), st.done, cutShort);
  }

  /** A case has ended: judge it, settle the peers waiting for it, report it, heed --fail-fast. */
  end(st: CaseState, result: CaseResult, out = false): void {
    st.result = result;
    st.out = out;
    const { judge } = this.ctx;
    judge.judge(result);
    const settled = judge.ended(result);
    for (const r of this.options.reporters ?? []) r.onCaseEnd?.(result);
    if (this.ctx.stop.signal?.aborted) this.stoppedBy ??= this.ctx.stop.reason();
    if (this.options.failFast && !this.stoppedBy) {
      const bad = [result, ...settled].find((r) => r.status === "failed" || r.status === "error");
      if (bad) {
        this.stoppedBy = `--fail-fast after ${bad.case.name} ${bad.status}`;
        this.#failFast = true;
      }
    }
  }

  /**
   * The results in the spec's order, once the rounds are over: a case with
   * finished repetitions that has not ended ends now (cut short when the run
   * stopped while it wanted more), one that never ran is listed as not run.
   */
  finish(): CaseResult[] {
    for (const st of this.states) {
      if (st.result || st.done.length === 0) continue;
      const cut =
        this.stoppedBy && wantsMore(repetitionState(st))
          ? `stopped after ${st.done.length} of ${st.c.adaptive ? `${st.c.repeat}..${st.c.adaptive.max}` : st.c.repeat} runs: ${this.stoppedBy}${st.interrupted ? ` (run ${st.done.length + 1}, cut short, is left out)` : ""}`
          : undefined;
      this.end(st, this.settled(st, cut));
    }
    const results = this.states.map(
      (st) =>
        st.result ??
        unrun(
          "skipped",
          this.spec.name,
          st.c,
          st.plan,
          `not run: ${this.stoppedBy ?? "stopped"}`,
          this.ctx.environment,
        ),
    );
    this.ctx.judge.settleAll();
    return results;
  }
}
