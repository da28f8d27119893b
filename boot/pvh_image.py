#!/usr/bin/env python3
"""pvh_image.py IN OUT - keel.elf without its multiboot1 header's magic, so
that QEMU's -kernel loader (which tries multiboot before the PVH note) enters
it by PVH: on -M microvm that skips the multiboot option ROM (a few ms under
TCG) and QEMU appends its virtio_mmio.device= words itself (with acpi=off).

Everything else is byte for byte keel.elf: the multiboot2 header (GRUB) and
the PVH note (XEN_ELFNOTE_PHYS32_ENTRY) stay. Multiboot 0.6.96 section 3.1.1:
the header is 32-bit aligned within the first 8192 bytes; this zeroes the
first such magic and fails when there is none.
"""
import pathlib
import sys

MULTIBOOT1_MAGIC = (0x1BADB002).to_bytes(4, "little")
MULTIBOOT1_SEARCH_BYTES = 8192


def zero_multiboot1_magic(data, name):
    """data (keel.elf's bytes) with its first multiboot1 magic zeroed;
    ValueError when there is none. bench/bench.py calls this too."""
    data = bytearray(data)
    at = next((offset for offset in range(0, MULTIBOOT1_SEARCH_BYTES, 4)
               if data[offset:offset + 4] == MULTIBOOT1_MAGIC), -1)
    if at < 0:
        raise ValueError(f"pvh_image: no multiboot1 header in the first {MULTIBOOT1_SEARCH_BYTES} bytes of {name}")
    data[at:at + 4] = bytes(4)
    return bytes(data)


def main():
    source, target = map(pathlib.Path, sys.argv[1:3])
    try:
        target.write_bytes(zero_multiboot1_magic(source.read_bytes(), source))
    except ValueError as error:
        sys.exit(str(error))

if __name__ == "__main__":
    main()
