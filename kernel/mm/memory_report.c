/* memory_report.c - see memory_report.h. */
#include "kernel/mm/memory_report.h"
#include "kernel/console/printk.h"
#include "kernel/mm/pmm.h"

static const char *memory_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_ACPI_RECLAIMABLE: return "ACPI data";
	case BOOT_MEM_ACPI_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "unusable";
	default: return "reserved";
	}
}

void memory_report_print(const struct boot_info *info)
{
	pr_info("memory map: %u regions\n", info->mem_region_count);
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		pr_info("  [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)region->base,
			(unsigned long long)(region->base + region->length - 1), memory_type_name(region->type));
	}
	struct pmm_stats stats = pmm_get_stats();
	pr_info("memory: %llu KiB usable RAM, %llu KiB free for allocation, highest address %#llx\n",
		(unsigned long long)(stats.usable_bytes / 1024), (unsigned long long)(stats.free_pages * PAGE_SIZE / 1024),
		(unsigned long long)stats.highest_address);
}
