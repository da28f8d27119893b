/* acpi.c - finds the RSDP, walks the XSDT (or the RSDT on ACPI 1.0) and keeps
 * what keel needs from the MADT, MCFG, FADT and HPET tables (kernel/acpi/acpi.h).
 * Every table's checksum is checked before it is read (ACPI 6.5 5.2.6); a bad
 * table is reported, counted and skipped, never trusted. Tables may lie in
 * reserved memory that paging_init() left unmapped, so each is memremap()ed. */
#include "kernel/acpi/acpi.h"
#include "kernel/acpi/tables.h"
#include "kernel/console/printk.h"
#include "kernel/core/selftest.h"
#include "kernel/mm/paging.h"

#include <stdio.h>
#include <string.h>

/* [ACPI 6.5 5.2.5.1] Where BIOS systems keep the RSDP: the first KiB of the
 * EBDA, or the read-only BIOS area, always on a 16-byte boundary. */
#define EBDA_SEARCH_LENGTH 1024
#define BIOS_AREA_START 0xE0000
#define BIOS_AREA_END 0x100000
#define RSDP_ALIGNMENT 16
/* The EBDA sits right below 640 KiB; the BIOS reports it as reserved. */
#define CONVENTIONAL_MEMORY_END 0xA0000
#define EBDA_LOWEST_START 0x80000
/* Larger "tables" are treated as corrupt (the DSDT is never mapped here). */
#define ACPI_TABLE_MAX_LENGTH (1u << 20)

static struct acpi_info acpi;
static struct acpi_rsdp rsdp;

const struct acpi_info *acpi_get(void)
{
	return &acpi;
}

static bool checksum_is_zero(const void *bytes, size_t length)
{
	const uint8_t *byte = bytes;
	uint8_t sum = 0;
	for (size_t i = 0; i < length; i++)
		sum += byte[i];
	return sum == 0;
}

/* Copies a valid RSDP into `rsdp`; `available` is how many bytes can be read. */
static bool rsdp_accept(const void *candidate, size_t available)
{
	const struct acpi_rsdp *found = candidate;
	if (available < ACPI_RSDP_V1_LENGTH || memcmp(found->signature, ACPI_RSDP_SIGNATURE, 8) != 0)
		return false;
	if (!checksum_is_zero(found, ACPI_RSDP_V1_LENGTH))
		return false;
	memset(&rsdp, 0, sizeof(rsdp));
	memcpy(&rsdp, found, available < sizeof(rsdp) ? available : sizeof(rsdp));
	/* [5.2.5.3] revision >= 2 adds the XSDT, covered by the extended checksum.
	 * If that part is unusable, keep the ACPI 1.0 view (RSDT only). */
	if (rsdp.revision >= 2) {
		bool extended_ok = rsdp.length >= sizeof(rsdp) && rsdp.length <= available &&
				   checksum_is_zero(found, rsdp.length);
		if (!extended_ok) {
			pr_warn("acpi: RSDP extended checksum or length bad, using the RSDT\n");
			rsdp.xsdt_address = 0;
		}
	}
	return true;
}

static bool rsdp_scan(uint64_t start, uint64_t length)
{
	const uint8_t *area = memremap(start, length);
	if (area == NULL)
		return false;
	uint64_t signature;
	memcpy(&signature, ACPI_RSDP_SIGNATURE, sizeof(signature));
	/* One 8-byte compare per candidate: this walks 8192 of them. */
	for (uint64_t offset = 0; offset + ACPI_RSDP_V1_LENGTH <= length; offset += RSDP_ALIGNMENT)
		if (*(const uint64_t *)(area + offset) == signature && rsdp_accept(area + offset, length - offset))
			return true;
	return false;
}

/* The EBDA segment pointer (BDA word 0x40E) lives in page 0, which stays
 * unmapped so that NULL dereferences fault; the firmware's memory map gives
 * the same start: where the usable RAM that begins at 0 ends below 640 KiB. */
static uint64_t ebda_start(const struct boot_info *info)
{
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		uint64_t end = region->base + region->length;
		if (region->base == 0 && region->type == BOOT_MEM_USABLE && end >= EBDA_LOWEST_START &&
		    end < CONVENTIONAL_MEMORY_END)
			return end & ~(uint64_t)(RSDP_ALIGNMENT - 1);
	}
	return 0;
}

static bool rsdp_find(const struct boot_info *info)
{
	if (info->rsdp_length != 0) {
		size_t length = info->rsdp_length < sizeof(info->rsdp) ? info->rsdp_length : sizeof(info->rsdp);
		if (rsdp_accept(info->rsdp, length))
			return true;
		pr_warn("acpi: the loader's RSDP copy is invalid, scanning memory\n");
	}
	uint64_t ebda = ebda_start(info);
	if (ebda && rsdp_scan(ebda, EBDA_SEARCH_LENGTH))
		return true;
	return rsdp_scan(BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START);
}

/* Maps a whole table and checks it; NULL (reported, and counted in
 * result) when bad. The parsers below fill `result` too. */
static const struct acpi_table_header *table_map(uint64_t physical, struct acpi_info *result)
{
	const struct acpi_table_header *header = memremap(physical, sizeof(*header));
	if (header == NULL) {
		pr_warn("acpi: cannot map table at 0x%llx\n", (unsigned long long)physical);
		return NULL;
	}
	uint32_t length = header->length;
	if (length < sizeof(*header) || length > ACPI_TABLE_MAX_LENGTH) {
		pr_warn("acpi: table %.4s at 0x%llx has a bad length %u, skipped\n", header->signature,
			(unsigned long long)physical, length);
		result->tables_bad_checksum++;
		return NULL;
	}
	header = memremap(physical, length);
	if (header == NULL)
		return NULL;
	if (!checksum_is_zero(header, length)) {
		pr_warn("acpi: table %.4s at 0x%llx has a bad checksum, skipped\n", header->signature,
			(unsigned long long)physical);
		result->tables_bad_checksum++;
		return NULL;
	}
	pr_debug("acpi: %.4s at 0x%llx, %u bytes, OEM %.6s\n", header->signature, (unsigned long long)physical,
		 length, header->oem_id);
	return header;
}

static void madt_add_cpu(struct acpi_info *result, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & ACPI_MADT_CPU_ENABLED))
		return;
	if (result->cpu_count < ACPI_MAX_CPUS && apic_id <= UINT8_MAX)
		result->cpu_apic_ids[result->cpu_count] = (uint8_t)apic_id;
	result->cpu_count++;
}

static void madt_add_io_apic(struct acpi_info *result, const struct acpi_madt_io_apic *entry)
{
	if (result->ioapic_count >= ACPI_MAX_IOAPICS) {
		pr_warn("acpi: more than %u IOAPICs, ignoring id %u\n", ACPI_MAX_IOAPICS, entry->io_apic_id);
		return;
	}
	result->ioapics[result->ioapic_count++] =
		(struct acpi_ioapic){ .id = entry->io_apic_id, .address = entry->address, .gsi_base = entry->gsi_base };
}

static void madt_add_override(struct acpi_info *result, const struct acpi_madt_interrupt_override *entry)
{
	/* [5.2.12.5] Bus 0 is ISA, the only bus the overrides are defined for. */
	if (entry->bus != 0 || result->override_count >= ACPI_MAX_OVERRIDES) {
		pr_warn("acpi: interrupt override bus %u IRQ %u ignored\n", entry->bus, entry->source);
		return;
	}
	result->overrides[result->override_count++] =
		(struct acpi_interrupt_override){ .isa_irq = entry->source, .gsi = entry->gsi, .flags = entry->flags };
}

/* Each entry's length has been checked to cover its structure. */
static void madt_parse_entry(struct acpi_info *result, const struct acpi_madt_entry_header *entry)
{
	switch (entry->type) {
	case MADT_LOCAL_APIC: {
		const struct acpi_madt_local_apic *cpu = (const void *)entry;
		madt_add_cpu(result, cpu->apic_id, cpu->flags);
		break;
	}
	case MADT_LOCAL_X2APIC: {
		const struct acpi_madt_local_x2apic *cpu = (const void *)entry;
		madt_add_cpu(result, cpu->x2apic_id, cpu->flags);
		break;
	}
	case MADT_IO_APIC:
		madt_add_io_apic(result, (const void *)entry);
		break;
	case MADT_INTERRUPT_OVERRIDE:
		madt_add_override(result, (const void *)entry);
		break;
	case MADT_LOCAL_APIC_ADDRESS_OVERRIDE:
		result->lapic_address = ((const struct acpi_madt_local_apic_address_override *)entry)->address;
		break;
	default:
		break;
	}
}

static size_t madt_entry_minimum_length(uint8_t type)
{
	switch (type) {
	case MADT_LOCAL_APIC: return sizeof(struct acpi_madt_local_apic);
	case MADT_LOCAL_X2APIC: return sizeof(struct acpi_madt_local_x2apic);
	case MADT_IO_APIC: return sizeof(struct acpi_madt_io_apic);
	case MADT_INTERRUPT_OVERRIDE: return sizeof(struct acpi_madt_interrupt_override);
	case MADT_LOCAL_APIC_ADDRESS_OVERRIDE: return sizeof(struct acpi_madt_local_apic_address_override);
	default: return sizeof(struct acpi_madt_entry_header);
	}
}

static void madt_parse(struct acpi_info *result, const struct acpi_table_header *header)
{
	if (header->length < sizeof(struct acpi_madt)) {
		pr_warn("acpi: MADT too short (%u bytes)\n", header->length);
		return;
	}
	const struct acpi_madt *madt = (const void *)header;
	result->lapic_address = madt->local_apic_address;
	result->has_8259 = madt->flags & ACPI_MADT_PCAT_COMPAT;
	const uint8_t *cursor = (const uint8_t *)madt + sizeof(*madt);
	const uint8_t *end = (const uint8_t *)madt + header->length;
	while (end - cursor >= (ptrdiff_t)sizeof(struct acpi_madt_entry_header)) {
		const struct acpi_madt_entry_header *entry = (const void *)cursor;
		if (entry->length < madt_entry_minimum_length(entry->type) || entry->length > end - cursor) {
			pr_warn("acpi: MADT entry type %u has a bad length %u, rest of the MADT ignored\n",
				entry->type, entry->length);
			return;
		}
		madt_parse_entry(result, entry);
		cursor += entry->length;
	}
}

static void mcfg_parse(struct acpi_info *result, const struct acpi_table_header *header)
{
	const uint8_t *allocations = (const uint8_t *)header + ACPI_MCFG_ALLOCATIONS_OFFSET;
	size_t count = header->length < ACPI_MCFG_ALLOCATIONS_OFFSET ? 0 :
		       (header->length - ACPI_MCFG_ALLOCATIONS_OFFSET) / sizeof(struct acpi_mcfg_allocation);
	for (size_t i = 0; i < count; i++) {
		struct acpi_mcfg_allocation allocation;
		memcpy(&allocation, allocations + i * sizeof(allocation), sizeof(allocation));
		if (result->mcfg_count >= ACPI_MAX_MCFG_SEGMENTS || allocation.start_bus > allocation.end_bus) {
			pr_warn("acpi: MCFG allocation %zu (segment %u) ignored\n", i, allocation.segment);
			continue;
		}
		result->mcfg[result->mcfg_count++] = (struct acpi_mcfg_segment){ .base = allocation.base_address,
									    .segment = allocation.segment,
									    .start_bus = allocation.start_bus,
									    .end_bus = allocation.end_bus };
	}
}

/* Whether the FADT (of `length` bytes) includes field [offset, offset+size). */
#define FADT_HAS(length, field) \
	((length) >= offsetof(struct acpi_fadt, field) + sizeof(((struct acpi_fadt *)0)->field))

/* [5.2.9] X_PM_TMR_BLK, when present and non-zero, supersedes PM_TMR_BLK. */
static void fadt_parse(struct acpi_info *result, const struct acpi_table_header *header)
{
	struct acpi_fadt fadt;
	memset(&fadt, 0, sizeof(fadt));
	memcpy(&fadt, header, header->length < sizeof(fadt) ? header->length : sizeof(fadt));
	uint32_t length = header->length;
	if (FADT_HAS(length, sci_interrupt))
		result->sci_irq = fadt.sci_interrupt;
	if (FADT_HAS(length, x_pm_timer_block) && fadt.x_pm_timer_block.address != 0) {
		if (fadt.x_pm_timer_block.address_space == ACPI_SPACE_IO)
			result->pm_timer_port = (uint32_t)fadt.x_pm_timer_block.address;
		else
			pr_warn("acpi: PM timer not in I/O space (space %u), not used\n",
				fadt.x_pm_timer_block.address_space);
	} else if (FADT_HAS(length, pm_timer_length) && fadt.pm_timer_length == 4) {
		result->pm_timer_port = fadt.pm_timer_block;
	}
	if (FADT_HAS(length, flags))
		result->pm_timer_32bit = fadt.flags & ACPI_FADT_TMR_VAL_EXT;
}

static void hpet_parse(struct acpi_info *result, const struct acpi_table_header *header)
{
	if (header->length < sizeof(struct acpi_hpet)) {
		pr_warn("acpi: HPET table too short (%u bytes)\n", header->length);
		return;
	}
	const struct acpi_hpet *hpet = (const void *)header;
	if (hpet->base_address.address_space != ACPI_SPACE_MEMORY) {
		pr_warn("acpi: HPET not in memory space, not used\n");
		return;
	}
	result->hpet_address = hpet->base_address.address;
}

struct table_parser {
	char signature[5];
	void (*parse)(struct acpi_info *result, const struct acpi_table_header *header);
	bool seen;
};

static struct table_parser table_parsers[] = {
	{ "APIC", madt_parse, false }, /* the MADT's signature */
	{ "MCFG", mcfg_parse, false },
	{ "FACP", fadt_parse, false }, /* the FADT's signature */
	{ "HPET", hpet_parse, false },
};

static void table_dispatch(uint64_t physical)
{
	const struct acpi_table_header *header = table_map(physical, &acpi);
	if (header == NULL)
		return;
	for (size_t i = 0; i < sizeof(table_parsers) / sizeof(table_parsers[0]); i++) {
		struct table_parser *parser = &table_parsers[i];
		if (memcmp(header->signature, parser->signature, 4) != 0)
			continue;
		if (parser->seen) {
			pr_warn("acpi: second %.4s table ignored\n", header->signature);
			return;
		}
		parser->seen = true;
		parser->parse(&acpi, header);
		return;
	}
}

/* [5.2.7, 5.2.8] The RSDT holds 32-bit table addresses, the XSDT 64-bit ones
 * (not necessarily 8-byte aligned, hence memcpy). */
static bool root_table_walk(uint64_t physical, const char *signature, size_t entry_size)
{
	if (physical == 0)
		return false;
	const struct acpi_table_header *root = table_map(physical, &acpi);
	if (root == NULL)
		return false;
	if (memcmp(root->signature, signature, 4) != 0) {
		pr_warn("acpi: %s pointer leads to a %.4s table\n", signature, root->signature);
		return false;
	}
	const uint8_t *entries = (const uint8_t *)root + sizeof(*root);
	size_t count = (root->length - sizeof(*root)) / entry_size;
	for (size_t i = 0; i < count; i++) {
		uint64_t address = 0;
		memcpy(&address, entries + i * entry_size, entry_size);
		if (address != 0)
			table_dispatch(address);
	}
	return true;
}

static void summary_print(void)
{
	char mcfg[32] = "no MCFG", pm_timer[40] = "no PM timer", hpet[32] = "no HPET", bad[32] = "";
	if (acpi.mcfg_count)
		snprintf(mcfg, sizeof(mcfg), "MCFG %u segment%s", acpi.mcfg_count, acpi.mcfg_count == 1 ? "" : "s");
	if (acpi.pm_timer_port)
		snprintf(pm_timer, sizeof(pm_timer), "PM timer 0x%x (%s)", acpi.pm_timer_port,
			 acpi.pm_timer_32bit ? "32-bit" : "24-bit");
	if (acpi.hpet_address)
		snprintf(hpet, sizeof(hpet), "HPET 0x%llx", (unsigned long long)acpi.hpet_address);
	if (acpi.tables_bad_checksum)
		snprintf(bad, sizeof(bad), ", %u bad table%s", acpi.tables_bad_checksum,
			 acpi.tables_bad_checksum == 1 ? "" : "s");
	pr_info("acpi: rev %u OEM %s, %u CPU%s, %u IOAPIC%s, %u override%s, %s, %s, %s%s\n", acpi.revision,
		acpi.oem_id, acpi.cpu_count, acpi.cpu_count == 1 ? "" : "s", acpi.ioapic_count,
		acpi.ioapic_count == 1 ? "" : "s", acpi.override_count, acpi.override_count == 1 ? "" : "s", mcfg,
		pm_timer, hpet, bad);
}

void acpi_init(const struct boot_info *info)
{
	if (!rsdp_find(info)) {
		pr_warn("acpi: no RSDP found: no ACPI tables, LAPIC where IA32_APIC_BASE says, no IOAPIC routing\n");
		return;
	}
	acpi.revision = rsdp.revision;
	memcpy(acpi.oem_id, rsdp.oem_id, sizeof(rsdp.oem_id));
	for (int i = 5; i >= 0 && acpi.oem_id[i] == ' '; i--)
		acpi.oem_id[i] = '\0';
	bool walked = false;
	if (rsdp.revision >= 2 && rsdp.xsdt_address != 0)
		walked = root_table_walk(rsdp.xsdt_address, "XSDT", sizeof(uint64_t));
	if (!walked)
		walked = root_table_walk(rsdp.rsdt_address, "RSDT", sizeof(uint32_t));
	if (!walked) {
		pr_warn("acpi: neither XSDT nor RSDT is usable: no ACPI tables\n");
		return;
	}
	acpi.present = true;
	summary_print();
}

static const char *acpi_selftest(void)
{
	if (!acpi.present) {
		pr_info("selftest: acpi: no ACPI on this machine, nothing to check\n");
		return NULL;
	}
	if (acpi.tables_bad_checksum)
		return "a table had a bad checksum or length";
	if (acpi.cpu_count < 1)
		return "MADT listed no enabled CPU";
	if (acpi.ioapic_count < 1)
		return "MADT listed no IOAPIC";
	if (acpi.lapic_address == 0)
		return "no local APIC address";
	for (unsigned i = 0; i < acpi.override_count; i++)
		if (acpi.overrides[i].isa_irq >= 16)
			return "interrupt override for a non-ISA IRQ";
	return NULL;
}
SELFTEST("acpi", acpi_selftest);

/* A literal MADT: two CPUs (one disabled), an IOAPIC, two overrides, a 64-bit
 * LAPIC address override, then an entry with a bad length that must end the
 * walk before the CPU entry behind it. The checksum byte is set by the test. */
static uint8_t test_madt[] __attribute__((aligned(16))) = {
	'A', 'P', 'I', 'C', 116, 0, 0, 0, 5, 0, 'K', 'E', 'E', 'L', ' ', ' ',
	'S', 'E', 'L', 'F', 'T', 'E', 'S', 'T', 1, 0, 0, 0, 'K', 'E', 'E', 'L', 1, 0, 0, 0,
	0x00, 0x00, 0xE0, 0xFE, /* local APIC address 0xFEE00000 */
	0x01, 0x00, 0x00, 0x00, /* flags: PCAT_COMPAT */
	MADT_LOCAL_APIC, 8, 0, 0, 0x01, 0, 0, 0,        /* CPU uid 0, APIC id 0, enabled */
	MADT_LOCAL_APIC, 8, 1, 1, 0x00, 0, 0, 0,        /* CPU uid 1, APIC id 1, disabled */
	MADT_IO_APIC, 12, 4, 0, 0x00, 0x00, 0xC0, 0xFE, 0x10, 0, 0, 0, /* id 4 at 0xFEC00000, GSI 16 */
	MADT_INTERRUPT_OVERRIDE, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00,    /* IRQ 0 -> GSI 2 */
	MADT_INTERRUPT_OVERRIDE, 10, 0, 9, 9, 0, 0, 0, 0x0D, 0x00,    /* IRQ 9 level, high */
	MADT_LOCAL_APIC_ADDRESS_OVERRIDE, 12, 0, 0, 0x00, 0x00, 0xE0, 0xFE, 0x01, 0, 0, 0,
	MADT_IO_APIC, 4, 0, 0,                          /* too short for an IOAPIC */
	MADT_LOCAL_APIC, 8, 2, 2, 0x01, 0, 0, 0,        /* never reached */
};
_Static_assert(sizeof(test_madt) == 116, "test MADT length field");

static void test_madt_fix_checksum(void)
{
	struct acpi_table_header *header = (void *)test_madt;
	header->checksum = 0;
	uint8_t sum = 0;
	for (size_t i = 0; i < sizeof(test_madt); i++)
		sum += test_madt[i];
	header->checksum = (uint8_t)-sum;
}

static const char *acpi_parse_selftest(void)
{
	struct acpi_info parsed;
	memset(&parsed, 0, sizeof(parsed));
	test_madt_fix_checksum();
	const struct acpi_table_header *header = table_map(virt_to_phys(test_madt), &parsed);
	if (header == NULL)
		return "a valid table was rejected";
	madt_parse(&parsed, header);
	if (parsed.cpu_count != 1 || parsed.cpu_apic_ids[0] != 0)
		return "enabled CPUs miscounted (disabled or unreached entry counted)";
	if (parsed.ioapic_count != 1 || parsed.ioapics[0].address != 0xFEC00000 || parsed.ioapics[0].gsi_base != 16)
		return "IOAPIC entry misread";
	if (parsed.override_count != 2 || parsed.overrides[0].gsi != 2 || parsed.overrides[1].flags != 0x0D)
		return "interrupt overrides misread";
	if (parsed.lapic_address != 0x1FEE00000ull || !parsed.has_8259)
		return "LAPIC address override or PCAT_COMPAT misread";
	test_madt[sizeof(test_madt) - 1] ^= 0xFF;
	header = table_map(virt_to_phys(test_madt), &parsed);
	test_madt[sizeof(test_madt) - 1] ^= 0xFF;
	if (header != NULL || parsed.tables_bad_checksum != 1)
		return "a table with a bad checksum was accepted";
	return NULL;
}
SELFTEST("acpiparse", acpi_parse_selftest);
