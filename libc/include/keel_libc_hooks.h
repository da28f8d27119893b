/* keel_libc_hooks.h - what the libc needs from the system it runs on. The
 * libc defines each hook weakly with a do-nothing fallback (so that it
 * links and runs alone, e.g. in host tests); the kernel's strong
 * definitions (kernel/app/libc_hooks.c) replace them in the image. */
#ifndef KEEL_LIBC_HOOKS_H
#define KEEL_LIBC_HOOKS_H

#include <stddef.h>
#include <stdint.h>

/* Writes text to the console (printf, puts). Fallback: discards it. */
void keel_console_write(const char *text, size_t length);
/* Nanoseconds of the monotonic clock. Fallback: 0. */
uint64_t keel_monotonic_ns(void);
/* Nanoseconds since 1970-01-01 00:00 UTC, or -1 when the machine has no
 * real-time clock. Fallback: -1. */
int64_t keel_realtime_ns(void);

#endif
