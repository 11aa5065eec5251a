import { createRequire } from "node:module";
import type koffiModule from "koffi";
import {
  ZC_CPU_SET_BYTES,
  ZC_CPU_STATES,
  ZC_DEVICE_MAX,
  ZC_ERRNO_SLOTS,
  ZC_FEAT_COUNT,
  ZC_FLOWS_MAX,
  ZC_HIST,
  ZC_KINDS,
  ZC_LAT_COUNT,
  ZC_MACHINE_CPUS,
  ZC_MAX_THREADS,
  ZC_MESSAGE_MAX,
  ZC_NETNS_PATH_MAX,
  ZC_PROBE_OPS,
  ZC_TS_SPANS,
} from "./abi.js";

type Koffi = typeof koffiModule;

let loaded: Koffi | undefined;

/**
 * koffi, loaded on first use: its addon is native code, and a command that
 * runs nothing (zcspec validate, plan) must not pay for loading it.
 */
export function koffi(): Koffi {
  loaded ??= createRequire(import.meta.url)("koffi") as Koffi;
  return loaded;
}

function declare() {
  const k = koffi();
  const PlanStruct = k.struct("zc_plan", {
    abi_version: "uint32_t",
    mode: "uint32_t",
    family: "uint32_t",
    flags: "uint32_t",
    dst_addr: k.array("uint8_t", 16),
    dst_port: "uint16_t",
    gso_size: "uint16_t",
    ring_entries: "uint32_t",
    ring_flags: "uint32_t",
    batch: "uint32_t",
    buf_size: "uint32_t",
    buf_count: "uint32_t",
    sndbuf: "uint32_t",
    buf_offset: "uint32_t",
    buf_align: "uint32_t",
    pattern: "uint32_t",
    reuse: "uint32_t",
    cork: "uint32_t",
    threads: "uint32_t",
    sqpoll_idle_ms: "uint32_t",
    duration_ns: "uint64_t",
    warmup_ns: "uint64_t",
    max_requests: "uint64_t",
    cpus: k.array("int16_t", ZC_MAX_THREADS, "Array"),
    bind_device: k.array("char", ZC_DEVICE_MAX, "String"),
    netns_path: k.array("char", ZC_NETNS_PATH_MAX, "String"),
    mix: k.array("uint16_t", ZC_KINDS, "Array"),
    mix_order: "uint32_t",
    iov: "uint32_t",
    mix_seed: "uint64_t",
    sqpoll_cpu: "int32_t",
    cq_entries: "uint32_t",
    iowq_cpus: k.array("uint8_t", ZC_CPU_SET_BYTES, "Array"),
    napi_busy_poll_us: "uint32_t",
    napi_prefer_busy_poll: "uint8_t",
    napi_pad: k.array("uint8_t", 3, "Array"),
    latency_every: "uint32_t",
    reserved_lat: "uint32_t",
    flows: "uint32_t",
    flow_order: "uint32_t",
    flow_seed: "uint64_t",
    interval_ps: "uint64_t",
    tstamp_every: "uint32_t",
    tstamp_via: "uint32_t",
  });
  const FlowStruct = k.struct("zc_flow", {
    port: "uint16_t",
    reserved0: "uint16_t",
    reserved1: "uint32_t",
    requests: "uint64_t",
    bytes: "uint64_t",
    sent_bytes: "uint64_t",
  });
  const ErrnoCountStruct = k.struct("zc_errno_count", {
    err: "int32_t",
    reserved: "uint32_t",
    count: "uint64_t",
  });
  const HistStruct = k.struct("zc_hist", {
    count: "uint64_t",
    sum_ns: "uint64_t",
    min_ns: "uint64_t",
    max_ns: "uint64_t",
    buckets: k.array("uint64_t", ZC_HIST.buckets, "Array"),
  });
  const CpuTicksStruct = k.struct("zc_cpu_ticks", {
    start: k.array("uint64_t", ZC_CPU_STATES, "Array"),
    end: k.array("uint64_t", ZC_CPU_STATES, "Array"),
  });
  const MachineStruct = k.struct("zc_machine", {
    cpus: "uint32_t",
    clk_tck: "uint32_t",
    more_cpus: "uint32_t",
    reserved: "uint32_t",
    start_ns: "uint64_t",
    end_ns: "uint64_t",
    all: CpuTicksStruct,
    cpu: k.array(CpuTicksStruct, ZC_MACHINE_CPUS, "Array"),
    cpu_id: k.array("uint16_t", ZC_MACHINE_CPUS, "Array"),
  });
  const TcpStruct = k.struct("zc_tcp", {
    connections: "uint32_t",
    rtt_us: "uint32_t",
    rttvar_us: "uint32_t",
    snd_cwnd: "uint32_t",
    snd_mss: "uint32_t",
    unacked: "uint32_t",
    lost: "uint32_t",
    retrans: "uint32_t",
    delivery_rate: "uint64_t",
    notsent_bytes: "uint64_t",
    in_flight_bytes: "uint64_t",
    retrans_bytes: "uint64_t",
    busy_us: "uint64_t",
    rwnd_limited_us: "uint64_t",
    sndbuf_limited_us: "uint64_t",
  });
  const TstampStruct = k.struct("zc_tstamp", {
    via: "uint32_t",
    reserved: "uint32_t",
    sampled: "uint64_t",
    timed: "uint64_t",
    incomplete: "uint64_t",
    unmatched: "uint64_t",
    disordered: "uint64_t",
    mismatched: "uint64_t",
    early: "uint64_t",
    stamps: k.array("uint64_t", 3, "Array"),
    hist: k.array(HistStruct, ZC_TS_SPANS, "Array"),
  });
  const ResultStruct = k.struct("zc_result", {
    status: "int32_t",
    first_error: "int32_t",
    requests: "uint64_t",
    bytes: "uint64_t",
    elapsed_ns: "uint64_t",
    completions: "uint64_t",
    notifications: "uint64_t",
    errors: "uint64_t",
    short_sends: "uint64_t",
    user_ns: "uint64_t",
    sys_ns: "uint64_t",
    vol_ctxsw: "uint64_t",
    invol_ctxsw: "uint64_t",
    zc_copied: "uint64_t",
    zc_requests: "uint64_t",
    owed_notifications: "uint64_t",
    max_outstanding: "uint64_t",
    reuse_busy: "uint64_t",
    notif_unexpected: "uint64_t",
    more_on_notif: "uint64_t",
    more_on_plain: "uint64_t",
    zc_sent: "uint64_t",
    kinds: k.array("uint64_t", ZC_KINDS, "Array"),
    interrupted: "uint32_t",
    cpu: "int32_t",
    errnos: k.array(ErrnoCountStruct, ZC_ERRNO_SLOTS, "Array"),
    message: k.array("char", ZC_MESSAGE_MAX, "String"),
    peak_pinned_bytes: "uint64_t",
    latency_lost: "uint64_t",
    latency: k.array(HistStruct, ZC_LAT_COUNT, "Array"),
    machine: MachineStruct,
    tcp: TcpStruct,
    napi_threads: "uint32_t",
    napi_id: "uint32_t",
    flows: "uint32_t",
    reserved_flows: "uint32_t",
    flow: k.array(FlowStruct, ZC_FLOWS_MAX, "Array"),
    tstamp: TstampStruct,
  });
  const ProbeStruct = k.struct("zc_probe", {
    ops_last: "uint32_t",
    probe_status: "int32_t",
    works: k.array("int32_t", ZC_FEAT_COUNT, "Array"),
    ops: k.array("uint8_t", ZC_PROBE_OPS, "Array"),
    liburing: k.array("char", 16, "String"),
  });
  const RxConfigStruct = k.struct("zc_rx_config", {
    abi_version: "uint32_t",
    family: "uint32_t",
    proto: "uint32_t",
    port: "uint16_t",
    reserved0: "uint16_t",
    addr: k.array("uint8_t", 16),
    rcvbuf: "uint32_t",
    verify: "uint32_t",
    sample_bytes: "uint32_t",
    sample_every: "uint32_t",
    cpu: "int32_t",
    reserved1: "uint32_t",
    netns_path: k.array("char", ZC_NETNS_PATH_MAX, "String"),
  });
  const RxStatsStruct = k.struct("zc_rx_stats", {
    status: "int32_t",
    port: "uint16_t",
    reserved0: "uint16_t",
    datagrams: "uint64_t",
    bytes: "uint64_t",
    mismatches: "uint64_t",
    connections: "uint64_t",
    idle_ns: "uint64_t",
    checked: "uint64_t",
    cpu_ns: "uint64_t",
    now_ns: "uint64_t",
    message: k.array("char", ZC_MESSAGE_MAX, "String"),
    reads: "uint64_t",
  });
  // the receiver's prototypes name this opaque type
  k.opaque("zc_rx");
  return { PlanStruct, ResultStruct, ProbeStruct, RxConfigStruct, RxStatsStruct };
}

let declared: ReturnType<typeof declare> | undefined;

/** The C structs of native/zcspec.h in koffi's terms (abi.ts mirrors their fields and sizes). */
export function structs(): ReturnType<typeof declare> {
  declared ??= declare();
  return declared;
}
