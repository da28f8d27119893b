# disk.mk - $(BUILD)/keel.img: a raw GPT disk image that boots like a cloud
# boots it, from the disk alone and with no command line given: UEFI runs
# the GNU-EFI loader (\EFI\BOOT\BOOTX64.EFI, boot/efi/), a BIOS runs GRUB
# (i386-pc, in the BIOS boot partition), both from the same image. The kernel
# command line is in files on the disk's EFI system partition. Included by
# the top Makefile; boot/disk/make_disk.sh does the assembly (layout there).
#
#   make disk                       build/keel.img, command line DISK_CMDLINE
#   make disk CMDLINE="..."         with this kernel command line instead
#   make disk FORMAT=qcow2          also build/keel.qcow2 (any qemu-img output format)
#   make disk DISK_SIZE_MIB=1024    another disk size (default 64 MiB)

DISK_CMDLINE ?= $(DEFAULT_IP_CMDLINE) console=ttyS0
DISK_SIZE_MIB ?= 64
FORMAT ?= raw
DISK_RAW := $(BUILD)/keel.img
DISK_OUTPUT := $(if $(filter raw,$(FORMAT)),$(DISK_RAW),$(BUILD)/keel.$(FORMAT))
DISK_WORK := $(BUILD)/disk
# Outside the image: rewritten only when the command line changes.
DISK_CMDLINE_FILE := $(DISK_WORK)/keel.cmdline

.PHONY: disk disk-cmdline-force
disk: deps $(DISK_OUTPUT)

$(DISK_CMDLINE_FILE): export KEEL_DISK_CMDLINE = $(or $(CMDLINE),$(DISK_CMDLINE))
$(DISK_CMDLINE_FILE): disk-cmdline-force
	@mkdir -p $(dir $@)
	@printf '%s\n' "$$KEEL_DISK_CMDLINE" | cmp -s - $@ || printf '%s\n' "$$KEEL_DISK_CMDLINE" > $@

$(DISK_WORK)/grub.cfg: boot/disk/grub.cfg $(DISK_CMDLINE_FILE) boot/grub/cmdline.awk
	$(Q)awk -v cmdline_file=$(DISK_CMDLINE_FILE) -f boot/grub/cmdline.awk $< > $@

$(DISK_RAW): $(BUILD)/keel.elf $(BUILD)/BOOTX64.EFI $(DISK_WORK)/grub.cfg $(DISK_CMDLINE_FILE) \
		boot/disk/make_disk.sh boot/disk/disk.mk
	$(call quiet,DISK    $@)
	$(Q)sh boot/disk/make_disk.sh $@ $(DISK_SIZE_MIB) $(BUILD)/keel.elf $(BUILD)/BOOTX64.EFI \
		$(DISK_WORK)/grub.cfg $(DISK_CMDLINE_FILE) $(DISK_WORK)
	@echo "built $@ ($(DISK_SIZE_MIB) MiB, command line '$$(cat $(DISK_CMDLINE_FILE))')"

ifneq ($(FORMAT),raw)
$(BUILD)/keel.$(FORMAT): $(DISK_RAW)
	$(call quiet,QEMUIMG $@)
	$(Q)qemu-img convert -f raw -O $(FORMAT) $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"
endif
