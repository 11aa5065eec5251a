import type { Case } from "../model/case.js";
import { isFailure } from "../model/check.js";
import type { Environment } from "../model/environment.js";
import { ZcspecError } from "../model/errors.js";
import type { RoundsInfo } from "../model/measured/noise.js";
import type { RepetitionStart, RunStart } from "../model/reporter.js";
import type { CaseResult } from "../model/results.js";
import type { SearchSettings } from "../model/search.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { compileCase } from "../plan/compile.js";
import type { ValidSpec } from "../spec/read.js";
import { nextRound, type StopReason, wantsMore } from "../stats/estimates.js";
import { blocked } from "./blocked.js";
import { type CaseState, cap, repetitionState } from "./case-state.js";
import type { RunOptions } from "./options.js";
import { unrun } from "./outcome.js";
import type { PeerJudge } from "./peers.js";
import { roundOrder } from "./rounds.js";
import {
  caseResult,
  type DoneRepetition,
  type RepetitionPlace,
  runRepetition,
} from "./run-case.js";
import type { StopWatch } from "./stop.js";
import type { TargetCache } from "./targets.js";

/** What a spec's run shares with the points of its search: where it runs, its stop, its judge. */
export interface RunContext {
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
 * A spec's cases run through their rounds and repetitions: where each case
 * stands, why the run stopped, each case's end (end) and the rest's when the
 * rounds are over (finish). A search's point runs its two cases in one too.
 */
export class CaseRounds {
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
    readonly ctx: RunContext,
    /** asked after each interleaved round instead of the adaptive rule (a search's point) */
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
    if (this.inRounds && this.order === "interleaved") await this.#interleaved();
    else await this.#sequential();
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
      const planned = st.c.adaptive ? `${st.c.repeat}..${st.c.adaptive.max}` : st.c.repeat;
      const left = st.interrupted ? ` (run ${st.done.length + 1}, cut short, is left out)` : "";
      const cut =
        this.stoppedBy && wantsMore(repetitionState(st))
          ? `stopped after ${st.done.length} of ${planned} runs: ${this.stoppedBy}${left}`
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

  /** Round after round until no case wants another repetition (stats/estimates.ts nextRound). */
  async #interleaved(): Promise<void> {
    for (let round = 1; ; round++) {
      const cases = this.#roundCases(round);
      if (!cases.length) return;
      this.rounds = round;
      for (const [i, st] of cases.entries()) {
        if (this.stopped()) return;
        await this.#turn(st, { round, position: i + 1 }, cases.length);
      }
      if (this.stopped()) return;
      const live = this.states.filter((st) => !st.out);
      if (this.goOn) {
        if (!this.goOn(live.map((st) => st.done))) return;
      } else {
        const decision = nextRound(live.map(repetitionState));
        if (!decision.go) {
          this.roundsStop = decision.stoppedBy;
          return;
        }
      }
      if (!this.#fitsInTime(this.#roundCases(round + 1))) {
        this.roundsStop = "time-limit";
        return;
      }
    }
  }

  /** The cases of a round in its shuffled order: those still running and under their cap. */
  #roundCases(round: number): CaseState[] {
    return roundOrder(this.ctx.seed, round, this.states.length)
      .map((i) => this.states[i] as CaseState)
      .filter((st) => !st.result && st.done.length < cap(st.c));
  }

  /** Each case's repetitions back to back, in the spec's order. */
  async #sequential(): Promise<void> {
    for (const st of this.states) {
      while (!st.result) {
        if (this.stopped()) return;
        if (!wantsMore(repetitionState(st))) {
          this.end(st, this.settled(st));
          break;
        }
        if (!this.#fitsInTime([st])) {
          this.roundsStop = "time-limit";
          this.end(st, this.settled(st));
          break;
        }
        const round = st.done.length + 1;
        this.rounds = Math.max(this.rounds, round);
        await this.#turn(st, { round, position: st.index + 1 }, this.states.length);
      }
    }
    if (this.roundsStop !== "time-limit") {
      const decision = nextRound(this.states.filter((st) => !st.out).map(repetitionState));
      if (!decision.go) this.roundsStop = decision.stoppedBy;
    }
  }

  /**
   * One repetition of a case. Its first turn starts it (or ends it at once:
   * skipped where this build or kernel cannot run it, an error where a limit
   * of this process stops a feature it needs); its last ends it.
   */
  async #turn(st: CaseState, place: RepetitionPlace, of: number): Promise<void> {
    const { c, plan } = st;
    const { environment, stop } = this.ctx;
    const reporters = this.options.reporters ?? [];
    const total = this.states.length;
    if (!st.started) {
      st.started = true;
      for (const r of reporters) r.onCaseStart?.(c, st.index, total);
      const why = blocked(this.spec.name, st, environment, this.ctx.native);
      if (why) return this.end(st, why, true);
    }
    if (this.inRounds) {
      const at: RepetitionStart = {
        round: place.round,
        ...(this.order === "interleaved"
          ? { rounds: this.planned, adaptive: this.adaptive }
          : { rounds: cap(c), adaptive: c.adaptive !== undefined }),
        position: place.position,
        of,
        index: st.index,
        total,
      };
      for (const r of reporters) r.onRepetitionStart?.(c, at);
    }
    this.ctx.native ??= loadNative();
    let rep: Awaited<ReturnType<typeof runRepetition>>;
    try {
      const target = await this.ctx.targets.get(c);
      st.topology = target.topology;
      rep = await runRepetition(
        c,
        plan,
        {
          native: this.ctx.native,
          target,
          stop: stop.signal,
          why: () => (stop.signal ? stop.reason() : ""),
          onProgress: (p) => {
            for (const r of reporters) r.onCaseProgress?.(c, p);
          },
          cores: environment.cpu.count,
        },
        place,
        st.done.length + 1,
      );
    } catch (e) {
      // an environment failure ends this case, not the run: the others still report
      if (!(e instanceof ZcspecError)) throw e;
      const hint = e.hint ? ` (${e.hint})` : "";
      return this.end(
        st,
        unrun("error", this.spec.name, c, plan, `${e.message}${hint}`, environment),
        true,
      );
    }
    // cut short after whole repetitions: the case keeps those (finish() ends it), not this part
    if (rep.kind === "interrupted" && st.done.length > 0) {
      st.interrupted = true;
      return;
    }
    if (rep.kind !== "done") {
      const { reason, measured } = rep;
      return this.end(
        st,
        { ...this.base(st), status: "error", reason, measured, checks: [] },
        true,
      );
    }
    st.done.push(rep);
    const failing = this.options.failFast && rep.checks.some(isFailure);
    // adaptive cases under max end when the rounds do (finish)
    if (st.done.length >= cap(c) || failing) this.end(st, this.settled(st), failing);
  }

  /**
   * Another round (or repetition) fits in the spec's time limit, judging by
   * how long these cases' repetitions took so far. Only repetitions beyond
   * the minimum are weighed: the minimum runs whatever the limit, and the
   * limit stops it as it would any run.
   */
  #fitsInTime(next: readonly CaseState[]): boolean {
    const limit = this.options.timeLimitMs;
    if (limit === undefined || next.some((st) => st.done.length < st.c.repeat)) return true;
    const need = next.reduce(
      (sum, st) => sum + st.done.reduce((a, d) => a + d.wallMs, 0) / Math.max(1, st.done.length),
      0,
    );
    return Date.now() - this.ctx.started + need <= limit;
  }
}
