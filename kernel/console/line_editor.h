/* line_editor.h - the operator console's input line, one received byte at a
 * time, as a terminal in canonical mode edits it: printable ASCII is added
 * and echoed, Backspace/DEL erases the last character ("\b \b"), Ctrl-U
 * ("^U") and Ctrl-C ("^C") abandon the line for a fresh prompt, CR, LF or CR LF end it. Other
 * control bytes, bytes above 0x7E and ANSI escape sequences (arrow keys:
 * ESC [ ... final byte) are ignored. The line holds at most
 * CONSOLE_LINE_MAX - 1 characters: what is typed beyond that is not
 * stored or echoed, and ending such a line reports it as too long (the
 * operator sees an error, never a silently cut command).
 *
 * Pure (no I/O): the caller writes the echo and acts on the event; host
 * tests drive it directly (tests/host/console_check.c). */
#ifndef KEEL_CONSOLE_LINE_EDITOR_H
#define KEEL_CONSOLE_LINE_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_LINE_MAX 256
#define LINE_EDITOR_ECHO_MAX 8  /* most bytes one input byte echoes ("\b \b", "^C\n") */

enum line_event {
	LINE_EVENT_NONE,       /* keep feeding */
	LINE_EVENT_READY,      /* text holds a whole line (possibly empty) */
	LINE_EVENT_TOO_LONG,   /* the line ended but had more than CONSOLE_LINE_MAX - 1 characters */
	LINE_EVENT_CANCELLED,  /* Ctrl-C: the line was abandoned */
};

enum line_escape_state { ESCAPE_NONE, ESCAPE_STARTED, ESCAPE_SEQUENCE };

struct line_editor {
	char text[CONSOLE_LINE_MAX];
	size_t length;
	size_t dropped;              /* characters typed beyond the limit */
	bool last_was_carriage_return;
	enum line_escape_state escape;
};

void line_editor_reset(struct line_editor *editor);
/* Feeds one byte; writes what to echo to echo (LINE_EDITOR_ECHO_MAX bytes)
 * and its length to *echo_length. On READY text is NUL-terminated; the
 * editor must then be reset before the next byte. */
enum line_event line_editor_feed(struct line_editor *editor, unsigned char byte, char *echo, size_t *echo_length);

#define CONSOLE_ARGUMENTS_MAX 32

/* Splits line in place into words as a POSIX shell does for simple words:
 * blanks separate, '...' is literal, "..." keeps blanks and takes \" and \\
 * as escapes, a backslash outside quotes takes the next character. Returns
 * the number of words (at most maximum), or -1 with *error set to the
 * reason ("unterminated quote", "too many arguments"). */
int console_split_arguments(char *line, char **words, int maximum, const char **error);

#endif
