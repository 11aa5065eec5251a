/** The starter specs `zcspec init` writes: every key with a comment saying why it is there. */

const HEAD = (what: string) => `# yaml-language-server: $schema=zcspec.schema.json
# A starter spec written by \`zcspec init\`: ${what}.
#   zcspec validate FILE    check it (every problem located, with a hint)
#   zcspec run FILE         run it and print the results table
# \`zcspec schema\` (or your editor, through the modeline above) describes every key.

# the spec language's version: a later zcspec reads this spec the same way
version: 1
`;

const SINK = `${HEAD("UDP send vs send_zc on the built-in sink")}# names the spec in the results, the reports and --grep
name: starter-sink
# shown in reports beside the name
description: UDP send vs send_zc on the built-in sink, one request size
# what every case shares; the matrix below varies the rest
defaults:
  # sink: a private namespace whose veth peer is down, so packets cross the
  # UDP/IP stack and the driver drops them: the sender's cost alone
  target: sink
  socket:
    # ipv4 and udp: one datagram per request, the simplest path to compare
    family: ipv4
    type: udp
  buffers:
    # bytes per request; send_zc pays off as requests grow (try 600 vs 8000)
    size: 4000
  # requests submitted together before waiting for their completions
  batch: 8
  # measured time per case (zcspec run --duration overrides it)
  duration: 2s
  # sent before measuring, excluded from every figure (zcspec run --warmup)
  warmup: 200ms
# one case per value: the copying send against zerocopy send_zc
matrix:
  mode: [send, send_zc]
# checks on each case's results: a failed one makes zcspec run exit 1 (a CI gate)
expect:
  # no request may fail: an error means the figures measure something else
  - name: every request succeeds
    that: result.errors == 0
  # zerocopy cases must really send zerocopy (where: only the send_zc case)
  - name: send_zc sends zerocopy
    where: case.mode == "send_zc"
    that: result.zc_sent > 0
`;

const LOOPBACK_TCP = `${HEAD("TCP send vs send_zc over loopback, to zcspec's receiver")}# names the spec in the results, the reports and --grep
name: starter-loopback-tcp
# shown in reports beside the name
description: TCP send vs send_zc over 127.0.0.1, received and verified by the built-in receiver
# what every case shares; the matrix below varies the rest
defaults:
  # loopback: 127.0.0.1 with zcspec's receiver, which reads and checks every byte
  target: loopback
  socket:
    # tcp: a byte stream, so the receiver can show nothing was lost or reordered
    family: ipv4
    type: tcp
  buffers:
    # bytes per request: large writes are where zerocopy can save copying
    size: 64KiB
  # one request at a time: TCP requests in flight together can reorder the stream
  batch: 1
  # measured time per case (zcspec run --duration overrides it)
  duration: 2s
  # sent before measuring, excluded from every figure (zcspec run --warmup)
  warmup: 200ms
# one case per value: the copying send against zerocopy send_zc
matrix:
  mode: [send, send_zc]
# checks on each case's results: a failed one makes zcspec run exit 1 (a CI gate)
expect:
  # no request may fail: an error means the figures measure something else
  - name: every request succeeds
    that: result.errors == 0
  # what arrived is what was sent: the receiver compares the bytes' pattern
  - name: the receiver sees no corrupted byte
    that: result.rx_mismatches == 0
`;

/** Templates by name; the first is the default. */
export const TEMPLATES: Readonly<Record<string, string>> = {
  sink: SINK,
  "loopback-tcp": LOOPBACK_TCP,
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);
