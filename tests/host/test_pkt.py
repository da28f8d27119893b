"""Host unit tests for struct pkt (net/core/pkt.c), the Internet checksum
(net/core/checksum.c) and the ip= parser (net/ipv4/ip_config.c).

The kernel sources are compiled unchanged for the host with ASan and UBSan
(the pool's free list takes its memory from the caller, so pkt_check.c hands
it exactly sized malloc blocks: any byte written outside a buffer is an ASan
error). Every pool test ends by checking the pool is full again (no leaks).
"""
import os
import random

import pytest

import host_build

SOURCES = ["net/core/pkt.c", "net/core/checksum.c", "net/ipv4/ip_config.c", host_build.HOST_TESTS / "pkt_check.c"]


@pytest.fixture(scope="module")
def pkt_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("pkt"), "pkt_check", SOURCES)


def run(binary, *args):
    return host_build.run(binary, *args, timeout=30)


@pytest.mark.parametrize("mode", ["bounds", "queue", "pool", "chain"])
def test_pkt(pkt_check, mode):
    result = run(pkt_check, mode)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{mode}: 0 failures" in result.stdout


def test_double_free_panics(pkt_check):
    result = run(pkt_check, "double-free")
    assert result.returncode != 0
    assert "panic: pkt_free: double free" in result.stdout, result.stdout + result.stderr


def reference_checksum(data):
    """RFC 1071, the textbook way: 16-bit big-endian words, end-around carry."""
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total & 0xFFFF).to_bytes(2, "big").hex()


def test_checksum_matches_reference(pkt_check):
    rng = random.Random(int(os.environ.get("KEEL_TEST_SEED", "3")))
    cases = [b"", b"\x01", b"\xff\xff", bytes(range(256)),
             # The IPv4 header of RFC 1071-style examples: correct checksum sums to 0.
             bytes.fromhex("4500003c1c4640004006b1e6ac100a63ac100a0c")]
    cases += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 1600))) for _ in range(40)]
    cases += [b"\xff" * n for n in (1, 7, 8, 9, 1500)]
    for data in cases:
        result = run(pkt_check, "checksum", data.hex())
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.splitlines()[0] == reference_checksum(data), data.hex()
    header = bytes.fromhex("4500003c1c4640004006b1e6ac100a63ac100a0c")
    assert run(pkt_check, "checksum", header.hex()).stdout.startswith("0000")


@pytest.mark.parametrize("text,expected", [
    ("10.99.0.2::10.99.0.1:255.255.255.0",
     "method=static client=10.99.0.2 server=0.0.0.0 gateway=10.99.0.1 netmask=255.255.255.0"),
    ("10.99.0.2:10.99.0.9:10.99.0.1:255.255.0.0:keel:eth1:off",
     "method=static client=10.99.0.2 server=10.99.0.9 gateway=10.99.0.1 netmask=255.255.0.0 hostname=keel device=eth1"),
    ("10.1.2.3", "method=static client=10.1.2.3 server=0.0.0.0 gateway=0.0.0.0 netmask=255.0.0.0"),
    ("172.16.0.5", "netmask=255.255.0.0"),
    ("192.168.7.5", "netmask=255.255.255.0"),
    ("dhcp", "method=autoconf"),
    ("::::::bootp", "method=autoconf"),
    ("off", "method=off"),
    ("none", "method=off"),
    ("10.99.0.2::10.99.0.1:255.255.255.0:h:eth0:off:1.1.1.1:2.2.2.2:3.3.3.3", "method=static"),
])
def test_ip_config_parses(pkt_check, text, expected):
    result = run(pkt_check, "ipconfig", text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert expected in result.stdout


@pytest.mark.parametrize("text", [
    "10.99.0.256", "10.99.0", "10.99.0.2.", "1.2.3.4x", "10.99.0.2::10.99.0.1:255.0.255.0",
    "10.99.0.2::gateway", "224.0.0.5", "127.0.0.1", "10.99.0.2:::::" + "x" * 40 + ":magic",
    "10.99.0.2:::::eth0:sometimes", "1:2:3:4:5:6:7:8:9:10:11", "0010.1.1.1",
])
def test_ip_config_rejects_malformed(pkt_check, text):
    result = run(pkt_check, "ipconfig", text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("error:"), result.stdout
