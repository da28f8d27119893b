"""Booting a keel image in QEMU and reading its serial console: the image
paths (KERNEL_ELF, KERNEL_ISO, KERNEL_EFI under $KEEL_BUILD), Boot (one QEMU
run, kernel/ISO/EFI, BIOS or UEFI), boot() and require_image().

QEMU runs under TCG by default: on our machines /dev/kvm is a nested
hypervisor far slower than TCG. KEEL_ACCEL=kvm forces KVM, KEEL_ACCEL=auto
picks KVM only when a quick probe boot is faster than TCG.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("KEEL_BUILD", ROOT / "build"))
KERNEL_ELF = BUILD / "keel.elf"
KERNEL_ISO = BUILD / "keel.iso"
KERNEL_EFI = BUILD / "BOOTX64.EFI"
OVMF_CODE = pathlib.Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = pathlib.Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
QEMU = os.environ.get("KEEL_QEMU", "qemu-system-x86_64")
READY_LINE = "keel: ready"


def _probe_seconds(accel):
    """Time to boot the kernel to the ready line with this accelerator."""
    start = time.monotonic()
    try:
        result = Boot(KERNEL_ELF, accel=accel).run(until=READY_LINE, timeout=20)
    except Exception:
        return float("inf")
    return time.monotonic() - start if READY_LINE in result.log else float("inf")


_accel_choice = None


def accel():
    """The accelerator QEMU tests use (see module docstring)."""
    global _accel_choice
    if _accel_choice is None:
        wanted = os.environ.get("KEEL_ACCEL", "tcg")
        if wanted == "auto":
            kvm_ok = os.access("/dev/kvm", os.R_OK | os.W_OK)
            _accel_choice = "kvm" if kvm_ok and _probe_seconds("kvm") < _probe_seconds("tcg") else "tcg"
        else:
            _accel_choice = wanted
    return _accel_choice


def _has_complete_line_with(data, text):
    """Whether a whole line (up to its newline) containing text has arrived,
    so that callers never see half of the line they waited for."""
    decoded = data.decode("utf-8", "replace")
    index = decoded.find(text)
    return index >= 0 and "\n" in decoded[index:]


class BootResult:
    def __init__(self, log, returncode, timed_out):
        self.log = log
        self.returncode = returncode
        self.timed_out = timed_out

    def lines(self):
        return self.log.splitlines()

    def line_with(self, text):
        """The first line containing text; fails the test with the log if none."""
        for line in self.lines():
            if text in line:
                return line
        pytest.fail(f"no line containing {text!r} in the serial log:\n{self.log}")

    def __contains__(self, text):
        return text in self.log


class Boot:
    """One QEMU run of a keel image.

    kind: 'kernel' (multiboot1 via -kernel), 'iso' (GRUB via CD-ROM) or 'efi'
    (BOOTX64.EFI on a FAT drive). firmware: 'bios' (SeaBIOS) or 'uefi' (OVMF).
    """

    def __init__(self, image=None, kind="kernel", firmware="bios", machine="pc", memory="64M",
                 cmdline="", extra_args=(), accel=None):
        self.image = pathlib.Path(image or KERNEL_ELF)
        self.kind = kind
        self.firmware = firmware
        self.machine = machine
        self.memory = memory
        self.cmdline = cmdline
        self.extra_args = list(extra_args)
        self.accel = accel
        self.tmpdir = tempfile.mkdtemp(prefix="keel-qemu-")

    def command(self):
        cmd = [QEMU, "-M", self.machine, "-accel", self.accel or accel(), "-m", self.memory, "-smp", "1",
               "-display", "none", "-vga", "none", "-no-reboot", "-monitor", "none",
               "-serial", "stdio", "-nodefaults"]
        if self.firmware == "uefi":
            vars_copy = pathlib.Path(self.tmpdir) / "OVMF_VARS.fd"
            shutil.copy(OVMF_VARS, vars_copy)
            cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                    "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
        if self.kind == "kernel":
            cmd += ["-kernel", str(self.image)]
            if self.cmdline:
                cmd += ["-append", self.cmdline]
        elif self.kind == "iso":
            cmd += ["-drive", f"file={self.image},media=cdrom,format=raw,readonly=on", "-boot", "d"]
        elif self.kind == "efi":
            esp = pathlib.Path(self.tmpdir) / "esp"
            (esp / "EFI" / "BOOT").mkdir(parents=True)
            shutil.copy(self.image, esp / "EFI" / "BOOT" / "BOOTX64.EFI")
            if self.cmdline:
                # The loader reads its command line from this file (see boot/efi/).
                (esp / "EFI" / "BOOT" / "keel.cmdline").write_text(self.cmdline + "\n")
            cmd += ["-drive", f"file=fat:rw:{esp},format=raw,if=ide"]
        else:
            raise ValueError(self.kind)
        return cmd + self.extra_args

    def run(self, until=READY_LINE, timeout=60, settle=0.0):
        """Runs QEMU until a line containing `until` appears (then waits
        `settle` seconds more), QEMU exits, or timeout. Always kills QEMU."""
        cmd = self.command()
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        os.set_blocking(process.stdout.fileno(), False)
        chunks = []
        deadline = time.monotonic() + timeout
        found_at = None
        timed_out = False
        try:
            while True:
                now = time.monotonic()
                if found_at is not None and now >= found_at + settle:
                    break
                if now >= deadline:
                    timed_out = True
                    break
                data = process.stdout.read()
                if data:
                    chunks.append(data)
                    if found_at is None and until and _has_complete_line_with(b"".join(chunks), until):
                        found_at = time.monotonic()
                elif process.poll() is not None:
                    data = process.stdout.read()
                    if data:
                        chunks.append(data)
                    break
                else:
                    time.sleep(0.02)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        log = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
        sys.stdout.write(f"--- qemu: {' '.join(cmd)}\n{log}\n--- end\n")
        return BootResult(log, process.returncode, timed_out)


def boot(**kwargs):
    """Boot helper: boot(cmdline=..., memory=..., until=..., timeout=...)."""
    run_args = {k: kwargs.pop(k) for k in ("until", "timeout", "settle") if k in kwargs}
    return Boot(**kwargs).run(**run_args)


def require_image(path):
    if not pathlib.Path(path).exists():
        pytest.fail(f"{path} is missing: run 'make images' (make test builds it)")

