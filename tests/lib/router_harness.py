"""A keel guest as a router between two private networks, for the
forwarding tests (tests/qemu/test_forward.py) and `make bench-forward`.

RouterNetwork makes three network namespaces of its own: "router", where
QEMU runs with two NICs (eth0 and eth1, in that PCI order, each its own
model: e1000, virtio-net-pci or e1000e), each on a tap; once QEMU holds the
taps they move, one each, to "inside" (10.97.0.2/24, default route via the
guest's eth0 at 10.97.0.1) and "outside" (10.98.0.2/24, default route via
the guest's eth1 at 10.98.0.1). A tap keeps its QEMU file descriptor
across the move. IPv6 is off in both, so the hosts send nothing the test
did not ask for.

    with RouterNetwork(cmdline="sysctl.net.ipv4.ip_forward=1") as router:
        router.start()
        router.inside.run(["ping", "-c", "1", router.outside.host_ip])
        stats = router.wait_for_stats()

Every command runs in a namespace this process created (checked before
anything is sent); stop() kills QEMU by its pid and removes the taps and
namespaces. The serial log and the stats parsing are netharness's.
"""
import os
import re
import subprocess
import tempfile

from netharness import HarnessError, PYTHON, SerialGuest, _run
from qemu_boot import KERNEL_ELF, QEMU, READY_LINE, accel

INSIDE = {"name": "inside", "guest_ip": "10.97.0.1", "host_ip": "10.97.0.2", "mac": "52:54:00:12:34:61"}
OUTSIDE = {"name": "outside", "guest_ip": "10.98.0.1", "host_ip": "10.98.0.2", "mac": "52:54:00:12:34:62"}
PREFIX_LENGTH = 24

_created = set()
_counter = [0]


class Side:
    """One of the two networks: its namespace, its tap, the host's and the
    guest's addresses on it."""

    def __init__(self, namespace, tap, nic, device, guest_ip, host_ip, mac, **_):
        self.namespace, self.tap, self.nic, self.device = namespace, tap, nic, device
        self.guest_ip, self.host_ip, self.mac = guest_ip, host_ip, mac

    def run(self, cmd, timeout=30, check=False, input=None):
        """Runs cmd (a list) inside this side's namespace, bounded by timeout."""
        if self.namespace not in _created:
            raise HarnessError(f"{self.namespace} was not created by this harness")
        return _run(["ip", "netns", "exec", self.namespace, *cmd], timeout=timeout, check=check, input=input)

    def popen(self, cmd, **kwargs):
        """Starts cmd in the namespace (ip netns exec execs it: the pid is cmd's)."""
        if self.namespace not in _created:
            raise HarnessError(f"{self.namespace} was not created by this harness")
        return subprocess.Popen(["ip", "netns", "exec", self.namespace, *cmd], **kwargs)

    def set_mtu(self, mtu):
        self.run(["ip", "link", "set", self.tap, "mtu", str(mtu)], check=True)

    def tap_counters(self):
        names = ["rx_packets", "tx_packets", "rx_dropped", "tx_dropped"]
        out = self.run(["cat", *[f"/sys/class/net/{self.tap}/statistics/{n}" for n in names]], check=True)
        return dict(zip(names, map(int, out.stdout.split())))


class RouterNetwork(SerialGuest):
    def __init__(self, cmdline="", inside_nic="e1000", outside_nic="virtio-net-pci", image=None, memory="64M",
                 stats_interval=1, addresses=True, extra_args=(), console=False):
        index = _counter[0]
        _counter[0] += 1
        base = f"keel-rt-{os.getpid()}-{index}"
        self.router_namespace = f"{base}-router"
        self.inside = Side(f"{base}-in", f"krti{index}", inside_nic, "eth0", **INSIDE)
        self.outside = Side(f"{base}-out", f"krto{index}", outside_nic, "eth1", **OUTSIDE)
        words = []
        if addresses:
            for side in (self.inside, self.outside):
                words.append(f"ip={side.guest_ip}:::255.255.255.0::{side.device}:off")
        if stats_interval:
            words.append(f"keel.stats={stats_interval}")
        self.cmdline = " ".join(words + [cmdline]).strip()
        self.image = str(image or KERNEL_ELF)
        self.memory = memory
        self.extra_args = list(extra_args)
        self.console_input = console          # net.console("nft list ruleset") (SerialGuest)
        self.workdir = tempfile.mkdtemp(prefix=f"{base}-")
        self.keep_artifacts = False
        self._init_serial_log()

    # -- namespaces and taps ----------------------------------------------

    def _namespace(self, name):
        _run(["ip", "netns", "add", name])
        _created.add(name)
        for sysctl in ("net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"):
            _run(["ip", "netns", "exec", name, "sysctl", "-qw", sysctl])
        _run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])

    def _create(self):
        for name in (self.router_namespace, self.inside.namespace, self.outside.namespace):
            self._namespace(name)
        for side in (self.inside, self.outside):
            _run(["ip", "netns", "exec", self.router_namespace, "ip", "tuntap", "add", "dev", side.tap, "mode", "tap"])

    def _move_tap(self, side):
        """Once QEMU has the tap open: into the side's namespace, addressed, up."""
        _run(["ip", "netns", "exec", self.router_namespace, "ip", "link", "set", side.tap, "netns", side.namespace])
        side.run(["sysctl", "-qw", f"net.ipv6.conf.{side.tap}.disable_ipv6=1"], check=True)
        side.run(["ip", "addr", "add", f"{side.host_ip}/{PREFIX_LENGTH}", "dev", side.tap], check=True)
        side.run(["ip", "link", "set", side.tap, "up"], check=True)
        side.run(["ip", "route", "add", "default", "via", side.guest_ip], check=True)

    # -- QEMU ----------------------------------------------------------------

    def qemu_command(self):
        cmd = [QEMU, "-M", "pc", "-accel", accel(), "-m", self.memory, "-smp", "1", "-display", "none",
               "-vga", "none", "-no-reboot", "-monitor", "none", "-serial", "stdio", "-nodefaults",
               "-kernel", self.image, "-append", self.cmdline]
        for number, side in enumerate((self.inside, self.outside)):
            cmd += ["-netdev", f"tap,id=n{number},ifname={side.tap},script=no,downscript=no",
                    "-device", f"{side.nic},netdev=n{number},mac={side.mac}"]
        return cmd + self.extra_args

    def start(self, until=READY_LINE, timeout=60):
        """Creates the namespaces, boots the guest, moves the taps once QEMU
        holds them (its first serial output), waits for `until`."""
        self._create()
        cmd = ["ip", "netns", "exec", self.router_namespace, *self.qemu_command()]
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE if self.console_input else subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._start_serial_reader()
        self.wait_for_log(re.compile(r"\S"), timeout=timeout)
        for side in (self.inside, self.outside):
            self._move_tap(side)
        if until:
            self.wait_for_log(until, timeout=timeout)
        return self

    def send_frames(self, side, frames, listen=1.0):
        """Sends raw Ethernet frames on side's tap with scapy; returns the
        frames the guest sent on that tap meanwhile (bytes)."""
        if side.namespace not in _created:
            raise HarnessError(f"{side.namespace} was not created by this harness")
        request = {"iface": side.tap, "frames": [bytes(f).hex() for f in frames], "listen": listen, "gap": 0.02,
                   "guest_mac": side.mac.replace(":", "")}
        from netharness import EXCHANGE_SCRIPT
        import json
        result = side.run([PYTHON, "-c", EXCHANGE_SCRIPT], input=json.dumps(request),
                          timeout=30 + len(frames) * 0.1 + listen)
        if result.returncode != 0:
            raise HarnessError(f"scapy exchange failed: {result.stdout}{result.stderr}")
        return [bytes.fromhex(frame) for _, frame in json.loads(result.stdout)]

    def stop(self):
        self._stop_qemu()
        for side in (self.inside, self.outside):
            for namespace in (side.namespace, self.router_namespace):
                if namespace in _created:
                    _run(["ip", "netns", "exec", namespace, "ip", "tuntap", "del", "dev", side.tap, "mode", "tap"],
                         check=False)
        for namespace in (self.router_namespace, self.inside.namespace, self.outside.namespace):
            if namespace in _created:
                _run(["ip", "netns", "del", namespace], check=False)
                _created.discard(namespace)
        self._keep_or_remove_workdir("router_harness", "serial.log")
