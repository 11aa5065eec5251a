import { checkedSpecText } from "../../src/assert/checked-spec.js";
import { SpecInvalidError } from "../../src/model/errors.js";

/** The diagnostics of a spec text that must be refused (throws if it is accepted). */
export function specDiagnostics(text: string) {
  try {
    checkedSpecText("t.yaml", text);
  } catch (e) {
    if (e instanceof SpecInvalidError) return { list: e.diagnostics, error: e };
    throw e;
  }
  throw new Error("spec was accepted");
}
