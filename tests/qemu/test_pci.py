"""PCI enumeration seen from the serial console: the boot-time table
(kernel/pci/print.c), the config access mechanism, BARs, capabilities,
bridges, and the `pci` and `msi` self tests, on -M pc (legacy port 0xCF8)
and -M q35 (ECAM from the ACPI MCFG table).

Each machine boots once (module fixtures) with every device the tests look
at, at fixed slots, so the table can be checked entry by entry. QEMU warns
that the NICs have no network peer; they enumerate all the same."""
import re

import pytest

from qemu_boot import KERNEL_EFI, boot, require_image

DEVICE_LINE = re.compile(
    r"^(?P<address>[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (?P<vendor>[0-9a-f]{4}):(?P<device>[0-9a-f]{4}) "
    r"class (?P<class>[0-9a-f]{2}\.[0-9a-f]{2}\.[0-9a-f]{2}) (?P<name>\S+) caps: (?P<caps>.*)$")
BAR_LINE = re.compile(r"^    BAR(?P<index>[0-5]) (?P<type>io|mem32|mem64) (?P<base>0x[0-9a-f]+) "
                      r"size (?P<size>0x[0-9a-f]+)(?P<prefetchable> prefetchable)?$")
COUNT_LINE = re.compile(r"^pci: (\d+) devices \(config access: (ECAM|legacy)\)$")

PC_DEVICES = [
    "-device", "e1000,addr=3",
    "-device", "virtio-net-pci,addr=4",                     # transitional: I/O + memory BARs, MSI-X
    "-device", "virtio-net-pci,disable-modern=on,addr=5",   # legacy only: I/O BAR, MSI-X
    "-device", "pci-bridge,id=br1,chassis_nr=1,addr=6",
    "-device", "e1000,bus=br1,addr=1",                      # behind the bridge: bus 01
]
Q35_DEVICES = [
    "-device", "e1000e,addr=3",
    "-device", "pcie-root-port,id=rp1,chassis=1,addr=4",
    "-device", "virtio-net-pci,bus=rp1",                    # behind a root port: modern only (1af4:1041)
    "-device", "e1000,addr=5",
]


class Table:
    """The parsed table: functions by 'bb:dd.f', each with its BARs."""

    def __init__(self, log):
        self.log = log
        self.functions = {}
        self.count = None
        self.mechanism = None
        current = None
        for line in log.splitlines():
            count = COUNT_LINE.match(line)
            if count:
                self.count, self.mechanism = int(count.group(1)), count.group(2)
                continue
            device = DEVICE_LINE.match(line)
            if device:
                current = dict(device.groupdict(), bars={})
                current["caps"] = current["caps"].split()
                self.functions[current["address"]] = current
                continue
            bar = BAR_LINE.match(line)
            if bar and current is not None:
                current["bars"][int(bar.group("index"))] = {
                    "type": bar.group("type"), "base": int(bar.group("base"), 16),
                    "size": int(bar.group("size"), 16), "prefetchable": bool(bar.group("prefetchable"))}

    def function(self, address):
        assert address in self.functions, f"{address} missing from the PCI table:\n{self.log}"
        return self.functions[address]


def boot_machine(machine, devices):
    result = boot(machine=machine, cmdline="keel.selftest=pci,msi", extra_args=devices,
                  until="selftest: done:", timeout=60)
    return result, Table(result.log)


@pytest.fixture(scope="module")
def pc():
    return boot_machine("pc", PC_DEVICES)


@pytest.fixture(scope="module")
def q35():
    return boot_machine("q35", Q35_DEVICES)


def assert_ethernet(function, vendor, device):
    assert (function["vendor"], function["device"]) == (vendor, device), function
    assert function["class"] == "02.00.00" and function["name"] == "ethernet", function


def test_pc_uses_legacy_config_ports(pc):
    result, table = pc
    assert "pci: config access via legacy port 0xCF8" in result
    assert table.mechanism == "legacy"


def test_q35_uses_ecam_from_mcfg(q35):
    result, table = q35
    assert "pci: config access via ECAM at 0xb0000000 (buses 0-255)" in result, result.log
    assert table.mechanism == "ECAM"


@pytest.mark.parametrize("machine, host_bridge", [("pc", "8086:1237"), ("q35", "8086:29c0")])
def test_host_bridge_and_count(machine, host_bridge, request):
    result, table = request.getfixturevalue(machine)
    host = table.function("00:00.0")
    assert f"{host['vendor']}:{host['device']}" == host_bridge
    assert host["class"] == "06.00.00" and host["name"] == "host-bridge"
    assert table.count == len(table.functions) and table.count >= 5, result.log
    assert list(table.functions) == sorted(table.functions), "table not in bus:slot.function order"


def test_pc_e1000(pc):
    _, table = pc
    e1000 = table.function("00:03.0")
    assert_ethernet(e1000, "8086", "100e")
    assert e1000["caps"] in (["none"], ["pm"])
    assert e1000["bars"][0]["type"] == "mem32" and e1000["bars"][0]["size"] == 0x20000
    assert e1000["bars"][1]["type"] == "io" and e1000["bars"][1]["size"] == 0x40


def test_pc_virtio_transitional_has_msix_and_vendor_caps(pc):
    _, table = pc
    virtio = table.function("00:04.0")
    assert_ethernet(virtio, "1af4", "1000")
    assert "msix" in virtio["caps"] and "vendor" in virtio["caps"]
    # The modern register window is a prefetchable 64-bit BAR spanning BAR4-5.
    assert virtio["bars"][4]["type"] == "mem64" and virtio["bars"][4]["prefetchable"]
    assert 5 not in virtio["bars"]


def test_pc_virtio_legacy_has_io_bar_and_msix(pc):
    _, table = pc
    virtio = table.function("00:05.0")
    assert_ethernet(virtio, "1af4", "1000")
    assert virtio["caps"] == ["msix"]
    assert virtio["bars"][0]["type"] == "io" and virtio["bars"][0]["size"] == 0x20
    assert all(bar["type"] != "mem64" for bar in virtio["bars"].values())


def test_pc_device_behind_pci_bridge(pc):
    result, table = pc
    bridge = table.function("00:06.0")
    assert bridge["class"] == "06.04.00" and bridge["name"] == "pci-bridge"
    assert "    bridge to buses 01-01" in result
    assert_ethernet(table.function("01:01.0"), "8086", "100e")


def test_q35_e1000e_capabilities(q35):
    _, table = q35
    e1000e = table.function("00:03.0")
    assert_ethernet(e1000e, "8086", "10d3")
    for capability in ("msi", "msix", "pcie", "pm"):
        assert capability in e1000e["caps"], e1000e


def test_q35_modern_virtio_behind_root_port(q35):
    _, table = q35
    root_port = table.function("00:04.0")
    assert root_port["name"] == "pci-bridge" and "pcie" in root_port["caps"]
    virtio = table.function("01:00.0")
    assert_ethernet(virtio, "1af4", "1041")
    assert "msix" in virtio["caps"] and "vendor" in virtio["caps"] and "pcie" in virtio["caps"]
    assert all(bar["type"] != "io" for bar in virtio["bars"].values())


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_bars_are_aligned_powers_of_two(machine, request):
    _, table = request.getfixturevalue(machine)
    bars = [bar for function in table.functions.values() for bar in function["bars"].values()]
    assert bars
    for bar in bars:
        assert bar["size"] and bar["size"] & (bar["size"] - 1) == 0, bar
        assert bar["base"] % bar["size"] == 0, bar


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_pci_and_msi_selftests_pass(machine, request):
    result, _ = request.getfixturevalue(machine)
    assert "selftest: pci: PASS" in result, result.log
    assert "selftest: msi: PASS" in result, result.log
    # Both kinds were really exercised (pc: the bridge has MSI, virtio MSI-X).
    assert "selftest: msi: MSI on" in result and "selftest: msi: MSI-X on" in result
    assert "selftest: done: 2 passed, 0 failed" in result


def test_uefi_q35_64bit_bar_above_4g():
    """OVMF places the modern virtio BAR above 4 GiB: the 64-bit BAR must be
    decoded across both registers, and ECAM must work from the UEFI path too."""
    require_image(KERNEL_EFI)
    result = boot(kind="efi", firmware="uefi", machine="q35", image=KERNEL_EFI, cmdline="keel.selftest=pci,msi",
                  extra_args=Q35_DEVICES, until="selftest: done:", timeout=90)
    table = Table(result.log)
    assert table.mechanism == "ECAM", result.log
    virtio = table.function("01:00.0")
    assert_ethernet(virtio, "1af4", "1041")
    assert virtio["bars"][4]["type"] == "mem64" and virtio["bars"][4]["base"] >= 1 << 32, virtio
    assert "selftest: done: 2 passed, 0 failed" in result
