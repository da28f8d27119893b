/* netdev_driver.h - how a NIC driver makes itself known: one line
 *
 *     NETDEV_DRIVER("e1000", e1000_probe);
 *
 * in the driver's file puts { name, probe } in the netdev_drivers linker
 * section. net_init() calls every probe once, after PCI enumeration; a probe
 * scans PCI, calls netdev_register() for every device it drives and returns
 * how many it registered (0 when it found none, never a failure for absent
 * hardware). net_init() then calls ops->open on each registered device.
 *
 * Interrupt counting: a driver's interrupt handler increments dev->interrupts
 * itself (it knows whether the interrupt was its own, e.g. a shared INTx line
 * with ICR/ISR = 0); netdev_schedule_poll() only schedules. */
#ifndef KEEL_NET_NETDEV_DRIVER_H
#define KEEL_NET_NETDEV_DRIVER_H

struct netdev_driver {
	const char *name;
	int (*probe)(void);
};

/* Section name without a leading dot: a C identifier, so GNU ld defines
 * __start_/__stop_ symbols for it even without a linker script entry. */
#define NETDEV_DRIVER(driver_name, probe_function)                                         \
	static const struct netdev_driver netdev_driver_entry_##probe_function             \
		__attribute__((used, section("netdev_drivers"), aligned(8))) = { driver_name, probe_function }

/* Calls every registered driver's probe; returns the devices registered. */
unsigned netdev_drivers_probe(void);

#endif
