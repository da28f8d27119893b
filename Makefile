# keel - build, boot and test. See README.md for the commands users run.
#
#   make                 build/keel.elf (multiboot1 + multiboot2, ELF32 wrapper) and
#                        build/keel-pvh.elf (the same, entered by PVH: QEMU -M microvm)
#   make iso             build/keel.iso (GRUB, BIOS and UEFI)
#   make efi             build/BOOTX64.EFI (GNU-EFI loader carrying the kernel)
#   make disk            build/keel.img (GPT disk: UEFI loader + GRUB for BIOS, boot/disk/disk.mk)
#   make run             boot build/keel.elf in QEMU on the serial console, reachable at
#                        http://localhost:8080/ (user-mode networking, see the run target)
#   make check           the include rules of docs/ARCHITECTURE.md (fast, no QEMU)
#   make test            every test (installs missing Debian packages first)
#   make soak            an hour under every load at once, then leak checks (DURATION=, NIC=)
#   make DEBUG=1         -Og, heap poisoning and extra checks
#   make BUILD=dir       build somewhere else than build/
#   make APP=name WWW=d  the in-image application (apps/<name>) and its site
#   make NFT=file        an nftables ruleset loaded at boot (net/netfilter/nft.mk)

BUILD ?= build
DEBUG ?= 0
APP ?= httpd
WWW ?= apps/$(APP)/www
QEMU ?= qemu-system-x86_64
PYTHON ?= /usr/bin/python3

# The guest's IPv4 configuration by default, for `make run` and `make disk`:
# DHCP (net/dhcp), as a cloud or QEMU's user-mode network (which hands out
# 10.0.2.15/24 via 10.0.2.2) expects. A tap has no DHCP server unless the
# user runs one: `make run NET=tap` takes STATIC_IP_CMDLINE instead.
DEFAULT_IP_CMDLINE ?= ip=dhcp
STATIC_IP_CMDLINE ?= ip=10.0.2.15::10.0.2.2:255.255.255.0

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

.PHONY: all iso efi disk run test check host-test qemu-test test-timings deps clean images
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

all: deps $(BUILD)/keel.elf $(BUILD)/keel-pvh.elf

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

# What a user boots carries no debug information (about half of the file):
# gdb takes it from keel.debug (`symbol-file build/keel.debug`), as vmlinux
# sits beside bzImage. Panic backtraces read .ksyms, which stays.
$(BUILD)/keel.debug: $(BUILD)/keel64.elf
	$(Q)$(OBJCOPY) --only-keep-debug $< $@

$(BUILD)/keel64.stripped.elf: $(BUILD)/keel64.elf
	$(Q)$(OBJCOPY) --strip-debug $< $@

# QEMU's multiboot loader only takes ELF32 files; the 64-bit code is just
# bytes to it, entered at the 32-bit boot_entry32.
$(BUILD)/keel.elf: $(BUILD)/keel64.stripped.elf $(BUILD)/keel.debug
	$(Q)$(OBJCOPY) -I elf64-x86-64 -O elf32-i386 $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes; symbols for gdb in $(BUILD)/keel.debug)"
	@$(MAKE) --no-print-directory size-budget

# QEMU's -kernel loader takes a multiboot header before the PVH note: this
# copy (multiboot1 magic zeroed, nothing else) is entered by PVH on microvm.
$(BUILD)/keel-pvh.elf: $(BUILD)/keel.elf boot/pvh_image.py
	$(Q)$(PYTHON) boot/pvh_image.py $< $@

# Where the image's bytes go: code and data (text + data, what the file
# carries) of the kernel with its stack, drivers and libc, of the app, of
# the app's embedded files (the *_site_data object httpd generates) and of
# the panic symbol table; bss (zeroed at load, not in the file) apart.
loaded_bytes = $$(size -t $(1) 2>/dev/null | awk 'END { print $$1 + $$2 }')
bss_bytes = $$(size -t $(1) 2>/dev/null | awk 'END { print $$3 + 0 }')
BUDGET_KERNEL = $(filter-out $(BUILD)/obj/apps/% $(BUILD)/gen/%,$(OBJECTS))
BUDGET_SITE = $(filter %_site_data.o,$(OBJECTS))
BUDGET_APP = $(filter-out $(BUDGET_KERNEL) $(BUDGET_SITE),$(OBJECTS))
.PHONY: size-budget
size-budget:
	@echo "size budget (text+data bytes): kernel+stack+drivers+libc $(call loaded_bytes,$(BUDGET_KERNEL)), \
	app $(APP) $(call loaded_bytes,$(BUDGET_APP)), site $(if $(BUDGET_SITE),$(call loaded_bytes,$(BUDGET_SITE)),0), \
	symbols $(call loaded_bytes,$(BUILD)/ksyms.o); bss $(call bss_bytes,$(OBJECTS)); files: keel.elf $$(stat -c %s $(BUILD)/keel.elf), \
	keel.debug $$(stat -c %s $(BUILD)/keel.debug)"

-include boot/efi/efi.mk
-include boot/grub/iso.mk
-include boot/disk/disk.mk
-include apps/apps.mk
-include net/netfilter/nft.mk
-include bench/bench.mk
-include tests/fuzz/fuzz.mk
-include tests/soak/soak.mk

images: $(BUILD)/keel.elf $(BUILD)/keel-pvh.elf iso efi disk

# `make run`: the kernel on this terminal (Ctrl-a x quits), one NIC, no root needed.
#   NET=user (default)  QEMU's user-mode network; host localhost:$(PORT) -> guest port 80
#   NET=tap             a tap the user created beforehand, named $(TAP) (see README)
#   NIC=virtio-net-pci (default) | e1000 | e1000e
#   CMDLINE="..."       replaces the whole default command line RUN_CMDLINE
RUN_CMDLINE ?= $(if $(filter tap,$(NET)),$(STATIC_IP_CMDLINE),$(DEFAULT_IP_CMDLINE))
NET ?= user
NIC ?= virtio-net-pci
PORT ?= 8080
TAP ?= tap0
RUN_MEMORY ?= 64
RUN_NETDEV_user = user,id=net0,hostfwd=tcp:127.0.0.1:$(PORT)-:80
RUN_NETDEV_tap = tap,id=net0,ifname=$(TAP),script=no,downscript=no
RUN_NETDEV = $(or $(RUN_NETDEV_$(NET)),$(error NET=$(NET): use NET=user or NET=tap))
# e1000e is a PCIe device: it needs q35's PCIe root; the others run on pc.
RUN_MACHINE = $(if $(filter e1000e,$(NIC)),q35,pc)

# The command line travels through the environment, so that quotes in it
# survive the shell. exec: QEMU replaces the shell and is make's own child
# (a script that started make can stop QEMU by its pid). romfile=: no iPXE
# option ROM, the kernel is booted directly.
run: export KEEL_RUN_CMDLINE = $(or $(CMDLINE),$(RUN_CMDLINE))
run: deps $(BUILD)/keel.elf
	exec $(QEMU) -M $(RUN_MACHINE) -m $(RUN_MEMORY) -nographic -no-reboot -kernel $(BUILD)/keel.elf \
		-netdev $(RUN_NETDEV) -device $(NIC),netdev=net0,romfile= -append "$$KEEL_RUN_CMDLINE"

# README's test command. Host tests need no image; QEMU tests need the images.
# The QEMU tests run in QEMU_JOBS pytest processes that share one queue of
# test modules (tests/lib/module_queue.py: a module and its guest stay in one
# process, longest modules first), and everything else (host unit tests,
# fuzzers, the check's own test) in one more beside them. Their CPU time is
# about 13 minutes in 17 of wall time when run one guest at a time: most of a
# QEMU test is waiting (boots, pings, timeouts), so two guests at once share
# the 2 cores (make test QEMU_JOBS=2: about 11 minutes instead of 17), but
# two guests at once made timing- and loss-sensitive tests (ping -f, hping
# bursts) fail now and then (2 of 5 clean runs), so CI runs one guest at a
# time by default. The first process reports on the
# terminal, the others' reports follow; any failing fails the target.
QEMU_JOBS ?= 1
QEMU_QUEUE := $(BUILD)/qemu-queue
test: deps check images
	@rm -rf $(QEMU_QUEUE); mkdir -p $(QEMU_QUEUE); \
	$(PYTHON) -m pytest -q -p no:cacheprovider tests --ignore=tests/qemu > $(BUILD)/test-host.log 2>&1 & host=$$!; \
	others=""; job=2; while [ $$job -le $(QEMU_JOBS) ]; do \
		$(PYTHON) -m pytest -q -p no:cacheprovider tests/qemu --module-queue=$(QEMU_QUEUE) \
			> $(BUILD)/test-qemu-$$job.log 2>&1 & others="$$others $$!:$$job"; job=$$((job + 1)); \
	done; \
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/qemu --module-queue=$(QEMU_QUEUE); status=$$?; \
	for pair in $$others; do \
		wait $${pair%%:*} || status=1; \
		echo "--- QEMU tests, process $${pair##*:} ($(BUILD)/test-qemu-$${pair##*:}.log) ---"; \
		cat $(BUILD)/test-qemu-$${pair##*:}.log; \
	done; \
	wait $$host || status=1; \
	echo "--- host tests, fuzzers, checks ($(BUILD)/test-host.log) ---"; cat $(BUILD)/test-host.log; \
	echo "--- QEMU test modules by seconds (make test-timings records them) ---"; \
	cat $(QEMU_QUEUE)/*.seconds 2>/dev/null | sort -rn | head -8; \
	exit $$status

# Records the last run's seconds per QEMU test module, the order in which
# the next runs claim them (longest first).
test-timings:
	@{ echo "# seconds per tests/qemu module in the last make test (make test-timings)"; \
	  cat $(QEMU_QUEUE)/*.seconds | sort -rn; } > tests/qemu/module_seconds.txt; \
	cat tests/qemu/module_seconds.txt

# Every #include runs the way the table in docs/ARCHITECTURE.md allows.
# And no merge left its conflict markers in a tracked file (outside a git
# checkout there is nothing to ask).
check:
	$(Q)$(PYTHON) tests/check/layers.py
	$(Q)if git rev-parse --git-dir >/dev/null 2>&1 && git grep -nE '^(<<<<<<<|>>>>>>>)( |$$)' -- ':!*.orig'; then \
		echo "check: merge conflict markers left in the files above" >&2; exit 1; fi

host-test: deps
	$(PYTHON) -m pytest -q tests/host

DEB_PACKAGES := gcc make binutils nasm qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common \
	xorriso mtools gdisk qemu-utils gnu-efi ovmf python3 python3-pytest python3-scapy iproute2 iputils-ping curl netcat-openbsd nmap hping3 dnsmasq-base wrk \
	clang-14 libclang-rt-14-dev
# tests/host/test_capture.py reads the capture stream back with tshark.
DEB_PACKAGES += tshark
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
