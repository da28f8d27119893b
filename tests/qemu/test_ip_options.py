"""IPv4 options and large echo requests from outside (issue 14, points 1 and 2).

One boot per NIC (virtio-net, e1000), ICMP error rate limits off so every
parameter problem is seen. From the host namespace:
- `ping -s 8000` and `ping -s 65507` (the largest IPv4 datagram: Linux
  fragments the request, the guest reassembles it and must answer with a
  fragmented reply whose payload ping's own check finds intact);
- `ping -R` and `ping -T tsonly` (Record Route and Timestamp): answered, the
  guest's address / times recorded in the reply, as Linux's ip_options_echo;
- scapy echo requests with each kind of malformed options area: answered
  with ICMP parameter problem whose pointer names the bad octet (counted
  from the IP header's first byte, RFC 792), quoting the request; loose and
  strict source routes dropped without a word (accept_source_route=0, as
  Linux); a full Timestamp option answered with only its overflow count
  bumped. The guest's drop counters grow by exactly the frames sent:
  ip_bad_options per malformed request, ip_source_route per source route.
"""
import struct

import pytest

from qemu_boot import require_image, KERNEL_ELF
from netharness import GUEST_IP, HOST_IP, GuestNetwork, require_network_namespaces

scapy = pytest.importorskip("scapy.all")
Ether, ICMP, Raw = scapy.Ether, scapy.ICMP, scapy.Raw

NICS = [pytest.param(("virtio-net-pci", "virtio-net"), id="virtio-net"), pytest.param(("e1000", "e1000"), id="e1000")]

# name -> (options area, the pointer the parameter problem must carry)
MALFORMED = {
    "length_1": (bytes([7, 1, 0, 0]), 20),                                 # Record Route of length 1
    "unknown_length_0": (bytes([30, 0, 0, 0]), 20),                         # unknown type, length 0
    "beyond_header": (bytes([1, 1, 7, 11]), 22),                            # length 11 with 2 bytes left
    "timestamp_pointer_4": (bytes([68, 12, 4, 0]) + bytes(8), 22),          # pointer below its minimum 5
    "truncated": (bytes([1, 1, 1, 7]), 23),                                 # a type byte and no length
    "timestamp_overflow_15": (bytes([68, 8, 9, 0xF0, 0, 0, 0, 1]), 23),     # full, overflow already 15
}
SOURCE_ROUTES = {
    "loose": bytes([131, 7, 4, 10, 99, 0, 3, 0]),
    "strict": bytes([137, 7, 4, 10, 99, 0, 3, 0]),
}
FULL_TIMESTAMP = bytes([68, 8, 9, 0x20, 0, 0, 0, 1])                         # full, overflowed twice
FULL_TIMESTAMP_ID = 0x7500


def checksum(data):
    data = data + b"\0" * (len(data) % 2)
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo_with_options(options, identifier):
    """An IPv4 echo request from the host to the guest carrying options."""
    icmp = bytes(ICMP(type=8, id=identifier, seq=1) / Raw(b"options!" * 3))
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(icmp), identifier, 0, 64, 1, 0,
                         bytes(map(int, HOST_IP.split("."))), bytes(map(int, GUEST_IP.split(".")))) + options
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + icmp


def ip_of(frame):
    """The IPv4 datagram of an ICMP frame from the guest, else None."""
    ip = frame[14:]
    if frame[12:14] != b"\x08\x00" or len(ip) < 20 or ip[9] != 1:
        return None
    return ip


def icmp_of(ip):
    return ip[(ip[0] & 0xF) * 4:]


def quoted_identifier(icmp):
    """The ICMP identifier of the echo request an ICMP error quotes."""
    quote = icmp[8:]
    inner = quote[(quote[0] & 0xF) * 4:]
    return struct.unpack("!H", inner[4:6])[0]


@pytest.fixture(scope="module", params=NICS)
def guest(request):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    nic, driver = request.param
    failed_before = request.session.testsfailed
    net = GuestNetwork(nic=nic, machine="pc", cmdline="sysctl.net.ipv4.icmp_ratelimit=0")
    try:
        net.start(timeout=60)
        if net.device_line("eth0") is None:
            pytest.skip(f"no eth0 bring-up line with -device {nic}: driver {driver} has not landed")
        assert net.ping(count=1, deadline=10)["received"] >= 1, "guest does not answer ping at all"
        net.host_mac = net.run(["cat", f"/sys/class/net/{net.tap}/address"], check=True).stdout.strip()
        yield net
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


@pytest.fixture(scope="module")
def crafted(guest):
    """The scapy exchange, once per boot, with the drop counters around it."""
    ether = bytes(Ether(src=guest.host_mac, dst=guest.mac, type=0x0800))
    frames = [ether + echo_with_options(options, 0x7100 + i) for i, (options, _) in enumerate(MALFORMED.values())]
    frames += [ether + echo_with_options(options, 0x7300 + i) for i, options in enumerate(SOURCE_ROUTES.values())]
    frames.append(ether + echo_with_options(FULL_TIMESTAMP, FULL_TIMESTAMP_ID))
    before = guest.wait_for_stats()
    datagrams = [ip for ip in map(ip_of, guest.exchange(frames, listen=1.5)) if ip is not None]
    after = guest.wait_for_stats()
    return {"datagrams": datagrams, "replies": [icmp_of(ip) for ip in datagrams],
            "before": before["drops"], "after": after["drops"]}


@pytest.mark.parametrize("size", [8000, 65507])
def test_large_ping_answered(guest, size):
    result = guest.ping(count=3, size=size, interval=0.3, deadline=20)
    assert result["received"] == 3, result["output"]
    assert f"{size + 8} bytes from {GUEST_IP}" in result["output"], result["output"]
    assert "wrong data" not in result["output"] and "truncated" not in result["output"], result["output"]


def test_record_route_echoed(guest):
    result = guest.run(["ping", "-n", "-R", "-c", "1", "-w", "5", GUEST_IP], timeout=15)
    assert " 1 received" in result.stdout, result.stdout + result.stderr
    route = result.stdout.split("RR:", 1)[1].split()
    # Host out, guest in, guest out, host in (Linux records on input and output).
    assert route[:4] == [HOST_IP, GUEST_IP, GUEST_IP, HOST_IP], result.stdout


def test_timestamp_echoed(guest):
    result = guest.run(["ping", "-n", "-T", "tsonly", "-c", "1", "-w", "5", GUEST_IP], timeout=15)
    assert " 1 received" in result.stdout, result.stdout + result.stderr
    assert "TS:" in result.stdout, result.stdout
    stamps = result.stdout.split("TS:", 1)[1].split("\n\n", 1)[0].split()
    assert len([s for s in stamps if s.isdigit() or s.lstrip("+-").isdigit()]) >= 3, result.stdout


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_options_get_parameter_problem(crafted, name):
    identifier = 0x7100 + list(MALFORMED).index(name)
    problems = [icmp for icmp in crafted["replies"] if icmp[0] == 12 and quoted_identifier(icmp) == identifier]
    assert len(problems) == 1, [icmp[:8].hex() for icmp in crafted["replies"]]
    assert problems[0][1] == 0 and problems[0][4] == MALFORMED[name][1], problems[0][:8].hex()
    assert checksum(problems[0]) == 0


def test_source_routes_dropped_silently(crafted):
    ids = {0x7300 + i for i in range(len(SOURCE_ROUTES))}
    about = [icmp for icmp in crafted["replies"]
             if (icmp[0] == 0 and struct.unpack("!H", icmp[4:6])[0] in ids)
             or (icmp[0] != 0 and len(icmp) > 36 and quoted_identifier(icmp) in ids)]
    assert about == [], [icmp[:8].hex() for icmp in about]


def test_full_timestamp_only_overflow_bumped(crafted):
    replies = [ip for ip in crafted["datagrams"]
               if icmp_of(ip)[0] == 0 and struct.unpack("!H", icmp_of(ip)[4:6])[0] == FULL_TIMESTAMP_ID]
    assert len(replies) == 1, [ip[:28].hex() for ip in crafted["datagrams"]]
    options = replies[0][20:(replies[0][0] & 0xF) * 4]
    # The overflow count (high nibble of byte 3) went from 2 to 3; nothing else moved.
    assert options == FULL_TIMESTAMP[:3] + bytes([0x30]) + FULL_TIMESTAMP[4:], options.hex()


def test_drops_counted_under_their_reasons(crafted):
    before, after = crafted["before"], crafted["after"]
    assert after["ip_bad_options"] - before["ip_bad_options"] == len(MALFORMED), (before, after)
    assert after["ip_source_route"] - before["ip_source_route"] == len(SOURCE_ROUTES), (before, after)
