import { FORMATS } from "../index.js";
import { TEMPLATE_NAMES } from "./commands/init-templates.js";

/**
 * Every command's options, positionals and exit codes: the one table that
 * both parses the command line (args.ts) and prints `--help` (help.ts), and
 * from which a reference page can be generated.
 */

export interface OptionSpec {
  /** long name, without the dashes */
  name: string;
  short?: string;
  /** "boolean": a switch; "string": takes a value */
  type: "boolean" | "string";
  /** the value's placeholder in help and messages (TIME, FILE) */
  value?: string;
  description: string;
  /** the default, as help shows it */
  default?: string;
  /** may be given more than once (each value is kept) */
  multiple?: boolean;
  /** the value names a file zcspec writes ("-": stdout) */
  output?: boolean;
}

/** An option a command no longer has: naming it is an error with this hint. */
export interface RetiredOption {
  name: string;
  short?: string;
  hint: string;
}

export interface PositionalSpec {
  /** placeholder in usage and messages (SPEC|DIR) */
  name: string;
  min: number;
  /** undefined: any number */
  max?: number;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** one line, for the command list of `zcspec --help` */
  summary: string;
  /** what it does, a paragraph */
  description: string;
  positionals: PositionalSpec;
  options: readonly OptionSpec[];
  retired?: readonly RetiredOption[];
  exitCodes: readonly (readonly [code: number, meaning: string])[];
  examples?: readonly string[];
}

const HELP: OptionSpec = {
  name: "help",
  short: "h",
  type: "boolean",
  description: "show this help",
};

/** The output formats, each written to the FILE it names; one meaning of --json everywhere. */
const FORMAT_OPTIONS: readonly OptionSpec[] = FORMATS.map((f) => ({
  name: f.name,
  type: "string",
  value: "FILE",
  description: `${f.description} ("-": stdout)`,
  output: true,
}));

const JSON_OPTION: OptionSpec = {
  name: "json",
  type: "string",
  value: "FILE",
  description: 'write the findings as JSON to FILE ("-": stdout)',
  output: true,
};

const CASE_OPTIONS: readonly OptionSpec[] = [
  {
    name: "case",
    type: "string",
    value: "NAME",
    multiple: true,
    description: "only this case; * matches any text",
  },
  {
    name: "grep",
    type: "string",
    value: "REGEX",
    description: "only cases whose name (or spec/name) matches",
  },
];

const SPEC_FILES: PositionalSpec = {
  name: "SPEC|DIR",
  min: 1,
  description: "spec files, or directories searched recursively for *.yaml and *.yml",
};

/** Other kernels, booted in VMs (docs/kernels.md): for run and probe alike. */
const VM_OPTIONS: readonly OptionSpec[] = [
  {
    name: "kernel",
    type: "string",
    value: "IMAGE|host",
    multiple: true,
    description:
      'boot this kernel image in a VM and run there ("host": this kernel, no VM); ' +
      "the kernel becomes a case parameter",
  },
  {
    name: "modules",
    type: "string",
    value: "DIR",
    description: "the kernels' modules (default: lib/modules beside the image)",
  },
  {
    name: "vm-time-limit",
    type: "string",
    value: "TIME",
    default: "5m",
    description: "per VM, boot included: past it the VM is stopped (ZC_VM_TIMEOUT)",
  },
];

const NONE: PositionalSpec = { name: "", min: 0, max: 0, description: "" };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "run",
    summary: "run specs' cases, check them, print and write results",
    description:
      "Run every case of the specs (directories: every *.yaml / *.yml in them) and print a " +
      "results table.",
    positionals: SPEC_FILES,
    options: [
      ...CASE_OPTIONS,
      {
        name: "dry-run",
        type: "boolean",
        description:
          "list each case's plan (run, or skip / error / refused with the reason) and the " +
          "estimated wall time; run nothing",
      },
      {
        name: "fail-fast",
        type: "boolean",
        description: "stop after the first case that fails or errs",
      },
      {
        name: "strict",
        type: "boolean",
        description:
          "a skipped case or check fails the run (exit 1); an expectation whose where matches no " +
          "case is an error",
      },
      {
        name: "time-limit",
        type: "string",
        value: "TIME",
        description: "wall-clock limit per spec (e.g. 10m, 1h30m); past it the run stops, exit 3",
      },
      {
        name: "duration",
        type: "string",
        value: "TIME",
        description: "measured time per case, overriding the spec (e.g. 300ms, 2s, 1m30s)",
      },
      {
        name: "warmup",
        type: "string",
        value: "TIME",
        description: "warmup per case, overriding the spec (e.g. 0, 100ms)",
      },
      {
        name: "repeat",
        type: "string",
        value: "N|MIN..MAX@PCT",
        description:
          "repetitions per case, overriding the spec: a count (5), or adaptive (3..30@3%: at " +
          "least 3, at most 30 runs, more rounds until every case's 95 % intervals of " +
          "requests/s and CPU per request are within 3 %)",
      },
      {
        name: "seed",
        type: "string",
        value: "N",
        description:
          "seed of the interleaved rounds' order; the results record it, so --seed repeats a " +
          "run's order",
        default: "random",
      },
      {
        name: "baseline",
        type: "string",
        value: "FILE",
        description: "compare with a saved run (a --save-baseline or --json file)",
      },
      {
        name: "tolerance",
        type: "string",
        value: "PCT",
        description: "largest accepted drop of requests/s against the baseline",
        default: "5%",
      },
      {
        name: "save-baseline",
        type: "string",
        value: "FILE",
        description: "write this run's results as a baseline",
        output: true,
      },
      {
        name: "allow-remote",
        type: "boolean",
        description:
          "let target: remote cases send to the host they name (refused without it: that traffic " +
          "leaves this machine)",
      },
      ...VM_OPTIONS,
      ...FORMAT_OPTIONS,
      HELP,
    ],
    exitCodes: [
      [0, "every case passed"],
      [1, "a check failed (or, with --strict, a skip)"],
      [2, "invalid spec or usage"],
      [3, "runtime or environment error (or a time limit)"],
      [130, "interrupted (partial results are written)"],
      [143, "terminated (partial results are written)"],
    ],
    examples: ["zcspec run specs/examples/udp-sink.yaml --duration 500ms --json results.json"],
  },
  {
    name: "validate",
    summary: "check specs without running them (every problem, located)",
    description:
      `Check spec files without running anything: YAML syntax, \${VAR} references, ` +
      `extends, the schema, the semantic checks and the expectations (a CEL typo, a where that ` +
      `matches no case, a peer() that names no case). Every problem of every file is reported ` +
      `with file:line:col, a code frame, a stable code and a hint. Files named ` +
      `*.defaults.yaml are checked as shared defaults files (see extends).`,
    positionals: SPEC_FILES,
    options: [
      JSON_OPTION,
      {
        name: "strict",
        type: "boolean",
        description: "an expectation whose where matches no case is an error, not a warning",
      },
      HELP,
    ],
    exitCodes: [
      [0, "every file is valid (warnings allowed)"],
      [2, "a file has an error, or the usage is wrong"],
    ],
    examples: ["zcspec validate specs/", "zcspec validate --json - spec.yaml"],
  },
  {
    name: "plan",
    summary: "show the expanded cases and their native plans, running nothing",
    description:
      "Show every case the specs expand to, with every resolved parameter (sizes in bytes, times " +
      "with their unit), the native plan compiled from it and what this build cannot run yet " +
      "(run skips such cases, with that reason); for a break-even search, its two sides at the " +
      "lower bound. Runs nothing.",
    positionals: SPEC_FILES,
    options: [...CASE_OPTIONS, JSON_OPTION, HELP],
    exitCodes: [
      [0, "the specs are valid"],
      [2, "invalid spec or usage"],
    ],
    examples: ["zcspec plan specs/examples --grep send_zc"],
  },
  {
    name: "report",
    summary: "render a saved run (a --json file) as markdown, svg, junit, csv",
    description:
      "Render a saved run (zcspec run --json FILE) again in other formats: each format's option " +
      "names the file to write it to.",
    positionals: {
      name: "RESULTS",
      min: 1,
      max: 1,
      description: "a results file of zcspec run --json",
    },
    options: [...FORMAT_OPTIONS, HELP],
    retired: [
      {
        name: "output",
        short: "o",
        hint: "each format names its own file now: zcspec report results.json --markdown out.md",
      },
    ],
    exitCodes: [
      [0, "written"],
      [2, "usage, or a file that is not zcspec results"],
    ],
    examples: ["zcspec report results.json --markdown - --svg results.svg"],
  },
  {
    name: "probe",
    summary: "show what this kernel and process can do (each feature tried)",
    description:
      "What this kernel and this process can do: every feature is tried with a tiny real request " +
      "to a UDP socket of zcspec's own on 127.0.0.1.",
    positionals: NONE,
    options: [JSON_OPTION, ...VM_OPTIONS, HELP],
    exitCodes: [
      [0, "probed"],
      [2, "usage"],
    ],
  },
  {
    name: "compare",
    summary: "two saved runs case by case: every figure's change and its verdict",
    description:
      "Two saved runs (--json output: two kernels, two commits, two machines) compared case " +
      "by case: cases are paired by their parameters (not their names, nor how long they " +
      "ran), and every figure with a better direction (requests/s, Gbit/s, CPU per request) " +
      "gets its change after/before with an interval and a verdict: improved, regressed, no " +
      "change detected (or not comparable: rates under different accelerators). Markdown on " +
      "stdout unless --json takes it.",
    positionals: {
      name: "BEFORE AFTER",
      min: 2,
      max: 2,
      description: "two results files (zcspec run --json)",
    },
    options: [
      {
        name: "markdown",
        type: "string",
        value: "FILE",
        description: "write the comparison as Markdown",
        output: true,
      },
      JSON_OPTION,
      {
        name: "tolerance",
        type: "string",
        value: "PCT",
        default: "5%",
        description: "exit 1 when a figure regressed by more than this",
      },
      HELP,
    ],
    exitCodes: [
      [0, "no regression beyond the tolerance"],
      [1, "a figure regressed beyond it"],
      [2, "usage"],
      [3, "a results file that cannot be read"],
    ],
    examples: ["zcspec compare before.json after.json --tolerance 3%"],
  },
  {
    name: "schema",
    summary: "print the spec language's JSON Schema",
    description:
      "Print the JSON Schema (draft 2020-12) of the spec language: every key with its " +
      "description, unit and default. Editors that read `# yaml-language-server: $schema=...` " +
      "use the same file: write it beside your specs with --out.",
    positionals: NONE,
    options: [
      {
        name: "defaults",
        type: "boolean",
        description: "the schema of shared defaults files (extends) instead",
      },
      {
        name: "out",
        type: "string",
        value: "FILE",
        description: "write it to FILE instead of stdout",
        output: true,
      },
      HELP,
    ],
    exitCodes: [
      [0, "printed"],
      [2, "usage"],
    ],
    examples: ["zcspec schema --out zcspec.schema.json"],
  },
  {
    name: "explain",
    summary: "one spec key, CEL name or error code, from the reference",
    description:
      "Print the reference entry of one name: a spec key (buffers.register, " +
      "defaults.socket.gso_size), a CEL variable, field or helper of expectations " +
      "(result.latency.notif, case.buffers.size, faster), or an error code (ZC_GSO_MTU). The " +
      "same entries make up docs/reference/; an unknown name gets the closest known one.",
    positionals: { name: "NAME", min: 1, max: 1, description: "the name to explain" },
    options: [HELP],
    exitCodes: [
      [0, "printed"],
      [2, "an unknown name, or usage"],
    ],
    examples: ["zcspec explain buffers.register", "zcspec explain result.latency.notif"],
  },
  {
    name: "init",
    summary: "write a starter spec, every key commented",
    description:
      "Write a starter spec whose every key says why it is there, and, beside it, " +
      "zcspec.schema.json (unless one is there), which its `# yaml-language-server: " +
      "$schema=zcspec.schema.json` modeline names: editors then complete and check keys " +
      "wherever the spec lives. Refresh that schema after an upgrade with `zcspec schema --out " +
      "zcspec.schema.json`. The spec validates and runs as written.",
    positionals: {
      name: "FILE",
      min: 0,
      max: 1,
      description: "the spec to write",
    },
    options: [
      {
        name: "template",
        type: "string",
        value: "NAME",
        description: `what the spec measures: ${TEMPLATE_NAMES.join(", ")}`,
        default: TEMPLATE_NAMES[0],
      },
      { name: "force", type: "boolean", description: "overwrite FILE if it exists" },
      HELP,
    ],
    exitCodes: [
      [0, "written"],
      [2, "usage, or FILE exists (without --force)"],
    ],
    examples: ["zcspec init my-spec.yaml && zcspec run my-spec.yaml"],
  },
  {
    name: "receive",
    summary: "the receiver of a remote target, started on the receiving host",
    description:
      "The receiver of a remote target, for another host's zcspec to start through a launcher " +
      "(ssh, kubectl exec -i, ip netns exec; see docs/two-hosts.md). It reads one JSON listen " +
      "request on stdin, listens on the address and port it names (nothing else), answers with " +
      "the port on stdout, and when it reads a stop line, when stdin closes, or at its own " +
      "time limit (the case's expected duration + 20 s), writes one JSON result: bytes, " +
      "datagrams and pattern mismatches received, the kernel's UDP receive-buffer drops, and " +
      "this host's kernel, CPU and NIC (driver and offloads from ethtool where installed). The " +
      "messages are described by schema/receive.schema.json.",
    positionals: NONE,
    options: [
      {
        name: "stdio",
        type: "boolean",
        description: "talk over stdin and stdout (the only way it talks)",
      },
      HELP,
    ],
    exitCodes: [
      [0, "result written"],
      [2, "a request it cannot take (another protocol version, an invalid message)"],
      [3, "it could not listen"],
    ],
  },
];

/** The options of `zcspec` itself, before any command. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: "version", short: "v", type: "boolean", description: "print zcspec's version" },
  HELP,
];

/** The environment variables zcspec reads (grep the sources for ZCSPEC_ to check). */
export const ENVIRONMENT: readonly (readonly [name: string, meaning: string])[] = [
  [
    "ZCSPEC_USERNS",
    "off: never re-execute in a user namespace of its own (without root, namespace targets " +
      'are then skipped); zcspec sets "inside" in the process it re-executes',
  ],
  [
    "ZCSPEC_NATIVE_LIB",
    "path of another build of the native library to load (the sanitizer build, say)",
  ],
  [
    "ZCSPEC_CACHE_DIR",
    "where the native library is built on first use (default $XDG_CACHE_HOME/zcspec, else " +
      "~/.cache/zcspec)",
  ],
  [
    "ZCSPEC_VM_ACCEL",
    "kvm or tcg: the accelerator --kernel's VMs use, instead of the one a tiny boot found " +
      "to work (cached)",
  ],
  [
    "ZCSPEC_KERNEL",
    "set by a --kernel run in the zcspec it starts on each kernel (the kernel's name, " +
      "release, config hash, accelerator): its cases carry it; not for use",
  ],
  ["NO_COLOR", "set to anything: no colour in the console table"],
  [
    "ZCSPEC_TEST_RECEIVE_PROTOCOL, ZCSPEC_TEST_CORRUPT_PATTERN",
    "test hooks (a receiver of another protocol version; payloads with one byte flipped): not " +
      "for use",
  ],
];

export const EXIT_CODES: readonly (readonly [number, string])[] = [
  [0, "every case passed"],
  [1, "a check failed"],
  [2, "invalid spec or usage"],
  [3, "runtime or environment error"],
  [130, "interrupted"],
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
