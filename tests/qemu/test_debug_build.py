"""The DEBUG=1 build: it must build cleanly, pass the heap self test with
poisoning on, and turn a heap overflow into a panic."""
import os
import pathlib
import subprocess

import pytest

from qemu_boot import ROOT, Boot


@pytest.fixture(scope="module")
def debug_elf(tmp_path_factory):
    build = tmp_path_factory.mktemp("build-debug")
    result = subprocess.run(["make", "-C", str(ROOT), f"BUILD={build}", "DEBUG=1", "-j2", f"{build}/keel.elf"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return pathlib.Path(build) / "keel.elf"


def test_debug_build_heap_selftest_passes(debug_elf):
    result = Boot(debug_elf, cmdline="keel.selftest=heap,pages").run(until="selftest: done:", timeout=60)
    assert "selftest: heap: PASS" in result, result.log
    assert "selftest: done: 2 passed, 0 failed" in result


def test_debug_build_detects_heap_overflow(debug_elf):
    result = Boot(debug_elf, cmdline="keel.selftest=heapoverflow panic=-1").run(until=None, timeout=30)
    assert "write past the end of a 40 byte block" in result, result.log
    assert "Kernel panic" in result


def test_release_build_does_not_claim_overflow_detection(kernel_elf):
    result = Boot(kernel_elf, cmdline="keel.selftest=heapoverflow").run(until="selftest: done:", timeout=30)
    assert "selftest: heapoverflow: FAIL (a write past the end" in result, result.log
