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
- Segments of an established flow far outside its window, and an ICMP
  error quoting a flow nobody knows: INVALID, dropped by that rule.
- iperf3 (one TCP stream, 3 s) through the masquerade: super-frames taken
  whole on the virtio side, masqueraded with their checksums PARTIAL, sent
  as e1000 TSO, no checksum error at the far end.
- nf_conntrack_max=32: 32 established (ASSURED) flows fill the table, 8
  more new ones are dropped as conntrack_table_full while the established
  ones keep echoing; after `conntrack -F` new flows work again.
- Fragments in transit (1792 and 4096 bytes of UDP in 600-byte pieces)
  reassembled before conntrack, masqueraded whole, cut again: the outside
  host gets the datagram from keel's address; the pieces pass no hook
  again (no entry appears for keel's own address).
- Datagrams for keel itself in fragments (a 3000-byte ping, two 4000-byte
  UDP datagrams to keel.udp.testecho=): answered, their entries confirmed
  at input (conntrack -L), the hooks counting whole datagrams by ct state
  both ways.
- The management port (keel.admin= on the inside address) with no
  keel.admin.token=: views 200, a state-changing command 403 (not run,
  counted in /metrics).
- Last, a ruleset loaded from the console in one transaction while a flow
  runs: the flow keeps going (conntrack state survives), the new policy
  drops new flows.
Counters come from the guest's keel.stats= blocks (rule counters are
`nft ip filter forward handle N packets=P bytes=B` lines)."""
import json
import re
import shutil
import subprocess
import time

import pytest

from app_images import variant_image
from netharness import PYTHON, require_network_namespaces
from router_harness import INSIDE, RouterNetwork

scapy = pytest.importorskip("scapy.all")
Ether, IP, TCP = scapy.Ether, scapy.IP, scapy.TCP

RULE_COUNTER = re.compile(r"^nft ip filter forward handle (\d+) packets=(\d+) bytes=(\d+)$", re.M)
INSIDE_SERVER_PORT = 8000
FORWARDED_PORT = 8080
OUTSIDE_PORT = 9000
ECHO_PORT = 9100
KEEL_ECHO_PORT = 7                   # keel.udp.testecho=: keel's own UDP echo
LARGE_CLIENT_PORT = 43000
ADMIN_PORT = 9180                    # keel.admin= on the inside address, without keel.admin.token=
HELD_CLIENT_PORT = 41000
# Small enough to fill with a bounded flood, large enough for the other tests' flows.
CONNTRACK_MAX = 32

# Runs in one namespace: a TCP echo server on argv[1] for argv[2] seconds (threads, one per connection).
ECHO_SERVER = r"""
import socket, socketserver, sys, threading
class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(float(sys.argv[2]))
        try:
            while True:
                data = self.request.recv(4096)
                if not data:
                    return
                self.request.sendall(data)
        except OSError:
            return
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
server = socketserver.ThreadingTCPServer(("0.0.0.0", int(sys.argv[1])), Echo)
threading.Timer(float(sys.argv[2]), server.shutdown).start()
print("listening", flush=True)
server.serve_forever()
"""

# Runs in the other: opens argv[3] connections to argv[1]:argv[2] one by one
# (argv[4]: the first one's source port, 0 for any), then argv[5] more at
# once (non-blocking, 3 s for all); prints {"opened", "extra_opened"}; then
# per line on stdin "echo" checks the first connection still echoes, "exit" ends.
HOLDER = r"""
import json, select, socket, sys, time
host, port, count, first_port, extra = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
held = []
for index in range(count):
    try:
        s = socket.socket()
        if index == 0 and first_port:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", first_port))
        s.settimeout(3)
        s.connect((host, port))
        held.append(s)
    except OSError:
        break
pending = []
for index in range(extra):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((host, port))
    pending.append(s)
connected, deadline = 0, time.time() + 3
while pending and time.time() < deadline:
    _, writable, _ = select.select([], pending, [], 0.2)
    for s in writable:
        pending.remove(s)
        connected += s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
print(json.dumps({"opened": len(held), "extra_opened": connected}), flush=True)
for line in sys.stdin:
    if line.strip() != "echo":
        break
    try:
        held[0].sendall(b"still here")
        held[0].settimeout(5)
        print(json.dumps({"echo": held[0].recv(100).decode()}), flush=True)
    except OSError as error:
        print(json.dumps({"echo": type(error).__name__}), flush=True)
"""

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
    net = RouterNetwork(inside_nic="virtio-net-pci", outside_nic="e1000", image=image, console=True,
                        cmdline=f"sysctl.net.ipv4.ip_forward=1 sysctl.net.netfilter.nf_conntrack_max={CONNTRACK_MAX} "
                                f"keel.udp.testecho={KEEL_ECHO_PORT} keel.admin={INSIDE['guest_ip']}:{ADMIN_PORT}")
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


def conntrack_lines(router, filters):
    """conntrack -L's entry lines for the filters (the summary goes to the error stream, not counted)."""
    listing = router.console(f"conntrack -L {filters}")
    return [line for line in listing.splitlines() if line.split(" ", 1)[0] in ("icmp", "udp", "tcp")]


def fresh_counters(router):
    router.wait_for_stats()
    return rule_counters(router)


def test_ruleset_loaded_with_conntrack(router):
    assert "nft: ruleset loaded (2 tables, 3 chains, 6 rules)" in router.log, router.log[-3000:]
    assert re.search(r"^conntrack: \d+ entries of \d+ bytes", router.log, re.M), router.log[-3000:]


# Runs in one namespace: GET argv[1], or POST argv[2] to it when given; prints {"status", "body"}.
HTTP_CLIENT = r"""
import json, sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode() if len(sys.argv) > 2 else None)
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        status, body = response.status, response.read().decode()
except urllib.error.HTTPError as error:
    status, body = error.code, error.read().decode()
print(json.dumps({"status": status, "body": body}))
"""
FORBIDDEN_REFUSALS = re.compile(r'^keel_admin_refusals_total\{reason="forbidden"\} (\d+)$', re.M)


def test_management_port_without_token(router):
    """keel.admin= with no keel.admin.token= (the port on the inside
    address): views answer 200, a state-changing command is refused with
    403 and not run, and the refusal is counted in /metrics."""
    base = f"http://{router.inside.guest_ip}:{ADMIN_PORT}"

    def http(path, *body):
        result = router.inside.run([PYTHON, "-c", HTTP_CLIENT, base + path, *body], timeout=30)
        return json.loads(result.stdout)

    def forbidden_count():
        metrics = http("/metrics")
        assert metrics["status"] == 200, metrics
        return int(FORBIDDEN_REFUSALS.search(metrics["body"]).group(1))

    assert (f"admin: management port on {INSIDE['guest_ip']}:{ADMIN_PORT} (4 connections; no keel.admin.token: "
            "state-changing commands refused)") in router.log
    before = forbidden_count()
    view = http("/cmd", "sysctl net.netfilter.nf_conntrack_max")
    assert view == {"status": 200, "body": f"net.netfilter.nf_conntrack_max = {CONNTRACK_MAX}\n"}, view
    refused = http("/cmd", "sysctl -w net.netfilter.nf_conntrack_max=64")
    assert refused["status"] == 403 and "keel.admin.token is not set" in refused["body"], refused
    assert http("/cmd", "sysctl -n net.netfilter.nf_conntrack_max")["body"] == f"{CONNTRACK_MAX}\n"   # not run
    assert forbidden_count() - before == 1


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


class Held:
    """An echo server on one side and a holder of connections to it on the other (both ended on exit)."""

    def __init__(self, server_side, client_side, address, count, first_port=0, extra=0, server_port=ECHO_PORT,
                 connect_port=None):
        self.server = server_side.popen([PYTHON, "-c", ECHO_SERVER, str(server_port), "60"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.server.stdout.readline()                                   # "listening"
        self.client = client_side.popen([PYTHON, "-c", HOLDER, address, str(connect_port or server_port), str(count),
                                         str(first_port), str(extra)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.opened = json.loads(self.client.stdout.readline() or "{}")

    def echo(self):
        self.client.stdin.write("echo\n")
        self.client.stdin.flush()
        return json.loads(self.client.stdout.readline() or "{}").get("echo")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in (self.client, self.server):      # only the processes this helper started
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


def test_out_of_window_segment_is_invalid(router):
    """An established flow (inside client -> outside echo server,
    masqueraded) and crafted segments of it far outside the tracked window
    (sequence numbers half the space apart: whatever the ISN, each is beyond
    any window): INVALID (Linux's tcp_in_window), so not translated, and
    dropped by `ct state invalid counter drop`; the flow carries on."""
    with Held(router.outside, router.inside, router.outside.host_ip, 1, first_port=HELD_CLIENT_PORT) as held:
        assert held.opened.get("opened") == 1, held.opened
        before = fresh_counters(router)
        invalid_rule = min(before)
        frames = [bytes(Ether(src="02:00:00:00:97:02", dst=router.inside.mac) /
                        IP(src=router.inside.host_ip, dst=router.outside.host_ip) /
                        TCP(sport=HELD_CLIENT_PORT, dport=ECHO_PORT, flags="A", seq=sequence, ack=1) / (b"x" * 10))
                  for sequence in (0x40000000, 0xC0000000)]
        router.send_frames(router.inside, frames, listen=0.3)
        after = fresh_counters(router)
        assert after[invalid_rule] - before[invalid_rule] == 2, (before, after)
        assert held.echo() == "still here"


def test_icmp_error_about_unknown_flow_dropped(router):
    """Port unreachable quoting a datagram no connection knows: INVALID,
    neither forwarded nor translated; counted by the invalid rule."""
    drops_before = router.wait_for_stats()["drops"]
    before = rule_counters(router)                     # from the same stats block
    invalid_rule = min(before)
    quoted = IP(src=router.inside.host_ip, dst=router.outside.host_ip) / scapy.UDP(sport=5555, dport=6666)
    frame = (Ether(src="02:00:00:00:98:02", dst=router.outside.mac) /
             IP(src=router.outside.host_ip, dst=router.inside.host_ip) / scapy.ICMP(type=3, code=3) / bytes(quoted)[:28])
    router.send_frames(router.outside, [bytes(frame)], listen=0.3)
    drops_after = router.wait_for_stats()["drops"]
    after = rule_counters(router)
    assert after[invalid_rule] - before[invalid_rule] == 1, (before, after)
    assert drops_after.get("nft_rule_drop", 0) - drops_before.get("nft_rule_drop", 0) >= 1


def tcp_checksum_errors(side):
    """The namespace's TcpInCsumErrors (/proc/net/snmp is per namespace)."""
    lines = [line.split() for line in side.run(["cat", "/proc/net/snmp"], check=True).stdout.splitlines()
             if line.startswith("Tcp:")]
    return int(dict(zip(lines[0], lines[1]))["InCsumErrors"])


def test_iperf3_through_keel(router):
    """One TCP stream inside -> outside for 3 s, masqueraded: it completes
    with data moved. The inside host's super-frames come in whole on the
    virtio NIC (GUEST_TSO4), are masqueraded as one with their checksum
    PARTIAL and leave the e1000 as TSO, which sums each segment from the
    pseudo-header NAT updated: the outside host finds no bad checksum."""
    if shutil.which("iperf3") is None:
        pytest.skip("iperf3 not installed (apt-get install iperf3)")
    stats_before = router.wait_for_stats()
    errors_before = tcp_checksum_errors(router.outside)
    server = router.outside.popen(["iperf3", "-s", "-1", "-p", "5201"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        result = router.inside.run(["iperf3", "-c", router.outside.host_ip, "-p", "5201", "-t", "3", "-J"], timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)
    report = json.loads(result.stdout)
    received = report["end"]["sum_received"]
    assert received["bytes"] > 0 and received["bits_per_second"] > 0, report.get("error")
    stats_after = router.wait_for_stats()
    super_frames = (stats_after["driver"]["eth0"].get("rx_gso_packets", 0)
                    - stats_before["driver"]["eth0"].get("rx_gso_packets", 0))
    assert super_frames > 0, stats_after["driver"]["eth0"]
    assert tcp_checksum_errors(router.outside) == errors_before


def test_conntrack_table_full_then_flushed(router):
    """nf_conntrack_max (32 here): 32 established flows fill the table with
    ASSURED entries that early drop may not evict, so 8 more new flows are
    dropped and counted as conntrack_table_full; the established ones keep
    flowing; once `conntrack -F` empties the table, new flows work again."""
    router.console("conntrack -F")
    before = router.wait_for_stats()["drops"]
    with Held(router.outside, router.inside, router.outside.host_ip, CONNTRACK_MAX, extra=8) as held:
        after = router.wait_for_stats()["drops"]
        count = [line for line in router.console("conntrack -C").splitlines() if line.strip().isdigit()]
        assert held.opened.get("opened") == CONNTRACK_MAX, held.opened
        assert held.opened.get("extra_opened") == 0, held.opened
        assert after.get("conntrack_table_full", 0) - before.get("conntrack_table_full", 0) >= 8, after
        assert count == [str(CONNTRACK_MAX)], count
        assert held.echo() == "still here"
    router.console("conntrack -F")
    got, seen = serve_and_ask(router, router.outside, router.inside, "tcp", OUTSIDE_PORT, router.outside.host_ip,
                              OUTSIDE_PORT)
    assert got == router.outside.guest_ip, (got, seen)


# Runs in one namespace: receives one UDP datagram on argv[1] (argv[2] s at most), prints its sender and length.
UDP_SINK = r"""
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(float(sys.argv[2]))
try:
    data, peer = s.recvfrom(65535)
    print(json.dumps({"peer": peer[0], "length": len(data), "intact": data == bytes(range(256)) * (len(data) // 256)}))
except OSError as error:
    print(json.dumps({"error": type(error).__name__}))
"""


@pytest.mark.parametrize("payload_blocks", [7, 16])
def test_fragments_reassembled_before_conntrack(router, payload_blocks):
    """Fragments in transit (scapy, 600-byte pieces) are reassembled before
    conntrack (Linux's nf_defrag_ipv4 at PRE_ROUTING -400), so the whole
    datagram is tracked, accepted and masqueraded, then cut again no larger
    than it came (frag_max_size): the outside host reassembles a datagram
    from keel's address. 1792 bytes fit one pkt; 4096 make a chain."""
    port = 9200 + payload_blocks
    payload = bytes(range(256)) * payload_blocks
    sink = router.outside.popen([PYTHON, "-c", UDP_SINK, str(port), "10"], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        before = router.wait_for_stats()
        datagram = IP(src=router.inside.host_ip, dst=router.outside.host_ip, id=0x4000 + payload_blocks) / \
            scapy.UDP(sport=42000, dport=port) / payload
        frames = [bytes(Ether(src="02:00:00:00:97:02", dst=router.inside.mac) / piece)
                  for piece in scapy.fragment(datagram, fragsize=600)]
        router.send_frames(router.inside, frames, listen=0.3)
        got = json.loads(sink.communicate(timeout=20)[0])
    finally:
        if sink.poll() is None:
            sink.kill()
        sink.wait(timeout=10)
    after = router.wait_for_stats()
    assert got == {"peer": router.outside.guest_ip, "length": len(payload), "intact": True}, got
    # keel cut it again itself (the forwarded fragments are new ones, not the ones sent)
    assert after["ip"]["IpFragCreates"] - before["ip"]["IpFragCreates"] >= len(frames)
    # The pieces went straight to the link: no hook tracked one of them as a flow of keel's own.
    assert conntrack_lines(router, f"-p udp -s {router.outside.guest_ip}") == []


def test_large_fragmented_ping_to_keel(router):
    """With conntrack on, fragments for keel itself are reassembled before
    prerouting too: a 3000-byte echo (three fragments, a pkt chain once
    whole) is answered, and its entry confirmed at input (conntrack -L
    lists it, the request's direction first, replied)."""
    result = router.inside.run(["ping", "-n", "-c", "1", "-W", "3", "-s", "3000", router.inside.guest_ip], timeout=30)
    assert " 1 received" in result.stdout, result.stdout + result.stderr
    lines = conntrack_lines(router, f"-p icmp -s {router.inside.host_ip} -d {router.inside.guest_ip}")
    assert len(lines) == 1 and "type=8" in lines[0] and "[UNREPLIED]" not in lines[0], lines


# Runs in the inside namespace: two 4000-byte datagrams to keel's UDP echo
# (argv[1]:argv[2]) from port argv[3], one after the other; prints the lengths that came back.
LARGE_UDP_CLIENT = r"""
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[3])))
s.settimeout(5)
lengths = []
for _ in range(2):
    s.sendto(bytes(range(250)) * 16, (sys.argv[1], int(sys.argv[2])))
    try:
        lengths.append(len(s.recv(65535)))
    except OSError as error:
        lengths.append(type(error).__name__)
print(json.dumps(lengths))
"""

# Counts what the input and output hooks see of keel's UDP echo, by conntrack state (one console line).
LOCAL_TABLE = ("nft 'table ip local { chain in { type filter hook input priority 0; udp dport 7 ct state new counter; "
               "udp dport 7 ct state established counter; } chain out { type filter hook output priority 0; "
               "udp sport 7 ct state established counter; } }'")
COUNTER = re.compile(r"ct state (new|established) counter packets (\d+) bytes (\d+)")


def test_large_udp_datagrams_to_keel_tracked_whole(router):
    """Two 4000-byte datagrams to keel's UDP echo (fragmented by the
    sender, a pkt chain once whole) under an input and an output chain:
    the first is NEW at input and counted whole (4028 bytes, the datagram,
    not the 2048 of its first pkt), its entry is confirmed there, so both
    echoes are ESTABLISHED (the reply direction) at output, counted whole
    before keel fragments them, and the second request is ESTABLISHED;
    conntrack -L shows the one flow, the client's direction first, replied."""
    loaded = router.console(LOCAL_TABLE)
    assert "Error" not in loaded, loaded
    try:
        result = router.inside.run([PYTHON, "-c", LARGE_UDP_CLIENT, router.inside.guest_ip, str(KEEL_ECHO_PORT),
                                    str(LARGE_CLIENT_PORT)], timeout=30)
        assert json.loads(result.stdout) == [4000, 4000], result.stdout + result.stderr
        listing = router.console("nft list table ip local")
        counters = [(state, int(packets), int(bytes_)) for state, packets, bytes_ in COUNTER.findall(listing)]
        assert counters == [("new", 1, 4028), ("established", 1, 4028), ("established", 2, 8056)], listing
        lines = conntrack_lines(router, f"-p udp --dport {KEEL_ECHO_PORT}")
        assert len(lines) == 1, lines
        assert (f"src={router.inside.host_ip} dst={router.inside.guest_ip} sport={LARGE_CLIENT_PORT} "
                f"dport={KEEL_ECHO_PORT}") in lines[0] and "[UNREPLIED]" not in lines[0], lines
    finally:
        router.console("nft delete table ip local")


# One console line (at most 255 characters), loaded as one transaction.
REPLACEMENT = ("nft 'flush ruleset; table ip nat { chain post { type nat hook postrouting priority 100; "
               "oifname \"eth1\" masquerade; } }; table ip filter { chain forward { type filter hook forward "
               "priority 0; policy drop; ct state established accept; } }'")


def test_ruleset_replaced_while_a_flow_runs(router):
    """Last (it changes the rules): a flow established under the boot
    ruleset, then the console loads a new one in one go that accepts only
    established traffic: the flow carries on (conntrack state survives the
    swap) while a new flow is now dropped by the new policy."""
    with Held(router.outside, router.inside, router.outside.host_ip, 1) as held:
        assert held.opened.get("opened") == 1, held.opened
        assert held.echo() == "still here"
        assert "Error" not in router.console(REPLACEMENT)      # (a stats block may be printed meanwhile)
        listing = router.console("nft list ruleset")
        assert "ct state established accept" in listing and "dnat" not in listing, listing
        assert held.echo() == "still here"
        got, _ = serve_and_ask(router, router.outside, router.inside, "tcp", OUTSIDE_PORT, router.outside.host_ip,
                               OUTSIDE_PORT)
        assert got == "TimeoutError", got


def test_reject_in_output_answers_the_local_stack(router):
    """`reject` in an output chain, as Linux's nf_send_unreach at LOCAL_OUT:
    keel's own echo reply is refused and the port unreachable goes to keel
    itself (through its loopback), not on the wire: the ping gets nothing,
    and keel's ICMP input takes the error (about an echo reply: no socket
    handles it, counted as icmp_error_no_handler)."""
    loaded = router.console("nft 'table ip out { chain o { type filter hook output priority 0; "
                            "icmp type echo-reply reject; } }'")
    assert "Error" not in loaded, loaded
    before = router.wait_for_stats()
    result = router.inside.run(["ping", "-n", "-c", "1", "-W", "2", router.inside.guest_ip], timeout=30)
    after = router.wait_for_stats()
    assert " 0 received" in result.stdout, result.stdout
    assert after["drops"].get("icmp_error_no_handler", 0) - before["drops"].get("icmp_error_no_handler", 0) == 1
    assert after["drops"].get("nft_rule_drop", 0) - before["drops"].get("nft_rule_drop", 0) == 1
