/** The starter specs `zcspec init` writes: every key with a comment saying why it is there. */

const head = (what: string, file: string) => `# yaml-language-server: $schema=zcspec.schema.json
# A starter spec written by \`zcspec init\`: ${what}.
#   zcspec validate ${file}    check it (every problem located, with a hint)
#   zcspec run ${file}         run it and print the results table
# \`zcspec schema\` (or your editor, through the modeline above) describes every key.

# the spec language's version: a later zcspec reads this spec the same way
version: 1
`;

/** What both templates share: their timing, the send vs send_zc matrix, the first check. */
const TIMING_AND_CHECKS = `  # measured time per case (zcspec run --duration overrides it)
  duration: 2s
  # sent before measuring, excluded from every figure (zcspec run --warmup)
  warmup: 200ms
# the parameters that vary: one case per combination of their values
matrix:
  # the copying send against zerocopy send_zc
  mode: [send, send_zc]
# checks on each case's results: a failed one makes zcspec run exit 1 (a CI gate)
expect:
  # the check's name in the results table and in JUnit
  - name: every request succeeds
    # no request may fail: an error means the figures measure something else
    that: result.errors == 0
`;

const sink = (file: string) =>
  head("UDP send vs send_zc on the built-in sink", file) +
  `# names the spec in the results, the reports and --grep
name: starter-sink
# shown in reports beside the name
description: UDP send vs send_zc on the built-in sink, one request size
# what every case shares; the matrix below varies the rest
defaults:
  # sink: a private namespace whose veth peer is down, so packets cross the
  # UDP/IP stack and the driver drops them: the sender's cost alone
  target: sink
  # the socket the requests go out on
  socket:
    # IPv4: the cover letter's numbers are IPv4 (ipv6 works the same way)
    family: ipv4
    # udp: one datagram per request, the simplest path to compare
    type: udp
  # the memory requests are sent from
  buffers:
    # bytes per request; send_zc pays off as requests grow (try 600 vs 8000)
    size: 4000
  # requests submitted together before waiting for their completions
  batch: 8
${TIMING_AND_CHECKS}  # a second check, on the zerocopy case alone
  - name: send_zc sends zerocopy
    # the cases it applies to (validate warns when a where matches none)
    where: case.mode == "send_zc"
    # requests the kernel really sent without copying
    that: result.zc_sent > 0
`;

const loopbackTcp = (file: string) =>
  head("TCP send vs send_zc over loopback, to zcspec's receiver", file) +
  `# names the spec in the results, the reports and --grep
name: starter-loopback-tcp
# shown in reports beside the name
description: TCP send vs send_zc over 127.0.0.1, received and verified by the built-in receiver
# what every case shares; the matrix below varies the rest
defaults:
  # loopback: 127.0.0.1 with zcspec's receiver, which reads and checks every byte
  target: loopback
  # the socket the requests go out on
  socket:
    # IPv4 to 127.0.0.1 (ipv6 sends to ::1)
    family: ipv4
    # tcp: a byte stream, so the receiver can show nothing was lost or reordered
    type: tcp
  # the memory requests are sent from
  buffers:
    # bytes per request: large writes are where zerocopy can save copying
    size: 64KiB
  # one request at a time: TCP requests in flight together can reorder the stream
  batch: 1
${TIMING_AND_CHECKS}  # a second check, on what arrived
  - name: the receiver sees no corrupted byte
    # what arrived is what was sent: the receiver compares the bytes' pattern
    that: result.rx_mismatches == 0
`;

/** Templates by name, each given the file it is written to; the first is the default. */
export const TEMPLATES: Readonly<Record<string, (file: string) => string>> = {
  sink,
  "loopback-tcp": loopbackTcp,
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);
