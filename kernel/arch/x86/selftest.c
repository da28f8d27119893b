/* selftest.c - self tests of the CPU exception path: "pagefault" and
 * "divzero" expect the fault and check its report; the destructive
 * "nullderef" must end in a panic naming the faulting address. */
#include "kernel/arch/x86/interrupts.h"
#include "kernel/core/selftest.h"

#include <stddef.h>
#include <stdint.h>

#define VECTOR_DIVIDE_ERROR 0
#define VECTOR_GENERAL_PROTECTION 13
#define VECTOR_PAGE_FAULT 14
#define PAGE_FAULT_PRESENT (1u << 0)
#define PAGE_FAULT_WRITE (1u << 1)

static const char *selftest_pagefault(void)
{
	/* Page 0 is left unmapped on purpose (paging.c): a NULL-ish read faults. */
	const volatile uint64_t *unmapped = (const volatile uint64_t *)0x8;
	interrupts_expect_fault(VECTOR_PAGE_FAULT, (uint64_t)fault_probe_read64_resume);
	fault_probe_read64(unmapped);
	struct fault_report report = interrupts_last_expected_fault();
	if (!report.happened)
		return "reading address 0x8 did not fault";
	if (report.vector != VECTOR_PAGE_FAULT)
		return "wrong vector";
	if (report.cr2 != 0x8)
		return "CR2 does not hold the faulting address";
	if (report.error_code & (PAGE_FAULT_PRESENT | PAGE_FAULT_WRITE))
		return "error code should say: not-present page, read";
	if (report.rip != (uint64_t)fault_probe_read64)
		return "RIP is not the faulting instruction";

	/* A non-canonical address raises #GP, not #PF (SDM vol 3A 4.5). */
	interrupts_expect_fault(VECTOR_GENERAL_PROTECTION, (uint64_t)fault_probe_read64_resume);
	fault_probe_read64((const volatile uint64_t *)0x8000000000000000ull);
	report = interrupts_last_expected_fault();
	if (!report.happened || report.vector != VECTOR_GENERAL_PROTECTION)
		return "a non-canonical read did not raise #GP";
	return NULL;
}
SELFTEST("pagefault", selftest_pagefault);

static const char *selftest_divzero(void)
{
	interrupts_expect_fault(VECTOR_DIVIDE_ERROR, (uint64_t)fault_probe_divide_resume);
	fault_probe_divide(1, 0);
	struct fault_report report = interrupts_last_expected_fault();
	if (!report.happened)
		return "dividing by zero did not fault";
	if (report.vector != VECTOR_DIVIDE_ERROR)
		return "wrong vector";
	if (report.rip < (uint64_t)fault_probe_divide || report.rip >= (uint64_t)fault_probe_divide_resume)
		return "RIP is not the div instruction";
	if (fault_probe_divide(84, 2) != 42)
		return "division is broken after the fault";
	return NULL;
}
SELFTEST("divzero", selftest_divzero);

/* --- destructive: must end in a panic with a useful report --- */

static const char *selftest_nullderef(void)
{
	return fault_probe_read64((const volatile uint64_t *)0x10) ? "read of 0x10 returned" : "read of 0x10 returned 0";
}
SELFTEST_DESTRUCTIVE("nullderef", selftest_nullderef);
