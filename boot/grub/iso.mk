# iso.mk - $(BUILD)/keel.iso: a GRUB rescue image that boots the kernel by
# multiboot2 (first menu entry) or multiboot1 (second), from BIOS (El Torito)
# and from UEFI (the image's EFI system partition with GRUB x86_64-efi).
# Included by the top Makefile.
#
#   make iso                      build it
#   make iso CMDLINE="a=1 b=2"    with this kernel command line in grub.cfg

ISO_STAGING := $(BUILD)/iso
# Outside the staging tree, so that it is not part of the image.
ISO_CMDLINE_STAMP := $(BUILD)/iso.cmdline
# Only what the menu needs: smaller image, faster boot (GRUB reads fewer files).
# The part_* modules: the EFI core image of grub-mkrescue loads every one of them.
ISO_GRUB_MODULES := multiboot multiboot2 normal serial terminal echo test \
	$(notdir $(basename $(wildcard /usr/lib/grub/x86_64-efi/part_*.mod)))

.PHONY: iso FORCE
iso: deps $(BUILD)/keel.iso

# Rewritten only when CMDLINE changes, so the ISO rebuilds exactly then. The
# value travels through the environment: any characters survive the shell.
$(ISO_CMDLINE_STAMP): export KEEL_ISO_CMDLINE = $(CMDLINE)
$(ISO_CMDLINE_STAMP): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' "$$KEEL_ISO_CMDLINE" | cmp -s - $@ || printf '%s\n' "$$KEEL_ISO_CMDLINE" > $@

$(ISO_STAGING)/boot/grub/grub.cfg: boot/grub/grub.cfg $(ISO_CMDLINE_STAMP) boot/grub/cmdline.awk
	@mkdir -p $(dir $@)
	$(Q)awk -v cmdline_file=$(ISO_CMDLINE_STAMP) -f boot/grub/cmdline.awk $< > $@

$(ISO_STAGING)/boot/keel.elf: $(BUILD)/keel.elf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(BUILD)/keel.iso: $(ISO_STAGING)/boot/keel.elf $(ISO_STAGING)/boot/grub/grub.cfg boot/grub/iso.mk
	$(call quiet,ISO     $@)
	$(Q)grub-mkrescue --install-modules="$(ISO_GRUB_MODULES)" --fonts= --locales= --themes= \
		-o $@ $(ISO_STAGING) 2>$(ISO_STAGING).log || { cat $(ISO_STAGING).log >&2; exit 1; }
	@echo "built $@ ($$(stat -c %s $@) bytes)"
