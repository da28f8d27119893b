"""Host tests of the management port, compiled unchanged with ASan and
UBSan: the request-head parser (net/admin/http_request.c, RFC 9112 2-6;
tests/host/admin_http_check.c): what a complete head yields, when it waits
for more, and the status each malformed head is refused with; and POST
/cmd (net/admin/command.c through the console's dispatch;
tests/host/admin_command_check.c): 403 without a configured token, 401
without the right one, the constant-time comparison's edge cases, bodies.
The QEMU test (tests/qemu/test_admin.py) sends the same kinds of requests
to the running port; tests/fuzz/fuzz_admin_http.c fuzzes the parser."""
import pytest

import host_build

SOURCES = ["net/admin/http_request.c", host_build.HOST_TESTS / "admin_http_check.c"]
CAPACITY, BODY_MAX = 2560, 512
GET, HEAD, POST, OTHER = 1, 2, 3, 0


@pytest.fixture(scope="module")
def parse(tmp_path_factory):
    binary = host_build.build(tmp_path_factory.mktemp("admin_http"), "admin_http_check", SOURCES)

    def run(data, capacity=CAPACITY):
        result = host_build.run(binary, data.hex(), capacity, BODY_MAX)
        assert result.returncode == 0, result.stdout + result.stderr
        line, _, authorization = result.stdout.rstrip("\n").partition(" auth=")   # the last field may hold blanks
        fields = dict(word.split("=", 1) for word in line.split(" "))
        if "head" in fields:
            fields["auth"] = authorization
        return fields
    return run


def test_complete_heads(parse):
    answer = parse(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer == {"status": "1", "head": "34", "method": str(GET), "path": "/metrics", "query": "", "minor": "1",
                      "keep_alive": "1", "length": "0/0", "auth": ""}
    answer = parse(b"POST /cmd HTTP/1.1\r\nHost: k\r\nContent-Length: 4\r\nAuthorization:  Bearer abc \r\n"
                   b"Connection: Keep-Alive, CLOSE\r\n\r\nhelp")
    assert (answer["method"], answer["length"], answer["auth"], answer["keep_alive"]) == (str(POST), "1/4",
                                                                                       "Bearer abc", "0")
    answer = parse(b"GET /pcap?dev=eth0&count=3 HTTP/1.0\r\nconnection: keep-alive\r\n\r\n")
    assert (answer["path"], answer["query"], answer["minor"], answer["keep_alive"]) == ("/pcap", "dev=eth0&count=3",
                                                                                       "0", "1")
    assert parse(b"GET / HTTP/1.0\r\n\r\n")["keep_alive"] == "0"
    # RFC 9112 2.2: bare LF line ends and one leading empty line are accepted.
    answer = parse(b"\r\nDELETE /x HTTP/1.1\nA:b\nhost:\n\n")
    assert (answer["status"], answer["method"], answer["head"]) == ("1", str(OTHER), "32")
    assert parse(b"HEAD / HTTP/1.0\r\n\r\nextra")["head"] == "19"


@pytest.mark.parametrize("data", [b"", b"GET /metrics HTTP/1.1\r\n", b"GET /metrics HTTP/1.1\r\nHost: x\r\n",
                                  b"GET /met"])
def test_waits_for_more(parse, data):
    assert parse(data)["status"] == "0"


@pytest.mark.parametrize("data, status", [
    (b"FOO\r\n\r\n", 400), (b" GET / HTTP/1.1\r\n\r\n", 400), (b"GET  / HTTP/1.1\r\n\r\n", 400),
    (b"GET metrics HTTP/1.1\r\n\r\n", 400), (b"GET http://x/ HTTP/1.1\r\n\r\n", 400),
    (b"GET /a\x7fb HTTP/1.1\r\n\r\n", 400), (b"G(T / HTTP/1.1\r\n\r\n", 400), (b"GET / HTTP/1.1 \r\n\r\n", 400),
    (b"GET / http/1.1\r\n\r\n", 400), (b"GET / HTTP/1.x\r\n\r\n", 400), (b"GET / HTTP/2.0\r\n\r\n", 505),
    (b"GET / HTTP/1.2\r\n\r\n", 505), (b"GET / HTTP/1.1\r\nA : b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n: b\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nnocolon\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nA: b\x00\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nContent-Length: 513\r\n\r\n", 413),
    (b"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
    (b"GET / HTTP/1.1\r\n" + b"A: b\r\n" * 33 + b"\r\n", 431),
    (b"\r\n" * 6 + b"GET / HTTP/1.1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400),
])
def test_refused(parse, data, status):
    assert parse(data)["status"] == str(status)


def test_full_buffer(parse):
    line = b"GET /" + b"a" * 100
    assert parse(line, capacity=len(line))["status"] == "414"
    head = b"GET / HTTP/1.1\r\nA: " + b"b" * 100
    assert parse(head, capacity=len(head))["status"] == "431"
    assert parse(head, capacity=len(head) + 1)["status"] == "0"
    assert parse(b"GET / HTTP/1.1\r\nHost: k\r\nContent-Length: 512\r\n\r\n")["length"] == "1/512"


def test_command_token_rules(tmp_path):
    sources = ["net/admin/command.c", "net/admin/response.c", "kernel/console/command.c",
               "kernel/console/line_editor.c", host_build.HOST_TESTS / "admin_command_check.c", host_build.HOST_TESTS / "console_capture.c"]
    binary = host_build.build(tmp_path, "admin_command_check", sources)
    result = host_build.run(binary)
    assert result.returncode == 0 and "admin command: 0 failures" in result.stdout, result.stdout + result.stderr
