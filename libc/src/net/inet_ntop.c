/* inet_ntop - IPv4 address to "a.b.c.d" (see arpa/inet.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

const char *inet_ntop(int family, const void *restrict address, char *restrict text, socklen_t size)
{
	if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	const unsigned char *bytes = address;
	char formatted[INET_ADDRSTRLEN];
	int length = snprintf(formatted, sizeof(formatted), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
	if ((socklen_t)length >= size) {
		errno = ENOSPC;
		return NULL;
	}
	for (int i = 0; i <= length; i++)
		text[i] = formatted[i];
	return text;
}
