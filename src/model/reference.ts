import { ERROR_CODES, ERROR_GROUPS } from "./errors.js";

/**
 * One entry of a generated reference page (a spec key, a CEL name, an error
 * code, a results field): the page lists them and `zcspec explain` prints one.
 */
export interface ReferenceEntry {
  /** what a reader looks up: buffers.register, result.latency.notif, ZC_GSO_MTU */
  name: string;
  /** label and value pairs shown as a list: type, default, unit, ... */
  facts: [label: string, value: string][];
  description: string;
  /** a snippet that uses it: a YAML fragment or a CEL expression */
  example?: { lang: "yaml" | "cel"; text: string };
}

/** The error codes as reference entries: what each means, its group, its exit code. */
export function errorEntries(): ReferenceEntry[] {
  return Object.entries(ERROR_CODES).map(([code, [group, what]]) => {
    const g = ERROR_GROUPS[group];
    const warning = what.startsWith("warning");
    return {
      name: code,
      facts: [
        ["group", g.title],
        ["exit", warning ? "none: a warning, reported without failing" : String(g.exit)],
      ],
      description: what,
    };
  });
}
