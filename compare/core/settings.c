/*
 * settings.c - flatten a snapshot into comparable settings (settings.h).
 *
 * Registry data are rendered once for display and once normalized.  The
 * redirection keys (ExchangeServer\v1x\IRM\*Redirection and MSIPC
 * ...\LicensingRedirection) have URLs as value names, and a fleet migrated
 * from AD RMS legitimately carries extra values there, so such a key is one
 * setting whose value is the set of its name => data pairs; every other
 * registry value is a setting of its own.
 *
 * A fleet flattens thousands of snapshots, so nothing here allocates per
 * setting: key, value and norm are rendered into a flattener's reused
 * buffers and then copied once, or interned into the fleet's string pool
 * (where the flattener remembers what the previous snapshots interned).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "settings.h"
#include "identity.h"
#include "buf.h"
#include "strpool.h"

const char *const irmf_settings_reg_roots[] = {
	"HKLM\\SOFTWARE\\Microsoft\\MSDRM",
	"HKLM\\SOFTWARE\\Microsoft\\MSIPC",
	"HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSDRM",
	"HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC",
	"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM",
	"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM",
	"HKLM\\SOFTWARE\\Microsoft\\AADRM",
	NULL
};

/* Get-IRMConfiguration properties that describe the AD object or the
 * session rather than the configuration; they never drift meaningfully. */
static const char *const irm_volatile_props[] = {
	"Identity", "Id", "Guid", "DistinguishedName", "WhenChanged",
	"WhenCreated", "WhenChangedUTC", "WhenCreatedUTC", "OriginatingServer",
	"ObjectState", "IsValid", "ExchangeVersion", "PSComputerName",
	"RunspaceId", "PSShowComputerName", "OrganizationId", "ObjectCategory",
	"ObjectClass", "Name", "AdminDisplayName", "ServerCertificatesVersion",
	NULL
};

static const char *const redirection_suffixes[] = {
	"\\IRM\\CertificationServerRedirection",
	"\\IRM\\LicenseServerRedirection",
	"\\ServiceLocation\\LicensingRedirection",
	NULL
};

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------- scratch */

/* A buffer emptied for reuse; one that failed is dropped instead, so that
 * its sticky error does not outlive the setting that hit it. */
static void
buf_reset(irmf_buf *b)
{
	if (b->err) {
		irmf_buf_free(b);
		return;
	}
	b->n = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

static void
put_c(irmf_buf *b, char c)
{
	irmf_buf_addn(b, &c, 1);
}

static void
put_lower(irmf_buf *b, const char *s, size_t n)
{
	size_t at = b->n;

	irmf_buf_addn(b, s, n);
	if (b->err)
		return;
	for (size_t i = at; i < b->n; i++)
		b->p[i] = (char)tolower((unsigned char)b->p[i]);
}

static void
put_lower_str(irmf_buf *b, const char *s)
{
	if (s != NULL)
		put_lower(b, s, strlen(s));
}

static void
put_norm_url(irmf_buf *b, const char *s)
{
	size_t start, len;
	bool fold;

	if (s == NULL)
		return;
	irmf_norm_url_span(s, &start, &len, &fold);
	if (fold)
		put_lower(b, s + start, len);
	else
		irmf_buf_addn(b, s + start, len);
}

static void
put_dec(irmf_buf *b, unsigned long long v)
{
	char d[24], *p = d + sizeof(d);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	irmf_buf_addn(b, p, (size_t)(d + sizeof(d) - p));
}

static void
put_hex(irmf_buf *b, unsigned long long v)
{
	static const char digit[] = "0123456789abcdef";
	char d[24], *p = d + sizeof(d);

	do
		*--p = digit[v & 15];
	while ((v >>= 4) != 0);
	irmf_buf_addn(b, p, (size_t)(d + sizeof(d) - p));
}

/* Members of a set value, rendered one after the other (NUL-terminated)
 * into one arena and joined sorted, without duplicates, by set_join. */
static void
set_reset(irmf_setbuf *s)
{
	buf_reset(&s->arena);
	s->n = 0;
}

/* Start a member: render it into the returned buffer, then set_end. */
static irmf_buf *
set_begin(irmf_setbuf *s)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		size_t *p = realloc(s->offs, ncap * sizeof(*p));
		if (p == NULL) {
			s->arena.err = irmf_error_oom();
			return &s->arena;
		}
		s->offs = p;
		s->cap = ncap;
	}
	s->offs[s->n++] = s->arena.n;
	return &s->arena;
}

static void
set_end(irmf_setbuf *s)
{
	irmf_buf_addn(&s->arena, "", 1);   /* the member's NUL */
}

/* Append the members to dst sorted (set semantics: order and duplicates
 * carry no meaning), separated by sep. */
static void
set_join(irmf_setbuf *s, irmf_buf *dst, char sep)
{
	const char **v;
	size_t at;

	if (s->arena.err) {
		dst->err = s->arena.err;
		return;
	}
	if (s->n == 1) {   /* the common case: nothing to sort */
		irmf_buf_add(dst, s->arena.p);
		return;
	}
	if (s->n == 0)
		return;
	at = dst->n;
	/* the arena is complete: its offsets become stable pointers */
	if ((v = malloc(s->n * sizeof(*v))) == NULL) {
		dst->err = irmf_error_oom();
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		v[i] = s->arena.p + s->offs[i];
	qsort(v, s->n, sizeof(*v), cmp_cstr);
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if (dst->n > at)   /* an empty first member has no separator */
			put_c(dst, sep);
		irmf_buf_add(dst, v[i]);
	}
	free(v);
}

/* ---------------------------------------------------------- settings list */

void
irmf_flattener_init(irmf_flattener *f, struct irmf_strpool *pool)
{
	memset(f, 0, sizeof(*f));
	f->pool = pool;
}

void
irmf_flattener_release(irmf_flattener *f)
{
	irmf_buf_free(&f->key);
	irmf_buf_free(&f->value);
	irmf_buf_free(&f->norm);
	irmf_buf_free(&f->set.arena);
	irmf_buf_free(&f->multi.arena);
	free(f->set.offs);
	free(f->multi.offs);
	free(f->memo);
	free(f->pos);
	free(f->prev_keys);
	free(f->perm);
	free(f->tmp);
	memset(f, 0, sizeof(*f));
}

/* Interned copy of b's string: first from the memo of this thread's
 * recent strings (a fleet repeats the same few hundred), else from the
 * pool, whose lock and table are then the only shared work. */
static const char *
intern(irmf_flattener *f, const irmf_buf *b)
{
	const char *s = b->p ? b->p : "";
	uint64_t h = irmf_strpool_hash(s, b->n);
	irmf_memo_entry *e = NULL;
	const char *r;

	if (f->memo == NULL)   /* without a memo, only slower */
		f->memo = calloc(IRMF_FLATTEN_MEMO, sizeof(*f->memo));
	if (f->memo != NULL) {
		e = &f->memo[(h >> 40) & (IRMF_FLATTEN_MEMO - 1)];
		if (e->s != NULL && e->hash == h && e->len == b->n &&
		    memcmp(e->s, s, b->n) == 0)
			return e->s;
	}
	if ((r = irmf_strpool_intern_hashed(f->pool, s, b->n, h)) != NULL &&
	    e != NULL) {
		e->s = r;
		e->len = b->n;
		e->hash = h;
	}
	return r;
}

/* Interned copy of b's string that was the setting's string number `which`
 * (key, value, norm) at the same position in the previous snapshot: the
 * servers of a fleet list mostly the same settings in the same order, so
 * one memcmp usually finds it without hashing. */
static const char *
intern_at(irmf_flattener *f, size_t pos, int which, const irmf_buf *b)
{
	irmf_pos_entry *e = pos < f->npos ? &f->pos[pos] : NULL;
	const char *r;

	if (e != NULL && e->s[which] != NULL && e->len[which] == b->n &&
	    memcmp(e->s[which], b->p ? b->p : "", b->n) == 0)
		return e->s[which];
	if ((r = intern(f, b)) != NULL && e != NULL) {
		e->s[which] = r;
		e->len[which] = b->n;
	}
	return r;
}

/* Room in the positional memo for position pos (else go without). */
static void
pos_reserve(irmf_flattener *f, size_t pos)
{
	size_t ncap;
	irmf_pos_entry *p;

	if (pos < f->npos)
		return;
	ncap = f->npos ? f->npos * 2 : 128;
	while (ncap <= pos)
		ncap *= 2;
	if ((p = realloc(f->pos, ncap * sizeof(*p))) == NULL)
		return;
	memset(p + f->npos, 0, (ncap - f->npos) * sizeof(*p));
	f->pos = p;
	f->npos = ncap;
}

/* Push the setting rendered in f->key, f->value and f->norm. */
static int
emit(irmf_flattener *f, irmf_section sec)
{
	irmf_settings *s = f->out;
	char *k = NULL, *v = NULL, *n = NULL;

	if (f->key.err || f->value.err || f->norm.err)
		goto fail;   /* the buffer already set the error */
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 32;
		irmf_setting *p = realloc(s->items, ncap * sizeof(*p));
		if (p == NULL) {
			irmf_error_oom();
			goto fail;
		}
		s->items = p;
		s->cap = ncap;
	}
	if (f->pool != NULL) {   /* never written through */
		pos_reserve(f, s->n);
		if ((k = (char *)intern_at(f, s->n, 0, &f->key)) == NULL ||
		    (v = (char *)intern_at(f, s->n, 1, &f->value)) == NULL ||
		    (n = (char *)intern_at(f, s->n, 2, &f->norm)) == NULL)
			goto fail;
	} else if ((k = irmf_strndup(f->key.p ? f->key.p : "",
	    f->key.n)) == NULL ||
	    (v = irmf_strndup(f->value.p ? f->value.p : "",
	    f->value.n)) == NULL ||
	    (n = irmf_strndup(f->norm.p ? f->norm.p : "", f->norm.n)) == NULL)
		goto fail;
	s->items[s->n].key = k;
	s->items[s->n].value = v;
	s->items[s->n].norm = n;
	s->items[s->n].section = sec;
	s->n++;
	buf_reset(&f->value);
	buf_reset(&f->norm);
	return IRMF_OK;
fail:
	if (f->pool == NULL) {
		free(k);
		free(v);
		free(n);
	}
	return IRMF_ENOMEM;
}

void
irmf_settings_clear(irmf_settings *s)
{
	for (size_t i = 0; i < s->n && !s->pooled; i++) {
		free(s->items[i].key);
		free(s->items[i].value);
		free(s->items[i].norm);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static int
cmp_setting(const void *a, const void *b)
{
	return strcasecmp(((const irmf_setting *)a)->key,
	    ((const irmf_setting *)b)->key);
}

const irmf_setting *
irmf_settings_find(const irmf_settings *s, const char *key)
{
	irmf_setting probe = { 0 };

	probe.key = (char *)key;
	if (s->n == 0)
		return NULL;
	return bsearch(&probe, s->items, s->n, sizeof(probe), cmp_setting);
}

/* ------------------------------------------------------------- registry */

static const char hklm_full[] = "HKEY_LOCAL_MACHINE";

/* Length of the HKEY_LOCAL_MACHINE root at the start of canon, or 0. */
static size_t
hklm_root_len(const char *canon)
{
	size_t n = sizeof(hklm_full) - 1;

	if (strncasecmp(canon, hklm_full, n) != 0 ||
	    (canon[n] != '\0' && canon[n] != '\\'))
		return 0;
	return n;
}

static void
put_display_path(irmf_buf *b, const char *canon)
{
	size_t n = hklm_root_len(canon);

	if (n > 0)
		irmf_buf_add(b, "HKLM");
	irmf_buf_add(b, canon + n);
}

char *
irmf_reg_display_path(const char *canon)
{
	irmf_buf b = IRMF_BUF_INIT;

	put_display_path(&b, canon);
	return irmf_buf_take(&b);
}

static bool
under_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(path, prefix, n) == 0 &&
	    (path[n] == '\0' || path[n] == '\\');
}

static bool
is_relevant_key(const char *display)
{
	for (size_t i = 0; irmf_settings_reg_roots[i]; i++)
		if (under_prefix(display, irmf_settings_reg_roots[i]))
			return true;
	return false;
}

static bool
is_redirection_key(const char *path, size_t n)
{
	for (size_t i = 0; redirection_suffixes[i]; i++) {
		size_t m = strlen(redirection_suffixes[i]);
		if (n >= m && strcasecmp(path + n - m,
		    redirection_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static void
put_hex_bytes(irmf_buf *b, const unsigned char *p, size_t n)
{
	static const char digit[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		char d[2] = { digit[p[i] >> 4], digit[p[i] & 15] };
		irmf_buf_addn(b, d, 2);
	}
}

/* Data as collected, for display. */
static void
put_data(irmf_buf *b, const irmf_reg_value *v)
{
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		irmf_buf_add(b, v->str);
		return;
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		irmf_buf_add(b, "0x");
		put_hex(b, (unsigned long long)v->num);
		return;
	case IRMF_REG_MULTI_SZ:
		for (size_t i = 0; i < v->nmulti; i++) {
			if (i > 0)
				irmf_buf_add(b, "\\0");
			irmf_buf_add(b, v->multi[i]);
		}
		return;
	default:
		put_hex_bytes(b, v->bin, v->nbin);
	}
}

/* Data normalized (without type tag). */
static void
put_norm_data(irmf_flattener *f, irmf_buf *b, const irmf_reg_value *v)
{
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		put_norm_url(b, v->str);
		return;
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		put_dec(b, (unsigned long long)v->num);
		return;
	case IRMF_REG_MULTI_SZ:
		/* order carries no meaning in the values irmfleet compares */
		set_reset(&f->multi);
		for (size_t i = 0; i < v->nmulti; i++) {
			put_norm_url(set_begin(&f->multi), v->multi[i]);
			set_end(&f->multi);
		}
		set_join(&f->multi, b, '\n');
		return;
	default:
		put_hex_bytes(b, v->bin, v->nbin);
	}
}

const char *
irmf_setting_name_of_value(const char *name)
{
	if (name[0] == '\0')
		return "(default)";
	/* a value literally named "(default)" (what a GPO's
	 * Set-GPRegistryValue -ValueName '(default)' can create) is not the
	 * default value, which Windows reads: it gets a key of its own */
	if (strcasecmp(name, "(default)") == 0)
		return IRMF_LITERAL_DEFAULT;
	return name;
}

const char *
irmf_setting_value_name(const char *segment)
{
	if (strcasecmp(segment, "(default)") == 0)
		return "";
	if (strcasecmp(segment, IRMF_LITERAL_DEFAULT) == 0)
		return "(default)";
	return segment;
}

static const char *
value_name(const irmf_reg_value *v)
{
	return irmf_setting_name_of_value(v->name);
}

/* One setting per value; f->key holds "reg:<display path>" (klen). */
static int
add_reg_value(irmf_flattener *f, size_t klen, const irmf_reg_value *v)
{
	const char *type = irmf_reg_type_name(v->type);

	f->key.n = klen;
	put_c(&f->key, '\\');
	irmf_buf_add(&f->key, value_name(v));
	irmf_buf_add(&f->value, type);
	put_c(&f->value, ' ');
	put_data(&f->value, v);
	irmf_buf_add(&f->norm, type);
	put_c(&f->norm, ' ');
	put_norm_data(f, &f->norm, v);
	return emit(f, IRMF_SECTION_REGISTRY);
}

/* One setting for the key: the set of its name => data pairs. */
static int
add_redirection_key(irmf_flattener *f, const irmf_reg_key *k)
{
	set_reset(&f->set);
	for (size_t i = 0; i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		const char *type = irmf_reg_type_name(v->type);
		irmf_buf *e;

		if (i > 0)
			irmf_buf_add(&f->value, "; ");
		irmf_buf_add(&f->value, value_name(v));
		irmf_buf_add(&f->value, " => ");
		put_data(&f->value, v);
		if (v->type != IRMF_REG_SZ) {
			irmf_buf_add(&f->value, " (");
			irmf_buf_add(&f->value, type);
			put_c(&f->value, ')');
		}
		e = set_begin(&f->set);
		put_norm_url(e, value_name(v));
		irmf_buf_add(e, " => ");
		put_norm_data(f, e, v);
		put_c(e, ' ');
		irmf_buf_add(e, type);
		set_end(&f->set);
	}
	set_join(&f->set, &f->norm, '\n');
	return emit(f, IRMF_SECTION_REGISTRY);
}

static int
extract_registry(irmf_flattener *f, const irmf_snapshot *snap)
{
	for (size_t i = 0; i < snap->nkeys; i++) {
		const irmf_reg_key *k = &snap->keys[i];
		size_t klen;
		int rc = IRMF_OK;

		/* the display path once per key, as every value's key prefix */
		buf_reset(&f->key);
		irmf_buf_add(&f->key, "reg:");
		put_display_path(&f->key, k->path);
		if (f->key.err)
			return IRMF_ENOMEM;
		klen = f->key.n;
		if (!is_relevant_key(f->key.p + 4))
			continue;
		if (is_redirection_key(f->key.p + 4, klen - 4))
			rc = add_redirection_key(f, k);
		else
			for (size_t j = 0; j < k->nvalues && rc == 0; j++)
				rc = add_reg_value(f, klen, &k->values[j]);
		if (rc < 0)
			return rc;
	}
	return IRMF_OK;
}

/* -------------------------------------------------- other sections */

static bool
is_volatile_prop(const char *name)
{
	for (size_t i = 0; irm_volatile_props[i]; i++)
		if (strcasecmp(name, irm_volatile_props[i]) == 0)
			return true;
	return false;
}

static int
add_prop(irmf_flattener *f, const irmf_prop *p)
{
	buf_reset(&f->key);
	irmf_buf_add(&f->key, "irm:");
	irmf_buf_add(&f->key, p->name);
	if (p->is_nil) {
		irmf_buf_add(&f->value, "$null");
		irmf_buf_add(&f->norm, "nil");
	} else if (p->type == IRMF_PROP_URI_LIST ||
	    p->type == IRMF_PROP_LIST) {
		set_reset(&f->set);
		put_c(&f->value, '{');
		for (size_t i = 0; i < p->nitems; i++) {
			if (i > 0)
				irmf_buf_add(&f->value, ", ");
			irmf_buf_add(&f->value, p->items[i]);
			put_norm_url(set_begin(&f->set), p->items[i]);
			set_end(&f->set);
		}
		put_c(&f->value, '}');
		set_join(&f->set, &f->norm, '\n');
	} else {
		irmf_buf_add(&f->value, p->value);
		if (p->type == IRMF_PROP_BOOL || p->type == IRMF_PROP_ENUM)
			put_lower_str(&f->norm, p->value);
		else
			put_norm_url(&f->norm, p->value);
	}
	return emit(f, IRMF_SECTION_IRM);
}

static void
put_norm_version(irmf_buf *b, const char *s)
{
	unsigned long v[4];

	if (irmf_version_parse(s, v) < 0) {
		irmf_buf_add(b, s);
		return;
	}
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			put_c(b, '.');
		put_dec(b, v[i]);
	}
}

static int
add_simple(irmf_flattener *f, const char *key, const char *value,
    const char *norm, irmf_section sec)
{
	buf_reset(&f->key);
	irmf_buf_add(&f->key, key);
	irmf_buf_add(&f->value, value);
	irmf_buf_add(&f->norm, norm);
	return emit(f, sec);
}

static int
add_groups(irmf_flattener *f, const irmf_strlist *groups)
{
	buf_reset(&f->key);
	irmf_buf_add(&f->key, "identity:groups");
	set_reset(&f->set);
	for (size_t i = 0; i < groups->n; i++) {
		const char *g = groups->items[i];
		if (i > 0)
			irmf_buf_add(&f->value, "; ");
		irmf_buf_add(&f->value, g);
		put_lower_str(set_begin(&f->set), g);
		set_end(&f->set);
	}
	set_join(&f->set, &f->norm, '\n');
	return emit(f, IRMF_SECTION_GROUPS);
}

static int
extract_other(irmf_flattener *f, const irmf_snapshot *snap)
{
	int rc;

	for (size_t i = 0; i < snap->nprops; i++) {
		if (is_volatile_prop(snap->props[i].name))
			continue;
		if ((rc = add_prop(f, &snap->props[i])) < 0)
			return rc;
	}
	if (snap->has_irm_test && (rc = add_simple(f, "irm-test:overall",
	    snap->irm_test_pass ? "PASS" : "FAIL",
	    snap->irm_test_pass ? "pass" : "fail", IRMF_SECTION_IRM_TEST)) < 0)
		return rc;
	for (size_t i = 0; i < snap->nfiles; i++) {
		const irmf_file_version *fv = &snap->files[i];

		buf_reset(&f->key);
		irmf_buf_add(&f->key, "file:");
		put_lower_str(&f->key, fv->name);
		irmf_buf_add(&f->value, fv->version);
		put_norm_version(&f->norm, fv->version);
		if ((rc = emit(f, IRMF_SECTION_FILES)) < 0)
			return rc;
	}
	if (snap->groups.n > 0 && (rc = add_groups(f, &snap->groups)) < 0)
		return rc;
	return IRMF_OK;
}

/* Room for every setting the snapshot can give, so that a pooled
 * extraction allocates its list once. */
static int
reserve(irmf_settings *s, const irmf_snapshot *snap)
{
	size_t n = snap->nprops + snap->nfiles + 2;

	for (size_t i = 0; i < snap->nkeys; i++)
		n += snap->keys[i].nvalues + 1;
	if ((s->items = malloc(n * sizeof(*s->items))) == NULL)
		return irmf_error_oom();
	s->cap = n;
	return IRMF_OK;
}

typedef struct keyed {
	const char *key;
	size_t at;        /* position in emission order */
} keyed;

static int
cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcasecmp(x->key, y->key);

	/* ties (keys equal but for case) keep emission order, as the stable
	 * qsort of the items does */
	if (c != 0)
		return c;
	return (x->at > y->at) - (x->at < y->at);
}

/* Grow the sort scratch to n; false if memory is short. */
static bool
sort_reserve(irmf_flattener *f, size_t n)
{
	const char **keys;
	size_t *perm;
	irmf_setting *tmp;

	if (n <= f->capsort)
		return true;
	keys = realloc(f->prev_keys, n * sizeof(*keys));
	if (keys != NULL)
		f->prev_keys = keys;
	perm = realloc(f->perm, n * sizeof(*perm));
	if (perm != NULL)
		f->perm = perm;
	tmp = realloc(f->tmp, n * sizeof(*tmp));
	if (tmp != NULL)
		f->tmp = tmp;
	if (keys == NULL || perm == NULL || tmp == NULL)
		return false;
	f->capsort = n;
	return true;
}

/* Sort by key (irmf_settings_find).  Pooled keys of a snapshot that are
 * those of the previous one, in the same order, are the same pointers and
 * sort the same way: the previous permutation is applied instead. */
static void
sort_settings(irmf_flattener *f, irmf_settings *out)
{
	size_t n = out->n;
	bool same;

	if (n < 2)   /* qsort(NULL, 0) is undefined: empty snapshots */
		return;
	if (f->pool == NULL || !sort_reserve(f, n)) {
		f->nprev = 0;
		qsort(out->items, n, sizeof(out->items[0]), cmp_setting);
		return;
	}
	same = f->nprev == n;
	for (size_t i = 0; i < n && same; i++)
		same = f->prev_keys[i] == out->items[i].key;
	if (!same) {
		keyed *v = malloc(n * sizeof(*v));
		if (v == NULL) {
			f->nprev = 0;
			qsort(out->items, n, sizeof(out->items[0]),
			    cmp_setting);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			v[i].key = out->items[i].key;
			v[i].at = i;
			f->prev_keys[i] = out->items[i].key;
		}
		qsort(v, n, sizeof(*v), cmp_keyed);
		for (size_t i = 0; i < n; i++)
			f->perm[i] = v[i].at;
		f->nprev = n;
		free(v);
	}
	for (size_t i = 0; i < n; i++)
		f->tmp[i] = out->items[f->perm[i]];
	memcpy(out->items, f->tmp, n * sizeof(*f->tmp));
}

int
irmf_flattener_extract(irmf_flattener *f, const irmf_snapshot *snap,
    irmf_settings *out)
{
	int rc;

	irmf_settings_clear(out);
	out->pooled = f->pool != NULL;
	f->out = out;
	buf_reset(&f->value);
	buf_reset(&f->norm);
	if ((rc = reserve(out, snap)) < 0 ||
	    (rc = extract_registry(f, snap)) < 0 ||
	    (rc = extract_other(f, snap)) < 0) {
		irmf_settings_clear(out);
		f->out = NULL;
		return rc;
	}
	f->out = NULL;
	sort_settings(f, out);
	return IRMF_OK;
}

int
irmf_settings_extract(const irmf_snapshot *snap, irmf_settings *out)
{
	irmf_flattener f;
	int rc;

	irmf_flattener_init(&f, NULL);
	rc = irmf_flattener_extract(&f, snap, out);
	irmf_flattener_release(&f);
	return rc;
}

/* ------------------------------------------------ presence and errors */

/* Was the registry under the compared roots collected?  Over SSH it was
 * queried (a failed query is an error of its own); an import has it only
 * when some file held a key under those roots: a .reg file of the
 * ExchangeServer\v15\Setup key alone (identity evidence) says nothing
 * about the IRM keys. */
static bool
registry_collected(const irmf_snapshot *snap)
{
	if (snap->method == IRMF_METHOD_SSH)
		return snap->nkeys > 0 || snap->nerrors == 0;
	for (size_t i = 0; i < snap->nkeys; i++) {
		const char *p = snap->keys[i].path;
		if (strncasecmp(p, "HKEY_LOCAL_MACHINE\\", 19) != 0)
			continue;
		for (size_t r = 0; irmf_settings_reg_roots[r]; r++) {
			const char *root = irmf_settings_reg_roots[r] + 5;
			size_t n = strlen(root);
			if (strncasecmp(p + 19, root, n) == 0 &&
			    (p[19 + n] == '\\' || p[19 + n] == '\0'))
				return true;
		}
	}
	return false;
}

bool
irmf_section_present(const irmf_snapshot *snap, irmf_section sec)
{
	switch (sec) {
	case IRMF_SECTION_REGISTRY: return registry_collected(snap);
	case IRMF_SECTION_IRM: return snap->has_irm_config;
	case IRMF_SECTION_IRM_TEST: return snap->has_irm_test;
	case IRMF_SECTION_FILES: return snap->nfiles > 0;
	case IRMF_SECTION_GROUPS:
		return snap->groups.n > 0 || snap->computer_account != NULL;
	}
	return false;
}

/* Does a "registry:<path>" error item cover the registry setting key? */
static bool
registry_error_covers(const char *item_path, const char *key_path)
{
	char *canon = irmf_reg_canonical_path(item_path);
	char *disp;
	bool r;

	if (canon == NULL)
		return false;
	disp = irmf_reg_display_path(canon);
	free(canon);
	if (disp == NULL)
		return false;
	r = under_prefix(key_path, disp);
	free(disp);
	return r;
}

const irmf_collect_error *
irmf_setting_collect_error(const irmf_snapshot *snap, const char *key)
{
	for (size_t i = 0; i < snap->nerrors; i++) {
		const irmf_collect_error *e = &snap->errors[i];
		const char *item = e->item;

		if (strcasecmp(item, "host") == 0)
			return e;
		if (strncasecmp(key, "reg:", 4) == 0 &&
		    strncasecmp(item, "registry:", 9) == 0 &&
		    registry_error_covers(item + 9, key + 4))
			return e;
		if (strncasecmp(key, "irm:", 4) == 0 &&
		    strcasecmp(item, "irm-config") == 0)
			return e;
		if (strncasecmp(key, "irm-test:", 9) == 0 &&
		    strcasecmp(item, "irm-test") == 0)
			return e;
		if (strncasecmp(key, "file:", 5) == 0 &&
		    strcasecmp(item, key) == 0)
			return e;
		if (strcasecmp(key, "identity:groups") == 0 &&
		    strcasecmp(item, "groups") == 0)
			return e;
	}
	return NULL;
}
