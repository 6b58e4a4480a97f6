/*
 * settings.c - flatten a snapshot into comparable settings (settings.h).
 *
 * Registry data are rendered once for display and once normalized.  The
 * redirection keys (ExchangeServer\v1x\IRM\*Redirection and MSIPC
 * ...\LicensingRedirection) have URLs as value names, and a fleet migrated
 * from AD RMS legitimately carries extra values there, so such a key is one
 * setting whose value is the set of its name => data pairs; every other
 * registry value is a setting of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "settings.h"
#include "strbuf.h"

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

/* Join a list after sorting (set semantics); takes ownership of items. */
static char *
join_sorted(char **items, size_t n, const char *sep)
{
	irmf_buf b = IRMF_BUF_INIT;

	qsort(items, n, sizeof(char *), cmp_cstr);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(items[i], items[i - 1]) == 0)
			continue;   /* duplicates carry no meaning in a set */
		if (b.n > 0)
			irmf_buf_add(&b, sep);
		irmf_buf_add(&b, items[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	if (n == 0)
		irmf_buf_add(&b, "");
	return irmf_buf_take(&b);
}

/* ---------------------------------------------------------- settings list */

static int
settings_push(irmf_settings *s, char *key, char *value, char *norm,
    irmf_section sec)
{
	if (key == NULL || value == NULL || norm == NULL)
		goto oom;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 32;
		irmf_setting *p = realloc(s->items, ncap * sizeof(*p));
		if (p == NULL)
			goto oom;
		s->items = p;
		s->cap = ncap;
	}
	s->items[s->n].key = key;
	s->items[s->n].value = value;
	s->items[s->n].norm = norm;
	s->items[s->n].section = sec;
	s->n++;
	return IRMF_OK;
oom:
	free(key);
	free(value);
	free(norm);
	return irmf_error_oom();
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

char *
irmf_reg_display_path(const char *canon)
{
	static const char full[] = "HKEY_LOCAL_MACHINE";
	size_t n = sizeof(full) - 1;
	char *d;

	if (strncasecmp(canon, full, n) != 0 ||
	    (canon[n] != '\0' && canon[n] != '\\'))
		return irmf_strdup(canon);
	if ((d = malloc(strlen(canon) - n + 5)) == NULL) {
		irmf_error_oom();
		return NULL;
	}
	memcpy(d, "HKLM", 4);
	strcpy(d + 4, canon + n);
	return d;
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
is_redirection_key(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; redirection_suffixes[i]; i++) {
		size_t m = strlen(redirection_suffixes[i]);
		if (n >= m && strcasecmp(path + n - m,
		    redirection_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static char *
hex_of(const unsigned char *p, size_t n)
{
	char *d = malloc(n * 2 + 1);

	if (d == NULL) {
		irmf_error_oom();
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(d + 2 * i, 3, "%02x", p[i]);
	d[2 * n] = '\0';
	return d;
}

/* Data as text ("display") or normalized ("norm", without type tag). */
static char *
reg_data_text(const irmf_reg_value *v, bool norm)
{
	char buf[64];

	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		return norm ? irmf_norm_url(v->str) : irmf_strdup(v->str ?
		    v->str : "");
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		snprintf(buf, sizeof(buf), norm ? "%llu" : "0x%llx",
		    (unsigned long long)v->num);
		return irmf_strdup(buf);
	case IRMF_REG_MULTI_SZ: {
		char **items;
		if (!norm) {
			irmf_buf b = IRMF_BUF_INIT;
			for (size_t i = 0; i < v->nmulti; i++) {
				if (i > 0)
					irmf_buf_add(&b, "\\0");
				irmf_buf_add(&b, v->multi[i]);
			}
			if (v->nmulti == 0)
				irmf_buf_add(&b, "");
			return irmf_buf_take(&b);
		}
		/* order carries no meaning in the values irmfleet compares */
		if ((items = calloc(v->nmulti + 1, sizeof(char *))) == NULL) {
			irmf_error_oom();
			return NULL;
		}
		for (size_t i = 0; i < v->nmulti; i++)
			if ((items[i] = irmf_norm_url(v->multi[i])) == NULL) {
				for (size_t j = 0; j < i; j++)
					free(items[j]);
				free(items);
				return NULL;
			}
		return join_sorted(items, v->nmulti, "\n");
	}
	default:
		return hex_of(v->bin, v->nbin);
	}
}

static char *
tagged(const char *tag, const char *text)
{
	irmf_buf b = IRMF_BUF_INIT;

	if (text == NULL)
		return NULL;
	irmf_buf_add(&b, tag);
	irmf_buf_add(&b, " ");
	irmf_buf_add(&b, text);
	return irmf_buf_take(&b);
}

static int
add_reg_value(irmf_settings *out, const char *disp, const irmf_reg_value *v)
{
	irmf_buf kb = IRMF_BUF_INIT;
	char *data, *ndata, *value, *norm;

	irmf_buf_add(&kb, "reg:");
	irmf_buf_add(&kb, disp);
	irmf_buf_add(&kb, "\\");
	irmf_buf_add(&kb, v->name[0] ? v->name : "(default)");
	data = reg_data_text(v, false);
	ndata = reg_data_text(v, true);
	value = tagged(irmf_reg_type_name(v->type), data);
	norm = tagged(irmf_reg_type_name(v->type), ndata);
	free(data);
	free(ndata);
	return settings_push(out, irmf_buf_take(&kb), value, norm,
	    IRMF_SECTION_REGISTRY);
}

static int
add_redirection_key(irmf_settings *out, const char *disp,
    const irmf_reg_key *k)
{
	irmf_buf kb = IRMF_BUF_INIT, vb = IRMF_BUF_INIT;
	char **norms = calloc(k->nvalues + 1, sizeof(char *));
	size_t n = 0;
	char *value, *norm;

	if (norms == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		char *d = reg_data_text(v, false), *nd = reg_data_text(v, true);
		char *nn = irmf_norm_url(v->name[0] ? v->name : "(default)");
		irmf_buf e = IRMF_BUF_INIT;

		if (i > 0)
			irmf_buf_add(&vb, "; ");
		irmf_buf_add(&vb, v->name[0] ? v->name : "(default)");
		irmf_buf_add(&vb, " => ");
		irmf_buf_add(&vb, d ? d : "");
		if (v->type != IRMF_REG_SZ) {
			irmf_buf_add(&vb, " (");
			irmf_buf_add(&vb, irmf_reg_type_name(v->type));
			irmf_buf_add(&vb, ")");
		}
		irmf_buf_add(&e, nn ? nn : "");
		irmf_buf_add(&e, " => ");
		irmf_buf_add(&e, nd ? nd : "");
		irmf_buf_add(&e, " ");
		irmf_buf_add(&e, irmf_reg_type_name(v->type));
		free(d);
		free(nd);
		free(nn);
		if ((norms[n] = irmf_buf_take(&e)) == NULL)
			break;
		n++;
	}
	irmf_buf_add(&kb, "reg:");
	irmf_buf_add(&kb, disp);
	if (k->nvalues == 0)
		irmf_buf_add(&vb, "");
	value = irmf_buf_take(&vb);
	norm = join_sorted(norms, n, "\n");
	return settings_push(out, irmf_buf_take(&kb), value, norm,
	    IRMF_SECTION_REGISTRY);
}

static int
extract_registry(const irmf_snapshot *snap, irmf_settings *out)
{
	for (size_t i = 0; i < snap->nkeys; i++) {
		const irmf_reg_key *k = &snap->keys[i];
		char *disp = irmf_reg_display_path(k->path);
		int rc = IRMF_OK;

		if (disp == NULL)
			return IRMF_ENOMEM;
		if (!is_relevant_key(disp)) {
			free(disp);
			continue;
		}
		if (is_redirection_key(disp))
			rc = add_redirection_key(out, disp, k);
		else
			for (size_t j = 0; j < k->nvalues && rc == 0; j++)
				rc = add_reg_value(out, disp, &k->values[j]);
		free(disp);
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
add_prop(irmf_settings *out, const irmf_prop *p)
{
	irmf_buf kb = IRMF_BUF_INIT, vb = IRMF_BUF_INIT;
	char *norm;

	irmf_buf_add(&kb, "irm:");
	irmf_buf_add(&kb, p->name);
	if (p->is_nil) {
		irmf_buf_add(&vb, "$null");
		norm = irmf_strdup("nil");
	} else if (p->type == IRMF_PROP_URI_LIST ||
	    p->type == IRMF_PROP_LIST) {
		char **items = calloc(p->nitems + 1, sizeof(char *));
		irmf_buf_add(&vb, "{");
		for (size_t i = 0; i < p->nitems; i++) {
			if (i > 0)
				irmf_buf_add(&vb, ", ");
			irmf_buf_add(&vb, p->items[i]);
			if (items != NULL)
				items[i] = irmf_norm_url(p->items[i]);
		}
		irmf_buf_add(&vb, "}");
		norm = items ? join_sorted(items, p->nitems, "\n") : NULL;
	} else {
		irmf_buf_add(&vb, p->value ? p->value : "");
		if (p->type == IRMF_PROP_BOOL || p->type == IRMF_PROP_ENUM)
			norm = irmf_lower(p->value);
		else
			norm = irmf_norm_url(p->value);
	}
	return settings_push(out, irmf_buf_take(&kb), irmf_buf_take(&vb), norm,
	    IRMF_SECTION_IRM);
}

static int
extract_other(const irmf_snapshot *snap, irmf_settings *out)
{
	int rc;

	for (size_t i = 0; i < snap->nprops; i++) {
		if (is_volatile_prop(snap->props[i].name))
			continue;
		if ((rc = add_prop(out, &snap->props[i])) < 0)
			return rc;
	}
	if (snap->has_irm_test) {
		const char *r = snap->irm_test_pass ? "PASS" : "FAIL";
		if ((rc = settings_push(out, irmf_strdup("irm-test:overall"),
		    irmf_strdup(r), irmf_lower(r), IRMF_SECTION_IRM_TEST)) < 0)
			return rc;
	}
	for (size_t i = 0; i < snap->nfiles; i++) {
		const irmf_file_version *f = &snap->files[i];
		irmf_buf kb = IRMF_BUF_INIT;
		char *lname = irmf_lower(f->name);

		irmf_buf_add(&kb, "file:");
		irmf_buf_add(&kb, lname ? lname : "");
		free(lname);
		if ((rc = settings_push(out, irmf_buf_take(&kb),
		    irmf_strdup(f->version ? f->version : ""),
		    irmf_norm_version(f->version), IRMF_SECTION_FILES)) < 0)
			return rc;
	}
	if (snap->groups.n > 0) {
		irmf_buf vb = IRMF_BUF_INIT;
		char **items = calloc(snap->groups.n + 1, sizeof(char *));

		for (size_t i = 0; i < snap->groups.n; i++) {
			if (i > 0)
				irmf_buf_add(&vb, "; ");
			irmf_buf_add(&vb, snap->groups.items[i]);
			if (items != NULL)
				items[i] = irmf_lower(snap->groups.items[i]);
		}
		if ((rc = settings_push(out, irmf_strdup("identity:groups"),
		    irmf_buf_take(&vb), items ? join_sorted(items, snap->groups.n,
		    "\n") : NULL, IRMF_SECTION_GROUPS)) < 0)
			return rc;
	}
	return IRMF_OK;
}

int
irmf_settings_extract(const irmf_snapshot *snap, irmf_settings *out)
{
	int rc;

	irmf_settings_clear(out);
	if ((rc = extract_registry(snap, out)) < 0 ||
	    (rc = extract_other(snap, out)) < 0) {
		irmf_settings_clear(out);
		return rc;
	}
	if (out->n > 1)   /* qsort(NULL, 0) is undefined: empty snapshots */
		qsort(out->items, out->n, sizeof(out->items[0]), cmp_setting);
	return IRMF_OK;
}

/* ------------------------------------------------ presence and errors */

bool
irmf_section_present(const irmf_snapshot *snap, irmf_section sec)
{
	switch (sec) {
	case IRMF_SECTION_REGISTRY: return snap->nkeys > 0;
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

/* -------------------------------------------------------------- cohort */

const char *
irmf_cohort_of(const irmf_snapshot *snap)
{
	const char *b = snap->product_build;

	if (snap->roles & IRMF_ROLE_EXCHANGE) {
		if (b != NULL && strncmp(b, "14.", 3) == 0)
			return "exchange-v14";
		if (b == NULL && irmf_snapshot_reg_find(snap,
		    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM") &&
		    !irmf_snapshot_reg_find(snap,
		    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"))
			return "exchange-v14";
		return "exchange-v15";
	}
	if (snap->roles & IRMF_ROLE_SHAREPOINT) {
		if (b != NULL && strncmp(b, "14.", 3) == 0)
			return "sharepoint-2010-fci";
		return "sharepoint-2013+";
	}
	if (snap->roles & IRMF_ROLE_FCI)
		return "sharepoint-2010-fci";
	if (snap->roles & IRMF_ROLE_CONNECTOR)
		return "connector";
	return "unknown";
}
