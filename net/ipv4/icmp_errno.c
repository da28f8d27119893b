/* icmp_errno.c - what a received ICMP error means to a socket: the errno
 * and whether the error is hard (RFC 1122 4.2.3.9: codes 2-4 of
 * destination unreachable and parameter problem say the peer cannot be
 * reached this way; net and host unreachable and time exceeded may be
 * transient). The values are Linux's icmp_err_convert, so that
 * applications see the errno they would see on Linux. */
#include "net/ipv4/icmp.h"

#include <errno.h>

#include "net/wire/icmp.h"

/* Linux's icmp_err_convert table: errno and hard (fatal) per code. Code 8
 * (source host isolated) is ENONET in Linux; our libc has no ENONET. */
static const struct {
	int error;
	bool hard;
} unreachable_errors[ICMP_UNREACHABLE_CODE_MAX + 1] = {
	[0] = { ENETUNREACH, false },    /* network unreachable */
	[1] = { EHOSTUNREACH, false },   /* host unreachable */
	[2] = { ENOPROTOOPT, true },     /* protocol unreachable */
	[3] = { ECONNREFUSED, true },    /* port unreachable */
	[4] = { EMSGSIZE, false },       /* fragmentation needed and DF set */
	[5] = { EOPNOTSUPP, false },     /* source route failed */
	[6] = { ENETUNREACH, true },     /* destination network unknown */
	[7] = { EHOSTDOWN, true },       /* destination host unknown */
	[8] = { EHOSTUNREACH, true },    /* source host isolated */
	[9] = { ENETUNREACH, true },     /* network administratively prohibited */
	[10] = { EHOSTUNREACH, true },   /* host administratively prohibited */
	[11] = { ENETUNREACH, false },   /* network unreachable for TOS */
	[12] = { EHOSTUNREACH, false },  /* host unreachable for TOS */
	[13] = { EHOSTUNREACH, true },   /* communication administratively prohibited */
	[14] = { EHOSTUNREACH, true },   /* host precedence violation */
	[15] = { EHOSTUNREACH, true },   /* precedence cutoff in effect */
};

int icmp_error_errno(const struct icmp_error_report *report, bool *hard)
{
	*hard = false;
	switch (report->type) {
	case ICMP_TYPE_DESTINATION_UNREACHABLE:
		if (report->code > ICMP_UNREACHABLE_CODE_MAX)
			return 0;
		*hard = unreachable_errors[report->code].hard;
		return unreachable_errors[report->code].error;
	case ICMP_TYPE_TIME_EXCEEDED:
		return EHOSTUNREACH;                 /* soft: a routing loop may heal */
	case ICMP_TYPE_PARAMETER_PROBLEM:
		*hard = true;
		return EPROTO;
	default:
		return 0;
	}
}
