import type { Rule } from "./rule.js";

export const repeatMinOverMax: Rule = {
  code: "ZC_RANGE",
  param: "repeat",
  severity: "error",
  check: (c) => c.adaptive !== undefined && c.repeat > c.adaptive.max,
  message: (c) => `repeat.min (${c.repeat}) is more than repeat.max (${c.adaptive?.max})`,
  hint:
    "min runs always happen and max bounds them: " +
    "for example repeat: { min: 3, max: 30, until: 3% }",
};

export const repeatUntilOutOfRange: Rule = {
  code: "ZC_RANGE",
  param: "repeat",
  severity: "error",
  check: (c) => c.adaptive !== undefined && !(c.adaptive.until > 0 && c.adaptive.until <= 1),
  message: (c) =>
    `repeat.until (${((c.adaptive?.until ?? 0) * 100).toFixed(1)} %) must be more than 0 and at ` +
    "most 100 %",
  hint: "the relative half-width of the 95 % interval to reach, e.g. until: 3%",
};
