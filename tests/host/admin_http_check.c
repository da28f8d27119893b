/* admin_http_check.c - runs the management port's request-head parser
 * (net/admin/http_request.c) on one request given in hex and prints what
 * it answered, for tests/host/test_admin_http.py:
 *
 *     admin_http_check HEX CAPACITY BODY_MAX
 *     -> "status=1 head=40 method=1 path=/metrics query= minor=1 keep_alive=1 length=0/0 auth="
 *
 * The bytes are copied into a buffer of exactly their size (ASan catches a
 * read past it); CAPACITY is the buffer the parser is told it has. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/admin/http_request.h"

static int hex_value(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	size_t length = strlen(argv[1]) / 2;
	char *bytes = malloc(length ? length : 1);
	for (size_t i = 0; i < length; i++)
		bytes[i] = (char)(hex_value(argv[1][2 * i]) << 4 | hex_value(argv[1][2 * i + 1]));
	struct http_request request;
	int status = admin_http_parse(bytes, length, strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10), &request);
	printf("status=%d", status);
	if (status == HTTP_PARSE_COMPLETE)
		printf(" head=%zu method=%d path=%.*s query=%.*s minor=%d keep_alive=%d length=%d/%u auth=%.*s", request.head_length,
		       (int)request.method, (int)request.path_length, request.path, (int)request.query_length, request.query,
		       request.version_minor, request.keep_alive, request.has_content_length, request.content_length,
		       (int)request.authorization_length, request.authorization);
	printf("\n");
	free(bytes);
	return 0;
}
