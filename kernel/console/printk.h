/* printk.h - kernel log with Linux's levels.
 *
 * As in Linux, a message is printed only when its level is numerically below
 * the console level (`loglevel=`, default 7 = everything but debug). Lines are printed whole;
 * `printk.time=1` prefixes them with the monotonic time like Linux. The
 * console is COM1 unless `console=` names another port (ttyS0, ttyS1). */
#ifndef KEEL_PRINTK_H
#define KEEL_PRINTK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_ALWAYS = -1, /* contract lines such as "keel: ready": never filtered */
	LOG_EMERG = 0,
	LOG_ALERT = 1,
	LOG_CRIT = 2,
	LOG_ERR = 3,
	LOG_WARNING = 4,
	LOG_NOTICE = 5,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

__attribute__((format(printf, 2, 3))) void printk(int level, const char *format, ...);
void vprintk(int level, const char *format, va_list arguments);

/* Console set-up: early (COM1, before the command line is parsed) then final. */
void console_init_early(void);
void console_configure(void);
void console_set_level(int level);
/* Holds console output in memory while defer is true; false writes it all
 * out. Returns the bytes that were held. Used around kernel init. */
size_t console_defer(bool defer);
/* Writes raw bytes to the console, bypassing levels (used by panic); ends
 * any deferral first so that nothing is lost or reordered. */
void console_write(const char *text, unsigned long length);
/* The UART the console is on (COM1 unless console= says otherwise). */
uint16_t console_serial_port(void);

#define pr_emerg(...) printk(LOG_EMERG, __VA_ARGS__)
#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

#endif
