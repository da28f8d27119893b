"""Host tests of the nftables rule engine (net/netfilter/nft_*.c), compiled
unchanged with ASan and UBSan together with the hook registry
(net/netfilter/hook.c), pkt.c and checksum.c; tests/host/nft_check_shim.c
stubs the kernel around it (devices, clock, console, ICMP and IPv4 output).

Scenarios: every parse error with its line and columns (the old ruleset
kept: refused whole), the printer's round trip (print, parse, print: equal),
evaluation at the hooks on crafted packets (matches, named and anonymous
sets, jump/return, policy and rule drops with their drop reasons, ct state
from the pkt's conntrack fields, counters), reject (the RST's sequence and
acknowledgment numbers of RFC 9293 3.10.7.1, ICMP codes), limit, log lines
and their rate limit, NAT chain results, the nft command forms (add,
insert, delete by handle, list -a, flush), 15000-element and interval sets.
"""
import pytest

import host_build

SOURCES = [*host_build.NFT_ENGINE, "net/netfilter/hook.c", "net/core/pkt.c", "net/core/checksum.c",
           host_build.HOST_TESTS / "nft_check.c", host_build.HOST_TESTS / "nft_check_shim.c"]
SCENARIOS = ["errors", "round-trip", "evaluate", "reject", "limit", "log", "nat", "commands", "sets"]


@pytest.fixture(scope="module")
def nft_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("nft"), "nft_check", SOURCES)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_nft(nft_check, scenario):
    result = host_build.run(nft_check, scenario, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenario}: 0 failures" in result.stdout, result.stdout
