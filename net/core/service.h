/* service.h - in-stack services: code that runs inside the stack on top of
 * a protocol without an application (today only the test services of
 * net/testing/: TCP and UDP echo, TCP fault injection). A service declares
 * itself with NET_SERVICE next to its code; the linker collects the entries
 * (linker.ld) and net_init starts them all once the protocols are up, so
 * neither the protocols nor the bring-up name any service. A service's
 * start reads its own command-line keys and does nothing when they are
 * absent. */
#ifndef KEEL_NET_SERVICE_H
#define KEEL_NET_SERVICE_H

struct net_service {
	const char *name;
	void (*start)(void);
};

#define NET_SERVICE(service_name, start_function)                                          \
	static const struct net_service net_service_entry_##start_function                 \
		__attribute__((used, section("net_services"), aligned(8))) = { service_name, start_function }

/* Starts every registered service, in link order. */
void net_services_start(void);

#endif
