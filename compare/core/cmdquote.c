/*
 * cmdquote.c - quoting values for suggested fix commands, cmd.exe/reg.exe
 * and PowerShell (see cmdquote.h for the rules each follows and why).
 * Both the consensus fixes (explain.c) and the rule remediation templates
 * (rules_report.c) put every value through here.
 */
#include <string.h>

#include "cmdquote.h"
#include "irmfleet/textesc.h"

bool
irmf_cmd_arg_ok(const char *s)
{
	return s != NULL && irmf_text_is_plain(s) && strpbrk(s, "\"%!") == NULL;
}

bool
irmf_cmd_arg(irmf_buf *b, const char *s)
{
	size_t n, tail = 0;

	if (!irmf_cmd_arg_ok(s))
		return false;
	n = strlen(s);
	while (tail < n && s[n - 1 - tail] == '\\')
		tail++;
	irmf_buf_add(b, "\"");
	irmf_buf_add(b, s);
	/* the C runtime reads 2k backslashes before the closing quote as k
	 * literal ones; the quote then still closes the argument */
	for (size_t i = 0; i < tail; i++)
		irmf_buf_add(b, "\\");
	irmf_buf_add(b, "\"");
	return true;
}

bool
irmf_ps_str_ok(const char *s)
{
	return s != NULL && irmf_text_is_plain(s);
}

/* Length of the single quote at s (ASCII or U+2018-U+201B), or 0. */
static size_t
ps_quote_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '\'')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b)
		return 3;
	return 0;
}

bool
irmf_ps_str(irmf_buf *b, const char *s)
{
	const char *p, *run;

	if (!irmf_ps_str_ok(s))
		return false;
	irmf_buf_add(b, "'");
	for (p = run = s; *p; ) {
		size_t q = ps_quote_len(p);
		if (q == 0) {
			p++;
			continue;
		}
		/* the quote twice: PowerShell reads the pair as one */
		irmf_buf_addn(b, run, (size_t)(p - run) + q);
		irmf_buf_addn(b, p, q);
		p += q;
		run = p;
	}
	irmf_buf_add(b, run);
	irmf_buf_add(b, "'");
	return true;
}
