/* http_date.h - HTTP-date (RFC 9110 5.6.7): seconds since 1970 UTC to and
 * from text. Generated dates are IMF-fixdate; all three formats recipients
 * must accept are parsed. */
#ifndef HTTPD_HTTP_DATE_H
#define HTTPD_HTTP_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define HTTP_DATE_LENGTH 29

void http_date_format(int64_t seconds, char text[HTTP_DATE_LENGTH + 1]);
/* IMF-fixdate, obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") or
 * asctime ("Sun Nov  6 08:49:37 1994"). now (seconds, or -1 when unknown)
 * places RFC 850's two-digit year: a year more than 50 years in the future
 * is the most recent past one with those digits (RFC 9110 5.6.7). False
 * when the text is none of these. */
bool http_date_parse(const char *text, size_t length, int64_t now, int64_t *seconds);

#endif
