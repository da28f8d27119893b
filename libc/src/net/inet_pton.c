/* inet_pton, inet_addr - IPv4 text to address (see arpa/inet.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>

/* Exactly four decimal parts 0-255, no leading zeros, nothing after. */
static int parse_dotted_quad(const char *text, uint8_t bytes[4])
{
	for (int part = 0; part < 4; part++) {
		if (part > 0 && *text++ != '.')
			return 0;
		if (*text < '0' || *text > '9')
			return 0;
		unsigned value = 0;
		const char *start = text;
		while (*text >= '0' && *text <= '9') {
			value = value * 10 + (unsigned)(*text++ - '0');
			if (value > 255)
				return 0;
		}
		if (text - start > 1 && *start == '0')
			return 0;
		bytes[part] = (uint8_t)value;
	}
	return *text == '\0';
}

int inet_pton(int family, const char *restrict text, void *restrict address)
{
	if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	uint8_t bytes[4];
	if (!parse_dotted_quad(text, bytes))
		return 0;
	uint8_t *out = address;
	for (int i = 0; i < 4; i++)
		out[i] = bytes[i];
	return 1;
}

in_addr_t inet_addr(const char *text)
{
	struct in_addr address;
	return inet_pton(AF_INET, text, &address) == 1 ? address.s_addr : INADDR_NONE;
}
