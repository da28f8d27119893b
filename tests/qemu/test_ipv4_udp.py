"""IPv4 completed and UDP (issue 4): routing, fragmentation, reassembly,
ICMP errors with Linux's rate limits, UDP checks and echo.

One boot (virtio-net) with the in-kernel UDP echo (`keel.udp.testecho=7`),
a second echo whose socket connects to its first peer
(`keel.udp.testconnected=8`, for ICMP errors on connected sockets),
a 2-second reassembly timeout and two static routes:
  keel.route=198.51.100.0/24:10.99.0.51   (a gateway nobody answers for)
The host talks to it with its own sockets and ping (Linux fragments and
reassembles the other end) and with frames crafted by scapy; every check
reads what the guest sent back and its drop counters (before/after).
"""
import json
import re

import pytest

from qemu_boot import require_image, KERNEL_ELF
from netharness import GUEST_IP, HOST_IP, GuestNetwork, require_network_namespaces

scapy = pytest.importorskip("scapy.all")
Ether, IP, ICMP, UDP, ARP, Raw = scapy.Ether, scapy.IP, scapy.ICMP, scapy.UDP, scapy.ARP, scapy.Raw
fragment = scapy.fragment

ECHO_PORT = 7
CONNECTED_ECHO_PORT = 8
CLOSED_PORT = 9999
RATE_SOURCE = "10.99.0.60"      # a second host address: a fresh per-destination bucket
STATIC_GATEWAY = "10.99.0.51"   # keel.route's gateway; the host does not answer for it
OFF_LINK_DEFAULT = "192.0.2.7"  # only the default route covers it
OFF_LINK_STATIC = "198.51.100.9"
CMDLINE = (f"keel.udp.testecho={ECHO_PORT} keel.udp.testconnected={CONNECTED_ECHO_PORT} sysctl.net.ipv4.ipfrag_time=2 "
           f"keel.route=198.51.100.0/24:{STATIC_GATEWAY}")

# Runs in the namespace: sends each payload to the guest's echo port from a
# host UDP socket and reports what came back.
UDP_ECHO_SCRIPT = r"""
import json, socket, sys
request = json.load(sys.stdin)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.settimeout(5)
results = []
for size in request["sizes"]:
    payload = bytes((i * 7 + size) & 0xFF for i in range(size))
    s.sendto(payload, (request["guest"], request["port"]))
    try:
        data, source = s.recvfrom(70000)
        results.append({"size": size, "exact": data == payload, "length": len(data), "from": source[0]})
    except socket.timeout:
        results.append({"size": size, "exact": False, "length": -1, "from": None})
json.dump(results, sys.stdout)
"""


@pytest.fixture(scope="module")
def guest(request):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    failed_before = request.session.testsfailed
    net = GuestNetwork(nic="virtio-net-pci", machine="pc", cmdline=CMDLINE)
    try:
        net.start(timeout=60)
        if net.device_line("eth0") is None:
            pytest.skip("no eth0 bring-up line: virtio-net has not landed")
        assert net.ping(count=1, deadline=10)["received"] >= 1, "guest does not answer ping at all"
        net.host_mac = net.run(["cat", f"/sys/class/net/{net.tap}/address"], check=True).stdout.strip()
        net.run(["ip", "addr", "add", f"{RATE_SOURCE}/24", "dev", net.tap], check=True)
        yield net
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


# The host answers the echoes of scapy's datagrams (no socket of its own on
# their port) with port unreachable, which the guest's unconnected echo
# socket ignores (as Linux without IP_RECVERR).
HOST_NOISE = {"icmp_error_ignored"}


def drops_delta(before, after):
    return {reason: after["drops"][reason] - before["drops"].get(reason, 0)
            for reason in after["drops"]
            if after["drops"][reason] != before["drops"].get(reason, 0) and reason not in HOST_NOISE}


def udp_echo(guest, sizes):
    request = {"guest": GUEST_IP, "port": ECHO_PORT, "sizes": sizes}
    result = guest.run(["/usr/bin/python3", "-c", UDP_ECHO_SCRIPT], input=json.dumps(request), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def ether(guest):
    return Ether(src=guest.host_mac, dst=guest.mac)


def test_routes_printed(guest):
    log = guest.log
    assert "route: 10.99.0.0/24 dev eth0 scope link" in log
    assert "route: default via 10.99.0.1 dev eth0" in log
    assert f"route: 198.51.100.0/24 via {STATIC_GATEWAY} dev eth0" in log


def test_udp_echo_small_and_fragmented_both_ways(guest):
    before = guest.wait_for_stats()
    results = udp_echo(guest, [1, 100, 1472, 1473, 4000, 30000, 65507])
    after = guest.wait_for_stats()
    for result in results:
        assert result["exact"], result
        assert result["from"] == GUEST_IP
    assert drops_delta(before, after) == {}


def test_fragmented_ping_byte_exact(guest):
    result = guest.ping(count=3, size=4000, interval=0.2)
    assert result["received"] == 3, result["output"]
    assert "wrong data" not in result["output"], result["output"]


def test_port_unreachable_quotes_the_datagram(guest):
    probe = IP(src=HOST_IP, dst=GUEST_IP, id=0x4B51) / UDP(sport=40000, dport=CLOSED_PORT) / Raw(b"q" * 20)
    before = guest.wait_for_stats()
    replies = [Ether(f) for f in guest.exchange([bytes(ether(guest) / probe)], listen=1.0)]
    after = guest.wait_for_stats()
    errors = [p for p in replies if p.haslayer(ICMP) and p[ICMP].type == 3]
    assert len(errors) == 1, [p.summary() for p in replies]
    error = errors[0]
    assert error[ICMP].code == 3
    assert error[IP].src == GUEST_IP and error[IP].dst == HOST_IP
    quoted = bytes(error[ICMP].payload)
    assert quoted[:20] == bytes(probe)[:20], "the quoted IP header differs"
    assert quoted[20:28] == bytes(probe)[20:28], "the quoted UDP header differs"
    assert drops_delta(before, after) == {"udp_no_socket": 1}


def test_icmp_errors_rate_limited_per_destination(guest):
    guest.run(["ping", "-c", "1", "-I", RATE_SOURCE, GUEST_IP], timeout=15)   # the guest learns its MAC
    probes = [bytes(ether(guest) / IP(src=RATE_SOURCE, dst=GUEST_IP) / UDP(sport=40001, dport=CLOSED_PORT + i) /
                    Raw(b"r" * 8)) for i in range(200)]
    before = guest.wait_for_stats()
    captured = guest.exchange(probes, gap=0.002, listen=1.0, with_times=True)
    after = guest.wait_for_stats()
    errors = [when for when, f in captured
              if Ether(f).haslayer(ICMP) and Ether(f)[ICMP].type == 3 and Ether(f)[IP].dst == RATE_SOURCE]
    duration = max(when for when, _ in captured) - min(when for when, _ in captured) if captured else 0
    # Linux: a burst of 6 per destination, then one a second (icmp_ratelimit 1000 ms).
    assert 6 <= len(errors) <= 6 + int(duration) + 1, (len(errors), duration)
    delta = drops_delta(before, after)
    assert delta.get("udp_no_socket") == 200
    assert delta.get("icmp_error_rate_limited") == 200 - len(errors)


def test_ip_ids_counted_per_destination(guest):
    """IPv4 IDs come from a counter per (source, destination, protocol)
    with a secret start (RFC 6864 4.1, Linux's ip_idents): replies to one
    host do not move the IDs another host sees, so the guest cannot serve
    as the "zombie" of an idle scan (nmap -sI)."""
    def echo_reply_ids(source, count, ident):
        requests = [bytes(ether(guest) / IP(src=source, dst=GUEST_IP) / ICMP(id=ident, seq=i) / Raw(b"i" * 8))
                    for i in range(count)]
        replies = [Ether(f) for f in guest.exchange(requests, gap=0.01, listen=0.5)]
        return [f[IP].id for f in replies if f.haslayer(ICMP) and f[ICMP].type == 0 and f[IP].dst == source
                and f[ICMP].id == ident]
    guest.run(["ping", "-c", "1", "-I", RATE_SOURCE, GUEST_IP], timeout=15)   # the guest learns its MAC
    first = echo_reply_ids(HOST_IP, 3, 0x1D01)
    others = echo_reply_ids(RATE_SOURCE, 10, 0x1D02)
    again = echo_reply_ids(HOST_IP, 3, 0x1D03)
    assert (len(first), len(others), len(again)) == (3, 10, 3)
    ids = first + again
    # One counter for everybody would put a gap of 10 between first and again.
    assert all((later - earlier) & 0xFFFF == 1 for earlier, later in zip(ids, ids[1:])), (ids, others)


def echo_datagram(payload, ident, source=HOST_IP, sport=40002):
    return IP(src=source, dst=GUEST_IP, id=ident) / UDP(sport=sport, dport=ECHO_PORT) / Raw(payload)


def echoed(replies, payload):
    """Reassembles (with scapy) what the guest sent back to the echo port's sender."""
    packets = [Ether(f)[IP] for f in replies if Ether(f).haslayer(IP) and Ether(f)[IP].proto == 17]
    whole = scapy.defragment(packets) if packets else []
    return [bytes(p[UDP].payload) for p in whole if p.haslayer(UDP) and p[UDP].sport == ECHO_PORT
            and bytes(p[UDP].payload) == payload]


def test_reassembly_out_of_order_and_duplicates(guest):
    payload = bytes(range(256)) * 12
    fragments = fragment(echo_datagram(payload, 0x5101), fragsize=512)
    shuffled = list(reversed(fragments))
    shuffled.insert(shuffled.index(fragments[2]) + 1, fragments[2])  # reverse order and a duplicate
    before = guest.wait_for_stats()
    replies = guest.exchange([bytes(ether(guest) / f) for f in shuffled], listen=1.0)
    after = guest.wait_for_stats()
    assert len(echoed(replies, payload)) == 1
    assert drops_delta(before, after) == {"ip_reassembly_duplicate": 1}


def test_overlapping_fragments_drop_the_datagram(guest):
    payload = b"o" * 1600
    fragments = fragment(echo_datagram(payload, 0x5102), fragsize=800)
    overlapping = fragments[1].copy()
    overlapping.frag = fragments[1].frag - 1                        # starts 8 bytes earlier: overlaps
    del overlapping.chksum
    frames = [fragments[0], overlapping, fragments[1], fragments[2]]
    before = guest.wait_for_stats()
    replies = guest.exchange([bytes(ether(guest) / f) for f in frames], listen=1.0)
    after = guest.wait_for_stats()
    assert echoed(replies, payload) == []
    # The two held and the overlapping one, then the rest of the datagram (RFC 5722).
    assert drops_delta(before, after) == {"ip_reassembly_overlap": 4}


def test_incomplete_datagram_times_out_with_icmp(guest):
    complete = fragment(echo_datagram(b"t" * 2000, 0x5103), fragsize=1000)
    headless = fragment(echo_datagram(b"h" * 2000, 0x5104), fragsize=1000)
    frames = [complete[0], headless[1]]                             # each misses a fragment
    before = guest.wait_for_stats()
    replies = [Ether(f) for f in guest.exchange([bytes(ether(guest) / f) for f in frames], listen=3.5)]
    after = guest.wait_for_stats()
    exceeded = [p for p in replies if p.haslayer(ICMP) and p[ICMP].type == 11]
    assert len(exceeded) == 1, [p.summary() for p in replies]
    assert exceeded[0][ICMP].code == 1
    assert bytes(exceeded[0][ICMP].payload)[:20] == bytes(complete[0])[:20]   # quotes the first fragment
    assert drops_delta(before, after) == {"ip_reassembly_timeout": 2}


def test_udp_bad_checksum_and_bad_length_dropped(guest):
    good = echo_datagram(b"c" * 40, 0x5105)
    bad_checksum = good.copy()
    bad_checksum[UDP].chksum = 0x1234
    long_length = echo_datagram(b"l" * 40, 0x5106)
    long_length[UDP].len = 100
    short_length = echo_datagram(b"s" * 40, 0x5107)
    short_length[UDP].len = 7
    no_checksum = echo_datagram(b"n" * 40, 0x5108)
    no_checksum[UDP].chksum = 0                                     # RFC 768: none computed: accepted
    frames = [bad_checksum, long_length, short_length, no_checksum]
    before = guest.wait_for_stats()
    replies = guest.exchange([bytes(ether(guest) / f) for f in frames], listen=1.0)
    after = guest.wait_for_stats()
    assert echoed(replies, b"c" * 40) == [] and echoed(replies, b"l" * 40) == []
    assert len(echoed(replies, b"n" * 40)) == 1
    assert drops_delta(before, after) == {"udp_bad_checksum": 1, "udp_bad_length": 2}


def test_off_link_sources_answered_via_their_routes(guest):
    frames = [bytes(ether(guest) / echo_datagram(b"d" * 30, 0x5109, source=OFF_LINK_DEFAULT)),
              bytes(ether(guest) / echo_datagram(b"s" * 30, 0x510A, source=OFF_LINK_STATIC))]
    replies = [Ether(f) for f in guest.exchange(frames, listen=1.5)]
    via_default = [p for p in replies if p.haslayer(UDP) and p[IP].dst == OFF_LINK_DEFAULT]
    assert len(via_default) == 1, [p.summary() for p in replies]
    assert via_default[0][Ether].dst == guest.host_mac             # the gateway 10.99.0.1's MAC
    assert bytes(via_default[0][UDP].payload) == b"d" * 30
    arp_targets = {p[ARP].pdst for p in replies if p.haslayer(ARP) and p[ARP].op == 1}
    assert STATIC_GATEWAY in arp_targets, arp_targets              # the static route's gateway
    assert OFF_LINK_STATIC not in arp_targets and OFF_LINK_DEFAULT not in arp_targets


# ---- received ICMP errors (net/ipv4/icmp_error_input.c, udp_icmp_error) ----

CONNECTED_ERROR_LINE = "udp: testconnected: error 111"   # ECONNREFUSED

# Runs in the namespace: a host UDP socket talks to the connected echo; in
# between, a crafted port unreachable quoting the echo's reply to it goes to
# the guest (the host socket stays open: the host kernel sends no error of
# its own). Reports what came back.
CONNECTED_SCRIPT = r"""
import json, socket, sys, time
from scapy.all import Ether, IP, ICMP, UDP, Raw, conf, sendp
conf.verb = 0
request = json.load(sys.stdin)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((request["host"], 0))
s.settimeout(5)
port = s.getsockname()[1]
results = {}
s.sendto(b"one", (request["guest"], request["echo_port"]))
results["one"] = s.recv(100).decode()
quoted = IP(src=request["guest"], dst=request["host"], id=1) / UDP(sport=request["echo_port"], dport=port) / Raw(b"one")
error = (Ether(src=request["host_mac"], dst=request["guest_mac"]) / IP(src=request["host"], dst=request["guest"]) /
         ICMP(type=3, code=3) / Raw(bytes(quoted)))
sendp(error, iface=request["iface"])
time.sleep(1.0)
s.sendto(b"two", (request["guest"], request["echo_port"]))
results["two"] = s.recv(100).decode()
json.dump(results, sys.stdout)
"""


def count_lines(log, text):
    return sum(1 for line in log.splitlines() if text in line)


def icmp_error(type_, code, quote, source=HOST_IP):
    """An ICMP error from source to the guest quoting the bytes quote."""
    return IP(src=source, dst=GUEST_IP) / ICMP(type=type_, code=code) / Raw(quote)


def quoted_udp(sport, dport=40200, payload=b"q" * 12):
    return bytes(IP(src=GUEST_IP, dst=HOST_IP, id=7) / UDP(sport=sport, dport=dport) / Raw(payload))


def test_connected_udp_gets_the_host_kernels_port_unreachable(guest):
    """The real thing: the echo goes to a host port nobody listens on, and
    Linux's own port unreachable reaches the connected socket. Runs first:
    the connected echo is still free (the next test leaves it connected)."""
    log_offset = len(guest.log)
    probe = IP(src=HOST_IP, dst=GUEST_IP) / UDP(sport=40300, dport=CONNECTED_ECHO_PORT) / Raw(b"nobody home")
    replies = [Ether(f) for f in guest.exchange([bytes(ether(guest) / probe)], listen=1.0)]
    assert any(p.haslayer(UDP) and p[UDP].sport == CONNECTED_ECHO_PORT and p[UDP].dport == 40300 for p in replies), \
        [p.summary() for p in replies]
    guest.wait_for_log(CONNECTED_ERROR_LINE, timeout=10, start=log_offset)


def test_connected_udp_gets_crafted_port_unreachable(guest):
    """A connected socket's next receive reports ECONNREFUSED once (the test
    echo prints it and dissolves the connection); the ICMP error is used, no
    drop counted; the socket then serves again."""
    lines_before = count_lines(guest.log, CONNECTED_ERROR_LINE)
    before = guest.wait_for_stats()
    request = {"iface": guest.tap, "host": HOST_IP, "guest": GUEST_IP, "echo_port": CONNECTED_ECHO_PORT,
               "host_mac": guest.host_mac, "guest_mac": guest.mac}
    result = guest.run(["/usr/bin/python3", "-c", CONNECTED_SCRIPT], input=json.dumps(request), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == {"one": "one", "two": "two"}
    after = guest.wait_for_stats()
    assert count_lines(guest.log, CONNECTED_ERROR_LINE) == lines_before + 1, guest.log[-2000:]
    assert drops_delta(before, after) == {}


def test_icmp_errors_checked_and_counted(guest):
    """Malformed, unmatched and ignored ICMP errors: each dropped under its
    reason, and never answered with an ICMP error (RFC 1122 3.2.2)."""
    good_quote = quoted_udp(ECHO_PORT)
    ihl_four = bytearray(good_quote)
    ihl_four[0] = 0x44
    version_six = bytearray(good_quote)
    version_six[0] = 0x65
    gre_quote = bytes(IP(src=GUEST_IP, dst=HOST_IP, proto=47) / Raw(b"g" * 8))
    tcp_quote = bytes(IP(src=GUEST_IP, dst=HOST_IP) / scapy.TCP(sport=80, dport=40400, seq=1234))
    bad_checksum = icmp_error(3, 3, good_quote)
    bad_checksum[ICMP].chksum = 0xBEEF
    cases = [
        (icmp_error(3, 3, good_quote[:20 + 4]), "icmp_error_bad_quote"),        # 4 bytes of UDP: < 8
        (icmp_error(3, 3, good_quote[:12]), "icmp_error_bad_quote"),            # not even an IP header
        (icmp_error(3, 3, bytes(ihl_four)), "icmp_error_bad_quote"),
        (icmp_error(11, 0, bytes(version_six)), "icmp_error_bad_quote"),
        (icmp_error(3, 2, gre_quote), "icmp_error_no_handler"),
        (icmp_error(3, 3, quoted_udp(5555)), "icmp_error_no_socket"),
        (icmp_error(3, 3, tcp_quote), "icmp_error_no_socket"),
        (icmp_error(3, 3, good_quote), "icmp_error_ignored"),                   # the unconnected echo
        (icmp_error(12, 0, good_quote), "icmp_error_ignored"),
        (icmp_error(4, 0, good_quote), "icmp_source_quench"),                   # RFC 6633
        (icmp_error(3, 20, good_quote), "icmp_error_unknown_code"),
        (bad_checksum, "icmp_bad_checksum"),
    ]
    expected = {}
    for _, reason in cases:
        expected[reason] = expected.get(reason, 0) + 1
    before = guest.wait_for_stats()
    replies = [Ether(f) for f in guest.exchange([bytes(ether(guest) / frame) for frame, _ in cases], listen=1.0)]
    after = guest.wait_for_stats()
    sent_icmp = [p.summary() for p in replies if p.haslayer(ICMP)]
    assert sent_icmp == [], sent_icmp
    delta = {reason: after["drops"][reason] - before["drops"].get(reason, 0)
             for reason in after["drops"] if after["drops"][reason] != before["drops"].get(reason, 0)}
    assert delta == expected
