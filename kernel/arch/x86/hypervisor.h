/* hypervisor.h - what the hypervisor we run under does to the guest's memory
 * ordering.
 *
 * A driver that shares a ring with a device emulated in another host thread
 * (virtio, 2.7.13.4 and 2.7.7.2 of the virtio 1.2 spec) needs a full
 * barrier between its store of an index and its load of the device's
 * suppression field. QEMU's TCG before 8.1 compiles a guest's fences
 * (mfence, locked instructions) to nothing when the machine has one vCPU
 * (QEMU commit c914d46d "tcg: Do not elide memory barriers for !CF_PARALLEL
 * in system mode"), so the host CPU may reorder that store and load and the
 * device thread misses the store. Only a VM exit (an access to a device
 * register, which QEMU serializes under its global lock) orders them then. */
#ifndef KEEL_HYPERVISOR_H
#define KEEL_HYPERVISOR_H

#include <stdbool.h>

/* True under QEMU's TCG (CPUID leaf 0x40000000 signature "TCGTCGTCGTCG"),
 * where our fences may not order memory against device threads. Cached. */
bool hypervisor_fences_unreliable(void);

#endif
