"""The soak's loads: each a process started inside the guest's network
namespace (`ip netns exec` execs it in place, so the pid is the load's own),
bounded in time and count by its own arguments, stopped by its pid only,
its output kept in a file and parsed into counters at the end.

    loads = soak_loads(namespace, tap, guest_ip, guest_mac, host_mac, seconds, workdir)
    for load in loads: load.start()
    ...
    for load in loads: load.finish(grace=30)   # wait, then SIGTERM/SIGKILL its pid
    load.counters                               # {"requests": ..., ...}
"""
import json
import os
import pathlib
import re
import signal
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"
WRK_CONNECTIONS = 4
PING_SIZE = 56
# Upper bounds on each load's operations: far above what the rates allow
# in `seconds`, they only stop a load whose pacing went wrong.
PER_SECOND_BOUND = {"short": 50, "slow": 5, "udp": 50, "junk": 50}


class Load:
    def __init__(self, name, namespace, command, workdir, parse):
        self.name = name
        self.namespace = namespace
        self.command = command
        self.output_path = pathlib.Path(workdir) / f"load-{name}.out"
        self.parse = parse
        self.process = None
        self.counters = {}
        self.problem = None

    def start(self):
        self.output = open(self.output_path, "w")
        self.process = subprocess.Popen(["ip", "netns", "exec", self.namespace, *self.command],
                                        stdin=subprocess.DEVNULL, stdout=self.output, stderr=subprocess.STDOUT)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def finish(self, grace):
        """Waits up to grace seconds for the load to end by itself, then
        stops it by its own pid (SIGTERM, which the clients answer with their
        counters; SIGKILL 10 s later). Parses what it printed."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.problem = f"still running {grace:.0f} s after its end: stopped"
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.output.close()
        text = self.output_path.read_text(errors="replace")
        try:
            self.counters = self.parse(text)
        except (ValueError, AttributeError, IndexError) as error:
            self.problem = f"output not understood ({error}): {text[-300:]!r}"

    def kill(self):
        """For an aborted run: the load's own pid, at once."""
        if self.running():
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def parse_json_line(text):
    lines = [line for line in text.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


WRK_REQUESTS = re.compile(r"(\d+) requests in ([\d.]+)(\w+), ([\d.]+\w+) read")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def parse_wrk(text):
    requests = WRK_REQUESTS.search(text)
    counters = {"requests": int(requests.group(1)), "read": requests.group(4)}
    errors = WRK_ERRORS.search(text)
    for index, name in enumerate(["connect_errors", "read_errors", "write_errors", "timeouts"], 1):
        counters[name] = int(errors.group(index)) if errors else 0
    non_2xx = WRK_NON_2XX.search(text)
    counters["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return counters


PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received")


def parse_ping(text):
    summary = PING_SUMMARY.search(text)
    return {"transmitted": int(summary.group(1)), "received": int(summary.group(2))}


def soak_loads(namespace, tap, guest_ip, guest_mac, host_mac, seconds, workdir, seed=1):
    """Every load of the soak, not started, each ending by itself after seconds."""
    whole = str(int(seconds))

    def client(load, *extra):
        bound = str(int(seconds * PER_SECOND_BOUND[load]) + 10)
        return [PYTHON, str(HERE / "clients.py"), load, "--guest", guest_ip, "--seconds", whole,
                "--max-count", bound, *extra]

    junk_bound = str(int(seconds * PER_SECOND_BOUND["junk"]) + 10)
    return [
        Load("wrk", namespace, ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{whole}s", "--timeout", "10s",
                                f"http://{guest_ip}/1k.bin"], workdir, parse_wrk),
        Load("short", namespace, client("short", "--interval", "0.1"), workdir, parse_json_line),
        Load("slow", namespace, client("slow", "--parallel", "3", "--hold", "20"), workdir, parse_json_line),
        Load("udp", namespace, client("udp", "--rate", "20"), workdir, parse_json_line),
        # -f: as fast as replies come (at least 100 a second); -w bounds it.
        Load("ping", namespace, ["ping", "-n", "-q", "-f", "-s", str(PING_SIZE), "-w", whole, guest_ip],
             workdir, parse_ping),
        Load("junk", namespace, [PYTHON, str(HERE / "junk.py"), "--iface", tap, "--guest-mac", guest_mac,
                                 "--host-mac", host_mac, "--seconds", whole, "--max-count", junk_bound,
                                 "--rate", "20", "--seed", str(seed)], workdir, parse_json_line),
    ]


def wait_all(loads, deadline):
    """Sleeps until every load ended or deadline (monotonic) passed."""
    while any(load.running() for load in loads) and time.monotonic() < deadline:
        time.sleep(0.5)
