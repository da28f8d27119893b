/* main.c - kernel initialization order, then the app or the idle loop.
 * Each step needs only the ones above it. */
#include "kernel/acpi/acpi.h"
#include "kernel/app/app.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/kmain.h"
#include "kernel/core/loop.h"
#include "kernel/core/panic.h"
#include "kernel/core/selftest.h"
#include "kernel/core/sysctl.h"
#include "kernel/core/version.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/memory_report.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/pci/pci.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/net.h"

static const struct boot_info *running_boot_info;

static const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_MULTIBOOT1: return "multiboot1";
	case BOOT_PATH_MULTIBOOT2: return "multiboot2";
	case BOOT_PATH_EFI: return "efi";
	case BOOT_PATH_PVH: return "pvh";
	default: return "unknown";
	}
}

const struct boot_info *kernel_boot_info(void)
{
	return running_boot_info;
}

/* `initcall_debug` (Linux's knob) prints how long each init step took; the
 * TSC is read around every step from the start, and converted once the
 * clock is calibrated. */
#define INIT_STEPS_MAX 24
struct init_step {
	const char *name;
	uint64_t tsc_start, tsc_end;
};
static struct init_step init_steps[INIT_STEPS_MAX];
static unsigned init_step_count;

CMDLINE_KEY("initcall_debug", "print the time each init step took");

#define INIT_STEP(call)                                                                 \
	do {                                                                            \
		uint64_t step_start = rdtsc();                                          \
		call;                                                                   \
		if (init_step_count < INIT_STEPS_MAX)                                   \
			init_steps[init_step_count++] = (struct init_step){ #call, step_start, rdtsc() }; \
	} while (0)

static void print_init_steps(void)
{
	if (!cmdline_has("initcall_debug"))
		return;
	/* The TSC starts at 0 when the CPU is reset (QEMU TCG: when the VM
	 * starts running), so its value at entry is the firmware's and the
	 * loader's time, as systemd-analyze's "firmware" and "loader". */
	uint64_t entry_tsc = running_boot_info->entry_tsc;
	uint64_t before_entry_us = clock_tsc_hz() ? mul_div_u64(entry_tsc, 1000000, clock_tsc_hz()) : 0;
	pr_info("initcall kernel entered %llu us after the TSC's reset (firmware and loader)\n",
		(unsigned long long)before_entry_us);
	for (unsigned i = 0; i < init_step_count; i++) {
		uint64_t ns = clock_tsc_to_ns(init_steps[i].tsc_end) - clock_tsc_to_ns(init_steps[i].tsc_start);
		pr_info("initcall %s took %llu us\n", init_steps[i].name, (unsigned long long)(ns / NSEC_PER_USEC));
	}
}

void kmain(const struct boot_info *info)
{
	running_boot_info = info;
	INIT_STEP(console_init_early());
	console_defer(true);
	INIT_STEP(cmdline_parse(info->cmdline));
	console_configure();
	panic_configure();
	sysctl_apply_cmdline();
	pr_notice("keel %s (x86_64) booted via %s, loader '%s'\n", KEEL_VERSION, boot_path_name(info->path),
		  info->loader_name[0] ? info->loader_name : "unknown");
	pr_info("command line: %s\n", cmdline_raw());

	INIT_STEP(interrupts_init());
	INIT_STEP(pmm_init(info));
	INIT_STEP(paging_init(info));
	INIT_STEP(heap_init());
	INIT_STEP(memory_report_print(info));

	INIT_STEP(acpi_init(info));
	INIT_STEP(pic_disable());
	INIT_STEP(lapic_init());
	INIT_STEP(ioapic_init());
	INIT_STEP(clock_init());
	INIT_STEP(timer_init());
	interrupts_enable();

	INIT_STEP(pci_init());
	INIT_STEP(pci_print_table());

	cmdline_warn_unknown();
	uint64_t init_ns = clock_monotonic_ns();
	size_t deferred_bytes = console_defer(false);
	uint64_t flushed_ns = clock_monotonic_ns();
	pr_notice("keel: init done in %llu.%03llu ms (kernel entry to end of init, TSC via %s; "
		  "then %zu bytes of console output in %llu.%03llu ms)\n",
		  (unsigned long long)(init_ns / NSEC_PER_MSEC),
		  (unsigned long long)(init_ns % NSEC_PER_MSEC / NSEC_PER_USEC), clock_calibration_source(),
		  deferred_bytes, (unsigned long long)((flushed_ns - init_ns) / NSEC_PER_MSEC),
		  (unsigned long long)((flushed_ns - init_ns) % NSEC_PER_MSEC / NSEC_PER_USEC));
	print_init_steps();
	if (cmdline_has("keel.help")) {
		cmdline_print_help();
		sysctl_print_all();
	}

	selftest_run_from_cmdline();
	net_init();
	if (app_present())
		app_run(); /* does not return */
	net_announce_ready();
	kernel_loop_run();
}
