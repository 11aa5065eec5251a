import { describe, expect, it } from "vitest";
import { readSpecText } from "../../src/spec/read.js";
import { specErrors } from "../helpers/spec.js";

const HEAD = "version: 1\nname: t\n";

function cases(body: string) {
  return readSpecText("t.yaml", HEAD + body).cases;
}

const problems = (body: string) => specErrors(HEAD + body);

/** The selftest's shape: UDP batches of 32, TCP requests one at a time. */
const SELFTEST = `matrix:
  socket.family: [ipv4, ipv6]
  socket.type: [udp, tcp]
  mode: [send, send_zc]
  include:
    - { socket.type: udp, batch: 32 }
    - { socket.type: tcp, batch: 1 }
`;

describe("matrix include and exclude", () => {
  it("adds an include entry's other keys to the combinations it matches, names unchanged", () => {
    const all = cases(SELFTEST);
    expect(all.map((c) => c.name)).toEqual([
      "family=ipv4/type=udp/send",
      "family=ipv4/type=udp/send_zc",
      "family=ipv4/type=tcp/send",
      "family=ipv4/type=tcp/send_zc",
      "family=ipv6/type=udp/send",
      "family=ipv6/type=udp/send_zc",
      "family=ipv6/type=tcp/send",
      "family=ipv6/type=tcp/send_zc",
    ]);
    for (const c of all) {
      expect(c.batch, c.name).toBe(c.socket.type === "udp" ? 32 : 1);
      // the cell records what include added, so peer() and reports see it
      expect(c.matrix.batch, c.name).toBe(c.batch);
    }
  });

  it("drops what exclude matches, before include", () => {
    const all = cases(`${SELFTEST}  exclude:
    - { socket.family: ipv6, mode: send }
    - { socket.type: tcp, mode: send_zc }
`);
    expect(all.map((c) => c.name)).toEqual([
      "family=ipv4/type=udp/send",
      "family=ipv4/type=udp/send_zc",
      "family=ipv4/type=tcp/send",
      "family=ipv6/type=udp/send_zc",
    ]);
  });

  it("applies an include entry without matrix keys to every combination, later entries winning", () => {
    const all = cases(`matrix:
  mode: [send, send_zc]
  include:
    - { batch: 4 }
    - { mode: send_zc, batch: 16, buffers.count: 2 }
`);
    expect(all.map((c) => [c.name, c.batch, c.buffers.count])).toEqual([
      ["send", 4, 1],
      ["send_zc", 16, 2],
    ]);
  });

  it("never overwrites a matrix value: an entry joins only where its matrix keys agree", () => {
    const all = cases(`matrix:
  mode: [send, send_zc]
  buffers.size: [600, 4000]
  include:
    - { mode: send, buffers.size: 600, batch: 2 }
`);
    expect(all.map((c) => c.batch)).toEqual([2, 8, 8, 8]);
  });

  it("reports an exclude entry that matches nothing at the value no combination has", () => {
    const [d, ...rest] = problems(`matrix:
  mode: [send, send_zc]
  buffers.size: [600, 4KiB]
  exclude:
    - { mode: send, buffers.size: 4096 }
`);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "ZC_MATRIX_ENTRY", line: 7, col: 35 });
    expect(d?.message).toBe("exclude entry 1 matches no combination of the matrix");
    expect(d?.hint).toBe("buffers.size takes 600, 4KiB here (values compare as written)");
  });

  it("reports an exclude entry that another one left with nothing to drop", () => {
    const [d] = problems(`matrix:
  mode: [send, send_zc]
  exclude:
    - { mode: send }
    - { mode: send }
`);
    expect(d).toMatchObject({ code: "ZC_MATRIX_ENTRY", line: 7, col: 7 });
    expect(d?.hint).toContain("another exclude entry already dropped");
  });

  it("reports an exclude key that is not a matrix key", () => {
    const [d] = problems(`matrix:
  mode: [send, send_zc]
  exclude:
    - { batch: 8 }
`);
    expect(d).toMatchObject({ code: "ZC_MATRIX_ENTRY", line: 6, col: 9 });
    expect(d?.message).toContain('names "batch", which is not a key of this matrix');
    expect(d?.hint).toBe("exclude keys are matrix keys: mode");
  });

  it("reports an include entry that matches no combination, pointing to cases:", () => {
    const [d] = problems(`matrix:
  socket.type: [udp, tcp]
  include:
    - { socket.type: tpc, batch: 1 }
`);
    // the value is a schema error first (an enum), then it matches nothing
    expect(d).toMatchObject({ code: "ZC_BAD_VALUE", line: 6, col: 22 });
    const [e] = problems(`matrix:
  buffers.size: [600, 4000]
  include:
    - { buffers.size: 1000, batch: 1 }
`);
    expect(e).toMatchObject({ code: "ZC_MATRIX_ENTRY", line: 6, col: 23 });
    expect(e?.message).toBe("include entry 1 matches no combination of the matrix");
    expect(e?.hint).toBe(
      "buffers.size takes 600, 4000 here (values compare as written); to add a case of its own, write it under cases:",
    );
  });

  it("checks an entry's keys and values as matrix keys and cells", () => {
    const [d] = problems(`matrix:
  mode: [send]
  include:
    - { mode: send, bacth: 2 }
`);
    expect(d).toMatchObject({ code: "ZC_MATRIX_PATH", line: 6, col: 21 });
    expect(d?.hint).toBe('did you mean "batch"?');
    const [e] = problems(`matrix:
  mode: [send]
  include:
    - { mode: send, batch: 0 }
`);
    expect(e).toMatchObject({ code: "ZC_RANGE", line: 6, col: 28 });
  });

  it("locates a rule an included value breaks at the include entry", () => {
    const [d] = problems(`matrix:
  socket.type: [udp, tcp]
  include:
    - { socket.type: tcp, socket.cork: udp_cork }
`);
    expect(d).toMatchObject({ code: "ZC_SOCKET_OPTION", line: 6, col: 40 });
  });
});
