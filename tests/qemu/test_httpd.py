"""apps/httpd on keel, checked with curl and raw sockets from the host side
of a tap in a private network namespace (tests/lib/httpd_checks.py: the
same checks the Linux build passes in tests/host/test_apps_linux.py).

The default image (APP=httpd, the default site plus the generated 1 MiB
file) boots once under e1000 and serves every check: GET and HEAD of every
embedded file (bytes, Content-Length, Content-Type, ETag, Last-Modified),
Date, keep-alive reuse, pipelining, ranges (206/416), conditional requests
(304), every error status (400, 404, 405, 413, 414, 431, 501, 505), HTTP/1.0
and Connection: close, request bodies (chunked, smuggling attempts, the
size limit, pipelining behind them), header limits, nginx's four timeouts
(a slow reader outlasting the old 10 s idle timeout, a reset when
send_timeout abandons a response), and options from the command line.

A second image, built with `make WWW=<a test site>` and a generated 10 MiB
file, boots under each driver (e1000, e1000e, virtio-net) and serves the
10 MiB file byte-exact, plus a file whose name needs percent-encoding
(the image: the large_image fixture of tests/conftest.py).

Every check is skipped with a message when the image has no SOCK_STREAM
protocol (the httpd then exits at socket()).
"""
import pytest

import httpd_checks
from httpd_guest import TEST_SITE, start_guest, stop_guest
from netharness import require_network_namespaces
from qemu_boot import BUILD, KERNEL_ELF, ROOT, require_image

# Short timeouts keep the checks quick; send_timeout is longer than the old
# 10 s idle timeout, so that a slow reader can be shown to outlast it.
HEADER_SECONDS, BODY_SECONDS, KEEPALIVE_SECONDS, SEND_SECONDS = 2, 3, 5, 13
MAX_BODY = 1024
OPTIONS = (f"keel.httpd.client-header-timeout={HEADER_SECONDS} keel.httpd.client-body-timeout={BODY_SECONDS} "
           f"keel.httpd.keepalive-timeout={KEEPALIVE_SECONDS} keel.httpd.send-timeout={SEND_SECONDS} "
           f"keel.httpd.client-max-body-size={MAX_BODY} keel.httpd.maxconn=200")


@pytest.fixture(scope="module")
def guest(request):
    require_image(KERNEL_ELF)
    require_network_namespaces()
    net = start_guest(request, KERNEL_ELF, "e1000", "pc", OPTIONS)
    entries = httpd_checks.site_entries(ROOT / "apps" / "httpd" / "www", BUILD / "gen" / "httpd_site_generated")
    target = httpd_checks.HttpTarget(net.run, net.guest_ip, 80, workdir=net.workdir)
    yield net, target, entries
    stop_guest(request, net)


def test_startup_lines(guest):
    net, _, entries = guest
    log = net.log
    line = next(line for line in log.splitlines() if line.startswith("httpd: "))
    assert f"httpd: {len(entries)} files" in line and "up to 200 connections" in line
    assert (f"timeouts (s): header {HEADER_SECONDS}, body {BODY_SECONDS}, send {SEND_SECONDS}, "
            f"keep-alive {KEEPALIVE_SECONDS}; request bodies up to {MAX_BODY} bytes") in line
    assert log.index(line) < log.index("keel: ready"), "ready must come once the server waits for clients"
    assert log.count("keel: ready") == 1


def test_every_file(guest):
    _, target, entries = guest
    httpd_checks.check_every_file(target, entries)
    httpd_checks.check_date_header(target)


def test_keep_alive_and_pipelining(guest):
    _, target, entries = guest
    httpd_checks.check_keep_alive(target)
    httpd_checks.check_pipelining(target, entries)
    httpd_checks.check_http10_and_close(target, entries)


def test_ranges_and_conditionals(guest):
    _, target, entries = guest
    httpd_checks.check_ranges(target, entries)
    httpd_checks.check_conditional(target, entries)


def test_error_statuses(guest):
    _, target, _ = guest
    httpd_checks.check_errors(target)


def test_request_bodies(guest):
    _, target, entries = guest
    httpd_checks.check_chunked_bodies(target, entries, MAX_BODY)
    httpd_checks.check_body_framing(target, entries, MAX_BODY)


def test_header_limits(guest):
    _, target, _ = guest
    httpd_checks.check_header_limits(target)


def test_timeouts(guest):
    """The read timeouts, then two slow readers of 1 MiB at once (keel's
    send buffer holds far less): one outlasts the old 10 s idle timeout,
    one is reset by send_timeout."""
    _, target, entries = guest
    httpd_checks.check_read_timeouts(target, HEADER_SECONDS, BODY_SECONDS, KEEPALIVE_SECONDS)
    httpd_checks.check_slow_reader(target, "/1m.bin", entries["/1m.bin"][0], SEND_SECONDS, patient_pause=11)


def test_one_megabyte(guest):
    _, target, entries = guest
    httpd_checks.check_large_download(target, "/1m.bin", entries["/1m.bin"][0])


def test_guest_healthy_after_checks(guest):
    net, _, _ = guest
    assert "panic" not in net.log.lower() and "exited with status" not in net.log, net.log[-3000:]
    assert net.ping(count=3, deadline=10)["received"] == 3


# ---- the 10 MiB file under every driver, from a site given with WWW= ----

@pytest.mark.parametrize("nic,machine", [("e1000", "pc"), ("e1000e", "q35"), ("virtio-net-pci", "pc")],
                         ids=["e1000", "e1000e", "virtio-net"])
def test_ten_megabytes_per_driver(request, large_image, nic, machine):
    require_network_namespaces()
    image, entries = large_image
    net = start_guest(request, image, nic, machine, "")
    try:
        if net.device_line("eth0") is None:
            pytest.skip(f"no eth0 with -device {nic}")
        target = httpd_checks.HttpTarget(net.run, net.guest_ip, 80, workdir=net.workdir)
        response = target.get("/sub%20dir/hello%20world.txt")
        assert response.status == 200 and response.body == TEST_SITE["sub dir/hello world.txt"]
        assert response.header("content-type") == "text/plain; charset=utf-8"
        httpd_checks.check_large_download(target, "/10m.bin", entries["/10m.bin"][0], timeout=180)
        assert target.get("/1m.bin").status == 404  # only the default site gets the generated 1 MiB file
    finally:
        stop_guest(request, net)
