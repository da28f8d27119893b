#!/bin/sh
# make_disk.sh - assembles build/keel.img (boot/disk/disk.mk runs it): a raw
# disk with a GPT that boots under UEFI and under a BIOS, without root, loop
# devices or mounts.
#
#   make_disk.sh OUTPUT SIZE_MIB KEEL_ELF BOOTX64_EFI GRUB_CFG CMDLINE_FILE WORKDIR
#
# Layout (512-byte sectors):
#   LBA 0            protective MBR carrying GRUB's boot.img (BIOS entry)
#   LBA 1-33         primary GPT (and the backup GPT in the last 33 sectors)
#   partition 1      LBA 2048-4095, BIOS boot partition (EF02): GRUB's i386-pc
#                    core.img, which boot.img loads by its first sector
#   partition 2      LBA 4096-end, EFI system partition (EF00, FAT):
#                      \EFI\BOOT\BOOTX64.EFI   GNU-EFI loader with the kernel inside
#                      \EFI\BOOT\keel.cmdline  its kernel command line (UEFI)
#                      \boot\keel.elf          the kernel, for GRUB's multiboot2
#                      \boot\grub\grub.cfg     GRUB's menu with the command line (BIOS)
# The disk and partition GUIDs and the FAT serial are fixed, so the same
# inputs give the same partition table.
set -eu
# Debian installs sgdisk in /usr/sbin, which is not on a normal user's PATH.
PATH=$PATH:/usr/sbin:/sbin

if [ $# -ne 7 ]; then
	echo "usage: $0 OUTPUT SIZE_MIB KEEL_ELF BOOTX64_EFI GRUB_CFG CMDLINE_FILE WORKDIR" >&2
	exit 2
fi
output=$1 size_mib=$2 kernel_elf=$3 efi_loader=$4 grub_cfg=$5 cmdline_file=$6 workdir=$7

GRUB_PC=/usr/lib/grub/i386-pc
SECTOR=512
BIOS_BOOT_FIRST=2048
BIOS_BOOT_LAST=4095
ESP_FIRST=4096
GPT_SECTORS=33          # header + 128 entries of 128 bytes, at each end
# GRUB's boot.img: 8-byte LBA of core.img's first sector (GRUB_BOOT_MACHINE_KERNEL_SECTOR).
BOOT_IMG_KERNEL_SECTOR=92
# boot.img's code ends where the MBR's disk signature and partition table begin.
MBR_CODE_BYTES=440
# core.img's first sector (diskboot.img) ends with a 12-byte block list entry
# {u64 first LBA, u16 sectors, u16 segment}: the rest of core.img. grub-mkimage
# fills the length; the LBA is the installer's job.
DISKBOOT_BLOCKLIST=$((SECTOR - 12))
# Modules built into core.img, so that GRUB needs no module files on the ESP.
GRUB_MODULES="biosdisk part_gpt fat normal configfile multiboot2 serial terminal echo test"

# Writes the $2 little-endian bytes of the number $1 to stdout.
little_endian() {
	value=$1 count=$2 escapes=""
	while [ "$count" -gt 0 ]; do
		escapes="$escapes$(printf '\\0%03o' $((value & 255)))"
		value=$((value >> 8))
		count=$((count - 1))
	done
	printf '%b' "$escapes"
}

# Writes stdin at byte offset $2 of file $1 without truncating it.
write_at() {
	dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

total_sectors=$((size_mib * 1024 * 1024 / SECTOR))
esp_last=$((total_sectors - GPT_SECTORS - 1))   # the last usable LBA
esp_sectors=$((esp_last - ESP_FIRST + 1))
if [ "$esp_sectors" -lt $((16 * 1024 * 1024 / SECTOR)) ]; then
	echo "make_disk.sh: ${size_mib} MiB is too small (the ESP needs 16 MiB)" >&2
	exit 1
fi

mkdir -p "$workdir"
image=$workdir/disk.img
rm -f "$image"
truncate -s "$((total_sectors * SECTOR))" "$image"

sgdisk --disk-guid=4b45454c-0000-4000-8000-000000000000 \
	--new=1:$BIOS_BOOT_FIRST:$BIOS_BOOT_LAST --typecode=1:EF02 --change-name=1:"BIOS boot" \
	--partition-guid=1:4b45454c-0000-4000-8000-000000000001 \
	--new=2:$ESP_FIRST:$esp_last --typecode=2:EF00 --change-name=2:"EFI system" \
	--partition-guid=2:4b45454c-0000-4000-8000-000000000002 \
	"$image" >/dev/null

# The EFI system partition: FAT, files copied in with mtools at its offset.
esp="$image@@$((ESP_FIRST * SECTOR))"
mformat -i "$esp" -T "$esp_sectors" -H "$ESP_FIRST" -h 64 -s 32 -N 4b45454c -v KEEL ::
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub
mcopy -i "$esp" "$efi_loader" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$cmdline_file" ::/EFI/BOOT/keel.cmdline
mcopy -i "$esp" "$kernel_elf" ::/boot/keel.elf
mcopy -i "$esp" "$grub_cfg" ::/boot/grub/grub.cfg

# GRUB for BIOS: core.img finds grub.cfg on partition 2 of the disk it was
# loaded from ("(,gpt2)": the boot drive).
core=$workdir/core.img
# shellcheck disable=SC2086 # one argument per module
grub-mkimage -O i386-pc -d "$GRUB_PC" -p "(,gpt2)/boot/grub" -o "$core" $GRUB_MODULES
core_sectors=$(( ($(stat -c %s "$core") + SECTOR - 1) / SECTOR ))
if [ "$core_sectors" -gt $((BIOS_BOOT_LAST - BIOS_BOOT_FIRST + 1)) ]; then
	echo "make_disk.sh: core.img ($core_sectors sectors) does not fit the BIOS boot partition" >&2
	exit 1
fi
little_endian $((BIOS_BOOT_FIRST + 1)) 8 | write_at "$core" "$DISKBOOT_BLOCKLIST"
dd if="$core" of="$image" bs=$SECTOR seek=$BIOS_BOOT_FIRST conv=notrunc status=none

# boot.img's code into the protective MBR (its partition table stays), told
# where core.img starts.
dd if="$GRUB_PC/boot.img" of="$image" bs=$MBR_CODE_BYTES count=1 conv=notrunc status=none
little_endian $BIOS_BOOT_FIRST 8 | write_at "$image" "$BOOT_IMG_KERNEL_SECTOR"

sgdisk --verify "$image" >/dev/null
mv "$image" "$output"
