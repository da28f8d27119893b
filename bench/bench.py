#!/usr/bin/env python3
"""bench.py - the figures of `make bench` (issue 4), for keel and optionally
a Linux + nginx guest, under the same QEMU setup as the tests.

    bench.py --keel DIR [--linux DIR] [--nic e1000 --nic virtio-net-pci --nic virtio-net-device]
             [--duration 10] [--results bench/results]
             [--first-200-runs N] [--part first200|latency|operator] [--skip latency|operator]

Each guest boots in its own network namespace with a tap (GuestNetwork from
tests/lib/netharness.py: TCG, -M pc -smp 1, plain tap, -nodefaults -vga
none -display none; -m 64 for keel, 256 for Linux), without the harness's
pcap (it would record every byte wrk moves). QEMU flags are the same for
both guests; the bench adds one to the harness's: the NIC gets romfile=
(no option ROM), as for any appliance that does not boot from the network:
SeaBIOS then neither maps nor runs the NIC's iPXE ROM (about 10 ms of a
TCG boot). The host side runs, inside that namespace:
  first 200   a poller started before QEMU tries connections (a refused one
              again at once, besides a new one every 10 ms) and sends
              GET /1k.bin on the first that connects; the figure is the time from
              QEMU's exec (stamped by a wrapper just before it) to the first
              "200" status line (tests/lib/boot_timing.py; the median of
              --first-200-runs boots; --part first200 measures only this;
              bench/boot_time.py breaks it down).
              With e1000 it cannot be below 1 s plus the boot to the
              driver's RCTL write: QEMU's 82540EM model (hw/net/e1000.c,
              flush_queue_timer) receives nothing for 1000 ms after every
              RCTL write, whoever the guest is;
  ping        200 pings, 10 ms apart: the median RTT;
  1 KiB       wrk -t1 -c1 and wrk -t2 -c64, --latency: requests/s, p50, p99;
  1 MiB       wrk -t1 -c1 on /1m.bin: MiB/s, p50, p99;
  forced TX notifications  keel on virtio-net: its driver's lost-notification
              safety net (`ethtool -S eth0` on the console after the wrk
              runs: tx_forced_notifications), which must stay 0;
  memory      the smallest -m (MiB) with which a fresh boot serves /1m.bin
              byte-complete, by bisection;
  image size  keel.elf (BOOTX64.EFI listed below the table); for Linux
              vmlinuz + initramfs;
  latency under load  (keel only: bench/latency_load.py) a boot with
              keel.shape=eth0:20mbit: idle ping RTT, then ping p50/p99 and
              goodput under 8 download flows with fq_codel, then with
              pfifo_fast under the shaper (--part latency: just these);
  operator cost  (keel only: bench/operator_cost.py) wrk -c64 on 1 KiB with
              the console off, on, /metrics scraped once a second, and a
              /pcap capture streaming (--part operator: just these);
  unshaped qdisc  (keel only: bench/qdisc_cost.py) wrk -c1 and -c64 on 1 KiB
              with fq_codel and with pfifo_fast as the default qdisc, two
              boots of each in alternation (--part qdisc: just these).
The NIC virtio-net-device is the microVM row: QEMU -M microvm (no firmware
path, no PCI, ACPI on, the modern virtio-mmio transport), keel booted by its
PVH entry (build/keel-pvh.elf: keel.elf with the multiboot1 magic zeroed,
as tests/qemu/test_microvm.py boots it, since QEMU prefers multiboot) with the
device's virtio_mmio.device= entry and its IOAPIC line. The Linux guest is
not measured there: the bench's initramfs loads virtio_pci, not
virtio_mmio, and its bzImage path on microvm is untested (column "not run").
A guest that never answers HTTP is reported as "not serving" and its HTTP
figures are left out, never a crash. The table (keel | linux | keel/linux)
is printed and written to RESULTS/<date>-<nic>.txt and .json.
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
sys.path.insert(0, str(ROOT / "boot"))

import boot_timing  # noqa: E402
from netharness import GUEST_IP, GuestNetwork, HarnessError  # noqa: E402

import latency_load  # noqa: E402
import operator_cost  # noqa: E402
import pvh_image  # noqa: E402
import qdisc_cost  # noqa: E402

SMALL_FILE = "/1k.bin"
SMALL_BYTES = 1024
LARGE_FILE = "/1m.bin"
LARGE_BYTES = 1048576
LINUX_READY = "linux-guest: ready"
# The microVM row (see the docstring; the values are tests/qemu/test_microvm.py's).
MICROVM_NIC = "virtio-net-device"
MICROVM_MACHINE = "microvm"
MICROVM_ARGS = ["-global", "virtio-mmio.force-legacy=false"]
MICROVM_KEEL_CMDLINE = "keel.irq=intx virtio_mmio.device=512@0xfeb02e00:47"
KEEL_READY = "keel: ready"

class BenchGuest(GuestNetwork):
    """GuestNetwork for measurements: no pcap, no stats lines, a static
    neighbour entry (so that the first SYN does not wait for ARP), and the
    first-200 poller started just before QEMU."""

    def __init__(self, ready_line, poll_limit=0, **kwargs):
        super().__init__(stats_interval=0, **kwargs)
        self.ready_line = ready_line
        self.poll_limit = poll_limit
        self.poller = None
        self.exec_stamp = os.path.join(self.workdir, "qemu-exec-time")

    def qemu_command(self):
        cmd = super().qemu_command()
        for index, word in enumerate(cmd):
            if word == "-object" and cmd[index + 1].startswith("filter-dump,"):
                del cmd[index:index + 2]
                break
        for index, word in enumerate(cmd):
            if word == "-device" and cmd[index + 1].startswith(f"{self.nic},netdev=") and \
                    "romfile=" not in cmd[index + 1] and self.nic != MICROVM_NIC:
                cmd[index + 1] += ",romfile="
        return boot_timing.exec_stamped(cmd, self.exec_stamp)

    def _create_namespace(self):
        super()._create_namespace()
        self.run(["ip", "neigh", "replace", self.guest_ip, "lladdr", self.mac, "dev", self.tap,
                  "nud", "permanent"], check=True)
        if self.poll_limit:
            try:
                self.poller = boot_timing.start_poller(self.namespace, self.guest_ip, SMALL_FILE, self.poll_limit)
            except boot_timing.MeasurementError as error:
                raise HarnessError(str(error)) from error
        # start() runs QEMU right after this returns.

    def first_200_seconds(self):
        """Seconds from QEMU's exec to the first HTTP 200, or None."""
        first = boot_timing.poller_result(self.poller, self.poll_limit + 10)
        started = boot_timing.read_exec_stamp(self.exec_stamp)
        return None if first is None or started is None else first - started

    def stop(self):
        if self.poller is not None and self.poller.poll() is None:
            self.poller.kill()
            self.poller.wait()
        super().stop()

    def fetch(self, path, timeout=10):
        """(status, bytes) of one curl GET from the namespace."""
        result = self.run(["curl", "-sS", "-o", "/dev/null", "--max-time", str(timeout), "-w",
                           "%{http_code} %{size_download}", f"http://{self.guest_ip}{path}"],
                          timeout=timeout + 10)
        fields = result.stdout.split()
        return (int(fields[0]), int(fields[1])) if len(fields) == 2 else (0, 0)


class GuestKind:
    """How to boot one kind of guest: keel or the Linux baseline."""

    def __init__(self, name, image, ready_line, memory_mib, cmdline="", extra_args=(), memory_range=(2, 64),
                 memory_step=1, boot_timeout=30, sizes=(), console=False, microvm_image=None):
        self.name = name
        self.console = console            # keel: its console answers ethtool -S
        self.microvm_image = microvm_image  # what -M microvm boots; None: not measured there
        self.image = image
        self.ready_line = ready_line
        self.memory_mib = memory_mib
        self.cmdline = cmdline
        self.extra_args = list(extra_args)
        self.memory_range = memory_range
        self.memory_step = memory_step
        self.boot_timeout = boot_timeout
        self.sizes = sizes

    def guest(self, nic, memory_mib=None, poll_limit=0, extra_cmdline="", guest_class=None):
        machine, image, extra = "pc", self.image, self.extra_args
        cmdline = f"{self.cmdline} {extra_cmdline}".strip()
        if nic == MICROVM_NIC:
            machine, image = MICROVM_MACHINE, self.microvm_image()
            cmdline, extra = f"{cmdline} {MICROVM_KEEL_CMDLINE}".strip(), extra + MICROVM_ARGS
        return (guest_class or BenchGuest)(ready_line=self.ready_line, poll_limit=poll_limit, nic=nic, machine=machine,
                          memory=f"{memory_mib or self.memory_mib}M", image=image, cmdline=cmdline,
                          extra_args=extra, console=self.console)


def pvh_copy(image):
    """keel.elf with its multiboot1 magic zeroed (QEMU then boots the PVH
    entry): make's keel-pvh.elf beside it (boot/pvh_image.py), written here
    for a build directory from before make wrote it."""
    path = pathlib.Path(image).with_name("keel-pvh.elf")
    try:
        data = pvh_image.zero_multiboot1_magic(pathlib.Path(image).read_bytes(), image)
    except ValueError as error:
        raise HarnessError(str(error)) from error
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def keel_kind(directory):
    directory = pathlib.Path(directory)
    sizes = [(name, (directory / name).stat().st_size) for name in ("keel.elf", "BOOTX64.EFI")
             if (directory / name).exists()]
    return GuestKind("keel", directory / "keel.elf", KEEL_READY, 64, sizes=sizes, boot_timeout=20, console=True,
                     microvm_image=lambda: pvh_copy(directory / "keel.elf"))


def linux_kind(directory):
    directory = pathlib.Path(directory)
    kernel, initramfs = directory / "vmlinuz", directory / "initramfs.cpio.gz"
    return GuestKind("linux", kernel, LINUX_READY, 256, cmdline="console=ttyS0 quiet panic=-1",
                     extra_args=["-initrd", str(initramfs)], memory_range=(32, 512), memory_step=4,
                     boot_timeout=90,
                     sizes=[("vmlinuz", kernel.stat().st_size), ("initramfs", initramfs.stat().st_size)])


# -- measurements -----------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
BYTE_UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def wrk_milliseconds(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else None


def parse_wrk(output):
    """Requests/s, p50/p99 latency (ms), MiB/s and error counts from wrk."""
    figures = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["requests_per_second"] = float(match.group(1)) if match else None
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+(\S+)", output, re.M)
        figures[f"p{percent}_ms"] = wrk_milliseconds(match.group(1)) if match else None
    match = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB|TB)", output)
    figures["mib_per_second"] = float(match.group(1)) * BYTE_UNITS[match.group(2)] / 1024 ** 2 if match else None
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    figures["socket_errors"] = sum(map(int, match.groups())) if match else 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(match.group(1)) if match else 0
    return figures


def run_wrk(net, threads, connections, path, duration, latency=True):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s"]
    if latency:
        cmd.append("--latency")
    try:
        result = net.run(cmd + [f"http://{net.guest_ip}{path}"], timeout=duration + 30)
    except subprocess.TimeoutExpired:
        return {"requests_per_second": None, "error": f"wrk did not finish within {duration + 30} s"}
    figures = parse_wrk(result.stdout)
    if figures["requests_per_second"] is None:
        figures["error"] = (result.stdout + result.stderr).strip()[-300:]
    return figures


def driver_counters(net):
    """The NIC's counters from keel's console (`ethtool -S eth0`), {} when
    the console does not answer."""
    try:
        text = net.console("ethtool -S eth0", timeout=30)
    except HarnessError:
        return {}
    return {match.group(1): int(match.group(2)) for match in re.finditer(r"^\s*(\w+): (\d+)$", text, re.M)}


def wait_until_serving(net, timeout):
    """Polls GET /1m.bin until it comes back whole; False on timeout or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if net.process.poll() is not None:
            return False
        status, size = net.fetch(LARGE_FILE, timeout=5)
        if status == 200 and size == LARGE_BYTES:
            return True
        time.sleep(0.2)
    return False


def serves_with(kind, nic, memory_mib):
    net = kind.guest(nic, memory_mib)
    try:
        net.start(until=None)
        return wait_until_serving(net, kind.boot_timeout)
    finally:
        net.stop()


def smallest_memory(kind, nic, log):
    """Bisection over memory_range: the smallest -m (MiB) that serves."""
    low, high = kind.memory_range
    if not serves_with(kind, nic, high):
        return None
    step = kind.memory_step
    while high - low > step:
        middle = (low + high) // 2 // step * step
        if middle <= low:
            break
        ok = serves_with(kind, nic, middle)
        log(f"  {kind.name}: -m {middle} {'serves' if ok else 'does not serve'}")
        if ok:
            high = middle
        else:
            low = middle
    return high


def first_200_once(kind, nic):
    """One fresh boot: seconds from QEMU's start to the first HTTP 200, or None."""
    net = kind.guest(nic, poll_limit=kind.boot_timeout)
    try:
        net.start(until=None)
        return net.first_200_seconds()
    finally:
        net.stop()


def first_200_runs(kind, nic, runs, log, first=None):
    """runs boots' first-200 figures (the first one given when the full
    measurement already booted once); the median of those that served."""
    values = [] if first is None else [first]
    while len(values) < runs:
        values.append(first_200_once(kind, nic))
        log(f"  {kind.name}/{nic}: first HTTP 200 run {len(values)}: "
            f"{values[-1] if values[-1] is None else round(values[-1], 3)} s")
    served = [value for value in values if value is not None]
    return (statistics.median(served) if served else None), values


def keel_guest_maker(kind, nic):
    """make_guest(extra_cmdline, memory_mib=None) for the keel-only parts."""
    return lambda extra_cmdline, memory_mib=None: kind.guest(nic, memory_mib, extra_cmdline=extra_cmdline)


def latency_under_load(kind, nic, duration, log):
    """bench/latency_load.py's figures."""
    return latency_load.measure(keel_guest_maker(kind, nic), f"http://{GUEST_IP}{LARGE_FILE}", log)


def operator_costs(kind, nic, duration, log):
    """bench/operator_cost.py's figures."""
    return operator_cost.measure(keel_guest_maker(kind, nic), run_wrk, GUEST_IP, SMALL_FILE, duration, log)


def unshaped_qdiscs(kind, nic, duration, log):
    """bench/qdisc_cost.py's figures."""
    return qdisc_cost.measure(keel_guest_maker(kind, nic), run_wrk, SMALL_FILE, duration, log)


# The keel-only parts measured after the main figures, each on boots of its
# own: name (for BENCH_ONLY= / --part and --skip) -> (figures key, measure, rows).
PARTS = {
    "latency": ("shaped", latency_under_load, latency_load.ROWS),
    "operator": ("operator", operator_costs, operator_cost.ROWS),
    "qdisc": ("unshaped_qdisc", unshaped_qdiscs, qdisc_cost.ROWS),
}


def measure_part(name, kind, nic, duration, log):
    """One of PARTS for keel on the PCI NICs; None for Linux, the microVM, or a failure."""
    if kind.name != "keel" or nic == MICROVM_NIC:
        return None
    try:
        return PARTS[name][1](kind, nic, duration, log)
    except (HarnessError, OSError, subprocess.SubprocessError) as error:
        log(f"  {kind.name}/{nic}: {name} failed: {error}")
        return None


def measure(kind, nic, duration, log, memory=True, first_200_count=1, part=None, skipped=()):
    """Every figure for one guest and NIC; part: only that one (first200 or
    a PARTS name); skipped: PARTS names left out."""
    figures = {"image_bytes": dict(kind.sizes)}
    if not pathlib.Path(kind.image).exists():
        log(f"  {kind.name}: {kind.image} was not built")
        figures["status"] = "not built"
        return figures
    if nic == MICROVM_NIC and kind.microvm_image is None:
        log(f"  {kind.name}/{nic}: not run (no microVM boot for this guest, see bench.py)")
        figures["status"] = "not run"
        return figures
    if part in PARTS:
        figures[PARTS[part][0]] = measure_part(part, kind, nic, duration, log)
        figures["status"] = "serving"
        return figures
    if part == "first200":
        figures["first_200_s"], figures["first_200_runs_s"] = first_200_runs(kind, nic, first_200_count, log)
        figures["status"] = "serving" if figures["first_200_s"] is not None else "not serving"
        return figures
    net = kind.guest(nic, poll_limit=kind.boot_timeout)
    try:
        net.start(until=None)
        first = net.first_200_seconds()
        figures["first_200_s"] = first
        try:
            net.wait_for_log(kind.ready_line, timeout=kind.boot_timeout)
        except HarnessError as error:
            log(f"  {kind.name}: no '{kind.ready_line}' line ({str(error).splitlines()[0]})")
        log(f"  {kind.name}/{nic}: first HTTP 200 after {first if first is None else round(first, 3)} s")
        ping = net.ping(count=200, interval=0.01, quiet=False)
        figures["ping_median_ms"] = statistics.median(ping["rtts_ms"]) if ping["rtts_ms"] else None
        if first is None:
            figures["status"] = "not serving"
            log(f"  {kind.name}/{nic}: not serving HTTP: HTTP figures left out")
            return figures
        figures["status"] = "serving"
        figures["small_c1"] = run_wrk(net, 1, 1, SMALL_FILE, duration)
        log(f"  {kind.name}/{nic}: 1 KiB c1 {figures['small_c1']}")
        figures["small_c64"] = run_wrk(net, 2, 64, SMALL_FILE, duration)
        log(f"  {kind.name}/{nic}: 1 KiB c64 {figures['small_c64']}")
        figures["large_c1"] = run_wrk(net, 1, 1, LARGE_FILE, duration)
        log(f"  {kind.name}/{nic}: 1 MiB c1 {figures['large_c1']}")
        if kind.console:
            figures["driver_counters"] = driver_counters(net)
            forced = figures["driver_counters"].get("tx_forced_notifications")
            log(f"  {kind.name}/{nic}: forced TX notifications {forced}")
    finally:
        net.stop()
    if first_200_count > 1:
        figures["first_200_s"], figures["first_200_runs_s"] = first_200_runs(kind, nic, first_200_count, log, first)
    if memory:
        figures["min_memory_mib"] = smallest_memory(kind, nic, log)
        log(f"  {kind.name}/{nic}: smallest -m {figures['min_memory_mib']} MiB")
    for name, (key, _, _) in PARTS.items():
        if name not in skipped:
            figures[key] = measure_part(name, kind, nic, duration, log)
    return figures


# -- the table --------------------------------------------------------------------

ROWS = [
    ("1 KiB req/s, 1 conn", ("small_c1", "requests_per_second"), "{:.0f}", True),
    ("1 KiB p50 ms, 1 conn", ("small_c1", "p50_ms"), "{:.3f}", False),
    ("1 KiB p99 ms, 1 conn", ("small_c1", "p99_ms"), "{:.3f}", False),
    ("1 KiB req/s, 64 conn", ("small_c64", "requests_per_second"), "{:.0f}", True),
    ("1 KiB p50 ms, 64 conn", ("small_c64", "p50_ms"), "{:.3f}", False),
    ("1 KiB p99 ms, 64 conn", ("small_c64", "p99_ms"), "{:.3f}", False),
    ("1 MiB MiB/s, 1 conn", ("large_c1", "mib_per_second"), "{:.1f}", True),
    ("1 MiB p50 ms, 1 conn", ("large_c1", "p50_ms"), "{:.3f}", False),
    ("1 MiB p99 ms, 1 conn", ("large_c1", "p99_ms"), "{:.3f}", False),
    ("forced TX notifications", ("driver_counters", "tx_forced_notifications"), "{:.0f}", False),
    ("ping RTT median ms", ("ping_median_ms",), "{:.3f}", False),
    ("first HTTP 200 s", ("first_200_s",), "{:.3f}", False),
    ("smallest -m MiB", ("min_memory_mib",), "{:.0f}", False),
    ("image bytes", ("image_total",), "{:.0f}", False),
] + latency_load.ROWS + operator_cost.ROWS + qdisc_cost.ROWS


def lookup(figures, path):
    value = figures
    for key in path:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def format_table(nic, columns, rows=None):
    """columns: [(name, figures)]; a ratio column when there are two."""
    for _, figures in columns:
        sizes = figures.get("image_bytes", {})
        # What QEMU boots: keel.elf (BOOTX64.EFI carries the same kernel), or vmlinuz + initramfs.
        figures["image_total"] = sizes.get("keel.elf") or sum(sizes.values()) or None
    header = f"{'':24}" + "".join(f"{name:>14}" for name, _ in columns)
    if len(columns) == 2:
        header += f"{columns[0][0] + '/' + columns[1][0]:>14}"
    lines = [f"{nic}", header]
    for label, path, form, _ in rows or ROWS:
        values = [lookup(figures, path) for _, figures in columns]
        row = f"{label:24}"
        for (_, figures), value in zip(columns, values):
            if value is None and figures.get("status") != "serving" and \
                    path[0] not in ("image_total", "ping_median_ms"):
                row += f"{figures.get('status', '-'):>14}"
            elif value is None and isinstance(figures.get(path[0]), dict) and "error" in figures[path[0]]:
                row += f"{'wrk failed':>14}"
            else:
                row += f"{form.format(value) if value is not None else '-':>14}"
        if len(values) == 2:
            ratio = values[0] / values[1] if values[0] is not None and values[1] else None
            row += f"{ratio:>14.2f}" if ratio is not None else f"{'-':>14}"
        lines.append(row)
    for name, figures in columns:
        sizes = ", ".join(f"{key} {value}" for key, value in figures.get("image_bytes", {}).items())
        lines.append(f"  {name} image: {sizes}")
        runs = figures.get("first_200_runs_s")
        if runs and len(runs) > 1:
            listed = ", ".join("-" if value is None else f"{value:.3f}" for value in runs)
            lines.append(f"  {name} first HTTP 200, {len(runs)} boots (s): {listed}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keel", required=True, help="build directory holding keel.elf")
    parser.add_argument("--linux", help="directory holding the Linux guest (bench/linux_guest.py)")
    parser.add_argument("--nic", action="append",
                        help=f"QEMU -device NIC (default: e1000, virtio-net-pci, {MICROVM_NIC} = the microVM row)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-memory", action="store_true", help="skip the smallest -m bisection")
    parser.add_argument("--only", choices=["keel", "linux"], help="measure one guest only")
    parser.add_argument("--first-200-runs", type=int, default=1, metavar="N",
                        help="boots for the first-HTTP-200 figure (the median is reported)")
    parser.add_argument("--part", choices=["first200", *PARTS],
                        help="measure only this: the first-HTTP-200 figure (no -m bisection), or one keel-only part")
    parser.add_argument("--skip", action="append", choices=list(PARTS), default=[],
                        help="leave out a keel-only part (repeatable)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root (network namespaces, tap devices)")
    kinds = []
    if args.only != "linux":
        kinds.append(keel_kind(args.keel))
    if args.linux and args.only != "keel":
        kinds.append(linux_kind(args.linux))
    results = pathlib.Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")

    def log(text):
        print(text, flush=True)

    tables = []
    for nic in args.nic or ["e1000", "virtio-net-pci", MICROVM_NIC]:
        columns = []
        for kind in kinds:
            log(f"bench: {kind.name} with {nic}")
            try:
                figures = measure(kind, nic, args.duration, log, memory=not args.no_memory,
                                  first_200_count=max(1, args.first_200_runs), part=args.part,
                                  skipped=args.skip)
            except (HarnessError, OSError, subprocess.SubprocessError) as error:
                log(f"  {kind.name}/{nic}: measurement failed: {error}")
                figures = {"status": "failed", "error": str(error)[-500:]}
            columns.append((kind.name, figures))
        rows = None
        if args.part == "first200":
            rows = [row for row in ROWS if row[1][0] in ("first_200_s", "image_total")]
        elif args.part:
            rows = PARTS[args.part][2]
        table = format_table(nic, columns, rows)
        tables.append(table)
        name = f"{stamp}-{nic.split(',')[0]}" + (f"-{args.part}" if args.part else "")
        (results / f"{name}.txt").write_text(table + "\n")
        (results / f"{name}.json").write_text(json.dumps({"nic": nic, "date": stamp, "duration_s": args.duration,
                                                         "guests": dict(columns)}, indent=2) + "\n")
        log(table)
        log(f"bench: wrote {results / name}.txt and .json")
    print("\n\n".join(tables))


if __name__ == "__main__":
    main()
