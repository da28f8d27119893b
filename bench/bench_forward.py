#!/usr/bin/env python3
"""bench_forward.py - the figures of `make bench-forward` (issue 10, point 7):
keel as a NAT router against a Linux guest configured the same way.

    bench_forward.py --keel IMAGE [--linux DIR] [--nic e1000 --nic virtio-net-pci]
                     [--duration 10] [--results bench/results] [--only keel|linux]
                     [--udp-rate 200M] [--connection-workers 8] [--dry-run]

Each router boots with two NICs of the same model (tests/lib/router_harness.py:
"inside" 10.97.0.2 behind its eth0, "outside" 10.98.0.2 behind its eth1,
TCG, -smp 1, -m 64 for keel and 256 for Linux) and the same ruleset,
tests/qemu/nft/router.nft: a stateful forward filter (policy drop, ct state
established,related accepted, new flows only from the inside), masquerade
behind eth1 and one port forward. keel: IMAGE built with NFT=router.nft,
booted with sysctl.net.ipv4.ip_forward=1. Linux: bench/linux_guest.py's
router mode (DIR/vmlinuz + DIR/initramfs.cpio.gz: Debian's kernel and nft,
ip_forward=1). The inside namespace is the client, the outside the server;
every load is bounded by --duration and killed by its own pid:
  TCP         iperf3 -t D, 1 stream and 8 streams (-P 8): MiB/s received;
  UDP 64 B    iperf3 -u -l 64 -b RATE -t D (64-byte payloads, 106-byte
              frames): datagrams/s sent by the inside, frames/s out of the
              router on the outside (its tap's counter: the router's own
              figure) and iperf3's received count (sent minus the gaps its
              receiver saw in the sequence numbers, so a dropped tail counts
              as received; its socket can also fall behind);
  conn/s      new TCP connections per second through NAT: W client workers
              connect, read the server's immediate close, close, for D s;
  ping        100 pings 20 ms apart through the router: the median RTT.
The Linux router's conntrack table gets keel's size (keel prints it at
boot; --linux-conntrack-max): Debian's own default for 256 MiB is about
2048 entries, which the conn/s load fills within a second (TIME_WAIT
entries live 120 s), after which Linux drops new SYNs.
First, unless --no-host-ceiling, the same loads run over a veth pair with
no router (bench/host_path.py): the "no router" column, the ceiling of the
host's own clients and servers, which share the machine's cores with QEMU.
The table (keel | linux | keel/linux | no router) is printed and written to
RESULTS/<date>-forward-<nic>.txt and .json. A router that does not forward
(no ping through it) is reported as "not forwarding", never a crash.
--dry-run prints the plan (QEMU command lines and loads) and boots nothing.
"""
import argparse
import datetime
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from netharness import HarnessError, PYTHON  # noqa: E402
from router_harness import RouterNetwork  # noqa: E402

from host_path import HostPath  # noqa: E402

KEEL_READY = "keel: ready"
LINUX_READY = "linux-guest: ready"
IPERF_PORT = 5201
CONNECT_PORT = 9100
TCP_STREAMS = (1, 8)
UDP_PAYLOAD = 64
PING_COUNT = 100
DEFAULT_CONNTRACK_MAX = 16384

# Outside: accepts for `limit` seconds and closes each connection at once
# (the server's close starts the teardown, so TIME_WAIT stays on this side
# and the client's ports are free again at once).
CONNECT_SERVER = r"""
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(1024)
s.settimeout(0.5)
print("server: ready", flush=True)
end = time.monotonic() + limit
first = True
while time.monotonic() < end:
    try:
        connection, peer = s.accept()
    except OSError:
        continue
    connection.close()
    if first:
        print("peer:", peer[0], flush=True)     # masquerade: the router's outside address
        first = False
"""

# Inside: `workers` threads open connections to host:port for `duration`
# seconds, each waiting for the server's close (a whole NATed connection);
# prints JSON: completed, failed, seconds.
CONNECT_CLIENT = r"""
import json, socket, sys, threading, time
host, port, duration, workers = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
counts = {"completed": 0, "failed": 0}
lock = threading.Lock()
start = time.monotonic()
def worker():
    while time.monotonic() - start < duration:
        try:
            with socket.create_connection((host, port), timeout=2) as s:
                s.settimeout(2)
                s.recv(1)
            key = "completed"
        except OSError:
            key = "failed"
        with lock:
            counts[key] += 1
threads = [threading.Thread(target=worker) for _ in range(workers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
counts["seconds"] = time.monotonic() - start
print(json.dumps(counts))
"""


class RouterKind:
    """How to boot one router: keel or the Linux guest."""

    def __init__(self, name, image, ready_line, memory, cmdline, addresses, extra_args=(), boot_timeout=60):
        self.name, self.image, self.ready_line, self.memory = name, pathlib.Path(image), ready_line, memory
        self.cmdline, self.addresses, self.extra_args = cmdline, addresses, list(extra_args)
        self.boot_timeout = boot_timeout

    def network(self, nic):
        return RouterNetwork(cmdline=self.cmdline, inside_nic=nic, outside_nic=nic, image=self.image,
                             memory=self.memory, stats_interval=0, addresses=self.addresses,
                             extra_args=self.extra_args)


def keel_kind(image):
    return RouterKind("keel", image, KEEL_READY, "64M", "sysctl.net.ipv4.ip_forward=1", addresses=True)


def linux_kind(directory, conntrack_max=None):
    directory = pathlib.Path(directory)
    router = "eth0=10.97.0.1/24,eth1=10.98.0.1/24"
    table = f" linux_guest.conntrack_max={conntrack_max}" if conntrack_max else ""
    return RouterKind("linux", directory / "vmlinuz", LINUX_READY, "256M",
                      f"console=ttyS0 quiet panic=-1 linux_guest.router={router}{table}", addresses=False,
                      extra_args=["-initrd", str(directory / "initramfs.cpio.gz")], boot_timeout=180)


# -- loads --------------------------------------------------------------------------

def start_server(side, cmd, ready=None):
    """A server in side's namespace; waits for its `ready` line if given."""
    process = side.popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    if ready is not None and process.stdout.readline().strip() != ready:
        stop_process(process)
        raise HarnessError(f"{cmd[0]} server did not start")
    return process


def stop_process(process):
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def iperf3(router, duration, client_arguments):
    """One bounded iperf3 run inside -> outside; its JSON (or {"error": ...})."""
    server = start_server(router.outside, ["iperf3", "-s", "-1", "-p", str(IPERF_PORT)])
    try:
        time.sleep(0.5)
        cmd = ["iperf3", "-c", router.outside.host_ip, "-p", str(IPERF_PORT), "-t", str(duration), "-J",
               "--connect-timeout", "5000", *client_arguments]
        try:
            result = router.inside.run(cmd, timeout=duration + 30)
        except subprocess.TimeoutExpired:
            return {"error": f"iperf3 did not finish within {duration + 30} s"}
    finally:
        stop_process(server)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"error": (result.stdout + result.stderr).strip()[-300:]}
    return report if "error" not in report else {"error": report["error"]}


def tcp_throughput(router, duration, streams):
    report = iperf3(router, duration, ["-P", str(streams)])
    if "error" in report:
        return {"error": report["error"]}
    received = report["end"]["sum_received"]
    return {"mib_per_second": received["bytes"] / received["seconds"] / 2 ** 20,
            "retransmits": report["end"]["sum_sent"].get("retransmits")}


def frames_out(path):
    """Frames that came out on the outside network so far: the router's eth1
    transmissions (its tap's rx_packets), or the veth's with no router."""
    if isinstance(path, RouterNetwork):
        return path.outside.tap_counters()["rx_packets"]
    return path.frames_out()


def udp_packets(router, duration, rate):
    """Datagrams/s the inside sent and the outside's iperf3 received (iperf3's
    own counts), and frames/s that left the router on the outside (the
    interface's counter: it does not depend on the receiving socket keeping
    up; it includes iperf3's few control segments)."""
    before = frames_out(router)
    report = iperf3(router, duration, ["-u", "-l", str(UDP_PAYLOAD), "-b", rate])
    if "error" in report:
        return {"error": report["error"]}
    forwarded = frames_out(router) - before
    summary = report["end"]["sum"]
    seconds = summary["seconds"] or duration
    sent = summary["packets"]
    received = sent - summary["lost_packets"]
    return {"sent_pps": sent / seconds, "received_pps": received / seconds, "forwarded_pps": forwarded / seconds,
            "sent": sent, "received": received, "forwarded_frames": forwarded, "seconds": seconds}


def connections_per_second(router, duration, workers):
    server = start_server(router.outside, [PYTHON, "-c", CONNECT_SERVER, str(CONNECT_PORT), str(duration + 15)],
                          ready="server: ready")
    try:
        try:
            result = router.inside.run([PYTHON, "-c", CONNECT_CLIENT, router.outside.host_ip, str(CONNECT_PORT),
                                        str(duration), str(workers)], timeout=duration + 30)
        except subprocess.TimeoutExpired:
            return {"error": f"client did not finish within {duration + 30} s"}
    finally:
        stop_process(server)
    try:
        counts = json.loads(result.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": (result.stdout + result.stderr).strip()[-300:]}
    counts["per_second"] = counts["completed"] / counts["seconds"]
    peers = re.findall(r"^peer: (\S+)$", server.stdout.read(), re.M)
    counts["source_seen_outside"] = peers[0] if peers else None
    return counts


def ping_median(router):
    result = router.inside.run(["ping", "-n", "-c", str(PING_COUNT), "-i", "0.02", "-W", "2",
                                router.outside.host_ip], timeout=PING_COUNT * 0.02 + 30)
    rtts = [float(value) for value in re.findall(r"time=([\d.]+) ms", result.stdout)]
    return {"median_ms": statistics.median(rtts) if rtts else None, "replies": len(rtts)}


def ruleset_line(log):
    """The guest's own word that the ruleset is in (keel's nft, or the Linux guest's /init)."""
    match = re.search(r"(nft: ruleset loaded[^\n]*|linux-guest: ruleset loaded[^\n]*|linux-guest: nft -f failed)",
                      log)
    return match.group(1) if match else "no ruleset line on the console"


def conntrack_line(log):
    """The conntrack table's size as the guest reports it at boot."""
    match = re.search(r"(conntrack: \d+ entries[^\n]*|linux-guest: nf_conntrack_max=[^\n]*)", log)
    return match.group(1) if match else None


def conntrack_entries(line):
    match = re.search(r"conntrack: (\d+) entries|nf_conntrack_max=(\d+)", line or "")
    return int(match.group(1) or match.group(2)) if match else None


def wait_until_forwarding(router, timeout):
    """Pings through the router until one comes back."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if router.process.poll() is not None:
            return False
        result = router.inside.run(["ping", "-n", "-c", "1", "-W", "1", router.outside.host_ip], timeout=10)
        if result.returncode == 0:
            return True
    return False


# -- one router, one NIC ------------------------------------------------------------

def measure(kind, nic, args, log):
    if not kind.image.exists():
        log(f"  {kind.name}: {kind.image} was not built")
        return {"status": "not built"}
    router = kind.network(nic)
    figures = {}
    try:
        router.start(until=kind.ready_line, timeout=kind.boot_timeout)
        if not wait_until_forwarding(router, 30):
            log(f"  {kind.name}/{nic}: no ping through the router; serial log tail:\n{router.log[-1500:]}")
            return {"status": "not forwarding"}
        figures["status"] = "forwarding"
        figures["ruleset"] = ruleset_line(router.log)
        figures["conntrack"] = conntrack_line(router.log)
        log(f"  {kind.name}/{nic}: {figures['ruleset']}; {figures['conntrack']}")
        run_loads(router, f"{kind.name}/{nic}", args, log, figures)
    finally:
        router.stop()
    return figures


def run_loads(path, name, args, log, figures):
    """Every load across path (a router's two sides, or the host's veth)."""
    figures["ping"] = ping_median(path)
    log(f"  {name}: ping {figures['ping']}")
    for streams in TCP_STREAMS:
        figures[f"tcp_{streams}"] = tcp_throughput(path, args.duration, streams)
        log(f"  {name}: TCP {streams} stream(s) {figures[f'tcp_{streams}']}")
    figures["udp"] = udp_packets(path, args.duration, args.udp_rate)
    log(f"  {name}: UDP {UDP_PAYLOAD} B {figures['udp']}")
    figures["connections"] = connections_per_second(path, args.duration, args.connection_workers)
    log(f"  {name}: new connections {figures['connections']}")


def measure_host_path(args, log):
    """The same loads over a veth pair, no router: the host tools' ceiling."""
    log("bench-forward: the host's ceiling (veth, no router)")
    figures = {"status": "forwarding"}
    try:
        with HostPath() as path:
            run_loads(path, "no router", args, log, figures)
    except (OSError, subprocess.SubprocessError) as error:
        log(f"  no router: measurement failed: {error}")
        return {"status": "failed", "error": str(error)[-500:]}
    return figures


# -- the table ----------------------------------------------------------------------

ROWS = [
    ("TCP MiB/s, 1 stream", ("tcp_1", "mib_per_second"), "{:.1f}"),
    ("TCP MiB/s, 8 streams", ("tcp_8", "mib_per_second"), "{:.1f}"),
    ("UDP 64 B sent pps", ("udp", "sent_pps"), "{:.0f}"),
    ("UDP 64 B out frames/s", ("udp", "forwarded_pps"), "{:.0f}"),
    ("UDP 64 B received pps", ("udp", "received_pps"), "{:.0f}"),
    ("new conn/s through NAT", ("connections", "per_second"), "{:.0f}"),
    ("ping RTT median ms", ("ping", "median_ms"), "{:.3f}"),
]


def lookup(figures, path):
    value = figures
    for key in path:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def cell(figures, path, form):
    value = lookup(figures, path)
    if value is not None:
        return form.format(value)
    if figures.get("status") != "forwarding":
        return figures.get("status", "-")
    return "failed" if "error" in (figures.get(path[0]) or {}) else "-"


def format_table(nic, columns, command, ceiling=None):
    """columns: [(name, figures)], a ratio column when there are two; then
    the host's ceiling (the same loads with no router) when measured."""
    header = f"{'':26}" + "".join(f"{name:>16}" for name, _ in columns)
    if len(columns) == 2:
        header += f"{columns[0][0] + '/' + columns[1][0]:>16}"
    if ceiling is not None:
        header += f"{'no router':>16}"
    lines = [f"{nic} (both NICs), {command}", header]
    for label, path, form in ROWS:
        row = f"{label:26}" + "".join(f"{cell(figures, path, form):>16}" for _, figures in columns)
        if len(columns) == 2:
            values = [lookup(figures, path) for _, figures in columns]
            ratio = values[0] / values[1] if values[0] is not None and values[1] else None
            row += f"{ratio:>16.2f}" if ratio is not None else f"{'-':>16}"
        if ceiling is not None:
            row += f"{cell(ceiling, path, form):>16}"
        lines.append(row)
    for name, figures in columns:
        if figures.get("ruleset"):
            lines.append(f"  {name}: {figures['ruleset']}; {figures.get('conntrack')}")
        connections = figures.get("connections") or {}
        if "completed" in connections:
            lines.append(f"  {name}: {connections['completed']} connections completed, "
                         f"{connections['failed']} failed; the outside server saw them from "
                         f"{connections.get('source_seen_outside')}")
        udp = figures.get("udp") or {}
        if "sent" in udp:
            lines.append(f"  {name}: UDP {udp['sent']} datagrams sent, {udp.get('forwarded_frames')} frames "
                         f"out on the outside, {udp['received']} received by iperf3 in {udp['seconds']:.2f} s")
        for key in ("tcp_1", "tcp_8", "udp", "connections"):
            if "error" in (figures.get(key) or {}):
                lines.append(f"  {name}: {key} failed: {figures[key]['error']}")
    return "\n".join(lines)


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keel", required=True, help="keel.elf built with NFT=tests/qemu/nft/router.nft")
    parser.add_argument("--linux", help="directory of the Linux router guest (linux_guest.py --router-ruleset)")
    parser.add_argument("--nic", action="append", help="QEMU -device NIC, both sides (default: e1000, virtio-net-pci)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--only", choices=["keel", "linux"], help="measure one router only")
    parser.add_argument("--udp-rate", default="200M", help="iperf3 -b for the 64-byte UDP load (bits/s)")
    parser.add_argument("--connection-workers", type=int, default=8, help="parallel clients for conn/s")
    parser.add_argument("--linux-conntrack-max", default="keel", metavar="N|keel|debian",
                        help="the Linux router's conntrack table size: keel's (as keel reports it at boot, "
                             f"{DEFAULT_CONNTRACK_MAX} when keel is not measured), N, or Debian's own default")
    parser.add_argument("--no-host-ceiling", action="store_true",
                        help="skip the same loads over a veth pair with no router (the host tools' ceiling)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, boot nothing")
    args = parser.parse_args(argv)
    if args.linux_conntrack_max not in ("keel", "debian") and not args.linux_conntrack_max.isdigit():
        parser.error("--linux-conntrack-max takes a number, keel or debian")
    if args.duration < 1 or args.connection_workers < 1:
        parser.error("--duration and --connection-workers must be at least 1")
    args.nic = args.nic or ["e1000", "virtio-net-pci"]
    return args


def kinds_for(args):
    kinds = [] if args.only == "linux" else [keel_kind(args.keel)]
    if args.linux and args.only != "keel":
        kinds.append(linux_kind(args.linux, linux_conntrack_max(args, {})))
    return kinds


def linux_conntrack_max(args, keel_figures):
    """The Linux router's table size: "configured the same way" as keel by default."""
    if args.linux_conntrack_max == "debian":
        return None
    if args.linux_conntrack_max == "keel":
        return conntrack_entries(keel_figures.get("conntrack")) or DEFAULT_CONNTRACK_MAX
    return int(args.linux_conntrack_max)


def dry_run(args, kinds):
    for nic in args.nic:
        for kind in kinds:
            print(f"bench-forward: {kind.name}/{nic}: {' '.join(kind.network(nic).qemu_command())}")
    if not args.no_host_ceiling:
        print("bench-forward: no router: the same loads over a veth pair (bench/host_path.py)")
    print(f"bench-forward: loads of {args.duration} s: iperf3 TCP {' and '.join(map(str, TCP_STREAMS))} stream(s), "
          f"UDP -l {UDP_PAYLOAD} -b {args.udp_rate}, {args.connection_workers} connection workers, "
          f"{PING_COUNT} pings")


def main(argv=None):
    args = parse_arguments(argv)
    kinds = kinds_for(args)
    if args.dry_run:
        return dry_run(args, kinds)
    if os.geteuid() != 0:
        sys.exit("bench-forward: needs root (network namespaces, tap devices)")
    results = pathlib.Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    command = f"duration {args.duration} s, UDP -b {args.udp_rate}, {args.connection_workers} conn workers"

    def log(text):
        print(text, flush=True)

    tables = []
    ceiling = None if args.no_host_ceiling else measure_host_path(args, log)
    for nic in args.nic:
        columns = []
        for kind in kinds:
            if kind.name == "linux":
                keel_figures = dict(columns).get("keel", {})
                kind = linux_kind(args.linux, linux_conntrack_max(args, keel_figures))
            log(f"bench-forward: {kind.name} with {nic}")
            try:
                figures = measure(kind, nic, args, log)
            except (HarnessError, OSError, subprocess.SubprocessError) as error:
                log(f"  {kind.name}/{nic}: measurement failed: {error}")
                figures = {"status": "failed", "error": str(error)[-500:]}
            columns.append((kind.name, figures))
        table = format_table(nic, columns, command, ceiling)
        tables.append(table)
        name = f"{stamp}-forward-{nic.split(',')[0]}"
        (results / f"{name}.txt").write_text(table + "\n")
        (results / f"{name}.json").write_text(json.dumps({"nic": nic, "date": stamp, "duration_s": args.duration,
                                                         "udp_rate": args.udp_rate,
                                                         "connection_workers": args.connection_workers,
                                                         "routers": dict(columns), "no_router": ceiling},
                                                        indent=2) + "\n")
        log(table)
        log(f"bench-forward: wrote {results / name}.txt and .json")
    print("\n\n".join(tables))


if __name__ == "__main__":
    main()
