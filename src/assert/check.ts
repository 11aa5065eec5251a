import type { Check } from "../model/check.js";

/** `actual === expected`, described. */
export function equals(name: string, actual: number, expected: number): Check {
  return actual === expected
    ? { name, pass: true, kind: "invariant" }
    : {
        name,
        pass: false,
        kind: "invariant",
        reason: `${name}: expected ${expected}, got ${actual}`,
      };
}

/** `actual >= floor`, described. */
export function atLeast(name: string, actual: number, floor: number): Check {
  return actual >= floor
    ? { name, pass: true, kind: "invariant" }
    : {
        name,
        pass: false,
        kind: "invariant",
        reason: `${name}: expected at least ${floor}, got ${actual}`,
      };
}
