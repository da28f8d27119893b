"""The qdisc layer in a running guest (issue 11): every frame goes through
the device's root qdisc, and the qdisc's counters in the stats block agree
with /proc/net/dev's.

One boot (virtio-net, an 8-descriptor TX ring so that bursts fill it and
frames wait in the qdisc; TSO off, as a 64 KB super-segment's chain would
not fit such a ring) whose command line sets
`sysctl.net.core.default_qdisc=pfifo_fast` and then
`keel.qdisc=eth0:fq_codel,eth7:fq_codel,eth0:bogus,nonsense`: eth0 must end
up with fq_codel (keel.qdisc= wins over the default), and each bad entry
gets its warning line. The 10 MiB file of the WWW= variant image is fetched
with curl and compared by SHA-256 while the host pings the guest; then:
  - the qdisc sent what the device sent: its sent_bytes equals
    /proc/net/dev's tx_bytes (both count wire bytes, from the first ARP
    announcement on), sent_packets at most tx_packets (a TSO super-segment
    is one qdisc packet, many frames);
  - frames did wait in it (new_flow_count > 0: only an enqueue counts a
    flow; the bypass does not), and nothing is left (backlog 0);
  - its drops equal the qdisc drop reasons' counts (TCP's window outgrows
    the 8-descriptor ring, so fq_codel's memory limit, half the pool, and
    CoDel do drop from the download's flow: TCP recovers);
  - the ping's echo replies (a sparse flow of their own) are not lost.
"""
import json
import threading

import pytest

import httpd_checks
from httpd_guest import start_guest, stop_guest
from netharness import require_network_namespaces

ECHO_PORT = 7
CMDLINE = (f"keel.txring=8 keel.tso=off keel.udp.testecho={ECHO_PORT} sysctl.net.core.default_qdisc=pfifo_fast "
           "keel.qdisc=eth0:fq_codel,eth7:fq_codel,eth0:bogus,nonsense")
QDISC_REASONS = ("qdisc_overlimit", "qdisc_fq_codel_drop", "qdisc_reset")

# Runs in the namespace: sends datagrams of the given size to the guest's
# echo back to back, then collects the echoes (each the guest sends as a
# burst of IPv4 fragments, more than its 8-descriptor ring holds).
UDP_BURST_SCRIPT = r"""
import json, socket, sys
request = json.load(sys.stdin)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.settimeout(5)
payload = bytes(i & 0xFF for i in range(request["size"]))
for _ in range(request["count"]):
    s.sendto(payload, (request["guest"], request["port"]))
exact = 0
try:
    for _ in range(request["count"]):
        data, _ = s.recvfrom(70000)
        exact += data == payload
except socket.timeout:
    pass
json.dump({"exact": exact}, sys.stdout)
"""


@pytest.fixture(scope="module")
def guest(request, large_image):
    require_network_namespaces()
    image, entries = large_image
    net = start_guest(request, image, "virtio-net-pci", "pc", CMDLINE)
    yield net, entries
    stop_guest(request, net)


def test_keys_and_warnings(guest):
    net, _ = guest
    assert "keel.qdisc: no device eth7, ignored" in net.log
    assert "keel.qdisc: unknown qdisc bogus (fq_codel|pfifo_fast|pfifo), eth0 keeps fq_codel" in net.log
    assert 'keel.qdisc: "nonsense" is not <dev>:<kind>, ignored' in net.log
    stats = net.wait_for_stats(timeout=30)
    assert stats["qdisc"]["eth0"]["kind"] == "fq_codel", stats["qdisc"]


def test_download_through_fq_codel(guest):
    net, entries = guest
    target = httpd_checks.HttpTarget(net.run, net.guest_ip, 80, workdir=net.workdir)
    pings = {}
    pinger = threading.Thread(target=lambda: pings.update(result=net.ping(count=40, interval=0.2)))
    pinger.start()
    httpd_checks.check_large_download(target, "/10m.bin", entries["/10m.bin"][0], timeout=180)
    pinger.join(timeout=60)
    stats = net.wait_for_stats(timeout=30)
    qdisc, device, drops = stats["qdisc"]["eth0"], stats["devices"]["eth0"], stats["drops"]
    print(f"qdisc {qdisc}\ndevice tx {device['tx_packets']} frames {device['tx_bytes']} bytes")
    assert qdisc["sent_bytes"] == device["tx_bytes"], (qdisc, device)
    assert 0 < qdisc["sent_packets"] <= device["tx_packets"], (qdisc, device)
    assert qdisc["backlog_packets"] == 0 and qdisc["backlog_bytes"] == 0, qdisc
    assert qdisc["dropped"] == sum(drops.get(reason, 0) for reason in QDISC_REASONS), (qdisc, drops)
    assert drops.get("tx_failed", 0) == 0, drops
    # The ping's replies are a flow of their own: fq_codel neither drops nor starves them.
    ping = pings["result"]
    rtts = sorted(ping["rtts_ms"])
    print(f"ping during the download: {ping['received']}/{ping['transmitted']}, "
          f"median {rtts[len(rtts) // 2] if rtts else None} ms")
    # ping -w sends until 40 replies came back: a lost one adds a request.
    assert ping["received"] >= 36 and ping["transmitted"] - ping["received"] <= 4, ping["output"]


def test_fragment_bursts_wait_in_the_qdisc(guest):
    """Each 30000-byte echo leaves as 21 fragments at once: the ring (8
    descriptors) takes a few, the rest wait in fq_codel and net_poll sends
    them as descriptors come back; every echo arrives whole."""
    net, _ = guest
    before = net.wait_for_stats(timeout=30)["qdisc"]["eth0"]
    before_drops = net.wait_for_stats(timeout=30)["drops"]
    request = {"guest": net.guest_ip, "port": ECHO_PORT, "size": 30000, "count": 20}
    result = net.run(["/usr/bin/python3", "-c", UDP_BURST_SCRIPT], input=json.dumps(request), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    echoed = json.loads(result.stdout)["exact"]
    stats = net.wait_for_stats(timeout=30)
    qdisc, drops = stats["qdisc"]["eth0"], stats["drops"]
    grown = {reason: count - before_drops.get(reason, 0) for reason, count in drops.items()
             if count != before_drops.get(reason, 0)}
    print(f"{echoed}/20 echoes; drops {grown}; qdisc before {before}\nafter {qdisc}")
    assert qdisc["new_flow_count"] > before["new_flow_count"], f"no frame ever waited in the qdisc: {qdisc}"
    assert qdisc["maxpacket"] >= 1514, qdisc
    assert qdisc["backlog_packets"] == 0 and qdisc["backlog_bytes"] == 0, qdisc
    assert qdisc["dropped"] == sum(drops.get(reason, 0) for reason in QDISC_REASONS), (qdisc, drops)
    # A burst is far below fq_codel's limits and CoDel's interval: the qdisc
    # loses nothing and hands the driver nothing its ring cannot take (the
    # echoes that do not come back are lost on the way in: no drop reason
    # of the guest grows).
    assert qdisc["dropped"] == before["dropped"] and "tx_failed" not in grown, (qdisc, grown)
    assert echoed >= 1, grown
