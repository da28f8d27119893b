"""host_path.py - the host's own ceiling for `make bench-forward`: the two
networks of tests/lib/router_harness.py (inside 10.97.0.2, outside
10.98.0.2) joined by a veth pair instead of a router, so the same loads
measure what the host's clients and servers reach with no guest between
them (on a shared 2-core machine, they may be the bottleneck).

    with HostPath() as path:
        path.inside.run(["ping", "-c", "1", path.outside.host_ip])

Each address's other network is on-link (Linux answers ARP for any of its
addresses); stop() deletes the namespaces it made, and only those.
"""
import os
import subprocess

INSIDE_IP, OUTSIDE_IP = "10.97.0.2", "10.98.0.2"


class HostSide:
    def __init__(self, namespace, host_ip):
        self.namespace, self.host_ip = namespace, host_ip

    def run(self, cmd, timeout=30, check=False, input=None):
        return subprocess.run(["ip", "netns", "exec", self.namespace, *cmd], capture_output=True, text=True,
                              timeout=timeout, check=check, input=input)

    def popen(self, cmd, **kwargs):
        return subprocess.Popen(["ip", "netns", "exec", self.namespace, *cmd], **kwargs)


class HostPath:
    def __init__(self):
        base = f"keel-bfh-{os.getpid()}"
        self.inside = HostSide(f"{base}-in", INSIDE_IP)
        self.outside = HostSide(f"{base}-out", OUTSIDE_IP)
        self.created = []

    def start(self):
        for side in (self.inside, self.outside):
            subprocess.run(["ip", "netns", "add", side.namespace], check=True)
            self.created.append(side.namespace)
            side.run(["ip", "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "link", "add", "bfh-in", "netns", self.inside.namespace, "type", "veth", "peer",
                        "name", "bfh-out", "netns", self.outside.namespace], check=True)
        for side, device, other in ((self.inside, "bfh-in", OUTSIDE_IP), (self.outside, "bfh-out", INSIDE_IP)):
            side.run(["ip", "addr", "add", f"{side.host_ip}/24", "dev", device], check=True)
            side.run(["ip", "link", "set", device, "up"], check=True)
            side.run(["ip", "route", "add", f"{other}/32", "dev", device], check=True)
        return self

    def frames_out(self):
        """Frames that reached the outside network's interface so far."""
        return int(self.outside.run(["cat", "/sys/class/net/bfh-out/statistics/rx_packets"], check=True).stdout)

    def stop(self):
        for namespace in self.created:
            subprocess.run(["ip", "netns", "del", namespace], check=False)
        self.created = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
