# efi.mk - $(BUILD)/BOOTX64.EFI: the GNU-EFI loader of boot/efi/ with the
# kernel ($(BUILD)/keel64.elf) embedded as data. Included by the top Makefile.
#
#   make efi    build it; copy it to \EFI\BOOT\BOOTX64.EFI on a FAT drive and
#               put the command line in \EFI\BOOT\keel.cmdline

EFI_BUILD := $(BUILD)/efi
GNU_EFI_LIBDIR := /usr/lib
GNU_EFI_INCLUDE := /usr/include/efi

# The firmware calls through ms_abi function pointers (GNU_EFI_USE_MS_ABI);
# the image is position independent and relocated by gnu-efi's _relocate.
EFI_CFLAGS := -std=gnu11 -ffreestanding -fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-strict-aliasing -fno-asynchronous-unwind-tables -fcf-protection=none \
	-DGNU_EFI_USE_MS_ABI -maccumulate-outgoing-args \
	-isystem $(GNU_EFI_INCLUDE) -isystem $(GNU_EFI_INCLUDE)/x86_64 -I. \
	-Wall -Wextra -Werror -Wno-unused-parameter -O2 -g -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T $(GNU_EFI_LIBDIR)/elf_x86_64_efi.lds \
	-L$(GNU_EFI_LIBDIR) -z noexecstack --no-warn-rwx-segments
EFI_SECTIONS := .text .sdata .data .dynamic .dynsym .rel .rela .rel.* .rela.* .reloc

EFI_C_SOURCES := $(wildcard boot/efi/*.c)
EFI_OBJECTS := $(EFI_C_SOURCES:boot/efi/%.c=$(EFI_BUILD)/%.o)

.PHONY: efi
efi: deps $(BUILD)/BOOTX64.EFI

$(EFI_BUILD)/%.o: boot/efi/%.c
	@mkdir -p $(dir $@)
	$(call quiet,EFICC   $<)
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

# The kernel (without debug information) as a read-only blob; cd so the
# symbol names do not depend on BUILD.
$(EFI_BUILD)/keel64.elf: $(BUILD)/keel64.stripped.elf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(EFI_BUILD)/keel_kernel.o: $(EFI_BUILD)/keel64.elf
	@mkdir -p $(dir $@)
	$(call quiet,BLOB    $<)
	$(Q)cd $(EFI_BUILD) && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata.keel_kernel,alloc,load,readonly,data,contents \
		--set-section-alignment .rodata.keel_kernel=16 \
		--redefine-sym _binary_keel64_elf_start=keel_kernel_elf_start \
		--redefine-sym _binary_keel64_elf_end=keel_kernel_elf_end \
		--strip-symbol _binary_keel64_elf_size \
		keel64.elf $(abspath $@)

$(EFI_BUILD)/loader.so: $(EFI_OBJECTS) $(EFI_BUILD)/keel_kernel.o
	$(call quiet,EFILD   $@)
	$(Q)$(LD) $(EFI_LDFLAGS) $(GNU_EFI_LIBDIR)/crt0-efi-x86_64.o $^ -lefi -lgnuefi -o $@

$(BUILD)/BOOTX64.EFI: $(EFI_BUILD)/loader.so
	$(call quiet,EFIAPP  $@)
	$(Q)$(OBJCOPY) $(addprefix -j ,$(EFI_SECTIONS)) --target efi-app-x86_64 --subsystem=10 $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

-include $(EFI_OBJECTS:.o=.d)
