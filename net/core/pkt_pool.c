/* pkt_pool.c - allocates the packet pool at boot: one physically contiguous
 * run of pages for the buffers (DMA-able, identity mapped) and one for the
 * descriptors and in-use flags. A pool that does not fit is halved until it
 * does, with a warning: a smaller pool works, an absent one does not. */
#include "net/core/pkt_pool.h"
#include "net/core/pkt.h"

#include "kernel/console/printk.h"
#include "kernel/core/power_of_two.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

#define PKT_POOL_MIN 64

static size_t pages_for(uint64_t bytes)
{
	return (size_t)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

static int pool_try_allocate(unsigned count)
{
	uint64_t buffer_bytes = (uint64_t)count * PKT_BUFFER_SIZE;
	uint64_t descriptor_bytes = (uint64_t)count * (sizeof(struct pkt) + 1);
	/* Not zeroed: a buffer is written (DMA, or the stack building a frame)
	 * before it is read, and zeroing 2 MiB is ~2 ms of boot under TCG. */
	uint64_t buffers = pmm_alloc_pages_uninitialized(pages_for(buffer_bytes));
	if (buffers == 0)
		return -1;
	uint64_t descriptors = pmm_alloc_pages(pages_for(descriptor_bytes));
	if (descriptors == 0) {
		pmm_free_pages(buffers, pages_for(buffer_bytes));
		return -1;
	}
	struct pkt *descriptor_array = phys_to_virt(descriptors);
	pkt_pool_attach(phys_to_virt(buffers), descriptor_array, (uint8_t *)(descriptor_array + count), count);
	return 0;
}

/* Half of the memory still free goes to the pool at most: the other half
 * is left to the rings, the sockets' buffers and the app's heap, so a small
 * machine (-m 4) still serves, with fewer buffers. Powers of two, as the
 * halving below. */
unsigned pkt_pool_size_for_memory(void)
{
	uint64_t free_bytes = pmm_get_stats().free_pages * PAGE_SIZE;
	uint64_t fitting = free_bytes / 2 / (PKT_BUFFER_SIZE + sizeof(struct pkt) + 1);
	unsigned count = fitting >= PKT_POOL_DEFAULT ? PKT_POOL_DEFAULT : round_down_power_of_two((unsigned)fitting);
	if (count < PKT_POOL_MIN)
		count = PKT_POOL_MIN;
	if (count != PKT_POOL_DEFAULT)
		pr_info("net: packet pool sized to the memory: %u buffers for %llu KiB free (keel.pkts= overrides)\n",
			count, (unsigned long long)(free_bytes / 1024));
	return count;
}

int pkt_pool_init(unsigned count)
{
	if (count < PKT_POOL_MIN) {
		pr_warn("net: keel.pkts=%u is below the minimum, using %u\n", count, PKT_POOL_MIN);
		count = PKT_POOL_MIN;
	}
	unsigned wanted = count;
	while (pool_try_allocate(count) != 0) {
		if (count / 2 < PKT_POOL_MIN) {
			pr_err("net: no memory for a packet pool of %u buffers\n", count);
			return -1;
		}
		count /= 2;
	}
	if (count != wanted)
		pr_warn("net: packet pool reduced to %u buffers (asked %u): not enough contiguous memory\n", count, wanted);
	pr_info("net: packet pool %u x %u bytes (%u KiB)\n", count, PKT_BUFFER_SIZE,
		(unsigned)((uint64_t)count * PKT_BUFFER_SIZE / 1024));
	return 0;
}
