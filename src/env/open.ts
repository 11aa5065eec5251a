import { EnvError } from "../errors.js";
import type { Case } from "../spec/types.js";
import { createSink } from "./sink.js";
import type { Target } from "./target.js";

/** Set up the target a case asks for. */
export async function openTarget(c: Case): Promise<Target> {
  switch (c.target) {
    case "sink":
      return createSink();
    default:
      throw new EnvError(
        "ZC_TARGET_UNSUPPORTED",
        `target ${c.target} is not supported by this build yet`,
      );
  }
}

/** The key under which one run shares a target between cases. */
export function targetKey(c: Case): string {
  return `${c.target}/${c.socket.family}`;
}
