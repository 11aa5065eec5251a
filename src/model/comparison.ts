import type { Estimate } from "./estimate.js";
import type { Accelerator } from "./kernel.js";

/**
 * `zcspec compare BEFORE AFTER`: how a figure changed between two saved
 * runs. `not comparable`: the two sides ran under different accelerators
 * (a TCG guest's rates measure the emulator).
 */
export type ChangeVerdict = "improved" | "regressed" | "no change detected" | "not comparable";

/** One figure of one pair of cases: before, after, and the ratio after/before with its interval. */
export interface FigureChange {
  /** the figure's JSON key in `measured` ("rps") or in `measured.target` */
  figure: string;
  /** the figure's name as the tables head it */
  label: string;
  better: "higher" | "lower";
  before: number;
  after: number;
  /**
   * after / before: its value the Hodges–Lehmann estimate, its interval (level 0: none, one run a
   * side)
   */
  ratio: Estimate;
  verdict: ChangeVerdict;
  /** regressed by more than the tolerance: the whole interval beyond it */
  beyondTolerance: boolean;
}

/** Two cases with the same parameters, one from each run. */
export interface CasePair {
  spec: string;
  /** the case's name in the after run */
  name: string;
  /** the kernel each side ran on (`host` where the run booted none) */
  kernels: { before: string; after: string };
  accelerators: { before: Accelerator; after: Accelerator };
  changes: FigureChange[];
}

export interface Comparison {
  before: string;
  after: string;
  tolerance: number;
  pairs: CasePair[];
  /**
   * cases of one run with no case of the same parameters in the other, or that did not run to their
   * end
   */
  unpaired: { before: string[]; after: string[] };
}
