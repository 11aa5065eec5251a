/**
 * The sending side of a remote receiver: start the spec's launcher (ssh,
 * kubectl exec -i, ip netns exec ...) whose stdin and stdout reach `zcspec
 * receive --stdio` on the receiving host, ask it to listen, and after the
 * case ask it for what arrived. Every wait is bounded, every failure is an
 * EnvError that names the host and what to do, and a launcher that failed
 * or outlived its use is killed with its whole process group.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { EnvError } from "../../model/errors.js";
import {
  encodeMessage,
  type ListenRequest,
  type Parsed,
  parseMessage,
  RECEIVE_PROTOCOL,
  type ReceiveMessage,
  type ReceiveResult,
} from "./protocol.js";

export interface LaunchTimeouts {
  /**
   * launch to ready: an ssh login, and on the first use of an installed package, its native build
   */
  readyMs: number;
  /** stop to result: the receiver settles (at most 3 s) and describes its host */
  resultMs: number;
  /** result to the launcher's exit, and a killed launcher's exit */
  exitMs: number;
}

/** How long a launch waits for each of its steps before it gives up. */
export const LAUNCH_TIMEOUTS: LaunchTimeouts = { readyMs: 60_000, resultMs: 15_000, exitMs: 5_000 };

/** What is asked of the receiver: the listen request without its envelope. */
export type ListenParams = Omit<ListenRequest, "zcspec" | "protocol" | "message">;

/** A receiver listening on the other host for one run of a case. */
export interface LaunchedReceiver {
  port: number;
  /** Tell it the measured window began or ended: it reads its host's /proc/stat then. */
  mark(edge: "begin" | "end"): void;
  /** Ask it to stop, and wait (bounded) for its result; then it has exited. */
  finish(flowPorts?: readonly number[]): Promise<ReceiveResult>;
  /** Kill the launcher and its process group now; safe to call twice. */
  kill(): Promise<void>;
}

/** Launchers of this process that may still run, killed when the process exits. */
const live = new Set<ChildProcess>();
let exitHook = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // the launcher leads a process group of its own (detached): take its children too
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function killLiveSync(): void {
  for (const child of live) killGroup(child, "SIGKILL");
  live.clear();
  exitHook = false;
}

/**
 * The launcher's environment: no way to ask for a password. It runs
 * without a terminal (a session of its own, stdin a pipe), and ssh must
 * not fall back to an askpass program on a desktop either.
 */
function launcherEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SSH_ASKPASS_REQUIRE: "never" };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.SSH_ASKPASS;
  return env;
}

/** `ssh -T ... zcspec receive --stdio`, as shown in messages. */
function shown(launch: readonly string[]): string {
  return launch.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

/** The last lines a tool said, on one line (ssh ends its lines with \r\n). */
function lastLines(text: string, n = 3): string {
  return text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(" / ");
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitWords(e: Exit): string {
  return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
}

/** Why a launcher ended before answering, as an error a user can act on. */
export function launchFailure(
  where: string,
  launch: readonly string[],
  stderr: string,
  exit: Exit,
): EnvError {
  const said = lastLines(stderr);
  const saying = said ? `: ${said}` : "";
  const program = launch[0] ?? "";
  if (
    /Permission denied|password|passphrase|Authentication failed|keyboard-interactive/i.test(stderr)
  )
    return new EnvError(
      "ZC_REMOTE_RECEIVER",
      `the launcher for ${where} could not log in without a password${saying}; zcspec runs ` +
        `\`${shown(launch)}\` with no terminal, so nothing can be typed there`,
      "log in with a key (ssh-keygen; ssh-copy-id USER@HOST), and add -o BatchMode=yes to " +
        "remote.receiver.launch so ssh fails at once instead of asking (docs/two-hosts.md)",
    );
  if (/Host key verification failed/i.test(stderr))
    return new EnvError(
      "ZC_REMOTE_RECEIVER",
      `the launcher for ${where} refused the host's key${saying}`,
      "log in once by hand (ssh USER@HOST) to check and accept its host key, then run again",
    );
  if (
    exit.code === 127 ||
    /command not found|: not found|No such file or directory|executable file not found/i.test(
      stderr,
    )
  )
    return new EnvError(
      "ZC_REMOTE_RECEIVER",
      `zcspec is not installed on ${where}, or not where \`${shown(launch)}\` looks for it ` +
        `(${exitWords(exit)}${saying})`,
      "install zcspec on the receiving host (docs/two-hosts.md: npm install -g, or an npx " +
        "package) or put the full path of its bin/zcspec.js in remote.receiver.launch",
    );
  if (
    /Could not resolve|Connection refused|No route to host|timed out|Network is unreachable|Connection closed|Connection reset/i.test(
      stderr,
    )
  )
    return new EnvError(
      "ZC_REMOTE_RECEIVER",
      `the launcher could not reach ${where}${saying}`,
      `check the host's name or address, that it is up and runs sshd (for ${program}), and the ` +
        "network to it",
    );
  return new EnvError(
    "ZC_REMOTE_RECEIVER",
    `the launcher for ${where} ended (${exitWords(exit)}) before the receiver answered${saying}`,
    "run it by hand to see why: echo " +
      `'{"zcspec":"receive","protocol":${RECEIVE_PROTOCOL},"message":"listen",...}' | ` +
      `${shown(launch)}`,
  );
}

/** A line from the other side that is not the message expected, as an error. */
function badAnswer(
  where: string,
  launch: readonly string[],
  parsed: Exclude<Parsed<unknown>, { kind: "ok" }>,
): EnvError {
  switch (parsed.kind) {
    case "version":
      return new EnvError(
        "ZC_REMOTE_RECEIVER",
        `the receiver on ${where} speaks zcspec receive protocol ` +
          `${parsed.protocol}${parsed.version ? ` (zcspec ${parsed.version})` : ""}; this zcspec ` +
          `speaks protocol ${RECEIVE_PROTOCOL}`,
        "install the same zcspec version on both hosts",
      );
    case "garbage":
      return new EnvError(
        "ZC_REMOTE_RECEIVER",
        `\`${shown(launch)}\` printed something that is not zcspec receive's answer: ` +
          `${JSON.stringify(parsed.line.slice(0, 200))}`,
        "the command must run `zcspec receive --stdio` with nothing else on its stdout (a login " +
          "script that prints, a wrong command?)",
      );
    case "invalid":
      return new EnvError(
        "ZC_REMOTE_RECEIVER",
        `the receiver on ${where} sent ${parsed.problem}`,
        "install the same zcspec version on both hosts",
      );
  }
}

/** Lines from a launcher's stdout, one at a time, with its end and a timeout as values. */
function lineQueue(child: ChildProcess) {
  const lines: string[] = [];
  let ended = false;
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const w of waiters) w();
  };
  const rl = createInterface({
    input: child.stdout as NodeJS.ReadableStream,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  rl.on("line", (l) => {
    lines.push(l);
    wakeAll();
  });
  const end = () => {
    ended = true;
    wakeAll();
  };
  rl.on("close", end);
  return {
    /** No more lines will come (the launcher could not even start). */
    end,
    /** The next line, "eof", or "timeout" after `ms`. */
    async next(ms: number): Promise<string | "eof" | "timeout"> {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = lines.shift();
        if (line !== undefined) return line;
        if (ended) return "eof";
        const left = deadline - Date.now();
        if (left <= 0) return "timeout";
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          };
          // the launcher itself keeps the process alive while it runs; a timer must not
          const t = setTimeout(done, left).unref();
          waiters.add(done);
        });
      }
    },
  };
}

/**
 * Start `launch` and have the receiver it reaches listen as `params` says.
 * `where` names the receiving host in messages.
 */
export async function launchReceiver(
  launch: readonly string[],
  where: string,
  params: ListenParams,
  timeouts: LaunchTimeouts = LAUNCH_TIMEOUTS,
): Promise<LaunchedReceiver> {
  const [program, ...args] = launch;
  if (!program)
    throw new EnvError(
      "ZC_REMOTE_RECEIVER",
      `remote.receiver.launch for ${where} is empty`,
      "give the command that starts zcspec receive --stdio there, " +
        "e.g. [ssh, -T, -o, BatchMode=yes, user@host, zcspec, receive, --stdio]",
    );
  const child = spawn(program, args, {
    stdio: ["pipe", "pipe", "pipe"],
    // a session of its own: no controlling terminal to prompt on, and one group to kill
    detached: true,
    env: launcherEnv(),
  });
  if (!exitHook) {
    // process.exit() skips every finally block: the exit event still fires
    process.once("exit", killLiveSync);
    exitHook = true;
  }
  live.add(child);

  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => {
    stderr = (stderr + d).slice(-8192);
  });
  // a launcher that exits early closes its stdin: writing then must not throw
  child.stdin?.on("error", () => undefined);
  const lines = lineQueue(child);
  let spawnError: NodeJS.ErrnoException | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once("error", (e) => {
      spawnError = e;
      lines.end();
      resolve({ code: null, signal: null });
    });
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  let exit: Exit | undefined;
  exited.then((e) => {
    exit = e;
    live.delete(child);
  });
  const write = (m: ReceiveMessage) => child.stdin?.write(encodeMessage(m));

  const waitExit = async (ms: number): Promise<Exit | undefined> =>
    Promise.race([
      exited,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref()),
    ]);
  const kill = async (): Promise<void> => {
    if (exit || spawnError) return;
    killGroup(child, "SIGTERM");
    if (await waitExit(1000)) return;
    killGroup(child, "SIGKILL");
    await waitExit(timeouts.exitMs);
  };
  const spawnFailure = (e: NodeJS.ErrnoException) =>
    new EnvError(
      "ZC_REMOTE_RECEIVER",
      e.code === "ENOENT"
        ? `cannot start the receiver's launcher for ${where}: ${program} is not installed here ` +
            "(ENOENT)"
        : `cannot start the receiver's launcher for ${where}: ${program}: ${e.message}`,
      e.code === "ENOENT"
        ? "install it (for ssh: apt-get install openssh-client) or write its full path as the " +
            "first word of remote.receiver.launch"
        : "check the first word of remote.receiver.launch",
    );

  write({ zcspec: "receive", protocol: RECEIVE_PROTOCOL, message: "listen", ...params });
  const answer = await lines.next(timeouts.readyMs);
  if (spawnError) throw spawnFailure(spawnError);
  if (answer === "timeout") {
    await kill();
    throw new EnvError(
      "ZC_REMOTE_RECEIVER",
      `no answer from the receiver on ${where} within ${timeouts.readyMs / 1000} s of starting ` +
        `\`${shown(launch)}\`${lastLines(stderr) ? `: ${lastLines(stderr)}` : ""}`,
      "run the command by hand to see where it hangs; for ssh add -o ConnectTimeout=10",
    );
  }
  if (answer === "eof") {
    const e = (await waitExit(timeouts.exitMs)) ?? { code: null, signal: null };
    await kill();
    throw launchFailure(where, launch, stderr, e);
  }
  const parsed = parseMessage(answer, ["ready", "error"]);
  if (parsed.kind !== "ok") {
    await kill();
    throw badAnswer(where, launch, parsed);
  }
  if (parsed.message.message === "error") {
    await waitExit(timeouts.exitMs);
    await kill();
    throw new EnvError(
      "ZC_REMOTE_RECEIVER",
      `the receiver on ${where} refused: ${parsed.message.error}`,
      "see the message; the spec's remote section says what it was asked",
    );
  }
  const ready = parsed.message;

  return {
    port: ready.port,
    kill,
    mark(edge) {
      if (!exit) write({ zcspec: "receive", protocol: RECEIVE_PROTOCOL, message: "mark", edge });
    },
    async finish(flowPorts = []): Promise<ReceiveResult> {
      try {
        // flowPorts only when there are flows: a receiver of an older zcspec refuses the key
        if (!exit)
          write({
            zcspec: "receive",
            protocol: RECEIVE_PROTOCOL,
            message: "stop",
            ...(flowPorts.length ? { flowPorts: [...flowPorts] } : {}),
          });
        const line = await lines.next(timeouts.resultMs);
        if (line === "timeout")
          throw new EnvError(
            "ZC_REMOTE_RECEIVER",
            `no result from the receiver on ${where} within ${timeouts.resultMs / 1000} s of the ` +
              "case's end: the network to it (or the launcher's connection) may be down",
            "check the link to the host and the launcher (ssh -o ServerAliveInterval=5 notices a " +
              "dead connection); the receiver there stops by itself within its time limit",
          );
        if (line === "eof") {
          const e = (await waitExit(timeouts.exitMs)) ?? { code: null, signal: null };
          throw new EnvError(
            "ZC_REMOTE_RECEIVER",
            `the receiver on ${where} (pid ${ready.pid} there) ended during the case without its ` +
              `result (${exitWords(e)}${lastLines(stderr) ? `: ${lastLines(stderr)}` : ""})`,
            "look at the receiving host: was it killed (out of memory, a signal) or did the " +
              "launcher's connection drop? Run the case again",
          );
        }
        const parsed = parseMessage(line, ["result", "error"]);
        if (parsed.kind !== "ok") throw badAnswer(where, launch, parsed);
        if (parsed.message.message === "error")
          throw new EnvError(
            "ZC_REMOTE_RECEIVER",
            `the receiver on ${where} failed: ${parsed.message.error}`,
          );
        if (parsed.message.receiverError)
          throw new EnvError(
            "ZC_RECEIVER",
            `the receiver on ${where} stopped during the case: ${parsed.message.receiverError}`,
          );
        await waitExit(timeouts.exitMs);
        return parsed.message;
      } finally {
        await kill();
      }
    },
  };
}
