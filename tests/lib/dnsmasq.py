"""dnsmasq as a real DHCP server for the QEMU tests (Debian's dnsmasq-base:
/usr/sbin/dnsmasq, no system service): started inside a test's network
namespace on the host side of its tap, in the foreground, with its lease
file, pid file and log in a private temporary folder; killed by pid.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

DNSMASQ = "/usr/sbin/dnsmasq"


def kill_by_pid(process):
    if process and process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class Dnsmasq:
    """dnsmasq as the DHCP server on a GuestNetwork's tap, in its namespace:
    start(net) from the network's before-boot hook, stop() kills it by pid
    and removes its files. dhcp_range is dnsmasq's --dhcp-range (a single
    address leases exactly that one, e.g. the harness's guest address)."""

    def __init__(self, dhcp_range="10.99.0.100,10.99.0.150,255.255.255.0,1h"):
        self.dhcp_range = dhcp_range
        self.directory = tempfile.mkdtemp(prefix="keel-dnsmasq-")
        self.leases = os.path.join(self.directory, "leases")
        self.process = None

    def start(self, net):
        # `ip netns exec` execs dnsmasq in place: the pid is dnsmasq's.
        command = ["ip", "netns", "exec", net.namespace, DNSMASQ, "--keep-in-foreground", "--no-daemon",
                   "--conf-file=/dev/null", "--port=0", f"--interface={net.tap}", "--bind-interfaces",
                   f"--dhcp-range={self.dhcp_range}", f"--dhcp-leasefile={self.leases}",
                   "--no-ping", "--dhcp-option=6,10.99.0.53,10.99.0.54", "--dhcp-option=26,1400",
                   f"--pid-file={os.path.join(self.directory, 'pid')}", "--log-dhcp", "--log-facility=-"]
        self.log = open(os.path.join(self.directory, "log"), "w")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 5
        while "DHCP, IP range" not in self.text() and time.monotonic() < deadline:
            assert self.process.poll() is None, f"dnsmasq exited: {self.text()}"
            time.sleep(0.05)

    def text(self):
        with open(os.path.join(self.directory, "log")) as log:
            return log.read()

    def lease_lines(self):
        with open(self.leases) if os.path.exists(self.leases) else open(os.devnull) as leases:
            return [line.split() for line in leases if line.strip()]

    def stop(self):
        kill_by_pid(self.process)
        if self.process:
            self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)
