"""Host unit tests of the DHCP client's message code (net/dhcp/message_parse.c,
message_build.c; RFC 2131, RFC 2132, RFC 3442) with literal packet bytes.

The kernel sources are compiled unchanged for the host with ASan and UBSan
(tests/host/dhcp_check.c copies each packet into an exactly sized buffer, so
a read past its end fails the run). Every check of the reply parser has a
case that trips it and names its drop reason; the valid cases show what a
reply yields (lease, T1/T2, DNS, MTU, option 121 routes, overloaded fields).
"""
import pytest

import host_build

SOURCES = ["net/dhcp/message_parse.c", "net/dhcp/message_build.c", host_build.HOST_TESTS / "dhcp_check.c"]

XID = "1a2b3c4d"
MAC = "525400123456"
OTHER_MAC = "525400abcdef"
COOKIE = "63825363"


@pytest.fixture(scope="module")
def dhcp_check(tmp_path_factory):
    return host_build.build(tmp_path_factory.mktemp("dhcp"), "dhcp_check", SOURCES)


def bootp(op="02", htype="01", hlen="06", xid=XID, yiaddr="0a63000f", chaddr=MAC, sname="", file="", cookie=COOKIE,
          options=""):
    """A BOOTP message written out field by field (RFC 2131 2, figure 1)."""
    fields = [
        op, htype, hlen, "00",          # op, htype, hlen, hops
        xid,                            # xid
        "0000", "8000",                 # secs, flags (broadcast)
        "00000000",                     # ciaddr
        yiaddr,                         # yiaddr 10.99.0.15
        "00000000", "00000000",         # siaddr, giaddr
        chaddr.ljust(32, "0"),          # chaddr, 16 bytes
        sname.ljust(128, "0"),          # sname, 64 bytes
        file.ljust(256, "0"),           # file, 128 bytes
        cookie,
        options,
    ]
    return "".join(fields)


# Option bytes: code, length, value.
OFFER = "350102"                       # 53 message type: OFFER
ACK = "350105"                         # 53: ACK
NAK = "350106"                         # 53: NAK
SERVER = "3604" "0a630001"             # 54 server id 10.99.0.1
MASK = "0104" "ffffff00"               # 1 subnet mask /24
ROUTER = "0304" "0a630001"             # 3 router 10.99.0.1
LEASE = "3304" "00000e10"              # 51 lease 3600 s
END = "ff"


def parse(binary, packet, xid=XID, mac=MAC):
    result = host_build.run(binary, "parse", xid, mac, packet, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def fields(output):
    assert output.startswith("ok "), output
    return dict(pair.split("=", 1) for pair in output[3:].split(" "))


def test_offer_fields(dhcp_check):
    options = (OFFER + SERVER + MASK + "0308" "0a630001" "0a6300fe" + LEASE + "3a04" "00000708" "3b04" "00000c4e"
               + "060c" "0a630001" "08080808" "01010101" "1a02" "0578" + END)
    got = fields(parse(dhcp_check, bootp(options=options)))
    assert got["type"] == "2" and got["yiaddr"] == "10.99.0.15" and got["server"] == "10.99.0.1"
    assert got["mask"] == "255.255.255.0" and got["router"] == "10.99.0.1"       # option 3's first router
    assert (got["lease"], got["t1"], got["t2"]) == ("3600", "1800", "3150")
    assert got["dns"] == "10.99.0.1,8.8.8.8,1.1.1.1"
    assert got["mtu"] == "1400" and got["classless"] == "0"


def test_pad_options_skipped(dhcp_check):
    got = fields(parse(dhcp_check, bootp(options="00" + OFFER + "0000" + SERVER + END + "000000")))
    assert got["type"] == "2"


def test_classless_routes(dhcp_check):
    # RFC 3442: 0/0 via 10.99.0.1 (width 0, no octets), 192.0.2.0/24 via
    # 10.99.0.51, 198.51.100.128/25 via 10.99.0.52, 10.99.0.0/16 on-link (router 0).
    routes = "00" "0a630001" "18" "c00002" "0a630033" "19" "c6336480" "0a630034" "10" "0a63" "00000000"
    options = ACK + SERVER + MASK + ROUTER + LEASE + "79" + f"{len(routes) // 2:02x}" + routes + END
    got = fields(parse(dhcp_check, bootp(options=options)))
    assert got["classless"] == "1"
    assert got["routes"] == ("0.0.0.0/0>10.99.0.1,192.0.2.0/24>10.99.0.51,198.51.100.128/25>10.99.0.52,"
                             "10.99.0.0/16>0.0.0.0")


@pytest.mark.parametrize("routes", [
    "21" "0a630000" "0a630001",        # width 33
    "18" "c00002",                     # router cut off
    "18" "c00002ff",                   # /24 with one router byte
    "08" "0a" "0a6300",                # 10/8 with a 3-byte router
    "17" "c00003" "0a630001",          # 192.0.3.0/23: a bit beyond the width is set
])
def test_classless_routes_malformed(dhcp_check, routes):
    options = ACK + SERVER + LEASE + "79" + f"{len(routes) // 2:02x}" + routes + END
    assert parse(dhcp_check, bootp(options=options)) == "drop dhcp_bad_option"


def test_overloaded_file_and_sname(dhcp_check):
    # Option 52 = 3: the lease time lives in `file`, the mask in `sname` (RFC 2132 9.3).
    options = ACK + SERVER + "3401" "03" + END
    packet = bootp(options=options, file=LEASE + END, sname=MASK + END)
    got = fields(parse(dhcp_check, packet))
    assert got["lease"] == "3600" and got["mask"] == "255.255.255.0"


def test_overload_not_in_options_field(dhcp_check):
    packet = bootp(options=ACK + SERVER + LEASE + "3401" "01" + END, file="3401" "02" + END)
    assert parse(dhcp_check, packet) == "drop dhcp_bad_overload"


@pytest.mark.parametrize("overload", ["00", "04"])
def test_overload_bad_value(dhcp_check, overload):
    assert parse(dhcp_check, bootp(options=ACK + SERVER + LEASE + "3401" + overload + END)) == "drop dhcp_bad_overload"


def test_overloaded_file_without_end(dhcp_check):
    packet = bootp(options=ACK + SERVER + LEASE + "3401" "01" + END, file="00" * 128)
    assert parse(dhcp_check, packet) == "drop dhcp_no_end"


def test_nak_needs_no_address(dhcp_check):
    got = fields(parse(dhcp_check, bootp(yiaddr="00000000", options=NAK + SERVER + "3805" "776f6f0a21" + END)))
    assert got["type"] == "6" and got["message"] == "woo?!"    # a control byte never reaches the console


@pytest.mark.parametrize("case,packet,reason", [
    ("shorter than the cookie", bootp(options="")[:2 * 239], "dhcp_truncated"),
    ("BOOTREQUEST", bootp(op="01", options=OFFER + SERVER + END), "dhcp_bad_op"),
    ("htype 6", bootp(htype="06", options=OFFER + SERVER + END), "dhcp_bad_hardware"),
    ("hlen 16", bootp(hlen="10", options=OFFER + SERVER + END), "dhcp_bad_hardware"),
    ("another transaction", bootp(xid="1a2b3c4e", options=OFFER + SERVER + END), "dhcp_wrong_xid"),
    ("another client", bootp(chaddr=OTHER_MAC, options=OFFER + SERVER + END), "dhcp_not_our_mac"),
    ("no cookie", bootp(cookie="63825364", options=OFFER + SERVER + END), "dhcp_bad_cookie"),
    ("option past the end", bootp(options=OFFER + SERVER + "0c10" "6b65656c"), "dhcp_bad_option"),
    ("length byte missing", bootp(options=OFFER + SERVER + "0c"), "dhcp_bad_option"),
    ("no end option", bootp(options=OFFER + SERVER), "dhcp_no_end"),
    ("message type length 2", bootp(options="35020200" + SERVER + END), "dhcp_bad_option"),
    ("server id length 3", bootp(options=OFFER + "3603" "0a6300" + END), "dhcp_bad_option"),
    ("lease length 2", bootp(options=ACK + SERVER + "33020e10" + END), "dhcp_bad_option"),
    ("router length 6", bootp(options=OFFER + SERVER + "0306" "0a6300010000" + END), "dhcp_bad_option"),
    ("dns length 0", bootp(options=OFFER + SERVER + "0600" + END), "dhcp_bad_option"),
    ("mtu below 68", bootp(options=OFFER + SERVER + "1a02" "0043" + END), "dhcp_bad_option"),
    ("no message type", bootp(options=SERVER + END), "dhcp_no_message_type"),
    ("a DISCOVER", bootp(options="350101" + SERVER + END), "dhcp_no_message_type"),
    ("no server id", bootp(options=OFFER + END), "dhcp_no_server_id"),
    ("yiaddr 0", bootp(yiaddr="00000000", options=OFFER + SERVER + END), "dhcp_bad_yiaddr"),
    ("yiaddr loopback", bootp(yiaddr="7f000001", options=OFFER + SERVER + END), "dhcp_bad_yiaddr"),
    ("yiaddr multicast", bootp(yiaddr="e0000001", options=OFFER + SERVER + END), "dhcp_bad_yiaddr"),
    ("yiaddr class E", bootp(yiaddr="f0000001", options=OFFER + SERVER + END), "dhcp_bad_yiaddr"),
    ("yiaddr broadcast", bootp(yiaddr="ffffffff", options=OFFER + SERVER + END), "dhcp_bad_yiaddr"),
    ("ACK without lease", bootp(options=ACK + SERVER + END), "dhcp_no_lease_time"),
    ("mask not contiguous", bootp(options=OFFER + SERVER + "0104" "ff00ff00" + END), "dhcp_bad_netmask"),
    ("mask /0", bootp(options=OFFER + SERVER + "0104" "00000000" + END), "dhcp_bad_netmask"),
])
def test_reply_dropped(dhcp_check, case, packet, reason):
    assert parse(dhcp_check, packet) == f"drop {reason}", case


def test_oversized_options_area(dhcp_check):
    # 1400 bytes of options (beyond the 312 RFC 2131 guarantees): walked and accepted.
    options = OFFER + SERVER + ("2bff" + "ab" * 255) * 5 + END
    assert fields(parse(dhcp_check, bootp(options=options)))["type"] == "2"


def build(binary, *args):
    result = host_build.run(binary, "build", *args, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    return bytes.fromhex(result.stdout.strip())


def options_of(message):
    found, at = {}, 240
    while message[at] != 0xFF:
        code, length = message[at], message[at + 1]
        found[code] = message[at + 2:at + 2 + length]
        at += 2 + length
    return found


def test_discover_built(dhcp_check):
    message = build(dhcp_check, 1, XID, MAC, "0.0.0.0", "0.0.0.0", "0.0.0.0", 1, "keel-525400123456")
    assert len(message) == 300                                        # BOOTP minimum
    assert message[:4] == bytes.fromhex("01010600")                   # BOOTREQUEST, Ethernet, 6, hops 0
    assert message[4:8].hex() == XID and message[10:12].hex() == "8000"
    assert message[28:34].hex() == MAC and message[236:240].hex() == COOKIE
    found = options_of(message)
    assert found[53] == b"\x01" and found[61].hex() == "01" + MAC
    assert found[12] == b"keel-525400123456"
    assert set(found[55]) >= {1, 3, 6, 26, 51, 54, 58, 59, 121}
    assert 50 not in found and 54 not in found


def test_request_and_release_built(dhcp_check):
    request = options_of(build(dhcp_check, 3, XID, MAC, "0.0.0.0", "10.99.0.15", "10.99.0.1", 1, "-"))
    assert request[50].hex() == "0a63000f" and request[54].hex() == "0a630001" and 12 not in request
    release = build(dhcp_check, 7, XID, MAC, "10.99.0.15", "0.0.0.0", "10.99.0.1", 0, "keel")
    assert release[12:16].hex() == "0a63000f" and release[10:12].hex() == "0000"
    found = options_of(release)
    assert found[53] == b"\x07" and 55 not in found and 12 not in found     # RFC 2131 table 5
