"""apps/echo on keel (RFC 862): TCP and UDP echo on port 7, checked from
the host side of a tap in a private network namespace.

One boot (e1000) of an image built with APP=echo serves every check: UDP
datagrams of several sizes (the large ones are IP fragments both ways),
several TCP connections at once each pushing 1 MiB through the echo with a
reader running alongside, many short connections, and 8 MiB bulk transfers
with Linux's nc both ways (tests/lib/nc_transfer.py). A second boot with
`keel.echo.linger=3` checks that close() with SO_LINGER blocks. TCP checks are
skipped when the image has no SOCK_STREAM protocol (the guest says so).
"""
import importlib.util
import json

import pytest

from app_images import variant_image
from nc_transfer import nc_echo
from netharness import PYTHON, GuestNetwork, require_network_namespaces

PORT = 7
# The scapy peer runs as a script inside the namespace: its path, not the module.
PEER_SCRIPT = importlib.util.find_spec("tcp_raw_peer").origin

UDP_CLIENT = r"""
import json, socket, sys
host, sizes = sys.argv[1], json.loads(sys.argv[2])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
results = []
for size in sizes:
    payload = bytes((i * 13 + size) & 0xff for i in range(size))
    for attempt in range(3):
        u.sendto(payload, (host, 7))
        try:
            data, sender = u.recvfrom(70000)
        except socket.timeout:
            continue
        results.append([size, data == payload, sender[1]])
        break
    else:
        results.append([size, False, 0])
print(json.dumps(results))
"""

TCP_CLIENT = r"""
import json, socket, sys, threading
host, connections, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
results = [None] * connections
def one(index):
    data = bytes((i * 7 + index) & 0xff for i in range(size))
    s = socket.create_connection((host, 7), timeout=30)
    sender = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))
    sender.start()
    received = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        received += chunk
    sender.join()
    s.close()
    results[index] = bytes(received) == data
threads = [threading.Thread(target=one, args=(i,)) for i in range(connections)]
for t in threads: t.start()
for t in threads: t.join()
short = 0
for i in range(50):
    with socket.create_connection((host, 7), timeout=10) as s:
        s.sendall(b"ping %d" % i)
        short += s.recv(100) == b"ping %d" % i
print(json.dumps({"bulk": results, "short": short}))
"""


@pytest.fixture(scope="module")
def guest(request):
    require_network_namespaces()
    image = variant_image("echo", "APP=echo")
    failed_before = request.session.testsfailed
    net = GuestNetwork(nic="e1000", machine="pc", image=image)
    try:
        net.start(timeout=60)
        net.ping(count=1, deadline=10)
        yield net
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


def test_udp_echo(guest):
    if "echo: udp port 7" not in guest.log:
        pytest.skip("the image has no SOCK_DGRAM protocol (UDP has not landed)")
    sizes = [0, 1, 64, 1472, 1473, 4000, 8972, 20000]
    result = guest.run(["/usr/bin/python3", "-c", UDP_CLIENT, guest.guest_ip, json.dumps(sizes)], timeout=120)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers == [[size, True, PORT] for size in sizes], answers


def test_tcp_echo(guest):
    if "echo: no tcp" in guest.log:
        pytest.skip("the image has no SOCK_STREAM protocol (TCP has not landed)")
    result = guest.run(["/usr/bin/python3", "-c", TCP_CLIENT, guest.guest_ip, "4", str(1024 * 1024)], timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"bulk": [True] * 4, "short": 50}


def test_nc_bulk_both_ways(guest):
    """Linux's own nc as the peer: 8 MiB to apps/echo and back on one
    connection, two such connections one after the other; SHA-256 of what
    went equals what came back."""
    if "echo: no tcp" in guest.log:
        pytest.skip("the image has no SOCK_STREAM protocol")
    for round_number in range(2):
        result = nc_echo(guest, PORT, 8 << 20, name=f"round{round_number}")
        assert result["returncode"] == 0, result
        assert result["received_bytes"] == 8 << 20, result
        assert result["received"] == result["sent"], result


LINGER_SECONDS = 3


def test_close_lingers_until_timeout_without_reset(guest):
    """apps/echo --linger=3 on its own boot: a scripted peer (tcp_raw_peer.py)
    never acknowledges the echo's data and FIN. close() with SO_LINGER 3
    must block the (single-threaded) app for about 3 s, seen from outside as
    a second client's echo waiting that long, then return without an RST:
    the guest keeps retransmitting as Linux's orphan would."""
    if "echo: no tcp" in guest.log:
        pytest.skip("the image has no SOCK_STREAM protocol")
    image = variant_image("echo", "APP=echo")
    with GuestNetwork(nic="e1000", machine="pc", image=image, cmdline=f"keel.echo.linger={LINGER_SECONDS}") as net:
        net.start(timeout=60)
        assert f"echo: SO_LINGER {LINGER_SECONDS} s on every connection" in net.log
        request = {"iface": net.tap, "guest_mac": net.mac, "guest_ip": net.guest_ip, "port": PORT,
                   "scenarios": ["linger_close"]}
        peer = net.run([PYTHON, PEER_SCRIPT], input=json.dumps(request), timeout=120)
        assert peer.returncode == 0, peer.stdout + peer.stderr
        result = json.loads(peer.stdout)["linger_close"]
        assert "error" not in result, result
        # A peer that acknowledges: close() does not hold the app up.
        assert result["baseline_echo"] == "ping" and result["baseline_delay"] < 1.5, result
        # Ours does not: the next client waits for the linger time (it asked 0.5 s in).
        assert result["blocked_echo"] == "pong", result
        assert LINGER_SECONDS - 0.5 - 0.6 <= result["blocked_delay"] <= LINGER_SECONDS + 2.0, result
        segments = result["segments"]
        assert any(s["data"] == "hi" for s in segments), segments
        assert any("F" in s["flags"] for s in segments), segments
        # Past the linger time the connection goes on: retransmissions (RTO
        # backoff 0.2, 0.6, 1.4, 3.0, 6.2 s; the peer watches 7 s), no RST.
        times = [(round(s["time"], 2), s["flags"]) for s in segments]
        assert not any("R" in s["flags"] for s in segments), times
        assert any(s["time"] > LINGER_SECONDS + 0.5 and "F" in s["flags"] for s in segments), times
        assert "panic" not in net.log.lower()


def test_guest_still_healthy(guest):
    assert "panic" not in guest.log.lower(), guest.log[-3000:]
    assert "exited with status" not in guest.log
