/* selftest.c - runs the self tests named on the command line (selftest.h). */
#include "kernel/core/selftest.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"

#include <string.h>

CMDLINE_KEY("keel.selftest", "comma-separated self tests to run after init, or 'all'");

extern const struct selftest __start_selftests[];
extern const struct selftest __stop_selftests[];

static unsigned tests_passed, tests_failed;

static void run_one(const struct selftest *test)
{
	pr_info("selftest: %s: running\n", test->name);
	const char *failure = test->run();
	if (failure) {
		tests_failed++;
		pr_info("selftest: %s: FAIL (%s)\n", test->name, failure);
	} else {
		tests_passed++;
		pr_info("selftest: %s: PASS\n", test->name);
	}
}

static void run_named(const char *name, size_t length)
{
	for (const struct selftest *test = __start_selftests; test < __stop_selftests; test++) {
		if (strlen(test->name) == length && strncmp(test->name, name, length) == 0) {
			run_one(test);
			return;
		}
	}
	tests_failed++;
	pr_info("selftest: %.*s: FAIL (no such test; known:", (int)length, name);
	for (const struct selftest *test = __start_selftests; test < __stop_selftests; test++)
		pr_info(" %s", test->name);
	pr_info(")\n");
}

void selftest_run_from_cmdline(void)
{
	const char *list = cmdline_get("keel.selftest");
	if (list == NULL)
		return;
	if (strcmp(list, "all") == 0) {
		for (const struct selftest *test = __start_selftests; test < __stop_selftests; test++)
			if (!test->destructive)
				run_one(test);
	} else {
		while (*list) {
			size_t length = strcspn(list, ",");
			if (length)
				run_named(list, length);
			list += length;
			if (*list == ',')
				list++;
		}
	}
	pr_info("selftest: done: %u passed, %u failed\n", tests_passed, tests_failed);
}
