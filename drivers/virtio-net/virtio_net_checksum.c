/* virtio_net_checksum.c - finishing a partial checksum in software: the
 * receive side of NEEDS_CSUM (virtio 1.2 section 5.1.6.4) and the transmit
 * side of PKT_CHECKSUM_PARTIAL when the device has no VIRTIO_NET_F_CSUM. */
#include "drivers/virtio-net/virtio_net.h"

#include <string.h>

#include "net/core/checksum.h"

#define CHECKSUM_FIELD_BYTES 2
#define CHECKSUM_ZERO_REPLACEMENT 0xFFFF   /* 0 and 0xFFFF are both zero in ones' complement */

int virtio_net_checksum_complete(uint8_t *frame, uint32_t length, uint32_t start, uint32_t offset)
{
	if (start > length || offset > length - start || length - start - offset < CHECKSUM_FIELD_BYTES)
		return -1;
	/* The field holds the pseudo-header sum, so summing from start covers it. */
	be16 checksum = internet_checksum(frame + start, length - start);
	/* As UDP requires (RFC 768), a computed 0 is sent as all ones. */
	if (checksum == 0)
		checksum = CHECKSUM_ZERO_REPLACEMENT;
	memcpy(frame + start + offset, &checksum, CHECKSUM_FIELD_BYTES);
	return 0;
}
