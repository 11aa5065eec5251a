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
