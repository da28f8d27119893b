/* console_check.c - host test of the operator console's pure parts: the
 * line editor and the word splitter (kernel/console/line_editor.c) and the
 * command dispatch (kernel/console/command.c) with commands registered here
 * the way the layers register theirs. Built with ASan and UBSan by
 * tests/host/test_console_line.py. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "console_capture.h"
#include "host_check.h"
#include "kernel/console/command.h"
#include "kernel/console/line_editor.h"


static int run_line(const char *line)
{
	console_capture_reset();
	return console_execute_text(&console_capture_output, line);
}

/* Commands that print their argv: "name|arg1|arg2". */
static int print_arguments(struct console_output *out, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		console_printf(out, "%s%s", i ? "|" : "", argv[i]);
	console_puts(out, "\n");
	return 7;
}
CONSOLE_COMMAND("ip link", "test", print_arguments);
CONSOLE_COMMAND("ip route", "test", print_arguments);
CONSOLE_COMMAND("ip", "test", print_arguments);
CONSOLE_COMMAND("cat /proc/net/dev", "test", print_arguments);

/* A command whose "-w" invocations change state (as sysctl's). */
static bool writes(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-w") == 0)
			return true;
	return false;
}
CONSOLE_COMMAND_CHANGING("tunable", "test", print_arguments, writes);

/* ---- the line editor ---- */

/* Feeds text; returns the last event, the echo of everything in echo_all. */
static enum line_event feed(struct line_editor *editor, const char *text, size_t length, char *echo_all)
{
	enum line_event event = LINE_EVENT_NONE;
	size_t echoed = 0;
	for (size_t i = 0; i < length; i++) {
		char echo[LINE_EDITOR_ECHO_MAX];
		size_t echo_length;
		event = line_editor_feed(editor, (unsigned char)text[i], echo, &echo_length);
		CHECK(echo_length <= LINE_EDITOR_ECHO_MAX);
		memcpy(echo_all + echoed, echo, echo_length);
		echoed += echo_length;
		if (event != LINE_EVENT_NONE && i + 1 < length)
			line_editor_reset(editor);
	}
	echo_all[echoed] = '\0';
	return event;
}

static void check_editor(void)
{
	struct line_editor editor;
	char echo[4096];
	memset(&editor, 0, sizeof(editor));
	line_editor_reset(&editor);
	CHECK(feed(&editor, "ip a\r", 5, echo) == LINE_EVENT_READY && strcmp(editor.text, "ip a") == 0);
	CHECK(strcmp(echo, "ip a\n") == 0);
	line_editor_reset(&editor);
	/* The LF of CR LF does not end a second (empty) line. */
	CHECK(feed(&editor, "\n", 1, echo) == LINE_EVENT_NONE && echo[0] == '\0');
	CHECK(feed(&editor, "x\n", 2, echo) == LINE_EVENT_READY && strcmp(editor.text, "x") == 0);
	line_editor_reset(&editor);
	/* Backspace and DEL erase; on an empty line they echo nothing. */
	CHECK(feed(&editor, "\x7fhx\x7fi\x08\x08ok\r", 10, echo) == LINE_EVENT_READY);
	CHECK(strcmp(editor.text, "ok") == 0 && strcmp(echo, "hx\b \bi\b \b\b \bok\n") == 0);
	line_editor_reset(&editor);
	/* Arrow keys (ESC [ A), F5 (ESC [ 1 5 ~), other control and high bytes: ignored. */
	CHECK(feed(&editor, "\x1b[A\x1b[15~\x01\x02\x80\xff" "ss\r", 15, echo) == LINE_EVENT_READY);
	CHECK(strcmp(editor.text, "ss") == 0 && strcmp(echo, "ss\n") == 0);
	line_editor_reset(&editor);
	CHECK(feed(&editor, "abc\x03", 4, echo) == LINE_EVENT_CANCELLED && strcmp(echo, "abc^C\n") == 0);
	line_editor_reset(&editor);
	CHECK(feed(&editor, "abc\x15", 4, echo) == LINE_EVENT_CANCELLED);
	line_editor_reset(&editor);
	/* Too long: the part past the limit is neither stored nor echoed. */
	char line[1001];
	memset(line, 'y', 1000);
	line[1000] = '\r';
	CHECK(feed(&editor, line, 1001, echo) == LINE_EVENT_TOO_LONG);
	CHECK(editor.length == CONSOLE_LINE_MAX - 1 && editor.length + editor.dropped == 1000);
	CHECK(strlen(echo) == CONSOLE_LINE_MAX - 1 + 1);
	line_editor_reset(&editor);
	/* Erasing back below the limit makes the line acceptable again. */
	memset(line, 'z', 300);
	feed(&editor, line, 300, echo);
	for (int i = 0; i < 300 - 10; i++)
		feed(&editor, "\x7f", 1, echo);
	CHECK(feed(&editor, "\r", 1, echo) == LINE_EVENT_READY && strlen(editor.text) == 10);
}

/* ---- the word splitter ---- */

static int split(const char *text, char **words, const char **error, char *storage)
{
	strcpy(storage, text);
	return console_split_arguments(storage, words, 4, error);
}

static void check_split(void)
{
	char storage[256];
	char *words[5];
	const char *error = NULL;
	CHECK(split("  ip   -s\tlink  ", words, &error, storage) == 3);
	CHECK(strcmp(words[0], "ip") == 0 && strcmp(words[1], "-s") == 0 && strcmp(words[2], "link") == 0);
	CHECK(split("a 'b c' \"d \\\"e\\\\\" f\\ g", words, &error, storage) == 4);
	CHECK(strcmp(words[1], "b c") == 0 && strcmp(words[2], "d \"e\\") == 0 && strcmp(words[3], "f g") == 0);
	CHECK(split("x '' y", words, &error, storage) == 3 && words[1][0] == '\0');
	CHECK(split("'it''s'", words, &error, storage) == 1 && strcmp(words[0], "its") == 0);
	CHECK(split("", words, &error, storage) == 0);
	CHECK(split("say \"unterminated", words, &error, storage) == -1 && strcmp(error, "unterminated quote") == 0);
	CHECK(split("a b c d e", words, &error, storage) == -1 && strcmp(error, "too many arguments") == 0);
	CHECK(split("trailing\\", words, &error, storage) == 1 && strcmp(words[0], "trailing\\") == 0);
}

/* ---- dispatch ---- */

static void check_dispatch(void)
{
	CHECK(run_line("ip -s link show dev eth0") == 7 && strcmp(console_capture_text(), "link|-s|show|dev|eth0\n") == 0);
	CHECK(run_line("ip r get 10.0.0.1") == 7 && strcmp(console_capture_text(), "r|get|10.0.0.1\n") == 0);     /* abbreviation */
	CHECK(run_line("ip neigh") == 7 && strcmp(console_capture_text(), "ip|neigh\n") == 0);                     /* the family's fallback */
	CHECK(run_line("cat /proc/net/dev") == 7 && strcmp(console_capture_text(), "/proc/net/dev\n") == 0);
	CHECK(run_line("cat /etc/passwd") == 127 && strcmp(console_capture_text(), "-keel: cat: command not found\n") == 0);
	CHECK(run_line("nosuch thing") == 127 && strcmp(console_capture_text(), "-keel: nosuch: command not found\n") == 0);
	CHECK(run_line("ip 'link") == 2 && strcmp(console_capture_text(), "-keel: unterminated quote\n") == 0);
	CHECK(run_line("   ") == 0 && console_capture_text()[0] == '\0');
	CHECK(run_line("help") == 0 && strstr(console_capture_text(), "  ip link ") && strstr(console_capture_text(), "  help "));
	/* Names in order: "cat ..." before "help" before "ip". */
	CHECK(strstr(console_capture_text(), "cat /proc") < strstr(console_capture_text(), "  help") && strstr(console_capture_text(), "  help") < strstr(console_capture_text(), "  ip "));
}

/* console_execute_restricted: the registration's classifier decides, and a
 * refused invocation neither runs nor prints (the caller answers). */
static int run_restricted(const char *line, bool may_change_state)
{
	char copy[256];
	console_capture_reset();
	strcpy(copy, line);
	return console_execute_restricted(&console_capture_output, copy, may_change_state);
}

static void check_restricted(void)
{
	CHECK(run_restricted("tunable -w x=1", false) == CONSOLE_STATUS_REFUSED && console_capture_text()[0] == '\0');
	CHECK(run_restricted("tunable x", false) == 7 && strcmp(console_capture_text(), "tunable|x\n") == 0);
	CHECK(run_restricted("tunable -w x=1", true) == 7 && strcmp(console_capture_text(), "tunable|-w|x=1\n") == 0);
	CHECK(run_restricted("ip link set eth0 down", false) == 7);   /* a plain CONSOLE_COMMAND is a view */
	CHECK(run_restricted("nosuch", false) == 127);
	CHECK(run_line("tunable -w y=2") == 7);                        /* the serial console runs everything */
}

int main(void)
{
	check_editor();
	check_split();
	check_dispatch();
	check_restricted();
	printf("console: %d failures\n", failures);
	return failures != 0;
}
