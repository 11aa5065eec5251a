/** The outcome of one assertion: pure data, so reporters can show why. */
export interface Check {
  name: string;
  pass: boolean;
  /** what was seen, in words, when the check failed */
  reason?: string;
}

/** `actual === expected`, described. */
export function equals(name: string, actual: number, expected: number): Check {
  return actual === expected
    ? { name, pass: true }
    : { name, pass: false, reason: `${name}: expected ${expected}, got ${actual}` };
}

/** `actual >= floor`, described. */
export function atLeast(name: string, actual: number, floor: number): Check {
  return actual >= floor
    ? { name, pass: true }
    : { name, pass: false, reason: `${name}: expected at least ${floor}, got ${actual}` };
}
