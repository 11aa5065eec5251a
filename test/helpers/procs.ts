import { readdirSync, readFileSync } from "node:fs";

/** A /proc file's text, "" when the process or thread is gone. */
export function proc(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** A process's parent pid, undefined when it is gone. */
export function parentOf(pid: number | string): number | undefined {
  const stat = proc(`/proc/${pid}/stat`);
  // the comm field may hold spaces and parentheses: the ppid follows the last ")"
  return stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : undefined;
}

/** The pids under `root` (itself included), from every process's parent in /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    const ppid = /^\d+$/.test(d) ? parentOf(d) : undefined;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i] as number) ?? []));
  return out;
}
