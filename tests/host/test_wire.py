"""Host unit tests of the input checklists of Ethernet/ARP (RFC 826), IPv4
(RFC 791, RFC 1122 3.2.1), ICMP (RFC 792) and UDP (RFC 768), with literal
frames.

The real net/ethernet, net/ipv4, net/udp and net/core sources are compiled
unchanged for the host with ASan and UBSan over tests/host/wire_host_shim.c
(fake clock and timers, the command line's ip=10.99.0.2/24, one device whose
transmit ring is a capture buffer). tests/host/wire_check_*.c feed them
frames written out byte by byte, one comment per header field, and judge
from outside the stack: the drop reason counted (net_drop_count) and the
frame sent in answer, byte for byte (the IPv4 identification, a secret
per-destination counter, and the header checksum covering it excepted; that
checksum is verified instead).

Each case runs in its own process; one run of all of them in one process
shows that no state leaks between cases, that the packet pool is full again
after each, and that LeakSanitizer finds nothing.
"""
import host_build
import pytest

STACK_SOURCES = [*host_build.STACK_BELOW_TCP, "net/testing/udp_test_echo.c"]
TEST_SOURCES = ["tests/host/wire_host_shim.c", "tests/host/host_time_shim.c", "tests/host/wire_check.c", "tests/host/wire_check_arp.c",
                "tests/host/wire_check_ipv4.c", "tests/host/wire_check_ipv4_options.c",
                "tests/host/wire_check_icmp.c", "tests/host/wire_check_udp.c", "tests/host/wire_check_forward.c"]

ARP_CASES = ["arp_request_reply", "arp_truncated", "arp_bad_hardware_type", "arp_bad_protocol_type",
             "arp_bad_hardware_length", "arp_bad_protocol_length", "arp_bad_opcode", "arp_group_sender",
             "arp_not_for_us", "arp_address_conflict", "arp_reply_fills_cache", "arp_unresolved_gives_up"]
IPV4_CASES = ["ipv4_valid_answered", "ipv4_options_skipped", "ipv4_too_short", "ipv4_version_6", "ipv4_ihl_4",
              "ipv4_ihl_beyond_packet", "ipv4_bad_header_checksum", "ipv4_total_length_below_header",
              "ipv4_total_length_beyond_frame", "ipv4_ttl_0", "ipv4_ttl_1_delivered", "ipv4_not_for_us",
              "ipv4_martian_this_network", "ipv4_martian_loopback", "ipv4_martian_multicast", "ipv4_martian_class_e",
              "ipv4_martian_limited_broadcast", "ipv4_martian_directed_broadcast", "ipv4_martian_own_address",
              "ipv4_unknown_protocol", "ipv4_unknown_protocol_broadcast_unanswered", "ipv4_ethernet_padding_trimmed"]
IPV4_OPTIONS_CASES = ["ipv4_option_length_1", "ipv4_option_unknown_length_0", "ipv4_option_beyond_header",
                      "ipv4_option_timestamp_pointer_4", "ipv4_option_truncated", "ipv4_option_timestamp_overflow_15",
                      "ipv4_option_router_alert_length_3",
                      "ipv4_option_loose_source_route_dropped", "ipv4_option_strict_source_route_dropped",
                      "ipv4_option_record_route_echoed", "ipv4_option_timestamp_echoed",
                      "ipv4_option_timestamp_full_overflow_bumped", "ipv4_option_record_route_no_room_for_reply",
                      "ipv4_option_record_route_in_icmp_error"]
ICMP_CASES = ["icmp_echo_reply", "icmp_echo_odd_length", "icmp_truncated", "icmp_bad_checksum",
              "icmp_echo_to_broadcast_ignored", "icmp_unhandled_type", "icmp_echo_nonzero_code_answered",
              "icmp_large_echo_8000", "icmp_large_echo_65507",
              "icmp_large_echo_reply_beyond_pool", "icmp_large_echo_defragmented_before_hooks",
              "icmp_large_echo_hooks_see_whole_datagrams",
              "icmp_loopback_delivered_later", "icmp_loopback_queue_full"]
UDP_CASES = ["udp_delivered_to_bound_socket", "udp_checksum_zero_accepted", "udp_broadcast_delivered",
             "udp_length_shorter_than_payload", "udp_truncated", "udp_length_below_header", "udp_length_beyond_payload",
             "udp_bad_checksum", "udp_no_socket_port_unreachable", "udp_no_socket_broadcast_unanswered"]
FORWARD_CASES = ["forward_same_link_redirect_and_forwarded", "forward_without_redirects", "forward_ttl_1_time_exceeded",
                 "forward_disabled", "forward_martians", "forward_no_route_net_unreachable", "forward_rp_filter",
                 "forward_per_device_conf", "forward_super_frame_cut_for_device_without_tso",
                 "forward_super_frame_segment_size_judged_by_mtu", "forward_devconf_beyond_16_devices"]
CASES = ARP_CASES + IPV4_CASES + IPV4_OPTIONS_CASES + ICMP_CASES + UDP_CASES + FORWARD_CASES


@pytest.fixture(scope="module")
def wire_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("wire"), "wire_check", STACK_SOURCES + TEST_SOURCES)


def test_every_case_is_listed(wire_check):
    result = host_build.run(wire_check, "list")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == CASES


@pytest.mark.parametrize("name", CASES)
def test_case(wire_check, name):
    result = host_build.run(wire_check, name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{name}: 0 failures" in result.stdout, result.stdout


def test_all_in_one_process(wire_check):
    """The cases in sequence share one stack (ARP cache, sockets, rate
    limits, pool): each still passes, each ends with the pool full again
    (checked by wire_check.c), and LeakSanitizer finds nothing at exit."""
    result = host_build.run(wire_check, "all")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "LeakSanitizer" not in result.stderr
    assert [line for line in result.stdout.splitlines() if line.endswith(" 0 failures")] == \
        [f"{name}: 0 failures" for name in CASES]
