#!/usr/bin/env python3
"""boot_time.py - where the time from QEMU's exec to keel's first HTTP 200
goes (issue 12), per machine, as the median of N boots:

    boot_time.py --keel DIR [--runs 10] [--nic virtio-net-device --nic virtio-net-pci]

  QEMU start     QEMU's exec to the guest's first instruction (the VM
                 starting): the host-side arrival of keel's first console
                 byte minus the guest's own time up to it (below);
  firmware       the TSC at keel's entry: under TCG the guest's TSC is the
                 host's, counted from the VM's start, so its value at entry
                 is what the firmware (qboot / SeaBIOS) and the loader took
                 (keel prints it with initcall_debug);
  keel init      kernel entry to the app listening: the "httpd:" line's
                 arrival on the host, minus the two above;
  network        from there to the first 200 seen by the poller
                 (tests/lib/boot_timing.py: a refused connection retried
                 at once, a new one every 10 ms);
  total          QEMU's exec to the first 200 (bench.py's figure);
  QEMU CPU       CPU time QEMU's threads ran up to the first 200 (schedstat):
                 on a loaded host, closer to an idle host's figure than the
                 wall clock.

The floor is measured too: a minimal PVH guest (written here, assembled with
nasm: it writes one byte to COM1 and exits through isa-debug-exit) on the
same microvm command line; its first byte's arrival is QEMU's start plus a
few microseconds of firmware. Each keel boot adds initcall_debug to the
command line (about 1 KiB more console output than bench.py's boots).
"""
import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402
import boot_timing  # noqa: E402  (bench put tests/lib on the path)
from netharness import HarnessError  # noqa: E402
from qemu_boot import QEMU  # noqa: E402

MINIMAL_GUEST_ASM = """
; the smallest PVH guest: 'X' on COM1, then exit through isa-debug-exit
BITS 32
section .note align=4
    dd 4, 4, 18            ; namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd start
section .text
global start
start:
    mov dx, 0x3f8
    mov al, 'X'
    out dx, al
    mov dx, 0xf4
    xor al, al
    out dx, al
.halt:
    hlt
    jmp .halt
"""
MINIMAL_GUEST_LD = """
ENTRY(start)
PHDRS { text PT_LOAD; note PT_NOTE; }
SECTIONS { . = 0x100000; .text : { *(.text) } :text .note : { *(.note) } :text :note }
"""
PARTS = ("qemu_start", "firmware", "keel_init", "network", "total", "qemu_cpu")


class TimedGuest(bench.BenchGuest):
    """BenchGuest that also records when each piece of console output arrived."""

    def _read_serial(self):
        self.arrivals = []
        stream = self.process.stdout
        while True:
            data = stream.read1(65536)
            if not data:
                break
            now = time.time()
            with self._log_lock:
                text = data.decode("utf-8", "replace").replace("\r", "")
                self.arrivals.append((now, sum(len(piece) for piece in self._log), text))
                self._log.append(text)
                self._log_lock.notify_all()
        with self._log_lock:
            self._log_lock.notify_all()

    def arrival_of(self, needle):
        at = self.log.find(needle)
        if at < 0:
            return None
        return next((when for when, offset, text in self.arrivals if offset + len(text) > at), None)


def keel_boot(kind, nic):
    """One boot's parts in ms, or None when it did not serve."""
    net = kind.guest(nic, poll_limit=kind.boot_timeout, extra_cmdline="initcall_debug", guest_class=TimedGuest)
    try:
        net.start(until=None)
        first_200 = boot_timing.poller_result(net.poller, net.poll_limit + 10)
        cpu = boot_timing.qemu_cpu_seconds(net.process.pid, net.exec_stamp)
        net.wait_for_log("initcall kernel entered", timeout=10)
        started = boot_timing.read_exec_stamp(net.exec_stamp)
        log = net.log
        entry = re.search(r"initcall kernel entered (\d+) us", log)
        init = re.search(r"init done in ([\d.]+) ms", log)
        listening = net.arrival_of("httpd: ")
        if None in (first_200, started, entry, init, listening) or not net.arrivals:
            return None
        entry_s, init_s = int(entry.group(1)) / 1e6, float(init.group(1)) / 1e3
        vm_start = net.arrivals[0][0] - entry_s - init_s
        return {"qemu_start": (vm_start - started) * 1e3, "firmware": entry_s * 1e3,
                "keel_init": (listening - vm_start - entry_s) * 1e3, "network": (first_200 - listening) * 1e3,
                "total": (first_200 - started) * 1e3, "qemu_cpu": cpu * 1e3 if cpu is not None else None}
    finally:
        net.stop()


def minimal_guest(directory):
    directory = pathlib.Path(directory)
    (directory / "minimal.asm").write_text(MINIMAL_GUEST_ASM)
    (directory / "minimal.ld").write_text(MINIMAL_GUEST_LD)
    subprocess.run(["nasm", "-f", "elf32", "-o", str(directory / "minimal.o"), str(directory / "minimal.asm")],
                   check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-T", str(directory / "minimal.ld"), "-o",
                    str(directory / "minimal.elf"), str(directory / "minimal.o")], check=True)
    return directory / "minimal.elf"


def minimal_boot(image, machine):
    """(ms from exec to the first console byte, QEMU CPU ms to its exit)."""
    stamp = pathlib.Path(image).with_name("exec-time")
    command = [QEMU, "-M", machine, "-m", "64", "-smp", "1", "-display", "none", "-vga", "none", "-no-reboot",
               "-monitor", "none", "-serial", "stdio", "-nodefaults", "-no-user-config", "-kernel", str(image),
               "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    process = subprocess.Popen(boot_timing.exec_stamped(command, stamp), stdout=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = process.stdout.read(1)
    arrived = time.time()
    _, _, usage = os.wait4(process.pid, 0)
    started, wrapper_cpu = boot_timing.read_exec_stamp(stamp, with_cpu=True)
    if first != b"X" or started is None:
        return None
    return (arrived - started) * 1e3, (usage.ru_utime + usage.ru_stime - wrapper_cpu) * 1e3


def median_row(values):
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keel", required=True, help="build directory holding keel.elf")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--nic", action="append", help="default: virtio-net-device (microvm), virtio-net-pci (pc)")
    args = parser.parse_args()
    kind = bench.keel_kind(args.keel)
    workdir = tempfile.mkdtemp(prefix="keel-boot-time-")
    try:
        image = minimal_guest(workdir)
        floor = [minimal_boot(image, bench.MICROVM_MACHINE) for _ in range(args.runs)]
        floor = [value for value in floor if value is not None]
        print(f"minimal PVH guest on -M {bench.MICROVM_MACHINE}, exec -> first byte (ms): median "
              f"{median_row([wall for wall, _ in floor]):.1f} (min {min(wall for wall, _ in floor):.1f}); "
              f"QEMU CPU to exit: median {median_row([cpu for _, cpu in floor]):.1f}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'ms, median of ' + str(args.runs):24}" + "".join(f"{part:>12}" for part in PARTS))
    for nic in args.nic or [bench.MICROVM_NIC, "virtio-net-pci"]:
        boots = []
        for _ in range(args.runs):
            try:
                boots.append(keel_boot(kind, nic))
            except HarnessError as error:
                print(f"  {nic}: boot failed: {str(error).splitlines()[0]}", flush=True)
        served = [boot for boot in boots if boot]
        label = f"{'microvm' if nic == bench.MICROVM_NIC else 'pc'} {nic}"
        if not served:
            print(f"{label:24}  not serving")
            continue
        row = [median_row([boot[part] for boot in served]) for part in PARTS]
        print(f"{label:24}" + "".join(f"{value:>12.1f}" if value is not None else f"{'-':>12}" for value in row),
              flush=True)
        print(f"  {label} totals: " + ", ".join(f"{boot['total']:.1f}" for boot in served), flush=True)


if __name__ == "__main__":
    main()
