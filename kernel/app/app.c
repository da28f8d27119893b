/* app.c - launching the in-image application (contract in kernel/app/app.h). */
#include "kernel/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/panic.h"

CMDLINE_KEY("keel.app.args", "arguments of the app's main(), comma separated (argv[1]...)");

#define APP_ARGUMENTS_MAX 64

/* The app's entry point; absent (NULL) with APP=none. */
int main(int argc, char **argv) __attribute__((weak));
/* Written by apps/apps.mk into the build directory. */
extern const char keel_app_name[] __attribute__((weak));

struct argument_list {
	char *words[APP_ARGUMENTS_MAX + 1];
	int count;
};

static const char *app_name(void)
{
	return keel_app_name ? keel_app_name : "app";
}

bool app_present(void)
{
	return main != NULL;
}

static void add_argument(struct argument_list *list, const char *text, size_t length)
{
	if (list->count == APP_ARGUMENTS_MAX) {
		pr_warn("app: more than %d arguments, ignoring '%.*s'\n", APP_ARGUMENTS_MAX, (int)length, text);
		return;
	}
	char *word = malloc(length + 1);
	if (!word)
		return;
	memcpy(word, text, length);
	word[length] = '\0';
	list->words[list->count++] = word;
}

static void add_comma_separated(struct argument_list *list, const char *text)
{
	while (text && *text) {
		const char *comma = strchr(text, ',');
		size_t length = comma ? (size_t)(comma - text) : strlen(text);
		if (length)
			add_argument(list, text, length);
		text = comma ? comma + 1 : NULL;
	}
}

/* keel.<app>.<name>=value -> "--<name>=value" */
static void add_option(const char *key, const char *value, void *context)
{
	struct argument_list *list = context;
	const char *name = key + strlen("keel.") + strlen(app_name()) + 1;
	char option[256];
	int length = snprintf(option, sizeof(option), "--%s=%s", name, value);
	if (length < 0 || (size_t)length >= sizeof(option)) {
		pr_warn("app: option %s is too long, ignored\n", key);
		return;
	}
	add_argument(list, option, (size_t)length);
}

void app_run(void)
{
	static struct argument_list arguments;
	char prefix[64];
	add_argument(&arguments, app_name(), strlen(app_name()));
	add_comma_separated(&arguments, cmdline_get("keel.app.args"));
	snprintf(prefix, sizeof(prefix), "keel.%s.", app_name());
	cmdline_for_each_prefix(prefix, add_option, &arguments);
	arguments.words[arguments.count] = NULL;
	pr_info("app: starting %s with %d argument%s\n", app_name(), arguments.count - 1,
		arguments.count == 2 ? "" : "s");
	int status = main(arguments.count, arguments.words);
	printk(LOG_ALWAYS, "app: %s exited with status %d\n", app_name(), status);
	kernel_shutdown("the app exited");
}
