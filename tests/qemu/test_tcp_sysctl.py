"""net.ipv4.tcp_rmem / tcp_wmem set from the command line, seen from outside.

One boot with small buffers (`sysctl.net.ipv4.tcp_rmem=4096,8192,8192
sysctl.net.ipv4.tcp_wmem="4096  4096<tab>4096"`, quoted with blanks as sysctl(8) prints it), the older keel.tcp.* aliases
given too (the Linux names must win) and malformed values (one warning line
each, the previous value kept, the boot goes on). A scripted peer
(tcp_raw_peer.py) then reads the SYN-ACK's window and window scale and
measures how many bytes the in-kernel echo service takes when it can never
send (send buffer + receive buffer).
"""
import importlib.util
import json
import re

import pytest

from netharness import PYTHON, GuestNetwork, require_network_namespaces

PORT = 7007
# The scapy peer runs as a script inside the namespace: its path, not the module.
PEER_SCRIPT = importlib.util.find_spec("tcp_raw_peer").origin
CMDLINE = (f"keel.tcp.testlisten={PORT} keel.help "
           "keel.tcp.rmem=65536,65536,65536 sysctl.net.ipv4.tcp_rmem=4096,8192,8192 "
           "keel.tcp.wmem=1,2 sysctl.net.ipv4.tcp_wmem=\"4096  4096\t4096\" sysctl.net/ipv4/tcp_wmem=4096,bogus")
RMEM, WMEM = (4096, 8192, 8192), (4096, 4096, 4096)


@pytest.fixture(scope="module")
def guest(request):
    require_network_namespaces()
    with GuestNetwork(nic="e1000", cmdline=CMDLINE) as net:
        net.start()
        hello = net.run(["sh", "-c", f"printf hello | timeout 10 nc -N {net.guest_ip} {PORT}"], timeout=30)
        assert hello.stdout == "hello", hello.stdout + hello.stderr
        peer_request = {"iface": net.tap, "guest_mac": net.mac, "guest_ip": net.guest_ip, "port": PORT,
                        "scenarios": ["options", "buffer_limits"]}
        result = net.run([PYTHON, PEER_SCRIPT], input=json.dumps(peer_request), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        yield {"results": json.loads(result.stdout), "log": net.log, "net": net}
        if request.session.testsfailed:
            net.keep_artifacts = True


def test_linux_names_win_over_aliases_and_bad_values_only_warn(guest):
    log = guest["log"]
    assert "sysctl: keel.tcp.rmem = 65536,65536,65536" in log           # the alias is applied first...
    assert "sysctl: net.ipv4.tcp_rmem = 4096,8192,8192" in log          # ...then the Linux name wins
    assert "sysctl: net.ipv4.tcp_wmem = 4096,4096,4096" in log
    assert re.search(r"sysctl: keel\.tcp\.wmem=1,2 rejected \(want .*\), keeping 4096,16384,4194304", log)
    assert re.search(r"sysctl: net\.ipv4\.tcp_wmem=4096,bogus rejected \(want .*\), keeping 4096,4096,4096", log)
    assert "unknown parameter" not in log and "backtrace:" not in log
    assert "keel: ready" in log


def test_help_lists_both_names_with_current_values(guest):
    log = guest["log"]
    assert re.search(r"^  net\.ipv4\.tcp_rmem +\= 4096,8192,8192 \(min,default,max", log, re.M)
    assert re.search(r"^  net\.ipv4\.tcp_wmem +\= 4096,4096,4096 \(min,default,max", log, re.M)
    for alias in ("keel.tcp.rmem", "keel.tcp.wmem"):
        assert re.search(r"^  " + re.escape(alias) + r" +older name of sysctl\.net\.ipv4\.tcp_", log, re.M)


def test_syn_ack_advertises_the_configured_receive_buffer(guest):
    options = guest["results"]["options"]
    assert "error" not in options, options
    # Half of tcp_rmem's default goes to payload (tcp_adv_win_scale=1, as Linux).
    assert options["window"] == RMEM[1] // 2
    assert options["wscale"] == 0                      # 8192 fits in 16 bits: no scaling needed
    assert options["echo"] == "ping"


def test_guest_takes_no_more_than_its_buffers(guest):
    limits = guest["results"]["buffer_limits"]
    assert "error" not in limits, limits
    assert limits["zero_window_seen"], limits
    # The echo's send buffer (tcp_wmem, fixed at 4096 here) plus the receive
    # buffer (half of tcp_rmem's 8192, possibly grown up to its maximum).
    # With the defaults this would be at least 16384 + 65536.
    assert WMEM[1] + RMEM[1] // 2 - 1000 <= limits["accepted"] <= WMEM[2] + RMEM[2], limits
