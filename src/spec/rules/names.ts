import type { Rule, SpecContext } from "./rule.js";

/** A name shared by several cases is reported at each case after the first. */
export const duplicateName: Rule<SpecContext> = {
  code: "ZC_DUPLICATE_CASE",
  param: "name",
  severity: "error",
  check: (c, { cases, index }) => cases.findIndex((other) => other.name === c.name) < index,
  message: (c) => `case name "${c.name}" is used twice`,
  hint: "give each case a unique name (matrix cases are named after their values)",
};
