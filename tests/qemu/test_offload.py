"""Transmit offloads in the NIC drivers: a large download from apps/httpd
must be byte-exact while the device (not keel) cuts TCP super-segments
(TSO) and sums checksums.

Per driver (e1000 on pc, e1000e on q35, virtio-net on pc - modern, legacy,
and without indirect descriptors; QEMU's tap netdev has a vnet header, so
virtio-net is offered CSUM and HOST_TSO4): the 10 MiB file of the WWW=
variant image (the large_image fixture of tests/conftest.py, also used by
tests/qemu/test_httpd.py) is fetched with curl and compared by SHA-256, and
the driver counters in the stats table must show that the driver handed the
device TSO packets (`tx_tso_packets`) during the download and, for the
Intel models, that checksum-only packets went through the context
descriptor path (`tx_checksum_offloaded`); for virtio-net, that the bulk
transfer needed no forced TX notification (`tx_forced_notifications`). A driver that stops advertising
TSO, or a stack that stops building super-segments for it, fails here even
when the bytes arrive.
"""
import os

import pytest

import httpd_checks
from httpd_guest import TEST_SITE, start_guest, stop_guest
from netharness import require_network_namespaces

DRIVERS = [
    ("e1000", "pc", "e1000"),
    ("e1000e", "q35", "e1000e"),
    ("virtio-net-pci", "pc", "virtio-net"),
    # The same driver over the legacy I/O interface, and without
    # VIRTIO_RING_F_INDIRECT_DESC (chains take one ring descriptor per buffer).
    ("virtio-net-pci,disable-modern=on", "pc", "virtio-net"),
    ("virtio-net-pci,indirect_desc=off", "pc", "virtio-net"),
]
IDS = ["e1000", "e1000e", "virtio-net", "virtio-net-legacy", "virtio-net-direct-chains"]
# Extra kernel command line, e.g. KEEL_OFFLOAD_CMDLINE=keel.tso=off to see
# the test fail when the stack stops handing the drivers super-segments.
EXTRA_CMDLINE = os.environ.get("KEEL_OFFLOAD_CMDLINE", "")


def driver_counters(net):
    return net.wait_for_stats(timeout=30)["driver"].get("eth0", {})


@pytest.mark.parametrize("nic,machine,driver", DRIVERS, ids=IDS)
def test_large_download_uses_tso(request, large_image, nic, machine, driver):
    require_network_namespaces()
    image, entries = large_image
    net = start_guest(request, image, nic, machine, EXTRA_CMDLINE)
    try:
        line = net.device_line("eth0")
        if line is None:
            pytest.skip(f"no eth0 with -device {nic}")
        assert line["driver"] == driver, line
        before = driver_counters(net)
        assert "tx_tso_packets" in before, f"{driver} has no tx_tso_packets counter: {before}"
        target = httpd_checks.HttpTarget(net.run, net.guest_ip, 80, workdir=net.workdir)
        assert target.get("/sub%20dir/hello%20world.txt").body == TEST_SITE["sub dir/hello world.txt"]
        httpd_checks.check_large_download(target, "/10m.bin", entries["/10m.bin"][0], timeout=180)
        after = driver_counters(net)
        tso = after["tx_tso_packets"] - before["tx_tso_packets"]
        # 10 MiB in super-segments of up to 64 KB is at least 160 of them;
        # ask for far fewer so slow starts and small windows still pass.
        assert tso >= 20, f"{driver}: only {tso} TSO packets for 10 MiB: {after}"
        assert after.get("tx_offload_rejected", 0) == 0, after
        if driver == "virtio-net":
            assert after["tx_multi_buffer"] - before["tx_multi_buffer"] >= tso, after
            # No TX notification was lost and resent by the safety net
            # (drivers/virtio-net/virtio_net_rxtx.c; tests/qemu/test_virtio_notifications.py).
            assert after["tx_forced_notifications"] == before["tx_forced_notifications"], after
        else:
            assert after["tx_checksum_offloaded"] > 0, after
            # On average a super-segment must become several frames on the wire.
            assert after["tx_tso_segments"] - before["tx_tso_segments"] > 2 * tso, after
        stats = net.wait_for_stats(timeout=30)
        device = stats["devices"]["eth0"]
        assert device["tx_errors"] == 0, device
        # Byte queue limits: the driver completed exactly the bytes it queued
        # (net/core/netdev_bql.c; a miscount is found when its ring empties).
        assert stats["tx"]["eth0"]["bql_miscounted"] == 0, stats["tx"]
    finally:
        stop_guest(request, net)
