/* ip_config.c - parses `ip=` (net/ipv4/ip_config.h). */
#include "net/ipv4/ip_config.h"

#include <stdio.h>
#include <string.h>

#define IP_CONFIG_FIELDS_MAX 10

static const char *const autoconf_words[] = { "dhcp", "bootp", "rarp", "both", "on", "any" };

bool ipv4_address_parse(const char *text, size_t length, be32 *address)
{
	uint32_t value = 0;
	unsigned octets = 0, digits = 0, octet = 0;
	for (size_t i = 0; i <= length; i++) {
		char c = i < length ? text[i] : '.';
		if (c >= '0' && c <= '9') {
			octet = octet * 10 + (unsigned)(c - '0');
			if (++digits > 3 || octet > 255)
				return false;
		} else if (c == '.' && digits > 0 && octets < 4) {
			value = value << 8 | octet;
			octets++;
			digits = octet = 0;
		} else {
			return false;
		}
	}
	if (octets != 4)
		return false;
	*address = htonl(value);
	return true;
}

char *ipv4_address_format(be32 address, char *buffer)
{
	uint32_t value = ntohl(address);
	snprintf(buffer, 16, "%u.%u.%u.%u", value >> 24, value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF);
	return buffer;
}

int ipv4_netmask_prefix_length(be32 mask)
{
	uint32_t value = ntohl(mask);
	int length = 0;
	while (length < 32 && (value & (0x80000000u >> length)))
		length++;
	uint32_t expected = length ? ~0u << (32 - length) : 0;
	return value == expected ? length : -1;
}

/* Linux's default when <netmask> is empty: the classful mask (RFC 791 3.2). */
static be32 classful_netmask(be32 address)
{
	uint32_t first_octet = ntohl(address) >> 24;
	if (first_octet < 128)
		return htonl(0xFF000000u);
	if (first_octet < 192)
		return htonl(0xFFFF0000u);
	return htonl(0xFFFFFF00u);
}

static bool is_autoconf_word(const char *text, size_t length)
{
	for (size_t i = 0; i < sizeof(autoconf_words) / sizeof(autoconf_words[0]); i++)
		if (strlen(autoconf_words[i]) == length && strncmp(text, autoconf_words[i], length) == 0)
			return true;
	return false;
}

static bool is_off_word(const char *text, size_t length)
{
	return (length == 3 && strncmp(text, "off", 3) == 0) || (length == 4 && strncmp(text, "none", 4) == 0);
}

/* Copies a field into a fixed string; false when it does not fit. */
static bool copy_field(char *destination, size_t size, const char *text, size_t length)
{
	if (length >= size)
		return false;
	memcpy(destination, text, length);
	destination[length] = '\0';
	return true;
}

static const char *parse_address_field(const char *text, size_t length, be32 *address)
{
	if (length == 0)
		return NULL;
	return ipv4_address_parse(text, length, address) ? NULL : "bad address";
}

/* One field, by its position in the nfsroot syntax. */
static const char *parse_field(unsigned index, const char *text, size_t length, struct ip_config *config)
{
	switch (index) {
	case 0: return parse_address_field(text, length, &config->client);
	case 1: return parse_address_field(text, length, &config->server);
	case 2: return parse_address_field(text, length, &config->gateway);
	case 3: return parse_address_field(text, length, &config->netmask);
	case 4: return copy_field(config->hostname, sizeof(config->hostname), text, length) ? NULL : "hostname too long";
	case 5: return copy_field(config->device, sizeof(config->device), text, length) ? NULL : "device name too long";
	case 6:
		if (length && !is_off_word(text, length) && !is_autoconf_word(text, length))
			return "unknown autoconf method";
		return copy_field(config->autoconf, sizeof(config->autoconf), text, length) ? NULL : "autoconf too long";
	default: /* dns0, dns1, ntp0: accepted, not used yet */
		{
			be32 ignored;
			return parse_address_field(text, length, &ignored);
		}
	}
}

static const char *parse_fields(const char *text, struct ip_config *config)
{
	unsigned index = 0;
	for (const char *field = text;; index++) {
		const char *end = strchr(field, ':');
		size_t length = end ? (size_t)(end - field) : strlen(field);
		if (index >= IP_CONFIG_FIELDS_MAX)
			return "too many fields";
		const char *error = parse_field(index, field, length, config);
		if (error)
			return error;
		if (!end)
			return NULL;
		field = end + 1;
	}
}

static const char *choose_method(struct ip_config *config)
{
	/* A client address makes the configuration static whatever <autoconf>
	 * says: Linux's own static example ends in ":off". */
	if (config->client == 0) {
		bool off = is_off_word(config->autoconf, strlen(config->autoconf));
		config->method = off ? IP_CONFIG_OFF : IP_CONFIG_AUTOCONF;
		return NULL;
	}
	uint32_t client = ntohl(config->client);
	if (client >> 28 >= 0xE || client >> 24 == 0 || client >> 24 == 127)
		return "client address not a unicast host address";
	if (config->netmask == 0)
		config->netmask = classful_netmask(config->client);
	if (ipv4_netmask_prefix_length(config->netmask) < 0)
		return "netmask not contiguous";
	config->method = IP_CONFIG_STATIC;
	return NULL;
}

const char *ip_config_parse(const char *text, struct ip_config *config)
{
	*config = (struct ip_config){ .method = IP_CONFIG_OFF };
	size_t length = strlen(text);
	if (is_off_word(text, length))
		return NULL;
	if (is_autoconf_word(text, length)) {
		copy_field(config->autoconf, sizeof(config->autoconf), text, length);
		config->method = IP_CONFIG_AUTOCONF;
		return NULL;
	}
	const char *error = parse_fields(text, config);
	if (!error)
		error = choose_method(config);
	if (error)
		*config = (struct ip_config){ .method = IP_CONFIG_OFF };
	return error;
}
