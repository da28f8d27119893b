#!/usr/bin/python3
"""Malformed and unexpected frames for the soak, built with scapy and sent
on the namespace's tap at a bounded rate (tests/soak/soak.py runs this
inside the guest's network namespace and kills it by pid).

    junk.py --iface TAP --guest-mac MAC --host-mac MAC --seconds S --max-count N [--rate 20] [--seed 1]

Every frame is one of KINDS, picked by a seeded RNG: Ethernet runts and
unknown EtherTypes, frames for another MAC, ARP with bad fields, IPv4 with
a bad version, IHL, checksum, total length, TTL 0 or random options,
random fragments (overlapping ones among them), ICMP of every type with
random bodies and quoted headers, UDP with bad lengths or checksums, TCP
with random flags, offsets and options. IP sources are the host's address
or a random one of the subnet nobody answers ARP for (the guest's replies
to those wait for ARP, then are dropped and the entry freed). ARP comes
from ARP_TEACHERS only: a well-formed request for the guest teaches it the
sender (as Linux learns it), an entry that lives its 120 s, so the soak
can bound the entries left at the end by these few. TCP source ports stay below
32768, the host's ephemeral range, so that no junk segment can match one
of the other loads' connections. Prints one JSON line: frames sent per kind.
"""
import argparse
import json
import random
import signal
import sys
import time

from scapy.all import ARP, ICMP, IP, TCP, UDP, Ether, Raw, conf

HOST_IP = "10.99.0.1"
GUEST_IP = "10.99.0.2"
SUBNET_PREFIX = "10.99.0."
ARP_TEACHERS = [SUBNET_PREFIX + str(host) for host in range(250, 254)]   # tests/soak/checks.py bounds by these
RANDOM_SOURCES = range(3, 250)
GUEST_PORTS = [80, 7, 9000, 22, 443]

stopping = False


def request_stop(signum, frame):
    global stopping
    stopping = True


class Junk:
    def __init__(self, rng, guest_mac, host_mac):
        self.rng = rng
        self.guest_mac = guest_mac
        self.host_mac = host_mac

    def source_ip(self):
        return HOST_IP if self.rng.random() < 0.7 else SUBNET_PREFIX + str(self.rng.choice(RANDOM_SOURCES))

    def random_bytes(self, low, high):
        return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(low, high)))

    def ether(self, ethertype=0x0800):
        return Ether(src=self.host_mac, dst=self.guest_mac, type=ethertype)

    def ip(self, **fields):
        return IP(src=self.source_ip(), dst=GUEST_IP, id=self.rng.getrandbits(16), **fields)

    # -- one builder per kind: each returns the frame's bytes ---------------

    def runt(self):
        return bytes(self.ether())[:self.rng.randint(1, 13)]

    def unknown_ethertype(self):
        return bytes(self.ether(self.rng.choice([0x1234, 0x86DD, 0x8100, 0x88CC, 0x0600]))) + self.random_bytes(0, 100)

    def other_mac(self):
        frame = Ether(src=self.host_mac, dst="02:00:00:%02x:%02x:%02x" % tuple(self.rng.getrandbits(8) for _ in range(3)))
        return bytes(frame / self.ip() / ICMP())

    def arp_junk(self):
        arp = ARP(op=self.rng.choice([1, 2, 3, 9]), hwsrc=self.host_mac,
                  psrc=self.rng.choice(ARP_TEACHERS), pdst=self.rng.choice([GUEST_IP, "10.99.0.77"]))
        raw = bytearray(bytes(arp))
        mutation = self.rng.randrange(4)
        if mutation == 0:
            raw[0:2] = self.rng.getrandbits(16).to_bytes(2, "big")      # hardware type
        elif mutation == 1:
            raw[4] = self.rng.choice([0, 4, 8, 255])                     # hardware length
        elif mutation == 2:
            raw = raw[:self.rng.randint(0, len(raw) - 1)]                # truncated
        return bytes(self.ether(0x0806)) + bytes(raw)

    def ip_header_junk(self):
        raw = bytearray(bytes(self.ip() / UDP(sport=self.rng.randint(1024, 32767), dport=7) / Raw(b"x" * 16)))
        mutation = self.rng.randrange(6)
        if mutation == 0:
            raw[0] = (self.rng.choice([0, 5, 6, 15]) << 4) | 5            # version
        elif mutation == 1:
            raw[0] = 0x40 | self.rng.randint(0, 4)                       # IHL below 5
        elif mutation == 2:
            raw[10] ^= 0xFF                                              # header checksum
        elif mutation == 3:
            raw[2:4] = self.rng.choice([0, 19, 2000, 65535]).to_bytes(2, "big")   # total length
        elif mutation == 4:
            raw = raw[:self.rng.randint(1, 19)]                          # truncated header
        else:
            raw[8] = 0                                                   # TTL 0, checksum right
            raw[10:12] = b"\0\0"
            raw[10:12] = checksum(bytes(raw[:20])).to_bytes(2, "big")
        return bytes(self.ether()) + bytes(raw)

    def ip_options(self):
        options = self.random_bytes(1, 40)
        options += b"\0" * (-len(options) % 4)
        ip = IP(src=self.source_ip(), dst=GUEST_IP, options=[], ihl=5 + len(options) // 4)
        header = bytearray(bytes(ip)[:20])
        header[0] = 0x40 | (5 + len(options) // 4)
        packet = bytearray(header + options + bytes(ICMP(id=self.rng.getrandbits(16))))
        packet[2:4] = len(packet).to_bytes(2, "big")
        packet[10:12] = b"\0\0"
        packet[10:12] = checksum(bytes(packet[:len(header) + len(options)])).to_bytes(2, "big")
        return bytes(self.ether()) + bytes(packet)

    def fragment(self):
        payload = self.random_bytes(8, 1200)
        offset = self.rng.choice([0, 1, 2, 100, 185, 8000])
        flags = self.rng.choice(["MF", 0])
        ip = IP(src=HOST_IP, dst=GUEST_IP, id=self.rng.randint(1, 8), proto=self.rng.choice([1, 17, 6]),
                flags=flags, frag=offset)
        return bytes(self.ether() / ip / Raw(payload))

    def icmp_junk(self):
        icmp_type = self.rng.choice([0, 3, 4, 5, 8, 11, 12, 13, 17, 42, 255])
        body = bytes(IP(src=GUEST_IP, dst=self.source_ip()) / TCP(sport=80, dport=self.rng.randint(1024, 32767)))
        body = body[:self.rng.randint(0, len(body))] + self.random_bytes(0, 40)
        raw = bytearray(bytes(ICMP(type=icmp_type, code=self.rng.randint(0, 16)) / Raw(body)))
        if self.rng.random() < 0.3:
            raw[2] ^= 0xFF                                               # checksum
        return bytes(self.ether() / self.ip(proto=1) / Raw(bytes(raw)))

    def udp_junk(self):
        udp = UDP(sport=self.rng.randint(1024, 32767), dport=self.rng.choice(GUEST_PORTS + [self.rng.randint(1, 65535)]))
        raw = bytearray(bytes(udp / Raw(self.random_bytes(0, 64))))
        mutation = self.rng.randrange(3)
        if mutation == 0:
            raw[4:6] = self.rng.choice([0, 7, 65535]).to_bytes(2, "big")  # length
        elif mutation == 1:
            raw[6:8] = self.rng.getrandbits(16).to_bytes(2, "big") or b"\0\1"   # checksum
        return bytes(self.ether() / self.ip(proto=17) / Raw(bytes(raw)))

    def tcp_junk(self):
        tcp = TCP(sport=self.rng.randint(1024, 32767), dport=self.rng.choice(GUEST_PORTS),
                  seq=self.rng.getrandbits(32), ack=self.rng.getrandbits(32), flags=self.rng.getrandbits(8),
                  window=self.rng.getrandbits(16))
        raw = bytearray(bytes(self.ip(proto=6) / tcp / Raw(self.random_bytes(0, 32)))[20:])
        mutation = self.rng.randrange(4)
        if mutation == 0:
            raw[12] = self.rng.randint(0, 15) << 4                       # data offset
        elif mutation == 1:
            raw[16] ^= 0xFF                                              # checksum
        elif mutation == 2:
            options = self.random_bytes(4, 40)
            options += b"\0" * (-len(options) % 4)
            raw = raw[:12] + bytes([(5 + len(options) // 4) << 4]) + raw[13:20] + options + raw[20:]
            return bytes(self.ether() / self.ip(proto=6) / Raw(bytes(raw)))   # checksum wrong: fine
        return bytes(self.ether() / self.ip(proto=6) / Raw(bytes(raw)))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


KINDS = ["runt", "unknown_ethertype", "other_mac", "arp_junk", "ip_header_junk", "ip_options", "fragment",
         "icmp_junk", "udp_junk", "tcp_junk"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iface", required=True)
    parser.add_argument("--guest-mac", required=True)
    parser.add_argument("--host-mac", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--max-count", type=int, required=True)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    conf.verb = 0
    junk = Junk(random.Random(args.seed), args.guest_mac, args.host_mac)
    counters = dict.fromkeys(KINDS, 0)
    errors = 0
    link = conf.L2socket(iface=args.iface)
    started = time.monotonic()
    sent = 0
    while not stopping and time.monotonic() - started < args.seconds and sent < args.max_count:
        kind = junk.rng.choice(KINDS)
        try:
            link.send(getattr(junk, kind)())
            counters[kind] += 1
        except OSError:
            errors += 1
        sent += 1
        time.sleep(1.0 / args.rate)
    link.close()
    counters["send_errors"] = errors
    sys.stdout.write(json.dumps(counters) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
