/* selftest.h - in-kernel self tests, run by `keel.selftest=<name>[,<name>...]`
 * (or `all`) after init. Each prints
 *     selftest: <name>: PASS
 * or  selftest: <name>: FAIL (<reason>)
 * and the run ends with "selftest: done: <n> passed, <m> failed". A
 * destructive test ends in a panic instead (that is what it checks). Tests are
 * declared with SELFTEST() next to the code they test. */
#ifndef KEEL_SELFTEST_H
#define KEEL_SELFTEST_H

#include <stdbool.h>

struct selftest {
	const char *name;
	/* Returns NULL on success or a short reason on failure. */
	const char *(*run)(void);
	/* Ends in a panic on purpose (shows the panic path); never part of `all`. */
	bool destructive;
};

#define SELFTEST(test_name, function)                                                  \
	static const struct selftest selftest_entry_##function                         \
		__attribute__((used, section(".selftests"), aligned(8))) = { test_name, function, false }
#define SELFTEST_DESTRUCTIVE(test_name, function)                                      \
	static const struct selftest selftest_entry_##function                         \
		__attribute__((used, section(".selftests"), aligned(8))) = { test_name, function, true }

void selftest_run_from_cmdline(void);

#endif
