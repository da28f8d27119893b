"""keel as a NAT gateway and stateful firewall (issue 10, points 3 to 6),
seen from two private networks (tests/lib/router_harness.py): "inside"
10.97.0.2 behind the guest's eth0 (virtio-net), "outside" 10.98.0.2
behind its eth1 (e1000). One boot of an image built with
NFT=tests/qemu/nft/router.nft and ip_forward=1: a forward policy drop
that lets inside-initiated flows out (ct state new from eth0) and their
replies back (ct state established,related), masquerade behind eth1's
address, and a port forward (outside :8080 -> inside 10.97.0.2:8000,
dnat, accepted by `ct status dnat`).

- TCP and UDP from the inside reach an outside server that sees keel's
  outside address (masquerade), and the replies find their way back;
  ping goes through (ICMP echo identifier translated).
- The outside reaches the inside server only through the port forward,
  and that server sees the outside client's own address.
- Unsolicited outside -> inside traffic is dropped by the policy and
  counted (nft_policy_drop), while the flows above passed.
- A crafted SYN+FIN from outside is INVALID for connection tracking and
  dropped by `ct state invalid counter drop` (its rule counter moves).
Counters come from the guest's keel.stats= blocks (rule counters are
`nft ip filter forward handle N packets=P bytes=B` lines)."""
import re
import subprocess
import time

import pytest

from app_images import variant_image
from netharness import PYTHON, require_network_namespaces
from router_harness import RouterNetwork

scapy = pytest.importorskip("scapy.all")
Ether, IP, TCP = scapy.Ether, scapy.IP, scapy.TCP

RULE_COUNTER = re.compile(r"^nft ip filter forward handle (\d+) packets=(\d+) bytes=(\d+)$", re.M)
INSIDE_SERVER_PORT = 8000
FORWARDED_PORT = 8080
OUTSIDE_PORT = 9000

# Runs in one namespace: serves one TCP connection or one UDP datagram on
# argv[2], answering with the peer's address; prints that address.
SERVER = r"""
import socket, sys
kind, port = sys.argv[1], int(sys.argv[2])
if kind == "tcp":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(1)
    s.settimeout(20)
    c, peer = s.accept()
    c.sendall(peer[0].encode())
    c.close()
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(20)
    data, peer = s.recvfrom(100)
    s.sendto(peer[0].encode(), peer)
print(peer[0], flush=True)
"""

# Runs in the other: connects (or sends) to argv[2]:argv[3], prints what came back or why not.
CLIENT = r"""
import socket, sys
kind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    if kind == "tcp":
        s = socket.create_connection((host, port), timeout=4)
        print(s.recv(100).decode())
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(4)
        s.sendto(b"hello", (host, port))
        print(s.recv(100).decode())
except OSError as error:
    print(type(error).__name__)
"""


@pytest.fixture(scope="module")
def router():
    require_network_namespaces()
    image = variant_image("nat-router", "NFT=tests/qemu/nft/router.nft")
    net = RouterNetwork(inside_nic="virtio-net-pci", outside_nic="e1000", image=image,
                        cmdline="sysctl.net.ipv4.ip_forward=1")
    try:
        net.start(timeout=90)
        yield net
    except Exception:
        net.keep_artifacts = True
        raise
    finally:
        net.stop()


def serve_and_ask(router, server_side, client_side, kind, server_port, address, port):
    """(what the client got back, the peer address the server saw)."""
    server = server_side.popen([PYTHON, "-c", SERVER, kind, str(server_port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        client = client_side.run([PYTHON, "-c", CLIENT, kind, address, str(port)], timeout=30)
        seen = server.communicate(timeout=25)[0].strip() if client.stdout.strip() not in ("TimeoutError",
                                                                                         "ConnectionRefusedError") else ""
    finally:
        server.kill()
        server.wait()
    return client.stdout.strip(), seen


def rule_counters(router):
    """{handle: packets} from the newest stats block's rule lines."""
    counters = {}
    for handle, packets, _ in RULE_COUNTER.findall(router.log):
        counters[int(handle)] = int(packets)     # later lines overwrite: the newest values
    return counters


def fresh_counters(router):
    router.wait_for_stats()
    return rule_counters(router)


def test_ruleset_loaded_with_conntrack(router):
    assert "nft: ruleset loaded (2 tables, 3 chains, 6 rules)" in router.log, router.log[-3000:]
    assert re.search(r"^conntrack: \d+ entries of \d+ bytes", router.log, re.M), router.log[-3000:]


def test_masquerade_tcp_and_udp(router):
    for kind in ("tcp", "udp"):
        got, seen = serve_and_ask(router, router.outside, router.inside, kind, OUTSIDE_PORT,
                                  router.outside.host_ip, OUTSIDE_PORT)
        # The outside server saw keel's outside address, and its answer came back to the inside client.
        assert seen == router.outside.guest_ip, (kind, got, seen)
        assert got == router.outside.guest_ip, (kind, got, seen)


def test_ping_through_masquerade(router):
    result = router.inside.run(["ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", router.outside.host_ip], timeout=30)
    assert " 3 received" in result.stdout, result.stdout + result.stderr


def test_port_forward_to_inside_server(router):
    got, seen = serve_and_ask(router, router.inside, router.outside, "tcp", INSIDE_SERVER_PORT,
                              router.outside.guest_ip, FORWARDED_PORT)
    # DNAT keeps the client's address: the inside server sees the outside host itself.
    assert seen == router.outside.host_ip, (got, seen)
    assert got == router.outside.host_ip, (got, seen)


def test_unsolicited_inbound_dropped_and_counted(router):
    before = router.wait_for_stats()
    got, _ = serve_and_ask(router, router.inside, router.outside, "tcp", INSIDE_SERVER_PORT,
                           router.inside.host_ip, INSIDE_SERVER_PORT)
    after = router.wait_for_stats()
    assert got == "TimeoutError", got                 # dropped silently, not refused
    dropped = after["drops"]["nft_policy_drop"] - before["drops"]["nft_policy_drop"]
    assert dropped >= 1, (before["drops"], after["drops"])


def test_invalid_segment_dropped_by_ct_state_invalid(router):
    before = fresh_counters(router)
    invalid_rule = min(before)                        # the chain's first rule: ct state invalid counter drop
    frame = (Ether(src="02:00:00:00:98:02", dst=router.outside.mac) /
             IP(src=router.outside.host_ip, dst=router.inside.host_ip) /
             TCP(sport=40999, dport=INSIDE_SERVER_PORT, flags="SF", seq=1000))
    replies = router.send_frames(router.outside, [bytes(frame)], listen=0.5)
    after = fresh_counters(router)
    assert after[invalid_rule] - before[invalid_rule] == 1, (before, after)
    assert not any(TCP in Ether(reply) for reply in replies)   # nothing answered it
