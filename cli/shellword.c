/*
 * shellword.c - print a word so that a POSIX shell reads it back as it
 * was: the commands the tool suggests ("rerun only these with: ...") are
 * meant to be pasted, so a path with a space or a quote must survive.
 * Nothing here is ever run by irmfleet itself.
 */
#include <string.h>

#include "cli.h"

void
cli_put_word(FILE *f, const char *w)
{
	/* plain words as they are: what a person would have typed */
	if (w[0] != '\0' && w[strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-")] == '\0') {
		fputs(w, f);
		return;
	}
	fputc('\'', f);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	fputc('\'', f);
}
