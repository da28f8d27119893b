"""keel as an IPv4 router (issue 10, points 1 and 2): two NICs, each on a
tap in its own network namespace (tests/lib/router_harness.py): "inside"
10.97.0.2 behind the guest's eth0 (virtio-net, 10.97.0.1), "outside"
10.98.0.2 and 10.98.0.3 behind its eth1 (e1000, 10.98.0.1,
keel.mtu=eth1:1280). The e1000 driver probes first, yet the virtio-net NIC
sits first on the PCI bus: it must become eth0.
Both namespaces route everything else through keel.

One boot with sysctl.net.ipv4.ip_forward=1, strict rp_filter
(sysctl.net.ipv4.conf.all.rp_filter=1) and three keel.route= (the
device from the gateway, a named device, a gateway not on the named
device's link): the boot lines, ping both ways (TTL
decremented once), a checksummed TCP transfer inside -> outside through
the smaller outside MTU (Linux's own TCP adapts to keel's fragmentation
needed), DF larger than 1280 answered with fragmentation needed carrying
1280, the same without DF fragmented by keel, TTL 1 answered with time
exceeded, martian source / destination, a source-routed datagram and a
spoofed source (rp_filter) dropped and counted, the app (httpd) answering on both interfaces'
addresses. A second boot with the default ip_forward=0 drops transit,
counted as ip_forward_disabled and IpInAddrErrors; a third leases eth1's
address from dnsmasq (ip=:::::eth1:dhcp) beside a static eth0. Counters come from the
guest's keel.stats= blocks, read before and after each check.
"""
import json
import re
import subprocess

import pytest

from qemu_boot import require_image, KERNEL_ELF
from netharness import require_network_namespaces
from router_harness import RouterNetwork
from tcp_transfer import CLIENT_SCRIPT, SERVER_SCRIPT

scapy = pytest.importorskip("scapy.all")
Ether, IP, ICMP, Raw, IPOption_LSRR = scapy.Ether, scapy.IP, scapy.ICMP, scapy.Raw, scapy.IPOption_LSRR

OUTSIDE_MTU = 1280
SECOND_OUTSIDE_HOST = "10.98.0.3"   # a destination the TCP transfer taught no path MTU
TRANSFER_BYTES = 3 * 1024 * 1024
TRANSFER_PORT = 5001


def drops_delta(before, after):
    return {reason: after["drops"].get(reason, 0) - count for reason, count in before["drops"].items()
            if after["drops"].get(reason, 0) != count}


def ip_delta(before, after, name):
    return after["ip"].get(name, 0) - before["ip"].get(name, 0)


def ping(side, address, *options, count=1):
    return side.run(["ping", "-n", "-c", str(count), "-i", "0.2", "-W", "3", *options, address], timeout=30)


@pytest.fixture(scope="module")
def router():
    require_network_namespaces()
    require_image(KERNEL_ELF)
    net = RouterNetwork(inside_nic="virtio-net-pci", outside_nic="e1000",
                        console=True,
                        cmdline=f"sysctl.net.ipv4.ip_forward=1 sysctl.net.ipv4.conf.all.rp_filter=1 "
                        "sysctl.net.ipv4.conf.eth1.send_redirects=0 sysctl.net.ipv4.conf.eth7.rp_filter=1 "
                        f"keel.mtu=eth1:{OUTSIDE_MTU} "
                        f"keel.route=198.51.100.0/24:{SECOND_OUTSIDE_HOST} keel.route=192.0.2.0/24::eth1 "
                        "keel.route=203.0.113.0/24:10.97.0.9:eth1")
    try:
        net.start(timeout=90)
        net.outside.run(["ip", "addr", "add", f"{SECOND_OUTSIDE_HOST}/24", "dev", net.outside.tap], check=True)
        yield net
    except Exception:
        net.keep_artifacts = True
        raise
    finally:
        net.stop()


def test_boot_lines_name_both_interfaces(router):
    log = router.log
    # PCI order: the e1000 registered first as eth0, then moved down for the virtio-net NIC before it.
    assert "eth1: renamed from eth0" in log
    assert re.search(r"^eth0: virtio-net 52:54:00:12:34:61 irq \w+, 10\.97\.0\.1/24$", log, re.M), log[-3000:]
    assert re.search(r"^eth1: e1000 52:54:00:12:34:62 irq \w+, 10\.98\.0\.1/24$", log, re.M), log[-3000:]
    assert "route: 10.97.0.0/24 dev eth0 scope link" in log
    assert "route: 10.98.0.0/24 dev eth1 scope link" in log
    assert "eth1: mtu 1280 (keel.mtu=)" in log
    # keel.route=: the device from the gateway, named, or refused when the gateway is not on its link.
    assert "route: 198.51.100.0/24 via 10.98.0.3 dev eth1" in log
    assert "route: 192.0.2.0/24 dev eth1 scope link" in log
    assert "route: keel.route=203.0.113.0/24:10.97.0.9:eth1 ignored (gateway not on-link)" in log


def test_ping_through_both_ways(router):
    before = router.wait_for_stats()
    there = ping(router.inside, router.outside.host_ip, count=5)
    back = ping(router.outside, router.inside.host_ip, count=5)
    after = router.wait_for_stats()
    assert " 5 received" in there.stdout, there.stdout + there.stderr
    assert " 5 received" in back.stdout, back.stdout + back.stderr
    assert "ttl=63" in there.stdout and "ttl=63" in back.stdout       # one hop: keel decremented it
    assert ip_delta(before, after, "IpForwDatagrams") >= 20           # 10 requests, 10 replies


def test_tcp_transfer_adapts_to_smaller_outside_mtu(router):
    """The inside host sends full 1500-byte DF segments; keel answers with
    fragmentation needed (MTU 1280) and Linux's TCP carries on in smaller
    ones. The outside tap keeps MTU 1500 here so its SYN-ACK offers MSS
    1460: only keel's ICMP can make the sender adapt."""
    before = router.wait_for_stats()
    sink = router.outside.popen(["/usr/bin/python3", "-c", SERVER_SCRIPT, str(TRANSFER_PORT), "150", "sink"],
                                stdout=subprocess.PIPE, text=True)
    try:
        source = router.inside.run(["/usr/bin/python3", "-c", CLIENT_SCRIPT, router.outside.host_ip,
                                    str(TRANSFER_PORT), "send", str(TRANSFER_BYTES)], timeout=170)
        received, _ = sink.communicate(timeout=170)
    finally:
        if sink.poll() is None:
            sink.kill()                                             # this sink only
            sink.wait(timeout=10)
    after = router.wait_for_stats()
    assert source.returncode == 0, source.stdout + source.stderr
    sent = json.loads(source.stdout)
    got = json.loads(received)
    assert got["bytes"] == TRANSFER_BYTES
    assert got["sha256"] == sent["sent_sha256"]
    assert drops_delta(before, after).get("ip_fragment_needed", 0) >= 1
    assert ip_delta(before, after, "IpFragFails") >= 1
    # A super-frame the virtio NIC took whole (GUEST_TSO4) is one datagram
    # forwarded, as Linux counts a GSO skb in ip_forward_finish.
    assert ip_delta(before, after, "IpForwDatagrams") >= TRANSFER_BYTES // 65536


def test_without_dont_fragment_keel_fragments(router):
    """Before the DF check, so that the inside host has learned no path MTU to
    this destination and sends 1428-byte datagrams for keel to cut."""
    router.outside.set_mtu(OUTSIDE_MTU)
    before = router.wait_for_stats()
    result = ping(router.inside, SECOND_OUTSIDE_HOST, "-M", "dont", "-s", "1400", count=3)
    after = router.wait_for_stats()
    assert " 3 received" in result.stdout, result.stdout + result.stderr
    assert ip_delta(before, after, "IpFragOKs") >= 3
    assert ip_delta(before, after, "IpFragCreates") >= 6


def test_dont_fragment_too_big_gets_fragmentation_needed_with_mtu(router):
    router.outside.set_mtu(OUTSIDE_MTU)
    result = ping(router.inside, SECOND_OUTSIDE_HOST, "-M", "do", "-s", "1400")
    output = result.stdout + result.stderr
    assert "From 10.97.0.1" in output and "mtu = 1280" in output, output


def test_ttl_1_gets_time_exceeded(router):
    before = router.wait_for_stats()
    result = ping(router.inside, router.outside.host_ip, "-t", "1")
    after = router.wait_for_stats()
    assert "From 10.97.0.1 icmp_seq=1 Time to live exceeded" in result.stdout, result.stdout + result.stderr
    assert drops_delta(before, after).get("ip_ttl_expired") == 1
    assert ip_delta(before, after, "IpInHdrErrors") == 1


def test_martians_source_routes_and_rp_filter_dropped(router):
    inside = router.inside
    ether = Ether(src="02:00:00:00:97:02", dst=inside.mac)
    frames = {
        "ip_martian_source": ether / IP(src="169.254.7.7", dst=router.outside.host_ip) / ICMP(),
        "ip_martian_destination": ether / IP(src=inside.host_ip, dst="240.0.0.9") / ICMP(),
        "ip_source_route": ether / IP(src=inside.host_ip, dst=router.outside.host_ip,
                                      options=[IPOption_LSRR(routers=[router.outside.host_ip])]) / ICMP(),
        # An outside address arriving on the inside: strict rp_filter refuses it.
        "ip_rp_filter": ether / IP(src="10.98.0.50", dst=router.outside.host_ip) / ICMP(),
    }
    before = router.wait_for_stats()
    router.send_frames(inside, [bytes(frame) for frame in frames.values()], listen=0.5)
    after = router.wait_for_stats()
    delta = drops_delta(before, after)
    for reason in frames:
        assert delta.get(reason) == 1, (reason, delta)
    assert ip_delta(before, after, "IpForwDatagrams") == 0
    assert ip_delta(before, after, "TcpExtIPReversePathFilter") == 1


def test_app_answers_on_both_addresses(router):
    for side, address in ((router.inside, router.inside.guest_ip), (router.outside, router.outside.guest_ip),
                          (router.inside, router.outside.guest_ip)):
        result = side.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                           f"http://{address}/"], timeout=30)
        if "Connection refused" in result.stderr:
            pytest.skip("the image's app does not listen on port 80")
        assert result.stdout == "200", (address, result.stdout, result.stderr)


def test_per_device_conf_sysctls(router):
    """net.ipv4.conf.<dev>.* for every device, from the sysctl registry's
    templates: set on the command line (once the devices exist), listed by
    `sysctl -a`, written with `sysctl -w`; the input device's forwarding
    decides (Linux's IN_DEV_FORWARD) and net.ipv4.ip_forward=1 sets every
    device's again (inet_forward_change)."""
    log = router.log
    assert "sysctl: net.ipv4.conf.eth1.send_redirects = 0" in log
    assert "sysctl: unknown tunable 'net.ipv4.conf.eth7.rp_filter' ignored" in log
    listing = router.console("sysctl -a")
    for line in ("net.ipv4.conf.all.forwarding = 1", "net.ipv4.conf.default.forwarding = 1",
                 "net.ipv4.conf.eth0.forwarding = 1", "net.ipv4.conf.eth1.send_redirects = 0",
                 "net.ipv4.conf.eth0.send_redirects = 1", "net.ipv4.conf.eth1.rp_filter = 0",
                 "net.ipv4.conf.eth1.accept_source_route = 1", "net.ipv4.conf.all.accept_source_route = 0",
                 "net.ipv4.ip_forward = 1"):
        assert line + "\n" in listing, listing
    names = [line.split(" = ")[0] for line in listing.splitlines() if " = " in line]
    assert names == sorted(names)
    assert "Invalid argument" in router.console("sysctl -w net.ipv4.conf.eth0.rp_filter=3")
    assert "No such file or directory" in router.console("sysctl net.ipv4.conf.eth9.forwarding")
    # `in`, not ==: a stats block (keel.stats=1) may be printed while the command runs
    assert "net.ipv4.conf.eth1.forwarding = 0\n" in router.console("sysctl -w net.ipv4.conf.eth1.forwarding=0")
    try:
        before = router.wait_for_stats()
        blocked = ping(router.outside, router.inside.host_ip)            # arrives on eth1: not forwarded
        after = router.wait_for_stats()
        assert " 0 received" in blocked.stdout, blocked.stdout
        assert drops_delta(before, after).get("ip_forward_disabled", 0) >= 1
        assert "net.ipv4.ip_forward = 1\n" in router.console("sysctl net.ipv4.ip_forward")
    finally:
        assert "net.ipv4.ip_forward = 1\n" in router.console("sysctl -w net.ipv4.ip_forward=1")
    assert "1" in router.console("sysctl -n net.ipv4.conf.eth1.forwarding").splitlines()
    assert " 1 received" in ping(router.outside, router.inside.host_ip).stdout


def test_forwarding_disabled_by_default():
    require_network_namespaces()
    require_image(KERNEL_ELF)
    with RouterNetwork() as net:
        net.start(timeout=90)
        before = net.wait_for_stats()
        through = ping(net.inside, net.outside.host_ip, count=2)
        local = ping(net.inside, net.inside.guest_ip, count=1)
        after = net.wait_for_stats()
        assert " 0 received" in through.stdout, through.stdout
        assert " 1 received" in local.stdout, local.stdout
        assert drops_delta(before, after).get("ip_forward_disabled") == 2
        assert ip_delta(before, after, "IpInAddrErrors") == 2
        assert ip_delta(before, after, "IpForwDatagrams") == 0


def test_dhcp_on_one_interface_static_on_the_other():
    """ip=:::::eth1:dhcp beside a static eth0: dnsmasq on the outside leases
    eth1 its address and default route, eth0's connected route stays, and
    transit flows once bound."""
    require_network_namespaces()
    require_image(KERNEL_ELF)
    from dnsmasq import Dnsmasq
    server = Dnsmasq(dhcp_range="10.98.0.1,10.98.0.1,255.255.255.0,1h")
    cmdline = "ip=10.97.0.1:::255.255.255.0::eth0:off ip=:::::eth1:dhcp sysctl.net.ipv4.ip_forward=1"
    with RouterNetwork(addresses=False, cmdline=cmdline) as net:
        try:
            net.start(until=None, timeout=90)
            server.start(net.outside)
            net.wait_for_log("keel: ready", timeout=90)
            through = ping(net.inside, net.outside.host_ip, count=3)
        finally:
            server.stop()
        log = net.log
        assert re.search(r"^eth1: virtio-net 52:54:00:12:34:62 irq \w+, dhcp, no address yet$", log, re.M)
        assert "eth1: dhcp bound 10.98.0.1/24 via 10.98.0.2" in log, log[-3000:]
        table = log[log.index("eth1: dhcp bound"):]
        assert "route: 10.97.0.0/24 dev eth0 scope link" in table
        assert "route: default via 10.98.0.2 dev eth1" in table
        assert " 3 received" in through.stdout, through.stdout + through.stderr
