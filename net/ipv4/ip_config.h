/* ip_config.h - the `ip=` command-line parameter, in Linux's nfsroot syntax
 * (Documentation/admin-guide/nfs/nfsroot.rst):
 *
 *   ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 *
 * or one autoconf word alone (ip=dhcp, ip=off). Empty fields take Linux's
 * defaults: netmask classful from the client address, no gateway, the first
 * device. Pure parsing (no kernel calls), so host tests can run it. */
#ifndef KEEL_NET_IP_CONFIG_H
#define KEEL_NET_IP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "net/core/byteorder.h"

enum ip_config_method {
	IP_CONFIG_OFF = 0,        /* ip=off / ip=none, or no ip= at all */
	IP_CONFIG_STATIC,         /* a client address was given */
	IP_CONFIG_AUTOCONF,       /* dhcp, bootp, both, on, any: net/dhcp; rarp: not implemented */
};

struct ip_config {
	enum ip_config_method method;
	be32 client, server, gateway, netmask;   /* 0 when absent */
	char hostname[64];
	char device[16];
	char autoconf[8];
};

/* Parses text (the value after "ip="). Returns NULL, or a short reason why
 * it is malformed (config then says IP_CONFIG_OFF). */
const char *ip_config_parse(const char *text, struct ip_config *config);
/* Strict dotted quad: four decimal numbers 0-255, nothing else. */
bool ipv4_address_parse(const char *text, size_t length, be32 *address);
/* "10.99.0.2"; buffer needs 16 bytes. Returns buffer. */
char *ipv4_address_format(be32 address, char *buffer);
/* Number of leading one bits, or -1 when mask is not contiguous. */
int ipv4_netmask_prefix_length(be32 mask);

#endif
