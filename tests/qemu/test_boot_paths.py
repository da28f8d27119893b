"""Boot paths: the one kernel reaches the same ready state however it is
started, and the command line given to each loader reaches the kernel.

  kernel  QEMU -kernel (multiboot1)          command line: -append
  iso     GRUB ISO under SeaBIOS (multiboot2) command line: grub.cfg (make iso CMDLINE=)
  iso     GRUB ISO under OVMF (multiboot2)    command line: grub.cfg
  efi     BOOTX64.EFI under OVMF (efi)        command line: \\EFI\\BOOT\\keel.cmdline

Proof that a command line arrived: each run passes a key no module declares;
the kernel names it in a warning ("cmdline: unknown parameter 'k' ignored").
"""
import pathlib
import re
import subprocess
import time

import pytest

from qemu_boot import BUILD, KERNEL_EFI, KERNEL_ELF, ROOT, boot, require_image

BANNER = re.compile(r"keel (\S+) \(x86_64\) booted via (\S+), loader '(.*)'")
OVMF_TIMEOUT = 120


def kernel_version():
    text = (ROOT / "kernel" / "core" / "version.h").read_text()
    return re.search(r'#define KEEL_VERSION "([^"]+)"', text).group(1)


def probe_cmdline(path_name):
    """A known key plus one unknown key unique to this boot path."""
    return f"loglevel=7 boot_probe_{path_name}=1"


def assert_reached_ready(result, path, loader_prefix, probe_key):
    assert not result.timed_out, f"no '{'keel: ready'}' line in time:\n{result.log}"
    banner = BANNER.search(result.line_with("booted via"))
    assert banner, result.log
    version, booted_via, loader = banner.groups()
    assert version == kernel_version()
    assert booted_via == path
    assert loader.startswith(loader_prefix), f"loader name {loader!r}"
    assert re.search(r"memory: \d+ KiB usable RAM", result.log), result.log
    result.line_with("pci: ")
    result.line_with(f"cmdline: unknown parameter '{probe_key}' ignored")
    lines = result.lines()
    init_done = next(i for i, line in enumerate(lines) if "keel: init done in" in line)
    ready = next(i for i, line in enumerate(lines) if "keel: ready" in line)
    assert init_done < ready
    assert "panic" not in result.log.lower()


def timed_boot(**kwargs):
    start = time.monotonic()
    result = boot(**kwargs)
    print(f"boot {kwargs.get('kind')}/{kwargs.get('firmware', 'bios')}: {time.monotonic() - start:.1f} s")
    return result


@pytest.fixture(scope="module")
def probe_iso(tmp_path_factory):
    """An ISO built by boot/grub/iso.mk (make iso CMDLINE=...) around the
    kernel under test, in a scratch BUILD so the tree's build/ is untouched.
    `-o` keeps make from rebuilding the kernel: we test the one given."""
    require_image(KERNEL_ELF)
    build = tmp_path_factory.mktemp("iso-build")
    (build / "keel.elf").write_bytes(KERNEL_ELF.read_bytes())
    result = subprocess.run(["make", "-s", "-C", str(ROOT), f"BUILD={build}", f"-o{build}/keel.elf",
                             f"CMDLINE={probe_cmdline('iso')}", "iso"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"make iso failed:\n{result.stdout}\n{result.stderr}"
    grub_cfg = (build / "iso" / "boot" / "grub" / "grub.cfg").read_text()
    assert f"multiboot2 /boot/keel.elf {probe_cmdline('iso')}" in grub_cfg
    return build / "keel.iso"


def test_qemu_kernel_multiboot1(kernel_elf):
    result = timed_boot(kind="kernel", cmdline=probe_cmdline("kernel"), timeout=60)
    assert_reached_ready(result, "multiboot1", "qemu", "boot_probe_kernel")


def test_iso_seabios_multiboot2(probe_iso):
    result = timed_boot(kind="iso", image=probe_iso, firmware="bios", timeout=60)
    assert_reached_ready(result, "multiboot2", "GRUB", "boot_probe_iso")


def test_iso_ovmf_multiboot2(probe_iso):
    result = timed_boot(kind="iso", image=probe_iso, firmware="uefi", timeout=OVMF_TIMEOUT)
    assert_reached_ready(result, "multiboot2", "GRUB", "boot_probe_iso")


def test_efi_loader_ovmf():
    require_image(KERNEL_EFI)
    # A two-line keel.cmdline: the loader joins lines with a space.
    cmdline = probe_cmdline("efi").replace(" ", "\n")
    result = timed_boot(kind="efi", image=KERNEL_EFI, firmware="uefi", cmdline=cmdline, timeout=OVMF_TIMEOUT)
    assert_reached_ready(result, "efi", "keel-efi", "boot_probe_efi")
    assert re.search(r"keel-efi: loading kernel \(\d+ bytes\)", result.log), result.log
    result.line_with(f"command line: {probe_cmdline('efi')}")
    # The RSDP came from the EFI configuration table: ACPI found its tables.
    assert re.search(r"acpi: rev \d+ OEM", result.log), result.log
