/**
 * The guest's /init and the lines it says on the serial console. The
 * result comes back over the console (ttyS0) between two marker lines: both
 * Debian kernels build the 8250 console in, where a virtio-serial port
 * needs virtio_console, a module on 6.1; with printk at its quietest
 * nothing else writes there, and the console's last lines are what an
 * error shows anyway.
 */
export const MARK = "@@zcspec-vm";
export const RESULT_FILE = "/tmp/zcspec-result";
/** The last line the guest says: the host stops QEMU there. */
export const RESULT_END = new RegExp(`^${MARK} result-end\r?$`, "m");

/** A word for sh: single-quoted. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * What the guest runs: `argv` in `cwd`; `stdoutIsResult`: its stdout is the result, not the
 * console's.
 */
export interface GuestJob {
  argv: readonly string[];
  cwd: string;
  stdoutIsResult: boolean;
  env?: Readonly<Record<string, string>>;
}

export function jobScript(job: GuestJob): string {
  const command = job.argv.map(shellWord).join(" ");
  const exports = Object.entries(job.env ?? {}).map(([k, v]) => `export ${k}=${shellWord(v)}\n`);
  const redirect = job.stdoutIsResult ? ` > ${RESULT_FILE}` : "";
  return `${exports.join("")}cd ${shellWord(job.cwd)} && ${command}${redirect}\n`;
}

/** /init: mounts, modules in order, the job, its result between markers. */
export function initScript(modules: readonly string[]): string {
  return `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /var /root
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# /tmp and /run stay the initramfs's own (writable already): a spec packed under /tmp stays seen
ln -s /run /var/run
echo 1 > /proc/sys/kernel/printk
ip link set lo up
for m in ${modules.join(" ")}; do
  insmod /zcspec-vm/modules/$m.ko || echo "${MARK} lacks module $m"
done
# the guest's uptime after each step: where a slow VM's time went
echo "${MARK} booted $(uname -r) $(cut -d' ' -f1 /proc/uptime)s"
sh /zcspec-vm/job
echo "${MARK} exit $? $(cut -d' ' -f1 /proc/uptime)s"
echo "${MARK} result-begin"
cat ${RESULT_FILE} 2>/dev/null
echo
echo "${MARK} result-end"
# the host stops QEMU once that line is there; a reboot now could drop what the UART still holds
sleep 60
reboot -f
`;
}

/** What the console said, read back: the guest's release, the job's exit status and result. */
export interface GuestReport {
  booted?: string;
  lacksModule?: string;
  exit?: number;
  result?: string;
}

export function readConsole(text: string): GuestReport {
  const lines = text.replaceAll("\r", "").split("\n");
  const report: GuestReport = {};
  const begin = lines.indexOf(`${MARK} result-begin`);
  const end = lines.indexOf(`${MARK} result-end`);
  if (begin >= 0 && end > begin)
    report.result = lines
      .slice(begin + 1, end)
      .join("\n")
      .trim();
  for (const line of lines) {
    const [mark, word, value] = line.split(" ");
    if (mark !== MARK || value === undefined) continue;
    if (word === "booted") report.booted = value;
    else if (word === "lacks") report.lacksModule = line.split(" ").at(-1) as string;
    else if (word === "exit") report.exit = Number(value);
  }
  return report;
}
