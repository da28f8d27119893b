"""Kernel core seen from the serial console: self tests, the panic paths and
the command-line contract (DEVELOPERS.md). All boots use the multiboot1
-kernel path, the fastest under TCG."""
import re

import pytest

from qemu_boot import boot

SELFTESTS = ["pagefault", "divzero", "heap", "pages", "timer", "clock", "acpi", "pci"]


def run_selftests(names, **kwargs):
    result = boot(cmdline="keel.selftest=" + ",".join(names), until="selftest: done:", timeout=60, **kwargs)
    result.line_with("selftest: done:")
    return result


@pytest.mark.parametrize("name", SELFTESTS)
def test_selftest_passes(kernel_elf, name):
    result = run_selftests([name])
    assert f"selftest: {name}: PASS" in result, result.log
    assert "selftest: done: 1 passed, 0 failed" in result


def test_selftest_all_runs_every_nondestructive_test(kernel_elf):
    result = run_selftests(["all"])
    done = result.line_with("selftest: done:")
    passed, failed = map(int, re.search(r"(\d+) passed, (\d+) failed", done).groups())
    assert failed == 0, result.log
    assert passed >= len(SELFTESTS)
    assert "deliberate panic" not in result


def test_unknown_selftest_fails_loudly(kernel_elf):
    result = run_selftests(["no-such-test"])
    assert "selftest: no-such-test: FAIL (no such test" in result
    assert "selftest: done: 0 passed, 1 failed" in result


def test_pagefault_report_names_vector_error_code_rip_and_cr2(kernel_elf):
    result = run_selftests(["pagefault"])
    line = result.line_with("exception 14 (page fault)")
    assert re.search(r"error code 0x0 at rip 0x[0-9a-f]+ cr2 0x8 \(not-present page, read\)", line), line


DESTRUCTIVE = {
    # name: what the panic line must say
    "panic": "selftest: deliberate panic",
    "nullderef": "unhandled CPU exception 14 (page fault)",
    "stackprotector": "stack protector: stack smashed",
    "doublefree": "double free",
}


@pytest.mark.parametrize("name", sorted(DESTRUCTIVE))
def test_panic_path_reports_and_reboots(kernel_elf, name):
    # panic=-1 reboots at once; with -no-reboot QEMU then exits by itself.
    result = boot(cmdline=f"keel.selftest={name} panic=-1", until=None, timeout=30)
    assert not result.timed_out, "QEMU did not exit: panic=-1 should reboot"
    assert re.search("Kernel panic - not syncing: .*" + re.escape(DESTRUCTIVE[name]), result.log), result.log
    assert "backtrace:" in result
    # Symbol names come from the link-time symbol table.
    # (The overflow in the stackprotector test smashes the frames above it.)
    caller = "__stack_chk_fail" if name == "stackprotector" else "kmain"
    assert re.search(r"\[<[0-9a-f]{16}>\] " + caller + r"\+0x[0-9a-f]+", result.log), result.log
    assert "---[ end Kernel panic ]---" in result
    if name == "nullderef":
        assert re.search(r"RIP: [0-9a-f]{16} RSP: ", result.log)
        assert "CR2: 0000000000000010" in result


def test_panic_zero_halts_without_reboot(kernel_elf):
    result = boot(cmdline="keel.selftest=panic", until="---[ end Kernel panic ]---", settle=2, timeout=30)
    assert "---[ end Kernel panic ]---" in result
    assert result.returncode != 0 or not result.timed_out  # killed by us after settling: still running


def test_bad_command_line_warns_and_boots(kernel_elf):
    cmdline = ('foo=bar keel.nonsense=1 =oops bare-word "quoted value=x" loglevel=notanumber '
               'sysctl.kernel.panic=0 sysctl.net.nope=1 sysctl.kernel/panic=abc ' + "x" * 300 + "=y")
    result = boot(cmdline=cmdline)
    assert "keel: ready" in result, result.log
    for key in ("foo", "keel.nonsense", "bare-word"):
        assert f"cmdline: unknown parameter '{key}' ignored" in result, result.log
    assert "cmdline: loglevel=notanumber is not a number" in result
    assert "unknown parameter 'sysctl." not in result
    assert "sysctl: kernel.panic = 0" in result
    assert "sysctl: unknown tunable 'net.nope' ignored" in result
    assert "sysctl: kernel.panic=abc rejected" in result
    assert "Kernel panic" not in result


def test_command_line_over_limit_does_not_crash(kernel_elf):
    words = " ".join(f"k{i}=v" for i in range(400))
    result = boot(cmdline=words)
    assert "keel: ready" in result, result.log
    assert "words beyond the first" in result


def test_loglevel_filters_console(kernel_elf):
    quiet = boot(cmdline="loglevel=4 foo=1")
    # Notice (5) and info (6) lines vanish at loglevel=4; warnings (4) do not
    # either, as in Linux (printed only when level < loglevel); the contract
    # line is printed whatever the level.
    assert "booted via" not in quiet.log
    assert "memory map" not in quiet.log
    assert "unknown parameter 'foo'" not in quiet.log
    assert "keel: ready" in quiet.log
    warn = boot(cmdline="loglevel=5 foo=1")
    assert "unknown parameter 'foo'" in warn.log
    assert "booted via" not in warn.log
    noisy = boot(cmdline="")
    assert "booted via multiboot1" in noisy


def test_boot_time_is_reported(kernel_elf):
    result = boot(cmdline="")
    line = result.line_with("keel: init done in")
    milliseconds = float(re.search(r"init done in ([0-9.]+) ms", line).group(1))
    assert 0 < milliseconds < 10_000


def test_help_lists_every_key_and_sysctl(kernel_elf):
    result = boot(cmdline="keel.help")
    for key in ("console", "loglevel", "panic", "keel.selftest", "keel.irq", "ip", "sysctl."):
        assert re.search(r"^  " + re.escape(key) + r" +\S", result.log, re.M), key
    assert re.search(r"^  kernel\.panic +=", result.log, re.M)
    assert "unknown parameter 'keel.help'" not in result
