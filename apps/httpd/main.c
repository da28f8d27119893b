/* httpd - an HTTP/1.1 server (RFC 9110, 9112) for the site embedded at
 * build time, keel's default app. The same source builds against glibc
 * (tests/host/test_apps_linux.py runs both against the same checks).
 *
 *   httpd [--port=80] [--maxconn=1024] [--idle-timeout=10]
 *
 * On keel, keel.httpd.<option>=<value> on the kernel command line arrives
 * here as --<option>=<value> (kernel/app/app.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/server.h"
#include "apps/httpd/site.h"

static bool parse_option(const char *argument, const char *name, unsigned long minimum, unsigned long maximum,
			 unsigned long *value)
{
	size_t length = strlen(name);
	if (strncmp(argument, name, length) != 0 || argument[length] != '=')
		return false;
	char *end;
	unsigned long parsed = strtoul(argument + length + 1, &end, 10);
	if (end == argument + length + 1 || *end != '\0' || parsed < minimum || parsed > maximum) {
		printf("httpd: %s must be a number from %lu to %lu, using the default\n", argument, minimum, maximum);
		return true;
	}
	*value = parsed;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long port = 80, max_connections = 1024, idle_timeout = 10;
	for (int i = 1; i < argc; i++) {
		if (!parse_option(argv[i], "--port", 0, 65535, &port) &&
		    !parse_option(argv[i], "--maxconn", 1, 1000000, &max_connections) &&
		    !parse_option(argv[i], "--idle-timeout", 1, 86400, &idle_timeout)) {
			printf("httpd: unknown argument '%s'\nusage: httpd [--port=80] [--maxconn=1024] "
			       "[--idle-timeout=10]\n", argv[i]);
			return 2;
		}
	}
	size_t bytes = 0;
	for (unsigned i = 0; i < site_file_count; i++)
		bytes += site_files[i].length;
	printf("httpd: %u files (%zu bytes) on port %lu, up to %lu connections, idle timeout %lu s\n",
	       site_file_count, bytes, port, max_connections, idle_timeout);
	struct server_config config = { (uint16_t)port, (unsigned)max_connections, (unsigned)idle_timeout };
	return server_run(&config);
}
