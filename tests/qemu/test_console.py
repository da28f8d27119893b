"""The operator's console on the serial port (issue 13): `keel# ` after
`keel: ready`, commands answering in the format of the Linux tool they are
named after, compared with what the host sees from its side of the tap.

One boot of the default image (apps/httpd on port 80) on e1000 with the
in-kernel echo listeners (keel.tcp.testlisten=7007, keel.udp.testecho=7) and no default route:
`ip=` without a gateway plus one static route to 192.0.2.0/24, so that
`ip route get` has an on-link, a routed and an unreachable answer. No
periodic stats (stats_interval=0): the console's output is alone on the
serial line. The console is driven through QEMU's stdin
(netharness.GuestNetwork(console=True)); the log keeps everything.
"""
import re
import subprocess
import threading
import time

import pytest

from netharness import GUEST_IP, HOST_IP, PROC_NET_DEV_COLUMNS, PROC_NET_DEV_ROW, GuestNetwork, require_network_namespaces
from qemu_boot import KERNEL_ELF, require_image

ECHO_PORT = 7007
HOLD_PORT = 7010      # keel.tcp.testhold: never accepts; a UDP datagram to it re-calls listen()
BURST = 20
UDP_ECHO_PORT = 7
ROUTED_NETWORK = "192.0.2.0/24"
CMDLINE = (f"ip={GUEST_IP}:::255.255.255.0 keel.route={ROUTED_NETWORK}:{HOST_IP} "
           f"keel.tcp.testlisten={ECHO_PORT} keel.udp.testecho={UDP_ECHO_PORT} keel.tcp.testhold={HOLD_PORT}")

# Runs in the namespace: connects, optionally sends without ever reading,
# prints its local port, then holds the connection until killed.
HOLDER = r'''
import socket, sys, time
host, port, flood = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "flood"
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((host, port))
print(s.getsockname()[1], flush=True)
if flood:
    s.setblocking(False)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            s.send(b"x" * 65536)
        except BlockingIOError:
            time.sleep(0.05)
time.sleep(120)
'''

# Runs in the namespace: BURST nonblocking connects at once, then prints how
# many completed (SYN-ACK seen) within 2 s and every socket's local port,
# then holds them all until killed.
BURST_CLIENT = r'''
import select, socket, sys, time
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sockets = []
for _ in range(count):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((host, port))
    sockets.append(s)
pending, done, deadline = set(sockets), 0, time.time() + 2
while pending and time.time() < deadline:
    _, writable, _ = select.select([], list(pending), [], max(0.0, deadline - time.time()))
    for s in writable:
        pending.discard(s)
        done += s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
print(done, *[s.getsockname()[1] for s in sockets], flush=True)
time.sleep(60)
'''

# Runs in the namespace: one datagram to the holding listener's port, prints the answer.
POKE = r'''
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(b"listen", (sys.argv[1], int(sys.argv[2])))
print(s.recv(64).decode(), end="")
'''


@pytest.fixture(scope="module")
def net(request):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    failed_before = request.session.testsfailed
    guest = GuestNetwork(nic="e1000", cmdline=CMDLINE, stats_interval=0, console=True)
    try:
        guest.start(until=re.compile(r"keel: ready\n(?:.*\n)*?keel# "), timeout=90)
        yield guest
    finally:
        if request.session.testsfailed > failed_before:
            guest.keep_artifacts = True
        guest.stop()


def hold_connection(net, port, flood=False):
    """A host client holding a connection to the guest; returns (process, its local port)."""
    process = subprocess.Popen(["ip", "netns", "exec", net.namespace, "/usr/bin/python3", "-c", HOLDER, GUEST_IP,
                                str(port), "flood" if flood else "hold"], stdout=subprocess.PIPE, text=True)
    return process, int(process.stdout.readline())


def table(text):
    """ss-like output -> list of rows split on blanks (header dropped)."""
    return [line.split() for line in text.splitlines()[1:] if line.strip() and not line.startswith("\t")]


def test_prompt_follows_ready(net):
    log = net.log
    ready = log.index("keel: ready")
    assert log.index("keel# ", ready) > ready
    assert "keel# " not in log[:ready]


def test_help_lists_every_layer_commands(net):
    text = net.console("help")
    for command in ("ip link", "ip addr", "ip route", "ip neigh", "ss", "nstat", "sysctl", "drops", "ethtool",
                    "cat /proc/net/dev"):
        assert re.search(rf"^  {re.escape(command)} ", text, re.M), text


def test_line_editing_backspace(net):
    # "hx" + DEL + "elq" + BS + "p" -> "help"
    assert "console commands" in net.console("hx\x7felq\x08p")


def test_ss_shows_the_host_connection_with_swapped_ports(net):
    holder, host_port = hold_connection(net, 80)
    try:
        host_rows = table(net.run(["ss", "-tn", "state", "established", f"dport = :80"], check=True).stdout)
        assert any(row[2] == f"{HOST_IP}:{host_port}" and row[3] == f"{GUEST_IP}:80" for row in host_rows), host_rows
        deadline = time.monotonic() + 10
        while True:     # the handshake's last ACK may still be on its way
            rows = table(net.console("ss -tan"))
            mine = [row for row in rows if row[3] == f"{GUEST_IP}:80" and row[4] == f"{HOST_IP}:{host_port}"]
            if mine or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(mine) == 1 and mine[0][0] == "ESTAB", rows
        listener = [row for row in rows if row[0] == "LISTEN" and row[3] == "0.0.0.0:80"]
        assert listener and int(listener[0][2]) > 0, rows    # Send-Q of a listener: its backlog
        established_only = net.console("ss -tn state established")
        assert established_only.splitlines()[0].startswith("Recv-Q"), established_only   # one state: no State column
        assert f"{HOST_IP}:{host_port}" in established_only
    finally:
        holder.kill()
        holder.wait()


def test_peer_that_stops_reading_shows_queues_and_zero_windows(net):
    holder, host_port = hold_connection(net, ECHO_PORT, flood=True)
    try:
        peer = f"{HOST_IP}:{host_port}"
        deadline = time.monotonic() + 30
        while True:
            text = net.console("ss -tmi state established")
            lines = text.splitlines()
            index = next((i for i, line in enumerate(lines) if peer in line), None)
            if index is not None:    # the handshake's last ACK may still be on its way
                receive_queue, send_queue = map(int, lines[index].split()[:2])
                details = lines[index + 1]
                if "snd_wnd:0 " in details and "rcv_wnd:0" in details:
                    break
            assert time.monotonic() < deadline, text
            time.sleep(1)
        assert receive_queue > 0 and send_queue > 0, lines[index]
        assert re.search(r"skmem:\(r(\d+),rb\d+,t\d+,tb\d+,f0,w(\d+),o0,bl0,d0\)", details), details
        assert re.search(r" cubic wscale:\d+,\d+ rto:\d+ rtt:\d+\.\d+/\d+\.\d+ mss:\d+ ", details), details
        r_value = int(re.search(r"skmem:\(r(\d+)", details).group(1))
        assert r_value == receive_queue
    finally:
        holder.kill()
        holder.wait()


def test_ip_route_get(net):
    assert net.console(f"ip route get {HOST_IP}") == f"{HOST_IP} dev eth0 src {GUEST_IP} uid 0 \n    cache \n"
    assert net.console("ip route get 192.0.2.7") == (f"192.0.2.7 via {HOST_IP} dev eth0 src {GUEST_IP} uid 0 \n"
                                                      "    cache \n")
    assert net.console("ip route get 198.51.100.1") == "RTNETLINK answers: Network is unreachable\n"
    assert net.console("ip route") == (f"10.99.0.0/24 dev eth0 proto kernel scope link src {GUEST_IP} \n"
                                       f"192.0.2.0/24 via {HOST_IP} dev eth0 \n")


def test_ip_addr_and_neigh(net):
    text = net.console("ip addr show dev eth0")
    assert f"    inet {GUEST_IP}/24 brd 10.99.0.255 scope global eth0\n" in text
    net.ping(count=1, deadline=10)
    host_mac = net.run(["cat", f"/sys/class/net/{net.tap}/address"], check=True).stdout.strip()
    assert re.search(rf"^{re.escape(HOST_IP)} dev eth0 lladdr {host_mac} (REACHABLE|STALE) $",
                     net.console("ip neigh"), re.M)


def test_ip_link_and_addr_name_a_missing_device(net):
    """ip link show and ip addr read the device word alike and refuse a
    name no device has as iproute2 does."""
    for command in ("ip link show eth9", "ip -s link show dev eth9", "ip addr show dev eth9", "ip addr eth9"):
        assert net.console(command) == 'Device "eth9" does not exist.\n', command
    assert net.console("ip addr show dev eth0").startswith("1: eth0: ")


def test_nstat_deltas_match_the_pings_sent(net):
    net.console("nstat")                      # history: the deltas start now
    result = net.ping(count=10, interval=0.05, deadline=20, quiet=True)
    assert result["received"] >= 10
    text = net.console("nstat")
    assert text.startswith("#kernel\n")
    values = {line.split()[0]: int(line.split()[1]) for line in text.splitlines()[1:]}
    # With -w, ping sends until 10 replies came back: right after boot (QEMU's
    # e1000 holds received frames for a second after RCTL is written) it may
    # send a few more, and keel must have counted exactly what it sent.
    sent = result["transmitted"]
    assert values["IcmpInEchos"] == sent and values["IcmpOutEchoReps"] == sent, (sent, text)
    assert values["IpInReceives"] >= 10, text
    again = {line.split()[0]: int(line.split()[1]) for line in net.console("nstat -z").splitlines()[1:]}
    assert again["IcmpInEchos"] == 0, again   # a delta, not the total
    assert int(re.search(r"^IcmpInEchos\s+(\d+)", net.console("nstat -a"), re.M).group(1)) >= 10


def guest_link_counters(net):
    text = net.console("ip -s link show dev eth0")
    lines = text.splitlines()
    rx = lines[lines.index(next(line for line in lines if "RX:  bytes" in line)) + 1].split()
    tx = lines[lines.index(next(line for line in lines if "TX:  bytes" in line)) + 1].split()
    return int(rx[1]), int(tx[1])


def test_ip_s_link_counters_match_the_host_tap(net):
    """Over a window of 5 pings, what the host's tap sent keel received, and
    the other way round, frame for frame. A frame the host's neighbour
    code sends while the two sides are read lands in one window only, so
    the window is measured up to three times: a counter that drifts never
    matches."""
    for attempt in range(3):
        guest_before, host_before = guest_link_counters(net), net.tap_counters()
        assert net.ping(count=5, interval=0.05, deadline=10, quiet=True)["received"] == 5
        guest_after, host_after = guest_link_counters(net), net.tap_counters()
        received, sent = guest_after[0] - guest_before[0], guest_after[1] - guest_before[1]
        host_sent = host_after["tx_packets"] - host_before["tx_packets"]
        host_received = host_after["rx_packets"] - host_before["rx_packets"]
        if received == host_sent and sent == host_received:
            break
    assert received == host_sent and received >= 5, (received, host_sent)
    assert sent == host_received and sent >= 5, (sent, host_received)


def test_proc_net_dev_parses_like_linux(net):
    text = net.console("cat /proc/net/dev")
    lines = text.splitlines()
    assert lines[0] == "Inter-|   Receive                                                |  Transmit"
    assert lines[1] == (" face |bytes    packets errs drop fifo frame compressed multicast|"
                        "bytes    packets errs drop fifo colls carrier compressed")
    row = PROC_NET_DEV_ROW.match(lines[2])
    assert row and row.group(1) == "eth0", lines
    counters = dict(zip(PROC_NET_DEV_COLUMNS, map(int, row.group(2).split())))
    assert counters["rx_packets"] > 0 and counters["tx_packets"] > 0


def test_sysctl_at_run_time(net):
    assert net.console("sysctl net.ipv4.tcp_timestamps") == "net.ipv4.tcp_timestamps = 1\n"
    assert net.console("sysctl -w net.ipv4.tcp_timestamps=0") == "net.ipv4.tcp_timestamps = 0\n"
    try:
        # A new connection is negotiated without timestamps: both ends say so.
        holder, host_port = hold_connection(net, 80)
        try:
            host_info = net.run(["ss", "-tni", "state", "established", "dport = :80"], check=True).stdout
            assert " ts " not in host_info and "wscale" in host_info, host_info
            deadline = time.monotonic() + 10
            while True:     # the handshake's last ACK may still be on its way
                lines = net.console("ss -ti state established").splitlines()
                row = next((i for i, line in enumerate(lines) if f":{host_port}" in line), None)
                if row is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            details = lines[row + 1]
            assert " ts " not in details and " sack " in details, details
        finally:
            holder.kill()
            holder.wait()
    finally:
        assert net.console("sysctl -w net.ipv4.tcp_timestamps=1") == "net.ipv4.tcp_timestamps = 1\n"
    assert net.console("sysctl net.foo") == "sysctl: cannot stat /proc/sys/net/foo: No such file or directory\n"
    assert net.console("sysctl -w net.ipv4.tcp_sack=7") == 'sysctl: setting key "net.ipv4.tcp_sack": Invalid argument\n'
    assert net.console("sysctl -n net.ipv4.tcp_sack") == "1\n"
    assert re.search(r"^net\.core\.somaxconn = \d+$", net.console("sysctl -a"), re.M)


def test_ethtool_and_drops(net):
    stats = net.console("ethtool -S eth0")
    assert stats.startswith("NIC statistics:\n") and re.search(r"^     rx_packets: \d+$", stats, re.M)
    assert "tcp-segmentation-offload: " in net.console("ethtool -k eth0")
    rings = net.console("ethtool -g eth0")
    maximum, current = rings.split("Current hardware settings:\n")
    ring_sizes = [{name: int(value) for name, value in re.findall(r"^(RX|TX):\s+(\d+)$", part, re.M)}
                  for part in (maximum, current)]
    assert rings.startswith("Ring parameters for eth0:\nPre-set maximums:\n"), rings
    assert 0 < ring_sizes[1]["RX"] <= ring_sizes[0]["RX"] and 0 < ring_sizes[1]["TX"] <= ring_sizes[0]["TX"], rings
    drops = net.console("drops -a")
    assert drops.splitlines()[0].split() == ["LAYER", "REASON", "TOTAL", "SINCE_LAST"]
    assert re.search(r"^tcp\s+tcp_bad_checksum\s+\d+\s+\d+$", drops, re.M)
    summary = net.console("drops")
    assert summary.splitlines()[-1].split()[0] == "total", summary


def test_garbage_never_hangs_the_console(net):
    too_long = net.console("x" * 1000)
    assert too_long.endswith("-keel: line too long (1000 characters, at most 255)\n"), too_long[-200:]
    assert net.console("\x01\x02\x1b[A\x1b[15~\x7f\x7f") == ""          # control bytes and escapes: nothing typed
    assert net.console("frobnicate --now") == "-keel: frobnicate: command not found\n"
    assert net.console('ip "route') == "-keel: unterminated quote\n"
    assert net.console("ip route get 999.1.1.1") == 'Error: any valid prefix is expected rather than "999.1.1.1".\n'
    assert net.console("ss -Z") == "ss: invalid option -- 'Z'\n"
    assert net.console("ip nonsense") == 'Object "nonsense" is unknown, try "ip help".\n'
    assert net.console("a " * 40).startswith("-keel: too many arguments")
    start = len(net.log)
    net.console_type(bytes(range(0x80, 0x100)) + b"\x03")               # high bytes, then Ctrl-C
    net.wait_for_log("^C\nkeel# ", start=start)
    assert "console commands" in net.console("help")


def test_app_keeps_serving_while_the_console_is_used(net):
    results = []

    def fetch_loop():
        for _ in range(15):
            result = net.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                              f"http://{GUEST_IP}/"], timeout=20)
            results.append(result.stdout.strip())

    worker = threading.Thread(target=fetch_loop)
    worker.start()
    answers = 0
    while worker.is_alive() and answers < 30:
        assert "LISTEN" in net.console("ss -tan")
        net.console("drops -a")
        answers += 1
    worker.join(timeout=120)
    assert results == ["200"] * 15, results
    assert answers > 0


def test_procfs_views_and_link_mtu(net):
    interrupts = net.console("cat /proc/interrupts")
    assert interrupts.startswith("           CPU0       \n")
    serial = re.search(r"^\s*\d+:\s+(\d+)\s+keel\s+\d+-vector\s+serial$", interrupts, re.M)
    assert serial and int(serial.group(1)) > 0, interrupts    # typing wakes the CPU through it
    sockstat = net.console("cat /proc/net/sockstat").splitlines()
    assert re.match(r"^sockets: used \d+$", sockstat[0]) and re.match(r"^TCP: inuse [1-9]\d* orphan \d+ tw \d+", sockstat[1])
    meminfo = net.console("cat /proc/meminfo")
    assert re.search(r"^MemTotal:\s+\d+ kB$", meminfo, re.M) and re.search(r"^PktPoolFree:\s+\d+$", meminfo, re.M)
    assert net.console("ip link set dev eth0 mtu 9000") == "Error: mtu greater than device maximum.\n"
    assert net.console("ip link set dev eth9 mtu 1400") == 'Cannot find device "eth9"\n'
    assert net.console("ip link set dev eth0 mtu 1400") == ""
    try:
        assert " mtu 1400 " in net.console("ip link show eth0")
    finally:
        assert net.console("ip link set dev eth0 mtu 1500") == ""


def test_link_set_down_and_up(net):
    assert net.console("ip link set dev eth0 down") == ""
    try:
        assert re.match(r"^1: eth0: <BROADCAST,MULTICAST> mtu 1500 .* state DOWN ", net.console("ip link show eth0"))
        assert net.ping(count=3, interval=0.2, deadline=4, quiet=True)["received"] == 0
        assert re.search(r"^core\s+device_down\s+[1-9]\d*\s+\d+$", net.console("drops"), re.M)
    finally:
        assert net.console("ip link set dev eth0 up") == ""
    assert re.match(r"^1: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 .* state UP ", net.console("ip link show eth0"))
    assert net.ping(count=3, interval=0.2, deadline=10, quiet=True)["received"] == 3


def test_ss_udp_and_summary(net):
    rows = table(net.console("ss -uan"))
    assert ["UNCONN", "0", "0", f"0.0.0.0:{UDP_ECHO_PORT}", "0.0.0.0:*"] in rows, rows
    assert table(net.console("ss -un")) == []                     # default: connected sockets only
    both = net.console("ss -ln")
    assert both.splitlines()[0].split()[:2] == ["Netid", "State"], both
    assert re.search(rf"^udp\s+UNCONN .* 0\.0\.0\.0:{UDP_ECHO_PORT} ", both, re.M)
    assert re.search(r"^tcp\s+LISTEN .* 0\.0\.0\.0:80 ", both, re.M)
    summary = net.console("ss -s")
    assert re.search(r"^TCP:\s+\d+ \(estab \d+, closed \d+, orphaned \d+, timewait \d+\)$", summary, re.M)
    assert re.search(r"^UDP\t  2\s+2\s+0", summary, re.M), summary    # testecho and testhold's UDP port


def test_nft_and_conntrack_register_through_the_console(net):
    """Other layers' commands come through the same registry (net/netfilter/console_netfilter.c)."""
    try:
        assert net.console("nft add table inet console_test") == ""
        assert net.console("nft 'add chain inet console_test in { type filter hook input priority 0; "
                           "policy accept; }'") == ""
        assert net.console("nft add rule inet console_test in icmp type echo-request counter accept") == ""
        assert net.ping(count=3, interval=0.2, deadline=10, quiet=True)["received"] == 3
        listing = net.console("nft list ruleset")
        assert "icmp type echo-request counter packets 3 bytes " in listing, listing
        assert net.console("nft bogus").startswith("Error: syntax error")
    finally:
        assert net.console("nft flush ruleset") == ""
    assert net.console("nft list ruleset") == ""
    assert re.match(r"^\d+\n$", net.console("conntrack -C"))


def test_tc_shows_and_replaces_the_root_qdisc(net):
    """tc -s qdisc in iproute2's layout, from the device's own qdisc; replace
    swaps it (the default is fq_codel, as Debian's), with tc's options."""
    text = net.console("tc -s qdisc show dev eth0")
    assert re.search(r"^qdisc fq_codel 0: root refcnt \d+ limit 10240p flows 1024 quantum 1514 target 5ms "
                     r"interval 100ms", text, re.M), text
    assert re.search(r"^ Sent \d+ bytes \d+ pkt \(dropped \d+, overlimits \d+ requeues \d+\)", text, re.M), text
    assert net.console("tc qdisc replace dev eth0 root pfifo_fast") == ""
    assert net.console("tc qdisc show dev eth0").startswith("qdisc pfifo_fast 0: root"), net.console("tc qdisc")
    assert "qdisc pfifo_fast" in net.console("ip link show dev eth0")
    assert net.console("tc qdisc replace dev eth0 root fq_codel") == ""
    assert net.console("tc qdisc show dev eth9") == 'Cannot find device "eth9"\n'
    assert net.console("tc qdisc replace dev eth0 root sfq").startswith("Error:")
    # tc's options; a malformed one refused with tc's words, the qdisc kept.
    assert net.console("tc qdisc replace dev eth0 root fq_codel target 10ms interval 200ms limit 2000 noecn") == ""
    shown = net.console("tc qdisc show dev eth0")
    assert shown.startswith("qdisc fq_codel 0: root refcnt 2 limit 2000p flows 1024 quantum 1514 target 10ms "
                            "interval 200ms memory_limit "), shown
    assert " ecn " not in shown
    assert net.console("tc qdisc replace dev eth0 root fq_codel target") == 'Illegal "target"\n'
    assert net.console("tc qdisc replace dev eth0 root fq_codel tagret 5ms") == 'What is "tagret"?\n'
    assert net.console("tc qdisc show dev eth0") == shown
    assert net.console("tc qdisc replace dev eth0 root pfifo limit 100") == ""
    assert net.console("tc qdisc show dev eth0") == "qdisc pfifo 0: root refcnt 2 limit 100p\n"
    assert net.console("tc qdisc replace dev eth0 parent 1:1 fq_codel").startswith("Error: Failed to find")
    assert net.console("tc qdisc replace dev eth0 root fq_codel") == ""


def hold_listener_backlog(net):
    """(Recv-Q, Send-Q) of the holding listener in keel's `ss -tln`: queued connections, limit."""
    row = next(row for row in table(net.console("ss -tln")) if row[3] == f"0.0.0.0:{HOLD_PORT}")
    return int(row[1]), int(row[2])


def relisten(net):
    assert net.run(["/usr/bin/python3", "-c", POKE, GUEST_IP, str(HOLD_PORT)], check=True, timeout=20).stdout == "listen 0\n"


def listen_counters(net):
    text = net.console("nstat -az TcpExtListenOverflows TcpExtListenDrops")
    return {name: int(value) for name, value in re.findall(r"^(TcpExt\w+)\s+(\d+)", text, re.M)}


def established_from(net, peers):
    """keel's ESTAB rows on the holding listener's port whose peer is among peers."""
    return [row for row in table(net.console("ss -tn state established"))
            if row[2] == f"{GUEST_IP}:{HOLD_PORT}" and row[3] in peers]


def burst(net, check):
    """BURST connects from the host; check(completed, their peer addresses) runs while they are held."""
    process = subprocess.Popen(["ip", "netns", "exec", net.namespace, "/usr/bin/python3", "-c", BURST_CLIENT, GUEST_IP,
                                str(HOLD_PORT), str(BURST)], stdout=subprocess.PIPE, text=True)
    try:
        completed, *ports = map(int, process.stdout.readline().split())
        check(completed, {f"{HOST_IP}:{port}" for port in ports})
    finally:
        process.kill()
        process.wait()


def test_somaxconn_at_run_time_reaches_the_next_listen(net):
    """Linux applies net.core.somaxconn in listen(): an existing listener
    keeps its limit until it listens again, then a SYN burst meets the new
    one (accept queue: limit + 1 connections, the rest dropped and counted)."""
    assert net.console("sysctl -w net.ipv4.tcp_syncookies=0") == "net.ipv4.tcp_syncookies = 0\n"
    try:
        assert net.console("sysctl -w net.core.somaxconn=4") == "net.core.somaxconn = 4\n"
        assert hold_listener_backlog(net) == (0, 4096)          # listened at boot: unchanged
        relisten(net)
        assert hold_listener_backlog(net) == (0, 4)
        before = listen_counters(net)

        def small_queue(completed, peers):
            deadline = time.monotonic() + 10
            while True:     # the first SYN retransmission (1 s) brings the 5th
                queued, limit = hold_listener_backlog(net)
                after = listen_counters(net)
                if queued == 5 and after["TcpExtListenOverflows"] > before["TcpExtListenOverflows"]:
                    break
                assert time.monotonic() < deadline, (queued, after, before)
                time.sleep(0.5)
            rows = established_from(net, peers)
            assert len(rows) == 5, rows                        # the rest never got established
            assert completed < BURST, completed
            assert after["TcpExtListenDrops"] - before["TcpExtListenDrops"] >= BURST - 5 - 4, (after, before)
        burst(net, small_queue)

        assert net.console("sysctl -w net.core.somaxconn=4096") == "net.core.somaxconn = 4096\n"
        relisten(net)
        queued_before, limit = hold_listener_backlog(net)
        assert limit == 4096
        before = listen_counters(net)

        def whole_burst(completed, peers):
            # Not `completed == BURST`: on a loaded host a SYN-ACK may take
            # longer than the client's 2 s; keel's side is what counts.
            deadline = time.monotonic() + 10
            while hold_listener_backlog(net)[0] < queued_before + BURST:   # the last ACKs may be on their way
                assert time.monotonic() < deadline, (hold_listener_backlog(net), queued_before)
                time.sleep(0.5)
            assert len(established_from(net, peers)) == BURST
            assert listen_counters(net) == before
        burst(net, whole_burst)
    finally:
        net.console("sysctl -w net.core.somaxconn=4096")
        net.console("sysctl -w net.ipv4.tcp_syncookies=1")
