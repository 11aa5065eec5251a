import type { Case } from "../../model/case.js";
import type { DryRun, DryRunCase, Hindrance, WallTime } from "../../model/dry-run.js";
import { settingsLine } from "../text/search-text.js";
import { renderTable } from "../text/table.js";

const ms = (ns: number) => `${ns / 1e6}ms`;

function repeatText(c: Case): string {
  return c.adaptive
    ? `${c.repeat}..${c.adaptive.max}@${+(c.adaptive.until * 100).toFixed(2)}%`
    : String(c.repeat);
}

const LABEL: Record<Hindrance["cause"], string> = {
  unsupported: "skip (build)",
  feature: "skip (kernel feature)",
  privilege: "skip (privilege)",
  limit: "error (limit)",
  remote: "refused",
};

function planText(h: Hindrance | undefined): string {
  return h ? `${LABEL[h.cause]}: ${h.reason}` : "run";
}

/** "1 min 5 s", "800 ms". */
function wallText(msTotal: number): string {
  if (msTotal < 1000) return `${Math.round(msTotal)} ms`;
  const sec = Math.round(msTotal / 1000);
  if (sec < 60) return `${sec} s`;
  const h = Math.floor(sec / 3600);
  const min = Math.floor((sec % 3600) / 60);
  return [h ? `${h} h` : "", min ? `${min} min` : "", sec % 60 ? `${sec % 60} s` : ""]
    .filter(Boolean)
    .join(" ");
}

function estimateLine(w: WallTime): string {
  const most =
    w.maxMs > w.minMs
      ? `, at most ${wallText(w.maxMs)} (adaptive repetitions, a search's budget)`
      : "";
  return (
    `estimated wall time: ${wallText(w.minMs)} of warmup and measuring${most}, ` +
    "plus setting up the targets"
  );
}

/**
 * What `run --dry-run` prints: per spec each case's plan (run, skip, error, refused, with the
 * reason), then the counts and the wall time.
 */
export function renderDryRun(dry: DryRun): string {
  const out: string[] = [];
  const row = (r: DryRunCase) => [
    r.search ? `${r.case.name} (search)` : r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    ms(r.case.warmup_ns),
    ms(r.case.duration_ns),
    repeatText(r.case),
    planText(r.hindrance),
  ];
  for (const s of dry.specs) {
    const own = s.rows.filter((r) => !r.search).length;
    out.push(
      `${s.file}: ${s.name}, ${own} of ${s.cases} case(s), ${s.expectations} expectation(s)`,
    );
    if (s.search) out.push(settingsLine(s.search));
    out.push(
      renderTable(
        ["case", "mode", "size", "warmup", "duration", "repeat", "plan"],
        s.rows.map(row),
      ),
      "",
    );
  }
  const rows = dry.specs.flatMap((s) => s.rows);
  const count = (action: Hindrance["action"]) =>
    rows.filter((r) => r.hindrance?.action === action).length;
  const refused = count("refused");
  out.push(
    `${rows.length - count("skip") - count("error") - refused} to run, ${count("skip")} to skip, ` +
      `${count("error")} stopped by a limit, ${refused} refused`,
  );
  if (refused)
    out.push(
      "the run would refuse to start: a remote case sends off this machine; rerun with " +
        "--allow-remote if you mean it, or leave the remote cases out with --grep/--case",
    );
  out.push(estimateLine(dry.wall));
  return `${out.join("\n")}\n`;
}
