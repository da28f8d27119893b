"""apps/httpd guests for the QEMU tests (tests/qemu/test_httpd.py,
test_offload.py): start_guest() boots an httpd image on a GuestNetwork and
waits until the server listens (skipping when the image has no TCP, failing
when the app exited); stop_guest() keeps the artifacts of a failed test;
large_site_image() builds the variant image whose site (TEST_SITE, given
with make WWW=) also holds a generated 10 MiB file.
"""
import os
import re

import pytest

import httpd_checks
from app_images import variant_dir, variant_image
from netharness import GuestNetwork

NO_TCP = "httpd: socket: Protocol not supported"

TEST_SITE = {
    "index.html": b"<!DOCTYPE html>\n<title>variant</title><p>a site given with make WWW=</p>\n",
    "sub dir/hello world.txt": b"spaces need percent-encoding\n",
}
SITE_MTIME = 1700000000


def start_guest(request, image, nic, machine, cmdline):
    """Boots until the server waits for clients (or the app gave up)."""
    net = GuestNetwork(nic=nic, machine=machine, image=image, cmdline=cmdline)
    net.failed_before = request.session.testsfailed
    try:
        net.start(until=re.compile(r"keel: ready|exited with status"), timeout=60)
    except Exception:
        net.keep_artifacts = True
        net.stop()
        raise
    if NO_TCP in net.log:
        net.stop()
        pytest.skip("the image has no SOCK_STREAM protocol (TCP has not landed): httpd cannot listen")
    if "exited with status" in net.log:
        net.keep_artifacts = True
        net.stop()
        pytest.fail(f"httpd exited:\n{net.log[-3000:]}")
    net.ping(count=1, deadline=10)
    return net


def stop_guest(request, net):
    if request.session.testsfailed > net.failed_before:
        net.keep_artifacts = True
    net.stop()


def large_site_image():
    """(image, site entries) of APP=httpd with TEST_SITE plus 10m.bin."""
    site = variant_dir("httpd-10m") / "site"
    for name, content in TEST_SITE.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
        os.utime(path, (SITE_MTIME, SITE_MTIME))
    image = variant_image("httpd-10m", "APP=httpd", f"WWW={site}", "HTTPD_GENERATED=10m.bin:10485760")
    generated = image.parent / "gen" / "httpd_site_generated"
    return image, httpd_checks.site_entries(site, generated)
