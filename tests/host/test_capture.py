"""Host tests of packet capture (net/core/capture*.c, the core of the
management port's GET /pcap): sessions, taps, filter, bounded buffer and
the pcap stream, judged by tshark.

The capture sources are compiled unchanged for the host with ASan and UBSan
and driven by tests/host/capture_check.c from a script (one command a
line: start, rx, tx, read, drain, stop...). Frames are built with scapy;
a transmitted frame the NIC would finish is given as the stack hands it to
the driver: PKT_CHECKSUM_PARTIAL with the pseudo-header sum in the field,
sometimes cut into a head and fragments (a TSO chain). The stream the
harness reads is written to a file that tshark reads back with checksum
validation on: frame count, direction (sll.pkttype), interface (sll.ifindex)
and checksums good. A parser here also compares every record byte for
byte with the frame it came from (with its checksum finished), so a record
that is cut, shifted or mixed with another fails.
"""
import os
import random
import shutil
import struct
import subprocess

import pytest

import host_build

scapy = pytest.importorskip("scapy.all")
Ether, IP, TCP, UDP, ICMP, ARP, IPv6, raw = (scapy.Ether, scapy.IP, scapy.TCP, scapy.UDP, scapy.ICMP, scapy.ARP,
                                             scapy.IPv6, scapy.raw)

SOURCES = ["net/core/capture.c", *host_build.CAPTURE_TAP, "net/core/pkt.c", "net/core/checksum.c",
           host_build.HOST_TESTS / "host_time_shim.c", host_build.HOST_TESTS / "capture_check.c"]

GUEST_MAC = "52:54:00:12:34:56"     # capture_check's device 1
PEER_MAC = "02:00:00:00:00:01"
GUEST, PEER = "10.99.0.2", "10.99.0.1"
REALTIME_NS = 1796646896789000000   # 2026-12-07 12:34:56.789 UTC
EBUSY, EINVAL = 16, 22
SLL2_HEADER, RECORD_HEADER, FILE_HEADER = 20, 16, 24
TSHARK_CHECKS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
GOOD = "1"                          # tshark's *.checksum.status: 0 bad, 1 good, 2 unverified


@pytest.fixture(scope="module")
def capture_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("capture"), "capture_check", SOURCES)


@pytest.fixture(scope="module")
def tshark():
    path = shutil.which("tshark")
    if path is None:
        pytest.fail("tshark is missing: DEBIAN_FRONTEND=noninteractive apt-get install -y tshark (make deps)")
    return path


def run_script(binary, lines):
    script = binary.parent / "script.txt"
    script.write_text("\n".join(lines) + "\n")
    result = host_build.run(binary, script, timeout=120)
    assert result.returncode == 0 and "capture_check: 0 failures" in result.stdout, result.stdout + result.stderr
    return result.stdout


def fold(total):
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def as_partial(frame, protocol):
    """The frame as the stack hands it to a checksum-offloading driver: the
    L4 checksum field holds the folded pseudo-header sum (RFC 9293 3.1),
    not the checksum. Returns (bytes, 'partial <start> <offset>')."""
    data = bytearray(raw(frame))
    ip_length = (data[14] & 0xF) * 4
    start = 14 + ip_length
    total_length = struct.unpack("!H", data[16:18])[0]
    field = start + (16 if protocol == 6 else 6)
    words = struct.unpack("!4H", bytes(data[26:34]))
    pseudo = fold(sum(words) + protocol + total_length - ip_length)
    data[field:field + 2] = struct.pack("!H", pseudo)
    return bytes(data), f"partial {start} {field - start}"


def tcp_frame(payload=b"x" * 100, sport=80, dport=40000, ip_id=1, src=GUEST, dst=PEER):
    return (Ether(src=GUEST_MAC, dst=PEER_MAC) / IP(src=src, dst=dst, id=ip_id)
            / TCP(sport=sport, dport=dport, flags="PA", seq=1000) / payload)


def udp_frame(payload=b"datagram", sport=5000, dport=7, ip_id=1, src=GUEST, dst=PEER, flags=0, frag=0):
    return (Ether(src=GUEST_MAC, dst=PEER_MAC) / IP(src=src, dst=dst, id=ip_id, flags=flags, frag=frag)
            / UDP(sport=sport, dport=dport) / payload)


def received(frame, dst=GUEST_MAC):
    """A frame coming in: the peer's, to dst."""
    frame = frame.copy()
    frame[Ether].src, frame[Ether].dst = PEER_MAC, dst
    if IP in frame:
        frame[IP].src, frame[IP].dst = frame[IP].dst, frame[IP].src
    return raw(frame)


def read_pcap(path):
    """(file header fields, [(seconds, microseconds, captured, original, bytes)])."""
    data = path.read_bytes()
    magic, major, minor, zone, accuracy, snap, linktype = struct.unpack("<IHHiIII", data[:FILE_HEADER])
    records, offset = [], FILE_HEADER
    while offset < len(data):
        assert offset + RECORD_HEADER <= len(data), "a record header cut short"
        seconds, micros, captured, original = struct.unpack("<IIII", data[offset:offset + RECORD_HEADER])
        offset += RECORD_HEADER
        assert offset + captured <= len(data), "a record cut short"
        records.append((seconds, micros, captured, original, data[offset:offset + captured]))
        offset += captured
    return (magic, major, minor, zone, accuracy, snap, linktype), records


def sll2_payload(record_bytes):
    """(protocol type, ifindex, packet type, sender address, the frame from its network header)."""
    protocol, reserved, ifindex, arphrd, packet_type, address_length = struct.unpack("!HHIHBB", record_bytes[:12])
    assert reserved == 0 and arphrd == 1 and address_length == 6
    return protocol, ifindex, packet_type, record_bytes[12:18], record_bytes[SLL2_HEADER:]


def tshark_fields(tshark, path, *fields):
    result = subprocess.run([tshark, "-r", str(path), *TSHARK_CHECKS, "-T", "fields", "-E", "separator=|",
                             *(argument for field in fields for argument in ("-e", field))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [line.split("|") for line in result.stdout.splitlines()]


def all_stats(output):
    """Every "stats" line the harness printed, in order, as dicts."""
    return [{name: int(value) for name, value in (pair.split("=") for pair in line.split()[1:])}
            for line in output.splitlines() if line.startswith("stats ")]


def finished_lines(output):
    return [line for line in output.splitlines() if line.startswith("finished")]


def session(path, *body, start="start 0 0 0 0 0 0", realtime=REALTIME_NS):
    return [f"output {path}", f"realtime {realtime}", start, *body, "drain", "stats", "stop"]


def test_directions_and_intact_checksums(capture_check, tshark, tmp_path):
    """Every direction and packet type, and checksums finished in the copy:
    TCP and UDP left PARTIAL (one UDP whose checksum comes to 0, sent as
    0xffff), in one buffer, in fragments, in fragments outside the pool, and
    a 20 kB TSO super-segment recorded as the one frame the driver gets. A
    frame whose field holds the pseudo-header sum but is not PARTIAL is the
    control: tshark must call it bad, so the good verdicts mean something."""
    path = tmp_path / "both.pcap"
    tcp_partial, tcp_where = as_partial(tcp_frame(ip_id=1), 6)
    udp_partial, udp_where = as_partial(udp_frame(ip_id=2), 17)
    super_segment = tcp_frame(payload=bytes(random.Random(5).randrange(256) for _ in range(20000)), ip_id=3)
    super_partial, super_where = as_partial(super_segment, 6)
    fragmented, fragmented_where = as_partial(tcp_frame(payload=b"f" * 1400, ip_id=4), 6)
    # Two payload bytes chosen so that the UDP checksum comes out 0.
    zero = bytearray(raw(udp_frame(payload=b"zz\0\0", ip_id=5)))
    udp_checksum = struct.unpack("!H", zero[40:42])[0]
    zero[44:46] = struct.pack("!H", udp_checksum)
    zero_frame = Ether(bytes(zero))
    del zero_frame[UDP].chksum
    assert raw(zero_frame)[40:42] == b"\xff\xff"
    zero_partial, zero_where = as_partial(zero_frame, 17)
    control, _ = as_partial(tcp_frame(ip_id=6), 6)
    frames = [
        ("tx", tcp_partial, tcp_where, raw(tcp_frame(ip_id=1))),
        ("tx", udp_partial, udp_where, raw(udp_frame(ip_id=2))),
        ("tx", super_partial, super_where + " split 54,5000,7000 external", raw(super_segment)),
        ("tx", fragmented, fragmented_where + " split 60,700", raw(tcp_frame(payload=b"f" * 1400, ip_id=4))),
        ("tx", zero_partial, zero_where, raw(zero_frame)),
        ("tx", raw(Ether(src=GUEST_MAC, dst=PEER_MAC) / IP(src=GUEST, dst=PEER, id=7) / ICMP()), "", None),
        ("rx", received(tcp_frame(ip_id=8)), "", None),
        ("rx", received(udp_frame(ip_id=9), dst="ff:ff:ff:ff:ff:ff"), "", None),
        ("rx", received(udp_frame(ip_id=10), dst="01:00:5e:00:00:01"), "", None),
        ("rx", received(udp_frame(ip_id=11), dst="02:00:00:00:00:99"), "", None),
        ("tx", control, "", None),
    ]
    script = [f"{direction} 1 {data.hex()} {where}".strip() for direction, data, where, _ in frames]
    stats = all_stats(run_script(capture_check, session(path, *script)))[-1]
    assert stats == {"sessions": 1, "captured": len(frames), "dropped": 0, "malformed": 0, "active": 1}

    header, records = read_pcap(path)
    assert header == (0xA1B2C3D4, 2, 4, 0, 0, 262144, 276)
    assert len(records) == len(frames)
    for (direction, data, _, finished), record in zip(frames, records):
        expected = finished or data
        seconds, micros, captured, original, record_bytes = record
        assert captured == original == len(expected) - 14 + SLL2_HEADER
        assert seconds * 10**6 + micros == REALTIME_NS // 1000
        protocol, ifindex, _, sender, network = sll2_payload(record_bytes)
        assert (protocol, ifindex, sender) == (struct.unpack("!H", expected[12:14])[0], 1, expected[6:12])
        assert network == expected[14:], f"record of {direction} frame differs"

    rows = tshark_fields(tshark, path, "frame.len", "sll.pkttype", "sll.ifindex", "ip.checksum.status",
                         "tcp.checksum.status", "udp.checksum.status", "frame.time_epoch")
    assert len(rows) == len(frames)
    assert [row[1] for row in rows] == ["4"] * 6 + ["0", "1", "2", "3", "4"]
    assert all(row[2] == "1" for row in rows)
    assert [int(row[0]) for row in rows] == [len(data) - 14 + SLL2_HEADER for _, data, _, _ in frames]
    assert all(row[3] == GOOD for row in rows), rows
    l4_status = [row[4] or row[5] for row in rows]
    assert l4_status[:5] == [GOOD] * 5 and l4_status[6:10] == [GOOD] * 4, rows
    assert l4_status[10] == "0", "tshark did not check the TCP checksum of the control frame"
    assert rows[0][6].startswith("1796646896.789")


def recorded_ids(path):
    """The IPv4 identification of each record (None: not IPv4), in order."""
    ids = []
    for record in read_pcap(path)[1]:
        protocol, _, _, _, network = sll2_payload(record[4])
        ids.append(struct.unpack("!H", network[4:6])[0] if protocol == 0x0800 and len(network) >= 20 else None)
    return ids


FILTER_FRAMES = [
    received(tcp_frame(ip_id=1, sport=80, dport=40000)),                       # TCP 10.99.0.1:40000 -> .2:80
    received(udp_frame(ip_id=2, sport=5000, dport=7)),                         # UDP .1:7 -> .2:5000
    received(udp_frame(ip_id=3, sport=5000, dport=7, src="10.99.0.3")),        # UDP .1:7 -> .3:5000
    received(Ether() / IP(src=GUEST, dst="10.99.0.4", id=4) / ICMP()),          # ICMP .4 -> .2
    received(udp_frame(ip_id=5, sport=80, dport=80, flags="MF", frag=0)),      # first fragment, port 80
    received(udp_frame(ip_id=6, sport=80, dport=80, frag=185)),                # a later fragment: "ports" are data
    received(Ether() / ARP(psrc=PEER, pdst=GUEST)),                            # ARP
    received(Ether() / IPv6() / UDP(sport=80, dport=80)),                      # IPv6
    bytes.fromhex(PEER_MAC.replace(":", "") * 2 + "0800" + "4f00"),            # IPv4 cut short, IHL 15
]


@pytest.mark.parametrize("protocol,host,port,expected", [
    (0, "0", 0, [1, 2, 3, 4, 5, 6, None, None, None]),   # no field: everything, ARP and IPv6 too
    (17, "0", 0, [2, 3, 5, 6]),
    (6, "0", 0, [1]),
    (1, "0", 0, [4]),
    (0, "10.99.0.3", 0, [3]),                              # source or destination
    (0, "10.99.0.1", 0, [1, 2, 3, 5, 6]),
    (0, "0", 80, [1, 5]),                                  # TCP or UDP, first fragment only
    (0, "0", 7, [2, 3]),
    (17, "0", 40000, []),
    (6, "10.99.0.1", 40000, [1]),
    (17, "10.99.0.3", 5000, [3]),
])
def test_filter(capture_check, tmp_path, protocol, host, port, expected):
    path = tmp_path / "filter.pcap"
    script = [f"rx 1 {frame.hex()}" for frame in FILTER_FRAMES]
    output = run_script(capture_check, session(path, *script, start=f"start 0 {protocol} {host} {port} 0 0"))
    assert recorded_ids(path) == expected
    assert all_stats(output)[-1]["captured"] == len(expected)


def test_device_and_invalid_filter(capture_check, tmp_path):
    """A session on device 2 records device 2's frames only; a port with
    ICMP is refused (-EINVAL) and opens nothing; a second start while one
    is open is -EBUSY."""
    path = tmp_path / "device.pcap"
    script = [f"rx {device} {received(udp_frame(ip_id=device)).hex()}" for device in (1, 2, 3, 2)]
    output = run_script(capture_check, ["start 0 1 0 80 0 0", "stats", *session(
        path, *script, "start 0 0 0 0 0 0", start="start 2 0 0 0 0 0")])
    starts = [line for line in output.splitlines() if line.startswith("start")]
    assert starts == [f"start {-EINVAL}", "start 0", f"start {-EBUSY}"]
    assert all_stats(output)[0]["sessions"] == 0 and all_stats(output)[-1]["sessions"] == 1
    assert recorded_ids(path) == [2, 2]
    assert {sll2_payload(record[4])[1] for record in read_pcap(path)[1]} == {2}


def test_frame_limit_and_finished(capture_check, tmp_path):
    """A limit of 5: five records, then the taps record nothing; finished only
    once the reader has taken everything; stop closes the session."""
    path = tmp_path / "limit.pcap"
    frames = [f"tx 1 {raw(udp_frame(ip_id=i)).hex()}" for i in range(1, 9)]
    output = run_script(capture_check, [
        f"output {path}", "start 0 0 0 0 5 0", *frames, "finished", "read 100", "finished", "drain", "finished",
        "stats", "stop", "stats", "finished"])
    assert recorded_ids(path) == [1, 2, 3, 4, 5]
    assert finished_lines(output) == ["finished 0", "finished 0", "finished 1", "finished 1"]
    during, after = all_stats(output)
    assert during["active"] == 1 and after["active"] == 0
    assert after["captured"] == 5 and after["dropped"] == 0


def test_duration_and_time_since_boot(capture_check, tmp_path):
    """A 100 ms session: frames after its end are not recorded, it is
    finished once drained even with no traffic to notice the end. Without a
    valid CMOS date the timestamps count from boot (the fake clock starts at
    1 s)."""
    path = tmp_path / "duration.pcap"
    frame = lambda number: f"rx 1 {received(udp_frame(ip_id=number)).hex()}"   # noqa: E731
    output = run_script(capture_check, [
        f"output {path}", "realtime none", "start 0 0 0 0 0 100", frame(1), "advance 50", frame(2), "advance 49",
        frame(3), "advance 1", frame(4), "finished", "drain", "finished", "stop",
        "start 0 0 0 0 0 100", "advance 200", "finished", "read 24", "finished", "stop"])
    # The file holds both sessions' streams; the first ends where the second's header begins.
    data = path.read_bytes()
    second = data.rindex(struct.pack("<I", 0xA1B2C3D4))
    (path.parent / "first.pcap").write_bytes(data[:second])
    assert recorded_ids(path.parent / "first.pcap") == [1, 2, 3]
    times = [record[0] * 10**6 + record[1] for record in read_pcap(path.parent / "first.pcap")[1]]
    assert times == [1_000_000, 1_050_000, 1_099_000]
    assert finished_lines(output) == ["finished 0", "finished 1", "finished 0", "finished 1"]
    assert len(data) - second == FILE_HEADER


def test_slow_reader_drops_and_never_overruns(capture_check, tshark, tmp_path):
    """A reader that does not read: the buffer (256 KiB) takes what fits
    and every other frame is a counted drop. Then a reader that takes
    random amounts between random frames (full-size, small and 30 kB
    super-segments, wrapping the buffer many times): the stream is every
    frame not dropped, in order, byte for byte, and tshark reads it whole."""
    path = tmp_path / "slow.pcap"
    rng = random.Random(int(os.environ.get("KEEL_TEST_SEED", "13")))
    full = lambda number: raw(udp_frame(payload=bytes(1472), ip_id=number))   # noqa: E731
    script = [f"tx 1 {full(number).hex()}" for number in range(400)]
    sent = [full(number) for number in range(400)]
    for number in range(400, 1600):
        size = rng.choice([18, 400, 1472, 1472, 30000])
        if size < 30000:
            frame = raw(udp_frame(payload=rng.randbytes(size), ip_id=number))
        else:
            frame = raw(tcp_frame(payload=rng.randbytes(size), ip_id=number))
        sent.append(frame)
        script.append(f"tx 1 {frame.hex()}" + (" split 1514" if len(frame) > 1514 else ""))
        if rng.random() < 0.5:
            script.append(f"read {rng.choice([1, 7, 100, 1500, 4096, 20000, 70000])}")
    output = run_script(capture_check, session(path, *script[:400], "stats", *script[400:]))
    first_stats, stats = all_stats(output)
    assert first_stats["captured"] == 170 and first_stats["dropped"] == 230, first_stats
    assert stats["captured"] + stats["dropped"] == len(sent)
    assert stats["dropped"] > 230, "the random reader never fell behind: the test did not wrap under pressure"

    records = [sll2_payload(record[4])[4] for record in read_pcap(path)[1]]
    assert len(records) == stats["captured"]
    position = 0
    for record in records:      # an ordered subsequence of what was sent, byte for byte
        while position < len(sent) and sent[position][14:] != record:
            position += 1
        assert position < len(sent), "a record matches no frame sent after the previous one"
        position += 1
    rows = tshark_fields(tshark, path, "frame.number", "udp.checksum.status", "tcp.checksum.status")
    assert len(rows) == stats["captured"]


def test_stop_mid_record_and_restart(capture_check, tshark, tmp_path):
    """A reader that goes away in the middle of a record: stop discards the
    rest and frees the buffer (LeakSanitizer checks at exit); the next
    session's stream starts with its own file header and reads cleanly."""
    first, second = tmp_path / "first.pcap", tmp_path / "second.pcap"
    frame = raw(udp_frame())
    output = run_script(capture_check, [
        f"output {first}", "start 0 0 0 0 0 0", f"tx 1 {frame.hex()}", f"tx 1 {frame.hex()}", "read 60", "stop",
        "stats", f"output {second}", "start 0 0 0 0 0 0", f"rx 1 {received(udp_frame()).hex()}", "drain", "stats"])
    assert first.stat().st_size == 60
    stopped, restarted = all_stats(output)
    assert stopped == {"sessions": 1, "captured": 2, "dropped": 0, "malformed": 0, "active": 0}
    assert restarted["sessions"] == 2 and restarted["active"] == 1
    rows = tshark_fields(tshark, second, "sll.pkttype", "udp.checksum.status")
    assert rows == [["0", GOOD]]


def test_malformed_and_inactive(capture_check, tmp_path):
    """Taps without a session record nothing; a frame shorter than an
    Ethernet header is counted, not recorded."""
    path = tmp_path / "malformed.pcap"
    output = run_script(capture_check, [
        f"rx 1 {received(udp_frame()).hex()}", f"tx 1 {raw(udp_frame()).hex()}", "stats",
        *session(path, "rx 1 0102030405060708090a", f"rx 1 {received(udp_frame(ip_id=9)).hex()}")])
    inactive, active = all_stats(output)
    assert inactive == {"sessions": 0, "captured": 0, "dropped": 0, "malformed": 0, "active": 0}
    assert active["malformed"] == 1 and active["captured"] == 1
    assert recorded_ids(path) == [9]


def test_record_buffer_against_a_model(capture_check):
    """The record buffer alone, 61 bytes, 20000 random records and reads
    (capture_check's ring command checks every byte read against a FIFO):
    no record over unread bytes, none read twice or out of order."""
    seed = int(os.environ.get("KEEL_TEST_SEED", "13"))
    output = run_script(capture_check, [f"ring {seed} 20000"])
    refused = int(output.split("ring refused=")[1].split()[0])
    assert 0 < refused < 20000, output
