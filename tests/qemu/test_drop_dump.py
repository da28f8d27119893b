"""Every layer's drop reasons in every stats block, TCP's among them, and
the shutdown dump (the same printer as the panic dump: netdev_print_stats,
a panic notifier that kernel_shutdown also runs).

One boot of the default image on virtio-net with keel.stats=1,
keel.tcp.stats=1 and keel.udp.testshutdown=SHUTDOWN_PORT: TCP SYNs with a
bad checksum are sent with scapy, then a datagram to SHUTDOWN_PORT makes
the guest shut down as if its app had exited. The dump after
"keel: shutting down" must count the SYNs as tcp_bad_checksum, and print
every reason of every layer's X-macro list (net/*/drop_reasons.h and
net/core/drop.h, read from the source here), each once: a reason in a list
that the printer leaves out, or a name two layers share, fails. The
periodic netdev block must print them all as well, and the tcp block
TCP's only.
"""
import re

import pytest

from conftest import KERNEL_ELF, ROOT, require_image
from netharness import GUEST_IP, HOST_IP, GuestNetwork, parse_all_stats, require_network_namespaces
from tcp_stats import parse_blocks

scapy = pytest.importorskip("scapy.all")

SHUTDOWN_PORT = 9
HTTP_PORT = 80
BAD_CHECKSUM_SYNS = 3
CMDLINE = f"keel.tcp.stats=1 keel.udp.testshutdown={SHUTDOWN_PORT}"
SHUTDOWN_LINE = "keel: shutting down: a datagram to keel.udp.testshutdown"
# X(NET_DROP_IP_TOO_SHORT, ip_too_short) in a layer's list.
LIST_ENTRY = re.compile(r"\bX\(((?:NET|TCP)_DROP_\w+),\s*(\w+)\)")


def reasons_in_source():
    """{name: constant} from every drop reason list of the tree."""
    files = sorted(ROOT.glob("net/*/drop_reasons.h")) + [ROOT / "net/core/drop.h"]
    entries = [entry for path in files for entry in LIST_ENTRY.findall(path.read_text())]
    names = [name for _, name in entries]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    return {name: constant for constant, name in entries}


def bad_checksum_syn(host_mac, guest_mac, sport):
    syn = (scapy.Ether(src=host_mac, dst=guest_mac) / scapy.IP(src=HOST_IP, dst=GUEST_IP) /
           scapy.TCP(sport=sport, dport=HTTP_PORT, flags="S", seq=1000))
    frame = bytearray(bytes(syn))
    frame[14 + 20 + 16] ^= 0xFF                      # the TCP checksum's first byte
    return bytes(frame)


@pytest.fixture(scope="module")
def guest(request):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    failed_before = request.session.testsfailed
    net = GuestNetwork(nic="virtio-net-pci", cmdline=CMDLINE)
    try:
        net.start(timeout=60)
        assert net.ping(count=1, deadline=10)["received"] >= 1, "guest does not answer ping"
        host_mac = net.run(["cat", f"/sys/class/net/{net.tap}/address"], check=True).stdout.strip()
        periodic = net.wait_for_stats()
        net.exchange([bad_checksum_syn(host_mac, net.mac, 40000 + i) for i in range(BAD_CHECKSUM_SYNS)],
                     listen=0.5)
        shutdown = scapy.Ether(src=host_mac, dst=net.mac) / scapy.IP(src=HOST_IP, dst=GUEST_IP) / \
            scapy.UDP(sport=40100, dport=SHUTDOWN_PORT) / scapy.Raw(b"shut down")
        net.exchange([bytes(shutdown)], listen=0.2)
        shutting_down = net.wait_for_log(SHUTDOWN_LINE, timeout=30)
        net.wait_for_log(re.compile(r"^netdev stats end #\d+$", re.M), timeout=30, start=shutting_down)
        net.wait_for_log(re.compile(r"^total\s+\d+\s+\d+$", re.M), timeout=30, start=shutting_down)
        dump_text = net.log[shutting_down:]
        dumps = parse_all_stats(dump_text)
        assert dumps, dump_text
        yield {"net": net, "periodic": periodic, "dump": dumps[0][1], "dump_text": dump_text}
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


def test_bad_checksum_counted_in_shutdown_dump(guest):
    assert guest["periodic"]["drops"]["tcp_bad_checksum"] == 0, guest["periodic"]["drops"]
    assert guest["dump"]["drops"]["tcp_bad_checksum"] == BAD_CHECKSUM_SYNS, guest["dump"]["drops"]
    assert re.search(rf"^drops:.* tcp_bad_checksum={BAD_CHECKSUM_SYNS}( |$)", guest["dump_text"], re.M)


def test_shutdown_dump_prints_every_reason_once(guest):
    expected = reasons_in_source()
    drop_lines = [line for line in guest["dump_text"].split("netdev stats end")[0].splitlines()
                  if line.startswith("drops:")]
    printed = [name for line in drop_lines for name in re.findall(r" (\w+)=\d+", line)]
    assert sorted(printed) == sorted(expected), set(printed) ^ set(expected)


def test_shutdown_dump_has_tcp_counters(guest):
    block = guest["dump_text"].split("netdev stats end")[0]
    assert re.search(r"^tcp: active_opens=\d+", block, re.M), block
    assert re.search(r"^tcp: states connections=\d+ LISTEN=1", block, re.M), block


def test_periodic_netdev_block_prints_every_reason(guest):
    assert set(guest["periodic"]["drops"]) == set(reasons_in_source())


def test_tcp_block_prints_tcp_reasons_only(guest):
    blocks = parse_blocks(guest["net"].log)
    assert blocks, "no tcp stats block"
    tcp_names = {name for name, constant in reasons_in_source().items() if constant.startswith("TCP_DROP_")}
    assert all(name.startswith("tcp_") for name in tcp_names), tcp_names
    assert set(blocks[-1][1]["drops"]) == tcp_names


def dump_view(text, command):
    """The lines the dump printed under "---[ command ]---"."""
    start = text.index(f"---[ {command} ]---\n") + len(command) + 9
    following = text.find("---[ ", start)
    return text[start:following if following >= 0 else len(text)].splitlines()


def test_shutdown_dump_prints_the_operator_views(guest):
    """Point 3 of issue 13: `ip -s link`, `ss -s` and `drops` (the console's
    commands) follow the stats block, agreeing with it."""
    text = guest["dump_text"]
    link = dump_view(text, "ip -s link")
    rx_values = link[link.index(next(line for line in link if "RX:  bytes" in line)) + 1].split()
    assert int(rx_values[1]) == guest["dump"]["devices"]["eth0"]["rx_packets"], link
    assert any(line.startswith("TCP:") and "estab" in line for line in dump_view(text, "ss -s"))
    drops = {fields[1]: int(fields[2]) for fields in map(str.split, dump_view(text, "drops"))
             if len(fields) == 4 and fields[2].isdigit()}
    assert drops["tcp_bad_checksum"] == BAD_CHECKSUM_SYNS, drops
