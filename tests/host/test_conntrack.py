"""Host unit tests of connection tracking and NAT (net/netfilter/conntrack*.c,
nat*.c), compiled unchanged for the host with ASan and UBSan with net/core's
pkt, checksum, siphash and secret, the hook registry (hook.c) and
tests/host/host_time_shim.c's clock and timers; tests/host/conntrack_check*.c
build packets, run them along the hooks of a forwarded, local-in or
local-out path, and stub the rest (drop counters, two interfaces, a fake
NAT rule engine).

Scenarios: tuples hashed both ways; TCP's whole life (handshake, data,
close, each state's timeout), segments outside the window (Linux's checks
I-IV), window scaling only when both SYNs offer it, impossible flag
combinations, RST in and out of the window and answering a SYN, a SYN
reopening TIME_WAIT; UDP (UNREPLIED, then ASSURED with the stream timeout,
bad checksums INVALID); ICMP echo; ICMP errors RELATED to the flow they
quote, INVALID otherwise; expiry by the sweep; an unconfirmed entry dying
with its packet and a tracked packet keeping one reference; the table full
(early drop of an unassured entry, else the counted conntrack_table_full
drop); conntrack -L/-S/-C/-D/-F output; NAT: a free port kept, a collision
moved, a range exhausted (nat_no_free_port), checksums after translation
equal to a full recomputation (TCP, UDP, UDP without checksum, ICMP,
CHECKSUM_PARTIAL and TSO), ICMP errors' quotes translated back, DNAT,
redirect, masquerade without an address. Every scenario ends with a flush
and checks every entry is back in the pool and every pkt freed.

KEEL_SOURCE may name another source tree to compile (default: this one).
"""
import os
import re
from pathlib import Path

import pytest

import host_build

SOURCE_TREE = Path(os.environ.get("KEEL_SOURCE", host_build.REPO))
NETFILTER = ["conntrack_tuple.c", "conntrack_table.c", "conntrack_tcp.c", "conntrack_protocols.c",
             "conntrack_core.c", "conntrack_hooks.c", "conntrack_print.c", "nat_core.c", "nat_packet.c",
             "nat_hooks.c", "hook.c"]
SOURCES = [*(f"net/netfilter/{name}" for name in NETFILTER),
           "net/core/pkt.c", "net/core/checksum.c", "net/core/siphash.c", "net/core/secret.c",
           *(host_build.HOST_TESTS / name for name in
             ["conntrack_check_main.c", "conntrack_check_tcp.c", "conntrack_check_flows.c", "conntrack_check_nat.c",
              "host_time_shim.c"])]
SCENARIOS = re.findall(r"X\((\w+)\)", (host_build.HOST_TESTS / "conntrack_check.h").read_text())


@pytest.fixture(scope="module")
def conntrack_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("conntrack"), "conntrack_check", SOURCES, root=SOURCE_TREE)


def test_scenarios_listed():
    assert len(SCENARIOS) >= 20 and "tcp_window" in SCENARIOS and "nat_partial" in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_conntrack(conntrack_check, scenario):
    result = host_build.run(conntrack_check, scenario, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout
