/* httpd - an HTTP/1.1 server (RFC 9110, 9112) for the site embedded at
 * build time, keel's default app. The same source builds against glibc
 * (tests/host/test_apps_linux.py runs both against the same checks).
 *
 *   httpd [--port=80] [--maxconn=1024] [--client-header-timeout=60]
 *         [--client-body-timeout=60] [--send-timeout=60]
 *         [--keepalive-timeout=75] [--client-max-body-size=1048576]
 *
 * Timeouts are in seconds and mean what nginx's directives of the same
 * names mean (server.h); the body size is in bytes, 0 for no limit.
 * --idle-timeout=N, the option of earlier versions, sets the header and
 * keep-alive timeouts. On keel, keel.httpd.<option>=<value> on the kernel
 * command line arrives here as --<option>=<value> (kernel/app/app.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/server.h"
#include "apps/httpd/site.h"

#define USAGE                                                                                       \
	"usage: httpd [--port=80] [--maxconn=1024] [--client-header-timeout=60] [--client-body-timeout=60]" \
	" [--send-timeout=60] [--keepalive-timeout=75] [--client-max-body-size=1048576]\n"

struct option {
	const char *name;
	unsigned long minimum, maximum;
	unsigned long *values[2];   /* what it sets (--idle-timeout sets two) */
};

/* Whether argument is --name=...; a bad number keeps the default. */
static bool parse_option(const char *argument, const struct option *option)
{
	size_t length = strlen(option->name);
	if (strncmp(argument, option->name, length) != 0 || argument[length] != '=')
		return false;
	char *end;
	unsigned long parsed = strtoul(argument + length + 1, &end, 10);
	if (end == argument + length + 1 || *end != '\0' || parsed < option->minimum || parsed > option->maximum) {
		printf("httpd: %s must be a number from %lu to %lu, using the default\n", argument, option->minimum,
		       option->maximum);
		return true;
	}
	for (int i = 0; i < 2 && option->values[i]; i++)
		*option->values[i] = parsed;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long port = 80, max_connections = 1024;
	struct server_config config = { .client_header_timeout = 60, .client_body_timeout = 60, .send_timeout = 60,
					.keepalive_timeout = 75, .client_max_body_size = 1024 * 1024 };
	const struct option options[] = {
		{ "--port", 0, 65535, { &port } },
		{ "--maxconn", 1, 1000000, { &max_connections } },
		{ "--client-header-timeout", 1, 86400, { &config.client_header_timeout } },
		{ "--client-body-timeout", 1, 86400, { &config.client_body_timeout } },
		{ "--send-timeout", 1, 86400, { &config.send_timeout } },
		{ "--keepalive-timeout", 1, 86400, { &config.keepalive_timeout } },
		{ "--client-max-body-size", 0, 1ul << 40, { &config.client_max_body_size } },
		{ "--idle-timeout", 1, 86400, { &config.client_header_timeout, &config.keepalive_timeout } },
	};
	for (int i = 1; i < argc; i++) {
		size_t known = 0;
		while (known < sizeof(options) / sizeof(options[0]) && !parse_option(argv[i], &options[known]))
			known++;
		if (known == sizeof(options) / sizeof(options[0])) {
			printf("httpd: unknown argument '%s'\n" USAGE, argv[i]);
			return 2;
		}
	}
	config.port = (uint16_t)port;
	config.max_connections = (unsigned)max_connections;
	size_t bytes = 0;
	for (unsigned i = 0; i < site_file_count; i++)
		bytes += site_files[i].length;
	printf("httpd: %u files (%zu bytes) on port %lu, up to %lu connections, timeouts (s): header %lu, "
	       "body %lu, send %lu, keep-alive %lu; request bodies up to %lu bytes\n", site_file_count, bytes, port,
	       max_connections, config.client_header_timeout, config.client_body_timeout, config.send_timeout,
	       config.keepalive_timeout, config.client_max_body_size);
	return server_run(&config);
}
