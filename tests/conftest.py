"""pytest hooks and fixtures shared by tests/host and tests/qemu; nothing else.

The helpers the tests import live in tests/lib (put on sys.path here):
host_build (host compiler flags), qemu_boot (boot an image in QEMU),
netharness (a guest on a private network), httpd_guest, httpd_checks,
app_images, impairment, nc_transfer, tcp_raw_peer, tcp_stats. Test modules
import those, never this file nor each other.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "lib"))

import httpd_guest  # noqa: E402
from qemu_boot import (BUILD, KERNEL_EFI, KERNEL_ELF, KERNEL_ISO, QEMU, READY_LINE, ROOT, Boot,  # noqa: E402
                       BootResult, accel, boot, require_image)

# Re-exported for tests still written `from conftest import boot, ...` (new
# code imports qemu_boot).
__all__ = ["BUILD", "KERNEL_EFI", "KERNEL_ELF", "KERNEL_ISO", "QEMU", "READY_LINE", "ROOT", "Boot", "BootResult",
           "accel", "boot", "require_image"]


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): pytest-xdist runs a group's tests on one worker")


def pytest_collection_modifyitems(config, items):
    """`make test` runs two pytest-xdist workers with --dist loadgroup: every
    QEMU test goes to one of them, one guest at a time (two emulated CPUs
    on a 2-core host starve each other's vCPU of the time the timing tests
    measure), while the host unit tests and the fuzzers share the other."""
    qemu = pathlib.Path(__file__).resolve().parent / "qemu"
    for item in items:
        if qemu in pathlib.Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("qemu"))


@pytest.fixture
def kernel_elf():
    require_image(KERNEL_ELF)
    return KERNEL_ELF


@pytest.fixture(scope="module")
def large_image():
    """(image, site entries) of the httpd image serving the 10 MiB file of a
    site given with make WWW= (tests/lib/httpd_guest.py)."""
    return httpd_guest.large_site_image()
