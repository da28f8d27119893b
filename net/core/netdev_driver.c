/* netdev_driver.c - runs every driver's probe (net/core/netdev_driver.h). */
#include "net/core/netdev_driver.h"

#include "kernel/console/printk.h"

extern const struct netdev_driver __start_netdev_drivers[];
extern const struct netdev_driver __stop_netdev_drivers[];

unsigned netdev_drivers_probe(void)
{
	unsigned devices = 0;
	for (const struct netdev_driver *driver = __start_netdev_drivers; driver < __stop_netdev_drivers; driver++) {
		int found = driver->probe();
		if (found < 0)
			pr_warn("net: driver %s probe failed\n", driver->name);
		else
			devices += (unsigned)found;
	}
	return devices;
}
