# keel - build, boot and test. See README.md for the commands users run.
#
#   make                 build/keel.elf (multiboot1 + multiboot2, ELF32 wrapper)
#   make iso             build/keel.iso (GRUB, BIOS and UEFI)
#   make efi             build/BOOTX64.EFI (GNU-EFI loader carrying the kernel)
#   make run             boot build/keel.elf in QEMU on the serial console
#   make check           the include rules of docs/ARCHITECTURE.md (fast, no QEMU)
#   make test            every test (installs missing Debian packages first)
#   make DEBUG=1         -Og, heap poisoning and extra checks
#   make BUILD=dir       build somewhere else than build/
#   make APP=name WWW=d  the in-image application (apps/<name>) and its site

BUILD ?= build
DEBUG ?= 0
APP ?= httpd
WWW ?= apps/$(APP)/www
QEMU ?= qemu-system-x86_64
PYTHON ?= /usr/bin/python3

CC := gcc
LD := ld
NASM := nasm
OBJCOPY := objcopy

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

CFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) -Ilibc/include -I. \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-fno-omit-frame-pointer -fstack-protector-strong -mstack-protector-guard=global -fno-asynchronous-unwind-tables \
	-fcf-protection=none -fno-stack-clash-protection \
	-Wall -Wextra -Werror -Wno-unused-parameter -g -MMD -MP
ifeq ($(DEBUG),1)
CFLAGS += -Og -DKEEL_DEBUG=1
else
CFLAGS += -O2
endif
NASMFLAGS := -f elf64 -g
LDFLAGS := -m elf_x86_64 -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T linker.ld

# Every C and assembly file of the kernel, its drivers, stack, libc and the app.
C_SOURCES := $(shell find kernel libc/src drivers net -name '*.c' 2>/dev/null | sort) \
	$(wildcard apps/$(APP)/*.c)
ASM_SOURCES := boot/entry.asm $(shell find kernel -name '*.asm' | sort)
OBJECTS := $(C_SOURCES:%.c=$(BUILD)/obj/%.o) $(ASM_SOURCES:%.asm=$(BUILD)/obj/%.o)

.PHONY: all iso efi run test check host-test qemu-test deps clean images
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

all: deps $(BUILD)/keel.elf

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @echo "  $(1)"
endif

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(call quiet,CC      $<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm Makefile
	@mkdir -p $(dir $@)
	$(call quiet,NASM    $<)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

# Two-pass link: the first pass gives the addresses of every function, which
# become the symbol table (.ksyms, placed after all code and data so that it
# moves nothing) that panic backtraces print names from.
$(BUILD)/keel64.pass1.elf: $(OBJECTS) linker.ld
	$(call quiet,LD      $@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJECTS)

$(BUILD)/ksyms.S: $(BUILD)/keel64.pass1.elf
	$(call quiet,KSYMS   $@)
	$(Q)nm -n --defined-only $< | awk 'BEGIN { print ".section .ksyms_strings,\"a\""; n = 0 } \
		$$2 ~ /^[tT]$$/ { addr[n] = $$1; print "ksym_name_" n ": .asciz \"" $$3 "\""; n++ } \
		END { print ".section .ksyms,\"a\""; print ".balign 8"; print ".globl ksyms_table"; print "ksyms_table:"; \
		for (i = 0; i < n; i++) print ".quad 0x" addr[i] ", ksym_name_" i; \
		print ".globl ksyms_count"; print "ksyms_count: .quad " n }' > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) -c $< -o $@

$(BUILD)/keel64.elf: $(OBJECTS) $(BUILD)/ksyms.o linker.ld
	$(call quiet,LD      $@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJECTS) $(BUILD)/ksyms.o
	@nm $@ | grep -q ' T boot_entry64$$'

# QEMU's multiboot loader only takes ELF32 files; the 64-bit code is just
# bytes to it, entered at the 32-bit boot_entry32.
$(BUILD)/keel.elf: $(BUILD)/keel64.elf
	$(Q)$(OBJCOPY) -I elf64-x86-64 -O elf32-i386 $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

-include boot/efi/efi.mk
-include boot/grub/iso.mk
-include apps/apps.mk
-include bench/bench.mk

images: $(BUILD)/keel.elf iso efi

run: deps $(BUILD)/keel.elf
	$(QEMU) -M pc -m 64 -nographic -no-reboot -kernel $(BUILD)/keel.elf $(if $(CMDLINE),-append "$(CMDLINE)")

# README's test command. Host tests need no image; QEMU tests need all three.
# The include rules are checked first: a wrong-way include fails at once.
test: deps check images
	$(PYTHON) -m pytest -q tests

# Every #include runs the way the table in docs/ARCHITECTURE.md allows.
check:
	$(Q)$(PYTHON) tests/check/layers.py

host-test: deps
	$(PYTHON) -m pytest -q tests/host

DEB_PACKAGES := gcc make binutils nasm qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common \
	xorriso mtools gnu-efi ovmf python3 python3-pytest python3-scapy iproute2 iputils-ping curl netcat-openbsd nmap hping3 dnsmasq-base
deps:
	@missing=""; for package in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "keel: missing Debian packages:$$missing" >&2; \
			echo "keel: run 'make deps' as root (it uses apt-get) or install them yourself" >&2; exit 1; \
		fi; \
		echo "keel: installing$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(BUILD)

-include $(OBJECTS:.o=.d)
