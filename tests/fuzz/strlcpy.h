/* strlcpy.h - forced into the cmdline harness's build (-include): the
 * declaration of keel's strlcpy (libc/src/string/strlcpy.c, linked in),
 * which Debian 12's glibc does not have. */
#include <stddef.h>
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
