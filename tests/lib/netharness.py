"""A keel guest on a private network, for network tests.

GuestNetwork creates a network namespace of its own (named after the pytest
process id), a tap device inside it with the host side at 10.99.0.1/24 (IPv6
off, so the host sends nothing the test did not ask for), and starts QEMU
inside the namespace with one NIC on that tap. The guest gets
`ip=10.99.0.2::10.99.0.1:255.255.255.0 keel.stats=1` plus the test's command
line. The serial console is read by a thread into a buffer, so QEMU never
blocks on a full pipe and tests can wait for any line.

Everything the helpers send goes out on the tap inside that namespace, and
only after checking that the namespace is one this process created and still
exists: nothing can leak onto the machine's real network. stop() (or leaving
the `with` block) kills QEMU by its pid only and deletes the namespace with
the tap. QEMU also writes a pcap of the NIC's traffic (filter-dump), kept
when keep_artifacts is set (test fixtures set it when a test failed).

    with GuestNetwork(nic="e1000", machine="pc", cmdline="keel.irq=intx") as net:
        net.start()
        result = net.ping(count=20, size=56)
        stats = net.wait_for_stats()

With console=True the serial console also takes input (QEMU's stdin is a
pipe): net.console("ss -tan") types the line and returns what keel printed
before its next `keel# ` prompt (the operator's console,
kernel/console/shell.h); the log keeps everything, typed echo included.
"""
import ipaddress
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import proc_net_dev
from qemu_boot import KERNEL_ELF, QEMU, READY_LINE, accel

HOST_IP = "10.99.0.1"
GUEST_IP = "10.99.0.2"
PREFIX_LENGTH = 24
GUEST_MAC = "52:54:00:12:34:56"
TEST_SUBNET = ipaddress.ip_network(f"{HOST_IP}/{PREFIX_LENGTH}", strict=False)
PYTHON = "/usr/bin/python3"

_counter = itertools.count()
_created_namespaces = set()

STATS_START = re.compile(r"^netdev stats #(\d+) at ([\d.]+) s$")
STATS_END = re.compile(r"^netdev stats end #(\d+)$")
PROC_NET_DEV_ROW = proc_net_dev.ROW
PROC_NET_DEV_COLUMNS = proc_net_dev.COLUMNS
PAIR = re.compile(r"(\w+)=(\d+)")
CONSOLE_PROMPT = "keel# "
PROMPT_AT_LINE_START = re.compile(r"(?:^|\n)keel# ")
DEVICE_LINE = re.compile(r"^(eth\d+): (\S+) ([0-9a-f:]{17}) irq (\w+), (.*)$")
PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received")
PING_REPLY = re.compile(r"icmp_seq=(\d+) ttl=\d+ time=([\d.]+) ms")

# Runs inside the namespace: sniff the tap while sending frames, print what
# the guest sent back. Input and output are JSON on stdin/stdout.
EXCHANGE_SCRIPT = r"""
import json, sys, time
from scapy.all import AsyncSniffer, conf, sendp
request = json.load(sys.stdin)
conf.verb = 0
sniffer = AsyncSniffer(iface=request["iface"], store=True,
                       lfilter=lambda p: bytes(p)[6:12] == bytes.fromhex(request["guest_mac"]))
sniffer.start()
time.sleep(0.3)
for frame in request["frames"]:
    sendp(bytes.fromhex(frame), iface=request["iface"], verbose=False)
    time.sleep(request["gap"])
time.sleep(request["listen"])
captured = sniffer.stop() or []
json.dump([[float(p.time), bytes(p).hex()] for p in captured], sys.stdout)
"""


class HarnessError(RuntimeError):
    pass


def require_network_namespaces():
    """Skips the calling test unless this process may create namespaces and taps."""
    import pytest
    if os.geteuid() != 0:
        pytest.skip("network tests need root (network namespaces, tap devices)")
    if shutil.which("ip") is None or not os.path.exists("/dev/net/tun"):
        pytest.skip("network tests need iproute2 and /dev/net/tun")


def _run(cmd, timeout=30, check=True, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise HarnessError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stdout}{result.stderr}")
    return result


def parse_stats_block(lines):
    """One "netdev stats" block -> {"devices": {eth0: {rx_packets: ...}},
    "napi": {eth0: {...}}, "driver": {eth0: {...}}, "pool": {...},
    "arp": {...}, "ip": {IpForwDatagrams: ...}, "drops": {reason: count}, "qdisc": {eth0: {"kind":
    "fq_codel", "sent_packets": ...}}, "tx": {eth0: {"tx_stop_bql": ..., "bql_miscounted": ...}}}."""
    stats = {"devices": {}, "napi": {}, "driver": {}, "pool": {}, "arp": {}, "ip": {}, "drops": {}, "qdisc": {}, "tx": {}}
    for line in lines:
        row = proc_net_dev.parse_row(line)
        if row:
            stats["devices"][row[0]] = row[1]
            continue
        pairs = {name: int(value) for name, value in PAIR.findall(line)}
        if line.startswith("drops:"):
            stats["drops"].update(pairs)
        elif line.startswith("pkt pool:"):
            stats["pool"].update(pairs)
        elif line.startswith("arp:"):
            stats["arp"].update(pairs)
        elif re.match(r"^eth\d+: qdisc ", line):
            name, _, kind = line.split()[:3]
            name = name.rstrip(":") + (" parent 1:1" if " parent 1:1 " in line else "")  # a shaper's child
            stats["qdisc"].setdefault(name, {"kind": kind}).update(pairs)
        elif line.startswith("ip:"):
            stats["ip"].update(pairs)
        elif re.match(r"^eth\d+: tx ", line):   # software GSO and byte queue limits
            stats["tx"][line.split(":")[0]] = pairs
        elif re.match(r"^eth\d+: driver", line):
            stats["driver"].setdefault(line.split(":")[0], {}).update(pairs)
        elif " napi " in line:
            name = line.split(":")[0]
            stats["napi"][name] = dict(pairs, mode=re.search(r" irq (\w+)", line).group(1))
    return stats


def parse_all_stats(log):
    """Every complete stats block in the log, as (number, parsed) in order."""
    blocks, current, number = [], None, None
    for line in log.splitlines():
        start = STATS_START.match(line)
        if start:
            current, number = [], int(start.group(1))
            continue
        end = STATS_END.match(line)
        if end and current is not None and int(end.group(1)) == number:
            blocks.append((number, parse_stats_block(current)))
            current = None
            continue
        if current is not None:
            current.append(line)
    return blocks


class SerialGuest:
    """What GuestNetwork and router_harness.RouterNetwork share: a QEMU
    process this harness started, its serial output read by a thread into a
    log the tests wait on, the guest's stats blocks parsed from it, and the
    work directory kept (with the log) when a test failed."""

    def _init_serial_log(self):
        self.process = None
        self._log = []
        self._log_lock = threading.Condition()
        self._reader = None

    def _start_serial_reader(self):
        self._reader = threading.Thread(target=self._read_serial, daemon=True)
        self._reader.start()

    def _read_serial(self):
        stream = self.process.stdout
        while True:
            data = stream.read1(65536) if hasattr(stream, "read1") else stream.read(4096)
            if not data:
                break
            with self._log_lock:
                self._log.append(data.decode("utf-8", "replace").replace("\r", ""))
                self._log_lock.notify_all()
        with self._log_lock:
            self._log_lock.notify_all()

    @property
    def log(self):
        with self._log_lock:
            return "".join(self._log)

    def wait_for_log(self, text, timeout=30, start=0):
        """Waits for text (a str, or a compiled regex) in the log after
        offset start; returns the match end offset. Raises on timeout or
        QEMU exit."""
        deadline = time.monotonic() + timeout
        with self._log_lock:
            while True:
                log = "".join(self._log)
                if isinstance(text, re.Pattern):
                    match = text.search(log, start)
                    if match:
                        return match.end()
                else:
                    found = log.find(text, start)
                    if found >= 0:
                        return found + len(text)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise HarnessError(f"timed out waiting for {text!r}; serial log:\n{log[-6000:]}")
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise HarnessError(f"QEMU exited ({self.process.returncode}) before {text!r}; log:\n{log[-6000:]}")
                self._log_lock.wait(min(remaining, 0.2))

    def all_stats(self):
        return parse_all_stats(self.log)

    def wait_for_stats(self, timeout=20):
        """The first stats block that the guest began printing after this
        call (the guest prints one every keel.stats seconds): the latest
        header seen may already be on its way, so wait for the one after."""
        numbers = [int(n) for n in re.findall(r"^netdev stats #(\d+) at", self.log, re.M)]
        wanted = (max(numbers) if numbers else 0) + 2
        self.wait_for_log(re.compile(rf"^netdev stats end #{wanted}$", re.M), timeout=timeout)
        for number, stats in self.all_stats():
            if number == wanted:
                return stats
        raise HarnessError(f"stats block #{wanted} not parsed")

    def console_type(self, data):
        """Sends raw bytes to the serial console (started with console=True:
        QEMU's stdin a pipe)."""
        if not getattr(self, "console_input", False) or self.process is None or self.process.stdin is None:
            raise HarnessError("the guest was started without console=True")
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def console(self, line, timeout=30):
        """Types line and Enter; returns the text keel printed after the
        echoed line up to its next prompt (\r removed)."""
        start = len(self.log)
        self.console_type(line.encode("latin-1") + b"\r")
        end = self.wait_for_log(PROMPT_AT_LINE_START, timeout=timeout, start=start)
        text = self.log[start:end - len(CONSOLE_PROMPT)]
        echo_end = text.find("\n")
        return text[echo_end + 1:] if echo_end >= 0 else ""

    def _stop_qemu(self):
        """Kills QEMU (by its pid, which is ours) and ends the reader."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self._reader is not None:
            self._reader.join(timeout=5)

    def _keep_or_remove_workdir(self, harness, kept):
        """After stop: the work directory with the serial log when a test
        failed (keep_artifacts), else removed."""
        if self.keep_artifacts:
            with open(os.path.join(self.workdir, "serial.log"), "w") as log_file:
                log_file.write(self.log)
            sys.stdout.write(f"{harness}: kept {self.workdir} ({kept})\n")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.keep_artifacts = True
        self.stop()


class GuestNetwork(SerialGuest):
    def __init__(self, nic="e1000", machine="pc", cmdline="", memory="64M", image=None,
                 guest_ip=GUEST_IP, host_ip=HOST_IP, mac=GUEST_MAC, stats_interval=1, extra_args=(), console=False):
        self.nic = nic
        self.machine = machine
        self.memory = memory
        self.image = str(image or KERNEL_ELF)
        self.guest_ip = guest_ip
        self.host_ip = host_ip
        self.mac = mac
        index = next(_counter)
        self.namespace = f"keel-net-{os.getpid()}-{index}"
        self.tap = f"ktap{index}"
        base = f"ip={guest_ip}::{host_ip}:255.255.255.0"
        if stats_interval:
            base += f" keel.stats={stats_interval}"
        self.cmdline = f"{base} {cmdline}".strip()
        self.extra_args = list(extra_args)
        self.console_input = console
        self.workdir = tempfile.mkdtemp(prefix=f"{self.namespace}-")
        self.pcap = os.path.join(self.workdir, "guest.pcap")
        self.keep_artifacts = False
        self._init_serial_log()

    # -- namespace and tap -------------------------------------------------

    def _create_namespace(self):
        _run(["ip", "netns", "add", self.namespace])
        _created_namespaces.add(self.namespace)
        for sysctl in ("net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"):
            self.run(["sysctl", "-qw", sysctl], check=True)
        self.run(["ip", "link", "set", "lo", "up"], check=True)
        self.run(["ip", "tuntap", "add", "dev", self.tap, "mode", "tap"], check=True)
        self.run(["sysctl", "-qw", f"net.ipv6.conf.{self.tap}.disable_ipv6=1"], check=True)
        self.run(["ip", "addr", "add", f"{self.host_ip}/{PREFIX_LENGTH}", "dev", self.tap], check=True)
        self.run(["ip", "link", "set", self.tap, "up"], check=True)

    def _require_own_namespace(self):
        """The guard: refuse to send unless inside the namespace we made."""
        if self.namespace not in _created_namespaces:
            raise HarnessError(f"{self.namespace} was not created by this harness")
        listed = _run(["ip", "netns", "list"]).stdout.split()
        if self.namespace not in listed:
            raise HarnessError(f"namespace {self.namespace} is gone")

    def _require_test_address(self, address):
        if ipaddress.ip_address(address) not in TEST_SUBNET:
            raise HarnessError(f"{address} is outside the test subnet {TEST_SUBNET}: refusing to send")

    def run(self, cmd, timeout=30, check=False, input=None):
        """Runs cmd (a list) inside the namespace, bounded by timeout."""
        if self.namespace not in _created_namespaces:
            raise HarnessError(f"{self.namespace} was not created by this harness")
        return _run(["ip", "netns", "exec", self.namespace, *cmd], timeout=timeout, check=check, input=input)

    # -- QEMU ---------------------------------------------------------------

    def qemu_command(self):
        return [QEMU, "-M", self.machine, "-accel", accel(), "-m", self.memory, "-smp", "1",
                "-display", "none", "-vga", "none", "-no-reboot", "-monitor", "none",
                "-serial", "stdio", "-nodefaults", "-kernel", self.image, "-append", self.cmdline,
                "-netdev", f"tap,id=n0,ifname={self.tap},script=no,downscript=no",
                "-device", f"{self.nic},netdev=n0,mac={self.mac}",
                "-object", f"filter-dump,id=dump0,netdev=n0,file={self.pcap}", *self.extra_args]

    def start(self, until=READY_LINE, timeout=60):
        """Creates the namespace, boots the guest, waits for `until`."""
        self._create_namespace()
        cmd = ["ip", "netns", "exec", self.namespace, *self.qemu_command()]
        # ip netns exec execs QEMU in place: this pid is QEMU's.
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE if self.console_input else subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._start_serial_reader()
        if until:
            self.wait_for_log(until, timeout=timeout)
        return self

    def stop(self):
        self._stop_qemu()
        if self.namespace in _created_namespaces:
            _run(["ip", "netns", "exec", self.namespace, "ip", "tuntap", "del", "dev", self.tap, "mode", "tap"],
                 check=False)
            _run(["ip", "netns", "del", self.namespace], check=False)
            _created_namespaces.discard(self.namespace)
        self._keep_or_remove_workdir("netharness", "serial.log, guest.pcap")

    # -- what the guest printed -----------------------------------------------

    def device_line(self, name="eth0"):
        """The bring-up line "eth0: e1000 52:54:... irq msi, 10.99.0.2/24 gw
        10.99.0.1" as a dict, or None when the guest printed none."""
        for line in self.log.splitlines():
            match = DEVICE_LINE.match(line)
            if match and match.group(1) == name:
                return {"name": name, "driver": match.group(2), "mac": match.group(3),
                        "irq": match.group(4), "address": match.group(5)}
        return None

    # -- host side ------------------------------------------------------------

    def tap_counters(self):
        """The host tap's counters (/sys/class/net/TAP/statistics): tx_* is
        what the host sent to the guest, rx_* what it received."""
        names = ["rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_dropped", "tx_dropped"]
        paths = [f"/sys/class/net/{self.tap}/statistics/{name}" for name in names]
        out = self.run(["cat", *paths], check=True).stdout.split()
        return dict(zip(names, map(int, out)))

    def set_tap_mtu(self, mtu):
        self.run(["ip", "link", "set", self.tap, "mtu", str(mtu)], check=True)

    def neighbour_mac(self, address=None):
        """The MAC the host's neighbour table holds for the guest, or None."""
        out = self.run(["ip", "neigh", "show", address or self.guest_ip, "dev", self.tap], check=True).stdout
        match = re.search(r"lladdr ([0-9a-f:]{17})", out)
        return match.group(1) if match else None

    def ping(self, count=20, size=56, interval=0.05, deadline=None, dont_fragment=False, quiet=False,
             address=None):
        """Runs ping in the namespace; returns {transmitted, received, rtts_ms, output}."""
        address = address or self.guest_ip
        self._require_own_namespace()
        self._require_test_address(address)
        deadline = deadline or int(count * interval * 3 + 10)
        cmd = ["ping", "-n", "-c", str(count), "-s", str(size), "-i", str(interval), "-w", str(deadline)]
        if dont_fragment:
            cmd += ["-M", "do"]
        if quiet:
            cmd.append("-q")
        result = self.run(cmd + [address], timeout=deadline + 10)
        summary = PING_SUMMARY.search(result.stdout)
        return {
            "transmitted": int(summary.group(1)) if summary else 0,
            "received": int(summary.group(2)) if summary else 0,
            "rtts_ms": [float(m.group(2)) for m in PING_REPLY.finditer(result.stdout)],
            "output": result.stdout + result.stderr,
        }

    def exchange(self, frames, listen=1.0, gap=0.02, with_times=False):
        """Sends raw Ethernet frames (bytes) on the tap with scapy, listening
        meanwhile; returns the frames the guest sent (bytes, or (capture
        time, bytes) with with_times) until `listen` seconds after the last."""
        self._require_own_namespace()
        request = {"iface": self.tap, "frames": [bytes(f).hex() for f in frames], "listen": listen,
                   "gap": gap, "guest_mac": self.mac.replace(":", "")}
        timeout = 20 + len(frames) * (gap + 0.05) + listen
        result = self.run([PYTHON, "-c", EXCHANGE_SCRIPT], input=json.dumps(request), timeout=timeout)
        if result.returncode != 0:
            raise HarnessError(f"scapy exchange failed: {result.stdout}{result.stderr}")
        captured = [(when, bytes.fromhex(frame)) for when, frame in json.loads(result.stdout)]
        return captured if with_times else [frame for _, frame in captured]
