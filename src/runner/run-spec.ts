import { targetBlocker } from "../env/caps.js";
import { captureEnvironment } from "../env/environment.js";
import { capabilities, capabilityVerdict } from "../env/probe.js";
import { remoteRefusal } from "../env/remote.js";
import type { Case } from "../model/case.js";
import { isFailure } from "../model/check.js";
import type { Environment } from "../model/environment.js";
import { EnvError, ZcspecError } from "../model/errors.js";
import type { RoundsInfo } from "../model/noise.js";
import type { Plan } from "../model/plan.js";
import type { CaseResult, RunResult } from "../model/results.js";
import type { SearchSettings } from "../model/search.js";
import type { Topology } from "../model/target.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { compileCase } from "../plan/compile.js";
import type { RepetitionStart, RunStart } from "../report/reporter.js";
import type { SearchSpec } from "../spec/search.js";
import {
  estimatesOf,
  nextRound,
  type RepetitionState,
  type StopReason,
  wantsMore,
} from "../stats/estimates.js";
import type { RunnableSpec, RunOptions } from "./options.js";
import { unrun } from "./outcome.js";
import { PeerJudge } from "./peers.js";
import { randomSeed, roundOrder } from "./rounds.js";
import {
  caseResult,
  type DoneRepetition,
  type RepetitionPlace,
  runRepetition,
} from "./run-case.js";
import { type ProbeRun, runSearch } from "./search.js";
import { type StopWatch, stopWatch } from "./stop.js";
import { TargetCache } from "./targets.js";

/**
 * Runs a spec's cases on one target per kind (always torn down): a case
 * that runs once in the spec's order; cases that repeat in rounds (each
 * case once per round, in an order shuffled per round from a recorded
 * seed), or back to back with `order: sequential`. Checks invariants,
 * expectations and the baseline as each case's last repetition ends, and
 * reports through the reporters' hooks.
 */
export async function runSpec(spec: RunnableSpec, options: RunOptions = {}): Promise<RunResult> {
  const selected = selectCases(spec, options);
  const started = Date.now();
  const environment = await captureEnvironment(spec.file, liburingOf(options.native));
  const stop = stopWatch(options.signal, options.timeLimitMs);
  const seed = (options.seed ?? randomSeed()) >>> 0;
  // expectations about a break-even search are checked once, on its outcome (runner/search.ts)
  const perCase = (spec.expectations ?? []).filter((e) => !e.search);
  const run = new SpecRun(spec, selected, options, {
    environment,
    stop,
    judge: new PeerJudge(spec, perCase, selected, options),
    targets: new TargetCache(),
    started,
    seed,
    ...(options.native ? { native: options.native } : {}),
  });
  const search = searchSelected(spec, options);

  for (const r of options.reporters ?? []) r.onRunStart?.(run.runStart(search?.settings));
  let searched: Awaited<ReturnType<typeof runSearch>> | undefined;
  try {
    await run.runAll();
    if (search && !run.stoppedBy) {
      // each probe: its two cases in rounds on this run's targets, judged by the per-case
      // expectations (peer() finds the other side at the same value), no per-case baseline
      const probe: ProbeRun = async (cases, probeSeed, goOn) => {
        const judge = new PeerJudge({ name: spec.name, cases }, perCase, cases, {});
        const pr = new SpecRun(
          { ...spec, cases: [...cases], order: "interleaved" },
          cases,
          options,
          { ...run.ctx, judge, seed: probeSeed },
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
      searched = await runSearch(search, {
        spec: spec.name,
        probe,
        stop,
        seed,
        reporters: options.reporters ?? [],
        expectations: (spec.expectations ?? []).filter((e) => e.search),
        ...(options.baseline ? { baseline: options.baseline } : {}),
        ...(options.failFast ? { failFast: true } : {}),
      });
    }
  } finally {
    await run.ctx.targets.closeAll();
  }
  const results = [...run.finish(), ...(searched?.results ?? [])];

  const stoppedBy = run.stoppedBy ?? searched?.stoppedBy;
  const result: RunResult = {
    spec: spec.name,
    file: spec.file,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    environment,
    ...(stoppedBy ? { partial: true, stoppedBy } : {}),
    ...(stoppedBy && stop.timedOut() ? { timedOut: true } : {}),
    ...(run.inRounds ? { rounds: run.roundsInfo() } : {}),
    ...(searched ? { search: searched.result } : {}),
  };
  for (const r of options.reporters ?? []) await r.onRunEnd?.(result);
  return result;
}

/** The cases --case/--grep select; a remote one among them is refused before anything runs. */
function selectCases(spec: RunnableSpec, options: RunOptions): Case[] {
  const selected = spec.cases.filter((c) => options.filter?.(c, spec.name) ?? true);
  for (const c of selected) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError(
        "ZC_REMOTE_REFUSED",
        refusal,
        "rerun with --allow-remote if you mean it, or leave the remote cases out with --grep/--case",
      );
  }
  return selected;
}

/**
 * The spec's search, when --case/--grep leave it in: no filter, or one that
 * selects either side's case at the lower bound (send_zc/size=512). A
 * remote side is refused as a remote case is.
 */
function searchSelected(spec: RunnableSpec, options: RunOptions): SearchSpec | undefined {
  const search = spec.search;
  if (!search) return undefined;
  const { compare, against } = search.at(search.settings.from);
  if (options.filter && ![compare, against].some((c) => options.filter?.(c, spec.name)))
    return undefined;
  for (const c of [compare, against]) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError(
        "ZC_REMOTE_REFUSED",
        refusal,
        "rerun with --allow-remote if you mean it, or leave the search out with --grep/--case",
      );
  }
  return search;
}

/** The liburing the executor was built against, for the environment record. */
function liburingOf(native: NativeLibrary | undefined): string | undefined {
  try {
    return capabilities(native ?? loadNative()).liburing;
  } catch {
    return undefined;
  }
}

interface SpecContext {
  environment: Environment;
  stop: StopWatch;
  judge: PeerJudge;
  targets: TargetCache;
  started: number;
  seed: number;
  /** loaded when the first case runs */
  native?: NativeLibrary;
}

/** One selected case on its way through the rounds. */
interface CaseState {
  c: Case;
  /** its place among the selected cases */
  index: number;
  plan: Plan;
  topology?: Topology;
  /** its repetitions that ran to their end */
  done: DoneRepetition[];
  started: boolean;
  /** set once the case has ended */
  result?: CaseResult;
  /** it ended without its repetitions: skipped, an error, or cut short by --fail-fast */
  out: boolean;
  /** the stop cut its last repetition short (left out of its figures) */
  interrupted?: boolean;
}

/** Most repetitions a case may run: its count, or its adaptive max. */
function cap(c: Case): number {
  return c.adaptive?.max ?? c.repeat;
}

function repetitionState(st: CaseState): RepetitionState {
  return {
    n: st.done.length,
    min: st.c.repeat,
    ...(st.c.adaptive ? { adaptive: st.c.adaptive } : {}),
    ...(st.done.length >= 2 ? { estimates: estimatesOf(st.done.map((d) => d.measured)) } : {}),
  };
}

/** The state of one spec's run: its cases, where each stands, and why it stopped. */
class SpecRun {
  readonly order: "interleaved" | "sequential";
  /** a case repeats: repetitions are ordered in rounds and recorded with their noise */
  readonly inRounds: boolean;
  readonly states: CaseState[];
  /** why the run stopped early (SIGINT, the time limit, --fail-fast) */
  stoppedBy: string | undefined;
  #failFast = false;
  /** why repetition ended, when it ended by itself */
  #roundsStop: StopReason | "time-limit" = "count";
  #rounds = 0;
  readonly #planned: number;
  readonly #adaptive: boolean;

  constructor(
    readonly spec: RunnableSpec,
    readonly selected: readonly Case[],
    readonly options: RunOptions,
    readonly ctx: SpecContext,
    /** asked after each interleaved round instead of the adaptive rule (a search's probe) */
    readonly goOn?: (done: readonly (readonly DoneRepetition[])[]) => boolean,
  ) {
    this.order = spec.order ?? "interleaved";
    this.#planned = Math.max(1, ...selected.map(cap));
    this.#adaptive = selected.some((c) => c.adaptive);
    this.inRounds = this.#planned > 1;
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
              rounds: this.#planned,
              adaptive: this.#adaptive,
            },
          }
        : {}),
    };
  }

  roundsInfo(): RoundsInfo {
    const until = this.selected.find((c) => c.adaptive)?.adaptive?.until;
    const stoppedBy: RoundsInfo["stoppedBy"] = !this.stoppedBy
      ? this.#roundsStop
      : this.#failFast
        ? "fail-fast"
        : this.ctx.stop.timedOut()
          ? "time-limit"
          : "interrupted";
    return {
      order: this.order,
      seed: this.ctx.seed,
      rounds: this.#rounds,
      stoppedBy,
      ...(until === undefined ? {} : { until }),
    };
  }

  async runAll(): Promise<void> {
    if (this.inRounds && this.order === "interleaved") await this.#interleaved();
    else await this.#sequential();
  }

  /** Stop before the next repetition: SIGINT or the time limit fired, or --fail-fast. */
  #stopped(): boolean {
    if (this.ctx.stop.signal?.aborted) this.stoppedBy ??= this.ctx.stop.reason();
    return this.stoppedBy !== undefined;
  }

  /** Round after round until no case wants another repetition (stats/estimates.ts nextRound). */
  async #interleaved(): Promise<void> {
    for (let round = 1; ; round++) {
      const cases = this.#roundCases(round);
      if (!cases.length) return;
      this.#rounds = round;
      for (const [i, st] of cases.entries()) {
        if (this.#stopped()) return;
        await this.#turn(st, { round, position: i + 1 }, cases.length);
      }
      if (this.#stopped()) return;
      const live = this.states.filter((st) => !st.out);
      if (this.goOn) {
        if (!this.goOn(live.map((st) => st.done))) return;
      } else {
        const decision = nextRound(live.map(repetitionState));
        if (!decision.go) {
          this.#roundsStop = decision.stoppedBy;
          return;
        }
      }
      if (!this.#fitsInTime(this.#roundCases(round + 1))) {
        this.#roundsStop = "time-limit";
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
        if (this.#stopped()) return;
        if (!wantsMore(repetitionState(st))) {
          this.#end(st, this.#settled(st));
          break;
        }
        if (!this.#fitsInTime([st])) {
          this.#roundsStop = "time-limit";
          this.#end(st, this.#settled(st));
          break;
        }
        const round = st.done.length + 1;
        this.#rounds = Math.max(this.#rounds, round);
        await this.#turn(st, { round, position: st.index + 1 }, this.states.length);
      }
    }
    if (this.#roundsStop !== "time-limit") {
      const decision = nextRound(this.states.filter((st) => !st.out).map(repetitionState));
      if (!decision.go) this.#roundsStop = decision.stoppedBy;
    }
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
      const blocked = this.#blocked(st);
      if (blocked) return this.#end(st, blocked, true);
    }
    if (this.inRounds) {
      const at: RepetitionStart = {
        round: place.round,
        ...(this.order === "interleaved"
          ? { rounds: this.#planned, adaptive: this.#adaptive }
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
      return this.#end(
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
      return this.#end(
        st,
        { ...this.#base(st), status: "error", reason, measured, checks: [] },
        true,
      );
    }
    st.done.push(rep);
    const failing = this.options.failFast && rep.checks.some(isFailure);
    // adaptive cases under max end when the rounds do (#finishRest)
    if (st.done.length >= cap(c) || failing) this.#end(st, this.#settled(st), failing);
  }

  /** Why a case cannot run here at all, as its result; undefined when it can. */
  #blocked(st: CaseState): CaseResult | undefined {
    const { c, plan } = st;
    const { environment } = this.ctx;
    const skip = plan.unsupported.length
      ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
      : targetBlocker(c.target);
    if (skip) return unrun("skipped", this.spec.name, c, plan, skip, environment);
    const verdict = capabilityVerdict(plan, capabilities(this.ctx.native));
    if (verdict) return unrun(verdict.status, this.spec.name, c, plan, verdict.reason, environment);
    return undefined;
  }

  #base(st: CaseState) {
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
  #settled(st: CaseState, cutShort?: string): CaseResult {
    return caseResult(this.#base(st), st.done, cutShort);
  }

  /** A case has ended: judge it, settle the peers waiting for it, report it, heed --fail-fast. */
  #end(st: CaseState, result: CaseResult, out = false): void {
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
      this.#end(st, this.#settled(st, cut));
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
