"""keel forwarding TCP super-frames as one unit (issue 10, the router's
throughput): two virtio-net NICs (tests/lib/router_harness.py: "inside"
10.97.0.2 behind eth0, "outside" 10.98.0.2 behind eth1), the taps with
their offloads on (the default), so the hosts' TCP hands QEMU 64 KB
super-frames and QEMU hands them to keel whole: keel negotiates
VIRTIO_NET_F_GUEST_TSO4, takes each as one pkt (driver counter
rx_gso_packets) and sends it out of the other NIC as one TSO packet
(tx_tso_packets), as a Linux router does.

One boot with ip_forward=1 and keel's TCP echo (keel.tcp.testlisten):
- 4 MiB inside -> outside, checksummed at the far end: super-frames came in
  on eth0 and left eth1 as TSO packets (fails with GUEST_TSO4 off).
- A masquerade ruleset loaded from the console, then 4 MiB outside ->
  inside on a connection the inside opened: the outside server sees
  keel's address, the data arrives intact, super-frames came in on eth1 and
  left eth0 as TSO packets (conntrack and NAT saw each once).
- 2 MiB sent to keel's own echo and read back: super-frames addressed to
  keel are cut into segments before TCP input, the data intact.
"""
import json
import subprocess

import pytest

from netharness import PYTHON, require_network_namespaces
from qemu_boot import KERNEL_ELF, require_image
from router_harness import RouterNetwork
from tcp_transfer import CLIENT_SCRIPT, SERVER_SCRIPT

TRANSFER_BYTES = 4 * 1024 * 1024
ECHO_BYTES = 2 * 1024 * 1024
TRANSFER_PORT = 5001
ECHO_PORT = 7007
# Super-frames of up to 64 KB: 4 MiB in fewer than 1 KB frames would mean
# every one was cut before keel saw it.
MIN_SUPER_FRAMES = 8

MASQUERADE = ("nft 'table ip nat { chain postrouting { type nat hook postrouting priority 100; "
              "oifname \"eth1\" masquerade; } }'")


@pytest.fixture(scope="module")
def router():
    require_network_namespaces()
    require_image(KERNEL_ELF)
    # The guest's `with` (SerialGuest) stops it and keeps its artifacts when start fails.
    with RouterNetwork(inside_nic="virtio-net-pci", outside_nic="virtio-net-pci", console=True,
                       cmdline=f"sysctl.net.ipv4.ip_forward=1 keel.tcp.testlisten={ECHO_PORT}") as net:
        net.start(timeout=90)
        yield net


def driver_counters(router):
    return router.wait_for_stats(timeout=30)["driver"]


def delta(before, after, device, name):
    return after.get(device, {}).get(name, 0) - before.get(device, {}).get(name, 0)


def run_pair(server_side, server_args, client_side, client_args):
    """Starts the server, runs the client; both outputs as JSON."""
    server = server_side.popen([PYTHON, "-c", SERVER_SCRIPT, *map(str, server_args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        client = client_side.run([PYTHON, "-c", CLIENT_SCRIPT, *map(str, client_args)], timeout=170)
        server_out, server_err = server.communicate(timeout=170)
    finally:
        if server.poll() is None:
            server.kill()                                   # this server only
            server.wait(timeout=10)
    assert client.returncode == 0, client.stdout + client.stderr
    assert server.returncode == 0, server_out + server_err
    return json.loads(server_out), json.loads(client.stdout)


def test_virtio_negotiated_guest_tso_and_counts_super_frames(router):
    counters = driver_counters(router)
    for device in ("eth0", "eth1"):
        assert "rx_gso_packets" in counters.get(device, {}), counters
        assert "rx-gro-hw: on" in router.console(f"ethtool -k {device}")   # as Linux's virtio_net shows it


def test_super_frames_forwarded_as_tso(router):
    """Inside -> outside: super-frames in on eth0, TSO packets out of eth1, data intact."""
    before = driver_counters(router)
    server, client = run_pair(router.outside, [TRANSFER_PORT, 150, "sink"],
                              router.inside, [router.outside.host_ip, TRANSFER_PORT, "send", TRANSFER_BYTES])
    after = driver_counters(router)
    assert server["bytes"] == TRANSFER_BYTES and server["sha256"] == client["sent_sha256"], (server, client)
    assert server["peer"] == router.inside.host_ip                       # no NAT yet
    received = delta(before, after, "eth0", "rx_gso_packets")
    sent = delta(before, after, "eth1", "tx_tso_packets")
    assert received >= MIN_SUPER_FRAMES, (before, after)
    assert sent >= MIN_SUPER_FRAMES, (before, after)
    for name in ("rx_gso_bad_type", "rx_gso_ecn", "rx_gso_bad_size", "rx_gso_bad_header_length",
                 "rx_gso_not_tcp", "rx_bad_checksum_request", "rx_merged_dropped"):
        assert delta(before, after, "eth0", name) == 0, (name, after)


def test_super_frames_masqueraded_as_one(router):
    """With masquerade: outside -> inside replies of an inside-opened
    connection, de-NATed as super-frames (in on eth1, TSO out of eth0)."""
    assert "Error" not in router.console(MASQUERADE)
    before = driver_counters(router)
    server, client = run_pair(router.outside, [TRANSFER_PORT, 150, "source", TRANSFER_BYTES],
                              router.inside, [router.outside.host_ip, TRANSFER_PORT, "receive", 0])
    after = driver_counters(router)
    assert server["peer"] == router.outside.guest_ip, server            # masqueraded behind keel's eth1
    assert client["bytes"] == TRANSFER_BYTES and client["sha256"] == server["sha256"], (server, client)
    assert delta(before, after, "eth1", "rx_gso_packets") >= MIN_SUPER_FRAMES, (before, after)
    assert delta(before, after, "eth0", "tx_tso_packets") >= MIN_SUPER_FRAMES, (before, after)


def test_super_frames_to_keel_itself(router):
    """2 MiB to keel's TCP echo: super-frames for keel are cut before TCP
    input; everything comes back intact."""
    before = driver_counters(router)
    stats_before = router.wait_for_stats()
    result = router.inside.run([PYTHON, "-c", CLIENT_SCRIPT, router.inside.guest_ip, str(ECHO_PORT), "echo",
                                str(ECHO_BYTES)], timeout=170)
    after = driver_counters(router)
    stats_after = router.wait_for_stats()
    assert result.returncode == 0, result.stdout + result.stderr
    echoed = json.loads(result.stdout)
    assert echoed["bytes"] == ECHO_BYTES and echoed["sha256"] == echoed["sent_sha256"], echoed
    assert delta(before, after, "eth0", "rx_gso_packets") >= MIN_SUPER_FRAMES, (before, after)
    for reason in ("gso_malformed", "tcp_bad_checksum"):
        assert stats_after["drops"].get(reason, 0) == stats_before["drops"].get(reason, 0), reason
