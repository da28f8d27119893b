"""keel on QEMU's microvm machine: no firmware boot path, no PCI.

QEMU's -kernel loader prefers a multiboot header over the PVH note, so a
plain build/keel.elf is booted by multiboot1 there; the PVH entry (what
Firecracker uses) is exercised with build/keel-pvh.elf, the image whose
multiboot1 magic make zeroes, everything else byte for byte the same. The guest's
virtio-net-device sits on the test tap (tests/lib/netharness.py):

- interrupt mode, ACPI on (microvm's second IOAPIC serves the virtio-mmio
  lines, GSI 24 + slot; the device takes the last of 24 slots), the entry
  given on our command line: every embedded file (GET and HEAD) and the
  1 MiB file byte-exact, and
  the line interrupt counted by the driver, no more often than frames moved
  (fails when the handler does not acknowledge: the level line storms);
- poll mode, acpi=off: QEMU itself appends virtio_mmio.device=...:12; the
  same HTTP checks, then QEMU's exec -> first HTTP 200 over five boots
  (tests/lib/boot_timing.py; median printed; the issue's target is 50 ms
  under TCG, which QEMU's own start-up exceeds on our machines (bench/
  boot_time.py measures it), asserted only as an upper bound of 1 s so a
  loaded machine does not fail the suite);
- the plain image on the default (legacy virtio-mmio version 1) microvm:
  boots by multiboot1 and refuses the version 1 device with a clear line.
"""
import os
import statistics
import struct
import time

import pytest

import boot_timing
import httpd_checks
from netharness import GuestNetwork, require_network_namespaces
from qemu_boot import BUILD, KERNEL_ELF, ROOT, boot, require_image

MULTIBOOT1_MAGIC = struct.pack("<I", 0x1BADB002)
MULTIBOOT1_SEARCH = 8192
PVH_ELF = BUILD / "keel-pvh.elf"
# microvm with ACPI: IOAPIC 2 starts at GSI 24; 24 transports at 512-byte
# strides from 0xfeb00000, the first device in the last one (23).
ACPI_ENTRY = "virtio_mmio.device=512@0xfeb02e00:47"
MODERN = ("-global", "virtio-mmio.force-legacy=false")
BOOT_SAMPLES = 5

@pytest.fixture(scope="module")
def pvh_image():
    """build/keel-pvh.elf (make, boot/pvh_image.py): keel.elf with only its
    multiboot1 magic zeroed."""
    require_image(KERNEL_ELF)
    require_image(PVH_ELF)
    require_network_namespaces()
    plain, pvh = KERNEL_ELF.read_bytes(), PVH_ELF.read_bytes()
    at = plain.find(MULTIBOOT1_MAGIC, 0, MULTIBOOT1_SEARCH)
    assert at >= 0, "no multiboot1 header in keel.elf"
    assert pvh == plain[:at] + bytes(4) + plain[at + 4:], "keel-pvh.elf is not keel.elf less its multiboot1 magic"
    return PVH_ELF


class FirstResponseGuest(GuestNetwork):
    """GuestNetwork whose QEMU writes the time of its exec to a file, with
    the first-200 poller started in the namespace before QEMU (and a static
    neighbour entry, so the first SYN does not wait for ARP)."""

    def qemu_command(self):
        self.exec_stamp = os.path.join(self.workdir, "qemu-exec-time")
        return boot_timing.exec_stamped(super().qemu_command(), self.exec_stamp)

    def _create_namespace(self):
        super()._create_namespace()
        self.run(["ip", "neigh", "replace", self.guest_ip, "lladdr", self.mac, "dev", self.tap, "nud", "permanent"],
                 check=True)
        self.poller = boot_timing.start_poller(self.namespace, self.guest_ip, "/", 20)

    def stop(self):
        if getattr(self, "poller", None) is not None and self.poller.poll() is None:
            self.poller.kill()
            self.poller.wait()
        super().stop()


def microvm_guest(image, machine, cmdline, guest_class=GuestNetwork):
    return guest_class(nic="virtio-net-device", machine=machine, cmdline=cmdline, image=image, extra_args=MODERN)


def http_checks(net):
    entries = httpd_checks.site_entries(ROOT / "apps" / "httpd" / "www", BUILD / "gen" / "httpd_site_generated")
    target = httpd_checks.HttpTarget(net.run, net.guest_ip, 80, workdir=net.workdir)
    index = target.get("/")
    assert index.status == 200, index
    httpd_checks.check_every_file(target, entries)
    httpd_checks.check_large_download(target, "/1m.bin", entries["/1m.bin"][0])


def test_pvh_interrupt_mode(pvh_image):
    with microvm_guest(pvh_image, "microvm", f"keel.irq=intx {ACPI_ENTRY}") as net:
        net.start(timeout=30)
        assert "booted via pvh" in net.log
        assert "eth0: virtio-net mmio@0xfeb02e00, mmio interface" in net.log, net.log
        assert net.device_line()["irq"] == "intx", net.device_line()
        http_checks(net)
        stats = net.wait_for_stats(timeout=30)
        driver = stats["driver"].get("eth0", {})
        device = stats["devices"]["eth0"]
        assert driver.get("interrupts_mmio", 0) > 0, driver
        # Each interrupt stands for used buffers: a line left high (no
        # InterruptACK) storms, hundreds of thousands against ~800 frames.
        assert driver["interrupts_mmio"] <= device["rx_packets"] + device["tx_packets"], (driver, device)


def measure_first_200(pvh_image):
    """(QEMU exec -> keel's first console line, QEMU exec -> first HTTP 200), in ms."""
    with microvm_guest(pvh_image, "microvm,acpi=off", "keel.irq=poll", FirstResponseGuest) as net:
        net.start(until=None)
        net.wait_for_log("booted via", timeout=20)
        first_line = time.time()
        first_200 = boot_timing.poller_result(net.poller, 30)
        started = boot_timing.read_exec_stamp(net.exec_stamp)
        assert first_200 is not None and started is not None, net.log
        return (first_line - started) * 1000, (first_200 - started) * 1000


def test_pvh_poll_mode_and_first_200(pvh_image):
    with microvm_guest(pvh_image, "microvm,acpi=off", "keel.irq=poll") as net:
        net.start(timeout=30)
        assert "booted via pvh" in net.log
        assert "virtio_mmio.device=512@0xfeb00e00:12" in net.log, "QEMU's own entry expected"
        assert net.device_line()["irq"] == "poll", net.device_line()
        http_checks(net)
    runs = [measure_first_200(pvh_image) for _ in range(BOOT_SAMPLES)]
    samples = [first_200 for _, first_200 in runs]
    median = statistics.median(samples)
    print(f"\nmicrovm PVH, QEMU exec -> first HTTP 200 (ms): median {median:.1f} of "
          f"{', '.join(f'{s:.1f}' for s in samples)}; -> keel's first console line: median "
          f"{statistics.median(first for first, _ in runs):.1f}")
    assert median < 1000, samples


def test_plain_image_multiboot_refuses_legacy_mmio():
    require_image(KERNEL_ELF)
    result = boot(machine="microvm", cmdline=ACPI_ENTRY,
                  extra_args=["-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"], timeout=30)
    assert "booted via multiboot1" in result.log, result.log
    assert "virtio-mmio: mmio@0xfeb02e00: version 1 not supported" in result.log, result.log
    assert "net: no network device found" in result.log, result.log
