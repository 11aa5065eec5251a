/**
 * veth MTU of the namespace targets unless the spec sets sink.mtu or
 * pair.mtu: the largest, so a 64 KiB datagram is one packet.
 */
export const VETH_MTU = 65535;

/**
 * Sysctls set inside the namespaces a run creates (never on the host; the
 * pair's come from the spec's pair.sysctls, whose defaults these are): room
 * for large socket buffers (SO_SNDBUF/SO_RCVBUF are capped by *mem_max) and
 * for MSG_ZEROCOPY's per-socket notification state (optmem_max).
 */
export const NAMESPACE_SYSCTLS: Readonly<Record<string, number>> = {
  "net.core.wmem_max": 64 * 1024 * 1024,
  "net.core.rmem_max": 64 * 1024 * 1024,
  "net.core.optmem_max": 1024 * 1024,
};

/**
 * The receiver's socket buffer: enough to absorb a burst while it verifies
 * (the spec's receiver.rcvbuf default, the same figure).
 */
export const RECEIVER_RCVBUF = 256 * 1024 * 1024;
