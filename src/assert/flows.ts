import type { Case } from "../model/case.js";
import type { Check } from "../model/check.js";
import type { FlowMeasured, Measured } from "../model/measured/measured.js";
import { equals } from "./check.js";

/** How many differing flows a failed check names before "and N more". */
const NAMED = 4;

const where = (f: FlowMeasured) => `thread ${f.thread} port ${f.port}`;

/**
 * socket.flows (issue 24): the flows' counts add up to the case's, and
 * where the built-in receiver counted per source port, each flow's bytes
 * arrived. Both sides count from the case's start, warmup included (the
 * sender's sentBytes, the receiver's since the switch to this case), so
 * TCP balances exactly; a UDP receive queue on loopback or the pair may
 * drop what the receiver thread did not read in time, so UDP only must
 * not receive more than a flow sent (more is stray traffic, or a flow
 * counted under the wrong port).
 */
export function flowChecks(c: { socket: Pick<Case["socket"], "type"> }, m: Measured): Check[] {
  const flows = m.flows;
  if (!flows?.length) return [];
  const checks = [
    equals(
      "flows' bytes add up to the bytes",
      flows.reduce((a, f) => a + f.bytes, 0),
      m.bytes,
    ),
    equals(
      "flows' requests add up to the requests",
      flows.reduce((a, f) => a + f.requests, 0),
      m.requests,
    ),
  ];
  const received = flows.filter((f) => f.rxBytes !== undefined);
  if (received.length !== flows.length) return checks;
  const exact = c.socket.type === "tcp";
  const name = exact
    ? `each of ${flows.length} flows: bytes received = bytes sent`
    : `each of ${flows.length} flows: bytes received <= bytes sent`;
  const bad = flows.filter((f) =>
    exact ? f.rxBytes !== f.sentBytes : (f.rxBytes as number) > f.sentBytes,
  );
  if (!bad.length) return [...checks, { name, pass: true, kind: "invariant" }];
  const named = bad
    .slice(0, NAMED)
    .map((f) => `${where(f)} sent ${f.sentBytes}, received ${f.rxBytes}`)
    .join("; ");
  const more = bad.length > NAMED ? `, and ${bad.length - NAMED} more` : "";
  return [
    ...checks,
    {
      name,
      pass: false,
      kind: "invariant",
      reason: `${name}: ${bad.length} flows differ: ${named}${more}`,
    },
  ];
}
