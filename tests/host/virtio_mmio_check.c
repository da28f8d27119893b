/* virtio_mmio_check.c - drivers/virtio-net/virtio_mmio_location.c on the
 * host: the virtio_mmio.device= values QEMU's microvm and Firecracker pass
 * are taken, and every malformed or out-of-range one is refused without
 * touching the result. Prints "virtio_mmio: N failures". */
#include "tests/host/host_check.h"

#include <string.h>

#include "drivers/virtio-net/virtio_mmio_location.h"

struct good_case {
	const char *text;
	uint64_t base, size;
	uint32_t gsi;
};

static const struct good_case good[] = {
	{ "512@0xfeb00e00:12", 0xfeb00e00, 512, 12 },      /* QEMU microvm, acpi=off */
	{ "512@0xfeb02e00:47", 0xfeb02e00, 512, 47 },      /* microvm with ACPI: IOAPIC 2 */
	{ "4K@0xd0000000:5", 0xd0000000, 4096, 5 },        /* Firecracker */
	{ "0x200@4273999360:5", 4273999360u, 0x200, 5 },   /* decimal base */
	{ "64k@0x10000000:0", 0x10000000, 65536, 0 },
};

static const char *const bad[] = {
	"", "512", "512@", "512@0xfeb00e00", "512@0xfeb00e00:", "512@0xfeb00e00:12x", "512@0xfeb00e00:12 ",
	"@0xfeb00e00:12", "512x@0xfeb00e00:12", "0@0xfeb00e00:12", "255@0xfeb00e00:12", "65537@0xfeb00e00:12",
	"128K@0xfeb00e00:12", "512@0:12", "512@0xfeb00e01:12", "512@0xfeb00e00:4294967296",
	"-512@0xfeb00e00:12", "512@-0x1000:12", "512@0xfeb00e00:-1", " 512@0xfeb00e00:12", "512@ 0xfeb00e00:12",
	"512@0x10000000000000:12", "512@0xffffffffffffff00:12", "18014398509481984K@0x1000:5",
	"512@0xfeb00e00:0x1ffffffff", "512@0xfeb00e00::12", "512@@0xfeb00e00:12",
};

int main(void)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct virtio_mmio_location location = { 0 };
		CHECK(virtio_mmio_parse(good[i].text, &location) == 0);
		CHECK(location.base == good[i].base && location.size == good[i].size && location.gsi == good[i].gsi);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct virtio_mmio_location location = { 1, 2, 3 };
		int result = virtio_mmio_parse(bad[i], &location);
		if (result != -1)
			printf("accepted: \"%s\"\n", bad[i]);
		CHECK(result == -1);
		CHECK(location.base == 1 && location.size == 2 && location.gsi == 3);
	}
	printf("virtio_mmio: %d failures\n", failures);
	return failures != 0;
}
