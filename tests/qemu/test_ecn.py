"""ECN through keel's shaped egress (issue 11): keel as a router whose
eth1 is shaped (`keel.shape=eth1:10mbit`, tbf with fq_codel as its child)
is the bottleneck for a bulk TCP transfer between two Linux hosts that
both negotiate ECN (net.ipv4.tcp_ecn=1, RFC 3168 6.1.1). keel's own TCP
does not negotiate ECN, so only forwarded traffic is ever ECT.

One boot with the console. With fq_codel's default `ecn` (RFC 8290 4.2,
RFC 8289: a packet CoDel would drop is marked CE instead when it is ECT):
  - the child's `tc -s qdisc` shows ecn_mark > 0 and no drops of any kind
    (CoDel's, drop_overlimit, the `dropped` total);
  - the receiving host counted CE-marked packets (IpExtInCEPkts), the
    sender heard of them through ECE (TcpExtTCPDeliveredCE) and, slowing
    down without a loss, retransmitted next to nothing;
  - every byte arrived (the receiver read as many as the sender sent).
Then `tc qdisc replace dev eth1 parent 1:1 fq_codel noecn`: the same
transfer is controlled by drops instead (dropped > 0, ecn_mark 0, no CE
seen, the sender retransmits), so the first half fails when marking is
broken (a mark that became a drop, or a CE whose IPv4 header checksum was
left stale: the receiver discards the packet as IpInHdrErrors, the sender
retransmits it, not ECT this time, RFC 3168 6.1.5, so CoDel drops it).
The numbers are printed.
"""
import json
import re
import subprocess
import time

import pytest

from netharness import PYTHON, require_network_namespaces
from router_harness import RouterNetwork
from tcp_transfer import CLIENT_SCRIPT, SERVER_SCRIPT

RATE = "10mbit"
TRANSFER_BYTES = 5_000_000      # 4 s at 10 Mbit/s: long enough for CoDel to act many times
TRANSFER_TIMEOUT = 60           # seconds; bounds a transfer that stalls
PORT = 5001
CMDLINE = f"sysctl.net.ipv4.ip_forward=1 keel.shape=eth1:{RATE} keel.pkts=4096"


@pytest.fixture(scope="module")
def router(request):
    require_network_namespaces()
    failed_before = request.session.testsfailed
    # The `with` stops the guest (keeping its artifacts) when start fails too.
    with RouterNetwork(inside_nic="virtio-net-pci", outside_nic="virtio-net-pci", console=True, memory="256M",
                       stats_interval=0, cmdline=CMDLINE) as net:
        net.start(timeout=90)
        net.console("")   # the prompt is there
        for side in (net.inside, net.outside):
            side.run(["sysctl", "-qw", "net.ipv4.tcp_ecn=1"], check=True)
        yield net
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True


def counters(side):
    """The side's namespace's SNMP counters (nstat: absolute, history untouched)."""
    text = side.run(["nstat", "-asz"], check=True).stdout
    return {name: int(value) for name, value in re.findall(r"^(\w+)\s+(\d+)", text, re.M)}


def child_statistics(router):
    """The shaper's child on eth1: its counters from `tc -s qdisc show`."""
    text = router.console("tc -s qdisc show dev eth1")
    match = re.search(r"^qdisc fq_codel \S+ parent 1:1 (.*)\n Sent (\d+) bytes (\d+) pkt \(dropped (\d+), "
                      r".*\n.*\n  maxpacket \d+ drop_overlimit (\d+) new_flow_count \d+ ecn_mark (\d+)", text, re.M)
    assert match, text
    options, sent_bytes, sent_packets, dropped, drop_overlimit, ecn_mark = match.groups()
    return {"options": options, "sent_packets": int(sent_packets), "dropped": int(dropped),
            "drop_overlimit": int(drop_overlimit), "ecn_mark": int(ecn_mark), "text": text}


def transfer(router):
    """One bounded bulk TCP transfer inside -> outside through keel's eth1;
    returns (bytes sent, bytes received, the counters' deltas per side)."""
    before = {side: counters(getattr(router, side)) for side in ("inside", "outside")}
    server = router.outside.popen([PYTHON, "-c", SERVER_SCRIPT, str(PORT), str(TRANSFER_TIMEOUT), "sink"],
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        client = router.inside.run([PYTHON, "-c", CLIENT_SCRIPT, router.outside.host_ip, str(PORT), "send",
                                    str(TRANSFER_BYTES)], timeout=TRANSFER_TIMEOUT + 10)
        received_text, errors = server.communicate(timeout=TRANSFER_TIMEOUT)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
    assert client.returncode == 0, client.stdout + client.stderr
    assert server.returncode == 0, errors
    sender, receiver = json.loads(client.stdout), json.loads(received_text)
    assert receiver["sha256"] == sender["sent_sha256"], "the bytes received are not the bytes sent"
    sent, received = TRANSFER_BYTES, receiver["bytes"]
    deltas = {}
    for side in ("inside", "outside"):
        after = counters(getattr(router, side))
        deltas[side] = {name: after.get(name, 0) - before[side].get(name, 0) for name in after}
    return sent, received, deltas


def measured_transfer(router, label):
    """One transfer with keel's and the hosts' counters around it (deltas)."""
    before = child_statistics(router)
    sent, received, deltas = transfer(router)
    after = child_statistics(router)
    result = {"sent": sent, "received": received, "options": before["options"], "text": after["text"],
              "ce_received": deltas["outside"].get("IpExtInCEPkts", 0),
              "header_errors": deltas["outside"].get("IpInHdrErrors", 0),
              "delivered_ce": deltas["inside"].get("TcpExtTCPDeliveredCE", 0),
              "retransmitted": deltas["inside"].get("TcpRetransSegs", 0)}
    for name in ("ecn_mark", "dropped", "drop_overlimit", "sent_packets"):
        result[name] = after[name] - before[name]
    print(f"\n{label}: {sent} bytes sent, {received} received; keel's fq_codel: {result['sent_packets']} packets, "
          f"ecn_mark {result['ecn_mark']}, dropped {result['dropped']}, drop_overlimit {result['drop_overlimit']}; "
          f"receiver IpExtInCEPkts {result['ce_received']}, IpInHdrErrors {result['header_errors']}; "
          f"sender TcpExtTCPDeliveredCE {result['delivered_ce']}, TcpRetransSegs {result['retransmitted']}")
    return result


def test_ect_traffic_is_marked_not_dropped(router):
    result = measured_transfer(router, "ecn")
    assert " ecn " in f" {result['options']}", result["text"]
    assert result["sent"] == result["received"] == TRANSFER_BYTES, result
    assert result["ecn_mark"] >= 5 and result["dropped"] == 0 and result["drop_overlimit"] == 0, result["text"]
    # Every mark reached the receiver as CE, with a valid header checksum.
    assert result["ce_received"] == result["ecn_mark"] and result["header_errors"] == 0, result
    # The sender heard of them (ECE) and slowed down without losing data
    # (a few retransmissions allowed for a spurious timeout under TCG).
    assert result["delivered_ce"] > 0 and result["retransmitted"] <= 10, result


def test_noecn_drops_the_same_traffic_instead(router):
    assert router.console("tc qdisc replace dev eth1 parent 1:1 fq_codel noecn") == ""
    result = measured_transfer(router, "noecn")
    print(result["text"])
    assert " ecn " not in f" {result['options']}", result["text"]
    assert result["sent"] == result["received"] == TRANSFER_BYTES, result
    assert result["ecn_mark"] == 0 and result["dropped"] >= 5 and result["ce_received"] == 0, result["text"]
    assert result["retransmitted"] > 0, result
