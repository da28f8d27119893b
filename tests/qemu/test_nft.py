"""The nftables rule engine at the input hook of a keel appliance, seen from
outside (net/netfilter/nft_*.c, README "Firewall rules").

One boot (e1000) of an image built with NFT=tests/qemu/nft/firewall.nft
(input policy drop; web, ping and the UDP echo open; counters at prerouting, output and postrouting; 10.99.0.3 refused with
an RST or a port unreachable; port 8080 logged and dropped): curl and ping
work, a connection to a port no rule opens times out (nothing answers, not
even keel's own RST for a closed port) and is counted, a client the rules
refuse sees "connection refused" at once although httpd listens, and UDP
from it gets port unreachable although the echo runs; the counters appear in
the stats block. A second image (NFT=tests/qemu/nft/broken.nft) boots with
the error named by file, line and columns and no ruleset: its web answers.
"""
import re
import socket
import time

import pytest

from app_images import variant_image
from netharness import PYTHON, GuestNetwork, require_network_namespaces

REFUSED_CLIENT = "10.99.0.3"
RULE_COUNTER = re.compile(r"^nft ip filter (\w+) handle (\d+) packets=(\d+) bytes=(\d+)$", re.M)

CONNECT = r"""
import socket, sys, time
host, port, source, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
s = socket.socket()
s.bind((source, 0))
s.settimeout(timeout)
started = time.monotonic()
try:
    s.connect((host, port))
    outcome = "connected"
except ConnectionRefusedError:
    outcome = "refused"
except socket.timeout:
    outcome = "timeout"
print(outcome, round(time.monotonic() - started, 2))
"""

UDP_ECHO = r"""
import socket, sys
host, source, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
payload = bytes(i & 0xff for i in range(size))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((source, 0))
u.connect((host, 7))
u.settimeout(3)
u.send(payload)
try:
    print("echo" if u.recv(70000) == payload else "wrong")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
"""


@pytest.fixture(scope="module")
def guest(request):
    require_network_namespaces()
    image = variant_image("nft-firewall", "NFT=tests/qemu/nft/firewall.nft")
    failed_before = request.session.testsfailed
    net = GuestNetwork(nic="e1000", machine="pc", image=image, cmdline="keel.udp.testecho=7")
    try:
        net.start(timeout=60)
        net.run(["ip", "addr", "add", f"{REFUSED_CLIENT}/24", "dev", net.tap], check=True)
        yield net
    finally:
        if request.session.testsfailed > failed_before:
            net.keep_artifacts = True
        net.stop()


def connect(guest, port, source=None, timeout=3.0):
    result = guest.run([PYTHON, "-c", CONNECT, guest.guest_ip, str(port), source or guest.host_ip, str(timeout)],
                       timeout=timeout + 10)
    outcome, seconds = result.stdout.split()
    return outcome, float(seconds)


def rule_counters(guest):
    """{(chain, handle): (packets, bytes)} from the latest stats block."""
    guest.wait_for_stats()
    log = guest.log
    last_block = log[log.rfind("netdev stats #"):]
    return {(chain, int(handle)): (int(packets), int(octets))
            for chain, handle, packets, octets in RULE_COUNTER.findall(last_block)}


def test_boot_line(guest):
    assert "nft: ruleset loaded (1 tables, 4 chains, 9 rules)" in guest.log


def test_open_services_pass(guest):
    assert guest.ping(count=3, interval=0.2, deadline=10)["received"] >= 3
    curl = guest.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                      f"http://{guest.guest_ip}/"], timeout=20)
    assert curl.stdout == "200", curl.stderr
    for size in (5, 4000):     # 4000: fragments, reassembled beyond one pkt, still seen by the input chain
        assert guest.run([PYTHON, "-c", UDP_ECHO, guest.guest_ip, guest.host_ip, str(size)],
                         timeout=15).stdout.strip() == "echo"


def test_unopened_port_times_out_and_is_counted(guest):
    # Port 8081: no rule, the policy drops it (keel alone would answer a closed port with an RST).
    assert connect(guest, 8081)[0] == "timeout"
    # Port 8080: a rule logs and drops it.
    assert connect(guest, 8080)[0] == "timeout"
    guest.wait_for_log(re.compile(r"nft-drop: IN=eth0 OUT= SRC=10\.99\.0\.1 DST=10\.99\.0\.2 LEN=\d+ .*"
                                  r"PROTO=TCP SPT=\d+ DPT=8080 .*SYN"), timeout=10)
    drops = guest.wait_for_stats()["drops"]
    assert drops.get("nft_policy_drop", 0) >= 1, drops
    assert drops.get("nft_rule_drop", 0) >= 1, drops


def test_reject_with_tcp_reset(guest):
    outcome, seconds = connect(guest, 80, source=REFUSED_CLIENT, timeout=5)
    assert outcome == "refused" and seconds < 2, (outcome, seconds)
    curl = guest.run(["curl", "-s", "--interface", REFUSED_CLIENT, "--max-time", "5", f"http://{guest.guest_ip}/"],
                     timeout=15)
    assert curl.returncode == 7, (curl.returncode, curl.stderr)      # curl: "Failed to connect": refused
    assert connect(guest, 80)[0] == "connected"                       # the others still get in


def test_reject_udp_port_unreachable(guest):
    for size in (5, 4000):
        result = guest.run([PYTHON, "-c", UDP_ECHO, guest.guest_ip, REFUSED_CLIENT, str(size)], timeout=15)
        assert result.stdout.strip() == "refused", (size, result.stdout + result.stderr)


def test_counters_in_stats(guest):
    counters = rule_counters(guest)
    input_rules = sorted((handle, value) for (chain, handle), value in counters.items() if chain == "input")
    assert len(input_rules) == 6, counters
    reset, unreachable, web, echo, ping, logged = (value for _, value in input_rules)
    assert reset[0] >= 2 and unreachable[0] >= 2 and web[0] >= 3 and echo[0] >= 2 and ping[0] >= 3, counters
    assert logged[0] >= 1, counters
    assert web[1] >= web[0] * 40, counters                           # bytes: whole IP datagrams
    for hook in ("prerouting", "output", "postrouting"):     # the other local hooks run too
        seen = [value for (chain, _), value in counters.items() if chain == hook]
        assert seen and seen[0][0] > 0, (hook, counters)
    prerouting = next(value for (chain, _), value in counters.items() if chain == "prerouting")
    assert prerouting[0] >= sum(value[0] for _, value in input_rules), counters


def test_broken_ruleset_is_refused_at_boot():
    require_network_namespaces()
    image = variant_image("nft-broken", "NFT=tests/qemu/nft/broken.nft")
    with GuestNetwork(nic="e1000", machine="pc", image=image) as net:
        net.start(timeout=60)
        log = net.log
        assert "tests/qemu/nft/broken.nft:5:16-20: Error: syntax error, unexpected 'acept'" in log, log[-3000:]
        assert "nft: ruleset not loaded" in log and "nft: ruleset loaded" not in log
        curl = net.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                        f"http://{net.guest_ip}/"], timeout=20)
        assert curl.stdout == "200"
