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
import subprocess
from pathlib import Path

import pytest

REPO = Path(os.environ.get("KEEL_SOURCE", Path(__file__).resolve().parents[2]))
HOST_DIR = Path(__file__).resolve().parent
CC = os.environ.get("CC", "gcc")
SOURCES = [REPO / "net/ipv4/reassembly.c", REPO / "net/core/pkt.c", REPO / "net/core/checksum.c",
           HOST_DIR / "reassembly_check.c"]
CFLAGS = ["-std=gnu11", f"-I{REPO}", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
          "-g", "-O1", "-fno-omit-frame-pointer",
          "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
SCENARIOS = ["inorder", "reverse", "random", "duplicate", "overlap", "gap", "timeout", "too-big",
             "bad-fragment", "inconsistent-last", "memory"]


@pytest.fixture(scope="module")
def reassembly_check(tmp_path_factory):
    binary = tmp_path_factory.mktemp("reassembly") / "reassembly_check"
    result = subprocess.run([CC, *CFLAGS, *map(str, SOURCES), "-o", str(binary)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return binary


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reassembly(reassembly_check, scenario):
    result = subprocess.run([str(reassembly_check), scenario], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout
