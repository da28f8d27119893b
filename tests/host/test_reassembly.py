"""Host unit tests of IPv4 reassembly (net/ipv4/reassembly.c), compiled
unchanged for the host with ASan and UBSan together with net/core/pkt.c and
net/core/checksum.c; tests/host/reassembly_check.c stubs the kernel around it
(drop counters, the ICMP error generator, timers) and passes the time in.

Scenarios: fragments in order, reversed, in random order (300 datagrams of
random sizes up to 65515 bytes, random fragment sizes), exact duplicates,
overlaps (RFC 5722: the whole datagram and its later fragments dropped),
a gap then the timeout (ICMP time exceeded only when the first fragment
came), datagrams beyond 65535 bytes, malformed fragments, inconsistent last
fragments, and the memory bounds (pkts held, bytes held, queue slots).
Every scenario ends with the pool full again.

KEEL_SOURCE may name another source tree to compile (default: this one).
"""
import os
from pathlib import Path

import pytest

import host_build

SOURCE_TREE = Path(os.environ.get("KEEL_SOURCE", host_build.REPO))
SOURCES = ["net/ipv4/reassembly.c", "net/core/pkt.c", "net/core/checksum.c",
           host_build.HOST_TESTS / "reassembly_check.c"]
SCENARIOS = ["inorder", "reverse", "random", "duplicate", "overlap", "gap", "timeout", "too-big",
             "bad-fragment", "inconsistent-last", "memory"]


@pytest.fixture(scope="module")
def reassembly_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("reassembly"), "reassembly_check", SOURCES, root=SOURCE_TREE)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reassembly(reassembly_check, scenario):
    result = host_build.run(reassembly_check, scenario, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout
