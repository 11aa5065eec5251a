/**
 * bench.mjs --knobs: the send-zerocopy example's newer options beside
 * zcspec's equivalents, in the same interleaved rounds. The example's -y
 * (liburing 2.6's copy on) arms one POLLIN poll on its socket before it
 * sends, as socket.background_poll does; "zcspec-sq" is zcspec with the
 * other SQ array choice than the example's ring, so its ratio over
 * "zcspec" is what IORING_SETUP_NO_SQARRAY changes within zcspec.
 */
import { runExample } from "./example.mjs";

const MODES = ["send", "send_zc"];

/** The extra runs of one size: jobs { key, run } like bench.mjs's. */
export function knobJobs({ example, cases, size, at, zcspec }) {
  const jobs = [];
  for (const mode of MODES) {
    const k = (variant) => `${variant}/${mode}/${size}`;
    if (example.options.includes("y"))
      jobs.push({
        key: k("example-poll"),
        run: () =>
          runExample(example, {
            ...at,
            c: cases.get(k("zcspec")),
            zc: mode === "send_zc",
            poll: true,
          }),
      });
    for (const variant of ["zcspec-poll", "zcspec-sq"]) {
      const c = cases.get(k(variant));
      if (c) jobs.push({ key: k(variant), run: () => zcspec(c) });
    }
  }
  return jobs;
}

/** The report's lines for the knobs: ratios per size and mode, then what each column is. */
export function knobsReport({ example, sq, cases, sizes, rps, cpuNs, ratio, table }) {
  const rows = (m) =>
    sizes.flatMap((size) =>
      MODES.map((mode) => {
        const k = (variant) => `${variant}/${mode}/${size}`;
        return [
          String(size),
          mode,
          ratio(m, k("example-poll"), k("example")),
          ratio(m, k("zcspec-poll"), k("zcspec")),
          ratio(m, k("zcspec-poll"), k("example-poll")),
          ratio(m, k("zcspec-sq"), k("zcspec")),
        ];
      }),
    );
  const head = [
    "size",
    "mode",
    "example -y/example",
    "poll/zcspec",
    "poll/example -y",
    "sq/zcspec",
  ];
  const notes = [
    "poll: zcspec with socket.background_poll (the example's -y); " +
      `sq: zcspec with ${sq.length ? "an SQ array" : "no_sqarray"}, the other choice than the example's ring.`,
  ];
  if (!example.options.includes("y"))
    notes.push(
      `${example.src} has no -y (liburing 2.6's copy brought it): its columns are "-"; give a newer copy with --example-src.`,
    );
  if (![...cases.keys()].some((k) => k.startsWith("zcspec-sq/")))
    notes.push('this kernel has no IORING_SETUP_NO_SQARRAY (Linux 6.6): "sq" is "-".');
  return [
    "The example's newer knobs (--knobs), ratios of requests per second:",
    table(head, rows(rps)),
    "",
    "and of CPU per request (the second's over the first's):",
    table(head, rows(cpuNs)),
    ...notes,
  ];
}
