/* capture.c - placeholder for the capture contract (net/core/capture.h) until
 * the capture buffer lands: no session can be opened. */
#include "net/core/capture.h"

#include <errno.h>

int capture_start(struct netdev *dev, const struct capture_filter *filter, uint32_t frame_limit, uint64_t duration_ns)
{
	(void)dev;
	(void)filter;
	(void)frame_limit;
	(void)duration_ns;
	return -ENOSYS;
}

size_t capture_read(void *buffer, size_t capacity)
{
	(void)buffer;
	(void)capacity;
	return 0;
}

bool capture_finished(void) { return true; }

void capture_stop(void) {}

void capture_get_stats(struct capture_stats *stats)
{
	*stats = (struct capture_stats){0};
}

void capture_tap(struct netdev *dev, const struct pkt *pkt, enum capture_direction direction)
{
	(void)dev;
	(void)pkt;
	(void)direction;
}
