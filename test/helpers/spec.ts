import { SpecInvalidError } from "../../src/model/errors.js";
import { readSpecText } from "../../src/spec/read.js";

/** A spec of four matrix cases (send/send_zc × 600/4000 B) up to its `expect:` key: append entries. */
export const EXPECT_HEAD = `version: 1
name: t
matrix:
  mode: [send, send_zc]
  buffers.size: [600, 4000]
expect:
`;

/** The error a spec text must be refused with (throws if it is accepted). */
function refusal(read: (file: string, text: string) => unknown, text: string): SpecInvalidError {
  try {
    read("t.yaml", text);
  } catch (e) {
    if (e instanceof SpecInvalidError) return e;
    throw e;
  }
  throw new Error("spec was accepted");
}

/** The diagnostics of a spec text that must be refused, expectations compiled too. */
export function specDiagnostics(text: string) {
  const error = refusal(readSpecText, text);
  return { list: error.diagnostics, error };
}

/** The errors (not warnings) of a spec text that must be refused. */
export function specErrors(text: string) {
  return refusal(readSpecText, text).diagnostics.filter((d) => d.severity === "error");
}
