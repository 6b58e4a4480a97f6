/*
 * xmlsniff.c - format sniffing for XML inputs (see xmlsniff.h).  Sniffing
 * must be cheap and must never fail, so it only narrows the first few KiB
 * to ASCII and looks at the first start tag; the real parsers decide.
 */
#include <string.h>

#include "xmlsniff.h"

size_t
irmf_xml_sniff_prefix(const char *buf, size_t len, char *out, size_t cap)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t n = 0, i = 0, step = 1;
	int hi = -1;   /* index of the high byte in a UTF-16 unit */

	if (cap == 0)
		return 0;
	if (len > IRMF_XMLSNIFF_WINDOW)
		len = IRMF_XMLSNIFF_WINDOW;
	if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		i = 2, step = 2, hi = 1;
	} else if (len >= 2 && b[0] == 0xfe && b[1] == 0xff) {
		i = 2, step = 2, hi = 0;
	} else if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		i = 3;
	} else if (len >= 2 && b[0] != 0 && b[1] == 0) {
		step = 2, hi = 1;
	} else if (len >= 2 && b[0] == 0 && b[1] != 0) {
		step = 2, hi = 0;
	}
	for (; i + step <= len && n + 1 < cap; i += step) {
		unsigned c;

		if (step == 2) {
			unsigned h = b[i + (size_t)hi], l = b[i + 1 - (size_t)hi];
			c = h ? '?' : l;
		} else {
			c = b[i];
		}
		if (c == 0)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	out[n] = '\0';
	return n;
}

/* Skip from p (at "<?" or "<!") past the construct; NULL if unfinished. */
static const char *
skip_markup(const char *p)
{
	const char *e;

	if (strncmp(p, "<!--", 4) == 0)
		e = strstr(p + 4, "-->");
	else
		e = strchr(p, '>');
	if (e == NULL)
		return NULL;
	return e + (*e == '-' ? 3 : 1);
}

const char *
irmf_xml_sniff_first_tag(const char *p)
{
	while (p != NULL && *p != '\0') {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (*p != '<')
			return NULL;
		if (p[1] == '?' || p[1] == '!') {
			p = skip_markup(p);
			continue;
		}
		return p;
	}
	return NULL;
}

int
irmf_xml_sniff_tag_is(const char *p, const char *name)
{
	size_t n = strlen(name);
	char c;

	if (p == NULL || *p != '<' || strncmp(p + 1, name, n) != 0)
		return 0;
	c = p[1 + n];
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' ||
	    c == '/';
}
