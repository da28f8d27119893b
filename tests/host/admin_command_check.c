/* admin_command_check.c - host test of the management port's POST /cmd
 * (net/admin/command.c) through the real console dispatch
 * (kernel/console/command.c) and response writer (net/admin/response.c):
 * views run for anyone; a state-changing invocation (as its registration
 * classifies it) is 403 without a configured token, 401 without the right
 * one, run with it; the body must be one line. The command line is faked
 * (cmdline_get), the commands are registered here. Built with ASan and
 * UBSan by tests/host/test_admin_http.py. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "console_capture.h"
#include "host_check.h"
#include "kernel/console/command.h"
#include "net/admin/internal.h"

static const char *configured_token;

const char *cmdline_get(const char *key)
{
	return strcmp(key, "keel.admin.token") == 0 ? configured_token : NULL;
}

static int value = 1;

static int tunable_command(struct console_output *out, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-w") == 0)
		value = argv[2][0] - '0';
	console_printf(out, "tunable = %d\n", value);
	return 0;
}

static bool tunable_changes_state(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], "-w") == 0;
}
CONSOLE_COMMAND_CHANGING("tunable", "test", tunable_command, tunable_changes_state);

static struct admin_connection connection;

/* Runs POST /cmd with body and an Authorization value (NULL: none);
 * returns the response text (head and body). */
static const char *post(const char *body, const char *authorization)
{
	memset(&connection, 0, sizeof(connection));
	struct http_request request = { .method = HTTP_METHOD_POST, .version_minor = 1, .keep_alive = true,
					.content_length = (uint32_t)strlen(body), .has_content_length = true };
	if (authorization) {
		request.authorization = authorization;
		request.authorization_length = strlen(authorization);
	}
	admin_command_request(&connection, &request, body);
	connection.output[connection.output_end] = '\0';
	return connection.output;
}

static bool status_is(const char *response, const char *status_line)
{
	return strncmp(response, status_line, strlen(status_line)) == 0;
}

static void check_without_token(void)
{
	configured_token = NULL;
	const char *response = post("tunable\n", NULL);
	CHECK(status_is(response, "HTTP/1.1 200 OK\r\n") && strstr(response, "X-Keel-Exit-Status: 0\r\n"));
	CHECK(strstr(response, "\r\n\r\ntunable = 1\n"));
	CHECK(status_is(post("tunable -w 5", NULL), "HTTP/1.1 403 Forbidden\r\n"));
	CHECK(status_is(post("tunable -w 5", "Bearer anything"), "HTTP/1.1 403 Forbidden\r\n"));
	CHECK(value == 1 && admin_stats.refusals[ADMIN_REFUSED_FORBIDDEN] == 2);
	CHECK(strstr(post("nosuch", NULL), "X-Keel-Exit-Status: 127\r\n"));
}

static void check_with_token(void)
{
	configured_token = "s3cret";
	const char *wrong[] = { NULL, "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret1", "Bearer S3cret",
				"Basic s3cret", "Bearers3cret", "Bearer  s3cret" };
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		const char *response = post("tunable -w 7", wrong[i]);
		CHECK(status_is(response, "HTTP/1.1 401 Unauthorized\r\n"));
		CHECK(strstr(response, "WWW-Authenticate: Bearer realm=\"keel\"\r\n"));
	}
	CHECK(value == 1 && admin_stats.refusals[ADMIN_REFUSED_UNAUTHORIZED] == sizeof(wrong) / sizeof(wrong[0]));
	CHECK(strstr(post("tunable -w 7", "Bearer s3cret"), "\r\n\r\ntunable = 7\n") && value == 7);
	CHECK(strstr(post("tunable -w 8", "bearer s3cret"), "\r\n\r\ntunable = 8\n") && value == 8);   /* scheme: any case */
	CHECK(admin_stats.commands_changing == 2);
	CHECK(status_is(post("tunable", "Bearer wrong"), "HTTP/1.1 200 OK\r\n"));   /* a view needs no token */
	CHECK(admin_stats.commands_changing == 2);
}

static void check_bodies(void)
{
	CHECK(status_is(post("", NULL), "HTTP/1.1 400 Bad Request\r\n"));
	CHECK(status_is(post("\r\n", NULL), "HTTP/1.1 400 Bad Request\r\n"));
	CHECK(status_is(post("tunable\ntunable -w 9\n", NULL), "HTTP/1.1 400 Bad Request\r\n"));
	CHECK(status_is(post("tunable\r\n", NULL), "HTTP/1.1 200 OK\r\n"));
	char long_line[300];
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	CHECK(status_is(post(long_line, NULL), "HTTP/1.1 400 Bad Request\r\n"));
}

int main(void)
{
	check_without_token();
	check_with_token();
	check_bodies();
	printf("admin command: %d failures\n", failures);
	return failures != 0;
}
