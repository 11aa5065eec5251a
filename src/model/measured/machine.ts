/** One CPU's time (or the machine's, summed) by /proc/stat's states over a measured window, ns. */
export interface CpuTimes {
  /** user and nice; guest time is inside them */
  userNs: number;
  niceNs: number;
  systemNs: number;
  idleNs: number;
  iowaitNs: number;
  /** hard interrupts: counted apart only with IRQ time accounting (CONFIG_IRQ_TIME_ACCOUNTING) */
  irqNs: number;
  /** soft interrupts: the network receive and transmit-completion paths on pair and loopback */
  softirqNs: number;
  /** time the hypervisor ran something else on this vCPU */
  stealNs: number;
}

/** The whole machine's CPU over a case's measured window, from /proc/stat at its edges. */
export interface MachineCpu {
  /** /proc/stat's ticks per second (sysconf(_SC_CLK_TCK)): its figures' resolution */
  clkTck: number;
  /** CLOCK_MONOTONIC between the two reads of /proc/stat */
  windowNs: number;
  /** the machine has more CPUs than the executor keeps rows for: `all` still covers them */
  moreCpus: boolean;
  /**
   * every CPU together: the rows summed (the aggregate cpu line's ticks where the machine has
   * more CPUs than rows)
   */
  all: CpuTimes;
  /**
   * per online CPU, by its number; busy states scaled to fill the window less idle, iowait
   * and steal, which the ticks miss on a CPU that idles briefly (src/native/window.ts)
   */
  cpus: (CpuTimes & { cpu: number })[];
}

/**
 * TCP's view of the sending connections (TCP_INFO) at the end of the
 * measured window, and what grew during it. Of several connections: RTT
 * and its variance of the slowest, MSS the largest, the rest summed.
 */
export interface TcpView {
  connections: number;
  /** smoothed round-trip time, µs */
  rttUs: number;
  rttvarUs: number;
  /** congestion window, segments */
  sndCwnd: number;
  sndMss: number;
  /** segments sent and not yet acknowledged */
  unacked: number;
  /** segments deemed lost */
  lost: number;
  /** segments retransmitted during the window, and their bytes */
  retrans: number;
  retransBytes: number;
  /** the kernel's last delivery-rate estimate, bytes/s */
  deliveryRate: number;
  /** bytes written to the socket and not yet sent */
  notsentBytes: number;
  /** bytes sent and not acknowledged: bytes_sent - bytes_retrans - (bytes_acked less the SYN) */
  inFlightBytes: number;
  /**
   * during the window: µs with data outstanding, and the parts of it limited
   * by the peer's receive window and by the send buffer
   */
  busyUs: number;
  rwndLimitedUs: number;
  sndbufLimitedUs: number;
}
