"""Writes the seed corpora of tests/fuzz/corpus/<harness>/seed-*: valid
(and some deliberately malformed) inputs that start each harness deep in
its parser. Run by hand after a parser or harness input format changes:

    /usr/bin/python3 tests/fuzz/make_seeds.py

admin_http: the management port's requests (/metrics, /cmd with a token,
/pcap) and two odd ones (bare LF, Transfer-Encoding).

wire: every literal frame of tests/host/wire_check_*.c (each after the
peer's ARP request, so answers can be sent), plus with scapy: an echo
request of 3000 bytes as fragments in reverse order, an overlapping
fragment pair, UDP to the bound port 5000 and to a closed port, and ICMP
errors quoting UDP and TCP headers, datagrams for another host with forwarding
on (through, TTL 1, a fragment, martian, no route, source route). dhcp: an OFFER and an ACK with every
option the parser reads, one overloading file and sname. http_request and
http_range: a few requests and Range values. tcp: scripts through
the connection's states (see fuzz_tcp.c for the operations). cmdline: a
few command lines with ip=, sysctls, quotes and bad values. conntrack: TCP, UDP
and ICMP flows with each NAT mode (see fuzz_conntrack.c). nft: rulesets
(tests/qemu/nft/*.nft and one with every construct). console: typed
lines with editing keys, quotes and sysctl commands. capture: TCP and UDP
frames left PARTIAL (in one buffer, in fragments, outside the pool),
ARP, with and without a filter (see fuzz_capture.c). virtio_rx: TCP
super-frames and plain frames behind virtio-net headers (fuzz_virtio_rx.c). The crash-* reproducers kept
beside the seeds are never touched here.
"""
import re
from pathlib import Path

from scapy.all import ARP, ICMP, IP, TCP, UDP, Ether, IPOption_LSRR, Raw, fragment

FUZZ = Path(__file__).resolve().parent
HOST = FUZZ.parent / "host"
CORPUS = FUZZ / "corpus"
US_MAC, PEER_MAC = "02:00:00:00:00:02", "02:00:00:00:00:01"
US, PEER = "10.99.0.2", "10.99.0.1"


def c_arrays(path):
    """The byte arrays `static const uint8_t name[] = { 0x.., ... };` of a C file."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
    for name, body in re.findall(r"static const uint8_t (\w+)\[\] = \{(.*?)\};", text, flags=re.DOTALL):
        tokens = [token.strip() for token in body.split(",") if token.strip()]
        if tokens and all(re.fullmatch(r"0x[0-9a-fA-F]{1,2}", token) for token in tokens):
            yield name, bytes(int(token, 16) for token in tokens)


def frames(*packets, step=0, forwarding=False):
    """The wire harness's input: each frame after a 2-byte header (length,
    forwarding on for the frame in bit 11, clock step)."""
    out = b""
    for packet in packets:
        data = bytes(packet)
        out += ((step << 12) | (forwarding << 11) | len(data)).to_bytes(2, "big") + data
    return out


def ether():
    return Ether(dst=US_MAC, src=PEER_MAC)


def wire_seeds():
    arrays = dict(array for path in sorted(HOST.glob("wire_check*.c")) for array in c_arrays(path))
    peer_asks = arrays.pop("peer_asks")
    seeds = {f"seed-{name}": frames(peer_asks, frame) for name, frame in arrays.items()}
    echo = IP(src=PEER, dst=US, id=7) / ICMP(id=1, seq=1) / Raw(bytes(range(256)) * 12)
    pieces = fragment(echo, fragsize=1480)
    seeds["seed-echo-3000-fragments-reversed"] = frames(peer_asks, *[ether() / p for p in reversed(pieces)])
    seeds["seed-fragment-overlap"] = frames(peer_asks, *[ether() / p for p in fragment(echo, fragsize=800)[:2]],
                                            ether() / IP(src=PEER, dst=US, id=7, frag=50, flags=1) / Raw(b"x" * 800))
    seeds["seed-fragment-timeout"] = frames(ether() / pieces[0]) + frames(ether() / pieces[1], step=15)
    seeds["seed-udp-bound-port"] = frames(peer_asks, ether() / IP(src=PEER, dst=US) / UDP(sport=40000, dport=5000) /
                                          Raw(b"hello"))
    seeds["seed-udp-closed-port"] = frames(peer_asks, ether() / IP(src=PEER, dst=US) / UDP(sport=40000, dport=5001) /
                                           Raw(b"hello"))
    quoted_udp = IP(src=US, dst=PEER) / UDP(sport=5000, dport=40000) / Raw(b"12345678")
    quoted_tcp = IP(src=US, dst=PEER) / TCP(sport=80, dport=40000, flags="A")
    for name, error in [("unreachable-udp", ICMP(type=3, code=3) / quoted_udp),
                        ("frag-needed-tcp", ICMP(type=3, code=4, nexthopmtu=1280) / quoted_tcp),
                        ("time-exceeded-udp", ICMP(type=11, code=0) / quoted_udp),
                        ("parameter-problem-udp", ICMP(type=12, code=0, ptr=20) / quoted_udp)]:
        seeds[f"seed-icmp-{name}"] = frames(peer_asks, ether() / IP(src=PEER, dst=US) / error)
    other = "10.99.0.77"                    # on our link, not us: forwarded back out of eth0
    other_answers = Ether(dst=US_MAC, src="02:00:00:00:00:77") / ARP(op=2, hwsrc="02:00:00:00:00:77", psrc=other,
                                                                     hwdst=US_MAC, pdst=US)
    for name, datagram in [("through", IP(src=PEER, dst=other) / ICMP()),
                           ("ttl-1", IP(src=PEER, dst=other, ttl=1) / ICMP()),
                           ("a-fragment", IP(src=PEER, dst=other, flags="MF", frag=100) / UDP() / Raw(b"x" * 64)),
                           ("martian-source", IP(src="169.254.1.1", dst=other) / ICMP()),
                           ("no-route", IP(src=PEER, dst="203.0.113.9") / ICMP()),
                           ("source-route", IP(src=PEER, dst=other, options=[IPOption_LSRR(routers=[other])]) / ICMP())]:
        seeds[f"seed-forward-{name}"] = frames(peer_asks, ether() / datagram, other_answers, forwarding=True)
    return seeds


def bootp(message_type, options, sname=b"", file=b""):
    fixed = (bytes([2, 1, 6, 0]) + bytes.fromhex("1a2b3c4d") + bytes(4) + bytes(4) + bytes([10, 99, 0, 15]) +
             bytes(8) + bytes.fromhex("525400123456").ljust(16, b"\0") + sname.ljust(64, b"\0") +
             file.ljust(128, b"\0"))
    return fixed + bytes.fromhex("63825363") + bytes([53, 1, message_type]) + options + b"\xff"


def dhcp_seeds():
    common = bytes.fromhex("3604" "0a630001" "0104" "ffffff00" "0304" "0a630001" "3304" "00000e10"
                           "3a04" "00000708" "3b04" "00000c4e" "0608" "0a630001" "08080808" "1a02" "0578"
                           "380568656c6c6f")
    routes = bytes.fromhex("790d" "18" "0a6400" "0a630001" "00" "0a630001")
    return {
        "seed-offer": bootp(2, common),
        "seed-ack-classless-routes": bootp(5, common + routes),
        "seed-nak": bootp(6, bytes.fromhex("3604" "0a630001")),
        "seed-ack-overload-both": bootp(5, bytes.fromhex("340103"), sname=bytes.fromhex("3604" "0a630001" "ff"),
                                        file=bytes.fromhex("3304" "00000e10" "0104" "ffffff00" "ff")),
    }


def http_request_seeds():
    requests = {
        "get": b"GET /index.html HTTP/1.1\r\nHost: keel\r\nUser-Agent: curl/7.88\r\nAccept: */*\r\n\r\n",
        "head-http10": b"HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "range": b"GET /1m.bin HTTP/1.1\r\nHost: keel\r\nRange: bytes=0-99,200-,-50\r\nIf-Range: \"abc\"\r\n\r\n",
        "chunked": (b"POST /upload HTTP/1.1\r\nHost: keel\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n"),
        "content-length": b"GET /?q=a%20b HTTP/1.1\r\nHost: keel\r\nContent-Length: 3\r\n\r\nabc",
        "absolute-form": b"\r\nGET http://keel/a/../b/./c//d HTTP/1.1\r\nHost: keel\r\nIf-None-Match: \"x\", W/\"y\"\r\n\r\n",
        "smuggling": b"GET / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    }
    return {f"seed-{name}": request for name, request in requests.items()}


def http_range_seeds():
    values = {"one": (10000, b"bytes=0-99"), "several": (10000, b"bytes=0-9,20-29,-5"),
              "suffix": (300, b"bytes=-100"), "overlap": (1000, b"bytes=0-9, 5-14 ,10-19"),
              "unsatisfiable": (100, b"bytes=100-,-0"), "other-unit": (100, b"items=0-1")}
    return {f"seed-{name}": size.to_bytes(2, "big") + value for name, (size, value) in values.items()}


def admin_http_seeds():
    requests = {
        "metrics": b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
        "cmd": (b"POST /cmd HTTP/1.1\r\nContent-Length: 10\r\nAuthorization: Bearer abc\r\n"
                b"Connection: keep-alive, close\r\n\r\nip -s link"),
        "pcap": (b"GET /pcap?dev=eth0&count=5&seconds=2&proto=tcp&host=10.0.0.1&port=80 HTTP/1.0\r\n"
                 b"Connection: keep-alive\r\n\r\n"),
        "bare-lf": b"\r\nGET / HTTP/1.1\nA:b\n\n",
        "chunked": b"POST /cmd HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    }
    return {f"seed-{name}": data for name, data in requests.items()}


def tcp_segment(flags, seq=0, ack=0, window=1000, options=b"", data=b""):
    """The tcp harness's segment operation (opcode 0)."""
    return (bytes([0, flags]) + seq.to_bytes(2, "big", signed=True) + ack.to_bytes(2, "big", signed=True) +
            window.to_bytes(2, "big") + bytes([len(options)]) + options + len(data).to_bytes(2, "big") + data)


def tcp_seeds():
    ACK, PSH, FIN, RST, SYN = 0x10, 0x08, 0x01, 0x04, 0x02
    send, read, shutdown, close = (bytes([1, 0x01, 0x00]), bytes([2]), bytes([3]), bytes([4]))

    def clock(step):
        return bytes([5, step])

    def timestamp(value):
        return bytes([1, 1, 8, 10]) + (6000 + value).to_bytes(4, "big") + bytes(4)

    scripts = {
        "data-both-ways": b"\0" + tcp_segment(ACK | PSH, data=b"hello") + read + send + clock(5) + tcp_segment(ACK),
        "peer-closes-first": b"\0" + tcp_segment(ACK | FIN) + read + close + tcp_segment(ACK) + clock(200),
        "we-close-first": b"\0" + shutdown + tcp_segment(ACK) + tcp_segment(ACK | FIN) + clock(200),
        "simultaneous-close": b"\0" + send + close + tcp_segment(ACK | FIN, ack=-257) + tcp_segment(ACK) + clock(150),
        "reset": b"\0" + tcp_segment(RST),
        "syn-in-window": b"\0" + tcp_segment(SYN, seq=10),
        "out-of-order-sack": b"\1" + tcp_segment(ACK, seq=100, options=timestamp(1), data=b"x" * 50) +
                             tcp_segment(ACK, options=timestamp(2), data=b"y" * 100) + read,
        "zero-window-probes": b"\0" + tcp_segment(ACK, window=0) + send + clock(40) + clock(80) +
                              tcp_segment(ACK, window=1000) + clock(10),
        "retransmission": b"\0" + send + clock(30) + clock(60) + tcp_segment(ACK, ack=-100) + clock(100),
    }
    return {f"seed-{name}": script for name, script in scripts.items()}


def conntrack_records(*records):
    """The conntrack harness's records: (path, datagram) with the header and checksums fixed (bits 4, 5)."""
    return b"".join(bytes([path | 0x30]) + len(bytes(packet)).to_bytes(2, "big") + bytes(packet)
                    for path, packet in records)


def conntrack_seeds():
    inside, outside, router = "10.97.0.2", "10.98.0.2", "10.98.0.1"
    out, back, local_in, local_out = 0, 1, 2, 3
    syn = IP(src=inside, dst=outside) / TCP(sport=40000, dport=80, flags="S", seq=1000, window=64240,
                                             options=[("WScale", 7)])
    synack = IP(src=outside, dst=router) / TCP(sport=80, dport=40000, flags="SA", seq=5000, ack=1001,
                                               window=65160, options=[("WScale", 7)])
    ack = IP(src=inside, dst=outside) / TCP(sport=40000, dport=80, flags="A", seq=1001, ack=5001, window=502)
    data = IP(src=inside, dst=outside) / TCP(sport=40000, dport=80, flags="PA", seq=1001, ack=5001) / Raw(b"x" * 100)
    fin = IP(src=inside, dst=outside) / TCP(sport=40000, dport=80, flags="FA", seq=1101, ack=5001)
    query = IP(src=inside, dst=outside) / UDP(sport=5000, dport=53) / Raw(b"q" * 20)
    answer = IP(src=outside, dst=router) / UDP(sport=53, dport=5000) / Raw(b"a" * 30)
    ping = IP(src=inside, dst=outside) / ICMP(id=77, seq=1)
    pong = IP(src=outside, dst=router) / ICMP(type=0, id=77, seq=1)
    unreachable = IP(src=outside, dst=router) / ICMP(type=3, code=3) / bytes(IP(src=router, dst=outside) /
                                                                          UDP(sport=5000, dport=53))[:28]
    seeds = {
        "tcp-masquerade": b"\1" + conntrack_records((out, syn), (back, synack), (out, ack), (out, data), (out, fin)),
        "udp-snat-range": b"\2" + conntrack_records((out, query), (back, answer), (back, unreachable)),
        "icmp-echo": b"\1" + conntrack_records((out, ping), (back, pong)),
        "dnat-port-80": b"\3" + conntrack_records((back, IP(src=outside, dst=router) / TCP(sport=33000, dport=80)),
                                                   (local_in, query), (local_out, ping)),
        "redirect": b"\4" + conntrack_records((local_in, syn), (local_out, data)),
    }
    return {f"seed-{name}": script for name, script in seeds.items()}


def cmdline_seeds():
    lines = {
        "static-ip": b"/boot/keel.elf console=ttyS0 loglevel=8 ip=10.99.0.2::10.99.0.1:255.255.255.0:keel:eth0:off",
        "sysctls": (b'ip=dhcp sysctl.net.ipv4.tcp_rmem=4096,131072,6291456 sysctl.net/ipv4/tcp_sack=0 '
                    b'sysctl.net.core.somaxconn=0x100 sysctl.net.ipv4.tcp_wmem="1 2 3" keel.help'),
        "everything": (b'ip=10.0.0.5:10.0.0.1:10.0.0.1:255.255.0.0:host-name-long:eth1:none:8.8.8.8:1.1.1.1 '
                       b'sysctl.net.ipv4.tcp_wmem=1 panic=-1 printk.time=1 unknown.key bare "quoted word=with space"'),
    }
    return {f"seed-{name}": line for name, line in lines.items()}


def nft_seeds():
    """Rulesets: the QEMU test's files, one using every construct, and a broken one."""
    seeds = {f"seed-{path.stem}": path.read_bytes() for path in sorted((FUZZ.parent / "qemu" / "nft").glob("*.nft"))}
    seeds["seed-everything"] = (
        b"flush ruleset\ndefine ports = { 22, 80-90 }\ntable inet f {\n"
        b"\tset s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 1.2.3.4-1.2.3.9 } }\n"
        b"\tset p { type inet_service; elements = { 1, 2 } }\n"
        b"\tchain in { type filter hook input priority filter + 1; policy drop;\n"
        b"\t\tct state established,related accept\n\t\tiifname \"eth*\" ip saddr != @s tcp dport $ports counter accept\n"
        b"\t\ttcp flags & (syn | ack) == syn tcp sport @p limit rate 10/second burst 3 packets log prefix \"x \" jump sub\n"
        b"\t\tudp dport 53 reject with icmp type admin-prohibited\n\t\ticmp type { echo-request, 13 } accept\n"
        b"\t\tmeta l4proto tcp reject with tcp reset\n\t}\n"
        b"\tchain sub { ct status dnat return; goto last }\n\tchain last { counter packets 1 bytes 2 drop }\n"
        b"\tchain pre { type nat hook prerouting priority dstnat; tcp dport 8080 dnat ip to 10.0.0.2:80 }\n"
        b"\tchain post { type nat hook postrouting priority srcnat; oifname \"eth1\" masquerade }\n}\n"
        b"add rule inet f in position 5 ip protocol udp accept\ndelete rule inet f in handle 6\n")
    return seeds


def console_seeds():
    typed = {
        "commands": (b'help\rsysctl -a\rsysctl -w net.core.somaxconn=5 net.ipv4.tcp_sack=7\r'
                     b'sysctl -w "net.ipv4.tcp_rmem=4096 131072 6291456"\rsysctl net.foo -n net.ipv4.tcp_sack\r'),
        "editing": b'hx\x7felp\r\x1b[A\x03ip "unterminated\r\x15a b c\n\r\n',
    }
    return {f"seed-{name}": line for name, line in typed.items()}


def capture_seeds():
    """fuzz_capture.c's header (flags, checksum start and offset, head bytes,
    filter protocol/host/port, read size) before each frame."""
    def seed(frame, flags, start=0, offset=0, head=0, protocol=0, host="0.0.0.0", port=0, read=64):
        return (bytes([flags, start, offset]) + head.to_bytes(2, "big") + bytes([protocol])
                + bytes(int(part) for part in host.split(".")) + port.to_bytes(2, "big") + bytes([read - 1])
                + bytes(frame))
    tcp = Ether(src=US_MAC, dst=PEER_MAC) / IP(src=US, dst=PEER) / TCP(sport=80, dport=40000) / (b"t" * 3000)
    udp = Ether(src=US_MAC, dst=PEER_MAC) / IP(src=US, dst=PEER) / UDP(sport=5000, dport=7) / b"datagram"
    arp = Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER_MAC) / ARP(psrc=PEER, pdst=US)
    return {
        "seed-tcp-partial-fragments": seed(tcp, 0x03 | 0x10, start=34, offset=16, head=54),
        "seed-tcp-external-filtered": seed(tcp, 0x07 | 0x40, start=34, offset=16, head=100, protocol=6, port=80),
        "seed-udp-partial": seed(udp, 0x03, start=34, offset=6, read=7),
        "seed-udp-host-filter": seed(udp, 0x40 | 0x38, host=PEER, read=256),
        "seed-arp": seed(arp, 0x00),
        "seed-arp-filtered-out": seed(arp, 0x40, protocol=17),
    }


def virtio_rx_seeds():
    """fuzz_virtio_rx.c's header (GUEST_TSO4, head bytes, continuation
    size), a struct virtio_net_header, then the frame: a TCP super-frame in
    2 KB buffers and in small ones, one with ECN, one whose TCP options run
    past the first buffer, a one-segment one, a plain frame with NEEDS_CSUM
    and one with DATA_VALID."""
    def seed(frame, flags=1, head=2048, piece=0, vflags=1, gso_type=1, hdr_len=54, gso_size=1448, start=34,
             offset=16):
        header = (bytes([vflags, gso_type]) + hdr_len.to_bytes(2, "little") + gso_size.to_bytes(2, "little")
                  + start.to_bytes(2, "little") + offset.to_bytes(2, "little") + (1).to_bytes(2, "little"))
        return bytes([flags]) + head.to_bytes(2, "big") + bytes([piece]) + header + bytes(frame)
    big = Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=US, flags="DF") / TCP(sport=40000, dport=80, flags="PA") / (b"s" * 12000)
    small = Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=US) / TCP(sport=40000, dport=80, flags="PA") / (b"x" * 900)
    return {
        "seed-super-frame": seed(big),
        "seed-super-frame-small-buffers": seed(big, head=100, piece=40),
        "seed-super-frame-ecn": seed(big, gso_type=0x81),
        "seed-headers-split": seed(Ether(src=PEER_MAC, dst=US_MAC) / IP(src=PEER, dst=US)
                                   / TCP(sport=40000, dport=80, flags="A", options=[("NOP", None), ("NOP", None),
                                                                                    ("Timestamp", (1, 2))])
                                   / (b"o" * 5000), head=60, hdr_len=66),
        "seed-one-segment": seed(small),
        "seed-plain-needs-csum": seed(small, gso_type=0, gso_size=0, head=300),
        "seed-plain-data-valid": seed(small, vflags=2, gso_type=0, gso_size=0, start=0, offset=0),
    }


def main():
    for harness, seeds in [("nft", nft_seeds()), ("wire", wire_seeds()), ("dhcp", dhcp_seeds()), ("http_request", http_request_seeds()),
                           ("admin_http", admin_http_seeds()),
                           ("http_range", http_range_seeds()), ("tcp", tcp_seeds()),
                           ("cmdline", cmdline_seeds()), ("conntrack", conntrack_seeds()),
                           ("console", console_seeds()), ("capture", capture_seeds()), ("virtio_rx", virtio_rx_seeds())]:
        directory = CORPUS / harness
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("seed-*"):
            old.unlink()
        for name, data in seeds.items():
            (directory / name).write_bytes(data)
        print(f"{harness}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
