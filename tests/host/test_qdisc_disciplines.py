"""Host unit tests of the qdisc layer (net/core/netdev_queue.c) and the
qdiscs of net/sched: pfifo_fast, and fq_codel against RFC 8290 with its
CoDel against RFC 8289.

The real sources are compiled unchanged for the host with ASan and UBSan
(tests/host/qdisc_check.c: a malloc'd packet pool, a fake device whose ring
room the test sets, the fake clock of host_time_shim.c). Each scenario runs
in its own process and ends with the pool full again (nothing leaked or
double-freed); LeakSanitizer checks the heap.

fq_codel: deficit round robin gives a 1514-byte and a 300-byte flow equal
bytes; a sparse flow's packet goes before a bulk backlog, each time it comes
back; a sojourn-time trace (a 1-frame/ms link fed 2 frames/ms) enters the
dropping state an interval after the sojourn reached target, drops an
interval later and then at interval/sqrt(count), leaves when the sojourn
falls below target, re-enters at count - lastcount within 16 intervals and
at 1 after; ECT frames are marked CE on the same schedule with a valid IPv4
checksum; overlimit and memory_limit drop half the fattest flow (at most
drop_batch); reset frees everything. The layer: the empty-qdisc bypass, the
queue when the ring is full, no overtaking, net_poll's run, replacement.
tc: `tc qdisc show` and `tc -s qdisc show` in iproute2's layout.
The shaper (net/sched/tbf.c, keel.shape=): never above its rate plus its
burst, throttled on its timer (not polled), the burst again after idle, its
child replaced under it, tc's rate/time words, and its tc lines (tbf 1: root
with the child at 10: parent 1:1).
"""
import pytest

import host_build

SOURCES = [
    "net/sched/fq_codel.c", "net/sched/fq_codel_tc.c", "net/sched/codel.c", "net/sched/pfifo_fast.c",
    "net/sched/tc_format.c", "net/sched/tc_show.c", "net/sched/tbf.c", "net/sched/tc_parse.c",
    "net/sched/sched.c", "net/sched/shape.c", "net/sched/qdisc_options.c",
    "net/core/netdev.c", "net/core/netdev_queue.c", "net/core/netdev_bql.c", "net/core/dql.c", "net/core/gso.c",
    "net/core/pkt.c", "net/core/drop.c",
    "net/core/checksum.c", "net/core/siphash.c", "net/core/secret.c", "net/core/stats_print.c",
    *host_build.CAPTURE_TAP, host_build.HOST_TESTS / "host_time_shim.c", host_build.HOST_TESTS / "qdisc_check.c",
    host_build.HOST_TESTS / "qdisc_check_fq_codel.c", host_build.HOST_TESTS / "qdisc_check_shaper.c",
    host_build.HOST_TESTS / "qdisc_check_options.c",
]
SCENARIOS = ["pfifo-limit", "pfifo-bands", "bypass", "replace", "drr", "sparse", "codel", "reentry", "ecn",
             "overlimit", "memory", "reset", "newton",
             "shaper-rate", "shaper-graft", "shaper-parse", "options"]


@pytest.fixture(scope="module")
def qdisc_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("qdisc"), "qdisc_check", SOURCES, link_flags=["-lm"])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_qdisc(qdisc_check, scenario):
    result = host_build.run(qdisc_check, scenario)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout


FQ_CODEL_LINE = ("limit 10240p flows 1024 quantum 1514 target 5ms interval 100ms memory_limit 32Mb ecn "
                 "drop_batch 64 ")
PFIFO_FAST_LINE = "bands 3 priomap  1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1"


def test_tc_layout(qdisc_check):
    """Five 1514-byte frames of two flows to eth0 (fq_codel) whose ring takes
    two: two sent (by bypass, then from the queue), three held."""
    result = host_build.run(qdisc_check, "tc")
    assert result.returncode == 0, result.stdout + result.stderr
    plain, statistics, one, missing = result.stdout.split("--\n")
    assert plain == (f"qdisc fq_codel 0: dev eth0 root refcnt 2 {FQ_CODEL_LINE}\n"
                     f"qdisc pfifo_fast 0: dev eth1 root refcnt 2 {PFIFO_FAST_LINE}\n")
    assert statistics == (
        f"qdisc fq_codel 0: dev eth0 root refcnt 2 {FQ_CODEL_LINE}\n"
        " Sent 3028 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) \n"
        " backlog 4542b 3p requeues 0\n"
        "  maxpacket 1514 drop_overlimit 0 new_flow_count 2 ecn_mark 0 memory_used 4480\n"
        "  new_flows_len 2 old_flows_len 0\n"
        f"qdisc pfifo_fast 0: dev eth1 root refcnt 2 {PFIFO_FAST_LINE}\n"
        " Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n"
        " backlog 0b 0p requeues 0\n")
    assert one == (f"qdisc pfifo_fast 0: root refcnt 2 {PFIFO_FAST_LINE}\n"
                   " Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n"
                   " backlog 0b 0p requeues 0\n")
    assert missing == 'Cannot find device "eth9"\n-1\n'


def test_tc_layout_of_a_shaped_device(qdisc_check):
    """eth0 shaped at 8 Mbit/s over fq_codel (burst 8000000/8/1000 + 1600 =
    2600 bytes): five 1000-byte frames, two sent with the burst, three held
    by the child (one of them set aside by its peek, so not in its
    memory_used; the flow spent its quantum and went to the old list), one
    overlimit."""
    result = host_build.run(qdisc_check, "tc-shaper")
    assert result.returncode == 0, result.stdout + result.stderr
    plain, statistics = result.stdout.split("--\n")
    assert plain == ("qdisc tbf 1: dev eth0 root refcnt 2 rate 8Mbit burst 2600b lat 50ms \n"
                     f"qdisc fq_codel 10: dev eth0 parent 1:1 {FQ_CODEL_LINE}\n"
                     f"qdisc pfifo_fast 0: dev eth1 root refcnt 2 {PFIFO_FAST_LINE}\n")
    assert statistics == (
        "qdisc tbf 1: root refcnt 2 rate 8Mbit burst 2600b lat 50ms \n"
        " Sent 2000 bytes 2 pkt (dropped 0, overlimits 1 requeues 0) \n"
        " backlog 3000b 3p requeues 0\n"
        f"qdisc fq_codel 10: parent 1:1 {FQ_CODEL_LINE}\n"
        " Sent 2000 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) \n"
        " backlog 3000b 3p requeues 0\n"
        "  maxpacket 1000 drop_overlimit 0 new_flow_count 1 ecn_mark 0 memory_used 4480\n"
        "  new_flows_len 0 old_flows_len 1\n")


def test_keel_qdisc_options_and_keel_shape(qdisc_check):
    """keel.qdisc= with tc options (quoted on a real command line) and
    keel.shape=, through qdisc_init: each bad entry is warned about and
    changes nothing."""
    env = {"QDISC_CHECK_VERBOSE": "1",
           "QDISC_CHECK_QDISC": "eth0:fq_codel target 10ms limit 500 noecn,eth1:pfifo limit 50,"
                                "eth1:fq_codel target soon,eth1:sfq,eth9:pfifo,eth1",
           "QDISC_CHECK_SHAPE": "eth0:20mbit,eth1:0mbit,eth1:5kbit,eth1:20mbps,eth9:1mbit,eth1"}
    result = host_build.run(qdisc_check, "tc-init", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    shown = [line for line in lines if line.startswith("qdisc ")]
    assert shown == [
        "qdisc tbf 1: dev eth0 root refcnt 2 rate 20Mbit burst 4Kb lat 50ms ",
        "qdisc fq_codel 10: dev eth0 parent 1:1 limit 500p flows 1024 quantum 1514 target 10ms interval 100ms "
        "memory_limit 4480Kb drop_batch 64 ",   # half the test's pool
        "qdisc pfifo 0: dev eth1 root refcnt 2 limit 50p"], result.stdout
    warnings = [line for line in lines if not line.startswith("qdisc ") and ": registered " not in line]
    assert warnings == [
        'keel.qdisc: eth1: Illegal "target", eth1 keeps pfifo',
        "keel.qdisc: unknown qdisc sfq (fq_codel|pfifo_fast|pfifo), eth1 keeps pfifo",
        "keel.qdisc: no device eth9, ignored",
        'keel.qdisc: "eth1" is not <dev>:<kind>, ignored',
        "eth0: shaped to 20Mbit, burst 4100 bytes",
        'keel.shape: eth1: bad rate "0mbit" (8kbit .. 1000gbit, e.g. 20mbit), not shaped',
        'keel.shape: eth1: bad rate "5kbit" (8kbit .. 1000gbit, e.g. 20mbit), not shaped',
        'keel.shape: eth1: bad rate "20mbps" (8kbit .. 1000gbit, e.g. 20mbit), not shaped',
        "keel.shape: no device eth9, ignored",
        'keel.shape: "eth1" is not <dev>:<rate>, ignored'], result.stdout
