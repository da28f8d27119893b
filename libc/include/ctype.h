/* ctype.h - character classes of ASCII in the "C" locale.
 *
 * Every function accepts any int: EOF, negative values and values above 255
 * belong to no class, and toupper/tolower return them unchanged. Bytes
 * 0x80..0xff belong to no class either (no locales here). */
#ifndef KEEL_CTYPE_H
#define KEEL_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif
