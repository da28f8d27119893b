"""build/keel.img (`make disk`, boot/disk/) booted the way a cloud boots
it: from the disk alone, no -kernel and no command line from QEMU, on a
virtio disk with a virtio-net NIC.

  uefi  OVMF runs \\EFI\\BOOT\\BOOTX64.EFI, which reads \\EFI\\BOOT\\keel.cmdline
  bios  SeaBIOS runs GRUB (boot.img in the MBR, core.img in the BIOS boot
        partition), which reads \\boot\\grub\\grub.cfg and loads the kernel
        by multiboot2

One disk is built for both boots with `make disk CMDLINE=...` around the
kernel and loader under test (a scratch BUILD: the tree's build/ is left
alone). Its command line is the default's `ip=dhcp` plus a key no module
declares, so the kernel's warning about that key proves the line came from
the disk's configuration files; dnsmasq on the tap of tests/lib/netharness.py
leases the address (tests/lib/dnsmasq.py) and curl then gets the index page.
"""
import pathlib
import re
import shutil
import subprocess

import pytest

from dnsmasq import Dnsmasq
from netharness import GuestNetwork, require_network_namespaces
from qemu_boot import KERNEL_EFI, KERNEL_ELF, OVMF_CODE, OVMF_VARS, QEMU, ROOT, accel, require_image

PROBE_KEY = "boot_probe_disk"
GUEST_IP = "10.99.0.2"
HOST_IP = "10.99.0.1"
# What a cloud gets: the address by DHCP (dnsmasq on the tap leases the
# harness's guest address, so the namespace's socket guard still applies).
DISK_CMDLINE = f"ip=dhcp console=ttyS0 {PROBE_KEY}=1"
BOUND = re.compile(r"eth0: dhcp bound (\S+)/24 via (\S+) lease \d+ s server (\S+)")
BANNER = re.compile(r"booted via (\S+), loader '(.*)'")
BOOT_TIMEOUT = 180


class DiskGuest(GuestNetwork):
    """A GuestNetwork whose QEMU boots a disk image instead of -kernel: the
    disk on virtio-blk (first in the boot order, writes kept in a snapshot),
    the NIC virtio-net without an option ROM, OVMF or SeaBIOS."""

    def __init__(self, disk, firmware):
        super().__init__(nic="virtio-net-pci", guest_ip=GUEST_IP, host_ip=HOST_IP, stats_interval=0)
        self.disk = disk
        self.firmware = firmware
        self.dhcp_server = Dnsmasq(dhcp_range=f"{GUEST_IP},{GUEST_IP},255.255.255.0,1h")

    def _create_namespace(self):
        super()._create_namespace()
        self.dhcp_server.start(self)

    def stop(self):
        try:
            return super().stop()
        finally:
            self.dhcp_server.stop()

    def qemu_command(self):
        cmd = [QEMU, "-M", "pc", "-accel", accel(), "-m", "128M", "-smp", "1",
               "-display", "none", "-vga", "none", "-no-reboot", "-monitor", "none",
               "-serial", "stdio", "-nodefaults",
               "-drive", f"file={self.disk},if=none,id=disk0,format=raw,snapshot=on",
               "-device", "virtio-blk-pci,drive=disk0,bootindex=0",
               "-netdev", f"tap,id=n0,ifname={self.tap},script=no,downscript=no",
               "-device", f"virtio-net-pci,netdev=n0,mac={self.mac},romfile=",
               "-object", f"filter-dump,id=dump0,netdev=n0,file={self.pcap}"]
        if self.firmware == "uefi":
            variables = pathlib.Path(self.workdir) / "OVMF_VARS.fd"
            shutil.copy(OVMF_VARS, variables)
            cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                    "-drive", f"if=pflash,format=raw,unit=1,file={variables}"]
        return cmd


@pytest.fixture(scope="module")
def disk_image(tmp_path_factory):
    """keel.img from boot/disk/disk.mk with DISK_CMDLINE; `-o` keeps make
    from rebuilding the kernel and loader copied in: we test the ones given."""
    require_image(KERNEL_ELF)
    require_image(KERNEL_EFI)
    build = tmp_path_factory.mktemp("disk-build")
    shutil.copy(KERNEL_ELF, build / "keel.elf")
    shutil.copy(KERNEL_EFI, build / "BOOTX64.EFI")
    result = subprocess.run(["make", "-s", "-C", str(ROOT), f"BUILD={build}", f"-o{build}/keel.elf",
                             f"-o{build}/BOOTX64.EFI", f"CMDLINE={DISK_CMDLINE}", "disk"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"make disk failed:\n{result.stdout}\n{result.stderr}"
    image = build / "keel.img"
    sgdisk = subprocess.run(["sgdisk", "--print", str(image)], capture_output=True, text=True, timeout=30)
    assert re.search(r"\bEF02\b", sgdisk.stdout) and re.search(r"\bEF00\b", sgdisk.stdout), sgdisk.stdout
    return image


@pytest.mark.parametrize("firmware,booted_via,loader", [("uefi", "efi", "keel-efi"), ("bios", "multiboot2", "GRUB")])
def test_disk_boots_and_serves(disk_image, firmware, booted_via, loader):
    require_network_namespaces()
    with DiskGuest(disk_image, firmware) as net:
        net.start(timeout=BOOT_TIMEOUT)
        banner = BANNER.search(net.log)
        assert banner, net.log
        assert banner.group(1) == booted_via, banner.group(0)
        assert banner.group(2).startswith(loader), banner.group(0)
        assert f"cmdline: unknown parameter '{PROBE_KEY}' ignored" in net.log, net.log
        bound = BOUND.search(net.log)
        assert bound, net.log[-3000:]
        assert bound.groups() == (GUEST_IP, HOST_IP, HOST_IP), bound.group(0)
        result = net.run(["curl", "-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}",
                          f"http://{GUEST_IP}/"], timeout=30)
        body, _, status = result.stdout.rpartition("\n")
        assert status == "200", result.stdout + result.stderr
        index = (ROOT / "apps" / "httpd" / "www" / "index.html").read_text()
        assert body == index, body[:200]


def test_disk_qcow2_holds_the_same_disk(disk_image):
    """`make disk FORMAT=qcow2` converts the raw image with qemu-img, byte for byte."""
    build = disk_image.parent
    result = subprocess.run(["make", "-s", "-C", str(ROOT), f"BUILD={build}", f"-o{build}/keel.elf",
                             f"-o{build}/BOOTX64.EFI", f"CMDLINE={DISK_CMDLINE}", "FORMAT=qcow2", "disk"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"make disk FORMAT=qcow2 failed:\n{result.stdout}\n{result.stderr}"
    qcow2 = build / "keel.qcow2"
    info = subprocess.run(["qemu-img", "info", str(qcow2)], capture_output=True, text=True, timeout=30)
    assert "file format: qcow2" in info.stdout, info.stdout + info.stderr
    compare = subprocess.run(["qemu-img", "compare", "-f", "raw", "-F", "qcow2", str(disk_image), str(qcow2)],
                             capture_output=True, text=True, timeout=60)
    assert compare.returncode == 0, compare.stdout + compare.stderr
