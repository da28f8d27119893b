"""A scripted TCP peer for QEMU tests, run inside the test's network
namespace (it needs root and the tap): it speaks from 10.99.0.3, an address
the host kernel does not own, with a made-up MAC, so the host never sees
the guest's answers as its own and never resets our connections. The
guest learns the address from our ARP request (RFC 826: the target adds the
sender); its frames to the made-up MAC reach us on the tap.

Frames go through an AF_PACKET socket (fast enough for a SYN flood);
scapy only builds and parses them. Input: JSON {iface, guest_mac, guest_ip,
port, scenarios: [names]} on stdin. Output: JSON {scenario: result} on stdout.
"""
import json
import random
import socket
import struct
import sys
import threading
import time

from scapy.all import ARP, IP, TCP, Ether, Raw, raw

ETH_P_ALL = 0x0003
FAKE_IP = "10.99.0.3"
# The scenarios' connections use source ports in this range (Connection(peer, 410xx)).
SCENARIO_PORTS_FIRST, SCENARIO_PORTS_LAST = 41000, 41099
FAKE_MAC = "02:00:00:00:00:03"


class Peer:
    def __init__(self, iface, guest_mac, guest_ip, port):
        self.guest_mac, self.guest_ip, self.port = guest_mac, guest_ip, port
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((iface, 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.pending = []

    def send(self, ip_packet):
        self.sock.send(raw(Ether(src=FAKE_MAC, dst=self.guest_mac) / ip_packet))

    def announce(self):
        request = Ether(src=FAKE_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(
            op=1, hwsrc=FAKE_MAC, psrc=FAKE_IP, hwdst="00:00:00:00:00:00", pdst=self.guest_ip)
        self.sock.send(raw(request))

    def _read(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, address = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        return self._parse(data, address)

    def _parse(self, data, address):
        if address[2] == socket.PACKET_OUTGOING:
            return None                              # our own frame: not parsed (scapy is slow)
        frame = Ether(data)
        if frame.src.lower() != self.guest_mac.lower():
            return None
        if ARP in frame and frame[ARP].op == 1 and frame[ARP].pdst == FAKE_IP:
            reply = Ether(src=FAKE_MAC, dst=frame.src) / ARP(op=2, hwsrc=FAKE_MAC, psrc=FAKE_IP,
                                                              hwdst=frame.src, pdst=frame[ARP].psrc)
            self.sock.send(raw(reply))
            return None
        if IP in frame and TCP in frame and frame[IP].dst == FAKE_IP:
            return frame[IP]
        return None

    def receive(self, sport, timeout=1.0, count=1):
        """Up to count segments from the guest to our port sport, within timeout."""
        got = [p for p in self.pending if p[TCP].dport == sport]
        self.pending = [p for p in self.pending if p[TCP].dport != sport]
        deadline = time.monotonic() + timeout
        while len(got) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            packet = self._read(remaining)
            if packet is None:
                continue
            if packet[TCP].dport == sport:
                got.append(packet)
            else:
                self.pending.append(packet)
        return got

    def take_queued(self):
        """Whatever the guest sent that is already queued on the socket, without waiting."""
        got = []
        self.sock.setblocking(False)
        try:
            while True:
                try:
                    data, address = self.sock.recvfrom(65535)
                except BlockingIOError:
                    break
                packet = self._parse(data, address)
                if packet is not None:
                    got.append(packet)
        finally:
            self.sock.setblocking(True)
        return got

    def drain(self, seconds):
        """Everything the guest sends during seconds, any port."""
        got, deadline = list(self.pending), time.monotonic() + seconds
        self.pending = []
        while time.monotonic() < deadline:
            packet = self._read(deadline - time.monotonic())
            if packet is not None:
                got.append(packet)
        return got


def tcp_payload(packet):
    """The segment's data, without the Ethernet padding scapy leaves after it."""
    ip, tcp = packet[IP], packet[TCP]
    length = ip.len - ip.ihl * 4 - tcp.dataofs * 4
    return raw(tcp)[tcp.dataofs * 4:][:length]


def tcp_options(packet):
    return {name: value for name, value in packet[TCP].options}


def summary(packet):
    t = packet[TCP]
    return {"flags": str(t.flags), "seq": t.seq, "ack": t.ack, "window": t.window,
            "length": len(tcp_payload(packet)), "options": {k: v for k, v in tcp_options(packet).items()
                                                  if isinstance(v, (int, tuple, type(None)))}}


class Connection:
    """One connection from FAKE_IP:sport, tracking sequence numbers."""

    def __init__(self, peer, sport, options=True):
        self.peer, self.sport = peer, sport
        self.seq = random.randrange(1 << 32)
        self.ack = 0
        self.tsval = 1000
        self.options = options
        self.synack = None

    def segment(self, flags, data=b"", seq=None, ack=None, window=502, extra_options=None):
        opts = [("NOP", None), ("NOP", None), ("Timestamp", (self.tsval, 0))] if self.options else []
        if extra_options is not None:
            opts = extra_options
        tcp = TCP(sport=self.sport, dport=self.peer.port, flags=flags, window=window,
                  seq=self.seq if seq is None else seq, ack=self.ack if ack is None else ack, options=opts)
        return IP(src=FAKE_IP, dst=self.peer.guest_ip) / tcp / (Raw(data) if data else b"")

    def open(self, data_with_ack=b""):
        opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (self.tsval, 0)), ("NOP", None), ("WScale", 7)]
        if not self.options:
            opts = [("MSS", 1460)]
        self.peer.send(self.segment("S", extra_options=opts))
        replies = self.peer.receive(self.sport, timeout=2)
        if not replies or str(replies[0][TCP].flags) != "SA":
            return None
        self.synack = replies[0]
        self.seq += 1
        self.ack = (self.synack[TCP].seq + 1) & 0xFFFFFFFF
        self.tsval += 1
        self.peer.send(self.segment("A" if not data_with_ack else "PA", data_with_ack))
        self.seq += len(data_with_ack)
        return self.synack

    def send(self, data, flags="PA"):
        self.tsval += 1
        self.peer.send(self.segment(flags, data))
        self.seq = (self.seq + len(data) + ("F" in flags)) & 0xFFFFFFFF

    def collect(self, want_bytes, timeout=3.0, want_fin=False):
        """Reads the guest's data in order, ACKing it; returns (data, fin_seen, segments)."""
        data, fin, segments = b"", False, []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (len(data) < want_bytes or (want_fin and not fin)):
            for packet in self.peer.receive(self.sport, timeout=0.05, count=1):
                t = packet[TCP]
                segments.append(summary(packet))
                payload = tcp_payload(packet)
                if t.seq == self.ack and payload:
                    data += payload
                    self.ack = (self.ack + len(payload)) & 0xFFFFFFFF
                if "F" in str(t.flags) and (t.seq + len(payload)) & 0xFFFFFFFF == self.ack:
                    fin = True
                    self.ack = (self.ack + 1) & 0xFFFFFFFF
                if "R" in str(t.flags):
                    return data, fin, segments
                self.tsval += 1
                self.peer.send(self.segment("A"))
        return data, fin, segments


def scenario_options(peer):
    c = Connection(peer, 41001)
    synack = c.open()
    if synack is None:
        return {"error": "no SYN-ACK"}
    options = tcp_options(synack)
    c.send(b"ping")
    data, _, _ = c.collect(4)
    return {"mss": options.get("MSS"), "wscale": options.get("WScale"), "sack_ok": "SAckOK" in options,
            "window": synack[TCP].window,
            "timestamp": list(options["Timestamp"]) if "Timestamp" in options else None,
            "our_tsval": 1000, "echo": data.decode(errors="replace")}


def scenario_buffer_limits(peer):
    """How many bytes the guest takes when its echo can never send: our
    window is 0 from the first data segment on and we never acknowledge,
    so the echo fills the send buffer, then stops reading, then the receive
    buffer fills and the guest's window closes. What it took is then its
    send buffer plus its receive buffer (tcp_wmem, tcp_rmem)."""
    c = Connection(peer, 41010)
    synack = c.open()
    if synack is None:
        return {"error": "no SYN-ACK"}
    shift = tcp_options(synack).get("WScale", 0)
    first_seq = c.seq
    acked, window = first_seq, synack[TCP].window   # the SYN-ACK's window is never scaled (RFC 7323 2.2)
    zero_windows, deadline = 0, time.monotonic() + 8
    while time.monotonic() < deadline and zero_windows < 3:
        room = (acked + window - c.seq) & 0xFFFFFFFF
        if 0 < room < 1 << 31:
            chunk = min(room, 1000)
            c.tsval += 1
            peer.send(c.segment("PA", b"x" * chunk, window=0))
            c.seq = (c.seq + chunk) & 0xFFFFFFFF
        replies = peer.receive(c.sport, timeout=0.3 if room == 0 or room >= 1 << 31 else 0.02, count=8)
        for packet in replies:
            t = packet[TCP]
            if "R" in str(t.flags):
                return {"error": "reset", "accepted": (acked - first_seq) & 0xFFFFFFFF}
            if ((t.ack - acked) & 0xFFFFFFFF) < 1 << 31:
                acked, window = t.ack, t.window << shift
            if 0 < ((acked - c.seq) & 0xFFFFFFFF) < 1 << 31:
                c.seq = acked                        # a probe byte was taken
        if not replies and ((acked + window - c.seq) & 0xFFFFFFFF) == 0:
            zero_windows += 1
            c.tsval += 1
            peer.send(c.segment("PA", b"?", window=0))   # a window probe: answered with an ACK
    peer.send(c.segment("R", extra_options=[]))
    return {"accepted": (acked - first_seq) & 0xFFFFFFFF, "window": window, "wscale": shift,
            "zero_window_seen": zero_windows >= 3}


def timed_echo(peer, message=b"ping"):
    """A real client from the host's own address: seconds until its echo came back."""
    start = time.monotonic()
    with socket.create_connection((peer.guest_ip, peer.port), timeout=20) as s:
        s.sendall(message)
        got = s.recv(len(message))
    return time.monotonic() - start, got.decode(errors="replace")


def scenario_linger_close(peer, linger_seconds=3, watch_after=4.0):
    """For an app that closes with SO_LINGER (apps/echo --linger=N): our data
    and FIN are echoed, then we never acknowledge the guest's data or FIN.
    Its close() must block (the single-threaded app serves nobody else
    meanwhile: a second client's echo waits) for about N seconds, then
    return without resetting the connection (Linux: it goes on as an
    orphan, retransmitting)."""
    baseline, baseline_echo = timed_echo(peer)
    c = Connection(peer, 41020)
    if c.open() is None:
        return {"error": "no SYN-ACK"}
    c.send(b"hi", flags="FPA")
    started = time.monotonic()
    result = {"baseline_delay": baseline, "baseline_echo": baseline_echo}

    def second_client():
        time.sleep(0.5)
        result["blocked_delay"], result["blocked_echo"] = timed_echo(peer, b"pong")

    client = threading.Thread(target=second_client)
    client.start()
    segments = []
    while time.monotonic() < started + linger_seconds + watch_after:
        for packet in peer.receive(c.sport, timeout=0.1, count=8):
            segment = summary(packet)
            segment["time"] = time.monotonic() - started
            segment["data"] = tcp_payload(packet).decode(errors="replace")
            segments.append(segment)
    client.join(timeout=20)
    peer.send(c.segment("R", extra_options=[]))
    result["segments"] = segments
    return result


def scenario_challenge(peer):
    c = Connection(peer, 41002)
    if c.open() is None:
        return {"error": "no SYN-ACK"}
    result = {}
    # RST in the window but not at rcv_nxt: a challenge ACK (RFC 5961 3.2).
    peer.send(c.segment("R", seq=(c.seq + 1000) & 0xFFFFFFFF, ack=0, extra_options=[]))
    replies = peer.receive(c.sport, timeout=1)
    result["rst_in_window"] = [summary(p) for p in replies]
    time.sleep(0.6)   # the guest's per-connection limit on ACKs for bad segments is 500 ms
    # SYN in the window: a challenge ACK (RFC 5961 4.2).
    peer.send(c.segment("S", seq=(c.seq + 500) & 0xFFFFFFFF, ack=0, extra_options=[("MSS", 1460)]))
    replies = peer.receive(c.sport, timeout=1)
    result["syn_in_window"] = [summary(p) for p in replies]
    time.sleep(0.6)
    # Data far outside the window: dropped, answered with an ACK of what was received.
    peer.send(c.segment("PA", b"out of window", seq=(c.seq + 50_000_000) & 0xFFFFFFFF))
    replies = peer.receive(c.sport, timeout=1)
    result["out_of_window"] = [summary(p) for p in replies]
    # The connection is still up.
    c.send(b"still here")
    data, _, _ = c.collect(10)
    result["echo_after"] = data.decode(errors="replace")
    result["expected_ack"] = c.seq
    # The exact RST closes it; then data is answered with an RST (no connection).
    peer.send(c.segment("R", extra_options=[]))
    time.sleep(0.3)
    c.send(b"after reset")
    replies = peer.receive(c.sport, timeout=1)
    result["after_reset"] = [summary(p) for p in replies]
    return result


def scenario_syn_received_data(peer):
    """Data on the handshake's final ACK, and data sent before it (no ACK flag) is not taken."""
    c = Connection(peer, 41003)
    if c.open(data_with_ack=b"early data") is None:
        return {"error": "no SYN-ACK"}
    data, _, _ = c.collect(10)
    return {"echo": data.decode(errors="replace")}


def scenario_fin_ordering(peer):
    """Our data and FIN in one segment: the echo comes back, then the
    guest's FIN, in sequence after the data; an RST after that is quiet."""
    c = Connection(peer, 41004)
    if c.open() is None:
        return {"error": "no SYN-ACK"}
    c.send(b"last words", flags="FPA")
    data, fin, segments = c.collect(10, want_fin=True)
    fin_segments = [s for s in segments if "F" in s["flags"]]
    result = {"echo": data.decode(errors="replace"), "fin": fin, "segments": segments}
    # Our ACK of the guest's FIN went out in collect(); the guest is closed now:
    # an RST gets no answer, and fresh data gets an RST.
    peer.send(c.segment("R", extra_options=[]))
    result["after_rst"] = [summary(p) for p in peer.receive(c.sport, timeout=0.5)]
    result["fin_after_data"] = bool(fin_segments) and all(
        s["seq"] >= segments[0]["seq"] for s in fin_segments)
    return result


def syn_with(template, sport, seq):
    """template (the bytes of an IP/TCP SYN built once by scapy) with
    another source port and sequence number, the TCP checksum recomputed:
    building 10000 SYNs with scapy takes tens of seconds on a busy host."""
    packet = bytearray(template)
    ip_length = (packet[0] & 0x0F) * 4
    struct.pack_into("!H", packet, ip_length, sport)
    struct.pack_into("!I", packet, ip_length + 4, seq)
    struct.pack_into("!H", packet, ip_length + 16, 0)
    segment = bytes(packet[ip_length:])
    pseudo = bytes(packet[12:20]) + struct.pack("!BBH", 0, 6, len(segment))
    struct.pack_into("!H", packet, ip_length + 16, internet_checksum(pseudo + segment))
    return bytes(packet)


def scenario_syn_flood(peer):
    """10000 SYNs from random ports as fast as we can; the guest must answer
    with cookies once its SYN queue is full."""
    base = IP(src=FAKE_IP, dst=peer.guest_ip) / TCP(dport=peer.port, flags="S", options=[("MSS", 1460)])
    header = raw(Ether(src=FAKE_MAC, dst=peer.guest_mac, type=0x0800))
    template = raw(base)
    start = time.monotonic()
    # Not the scenarios' own ports (410xx): a flood SYN that took a slot in
    # the SYN queue would own that 4-tuple, and a later scenario's SYN with
    # another sequence number would meet it instead of a listener.
    free_ports = [port for port in range(20000, 65000) if not SCENARIO_PORTS_FIRST <= port <= SCENARIO_PORTS_LAST]
    ports = random.sample(free_ports, 10000)
    replies = []
    for i, port in enumerate(ports):
        peer.sock.send(header + syn_with(template, port, random.randrange(1 << 32)))
        if i % 500 == 499:
            replies += peer.take_queued()            # a slow sender must not overflow our socket
    sent_seconds = time.monotonic() - start
    replies += peer.drain(3.0)
    synacks = [p for p in replies if str(p[TCP].flags) == "SA"]
    # A cookie SYN-ACK carries only MSS (no timestamps: nothing remembered).
    mss_only = sum(1 for p in synacks if set(tcp_options(p)) == {"MSS"})
    return {"sent_seconds": sent_seconds, "synacks": len(synacks), "mss_only": mss_only,
            "distinct_ports": len({p[TCP].dport for p in synacks})}


def scenario_vanish(peer):
    """We stop acknowledging: the guest retransmits with backoff, then resets."""
    c = Connection(peer, 41005)
    if c.open() is None:
        return {"error": "no SYN-ACK"}
    c.send(b"x" * 100)
    start = time.monotonic()
    seen = []
    deadline = start + 20
    while time.monotonic() < deadline:
        for packet in peer.receive(c.sport, timeout=0.5, count=1):
            seen.append({"time": time.monotonic() - start, **summary(packet)})
        if seen and "R" in seen[-1]["flags"]:
            break
    return {"segments": seen}


ROUTER_IP = "10.99.0.254"   # the "router" the fragmentation-needed errors come from


def internet_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def fragmentation_needed(peer, c, seq, mtu):
    """ICMP type 3 code 4 (RFC 1191) about a 1500-byte segment of the guest's
    on connection c with sequence number seq: the quote holds the IP header
    and the first 8 bytes of TCP only (RFC 792's minimum)."""
    quoted = raw(IP(src=peer.guest_ip, dst=FAKE_IP, flags="DF", len=1500, id=1) /
                 TCP(sport=peer.port, dport=c.sport, seq=seq, ack=c.seq, flags="A"))[:28]
    header = struct.pack("!BBHHH", 3, 4, 0, 0, mtu)
    checksum = internet_checksum(header + quoted)
    icmp = struct.pack("!BBHHH", 3, 4, checksum, 0, mtu) + quoted
    return IP(src=ROUTER_IP, dst=peer.guest_ip, proto=1) / Raw(icmp)


def scenario_pmtu(peer):
    """Echoes 8000 bytes three times on one connection: as is; after a
    fragmentation needed (MTU 1280) quoting a sequence number far beyond
    what the guest sent (must be ignored); after one quoting its snd_nxt
    (must lower its segments to 1280 bytes of IP)."""
    c = Connection(peer, 41006)
    synack = c.open()
    if synack is None:
        return {"error": "no SYN-ACK"}

    def echo_round(fill):
        # What the guest sent again of the previous round (our ACKs lag,
        # so it may fast-retransmit) is not this round's: only segments at
        # or after this round's first byte count.
        peer.drain(0.2)
        first = c.ack
        data = bytes((i * 13 + fill) & 0xFF for i in range(8000))
        for offset in range(0, len(data), 1400):
            c.send(data[offset:offset + 1400])
        echoed, _, segments = c.collect(len(data), timeout=8)
        lengths = [s["length"] for s in segments if s["length"] and (s["seq"] - first) & 0xFFFFFFFF < 1 << 31]
        return {"intact": echoed == data, "max_payload": max(lengths, default=0), "segments": len(lengths)}

    # IPv4 + TCP header bytes of the guest's segments: timestamps take 12 more.
    result = {"headers": 40 + (12 if "Timestamp" in tcp_options(synack) else 0), "before": echo_round(1)}
    peer.send(fragmentation_needed(peer, c, (c.ack + 1000000) & 0xFFFFFFFF, 1280))
    time.sleep(0.3)
    result["after_bogus"] = echo_round(2)
    peer.send(fragmentation_needed(peer, c, c.ack, 1280))
    time.sleep(0.3)
    result["after_valid"] = echo_round(3)
    c.send(b"", flags="RA")
    return result


SCENARIOS = {"pmtu": scenario_pmtu, "options": scenario_options, "challenge": scenario_challenge, "buffer_limits": scenario_buffer_limits,
             "linger_close": scenario_linger_close,
             "syn_received_data": scenario_syn_received_data, "fin_ordering": scenario_fin_ordering,
             "syn_flood": scenario_syn_flood, "vanish": scenario_vanish}


def main():
    request = json.load(sys.stdin)
    peer = Peer(request["iface"], request["guest_mac"], request["guest_ip"], request["port"])
    peer.announce()
    peer.drain(0.3)
    results = {}
    for name in request["scenarios"]:
        try:
            results[name] = SCENARIOS[name](peer)
        except Exception as error:   # report, keep the other scenarios
            results[name] = {"error": repr(error)}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
