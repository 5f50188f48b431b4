#!/usr/bin/env python3
"""A wire between two real Linux network stacks, for sockscope's harness.

Makes two network namespaces, `server` (10.0.0.1) and `client` (10.0.0.2),
each with a TUN device, and carries every IP packet between the two TUN
devices itself: each packet waits the given one-way delay, like the
simulation's wire, and is written down. Then it runs a server program in
the server namespace and a client program in the client namespace (under
this machine's python3), waits until the wire has been quiet for a while,
stops everything, removes the namespaces, and prints what crossed the wire
as JSON lines: one object per TCP segment.

Run as root. Traffic never leaves the namespaces this script made.

    wire.py --server server.py --client client.py [--arg MSG]... [--delay-ms 2]
            [--sysctl net.ipv4.tcp_rmem="4096 4096 4096"]...

Each --sysctl is set in both namespaces before the programs start.
"""
import argparse
import ctypes
import fcntl
import heapq
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    finally:
        os.close(fd)


def open_tun(netns):
    """A TUN device `tun0` inside the namespace `netns`."""
    here = "/proc/self/task/%d/ns/net" % threading.get_native_id()
    home = os.open(here, os.O_RDONLY)
    try:
        setns("/run/netns/" + netns)
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
        return fd
    finally:
        if libc.setns(home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back")
        os.close(home)


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def tcp_segment(pkt):
    """The TCP header fields of an IPv4 packet, or None."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[9] != 6:
        return None
    ihl = (pkt[0] & 15) * 4
    total = struct.unpack("!H", pkt[2:4])[0]
    tcp = pkt[ihl:total]
    sport, dport, seq, ack, off_flags, win = struct.unpack("!HHIIHH", tcp[:16])
    off = (off_flags >> 12) * 4
    flags = off_flags & 0x3F
    names = [n for bit, n in [(2, "SYN"), (16, "ACK"), (8, "PSH"), (1, "FIN"), (4, "RST"), (32, "URG")] if flags & bit]
    opts, raw, i = [], tcp[20:off], 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        length = raw[i + 1] if i + 1 < len(raw) else 2
        if kind == 2:
            opts.append(["mss", struct.unpack("!H", raw[i + 2:i + 4])[0]])
        elif kind == 3:
            opts.append(["wscale", raw[i + 2]])
        elif kind == 4:
            opts.append(["sack_perm", 0])
        elif kind == 8:
            opts.append(["ts", 0])
        else:
            opts.append(["opt%d" % kind, 0])
        i += max(length, 2)
    return {
        "src": "%d.%d.%d.%d:%d" % (*pkt[12:16], sport),
        "dst": "%d.%d.%d.%d:%d" % (*pkt[16:20], dport),
        "seq": seq,
        "ack": ack,
        "flags": names,
        "window": win,
        "len": len(tcp) - off,
        "options": opts,
    }


class Wire(threading.Thread):
    """Carries packets between the two TUN fds after `delay` seconds."""

    def __init__(self, fds, delay):
        super().__init__(daemon=True)
        self.fds, self.delay = fds, delay
        self.queue, self.seen, self.n = [], [], 0
        self.start_time = time.monotonic()
        self.last = self.start_time
        self.stop = False

    def run(self):
        other = {self.fds[0]: self.fds[1], self.fds[1]: self.fds[0]}
        while not self.stop:
            now = time.monotonic()
            while self.queue and self.queue[0][0] <= now:
                _, _, fd, pkt = heapq.heappop(self.queue)
                os.write(fd, pkt)
            wait = max(0.0, self.queue[0][0] - now) if self.queue else 0.05
            ready, _, _ = select.select(list(self.fds), [], [], wait)
            for fd in ready:
                pkt = os.read(fd, 65535)
                t = time.monotonic()
                self.last = t
                seg = tcp_segment(pkt)
                if seg is not None:
                    seg["t"] = round((t - self.start_time) * 1e6)
                    seg["from"] = "client" if fd == self.fds[0] else "server"
                    self.seen.append(seg)
                self.n += 1
                heapq.heappush(self.queue, (t + self.delay, self.n, other[fd], pkt))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--client", required=True)
    ap.add_argument("--arg", action="append", default=[])
    ap.add_argument("--delay-ms", type=float, default=2.0)
    ap.add_argument("--port", type=int, default=9090)
    ap.add_argument("--quiet-ms", type=float, default=700.0)
    ap.add_argument("--sysctl", action="append", default=[])
    a = ap.parse_args()
    tag = "ss%d" % os.getpid()
    names = {"client": tag + "c", "server": tag + "s"}
    addrs = {"client": "10.0.0.2", "server": "10.0.0.1"}
    procs = []
    try:
        for role, ns in names.items():
            run("ip", "netns", "add", ns)
        fds = [open_tun(names["client"]), open_tun(names["server"])]
        for role, ns in names.items():
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "addr", "add", addrs[role] + "/24", "dev", "tun0")
            run("ip", "-n", ns, "link", "set", "tun0", "up")
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.tcp_congestion_control=reno")
            for setting in a.sysctl:
                run("ip", "netns", "exec", ns, "sysctl", "-qw", setting)
        wire = Wire(fds, a.delay_ms / 1000)
        wire.start()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        server = subprocess.Popen(
            ["ip", "netns", "exec", names["server"], sys.executable, a.server],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        procs.append(server)
        deadline = time.monotonic() + 10
        while ":%d " % a.port not in run("ip", "netns", "exec", names["server"], "ss", "-ltnH").stdout:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not listen on port %d" % a.port)
            time.sleep(0.02)
        wire.start_time = time.monotonic()
        client = subprocess.run(
            ["ip", "netns", "exec", names["client"], sys.executable, a.client, *a.arg],
            capture_output=True, text=True, env=env, timeout=60)
        while time.monotonic() - wire.last < a.quiet_ms / 1000:
            time.sleep(0.02)
        wire.stop = True
        server.kill()
        out = server.communicate()[0].decode("utf-8", "replace")
        print(json.dumps({"client_stdout": client.stdout, "client_stderr": client.stderr,
                          "server_stdout": out}))
        for seg in wire.seen:
            print(json.dumps(seg))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        for ns in names.values():
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


if __name__ == "__main__":
    main()
