/*
 * regexist.c - read the answer of the registry key existence check (see
 * regexist.h for the format).  collect.c asks it about a key whose
 * `reg query` failed with a message it cannot read (a localized Windows):
 * only an explicit "absent" line lets that failure count as an absent key,
 * so the parser is strict and a doubtful answer is rejected as a whole.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "regexist.h"
#include "str.h"
#include "textlines.h"

#define HKLM_PREFIX "HKEY_LOCAL_MACHINE\\"

static const struct {
	const char *word;
	irmf_regexist_state state;
} states[] = {
	{ "present", IRMF_REGEXIST_PRESENT },
	{ "absent", IRMF_REGEXIST_ABSENT },
	{ "denied", IRMF_REGEXIST_DENIED },
	{ "error", IRMF_REGEXIST_UNKNOWN },
};

const char *
irmf_regexist_state_name(irmf_regexist_state st)
{
	switch (st) {
	case IRMF_REGEXIST_PRESENT:
		return "present";
	case IRMF_REGEXIST_ABSENT:
		return "absent";
	case IRMF_REGEXIST_DENIED:
		return "denied";
	default:
		return "unknown";
	}
}

void
irmf_regexist_free(irmf_regexist *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->e[i].key);
	free(x->e);
	free(x);
}

irmf_regexist_state
irmf_regexist_get(const irmf_regexist *x, const char *key)
{
	if (x == NULL || key == NULL)
		return IRMF_REGEXIST_UNKNOWN;
	for (size_t i = 0; i < x->n; i++)
		if (strcasecmp(x->e[i].key, key) == 0)
			return x->e[i].state;
	return IRMF_REGEXIST_UNKNOWN;
}

/* The key part of a line: under HKLM, printable, not empty below it. */
static int
check_key(irmf_slice k, const char *name, size_t lineno)
{
	size_t plen = sizeof(HKLM_PREFIX) - 1;

	if (k.n > IRMF_REGEXIST_MAX_KEY)
		return irmf_error_set(IRMF_ELIMIT, "%s:%zu: key longer than "
		    "%d bytes", name, lineno, IRMF_REGEXIST_MAX_KEY);
	if (k.n <= plen || strncasecmp(k.s, HKLM_PREFIX, plen) != 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a key "
		    "under 'HKEY_LOCAL_MACHINE\\' after the tab", name, lineno);
	for (size_t i = 0; i < k.n; i++)
		if ((unsigned char)k.s[i] < 0x20 || k.s[i] == 0x7f)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: control "
			    "character in the key", name, lineno);
	return IRMF_OK;
}

static int
parse_line(irmf_regexist *x, irmf_slice line, const char *name,
    size_t lineno)
{
	const char *tab = memchr(line.s, '\t', line.n);
	irmf_slice word, key;
	irmf_regexist_entry *e;
	size_t i;
	int r;

	if (tab == NULL)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
		    "'state<TAB>key', got no tab", name, lineno);
	word.s = line.s;
	word.n = (size_t)(tab - line.s);
	key.s = tab + 1;
	key.n = line.n - word.n - 1;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (irmf_slice_eq_ci(word, states[i].word))
			break;
	if (i == sizeof(states) / sizeof(states[0]))
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected present, "
		    "absent, denied or error, got '%.*s'", name, lineno,
		    (int)(word.n > 40 ? 40 : word.n), word.s);
	if ((r = check_key(key, name, lineno)) != 0)
		return r;
	if (x->n >= IRMF_REGEXIST_MAX_KEYS)
		return irmf_error_set(IRMF_ELIMIT, "%s:%zu: more than %d keys",
		    name, lineno, IRMF_REGEXIST_MAX_KEYS);
	for (size_t j = 0; j < x->n; j++)
		if (strlen(x->e[j].key) == key.n &&
		    strncasecmp(x->e[j].key, key.s, key.n) == 0)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: key '%s' "
			    "listed twice", name, lineno, x->e[j].key);
	/* one realloc per line: an answer has a handful of keys */
	if ((e = realloc(x->e, (x->n + 1) * sizeof(*e))) == NULL)
		return irmf_error_oom();
	x->e = e;
	e = &x->e[x->n];
	if ((e->key = irmf_strndup(key.s, key.n)) == NULL)
		return irmf_error_oom();
	e->state = states[i].state;
	x->n++;
	return IRMF_OK;
}

int
irmf_regexist_parse(irmf_regexist **out, const char *buf, size_t len,
    const char *name)
{
	irmf_regexist *x = NULL;
	char *text = NULL;
	size_t tlen;
	irmf_lines it;
	irmf_slice line;
	int r;

	*out = NULL;
	if (name == NULL)
		name = "registry-exists";
	if ((r = irmf_text_prepare(buf, len, name, &text, &tlen)) != 0)
		return r;
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	irmf_lines_init(&it, text, tlen);
	while (irmf_lines_next_slice(&it, &line)) {
		if (irmf_slice_blank(line))
			continue;
		if ((r = parse_line(x, line, name, it.lineno)) != 0)
			goto out;
	}
	*out = x;
	x = NULL;
out:
	irmf_regexist_free(x);
	free(text);
	return r;
}
