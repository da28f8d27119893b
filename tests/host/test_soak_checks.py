"""The soak's end checks (tests/soak/checks.py) on made-up stats blocks:
a clean end passes, and each kind of leak, a panic, a hang, an unnamed
drop reason or a wrong answer fails its own check (a check that cannot
fail is a defect). Also the block parser on the guest's real shapes,
among them a /proc/net/dev row whose byte count leaves no blank after the
colon. No QEMU: the soak itself is `make soak`.
"""
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "soak"))
sys.path.insert(0, str(ROOT / "tests" / "lib"))

import checks  # noqa: E402

REASONS = {"ip_bad_checksum", "tcp_bad_checksum", "arp_unresolved"}


def block_text(number, pool_free=768, heap=89534, descriptors=1, socks=2, connections=0, time_wait=0,
               arp=1, datagrams=0, pkts_held=0, drops=None, rx_bytes=537):
    drops = drops if drops is not None else {name: 0 for name in sorted(REASONS)}
    return "\n".join([
        f"netdev stats #{number} at {number}.000 s",
        "Inter-|   Receive                                                |  Transmit",
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
        f"  eth0:{rx_bytes:8d}       7    0    0    0     0          0         0     1329       7    0    0    0     0       0          0",
        "eth0: e1000 irq intx link up napi interrupts=10 polls=10 budget_exhausted=0",
        f"pkt pool: total=1024 free={pool_free} low_water=700 allocations=270 alloc_failures=0",
        f"heap: bytes_in_use={heap} allocations=10 frees=5 failures=0 pages_held=34",
        f"arp: entries={arp} evictions=0 requests_sent=0 replies_sent=1 announcements_sent=2",
        f"ipv4: reassembly datagrams={datagrams} pkts_held={pkts_held} reassembled=0 timeouts=0 time_exceeded_sent=0",
        "tcp: active_opens=0 passive_opens=1 attempt_fails=0 estab_resets=0 in_segs=6",
        f"tcp: states connections={connections} LISTEN=2 SYN_SENT=0 SYN_RECV=0 ESTABLISHED={connections - time_wait}",
        "tcp: states FIN_WAIT1=0 FIN_WAIT2=0 CLOSE_WAIT=0 CLOSING=0 LAST_ACK=0",
        f"tcp: states TIME_WAIT={time_wait}",
        f"socket: descriptors={descriptors} socks={socks} descriptor_limit=1100",
        "drops: " + " ".join(f"{name}={count}" for name, count in drops.items()),
        f"netdev stats end #{number}",
    ]) + "\n"


GOOD_LOADS = {"wrk": {"requests": 10, "non_2xx": 0}, "short": {"started": 3, "ok": 3}, "slow": {"started": 1},
              "udp": {"sent": 2, "echoed": 2, "mismatched": 0}, "ping": {"transmitted": 5, "received": 5},
              "junk": {"runt": 3, "send_errors": 0}}
ALIVE = {"http": "200", "ping": (5, 5), "udp": {"sent": 7, "echoed": 7}}


def run(end_changes=None, log_extra="", hang=None, loads=None, alive=None):
    log = block_text(1) + block_text(2, **(end_changes or {})) + log_extra
    blocks = checks.parse_blocks(log)
    baseline, end = blocks[0][2], blocks[1][2]
    return checks.run_checks(log, baseline, end, end, blocks, loads or GOOD_LOADS, REASONS, hang, alive or ALIVE)


def test_parser_reads_every_line_kind():
    block = checks.parse_blocks(block_text(1, rx_bytes=26652813, connections=3, time_wait=1))[0][2]
    assert block["devices"]["eth0"]["rx_bytes"] == 26652813 and block["devices"]["eth0"]["rx_packets"] == 7
    assert block["pkt pool"]["free"] == 768 and block["heap"]["bytes_in_use"] == 89534
    assert block["tcp: states"] == {"connections": 3, "LISTEN": 2, "SYN_SENT": 0, "SYN_RECV": 0, "ESTABLISHED": 2,
                                    "FIN_WAIT1": 0, "FIN_WAIT2": 0, "CLOSE_WAIT": 0, "CLOSING": 0, "LAST_ACK": 0,
                                    "TIME_WAIT": 1}
    assert block["socket"]["socks"] == 2 and block["ipv4: reassembly"]["pkts_held"] == 0
    assert block["tcp"]["passive_opens"] == 1 and block["drops"]["arp_unresolved"] == 0


def test_clean_run_passes():
    assert run().failed == []


@pytest.mark.parametrize("changes, failing", [
    ({"pool_free": 767}, "end: pkt pool back to full"),
    ({"heap": 89534 + checks.HEAP_TOLERANCE_BYTES + 1}, "end: heap back to its level after boot"),
    ({"descriptors": 2}, "end: no leaked socket (descriptors)"),
    ({"socks": 3}, "end: no leaked socket (socks)"),
    ({"connections": 1, "time_wait": 1}, "end: no leaked connection"),
    ({"arp": 1 + checks.ARP_TEACHERS + 1}, "end: no leaked ARP entry"),
    ({"datagrams": 1, "pkts_held": 2}, "end: no leaked fragment"),
    ({"drops": {"ip_bad_checksum": 1, "tcp_bad_checksum": 0, "arp_unresolved": 0, "unknown": 3}},
     "every drop under a named reason"),
    ({"drops": {"ip_bad_checksum": 1}}, "every drop under a named reason"),
])
def test_each_leak_fails_its_check(changes, failing):
    failed = run(end_changes=changes).failed
    assert failing in failed, failed
    assert "dump: " + failing.removeprefix("end: ") in failed or not failing.startswith("end: ")


def test_heap_within_tolerance_passes():
    assert run(end_changes={"heap": 89534 + checks.HEAP_TOLERANCE_BYTES}).failed == []


def test_panic_hang_and_silence_fail():
    assert "no crash" in run(log_extra="Kernel panic - not syncing: test\n").failed
    assert "no hang" in run(hang="no stats block for 90 s").failed
    assert "still answers after the run" in run(alive={"http": "000", "ping": (5, 0), "udp": {}}).failed


def test_wrong_answers_and_idle_loads_fail():
    wrong = dict(GOOD_LOADS, udp={"sent": 2, "echoed": 1, "mismatched": 1})
    assert "no wrong answer" in run(loads=wrong).failed
    idle = dict(GOOD_LOADS, ping={"transmitted": 5, "received": 0})
    assert "every load ran" in run(loads=idle).failed


def test_summary_names_the_failures():
    result = run(end_changes={"socks": 3})
    run_info = {"nic": "e1000", "duration": 10, "wall": 20.0, "seed": 1, "impaired": "never"}
    blocks = checks.parse_blocks(block_text(1) + block_text(2, socks=3))
    text = checks.summary(run_info, GOOD_LOADS, None, blocks[0][2], blocks[1][2], blocks[1][2], blocks, result)
    assert "FAIL  end: no leaked socket (socks)" in text
    assert text.splitlines()[-1].startswith("soak: FAILED: ")
