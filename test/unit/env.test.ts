import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addressBytes } from "../../src/env/addresses.js";
import { targetBlocker } from "../../src/env/caps.js";
import { captureEnvironment } from "../../src/env/environment.js";
import { parseMemlock } from "../../src/env/limits.js";
import { remoteRefusal } from "../../src/env/remote.js";
import { compileCase } from "../../src/plan/compile.js";
import { readSpecText } from "../../src/spec/read.js";

const NET_ADMIN = 1n << 12n;
const SYS_ADMIN = 1n << 21n;

describe("target addresses", () => {
  it("turns IPv4 and IPv6 text into network-order bytes", () => {
    expect(addressBytes("198.18.0.2")).toEqual([198, 18, 0, 2]);
    expect(addressBytes("::1")).toEqual([...new Array(15).fill(0), 1]);
    expect(addressBytes("2001:2::2")).toEqual([0x20, 0x01, 0, 2, ...new Array(11).fill(0), 2]);
    expect(addressBytes("fe80:1:2:3:4:5:6:ff07")).toEqual([
      0xfe, 0x80, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0xff, 0x07,
    ]);
  });

  it("refuses what it cannot parse rather than guessing", () => {
    expect(() => addressBytes("example.com")).toThrow(/not an IPv4 address/);
    expect(() => addressBytes("::ffff:1.2.3.4")).toThrow(/hex groups/);
    expect(() => addressBytes("fe80::1%eth0")).toThrow(/hex groups/);
  });
});

describe("target privileges", () => {
  it("needs both capabilities for namespace targets and none for loopback or remote", () => {
    expect(targetBlocker("sink", NET_ADMIN | SYS_ADMIN)).toBeUndefined();
    expect(targetBlocker("pair", SYS_ADMIN)).toBe(
      "the pair target needs CAP_NET_ADMIN to create network namespaces (run as root, or as an ordinary user where the kernel allows user namespaces; target: loopback needs neither)",
    );
    expect(targetBlocker("sink", 0n)).toMatch(
      /^the sink target needs CAP_NET_ADMIN and CAP_SYS_ADMIN/,
    );
    expect(targetBlocker("loopback", 0n)).toBeUndefined();
    expect(targetBlocker("remote", 0n)).toBeUndefined();
  });
});

describe("remote targets", () => {
  const [far] = readSpecText(
    "t.yaml",
    "version: 1\nname: t\ndefaults: { target: remote, remote: { address: 192.0.2.7, port: 5001 } }\n",
  ).cases;

  it("are refused unless the run allows them, saying where the traffic would go and why", () => {
    if (!far) throw new Error("no case");
    expect(remoteRefusal(far, false)).toBe(
      `case ${far.name} sends to the remote host 192.0.2.7:5001: traffic would leave this machine, so zcspec sends it only when the run says --allow-remote`,
    );
    expect(remoteRefusal(far, true)).toBeUndefined();
    expect(remoteRefusal({ ...far, target: "loopback" }, false)).toBeUndefined();
  });

  it("leave through remote.interface (SO_BINDTODEVICE), which socket.bind_device overrides", () => {
    if (!far) throw new Error("no case");
    const via = { ...far, remote: { address: "192.0.2.7", port: 9, interface: "eth9" } };
    expect(compileCase(via).bindDevice).toBe("eth9");
    expect(compileCase({ ...via, socket: { ...via.socket, bind_device: "eth1" } }).bindDevice).toBe(
      "eth1",
    );
    expect(compileCase(far).bindDevice).toBe("");
    expect(compileCase(via).unsupported).toEqual([]);
  });
});

describe("environment record", () => {
  it("reads RLIMIT_MEMLOCK from /proc/self/limits, unlimited as null", () => {
    const limits = [
      "Limit                     Soft Limit           Hard Limit           Units     ",
      "Max cpu time              unlimited            unlimited            seconds   ",
      "Max locked memory         8388608              16777216             bytes     ",
      "Max address space         unlimited            unlimited            bytes     ",
    ].join("\n");
    expect(parseMemlock(limits)).toEqual({ soft: 8388608, hard: 16777216 });
    expect(
      parseMemlock(limits.replace("8388608              16777216", "unlimited unlimited")),
    ).toEqual({ soft: null, hard: null });
  });

  it("records this process's real limit", async () => {
    const own = parseMemlock(readFileSync("/proc/self/limits", "utf8"));
    const env = await captureEnvironment("specs/examples/udp-sink.yaml");
    expect(env.memlock).toEqual(own);
  });
});
