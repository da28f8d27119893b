/* service.c - starting the in-stack services (contract in net/core/service.h). */
#include "net/core/service.h"

extern const struct net_service __start_net_services[];
extern const struct net_service __stop_net_services[];

void net_services_start(void)
{
	for (const struct net_service *service = __start_net_services; service < __stop_net_services; service++)
		service->start();
}
