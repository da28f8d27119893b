/* devconf.c - see devconf.h. Devices are found by their interface index
 * (netdev_index, 1 for eth0); a device beyond IPV4_DEVCONF_DEVICES_MAX has
 * no entries of its own and reads `default` (said once on the console). */
#include "net/ipv4/devconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/sysctl.h"

#define IPV4_DEVCONF_DEVICES_MAX 16
#define DEFAULT_INSTANCE "default"

int64_t ipv4_ip_forward = 0;
/* Linux's kernel default is 0 (distributions' sysctl.d files set 1 or 2):
 * a router between asymmetric paths must not lose traffic by default. */
int64_t ipv4_rp_filter = 0;
SYSCTL_INTEGER("net.ipv4.conf.all.rp_filter", ipv4_rp_filter, 0, 2);
int64_t ipv4_send_redirects = 1;
SYSCTL_INTEGER("net.ipv4.conf.all.send_redirects", ipv4_send_redirects, 0, 1);
int64_t ipv4_accept_source_route = 0;
SYSCTL_INTEGER("net.ipv4.conf.all.accept_source_route", ipv4_accept_source_route, 0, 1);

/* Linux's ipv4_devconf_dflt: accept_source_route 1 (all's 0 wins through AND). */
static struct ipv4_devconf default_conf = { .forwarding = 0, .rp_filter = 0, .send_redirects = 1, .accept_source_route = 1 };
static struct ipv4_devconf device_conf[IPV4_DEVCONF_DEVICES_MAX];
static bool device_ready[IPV4_DEVCONF_DEVICES_MAX];

/* dev's own settings, taken from default the first time; NULL beyond the table. */
static struct ipv4_devconf *conf_of(const struct netdev *dev)
{
	unsigned index = dev ? netdev_index(dev) : 0;
	if (index == 0 || index > IPV4_DEVCONF_DEVICES_MAX)
		return NULL;
	if (!device_ready[index - 1]) {
		device_conf[index - 1] = default_conf;
		device_ready[index - 1] = true;
	}
	return &device_conf[index - 1];
}

void ipv4_devconf_init(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		if (conf_of(dev) == NULL)
			pr_warn("ipv4: %s has no net.ipv4.conf.%s.* of its own (more than %d devices): it reads default\n",
				dev->name, dev->name, IPV4_DEVCONF_DEVICES_MAX);
}

void ipv4_forwarding_set_all(bool value)
{
	ipv4_ip_forward = value;
	default_conf.forwarding = value;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		struct ipv4_devconf *conf = conf_of(dev);
		if (conf)
			conf->forwarding = value;
	}
}

struct ipv4_devconf *ipv4_devconf_of(const struct netdev *dev)
{
	struct ipv4_devconf *conf = conf_of(dev);
	return conf ? conf : &default_conf;
}

static const struct ipv4_devconf *effective(const struct netdev *in) { return ipv4_devconf_of(in); }

bool ipv4_devconf_forwarding(const struct netdev *in) { return in ? effective(in)->forwarding != 0 : ipv4_ip_forward != 0; }

int64_t ipv4_devconf_rp_filter(const struct netdev *in)
{
	int64_t device = in ? effective(in)->rp_filter : 0;
	return device > ipv4_rp_filter ? device : ipv4_rp_filter;
}

bool ipv4_devconf_send_redirects(const struct netdev *in)
{
	return ipv4_send_redirects || (in && effective(in)->send_redirects);
}

bool ipv4_devconf_accept_source_route(const struct netdev *in)
{
	return ipv4_accept_source_route && (!in || effective(in)->accept_source_route);
}

/* ---- net.ipv4.ip_forward and conf.all.forwarding: a write fans out ---- */

static bool parse_forwarding(const char *text, void *target)
{
	char *end;
	errno = 0;
	long value = strtol(text, &end, 0);
	if (end == text || *end != '\0' || errno != 0 || value < 0 || value > 1)
		return false;
	ipv4_forwarding_set_all(value != 0);
	return true;
}

static void format_forwarding(const void *target, char *out, size_t size)
{
	snprintf(out, size, "%lld", (long long)ipv4_ip_forward);
}

static const struct sysctl_vector ip_forward_vector = { &ipv4_ip_forward, parse_forwarding, format_forwarding, "0 or 1", NULL };
static const struct sysctl_vector all_forwarding_vector = { &ipv4_ip_forward, parse_forwarding, format_forwarding, "0 or 1", NULL };
SYSCTL_VECTOR("net.ipv4.ip_forward", ip_forward_vector);
SYSCTL_VECTOR("net.ipv4.conf.all.forwarding", all_forwarding_vector);

/* ---- the per-device families: default, then every device ---- */

static const char *instance_name(unsigned index)
{
	if (index == 0)
		return DEFAULT_INSTANCE;
	struct netdev *dev = netdev_first();
	for (unsigned at = 1; dev && at < index; at++)
		dev = dev->next;
	return dev ? dev->name : NULL;
}

static struct ipv4_devconf *instance_conf(const char *instance)
{
	if (strcmp(instance, DEFAULT_INSTANCE) == 0)
		return &default_conf;
	struct netdev *dev = netdev_find(instance);
	return dev ? conf_of(dev) : NULL;
}

#define DEVCONF_FAMILY(field, highest)                                                                  \
	static int64_t *value_of_##field(const char *instance)                                       \
	{                                                                                             \
		struct ipv4_devconf *conf = instance_conf(instance);                                 \
		return conf ? &conf->field : NULL;                                                    \
	}                                                                                             \
	static const struct sysctl_template field##_template = { "net.ipv4.conf.", "." #field, 0, highest, \
								  value_of_##field, instance_name };      \
	SYSCTL_TEMPLATE(field##_template)

DEVCONF_FAMILY(forwarding, 1);
DEVCONF_FAMILY(rp_filter, 2);
DEVCONF_FAMILY(send_redirects, 1);
DEVCONF_FAMILY(accept_source_route, 1);
