/* virtio_mmio_location.c - parsing one `virtio_mmio.device=` value (Linux's
 * syntax, Documentation/admin-guide/kernel-parameters.txt): the command line
 * is input like any other, so anything but a well-formed, sane window is
 * refused (contract in virtio_mmio_location.h). */
#include "drivers/virtio-net/virtio_mmio_location.h"
#include "drivers/virtio-net/virtio_mmio_regs.h"

#include <stdbool.h>
#include <stdlib.h>

#define VIRTIO_MMIO_WINDOW_MAXIMUM 0x10000ull
/* x86-64 physical addresses have at most 52 bits (SDM vol 3A 4.1.4). */
#define PHYSICAL_ADDRESS_LIMIT (1ull << 52)

/* A number that starts with a digit (strtoull alone would take leading
 * blanks and a sign, turning "-1" into 2^64 - 1). true with *end set. */
static bool parse_number(const char *text, uint64_t *value, const char **end)
{
	if (*text < '0' || *text > '9')
		return false;
	char *stop;
	*value = strtoull(text, &stop, 0);
	*end = stop;
	return stop != text;
}

int virtio_mmio_parse(const char *text, struct virtio_mmio_location *location)
{
	uint64_t size, base, gsi;
	const char *end;
	if (!parse_number(text, &size, &end) || size > VIRTIO_MMIO_WINDOW_MAXIMUM)
		return -1;
	if (*end == 'K' || *end == 'k') {
		size *= 1024;
		end++;
	}
	if (*end != '@' || !parse_number(end + 1, &base, &end) || *end != ':')
		return -1;
	if (!parse_number(end + 1, &gsi, &end) || *end != '\0' || gsi > UINT32_MAX)
		return -1;
	if (size < VIRTIO_MMIO_WINDOW_MINIMUM || size > VIRTIO_MMIO_WINDOW_MAXIMUM || base == 0 || (base & 3) ||
	    base >= PHYSICAL_ADDRESS_LIMIT || base + size > PHYSICAL_ADDRESS_LIMIT)
		return -1;
	*location = (struct virtio_mmio_location){ .base = base, .size = size, .gsi = (uint32_t)gsi };
	return 0;
}
