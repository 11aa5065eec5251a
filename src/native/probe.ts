import type { Capabilities, Feature, FeatureState } from "../model/capabilities.js";
import { ZC_FEAT } from "./abi.js";
import { loadNative, type NativeLibrary } from "./library.js";
import { errnoName } from "./result.js";

/** io_uring opcodes by number (include/uapi/linux/io_uring.h, Linux 6.18). */
// biome-ignore format: a table, in opcode order
const OP_NAMES = [
  "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
  "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
  "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ",
  "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE",
  "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT",
  "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
  "URING_CMD", "SEND_ZC", "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE",
  "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT",
  "READV_FIXED", "WRITEV_FIXED", "PIPE",
];

/** What the library's probe found: tiny real requests on loopback (about 10 ms). */
export type NativeProbe = Pick<Capabilities, "liburing" | "ops" | "opsError" | "features">;

export function runProbe(native: NativeLibrary = loadNative()): NativeProbe {
  const raw = native.probe();
  const features = {} as Record<Feature, FeatureState>;
  for (const [name, index] of Object.entries(ZC_FEAT) as [Feature, number][]) {
    const r = raw.works[index] ?? 0;
    features[name] = r === 0 ? { ok: true } : { ok: false, error: errnoName(r) };
  }
  const ops: string[] = [];
  for (let op = 0; op < raw.ops_last; op++) if (raw.ops[op]) ops.push(OP_NAMES[op] ?? `OP_${op}`);
  return {
    liburing: raw.liburing,
    ops,
    ...(raw.probe_status ? { opsError: errnoName(raw.probe_status) } : {}),
    features,
  };
}
