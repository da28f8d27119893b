"""TCP seen from a scripted peer (tests/qemu/tcp_raw_peer.py, scapy frames
on the tap from an address the host kernel does not own): the options of
the SYN-ACK, RFC 5961 challenge ACKs, out-of-window segments dropped and
counted, data on the handshake's last ACK, FIN/RST ordering, RTO backoff
then reset for a vanished peer, and a 10000-SYN flood answered with SYN
cookies after which a real client is still served, and path MTU discovery
(RFC 1191): a "fragmentation needed" quoting the connection shrinks the
guest's segments, one quoting an out-of-window sequence number does not.

The guest runs TCP's in-kernel echo service (keel.tcp.testlisten=), so
these tests need no application in the image. One boot serves them all.
"""
import importlib.util
import json

import pytest

from netharness import PYTHON, GuestNetwork, require_network_namespaces
from tcp_stats import wait_for_fresh_block

PORT = 7007
# The scapy peer runs as a script inside the namespace: its path, not the module.
PEER_SCRIPT = importlib.util.find_spec("tcp_raw_peer").origin
CMDLINE = f"keel.tcp.testlisten={PORT} keel.tcp.stats=1 sysctl.net.ipv4.tcp_retries2=4"


@pytest.fixture(scope="module")
def guest(request):
    require_network_namespaces()
    with GuestNetwork(nic="e1000", cmdline=CMDLINE) as net:
        net.start()
        # TCP starts on its first segment (until net_init calls tcp_init): say hello.
        hello = net.run(["sh", "-c", f"printf hello | timeout 10 nc -N {net.guest_ip} {PORT}"], timeout=30)
        assert hello.stdout == "hello", hello.stdout + hello.stderr
        before = wait_for_fresh_block(net)
        results = run_peer(net, ["options", "challenge", "syn_received_data", "fin_ordering", "vanish", "pmtu",
                                 "syn_flood"])
        after_flood = net.run(["sh", "-c", f"printf 'still serving' | timeout 10 nc -N {net.guest_ip} {PORT}"],
                              timeout=30)
        stats = wait_for_fresh_block(net)
        yield {"results": results, "stats": stats, "before": before, "after_flood": after_flood, "net": net}
        if request.session.testsfailed:
            net.keep_artifacts = True


def run_peer(net, scenarios):
    request = {"iface": net.tap, "guest_mac": net.mac, "guest_ip": net.guest_ip, "port": PORT,
               "scenarios": scenarios}
    result = net.run([PYTHON, PEER_SCRIPT], input=json.dumps(request), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def no_error(result):
    assert "error" not in result, result
    return result


def test_handshake_options(guest):
    options = no_error(guest["results"]["options"])
    assert options["mss"] == 1460                      # MTU 1500 - 40
    assert options["wscale"] == 7                      # enough for tcp_rmem's 6 MiB maximum
    assert options["sack_ok"] is True
    assert options["timestamp"] is not None and options["timestamp"][1] == options["our_tsval"]
    assert options["echo"] == "ping"


def test_rst_and_syn_in_window_get_challenge_acks(guest):
    challenge = no_error(guest["results"]["challenge"])
    in_sequence = challenge["expected_ack"] - len("still here")
    for case in ("rst_in_window", "syn_in_window"):
        replies = challenge[case]
        assert len(replies) == 1, (case, replies)
        assert replies[0]["flags"] == "A" and replies[0]["ack"] == in_sequence, (case, replies)
    assert challenge["echo_after"] == "still here"     # neither reset the connection
    assert [r["flags"] for r in challenge["after_reset"]] == ["R"]   # the exact RST did
    counters, drops = guest["stats"]["counters"], guest["stats"]["drops"]
    assert counters["challenge_acks"] >= 2
    assert drops["tcp_rst_challenged"] >= 1 and drops["tcp_syn_challenged"] >= 1


def test_out_of_window_segment_dropped_and_counted(guest):
    challenge = no_error(guest["results"]["challenge"])
    replies = challenge["out_of_window"]
    in_sequence = challenge["expected_ack"] - len("still here")
    assert [(r["flags"], r["ack"], r["length"]) for r in replies] == [("A", in_sequence, 0)]
    assert guest["stats"]["drops"]["tcp_out_of_window"] >= 1
    assert guest["before"]["drops"]["tcp_out_of_window"] == 0


def test_data_on_the_handshake_ack(guest):
    assert no_error(guest["results"]["syn_received_data"])["echo"] == "early data"


def test_fin_after_data_then_rst_is_quiet(guest):
    fin = no_error(guest["results"]["fin_ordering"])
    assert fin["echo"] == "last words" and fin["fin"] is True
    assert fin["fin_after_data"]
    # RFC 9293: never an RST for an RST (a late retransmission of the FIN may still come).
    assert not any("R" in reply["flags"] for reply in fin["after_rst"]), fin["after_rst"]


def test_vanished_peer_backoff_then_reset(guest):
    segments = no_error(guest["results"]["vanish"])["segments"]
    data = [s for s in segments if s["length"] == 100]
    assert len({s["seq"] for s in data}) == 1           # the same segment each time
    times = [s["time"] for s in data]
    intervals = [later - earlier for earlier, later in zip(times, times[1:])]
    assert len(intervals) == 4, segments               # tcp_retries2=4
    for interval, expected in zip(intervals, (0.2, 0.4, 0.8, 1.6)):
        assert expected * 0.75 <= interval <= expected * 1.5 + 0.1, intervals
    assert "R" in segments[-1]["flags"]
    assert segments[-1]["time"] - times[-1] >= 3.2 * 0.75


def test_syn_flood_answered_with_cookies(guest):
    flood = no_error(guest["results"]["syn_flood"])
    assert flood["sent_seconds"] < 30
    assert flood["synacks"] >= 5000, flood              # most SYNs were answered
    assert flood["mss_only"] >= 3000, flood             # by cookies: MSS only, no state
    counters, states = guest["stats"]["counters"], guest["stats"]["states"]
    assert counters["syncookies_sent"] >= 3000
    assert states["SYN_RECV"] <= 1024                   # the SYN queue stayed bounded
    after = guest["after_flood"]
    assert after.returncode == 0 and after.stdout == "still serving", after.stdout + after.stderr


def test_path_mtu_discovery(guest):
    pmtu = no_error(guest["results"]["pmtu"])
    for name in ("before", "after_bogus", "after_valid"):
        assert pmtu[name]["intact"], pmtu
    # Before, and after the bogus report (sequence far beyond snd_nxt, RFC
    # 5927), segments go beyond what a 1280-byte path takes (how far depends
    # on how the echo coalesced our 1400-byte chunks); after the valid one
    # every IP datagram is <= 1280 and our chunks make some exactly that.
    headers = pmtu["headers"]
    assert pmtu["before"]["max_payload"] > 1280 - headers, pmtu
    assert pmtu["before"]["max_payload"] <= 1500 - headers, pmtu
    assert pmtu["after_bogus"]["max_payload"] > 1280 - headers, pmtu
    assert pmtu["after_valid"]["max_payload"] == 1280 - headers, pmtu
    assert guest["stats"]["counters"]["icmp_mtu_reduced"] >= 1
    drops = guest["net"].wait_for_stats()["drops"]
    assert drops.get("icmp_error_out_of_window", 0) >= 1, drops
