"""Host unit tests for TCP (net/tcp/): sequence arithmetic, option
parsing, the reassembly queue, the SACK scoreboard, SipHash, CUBIC, and the
state machine driven by scripted segments (tests/host/tcp_check_*.c, one
file per topic: tcp_check_peer.c plays the peer through a shim with a fake
clock and captured output, see tests/host/tcp_host_shim.c).

The kernel sources are compiled unchanged for the host with ASan and UBSan;
every scripted test ends with the packet pool full again, and LeakSanitizer
checks at exit that every tcb and buffer was freed.
"""
import struct

import pytest

import host_build

REPO = host_build.REPO
SOURCES = [*sorted((REPO / "net" / "tcp").glob("*.c")), "net/testing/tcp_fault.c", "net/core/pkt.c",
           "net/core/checksum.c", "net/core/drop.c", "net/core/stats_print.c", "net/core/gso.c",
           "net/core/siphash.c", "net/core/secret.c", "net/ipv4/pmtu.c",
           "net/ipv4/icmp_errno.c", host_build.HOST_TESTS / "tcp_host_shim.c", host_build.HOST_TESTS / "host_time_shim.c",
           *sorted(host_build.HOST_TESTS.glob("tcp_check*.c"))]


@pytest.fixture(scope="module")
def tcp_check(tmp_path_factory):
    build = tmp_path_factory.mktemp("tcp")
    # glibc's <netinet/tcp.h> declares TCP_ESTABLISHED & co. as an enum, which
    # clashes with ours: the host build takes keel's own (option numbers only).
    include = host_build.private_headers(build, {"netinet/tcp.h": REPO / "libc" / "include" / "netinet" / "tcp.h"})
    return host_build.build(build, "tcp_check", SOURCES, include_dirs=[include],
                            extra=["-Wno-missing-field-initializers"])


def run(binary, *args):
    return host_build.run(binary, *args, timeout=60)


SCRIPTED = ["sequence", "ring", "reassembly", "scoreboard", "buffer_sizes", "syncookie", "cubic",
            "options_negotiated", "data_both_ways", "delayed_ack", "peer_closes_first", "we_close_first",
            "simultaneous_close", "simultaneous_open", "active_open", "connect_refused_and_timeout",
            "reset_validation", "challenge_ack_limit", "closed_port_reset", "malformed_segments",
            "out_of_order_and_sack", "paws", "retransmission_backoff", "rto_recovers",
            "fast_retransmit_newreno", "sack_recovery", "zero_window", "window_edge_never_retreats", "persist_gives_up", "keepalive",
            "close_with_unread_data_resets", "lingering_close", "syn_received", "syn_cookies", "accept_queue_bound",
            "time_wait_reuse", "receive_autotuning", "tso_super_segments", "zero_copy_send",
            "icmp_path_mtu", "icmp_connection_errors", "gso_malformed",
            "small_queues_bound_bytes_below", "small_queues_keep_a_released_connection"]


def test_every_test_is_listed(tcp_check):
    listed = set(run(tcp_check, "list").stdout.split())
    assert set(SCRIPTED) | {"siphash"} == listed


@pytest.mark.parametrize("name", SCRIPTED)
def test_scripted(tcp_check, name):
    result = run(tcp_check, name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{name}: 0 failures" in result.stdout


def test_all_in_one_process(tcp_check):
    """The tests in sequence share one stack: no state leaks from one into
    the next, and LeakSanitizer finds nothing at exit."""
    result = run(tcp_check, "all")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "LeakSanitizer" not in result.stderr


def siphash_2_4(key, message):
    """The reference algorithm, straight from the paper, to check ours."""
    mask = (1 << 64) - 1

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & mask

    k0, k1 = struct.unpack("<QQ", key)
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & mask; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & mask; v[3] = rotl(v[3], 16); v[3] ^= v[2]
            v[0] = (v[0] + v[3]) & mask; v[3] = rotl(v[3], 21); v[3] ^= v[0]
            v[2] = (v[2] + v[1]) & mask; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)

    tail = len(message) % 8
    for i in range(0, len(message) - tail, 8):
        m = struct.unpack("<Q", message[i:i + 8])[0]
        v[3] ^= m; rounds(2); v[0] ^= m
    last = (len(message) & 0xFF) << 56 | int.from_bytes(message[len(message) - tail:], "little")
    v[3] ^= last; rounds(2); v[0] ^= last
    v[2] ^= 0xFF; rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def test_siphash_vectors(tcp_check):
    result = run(tcp_check, "siphash")
    assert result.returncode == 0 and "siphash: 0 failures" in result.stdout, result.stdout + result.stderr
    key = bytes(range(16))
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("siphash ")]
    assert len(lines) == 64
    for _, length, value in lines:
        assert int(value, 16) == siphash_2_4(key, bytes(range(int(length)))), length
    # The paper's published vector (appendix A): 15 bytes.
    assert siphash_2_4(key, bytes(range(15))) == 0xa129ca6149be45e5


@pytest.mark.parametrize("options,expected", [
    # Linux's SYN layout: MSS, SACK-permitted + timestamps, NOP + window scale.
    ("020405b4" "0402080a0000000100000000" "01030307", "malformed=0 mss=1460 wscale=7 sackok ts=1,0"),
    ("0101080a" "deadbeef" "00000009", "malformed=0 ts=3735928559,9"),
    # SACK blocks: 1 and 4 (the most that fit), a 5th is not stored.
    ("0101050a" "00000064" "000000c8", "malformed=0 sack=100-200"),
    ("0101" "0522" + "".join(f"{i * 100:08x}{i * 100 + 50:08x}" for i in range(4)),
     "malformed=0 sack=0-50 sack=100-150 sack=200-250 sack=300-350"),
    # Window scale above 14 is used as 14 (RFC 7323 2.3).
    ("01030315", "malformed=0 wscale=14"),
    # End of options stops parsing; what follows is not read.
    ("00" "020405b4", "malformed=0"),
    # Unknown kinds are skipped by their length.
    ("fe06aabbccdd" "020405b4", "malformed=0 mss=1460"),
    # A known kind with the wrong length is ignored, parsing goes on.
    ("0205050505" "01030302", "malformed=0 wscale=2"),
    ("0403" "00" "020405b4", "malformed=0 mss=1460"),  # SACK-permitted of length 3: skipped whole
    ("050b" + "00" * 9 + "020405b4", "malformed=0 mss=1460"),   # SACK of bad length: ignored
    # Malformed: length 0, length 1, length beyond the end, no room for the length octet.
    ("0200" "020405b4", "malformed=1"),
    ("0301" "020405b4", "malformed=1"),
    ("020405b4" "080a0000", "malformed=1 mss=1460"),
    ("020405b4" "08", "malformed=1 mss=1460"),
    ("", "malformed=0"),
])
def test_option_parsing(tcp_check, options, expected):
    result = run(tcp_check, "options", options)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == expected
