/* line_editor.c - the console's input line and its word splitter
 * (contract in line_editor.h). */
#include "kernel/console/line_editor.h"

#include <string.h>

#define KEY_CTRL_C 0x03
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U 0x15
#define KEY_ESCAPE 0x1B
#define KEY_DELETE 0x7F

void line_editor_reset(struct line_editor *editor)
{
	bool carriage_return = editor->last_was_carriage_return;
	memset(editor, 0, sizeof(*editor));
	editor->last_was_carriage_return = carriage_return;
}

static void echo_text(char *echo, size_t *echo_length, const char *text)
{
	size_t length = strlen(text);
	memcpy(echo + *echo_length, text, length);
	*echo_length += length;
}

/* ECMA-48 5.4: ESC [ then parameter/intermediate bytes, ended by a byte in
 * 0x40-0x7E; ESC followed by anything else is a two-byte sequence. */
static bool swallow_escape(struct line_editor *editor, unsigned char byte)
{
	switch (editor->escape) {
	case ESCAPE_STARTED:
		editor->escape = byte == '[' ? ESCAPE_SEQUENCE : ESCAPE_NONE;
		return true;
	case ESCAPE_SEQUENCE:
		if (byte >= 0x40 && byte <= 0x7E)
			editor->escape = ESCAPE_NONE;
		return true;
	default:
		if (byte != KEY_ESCAPE)
			return false;
		editor->escape = ESCAPE_STARTED;
		return true;
	}
}

static enum line_event end_of_line(struct line_editor *editor, char *echo, size_t *echo_length)
{
	echo_text(echo, echo_length, "\n");
	editor->text[editor->length] = '\0';
	return editor->dropped ? LINE_EVENT_TOO_LONG : LINE_EVENT_READY;
}

static void erase_last(struct line_editor *editor, char *echo, size_t *echo_length)
{
	if (editor->dropped) {
		editor->dropped--;   /* erases what was never shown */
		return;
	}
	if (editor->length == 0)
		return;
	editor->length--;
	echo_text(echo, echo_length, "\b \b");
}

enum line_event line_editor_feed(struct line_editor *editor, unsigned char byte, char *echo, size_t *echo_length)
{
	*echo_length = 0;
	bool after_carriage_return = editor->last_was_carriage_return;
	editor->last_was_carriage_return = byte == '\r';
	if (swallow_escape(editor, byte))
		return LINE_EVENT_NONE;
	switch (byte) {
	case '\n':
		if (after_carriage_return)
			return LINE_EVENT_NONE;   /* the LF of a CR LF */
		return end_of_line(editor, echo, echo_length);
	case '\r':
		return end_of_line(editor, echo, echo_length);
	case KEY_BACKSPACE:
	case KEY_DELETE:
		erase_last(editor, echo, echo_length);
		return LINE_EVENT_NONE;
	case KEY_CTRL_U:
		echo_text(echo, echo_length, "^U\n");
		return LINE_EVENT_CANCELLED;
	case KEY_CTRL_C:
		echo_text(echo, echo_length, "^C\n");
		return LINE_EVENT_CANCELLED;
	default:
		break;
	}
	if (byte < 0x20 || byte > 0x7E)
		return LINE_EVENT_NONE;
	if (editor->length + 1 >= sizeof(editor->text)) {
		editor->dropped++;
		return LINE_EVENT_NONE;
	}
	editor->text[editor->length++] = (char)byte;
	echo[(*echo_length)++] = (char)byte;
	return LINE_EVENT_NONE;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies one word starting at *read to write (never ahead of *read);
 * returns false on an unterminated quote. */
static bool take_word(char **read, char **write)
{
	char *in = *read, *out = *write;
	char quote = 0;
	for (; *in && (quote || !is_blank(*in)); in++) {
		if (quote == '\'' && *in == '\'') {
			quote = 0;
		} else if (quote == '"' && *in == '"') {
			quote = 0;
		} else if (!quote && (*in == '\'' || *in == '"')) {
			quote = *in;
		} else if (*in == '\\' && quote != '\'' && in[1] &&
			   (!quote || in[1] == '"' || in[1] == '\\')) {
			*out++ = *++in;
		} else {
			*out++ = *in;
		}
	}
	if (quote)
		return false;
	*read = in;
	*write = out;
	return true;
}

int console_split_arguments(char *line, char **words, int maximum, const char **error)
{
	int count = 0;
	char *read = line, *write = line;
	for (;;) {
		while (is_blank(*read))
			read++;
		if (*read == '\0')
			return count;
		if (count == maximum) {
			*error = "too many arguments";
			return -1;
		}
		char *word = write;
		if (!take_word(&read, &write)) {
			*error = "unterminated quote";
			return -1;
		}
		/* The terminator may land on the blank that ended the word, never
		 * on an unread character: write only trails read. */
		bool at_end = *read == '\0';
		*write++ = '\0';
		words[count++] = word;
		if (at_end)
			return count;
		read++;
	}
}
