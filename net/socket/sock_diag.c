/* sock_diag.c - the SOCK_DIAG table's bounds (net/socket/sock_diag.h), for
 * readers outside the socket layer (the management port's sockstat). */
#include "net/socket/sock_diag.h"

extern const struct sock_diag_handler __start_sock_diag_handlers[];
extern const struct sock_diag_handler __stop_sock_diag_handlers[];

const struct sock_diag_handler *sock_diag_first(void)
{
	return __start_sock_diag_handlers;
}

const struct sock_diag_handler *sock_diag_end(void)
{
	return __stop_sock_diag_handlers;
}
