"""Host test of ARP on an interface that waits for DHCP (address 0.0.0.0):
no answer and nothing learned, the observer the DHCP client's conflict
detection uses, and the RFC 5227 probe byte for byte
(tests/host/arp_unaddressed_check.c over tests/host/wire_host_shim.c; the
stack's sources compiled unchanged with ASan and UBSan)."""
import host_build

SOURCES = [
    "net/ethernet/ethernet.c", "net/ethernet/arp.c", "net/ethernet/arp_cache.c",
    "net/ipv4/input.c", "net/ipv4/output.c", "net/ipv4/fragment.c", "net/ipv4/reassembly.c",
    "net/ipv4/icmp.c", "net/ipv4/icmp_error.c", "net/ipv4/icmp_error_input.c", "net/ipv4/icmp_errno.c",
    "net/ipv4/icmp_ratelimit.c", "net/ipv4/route.c", "net/ipv4/interface.c", "net/ipv4/ip_config.c",
    "net/udp/udp.c", "net/udp/socket.c",
    "net/core/drop.c", "net/core/checksum.c", "net/core/pkt.c", "net/core/netdev.c", "net/core/gso.c",
    "net/core/secret.c", "net/core/siphash.c", "net/core/stats_print.c",
    "tests/host/wire_host_shim.c", "tests/host/host_time_shim.c", "tests/host/arp_unaddressed_check.c",
]


def test_arp_without_address(tmp_path):
    binary = host_build.build(tmp_path, "arp_unaddressed_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0 and "0 failures" in result.stdout, result.stdout + result.stderr
