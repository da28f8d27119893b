"""The soak's end checks and its summary table, over what the guest printed
(the netdev stats blocks: net/core/netdev_stats.c and the sections the
layers add) and the loads' counters. Pure functions of their inputs, so
tests/host/test_soak_checks.py can show each check failing.

A block is parsed into {prefix: {name: value}}: the text before a line's
first name=value pair is its prefix ("pkt pool", "heap", "tcp: states",
"ipv4: reassembly", "socket", "arp", "drops", "eth0: driver" ...), and
the /proc/net/dev rows go under "devices" as {eth0: {rx_packets: ...}}.
"""
import re

import proc_net_dev  # tests/lib, on the path of soak.py and of its host test

STATS_START = re.compile(r"^netdev stats #(\d+) at ([\d.]+) s$")
STATS_END = re.compile(r"^netdev stats end #(\d+)$")
PAIR = re.compile(r"\s(\w+)=(\d+)")
# X(NET_DROP_IP_TOO_SHORT, ip_too_short) in a layer's list.
DROP_LIST_ENTRY = re.compile(r"\bX\(((?:NET|TCP)_DROP_\w+),\s*(\w+)\)")
PANIC_LINE = "Kernel panic"
TCP_STATES = ["SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "CLOSING",
              "LAST_ACK", "TIME_WAIT"]
ARP_CACHE_ENTRIES = 64          # net/ethernet/arp_cache.h
# Senders the junk's ARP requests teach the guest (tests/soak/junk.py
# ARP_TEACHERS): their entries rightly live 120 s (REACHABLE then STALE,
# net/ethernet/arp_cache.h), longer than the quiet period.
ARP_TEACHERS = 4
# Heap bytes the end may hold above the baseline. The baseline is taken
# after a warm-up that made one request of each kind, so the tables made on
# first use (the descriptor table, poll's index, the listeners' queues)
# are in it, and at rest no connection, datagram or fragment holds memory:
# a clean run ends at +0 (kernel/mm/heap.c counts bytes as requested). One
# page is left for a table the warm-up did not reach; a leak of one record
# per connection or datagram is far above it after the first minutes.
HEAP_TOLERANCE_BYTES = 4096


def parse_block(lines):
    block = {"devices": {}}
    for line in lines:
        row = proc_net_dev.parse_row(line)
        if row:
            block["devices"][row[0]] = row[1]
            continue
        first = PAIR.search(line)
        if not first:
            continue
        prefix = line[:first.start()].strip().rstrip(":")
        block.setdefault(prefix, {}).update({name: int(value) for name, value in PAIR.findall(line)})
    return block


def parse_blocks(log):
    """Every complete netdev block in log: [(number, guest seconds, block)]."""
    blocks, current = [], None
    for line in log.splitlines():
        start = STATS_START.match(line)
        if start:
            current, number, seconds = [], int(start.group(1)), float(start.group(2))
            continue
        end = STATS_END.match(line)
        if end and current is not None and int(end.group(1)) == number:
            blocks.append((number, seconds, parse_block(current)))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def drop_reasons_in_source(root):
    """Every drop reason name of the tree's X-macro lists."""
    files = sorted(root.glob("net/*/drop_reasons.h")) + [root / "net/core/drop.h"]
    return {name for path in files for _, name in DROP_LIST_ENTRY.findall(path.read_text())}


def value(block, prefix, name):
    return block.get(prefix, {}).get(name)


class Checks:
    def __init__(self):
        self.results = []    # (name, passed, detail)

    def check(self, name, passed, detail):
        self.results.append((name, bool(passed), detail))

    @property
    def failed(self):
        return [name for name, passed, _ in self.results if not passed]


def resource_checks(checks, baseline, end, label):
    """The end block against the baseline: nothing the loads made remains."""
    pool_free, pool_base = value(end, "pkt pool", "free"), value(baseline, "pkt pool", "free")
    checks.check(f"{label}: pkt pool back to full", pool_free is not None and pool_free == pool_base,
                 f"free {pool_free} of {value(end, 'pkt pool', 'total')} (after boot {pool_base})")
    for name in ("descriptors", "socks"):
        now, base = value(end, "socket", name), value(baseline, "socket", name)
        checks.check(f"{label}: no leaked socket ({name})", now is not None and now == base,
                     f"{name} {now} (after boot {base})")
    states = end.get("tcp: states", {})
    busy = {state: states.get(state) for state in TCP_STATES if states.get(state) != 0}
    listeners, base_listeners = states.get("LISTEN"), value(baseline, "tcp: states", "LISTEN")
    checks.check(f"{label}: no leaked connection", not busy and listeners == base_listeners
                 and states.get("connections") == value(baseline, "tcp: states", "connections"),
                 f"connections {states.get('connections')}, LISTEN {listeners} (after boot {base_listeners})"
                 + (f", not closed: {busy}" if busy else ""))
    arp, arp_base = value(end, "arp", "entries"), value(baseline, "arp", "entries")
    checks.check(f"{label}: no leaked ARP entry", arp is not None and arp <= (arp_base or 0) + ARP_TEACHERS,
                 f"entries {arp} (after boot {arp_base}; at most {ARP_TEACHERS} more, the junk's ARP senders)")
    datagrams = value(end, "ipv4: reassembly", "datagrams")
    held = value(end, "ipv4: reassembly", "pkts_held")
    checks.check(f"{label}: no leaked fragment", datagrams == 0 and held == 0,
                 f"datagrams {datagrams}, pkts held {held}")
    heap, heap_base = value(end, "heap", "bytes_in_use"), value(baseline, "heap", "bytes_in_use")
    checks.check(f"{label}: heap back to its level after boot",
                 heap is not None and heap_base is not None and heap - heap_base <= HEAP_TOLERANCE_BYTES,
                 f"bytes_in_use {heap} (after boot {heap_base}, {None if heap is None or heap_base is None else heap - heap_base:+} bytes; "
                 f"tolerance {HEAP_TOLERANCE_BYTES})")


def run_checks(log, baseline, end, dump, blocks, loads, known_reasons, hang, alive):
    """All checks; returns Checks. dump: the shutdown block (or None);
    blocks: every periodic block; loads: {name: counters}; hang: None or
    what was seen; alive: {"http": status, "ping": (sent, received), "udp": counters}."""
    checks = Checks()
    checks.check("no crash", PANIC_LINE not in log, "no panic line" if PANIC_LINE not in log else "panic in the log")
    checks.check("no hang", hang is None, hang or "no minute without a stats block, every load ended")
    http, (ping_sent, ping_received), udp = alive["http"], alive["ping"], alive["udp"]
    checks.check("still answers after the run", http == "200" and ping_received == ping_sent > 0
                 and udp.get("echoed", 0) > 0,
                 f"curl {http}, ping {ping_received}/{ping_sent}, UDP echo {udp.get('echoed', 0)}/{udp.get('sent', 0)}")
    checks.check("end block printed", bool(end), "read" if end else "missing: the guest printed no stats")
    resource_checks(checks, baseline, end, "end")
    checks.check("shutdown dump printed", dump is not None, "read" if dump is not None else "missing")
    if dump is not None:
        resource_checks(checks, baseline, dump, "dump")
    arp_peak = max((value(b, "arp", "entries") or 0 for _, _, b in blocks), default=0)
    checks.check("ARP entries bounded", arp_peak <= ARP_CACHE_ENTRIES, f"at most {arp_peak} of {ARP_CACHE_ENTRIES}")
    final = dump if dump is not None else end
    drops = final.get("drops", {})
    unnamed = sorted(set(drops) - known_reasons)
    missing = sorted(known_reasons - set(drops))
    checks.check("every drop under a named reason", not unnamed and not missing and "unknown" not in drops
                 and "none" not in drops,
                 f"{sum(drops.values())} drops under {len([d for d in drops.values() if d])} reasons"
                 + (f"; not in the source's lists: {unnamed}" if unnamed else "")
                 + (f"; reasons the guest did not print: {missing}" if missing else ""))
    corrupt = {
        "wrk non-2xx": loads.get("wrk", {}).get("non_2xx"),
        "short bad status": loads.get("short", {}).get("bad_status", 0),
        "short bad length": loads.get("short", {}).get("bad_length", 0),
        "udp mismatched": loads.get("udp", {}).get("mismatched"),
    }
    checks.check("no wrong answer", all(count == 0 for count in corrupt.values()),
                 ", ".join(f"{name} {count}" for name, count in corrupt.items()))
    worked = {
        "wrk": loads.get("wrk", {}).get("requests", 0),
        "short": loads.get("short", {}).get("ok", 0),
        "slow": loads.get("slow", {}).get("started", 0),
        "udp": loads.get("udp", {}).get("echoed", 0),
        "ping": loads.get("ping", {}).get("received", 0),
        "junk": sum(v for k, v in loads.get("junk", {}).items() if k != "send_errors"),
    }
    checks.check("every load ran", all(worked.values()), ", ".join(f"{name} {count}" for name, count in worked.items()))
    return checks


def format_table(rows, indent="  "):
    width = max((len(str(row[0])) for row in rows), default=0)
    return "\n".join(f"{indent}{str(row[0]):<{width}}  {row[1]}" for row in rows)


def summary(run, loads, relay, baseline, end, dump, blocks, checks):
    """The printed report: run, loads, link, guest totals, drops, resources, checks."""
    final = dump if dump is not None else end
    out = [f"soak: {run['nic']}, {run['duration']} s of load ({run['wall']:.0f} s in all), seed {run['seed']}",
           "", "loads:"]
    out.append(format_table([(name, " ".join(f"{k}={v}" for k, v in counters.items()) or "(no output)")
                             for name, counters in loads.items()]))
    if relay:
        out += ["", f"link (impaired {run['impaired']}):"]
        out.append(format_table([(direction, " ".join(f"{k}={v}" for k, v in counters.items()))
                                 for direction, counters in relay.items()]))
    device = next(iter(final.get("devices", {}).values()), {})
    tcp = final.get("tcp", {})
    served = value(final, "tcp", "passive_opens")
    wrk, short = loads.get("wrk", {}), loads.get("short", {})
    errors = sum(wrk.get(name, 0) for name in ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx"))
    errors += sum(count for name, count in short.items() if name not in ("started", "ok"))
    out += ["", "guest totals:", format_table([
        ("HTTP requests answered", f"{wrk.get('requests', 0) + short.get('ok', 0)} (wrk {wrk.get('requests', 0)}, "
                                   f"short {short.get('ok', 0)}); errors {errors}"),
        ("rx packets / bytes", f"{device.get('rx_packets')} / {device.get('rx_bytes')}"),
        ("tx packets / bytes", f"{device.get('tx_packets')} / {device.get('tx_bytes')}"),
        ("tcp passive opens", served),
        ("tcp retransmits / resets", f"{tcp.get('retrans_segs')} / {tcp.get('estab_resets')}"),
        ("reassembled / timeouts", f"{value(final, 'ipv4: reassembly', 'reassembled')} / "
                                   f"{value(final, 'ipv4: reassembly', 'timeouts')}"),
        ("pkt pool low water / alloc failures", f"{value(final, 'pkt pool', 'low_water')} / "
                                                f"{value(final, 'pkt pool', 'alloc_failures')}"),
        ("heap allocations / failures", f"{value(final, 'heap', 'allocations')} / {value(final, 'heap', 'failures')}"),
        ("stats blocks", len(blocks)),
    ])]
    drops = sorted(((count, name) for name, count in final.get("drops", {}).items() if count), reverse=True)
    out += ["", f"drops by reason ({sum(c for c, _ in drops)} in all):"]
    out.append(format_table([(name, count) for count, name in drops]) if drops else "  none")
    rows = []
    for label, prefix, name in [("pkt pool free", "pkt pool", "free"), ("heap bytes in use", "heap", "bytes_in_use"),
                                ("heap pages held", "heap", "pages_held"), ("socket descriptors", "socket", "descriptors"),
                                ("socks", "socket", "socks"), ("tcp connections", "tcp: states", "connections"),
                                ("tcp LISTEN", "tcp: states", "LISTEN"), ("tcp TIME_WAIT", "tcp: states", "TIME_WAIT"),
                                ("arp entries", "arp", "entries"),
                                ("reassembly datagrams", "ipv4: reassembly", "datagrams"),
                                ("reassembly pkts held", "ipv4: reassembly", "pkts_held")]:
        peak = max((value(b, prefix, name) or 0 for _, _, b in blocks), default=None)
        if prefix == "pkt pool":
            peak = min((value(b, prefix, name) for _, _, b in blocks if value(b, prefix, name) is not None),
                       default=None)
        rows.append((label, f"after boot {value(baseline, prefix, name)}, "
                            f"{'lowest' if prefix == 'pkt pool' else 'peak'} {peak}, "
                            f"end {value(end, prefix, name)}, dump {value(dump or {}, prefix, name)}"))
    out += ["", "resources:", format_table(rows)]
    out += ["", "checks:", format_table([("PASS" if passed else "FAIL", f"{name}: {detail}")
                                         for name, passed, detail in checks.results])]
    verdict = "soak: FAILED: " + ", ".join(checks.failed) if checks.failed else "soak: passed"
    out += ["", verdict]
    return "\n".join(out)
