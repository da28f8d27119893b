/* command.c - POST /cmd: one console command line as the body, answered
 * with the text the serial console would print (the CONSOLE_COMMAND
 * registry, kernel/console/command.h, run with its output captured).
 *
 * Views run for whoever reaches the port. An invocation its registration
 * classifies as changing state runs only with "Authorization: Bearer
 * <keel.admin.token>" (401 otherwise, 403 when no token is configured).
 * The token is compared in constant time: the time depends only on the
 * configured token's length, never on where a guess first differs. The
 * command's exit status is the X-Keel-Exit-Status field. */
#include <stdio.h>
#include <string.h>

#include "kernel/console/command.h"
#include "kernel/console/line_editor.h"
#include "kernel/core/cmdline.h"
#include "net/admin/internal.h"

CMDLINE_SECRET_KEY("keel.admin.token", "bearer token the management port's state-changing /cmd commands need");

#define BEARER "Bearer "
/* The body of one response: the output buffer less room for the head. */
#define CAPTURE_MAX (ADMIN_OUTPUT_MAX - 512)
#define TRUNCATED_NOTE "\n-keel: output truncated (the management port answers at most 15872 bytes)\n"

struct capture {
	char text[CAPTURE_MAX];
	size_t length;
	bool truncated;
};

static struct capture capture;   /* one command runs at a time: the loop is single-threaded */

static void capture_write(void *context, const char *text, size_t length)
{
	struct capture *into = context;
	size_t room = sizeof(into->text) - sizeof(TRUNCATED_NOTE) - into->length;
	if (length > room) {
		length = room;
		into->truncated = true;
	}
	memcpy(into->text + into->length, text, length);
	into->length += length;
}

bool admin_token_configured(void)
{
	const char *token = cmdline_get("keel.admin.token");
	return token && token[0];
}

/* Every byte of the configured token is looked at whatever the guess. */
static bool same_secret(const char *expected, const char *given, size_t given_length)
{
	size_t expected_length = strlen(expected);
	unsigned difference = expected_length != given_length;
	for (size_t i = 0; i < expected_length; i++) {
		unsigned char guess = i < given_length ? (unsigned char)given[i] : 0;
		difference |= (unsigned char)expected[i] ^ guess;
	}
	return difference == 0;
}

bool admin_request_authorized(const struct http_request *request)
{
	const char *token = cmdline_get("keel.admin.token");
	size_t prefix = strlen(BEARER);
	/* The scheme is case-insensitive (RFC 9110 11.1), the token is not. */
	if (!token || !token[0] || request->authorization_length <= prefix ||
	    strncasecmp(request->authorization, BEARER, prefix) != 0)
		return false;
	return same_secret(token, request->authorization + prefix, request->authorization_length - prefix);
}

/* The body is one line: a final CRLF or LF is dropped, any other control
 * character refuses it. Returns the line's length or -1. */
static int body_line(const char *body, size_t length, char *line)
{
	while (length && (body[length - 1] == '\n' || body[length - 1] == '\r'))
		length--;
	if (length == 0 || length >= CONSOLE_LINE_MAX)
		return -1;
	for (size_t i = 0; i < length; i++)
		if ((unsigned char)body[i] < ' ' && body[i] != '\t')
			return -1;
	memcpy(line, body, length);
	line[length] = '\0';
	return (int)length;
}

void admin_command_request(struct admin_connection *connection, const struct http_request *request,
			   const char *body)
{
	char line[CONSOLE_LINE_MAX];
	if (body_line(body, request->content_length, line) < 0) {
		admin_refuse(connection, ADMIN_REFUSED_BAD_REQUEST, request->keep_alive, "",
			     "the body is one console command line (at most 255 characters)");
		return;
	}
	bool authorized = admin_request_authorized(request);
	capture.length = 0;
	capture.truncated = false;
	struct console_output out = { capture_write, &capture, CONSOLE_CALLER_MANAGEMENT_PORT };
	/* Run as a caller without the token first: a view runs, a changing
	 * invocation comes back refused and runs again if the token was right. */
	char copy[CONSOLE_LINE_MAX];
	memcpy(copy, line, sizeof(copy));
	int status = console_execute_restricted(&out, copy, false);
	if (status == CONSOLE_STATUS_REFUSED && authorized) {
		admin_stats.commands_changing++;
		status = console_execute_restricted(&out, line, true);
	} else if (status == CONSOLE_STATUS_REFUSED) {
		if (!admin_token_configured())
			admin_refuse(connection, ADMIN_REFUSED_FORBIDDEN, request->keep_alive, "",
				     "this command changes state and keel.admin.token is not set");
		else
			admin_refuse(connection, ADMIN_REFUSED_UNAUTHORIZED, request->keep_alive,
				     "WWW-Authenticate: Bearer realm=\"keel\"\r\n", "this command changes state: send the token");
		return;
	}
	if (capture.truncated) {
		memcpy(capture.text + capture.length, TRUNCATED_NOTE, sizeof(TRUNCATED_NOTE) - 1);
		capture.length += sizeof(TRUNCATED_NOTE) - 1;
	}
	char fields[48];
	snprintf(fields, sizeof(fields), "X-Keel-Exit-Status: %d\r\n", status);
	admin_respond(connection, 200, fields, "text/plain; charset=utf-8", capture.text, capture.length,
		      request->keep_alive);
}
