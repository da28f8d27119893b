/* main.c - kernel initialization order, then the idle loop.
 * Each step needs only the ones above it. */
#include "kernel/kmain.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/heap.h"
#include "kernel/interrupts.h"
#include "kernel/memory_report.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/pci.h"
#include "kernel/pmm.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/sysctl.h"
#include "kernel/timer.h"
#include "kernel/version.h"
#include "net/net.h"

static const struct boot_info *running_boot_info;

static const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_MULTIBOOT1: return "multiboot1";
	case BOOT_PATH_MULTIBOOT2: return "multiboot2";
	case BOOT_PATH_EFI: return "efi";
	default: return "unknown";
	}
}

const struct boot_info *kernel_boot_info(void)
{
	return running_boot_info;
}

void kmain(const struct boot_info *info)
{
	running_boot_info = info;
	console_init_early();
	cmdline_parse(info->cmdline);
	console_configure();
	panic_configure();
	sysctl_apply_cmdline();
	pr_notice("keel %s (x86_64) booted via %s, loader '%s'\n", KEEL_VERSION, boot_path_name(info->path),
		  info->loader_name[0] ? info->loader_name : "unknown");
	pr_info("command line: %s\n", cmdline_raw());

	interrupts_init();
	pmm_init(info);
	paging_init(info);
	heap_init();
	memory_report_print(info);

	acpi_init(info);
	pic_disable();
	lapic_init();
	ioapic_init();
	clock_init();
	timer_init();
	interrupts_enable();

	pci_init();
	pci_print_table();

	cmdline_warn_unknown();
	uint64_t init_ns = clock_monotonic_ns();
	pr_notice("keel: init done in %llu.%03llu ms (kernel entry to end of init, TSC via %s)\n",
		  (unsigned long long)(init_ns / NSEC_PER_MSEC),
		  (unsigned long long)(init_ns % NSEC_PER_MSEC / NSEC_PER_USEC), clock_calibration_source());

	selftest_run_from_cmdline();
	net_init();
	net_main_loop();
}
