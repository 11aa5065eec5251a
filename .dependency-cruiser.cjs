/**
 * The pipeline's layering, enforced by `npm run lint` (dependency-cruiser).
 * STAGES is the one statement of the order, highest first: a module imports
 * from its own stage or a lower one, never a higher one, and the stages
 * grouped on one line are independent of each other (neither imports the
 * other). src/cli goes through the library's two entry points only. Type-only
 * imports count: a type crossing stages lives in model/.
 */
const STAGES = [
  ["cli"],
  ["index", "internal"],
  ["runner"],
  ["report", "env"],
  ["assert", "native"],
  ["plan", "stats", "spec"],
  ["model", "version"],
];

/** A stage's modules: its folder under src/, or src/<name>.ts for the entry points and version. */
const modules = (names) => `^src/(${names.map((n) => `${n}/|${n}\\.ts$`).join("|")})`;

const layering = STAGES.flatMap((stage, i) =>
  stage.flatMap((name) => {
    const above = STAGES.slice(0, i).flat();
    const beside = stage.filter((s) => s !== name);
    if (above.length + beside.length === 0) return []; // cli: the top, alone
    return [
      {
        name: `no-import-up-from-${name}`,
        comment: `${name} is below ${above.join(", ")}${beside.length ? ` and beside ${beside.join(", ")}` : ""}`,
        severity: "error",
        from: { path: modules([name]) },
        to: { path: modules([...above, ...beside]) },
      },
    ];
  }),
);

module.exports = {
  forbidden: [
    ...layering,
    {
      name: "cli-through-the-entry-points",
      comment: "src/cli imports the library as a user would: index.ts, and internal.ts beyond it",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/", pathNot: ["^src/cli/", "^src/index\\.ts$", "^src/internal\\.ts$"] },
    },
    {
      name: "no-cycles",
      comment: "modules that import each other (type-only imports too) are one module spread out",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: "^src/",
    // type-only imports are dependencies of the design even if compiled away
    tsPreCompilationDeps: true,
    // TypeScript 7 has no JavaScript API for dependency-cruiser to parse with; swc does
    parser: "swc",
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
