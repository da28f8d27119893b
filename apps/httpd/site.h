/* site.h - the embedded site: one entry per file, generated at build time
 * by embed_site.py into the build directory, sorted by URL path (byte
 * order). The bytes live in the image's read-only data and are sent from
 * there directly. */
#ifndef HTTPD_SITE_H
#define HTTPD_SITE_H

#include <stddef.h>

struct site_file {
	const char *path;                /* URL path: "/index.html" */
	const unsigned char *data;
	size_t length;
	const char *etag;                /* strong entity-tag, quotes included */
	const char *last_modified;       /* IMF-fixdate of the file's mtime */
	long long mtime;                 /* seconds since 1970 UTC */
};

extern const struct site_file site_files[];
extern const unsigned site_file_count;

/* The file at path (already decoded and normalised), or NULL. */
const struct site_file *site_find(const char *path);
/* The Content-Type for a path, by its extension (application/octet-stream
 * when unknown). */
const char *site_content_type(const char *path);

#endif
