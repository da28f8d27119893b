"""pytest hooks and fixtures shared by tests/host and tests/qemu; nothing else.

The helpers the tests import live in tests/lib (put on sys.path here):
host_build (host compiler flags), qemu_boot (boot an image in QEMU),
netharness (a guest on a private network), httpd_guest, httpd_checks,
app_images, impairment, nc_transfer, tcp_transfer, tcp_raw_peer, tcp_stats. Test modules
import those, never this file nor each other.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "lib"))

import httpd_guest  # noqa: E402
import module_queue  # noqa: E402
from qemu_boot import (BUILD, KERNEL_EFI, KERNEL_ELF, KERNEL_ISO, QEMU, READY_LINE, ROOT, Boot,  # noqa: E402
                       BootResult, accel, boot, require_image)

# Re-exported for tests still written `from conftest import boot, ...` (new
# code imports qemu_boot).
__all__ = ["BUILD", "KERNEL_EFI", "KERNEL_ELF", "KERNEL_ISO", "QEMU", "READY_LINE", "ROOT", "Boot", "BootResult",
           "accel", "boot", "require_image"]


MODULE_SECONDS = pathlib.Path(__file__).resolve().parent / "qemu" / "module_seconds.txt"


def pytest_addoption(parser):
    module_queue.add_option(parser)


def pytest_runtestloop(session):
    """With --module-queue, run only the modules this process claims
    (tests/lib/module_queue.py); otherwise pytest's own loop."""
    queue = session.config.getoption(module_queue.QUEUE_OPTION.lstrip("-").replace("-", "_"))
    if queue is None or session.config.option.collectonly:
        return None
    if session.testsfailed and not session.config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error(s) during collection")
    return module_queue.run_claimed_modules(session, queue, MODULE_SECONDS)


@pytest.fixture
def kernel_elf():
    require_image(KERNEL_ELF)
    return KERNEL_ELF


@pytest.fixture(scope="module")
def large_image():
    """(image, site entries) of the httpd image serving the 10 MiB file of a
    site given with make WWW= (tests/lib/httpd_guest.py)."""
    return httpd_guest.large_site_image()
