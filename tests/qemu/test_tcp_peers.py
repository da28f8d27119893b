"""TCP with Linux as the peer (the host's stack, in the test namespace),
against TCP's in-kernel echo service (keel.tcp.testlisten=): bulk
transfers with nc both ways at once, checksummed; 1000 short connections
in a row; 500 concurrent connections held open then closed; a peer that
stops reading (zero window: the guest neither spins nor loses data). A
peer that vanishes is in test_tcp_scapy.py (it needs a peer that can go
silent). One boot per NIC serves every test.
"""
import pytest

from nc_transfer import nc_echo
from netharness import PYTHON, GuestNetwork, require_network_namespaces
from tcp_stats import wait_for_fresh_block

PORT = 7007
CMDLINE = f"keel.tcp.testlisten={PORT} keel.tcp.stats=1"

# Runs in the namespace: the clients, each printing one result line.
CLIENT = r'''
import hashlib, os, selectors, socket, sys, time
GUEST, PORT = sys.argv[2], int(sys.argv[3])
mode = sys.argv[1]

def short_connections(count):
    bad = 0
    for i in range(count):
        with socket.create_connection((GUEST, PORT), timeout=10) as s:
            message = b"connection %d\n" % i
            s.sendall(message)
            s.shutdown(socket.SHUT_WR)
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            bad += got != message
    print("bad", bad)

def concurrent(count):
    sockets = [socket.create_connection((GUEST, PORT), timeout=20) for _ in range(count)]
    for i, s in enumerate(sockets):
        s.sendall(b"held %d" % i)
    bad = 0
    for i, s in enumerate(sockets):
        want, got = b"held %d" % i, b""
        while len(got) < len(want):
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        bad += got != want
    for s in sockets:
        s.close()
    print("bad", bad)

def stop_reading(total, stall):
    """Sends total bytes, reading nothing for stall seconds, then everything."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((GUEST, PORT))
    s.setblocking(False)
    data = os.urandom(total)
    sent = 0
    stall_end = time.monotonic() + stall
    while time.monotonic() < stall_end:
        try:
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.05)
    print("stalled_after", sent, flush=True)
    sys.stdin.readline()          # the test samples the guest's counters meanwhile
    received = bytearray()
    selector = selectors.DefaultSelector()
    selector.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    deadline = time.monotonic() + 60
    while len(received) < total and time.monotonic() < deadline:
        for key, events in selector.select(timeout=1):
            if events & selectors.EVENT_READ:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received += chunk
            if events & selectors.EVENT_WRITE and sent < total:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
            if sent >= total:
                selector.modify(s, selectors.EVENT_READ)
    s.close()
    print("intact", bytes(received) == data, len(received))

{"short": lambda: short_connections(int(sys.argv[4])),
 "concurrent": lambda: concurrent(int(sys.argv[4])),
 "stop_reading": lambda: stop_reading(int(sys.argv[4]), float(sys.argv[5]))}[mode]()
'''


def start(nic):
    require_network_namespaces()
    net = GuestNetwork(nic=nic, cmdline=CMDLINE)
    net.start()
    hello = net.run(["sh", "-c", f"printf hello | timeout 10 nc -N {net.guest_ip} {PORT}"], timeout=30)
    assert hello.stdout == "hello", hello.stdout + hello.stderr
    return net


@pytest.fixture(scope="module")
def e1000_guest(request):
    net = start("e1000")
    yield net
    if request.session.testsfailed:
        net.keep_artifacts = True
    net.stop()


def bulk_echo(net, size_mb):
    """Linux's nc sends size_mb MiB of random data and reads the echo back at
    the same time (nc_transfer.py); what went and what came back must have
    the same SHA-256."""
    result = nc_echo(net, PORT, size_mb << 20)
    assert result["returncode"] == 0, result
    assert result["received_bytes"] == size_mb << 20, result
    assert result["received"] == result["sent"], "echoed data differs"


def test_bulk_echo_e1000(e1000_guest):
    bulk_echo(e1000_guest, 16)
    stats = wait_for_fresh_block(e1000_guest)
    assert stats["drops"]["tcp_bad_checksum"] == 0


def test_1000_short_connections(e1000_guest):
    result = e1000_guest.run([PYTHON, "-c", CLIENT, "short", e1000_guest.guest_ip, str(PORT), "1000"], timeout=300)
    assert result.stdout.strip() == "bad 0", result.stdout + result.stderr


def test_500_concurrent_connections(e1000_guest):
    result = e1000_guest.run([PYTHON, "-c", CLIENT, "concurrent", e1000_guest.guest_ip, str(PORT), "500"],
                             timeout=300)
    assert result.stdout.strip() == "bad 0", result.stdout + result.stderr
    stats = wait_for_fresh_block(e1000_guest)
    assert stats["states"]["ESTABLISHED"] == 0         # all closed again
    assert stats["drops"]["tcp_listen_overflow"] == 0


def test_peer_stops_reading(e1000_guest):
    """The client reads nothing for 4 s: its window closes, the guest probes
    it (persist timer) instead of spinning or retransmitting, its own receive
    window closes in turn; then everything arrives intact, without timeouts."""
    import subprocess
    net = e1000_guest
    cmd = ["ip", "netns", "exec", net.namespace, PYTHON, "-c", CLIENT, "stop_reading", net.guest_ip, str(PORT),
           str(8 << 20), "4"]
    client = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stalled = client.stdout.readline()
        assert stalled.startswith("stalled_after"), stalled + client.stderr.read()
        first = wait_for_fresh_block(net)
        second = wait_for_fresh_block(net)
        client.stdin.write("go\n")
        client.stdin.flush()
        output, errors = client.communicate(timeout=120)
    finally:
        client.kill()
    assert "intact True" in output, output + errors
    # Catching up through the peer's small window (SO_RCVBUF 4096, window
    # scale rounding pulling our right edge back now and then) needs no
    # retransmission timeouts: the peer's ACKs from a pulled-back edge are
    # taken (net/tcp/rcv_state.c); without that it took a dozen or more.
    third = wait_for_fresh_block(net)
    assert third["counters"]["rto_expirations"] - second["counters"]["rto_expirations"] <= 2, third["counters"]
    stall_segments = second["counters"]["out_segs"] - first["counters"]["out_segs"]
    assert stall_segments < 40, (first["counters"], second["counters"])   # no spinning
    assert second["counters"]["persist_probes"] > 0
    assert second["counters"]["rto_expirations"] == first["counters"]["rto_expirations"]


def test_bulk_echo_virtio():
    net = start("virtio-net-pci")
    try:
        bulk_echo(net, 16)
    except Exception:
        net.keep_artifacts = True
        raise
    finally:
        net.stop()
