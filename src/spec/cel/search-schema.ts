/**
 * `search` in a spec's expectations: the break-even search's outcome as CEL
 * sees it (snake_case, numbers as doubles, counts as ints), for CI gates
 * such as `search.found && search.break_even.high <= 8192`. Declared with
 * its fields, so a typo is a compile error at read time.
 */
const POINT = {
  value: "double",
  ratio: "double",
  low: "double",
  high: "double",
  standing: "string",
  rounds: "int",
} as const;

const CROSSING = {
  low: "double",
  high: "double",
  estimate: "double",
  from: "string",
  to: "string",
  /** the point inside the bracket nearest 1: its ratio's value and interval */
  ratio: { value: "double", low: "double", high: "double", at: "double" },
} as const;

export const SEARCH_SCHEMA = {
  parameter: "string",
  figure: "string",
  compare: "string",
  against: "string",
  from: "double",
  to: "double",
  found: "bool",
  monotone: "bool",
  stopped_by: "string",
  point_count: "int",
  rounds: "int",
  elapsed_ms: "double",
  break_even: CROSSING,
  crossings: "list<map>",
  points: "list<map>",
  zones: "list<map>",
  wins_from: "double",
  at_from: POINT,
  at_to: POINT,
} as const;

const POINT_DOC =
  "value (the parameter's), ratio, low, high (its 95 % interval), standing (win, lose or even), " +
  "rounds";

/** What each field of `search` means, for the CEL reference (docs/reference/cel.md). */
export const SEARCH_DOCS: Readonly<Record<string, string>> = {
  parameter: "The searched parameter's dotted path.",
  figure:
    "The figure compared: rps (compare wins above 1), cpu_ns_per_request or " +
    "machine_cpu_ns_per_request (win below 1).",
  compare: "The side whose advantage is sought, as written.",
  against: "The side it is measured against, as written.",
  from: "The lower bound, in the parameter's unit (bytes for a size).",
  to: "The upper bound.",
  found: "The relation changes sign in the bounds.",
  monotone: "It changes sign at most once.",
  stopped_by:
    "Why the search ended: resolution, max-points, budget, time-limit, interrupted, fail-fast or " +
    "error.",
  point_count: "Points measured.",
  rounds: "Paired rounds run over all points.",
  elapsed_ms: "Wall time the search took, ms.",
  break_even:
    "The last change of sign; absent when the sign does not change (guard with " +
    "has(search.break_even)).",
  "break_even.low": "The bracket's lower end: the last point on one side.",
  "break_even.high": "The bracket's upper end: the first point on the other side.",
  "break_even.estimate": "Where the ratios' values cross 1, interpolated.",
  "break_even.from": 'The standing below the bracket: "win" or "lose".',
  "break_even.to": 'The standing above it: "win" or "lose".',
  "break_even.ratio": "The point inside the bracket nearest 1: value, low, high, at.",
  "break_even.ratio.value": "That point's ratio.",
  "break_even.ratio.low": "Its 95 % interval's lower bound.",
  "break_even.ratio.high": "Its 95 % interval's upper bound.",
  "break_even.ratio.at": "The parameter value it was measured at.",
  crossings: "Every change of sign, as maps like break_even's.",
  points: `Every measured point, as maps: ${POINT_DOC}.`,
  zones: "Every run of neighbouring points that stand alike: standing, from, to, points.",
  wins_from:
    "The smallest probed value from which every probe up to `to` wins; absent when the top does " +
    "not win.",
  at_from: `The point at the lower bound: ${POINT_DOC}.`,
  at_to: `The point at the upper bound: ${POINT_DOC}.`,
};
