/* virtio_net_ordering.c - how virtio-net orders its ring updates against the
 * device: plain fences, or a device barrier (virtqueue.h) where fences do not
 * reach the device's thread.
 *
 * keel.virtio_ordering=auto (default): the device barrier under QEMU's TCG
 * (kernel/arch/x86/hypervisor.h), fences elsewhere; =fence or =exit force
 * one. The barrier reads the device status register: no side effect
 * (4.1.4.3, 4.2.2), and QEMU serializes the access under its global lock,
 * which orders our earlier stores before our later loads for the device's
 * thread. */
#include "drivers/virtio-net/virtio_net.h"

#include <string.h>

#include "kernel/arch/x86/hypervisor.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"

CMDLINE_KEY("keel.virtio_ordering", "auto|fence|exit: how virtio rings are ordered against the device (default auto: "
				    "exit under QEMU TCG, whose fences do not reach device threads with one vCPU)");

static void status_read_barrier(void *context)
{
	struct virtio_net *vn = context;
	vn->transport.ops->get_status(&vn->transport);
	vn->counters.device_barriers++;
}

static bool wants_device_barrier(struct virtio_net *vn)
{
	const char *mode = cmdline_get("keel.virtio_ordering");
	if (mode == NULL || strcmp(mode, "auto") == 0)
		return hypervisor_fences_unreliable();
	if (strcmp(mode, "exit") == 0)
		return true;
	if (strcmp(mode, "fence") != 0)
		pr_warn("%s: keel.virtio_ordering=%s is not auto, fence or exit; using auto\n", vn->netdev.name, mode);
	return strcmp(mode, "fence") != 0 && hypervisor_fences_unreliable();
}

void virtio_net_setup_ordering(struct virtio_net *vn)
{
	if (!wants_device_barrier(vn))
		return;
	virtqueue_set_device_barrier(&vn->rx_queue, status_read_barrier, vn);
	virtqueue_set_device_barrier(&vn->tx_queue, status_read_barrier, vn);
	pr_info("%s: fences may not reach the device (QEMU TCG): ring updates are ordered by reading "
		"the device status\n", vn->netdev.name);
}
