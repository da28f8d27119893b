"""The differential test of the apps: apps/httpd and apps/echo built from
the very same source against glibc, run on the host's loopback, and put
through the same client checks as the keel guest (tests/lib/
httpd_checks.py). A failure here is a bug in the app itself, independent
of keel's stack; a check that passes here but fails in QEMU points at keel.

The Linux builds use ASan and UBSan, so the apps' memory handling is
checked too; the site is the default one plus the generated 1 MiB and
10 MiB files.
"""
import os
import random
import socket
import subprocess
import sys
import time

import pytest

import host_build
import httpd_checks

REPO = host_build.REPO
# Short timeouts keep the checks quick; send_timeout is longer than the old
# 10 s idle timeout, so that a slow reader can be shown to outlast it.
HEADER_SECONDS, BODY_SECONDS, KEEPALIVE_SECONDS, SEND_SECONDS = 2, 3, 5, 13
MAX_BODY = 1024


def run_local(cmd, input=None, timeout=60):
    return subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(binary, arguments, port, tmp_path, name):
    log = open(tmp_path / f"{name}.log", "w")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    process = subprocess.Popen([str(binary), *arguments], stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            assert process.poll() is None, (tmp_path / f"{name}.log").read_text()
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"{name} never listened on port {port}")


def stop_server(process, tmp_path, name):
    alive = process.poll() is None
    process.kill()
    process.wait()
    log = (tmp_path / f"{name}.log").read_text()
    print(log)
    assert alive, f"{name} exited during the test:\n{log}"
    assert "ERROR: AddressSanitizer" not in log and "runtime error" not in log, log


@pytest.fixture(scope="module")
def httpd(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("httpd_linux")
    prefix = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "apps" / "httpd" / "embed_site.py"), "--site",
                    str(REPO / "apps" / "httpd" / "www"), "--output", str(prefix),
                    "--generate", "1m.bin:1048576", "--generate", "10m.bin:10485760"], check=True)
    sources = [*sorted((REPO / "apps" / "httpd").glob("*.c")), f"{prefix}_table.c", f"{prefix}_data.S"]
    binary = host_build.build(tmp_path, "httpd", sources)
    port = free_port()
    arguments = [f"--port={port}", "--maxconn=64", f"--client-header-timeout={HEADER_SECONDS}",
                 f"--client-body-timeout={BODY_SECONDS}", f"--keepalive-timeout={KEEPALIVE_SECONDS}",
                 f"--send-timeout={SEND_SECONDS}", f"--client-max-body-size={MAX_BODY}"]
    process = start_server(binary, arguments, port, tmp_path, "httpd")
    entries = httpd_checks.site_entries(REPO / "apps" / "httpd" / "www", f"{prefix}_generated")
    yield httpd_checks.HttpTarget(run_local, "127.0.0.1", port, workdir=tmp_path), entries
    stop_server(process, tmp_path, "httpd")


def test_httpd_files(httpd):
    target, entries = httpd
    httpd_checks.check_every_file(target, entries)
    httpd_checks.check_date_header(target, tolerance=5)


def test_httpd_keep_alive_and_pipelining(httpd):
    target, entries = httpd
    httpd_checks.check_keep_alive(target)
    httpd_checks.check_pipelining(target, entries)
    httpd_checks.check_http10_and_close(target, entries)


def test_httpd_ranges_and_conditionals(httpd):
    target, entries = httpd
    httpd_checks.check_ranges(target, entries)
    httpd_checks.check_conditional(target, entries)


def test_httpd_errors(httpd):
    target, _ = httpd
    httpd_checks.check_errors(target)


def test_httpd_large_files(httpd):
    target, entries = httpd
    for path in ("/1m.bin", "/10m.bin"):
        httpd_checks.check_large_download(target, path, entries[path][0])


def test_httpd_request_bodies(httpd):
    target, entries = httpd
    httpd_checks.check_chunked_bodies(target, entries, MAX_BODY)
    httpd_checks.check_body_framing(target, entries, MAX_BODY)


def random_chunked_body(rng, max_body):
    """A valid chunked body (RFC 9112 7.1) of at most max_body data bytes, with
    random chunk sizes, hex case, leading zeros, extensions, trailers and
    line endings."""
    eol = lambda: rng.choice([b"\r\n", b"\r\n", b"\n"])
    body, left = b"", rng.randrange(max_body + 1)
    while left:
        size = rng.randint(1, min(left, 300))
        left -= size
        digits = ("%x" % size).upper() if rng.random() < 0.5 else "%x" % size
        extension = rng.choice([b"", b";a", b" ; name=value", b';q="x;y"', b";k=v;flag"])
        body += b"0" * rng.randrange(3) + digits.encode() + extension + eol() + b"d" * size + eol()
    body += b"0" + rng.choice([b"", b";end"]) + eol()
    for i in range(rng.randrange(3)):
        body += f"X-Trailer-{i}: value {i}".encode() + eol()
    return body + eol()


def test_httpd_chunked_random_splits(httpd):
    """Random valid chunked bodies, cut into random pieces sent apart: each
    is read to its end, and the request behind it is served."""
    target, _ = httpd
    rng = random.Random(14)
    for _ in range(30):
        payload = (httpd_checks.chunked_request("GET", "/robots.txt", random_chunked_body(rng, MAX_BODY)) +
                   httpd_checks.request_bytes("GET", "/style.css"))
        cuts = sorted(rng.sample(range(1, len(payload)), min(6, len(payload) - 1)))
        pieces = [payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)])]
        data, _, _ = target.raw(payload, chunks=pieces, gap=0.01)
        assert [r.status for r in httpd_checks.parse_responses(data)] == [200, 200], payload


def test_httpd_header_limits(httpd):
    target, _ = httpd
    httpd_checks.check_header_limits(target)


def test_httpd_read_timeouts(httpd):
    target, _ = httpd
    httpd_checks.check_read_timeouts(target, HEADER_SECONDS, BODY_SECONDS, KEEPALIVE_SECONDS)


def test_httpd_slow_reader(httpd):
    """10 MiB: Linux's send buffer (up to 4 MiB) must not hold the whole response."""
    target, entries = httpd
    httpd_checks.check_slow_reader(target, "/10m.bin", entries["/10m.bin"][0], SEND_SECONDS, patient_pause=11)


def test_httpd_rejects_bad_arguments(tmp_path, httpd):
    binary = httpd[0].workdir / "httpd"
    result = run_local([str(binary), "--frobnicate"])
    assert result.returncode == 2 and "usage: httpd" in result.stdout


ECHO_CLIENT = r"""
import json, socket, sys, threading
port, size = int(sys.argv[1]), int(sys.argv[2])
data = bytes((i * 7 + i // 251) & 0xff for i in range(size))
s = socket.create_connection(("127.0.0.1", port), timeout=20)
sender = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))
sender.start()
received = bytearray()
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    received += chunk
sender.join()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
answers = []
for payload in (b"x", b"hello udp", bytes(range(256)) * 5):
    u.sendto(payload, ("127.0.0.1", port))
    answers.append(u.recvfrom(65536)[0] == payload)
print(json.dumps({"tcp": bytes(received) == data, "length": len(received), "udp": answers}))
"""


def test_echo_tcp_and_udp(tmp_path):
    binary = host_build.build(tmp_path, "echo", ["apps/echo/main.c"])
    port = free_port()
    process = start_server(binary, [f"--port={port}"], port, tmp_path, "echo")
    try:
        result = run_local([sys.executable, "-c", ECHO_CLIENT, str(port), str(3 * 1024 * 1024)], timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == '{"tcp": true, "length": 3145728, "udp": [true, true, true]}'
    finally:
        stop_server(process, tmp_path, "echo")
