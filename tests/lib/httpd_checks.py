"""Checks of apps/httpd seen from a client, shared by the QEMU tests
(tests/qemu/test_httpd.py: keel on a tap in a network namespace) and the
Linux differential test (tests/host/test_apps_linux.py: the same source
built against glibc, on loopback). Each check takes an HttpTarget, whose
run() executes a client command where the server can be reached (inside
the namespace, or on the host), and asserts what the response must be.

Raw exchanges (pipelining, malformed requests) go through RAW_CLIENT, a
small Python client run the same way: it sends bytes, optionally half-closes,
and returns everything received until the server closes or goes quiet.
"""
import email.utils
import hashlib
import concurrent.futures
import json
import os
import pathlib
import re
import tempfile
import time

PYTHON = "/usr/bin/python3"

# Must match apps/httpd/site.c for the extensions the sites use.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".png": "image/png", ".bin": "application/octet-stream", ".js": "text/javascript; charset=utf-8",
}

RAW_CLIENT = r"""
import json, socket, sys, time
request = json.load(sys.stdin)
s = socket.create_connection((request["host"], request["port"]), timeout=10)
for chunk in request["chunks"]:
    s.sendall(bytes.fromhex(chunk))
    time.sleep(request["gap"])
if request["half_close"]:
    s.shutdown(socket.SHUT_WR)
s.settimeout(request["quiet"])
received, closed = b"", False
start = time.monotonic()
while time.monotonic() - start < request["limit"]:
    try:
        data = s.recv(65536)
    except socket.timeout:
        break
    except ConnectionResetError:
        closed = "reset"
        break
    if not data:
        closed = True
        break
    received += data
json.dump({"data": received.hex(), "closed": closed, "seconds": time.monotonic() - start}, sys.stdout)
"""


SLOW_READER = r"""
import hashlib, json, socket, sys, threading, time
request = json.load(sys.stdin)

def fetch(pauses, results, index):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, request["rcvbuf"])
    s.settimeout(sum(pauses) + 60)
    s.connect((request["host"], request["port"]))
    s.sendall(bytes.fromhex(request["request"]))
    data, ending = b"", None
    try:
        for number, pause in enumerate(pauses):
            time.sleep(pause)              # the receive window closes meanwhile
            goal = len(data) + request["read_between"] if number + 1 < len(pauses) else None
            while goal is None or len(data) < goal:
                chunk = s.recv(65536)
                if not chunk:
                    ending = "eof"
                    break
                data += chunk
            if ending:
                break
    except ConnectionResetError:
        ending = "reset"
    except socket.timeout:
        ending = "timeout"
    head, _, body = data.partition(b"\r\n\r\n")
    results[index] = {"head": head.decode("latin-1"), "length": len(body), "ending": ending,
                      "sha256": hashlib.sha256(body).hexdigest()}

readers = request["readers"]
results = [None] * len(readers)
threads = [threading.Thread(target=fetch, args=(pauses, results, i)) for i, pauses in enumerate(readers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
json.dump(results, sys.stdout)
"""


DRIBBLER = r"""
import json, socket, sys, time
request = json.load(sys.stdin)
s = socket.create_connection((request["host"], request["port"]), timeout=5)
s.setblocking(False)
payload = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"y" * 10000
start, ending = time.monotonic(), None
for byte in payload:
    if time.monotonic() - start > request["limit"]:
        break
    try:
        if s.recv(4096) == b"":
            ending = "eof"
            break
    except BlockingIOError:
        pass
    except ConnectionResetError:
        ending = "reset"
        break
    try:
        s.send(bytes([byte]))
    except (ConnectionResetError, BrokenPipeError):
        ending = "reset"
        break
    time.sleep(request["gap"])
json.dump({"ending": ending, "seconds": time.monotonic() - start}, sys.stdout)
"""


def expected_content_type(path):
    return CONTENT_TYPES.get(pathlib.PurePosixPath(path).suffix.lower(), "application/octet-stream")


def site_entries(site_dir, generated_dir=None):
    """URL path -> (bytes, mtime) for every file the build embeds
    (apps/httpd/embed_site.py's rules: regular files, no dot names)."""
    entries = {}
    roots = [pathlib.Path(site_dir)] + ([pathlib.Path(generated_dir)] if generated_dir else [])
    for root in roots:
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                entries["/" + relative.as_posix()] = (path.read_bytes(), int(path.stat().st_mtime))
    return entries


def expected_etag(content):
    return '"' + hashlib.sha256(content).hexdigest()[:20] + '"'


class Response:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<{self.status} {self.reason} {self.headers} {len(self.body)} bytes>"


def parse_responses(data, head_requests=()):
    """Splits a byte stream into responses (Content-Length framing); the
    indexes in head_requests answer HEAD requests (no body)."""
    responses = []
    while data:
        end = data.find(b"\r\n\r\n")
        assert end >= 0, f"incomplete response head: {data[:300]!r}"
        lines = data[:end].decode("latin-1").split("\r\n")
        match = re.match(r"HTTP/1\.1 (\d{3}) (.*)$", lines[0])
        assert match, f"bad status line {lines[0]!r}"
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            assert name and name == name.strip(), f"bad header line {line!r}"
            headers[name.lower()] = value.strip()
        status = int(match.group(1))
        length = 0 if len(responses) in head_requests or status == 304 else int(headers.get("content-length", 0))
        body = data[end + 4:end + 4 + length]
        assert len(body) == length, f"body cut short: {len(body)} of {length}"
        responses.append(Response(status, match.group(2), headers, body))
        data = data[end + 4 + length:]
    return responses


class HttpTarget:
    def __init__(self, run, host, port, workdir=None):
        """run(cmd_list, input=None, timeout=...) -> CompletedProcess (text)."""
        self._run = run
        self.host = host
        self.port = port
        self.workdir = pathlib.Path(workdir or tempfile.mkdtemp(prefix="httpd-checks-"))

    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    def curl(self, *args, timeout=60):
        result = self._run(["curl", "-sS", "--max-time", str(timeout), *args], timeout=timeout + 10)
        return result

    def get(self, path, *curl_args, method=None, timeout=60):
        """One request with curl: (Response with body, curl result)."""
        headers_file = self.workdir / "headers"
        body_file = self.workdir / "body"
        for leftover in (headers_file, body_file):
            if leftover.exists():
                leftover.unlink()
        args = ["-D", str(headers_file), "-o", str(body_file), "--path-as-is"]
        if method == "HEAD":
            args.append("-I")
        elif method:
            args += ["-X", method]
        result = self.curl(*args, *curl_args, self.url(path), timeout=timeout)
        assert result.returncode == 0, f"curl {path}: {result.stdout}{result.stderr}"
        head = headers_file.read_bytes()
        body = body_file.read_bytes() if body_file.exists() and method != "HEAD" else b""
        response = parse_responses(head, head_requests=(0,))[-1]
        response.body = body
        return response

    def raw(self, payload, half_close=True, chunks=None, gap=0.0, quiet=3.0, limit=20.0):
        """Sends payload (bytes) over one connection; returns (bytes, how the
        connection ended: True closed / "reset" / False still open)."""
        request = {"host": self.host, "port": self.port, "half_close": half_close, "gap": gap,
                   "chunks": [c.hex() for c in (chunks or [payload])], "quiet": quiet, "limit": limit}
        result = self._run([PYTHON, "-c", RAW_CLIENT], input=json.dumps(request), timeout=limit + 30)
        assert result.returncode == 0, f"raw client failed: {result.stdout}{result.stderr}"
        answer = json.loads(result.stdout)
        return bytes.fromhex(answer["data"]), answer["closed"], answer["seconds"]


    def dribble(self, gap, limit):
        """A request head sent a byte every gap seconds, never finished:
        (how the server ended it: "eof" / "reset" / None, seconds)."""
        request = {"host": self.host, "port": self.port, "gap": gap, "limit": limit}
        result = self._run([PYTHON, "-c", DRIBBLER], input=json.dumps(request), timeout=limit + 30)
        assert result.returncode == 0, f"dribbler failed: {result.stdout}{result.stderr}"
        answer = json.loads(result.stdout)
        return answer["ending"], answer["seconds"]

    def slow_readers(self, path, readers, read_between=256 * 1024, rcvbuf=16384):
        """One connection per reader, all at once: GET path (Connection:
        close) with a small receive buffer, then for each pause of the
        reader: no read for that long, then read read_between bytes (after
        the last pause: to the end). [{"head", "length", "sha256", "ending":
        "eof" / "reset" / "timeout"}]."""
        request = {"host": self.host, "port": self.port, "readers": [list(r) for r in readers], "rcvbuf": rcvbuf,
                   "read_between": read_between,
                   "request": request_bytes("GET", path, headers=(("Host", "x"), ("Connection", "close"))).hex()}
        longest = max(sum(r) for r in readers)
        result = self._run([PYTHON, "-c", SLOW_READER], input=json.dumps(request), timeout=longest + 120)
        assert result.returncode == 0, f"slow reader failed: {result.stdout}{result.stderr}"
        return json.loads(result.stdout)


def request_bytes(method, path, headers=(("Host", "test"),), version="HTTP/1.1"):
    lines = [f"{method} {path} {version}"] + [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def assert_file_response(response, path, content, mtime):
    assert response.status == 200, (path, response)
    assert response.body == content, f"{path}: body differs ({len(response.body)} vs {len(content)} bytes)"
    assert response.header("content-length") == str(len(content))
    assert response.header("content-type") == expected_content_type(path)
    assert response.header("etag") == expected_etag(content)
    assert response.header("last-modified") == email.utils.formatdate(mtime, usegmt=True)
    assert response.header("server") == "keel-httpd"
    assert response.header("accept-ranges") == "bytes"


def assert_error_body(response, status, reason):
    assert response.status == status and response.reason == reason, response
    assert response.header("content-type") == "text/html; charset=utf-8"
    assert int(response.header("content-length")) == len(response.body)
    assert f"<h1>{status} {reason}</h1>".encode() in response.body, response.body


# ---- the checks ----------------------------------------------------------

def check_every_file(target, entries, skip_larger_than=2 * 1024 * 1024):
    """GET and HEAD of every embedded file: bytes and headers."""
    for path, (content, mtime) in sorted(entries.items()):
        if len(content) > skip_larger_than:
            continue
        assert_file_response(target.get(path), path, content, mtime)
        head = target.get(path, method="HEAD")
        assert head.status == 200 and head.body == b""
        assert head.header("content-length") == str(len(content))
        assert head.header("etag") == expected_etag(content)
    index, mtime = entries["/index.html"]
    assert_file_response(target.get("/"), "/index.html", index, mtime)


def check_date_header(target, tolerance=120):
    response = target.get("/index.html")
    date = email.utils.parsedate_to_datetime(response.header("date")).timestamp()
    assert abs(date - time.time()) < tolerance, response.header("date")
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", response.header("date"))


def check_keep_alive(target):
    """Two URLs in one curl: the second goes over the first's connection."""
    result = target.curl("-v", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n",
                         target.url("/index.html"), target.url("/style.css"))
    assert result.returncode == 0, result.stderr
    assert "Re-using existing connection" in result.stderr, result.stderr
    assert result.stdout.split() == ["1", "0"], result.stdout


def check_pipelining(target, entries):
    """Three requests in one write: three responses, in order."""
    payload = (request_bytes("GET", "/index.html") + request_bytes("GET", "/style.css") +
               request_bytes("HEAD", "/1k.bin", headers=(("Host", "test"), ("Connection", "close"))))
    data, closed, _ = target.raw(payload, half_close=False)
    responses = parse_responses(data, head_requests=(2,))
    assert [r.status for r in responses] == [200, 200, 200], responses
    assert responses[0].body == entries["/index.html"][0]
    assert responses[1].body == entries["/style.css"][0]
    assert responses[2].header("content-length") == str(len(entries["/1k.bin"][0]))
    assert responses[2].header("connection") == "close"
    assert closed is True
    # Byte by byte, the same requests still parse.
    data, closed, _ = target.raw(payload, chunks=[bytes([b]) for b in payload[:120]] + [payload[120:]],
                                 half_close=False)
    assert [r.status for r in parse_responses(data, head_requests=(2,))] == [200, 200, 200]


def check_ranges(target, entries):
    content, _ = entries["/1k.bin"]
    size = len(content)
    response = target.get("/1k.bin", "-r", "0-9")
    assert response.status == 206 and response.body == content[:10]
    assert response.header("content-range") == f"bytes 0-9/{size}"
    assert response.header("content-length") == "10"
    response = target.get("/1k.bin", "-r", "-100")
    assert response.status == 206 and response.body == content[-100:]
    assert response.header("content-range") == f"bytes {size - 100}-{size - 1}/{size}"
    response = target.get("/1k.bin", "-r", "1000-")
    assert response.status == 206 and response.body == content[1000:]
    response = target.get("/1k.bin", "-r", f"100-{size * 5}")
    assert response.status == 206 and response.body == content[100:]
    response = target.get("/1k.bin", "-r", f"{size}-")
    assert_error_body(response, 416, "Range Not Satisfiable")
    assert response.header("content-range") == f"bytes */{size}"
    check_multiple_ranges(target, content)
    # A matching If-Range keeps the range; a stale one gets the whole file.
    response = target.get("/1k.bin", "-r", "0-3", "-H", f"If-Range: {expected_etag(content)}")
    assert response.status == 206 and response.body == content[:4]
    response = target.get("/1k.bin", "-r", "0-3", "-H", 'If-Range: "stale"')
    assert response.status == 200 and response.body == content


def parse_byteranges(response, size):
    """The parts of a multipart/byteranges body (RFC 9110 14.6, RFC 2046
    5.1.1), strictly as keel writes them (no preamble or epilogue):
    [(first, last, content_type, data)]."""
    match = re.fullmatch(r"multipart/byteranges; boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})",
                         response.header("content-type") or "")
    assert match, response.headers
    delimiter = b"--" + match.group(1).encode()
    body = response.body
    assert int(response.header("content-length")) == len(body)
    assert response.header("content-range") is None        # only in the parts
    parts, at = [], 0
    assert body.startswith(delimiter + b"\r\n"), body[:100]
    while True:
        at += len(delimiter)
        if body[at:at + 4] == b"--\r\n":
            assert at + 4 == len(body), "bytes after the closing delimiter"
            return parts
        assert body[at:at + 2] == b"\r\n", body[at:at + 20]
        head_end = body.index(b"\r\n\r\n", at)
        headers = dict(line.split(": ", 1) for line in body[at + 2:head_end].decode("latin-1").split("\r\n"))
        first, last, total = map(int, re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", headers["Content-Range"]).groups())
        assert total == size and first <= last < size
        data_start = head_end + 4
        data = body[data_start:data_start + last - first + 1]
        parts.append((first, last, headers["Content-Type"], data))
        at = data_start + len(data)
        assert body[at:at + 2 + len(delimiter)] == b"\r\n" + delimiter, body[at:at + 40]
        at += 2


def check_multiple_ranges(target, content):
    """Several ranges (RFC 9110 14.6, 15.3.7.2; the policy is apps/httpd/http_range.h)."""
    size = len(content)

    def parts_of(spec):
        response = target.get("/1k.bin", "-r", spec)
        assert response.status == 206, (spec, response)
        return [(first, last, data) for first, last, kind, data in parse_byteranges(response, size)
                if kind == "application/octet-stream"]

    # Two ranges with a gap: exactly those, as two parts, in the requested order.
    assert parts_of("0-9,20-29") == [(0, 9, content[:10]), (20, 29, content[20:30])]
    assert parts_of("500-509,0-9") == [(500, 509, content[500:510]), (0, 9, content[:10])]
    # Suffix and open ranges mix; an unsatisfiable one is left out.
    assert parts_of(f"0-0,{size + 5}-,-1") == [(0, 0, content[:1]), (size - 1, size - 1, content[-1:])]
    assert parts_of("0-1,4-5,8-") == [(0, 1, content[:2]), (4, 5, content[4:6]), (8, size - 1, content[8:])]
    # Overlapping or adjacent ranges are merged; one range left is no multipart.
    for spec, first, last in (("0-9,5-14", 0, 14), ("10-19,0-9", 0, 19), ("0-9,20-29,5-25", 0, 29)):
        response = target.get("/1k.bin", "-r", spec)
        assert response.status == 206 and response.body == content[first:last + 1], (spec, response)
        assert response.header("content-range") == f"bytes {first}-{last}/{size}"
    assert parts_of("0-9,5-14,100-109") == [(0, 14, content[:15]), (100, 109, content[100:110])]
    # Each multipart response has a boundary of its own.
    first = target.get("/1k.bin", "-r", "0-0,2-2").header("content-type")
    assert first != target.get("/1k.bin", "-r", "0-0,2-2").header("content-type")
    # None satisfiable: 416.
    response = target.get("/1k.bin", "-r", f"{size}-,{size + 10}-{size + 20}")
    assert_error_body(response, 416, "Range Not Satisfiable")
    assert response.header("content-range") == f"bytes */{size}"
    # More than 32 ranges, or more bytes than the file has: the whole file, 200.
    many = ",".join(f"{i * 10}-{i * 10 + 1}" for i in range(33))
    response = target.get("/1k.bin", "-r", many)
    assert response.status == 200 and response.body == content
    assert len(parts_of(",".join(f"{i * 10}-{i * 10 + 1}" for i in range(32)))) == 32
    response = target.get("/1k.bin", "-r", "0-,0-,0-")
    assert response.status == 200 and response.body == content
    # A stale If-Range gets the whole file; HEAD gets the plain 200 head.
    response = target.get("/1k.bin", "-r", "0-1,5-6", "-H", 'If-Range: "stale"')
    assert response.status == 200 and response.body == content
    response = target.get("/1k.bin", "-r", "0-1,5-6", method="HEAD")
    assert response.status == 200 and response.header("content-length") == str(size)
    # Two multipart responses pipelined on one connection stay framed.
    request = request_bytes("GET", "/1k.bin", headers=(("Host", "test"), ("Range", "bytes=0-1,3-4")))
    data, _, _ = target.raw(request * 2, half_close=True)
    responses = parse_responses(data)
    assert [r.status for r in responses] == [206, 206]
    for response in responses:
        assert [(f, l, d) for f, l, _, d in parse_byteranges(response, size)] == [(0, 1, content[:2]),
                                                                                   (3, 4, content[3:5])]


def check_conditional(target, entries):
    content, mtime = entries["/style.css"]
    etag = expected_etag(content)
    last_modified = email.utils.formatdate(mtime, usegmt=True)
    # A later date, but not in the future (the server ignores those).
    later = max(mtime, min(mtime + 60, int(time.time()) - 2))
    for header in (f"If-None-Match: {etag}", f"If-None-Match: \"x\", W/{etag}", "If-None-Match: *",
                   f"If-Modified-Since: {last_modified}",
                   f"If-Modified-Since: {time.strftime('%A, %d-%b-%y %H:%M:%S GMT', time.gmtime(later))}",
                   f"If-Modified-Since: {time.strftime('%a %b %e %H:%M:%S %Y', time.gmtime(later))}"):
        response = target.get("/style.css", "-H", header)
        assert response.status == 304 and response.body == b"", (header, response)
        assert response.header("etag") == etag and response.header("content-length") is None
    for header in ('If-None-Match: "other"', f"If-Modified-Since: {email.utils.formatdate(mtime - 1, usegmt=True)}",
                   "If-Modified-Since: not a date",
                   # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
                   f"If-Modified-Since: {last_modified}\r\nIf-None-Match: \"other\""):
        args = []
        for line in header.split("\r\n"):
            args += ["-H", line]
        response = target.get("/style.css", *args)
        assert response.status == 200 and response.body == content, (header, response)


def check_errors(target):
    response = target.get("/no/such/file.html")
    assert_error_body(response, 404, "Not Found")
    response = target.get("/index.html", "-d", "x=1", method="POST")
    assert_error_body(response, 405, "Method Not Allowed")
    assert response.header("allow") == "GET, HEAD"
    response = target.get("/" + "a" * 9000)
    assert_error_body(response, 414, "URI Too Long")
    headers = []
    for i in range(101):
        headers += ["-H", f"X-Header-{i}: {i}"]
    assert_error_body(target.get("/index.html", *headers), 431, "Request Header Fields Too Large")
    assert_error_body(target.get("/index.html", "-H", "X-Big: " + "b" * 17000), 400, "Bad Request")
    for path in ("/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/%00"):
        assert_error_body(target.get(path), 400, "Bad Request")
    raw_cases = [
        (b"GET / HTTP/1.1\r\n\r\n", 400, "Bad Request"),                          # no Host
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP Version Not Supported"),
        (b"GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505, "HTTP Version Not Supported"),
        (b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad Request"),              # two spaces
        (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "Bad Request"),              # space before colon
        (b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400, "Bad Request"),  # obs-fold
        (b"GET / XTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad Request"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400, "Bad Request"),
    ]
    for payload, status, reason in raw_cases:
        data, closed, _ = target.raw(payload)
        responses = parse_responses(data)
        assert len(responses) == 1, (payload, data)
        assert_error_body(responses[0], status, reason)
        assert responses[0].header("connection") == "close" and closed is True, (payload, responses[0])


def check_http10_and_close(target, entries):
    """HTTP/1.0 without keep-alive and Connection: close both end the
    connection after the response; a GET with a body is still framed."""
    content = entries["/robots.txt"][0]
    for payload in (request_bytes("GET", "/robots.txt", headers=(), version="HTTP/1.0"),
                    request_bytes("GET", "/robots.txt", headers=(("Host", "x"), ("Connection", "close")))):
        data, closed, seconds = target.raw(payload, half_close=False, quiet=8)
        responses = parse_responses(data)
        assert len(responses) == 1 and responses[0].body == content and closed is True, (payload, responses)
        assert seconds < 5
    payload = request_bytes("GET", "/robots.txt", headers=(("Host", "x"), ("Connection", "keep-alive")),
                            version="HTTP/1.0")
    data, closed, _ = target.raw(payload, half_close=False, quiet=1.5)
    response = parse_responses(data)[0]
    assert response.header("connection") == "keep-alive" and closed is False
    body_request = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    data, closed, _ = target.raw(body_request + request_bytes("GET", "/style.css"))
    assert [r.status for r in parse_responses(data)] == [200, 200]


def check_large_download(target, path, content, timeout=120):
    """curl the file and compare it byte for byte (by SHA-256)."""
    body_file = target.workdir / "large"
    result = target.curl("-o", str(body_file), "-w", "%{http_code} %{size_download}", target.url(path),
                         timeout=timeout)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", str(len(content))], result.stdout
    received = body_file.read_bytes()
    body_file.unlink()
    assert hashlib.sha256(received).digest() == hashlib.sha256(content).digest(), "downloaded bytes differ"


# ---- request bodies (RFC 9112 6, 7.1) -------------------------------------

def chunked_request(method, path, body, extra_headers=()):
    """A request head with Transfer-Encoding: chunked, then body (bytes, already chunked)."""
    return request_bytes(method, path, headers=(("Host", "x"), ("Transfer-Encoding", "chunked"), *extra_headers)) + body


def assert_statuses(target, payload, statuses, closed=None, **raw_args):
    data, how_closed, _ = target.raw(payload, **raw_args)
    responses = parse_responses(data)
    assert [r.status for r in responses] == statuses, (payload[:200], responses)
    if closed is not None:
        assert how_closed is closed, (payload[:200], how_closed)
    return responses


def check_chunked_bodies(target, entries, max_body):
    """Valid chunked bodies are read and discarded, the requests behind them
    served; malformed ones are a 400, an over-limit one a 413, and close."""
    style = request_bytes("GET", "/style.css")
    valid_bodies = [
        b"5\r\nhello\r\n0\r\n\r\n",
        # Extensions ignored, upper-case hex, leading zeros, a trailer section, bare LFs.
        b"5;name=value;flag\r\nhello\r\n00A ; ext=\"q;x\"\r\n0123456789\r\n0;last\r\n"
        b"X-Trailer: one\r\nX-Sum: 15\r\n\r\n",
        b"3\nabc\n0\n\n",
    ]
    for body in valid_bodies:
        responses = assert_statuses(target, chunked_request("GET", "/robots.txt", body) + style, [200, 200],
                                    closed=True)
        assert responses[0].body == entries["/robots.txt"][0] and responses[1].body == entries["/style.css"][0]
    # Answered with 405 as before, the body read past; then HEAD behind it.
    payload = chunked_request("POST", "/index.html", b"4\r\ndata\r\n0\r\n\r\n") + request_bytes("HEAD", "/")
    data, _, _ = target.raw(payload)
    assert [r.status for r in parse_responses(data, head_requests=(1,))] == [405, 200]
    # The body arriving byte by byte, after the response went out.
    payload = chunked_request("GET", "/robots.txt", valid_bodies[1]) + style
    head_length = payload.index(b"\r\n\r\n") + 4
    data, _, _ = target.raw(payload, chunks=[payload[:head_length]] + [bytes([b]) for b in payload[head_length:]])
    assert [r.status for r in parse_responses(data)] == [200, 200]
    # A body that turns bad after the response went out: the connection closes, nothing else is answered.
    payload = chunked_request("GET", "/robots.txt", b"5\r\nhel")
    data, closed, _ = target.raw(b"", chunks=[payload, b"lo\r\nzz\r\n" + style], gap=0.5)
    assert [r.status for r in parse_responses(data)] == [200] and closed is True, (data, closed)
    # Exactly the limit, in two chunks, is accepted; one byte more is a 413.
    half = max_body // 2
    body = b"%x\r\n" % half + b"a" * half + b"\r\n%x\r\n" % (max_body - half) + b"b" * (max_body - half)
    assert_statuses(target, chunked_request("GET", "/robots.txt", body + b"\r\n0\r\n\r\n") + style, [200, 200])
    body = b"%x\r\n" % half + b"a" * half + b"\r\n%x\r\n" % (max_body - half + 1)
    responses = assert_statuses(target, chunked_request("GET", "/robots.txt", body) + style, [413], closed=True)
    assert_error_body(responses[0], 413, "Content Too Large")
    assert responses[0].header("connection") == "close"
    for bad in (b"zz\r\nhello\r\n0\r\n\r\n", b"-5\r\nhello\r\n0\r\n\r\n", b"\r\n0\r\n\r\n",
                b"5 x\r\nhello\r\n0\r\n\r\n", b"5\r\nhelloXX0\r\n\r\n", b"5\rX\nhello\r\n0\r\n\r\n",
                b"0\r\nbad trailer\r\n\r\n", b"1" * 20 + b"\r\n"):
        responses = assert_statuses(target, chunked_request("GET", "/robots.txt", bad) + style,
                                    [413 if bad.startswith(b"1" * 20) else 400], closed=True)
        assert responses[0].header("connection") == "close", bad


def check_body_framing(target, entries, max_body):
    """Request smuggling (RFC 9112 6.1, 6.3): two framings, differing
    lengths or chunked twice are a 400, unknown codings a 501, and close;
    an identical Content-Length list is one length."""
    style = request_bytes("GET", "/style.css")
    refused = [
        ((("Content-Length", "5"), ("Transfer-Encoding", "chunked")), 400),
        ((("Transfer-Encoding", "chunked"), ("Content-Length", "5")), 400),
        ((("Content-Length", "5, 6"),), 400),
        ((("Content-Length", "5"), ("Content-Length", "6")), 400),
        ((("Content-Length", "5,"),), 400),
        ((("Transfer-Encoding", "chunked, chunked"),), 400),
        ((("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")), 400),
        ((("Transfer-Encoding", "gzip"),), 501),
        ((("Transfer-Encoding", "gzip, chunked"),), 501),
        ((("Transfer-Encoding", "chunked, gzip"),), 501),
        ((("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "identity")), 501),
        ((("Content-Length", str(max_body + 1)),), 413),
    ]
    for headers, status in refused:
        payload = request_bytes("GET", "/robots.txt", headers=(("Host", "x"), *headers)) + b"hello" + style
        responses = assert_statuses(target, payload, [status], closed=True)
        assert responses[0].header("connection") == "close", headers
    # HTTP/1.0 with Transfer-Encoding: its framing is faulty (6.1).
    payload = request_bytes("GET", "/robots.txt", headers=(("Transfer-Encoding", "chunked"),), version="HTTP/1.0")
    assert_statuses(target, payload + b"0\r\n\r\n" + style, [400], closed=True)
    for value in ("5, 5", "5,5"):
        payload = request_bytes("GET", "/robots.txt", headers=(("Host", "x"), ("Content-Length", value)))
        assert_statuses(target, payload + b"hello" + style, [200, 200])
    # Bodies of requests we answer are read past: GET, HEAD, and POST's 405.
    for method, status in (("GET", 200), ("HEAD", 200), ("POST", 405), ("PUT", 405)):
        payload = request_bytes(method, "/robots.txt", headers=(("Host", "x"), ("Content-Length", "11")))
        data, _, _ = target.raw(payload + b"GET / HTTP/" + style)
        heads = (0,) if method == "HEAD" else ()
        assert [r.status for r in parse_responses(data, head_requests=heads)] == [status, 200], method


# ---- header limits (nginx: large_client_header_buffers 4 8k) -------------

def check_header_limits(target):
    """Request line and field lines of up to 8 KiB (line ending not
    counted) are accepted; one byte more is a 414 / 400; a header section
    over 32 KiB is a 400."""
    limit = 8192
    line_overhead = len("GET / HTTP/1.1")
    for length, status in ((limit - 1, 404), (limit, 404), (limit + 1, 414)):
        path = "/" + "a" * (length - line_overhead)
        payload = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        assert payload.index(b"\r\n") == length
        assert_statuses(target, payload, [status])
    for length, status in ((limit - 1, 200), (limit, 200), (limit + 1, 400)):
        field = ("X-Pad: " + "p" * (length - len("X-Pad: "))).encode()
        payload = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n" + field + b"\r\n\r\n"
        assert_statuses(target, payload, [status], closed=True if status == 400 else None)
    lines = [f"X-Pad-{i}: ".encode() + b"p" * 7990 for i in range(5)]
    within = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n" + b"\r\n".join(lines[:4]) + b"\r\n\r\n"
    assert_statuses(target, within, [200])
    over = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n" + b"\r\n".join(lines) + b"\r\n\r\n"
    assert_statuses(target, over, [400], closed=True)


# ---- timeouts (nginx's) ---------------------------------------------------

def check_read_timeouts(target, header_seconds, body_seconds, keepalive_seconds):
    """Nothing sent: closed after client_header_timeout; a head dribbled a
    byte at a time: closed then too (it bounds the whole head, as nginx's);
    a body that stops: after client_body_timeout; idle after a response:
    after keepalive_timeout. All at once."""
    longest = max(header_seconds, body_seconds, keepalive_seconds) + 10
    cases = {
        "header": (b"", header_seconds, 0),
        "body": (request_bytes("GET", "/robots.txt", headers=(("Host", "x"), ("Content-Length", "100"))) + b"x" * 10,
                 body_seconds, 1),
        "keepalive": (request_bytes("GET", "/robots.txt"), keepalive_seconds, 1),
    }
    with concurrent.futures.ThreadPoolExecutor(len(cases) + 1) as pool:
        dribbled = pool.submit(target.dribble, 0.2, longest)
        futures = {name: pool.submit(target.raw, payload, half_close=False, quiet=longest, limit=longest)
                   for name, (payload, _, _) in cases.items()}
        for name, (_, seconds_expected, responses_expected) in cases.items():
            data, closed, seconds = futures[name].result()
            assert len(parse_responses(data)) == responses_expected and closed in (True, "reset"), (name, data, closed)
            assert seconds_expected - 0.5 <= seconds <= seconds_expected + 4, (name, seconds)
        ending, seconds = dribbled.result()
        assert ending in ("eof", "reset") and header_seconds - 0.5 <= seconds <= header_seconds + 4, (ending, seconds)


def check_slow_reader(target, path, content, send_seconds, patient_pause):
    """Three readers of path at once, each with its receive window closed
    for a while. One pauses patient_pause seconds (less than send_timeout,
    more than the old 10 s idle timeout), then reads: the whole body
    arrives. One pauses twice, each time less than send_timeout but longer
    than it in all, and reads half the body in between: the whole body too
    (the timeout runs between two writes, not over the response). One pauses past send_timeout: the
    response is abandoned with a reset, never a FIN that would pass a
    truncated body off as complete."""
    assert patient_pause < send_seconds - 1
    twice = send_seconds * 0.6
    # Half the file between the pauses: more than the server's socket can hold, so that it must write again.
    patient, steady, abandoned = target.slow_readers(path, [[patient_pause], [twice, twice], [send_seconds + 4]],
                                                     read_between=len(content) // 2)
    for reader in (patient, steady):
        assert reader["head"].startswith("HTTP/1.1 200 "), reader
        assert reader["length"] == len(content) and reader["ending"] == "eof", reader
        assert reader["sha256"] == hashlib.sha256(content).hexdigest()
    assert abandoned["head"].startswith("HTTP/1.1 200 "), abandoned
    assert abandoned["ending"] == "reset" and abandoned["length"] < len(content), abandoned
