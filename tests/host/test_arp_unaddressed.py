"""Host test of ARP on an interface that waits for DHCP (address 0.0.0.0):
no answer and nothing learned, the observer the DHCP client's conflict
detection uses, and the RFC 5227 probe byte for byte
(tests/host/arp_unaddressed_check.c over tests/host/wire_host_shim.c; the
stack's sources compiled unchanged with ASan and UBSan)."""
import host_build

SOURCES = [*host_build.STACK_BELOW_TCP,
           "tests/host/wire_host_shim.c", "tests/host/host_time_shim.c", "tests/host/arp_unaddressed_check.c"]


def test_arp_without_address(tmp_path):
    binary = host_build.build(tmp_path, "arp_unaddressed_check", SOURCES)
    result = host_build.run(binary, timeout=30)
    assert result.returncode == 0 and "0 failures" in result.stdout, result.stdout + result.stderr
