/*
 * snapshot.c - the in-memory snapshot model: construction, lookups and
 * mutation used by every parser, by the XML reader, and by merge.
 *
 * Registry keys are looked up through a small open-addressing hash of the
 * ASCII-case-folded path, because an imported hive dump can hold hundreds
 * of thousands of keys and parsers look a key up for every line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "digest.h"
#include "error.h"
#include "snapshot_int.h"

/* ---------------------------------------------------------------- strings */

static bool
strlist_has_ci(const irmf_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (irmf_streq_ci(l->items[i], s))
			return true;
	return false;
}

/* -------------------------------------------------------------- key index */

struct irmf_keyindex {
	size_t *slots;   /* key index + 1; 0 = empty */
	size_t cap;      /* power of two */
	/* irmf_fnv1a_ci(keys[i].path) for every key (nhashes == nkeys): growing
	 * the table does not hash every path again, and probes compare
	 * hashes before strings */
	uint64_t *hashes;
	size_t nhashes, caphashes;
};

static int
keyindex_reserve(struct irmf_keyindex *ix, size_t n)
{
	size_t cap = ix->caphashes ? ix->caphashes : 64;
	uint64_t *nh;

	if (n <= ix->caphashes)
		return IRMF_OK;
	while (cap < n)
		cap *= 2;
	if ((nh = realloc(ix->hashes, cap * sizeof(*nh))) == NULL)
		return irmf_error_oom();
	ix->hashes = nh;
	ix->caphashes = cap;
	return IRMF_OK;
}

/* Rebuild the table with `cap` slots; the keys' hashes are computed again
 * when `rehash` (keys were removed) or when they are not all known. */
static int
keyindex_rebuild(irmf_snapshot *snap, size_t cap, bool rehash)
{
	struct irmf_keyindex *ix = snap->keyindex;
	size_t *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return irmf_error_oom();
	if (ix == NULL) {
		if ((ix = calloc(1, sizeof(*ix))) == NULL) {
			free(slots);
			return irmf_error_oom();
		}
		snap->keyindex = ix;
	}
	if (rehash || ix->nhashes != snap->nkeys) {
		if (keyindex_reserve(ix, snap->nkeys) < 0) {
			free(slots);
			ix->nhashes = 0;   /* stale: recomputed next time */
			return IRMF_ENOMEM;
		}
		for (size_t i = 0; i < snap->nkeys; i++)
			ix->hashes[i] = irmf_fnv1a_ci(snap->keys[i].path);
		ix->nhashes = snap->nkeys;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	for (size_t i = 0; i < snap->nkeys; i++) {
		size_t j = ix->hashes[i] & (cap - 1);
		while (slots[j] != 0)
			j = (j + 1) & (cap - 1);
		slots[j] = i + 1;
	}
	return IRMF_OK;
}

static void
keyindex_free(struct irmf_keyindex *ix)
{
	if (ix == NULL)
		return;
	free(ix->slots);
	free(ix->hashes);
	free(ix);
}

/* ------------------------------------------------------------ lifecycle */

int
irmf_snapshot_new(irmf_snapshot **out, const char *server)
{
	irmf_snapshot *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return irmf_error_oom();
	if (server != NULL && (s->server = irmf_strdup(server)) == NULL) {
		free(s);
		return IRMF_ENOMEM;
	}
	*out = s;
	return IRMF_OK;
}

void
irmf_reg_value_clear(irmf_reg_value *v)
{
	free(v->name);
	free(v->str);
	for (size_t i = 0; i < v->nmulti; i++)
		free(v->multi[i]);
	free(v->multi);
	free(v->bin);
	memset(v, 0, sizeof(*v));
}

static void valindex_free(struct irmf_valindex *ix);

static void
reg_key_clear(irmf_reg_key *k)
{
	for (size_t i = 0; i < k->nvalues; i++)
		irmf_reg_value_clear(&k->values[i]);
	free(k->values);
	valindex_free(k->valindex);
	free(k->path);
	memset(k, 0, sizeof(*k));
}

static void
prop_clear(irmf_prop *p)
{
	free(p->name);
	free(p->value);
	for (size_t i = 0; i < p->nitems; i++)
		free(p->items[i]);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

void
irmf_snapshot_free(irmf_snapshot *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->server);
	free(s->fqdn);
	free(s->product);
	free(s->exchange_roles);
	free(s->product_build);
	free(s->os_version);
	free(s->collected_at);
	free(s->collector_name);
	free(s->collector_version);
	free(s->recorded_generation);
	free(s->recorded_build);
	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].file);
		free(s->sources[i].sha256);
		free(s->sources[i].format);
	}
	free(s->sources);
	for (i = 0; i < s->nkeys; i++)
		reg_key_clear(&s->keys[i]);
	free(s->keys);
	keyindex_free(s->keyindex);
	for (i = 0; i < s->nprops; i++)
		prop_clear(&s->props[i]);
	free(s->props);
	for (i = 0; i < s->nirm_steps; i++) {
		free(s->irm_steps[i].check);
		free(s->irm_steps[i].message);
	}
	free(s->irm_steps);
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		free(s->files[i].path);
		free(s->files[i].version);
	}
	free(s->files);
	free(s->computer_account);
	irmf_strlist_clear(&s->groups);
	irmf_strlist_clear(&s->service_accounts);
	for (i = 0; i < s->nacls; i++) {
		free(s->acls[i].path);
		free(s->acls[i].sddl);
	}
	free(s->acls);
	for (i = 0; i < s->nauths; i++)
		free(s->auths[i].account);
	free(s->auths);
	for (i = 0; i < s->nevents; i++) {
		free(s->events[i].account);
		free(s->events[i].computer);
		free(s->events[i].first);
		free(s->events[i].last);
	}
	free(s->events);
	for (i = 0; i < s->nevwindows; i++) {
		free(s->evwindows[i].ids);
		free(s->evwindows[i].oldest);
	}
	free(s->evwindows);
	for (i = 0; i < s->nprobes; i++) {
		free(s->probes[i].url);
		free(s->probes[i].message);
	}
	free(s->probes);
	for (i = 0; i < s->nerrors; i++) {
		free(s->errors[i].item);
		free(s->errors[i].message);
	}
	free(s->errors);
	free(s);
}

/* ------------------------------------------------------------- identity */

const char *irmf_snapshot_server(const irmf_snapshot *s) { return s->server; }
const char *irmf_snapshot_fqdn(const irmf_snapshot *s) { return s->fqdn; }
unsigned irmf_snapshot_roles(const irmf_snapshot *s) { return s->roles; }

int
irmf_snapshot_set_fqdn(irmf_snapshot *s, const char *fqdn)
{
	return irmf_set_str(&s->fqdn, fqdn);
}

int
irmf_snapshot_set_product(irmf_snapshot *s, const char *product,
    const char *build)
{
	if (irmf_set_str(&s->product, product) < 0)
		return IRMF_ENOMEM;
	return irmf_set_str(&s->product_build, build);
}

int
irmf_snapshot_set_os(irmf_snapshot *s, const char *os)
{
	return irmf_set_str(&s->os_version, os);
}

int
irmf_snapshot_set_collected_at(irmf_snapshot *s, const char *iso)
{
	return irmf_set_str(&s->collected_at, iso);
}

int
irmf_snapshot_stamp_now(irmf_snapshot *s)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL)
		return irmf_error_set(IRMF_ERROR, "cannot read the clock");
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return irmf_set_str(&s->collected_at, buf);
}

int
irmf_snapshot_set_collector(irmf_snapshot *s, const char *name,
    const char *version)
{
	if (irmf_set_str(&s->collector_name, name) < 0)
		return IRMF_ENOMEM;
	return irmf_set_str(&s->collector_version, version);
}

int
irmf_snapshot_add_source(irmf_snapshot *s, const char *file,
    const char *sha256, const char *format)
{
	irmf_source *src;

	if (IRMF_GROW(s->sources, s->capsources, s->nsources) < 0)
		return IRMF_ENOMEM;
	src = &s->sources[s->nsources];
	if (irmf_set_str(&src->file, file) < 0 ||
	    irmf_set_str(&src->sha256, sha256) < 0 ||
	    irmf_set_str(&src->format, format) < 0) {
		free(src->file);
		free(src->sha256);
		free(src->format);
		memset(src, 0, sizeof(*src));
		return IRMF_ENOMEM;
	}
	s->nsources++;
	return IRMF_OK;
}

static const char *role_names[] = { "exchange", "sharepoint", "fci",
    "connector" };

const char *
irmf_role_name(irmf_role role)
{
	for (unsigned i = 0; i < 4; i++)
		if (role == (irmf_role)(1u << i))
			return role_names[i];
	return "unknown";
}

int
irmf_role_parse(const char *name, irmf_role *out)
{
	for (unsigned i = 0; i < 4; i++)
		if (irmf_streq_ci(name, role_names[i])) {
			*out = (irmf_role)(1u << i);
			return IRMF_OK;
		}
	return irmf_error_set(IRMF_EUSAGE,
	    "unknown role '%s' (expected exchange, sharepoint, fci or "
	    "connector)", name ? name : "");
}

/* ------------------------------------------------------------- registry */

static const struct {
	const char *abbr, *full;
} reg_roots[] = {
	{ "HKLM", "HKEY_LOCAL_MACHINE" },
	{ "HKCU", "HKEY_CURRENT_USER" },
	{ "HKCR", "HKEY_CLASSES_ROOT" },
	{ "HKU", "HKEY_USERS" },
	{ "HKCC", "HKEY_CURRENT_CONFIG" },
	{ "HKPD", "HKEY_PERFORMANCE_DATA" },
	{ "HKDD", "HKEY_DYN_DATA" },
};

char *
irmf_reg_canonical_path(const char *path)
{
	const char *rest = strchr(path, '\\');
	size_t rootlen = rest ? (size_t)(rest - path) : strlen(path);
	const char *full = NULL;
	size_t restlen, n;
	char *out;

	for (size_t i = 0; i < sizeof(reg_roots) / sizeof(reg_roots[0]); i++) {
		if ((strlen(reg_roots[i].abbr) == rootlen &&
		    strncasecmp(path, reg_roots[i].abbr, rootlen) == 0) ||
		    (strlen(reg_roots[i].full) == rootlen &&
		    strncasecmp(path, reg_roots[i].full, rootlen) == 0)) {
			full = reg_roots[i].full;
			break;
		}
	}
	if (full == NULL)
		return NULL;
	restlen = rest ? strlen(rest) : 0;
	while (restlen > 0 && rest[restlen - 1] == '\\')
		restlen--;
	n = strlen(full);
	if ((out = malloc(n + restlen + 1)) == NULL) {
		irmf_error_oom();
		return NULL;
	}
	memcpy(out, full, n);
	if (restlen)
		memcpy(out + n, rest, restlen);
	out[n + restlen] = '\0';
	return out;
}

/* The key whose canonical path is `canon` (hash h), or NULL. */
static irmf_reg_key *
reg_find_hashed(const irmf_snapshot *s, const char *canon, uint64_t h)
{
	const struct irmf_keyindex *ix = s->keyindex;
	size_t j;

	if (ix == NULL || s->nkeys == 0)
		return NULL;
	j = h & (ix->cap - 1);
	while (ix->slots[j] != 0) {
		size_t i = ix->slots[j] - 1;
		if (ix->hashes[i] == h &&
		    strcasecmp(s->keys[i].path, canon) == 0)
			return &s->keys[i];
		j = (j + 1) & (ix->cap - 1);
	}
	return NULL;
}

static irmf_reg_key *
reg_find_exact(const irmf_snapshot *s, const char *canon)
{
	return reg_find_hashed(s, canon, irmf_fnv1a_ci(canon));
}

irmf_reg_key *
irmf_snapshot_reg_find_canon(const irmf_snapshot *s, const char *canon)
{
	return reg_find_exact(s, canon);
}

irmf_reg_key *
irmf_snapshot_reg_find(const irmf_snapshot *s, const char *path)
{
	char *canon = irmf_reg_canonical_path(path);
	irmf_reg_key *k;

	if (canon == NULL)
		return NULL;
	k = reg_find_exact(s, canon);
	free(canon);
	return k;
}

int
irmf_snapshot_reg_key(irmf_snapshot *s, const char *path, irmf_reg_key **out)
{
	struct irmf_keyindex *ix = s->keyindex;
	char *canon;
	irmf_reg_key *k;
	uint64_t h;
	size_t j;

	*out = NULL;
	if ((canon = irmf_reg_canonical_path(path)) == NULL) {
		if (irmf_error_last()->code == IRMF_ENOMEM)
			return IRMF_ENOMEM;
		return irmf_error_set(IRMF_EPARSE,
		    "unknown registry root in '%s'", path);
	}
	h = irmf_fnv1a_ci(canon);
	if ((k = reg_find_hashed(s, canon, h)) != NULL) {
		free(canon);
		*out = k;
		return IRMF_OK;
	}
	if (IRMF_GROW(s->keys, s->capkeys, s->nkeys) < 0 ||
	    (ix != NULL && keyindex_reserve(ix, s->nkeys + 1) < 0)) {
		free(canon);
		return IRMF_ENOMEM;
	}
	k = &s->keys[s->nkeys++];
	memset(k, 0, sizeof(*k));
	k->path = canon;
	if (ix != NULL && ix->nhashes == s->nkeys - 1)
		ix->hashes[ix->nhashes++] = h;
	/* keep the load factor under 1/2; rebuild too if an earlier failure
	 * left the hashes incomplete */
	if (ix == NULL || ix->nhashes != s->nkeys || s->nkeys * 2 > ix->cap) {
		size_t cap = ix ? ix->cap : 64;
		while (cap < s->nkeys * 2)
			cap *= 2;
		if (keyindex_rebuild(s, cap, false) < 0) {
			s->nkeys--;
			if (s->keyindex != NULL && s->keyindex->nhashes > s->nkeys)
				s->keyindex->nhashes = s->nkeys;
			reg_key_clear(k);
			return IRMF_ENOMEM;
		}
	} else {
		j = h & (ix->cap - 1);
		while (ix->slots[j] != 0)
			j = (j + 1) & (ix->cap - 1);
		ix->slots[j] = s->nkeys;
	}
	*out = k;
	return IRMF_OK;
}

/*
 * Value-name index of one key, built once the key has VALINDEX_MIN values
 * so that filling a key stays linear.  It is only an accelerator: if it
 * cannot be allocated it is dropped and lookups scan the array.
 */
#define VALINDEX_MIN 32

struct irmf_valindex {
	size_t *slots;   /* value index + 1; 0 = empty */
	size_t cap;      /* power of two, > 2 * nvalues */
};

static void
valindex_free(struct irmf_valindex *ix)
{
	if (ix == NULL)
		return;
	free(ix->slots);
	free(ix);
}

static void
valindex_put(struct irmf_valindex *ix, const char *name, size_t i)
{
	size_t j = irmf_fnv1a_ci(name) & (ix->cap - 1);

	while (ix->slots[j] != 0)
		j = (j + 1) & (ix->cap - 1);
	ix->slots[j] = i + 1;
}

/* (Re)build the index for the current values, or drop it below the
 * threshold or when memory is short. */
static void
valindex_rebuild(irmf_reg_key *k)
{
	struct irmf_valindex *ix = k->valindex;
	size_t cap = 64;

	if (k->nvalues < VALINDEX_MIN) {
		valindex_free(ix);
		k->valindex = NULL;
		return;
	}
	while (cap <= k->nvalues * 2)
		cap *= 2;
	if (ix == NULL && (ix = calloc(1, sizeof(*ix))) == NULL)
		goto drop;
	free(ix->slots);
	if ((ix->slots = calloc(cap, sizeof(*ix->slots))) == NULL)
		goto drop;
	ix->cap = cap;
	for (size_t i = 0; i < k->nvalues; i++)
		valindex_put(ix, k->values[i].name, i);
	k->valindex = ix;
	return;
drop:
	valindex_free(ix);
	k->valindex = NULL;
}

irmf_reg_value *
irmf_reg_key_find_value(const irmf_reg_key *key, const char *name)
{
	const struct irmf_valindex *ix = key->valindex;

	if (ix != NULL) {
		size_t j = irmf_fnv1a_ci(name) & (ix->cap - 1);
		for (; ix->slots[j] != 0; j = (j + 1) & (ix->cap - 1))
			if (strcasecmp(key->values[ix->slots[j] - 1].name,
			    name) == 0)
				return &key->values[ix->slots[j] - 1];
		return NULL;
	}
	for (size_t i = 0; i < key->nvalues; i++)
		if (strcasecmp(key->values[i].name, name) == 0)
			return &key->values[i];
	return NULL;
}

/* Append a value whose name the key does not have yet. */
static int
append_value(irmf_reg_key *key, irmf_reg_value *val)
{
	if (IRMF_GROW(key->values, key->capvalues, key->nvalues) < 0)
		return IRMF_ENOMEM;
	key->values[key->nvalues++] = *val;
	if (key->valindex != NULL && key->nvalues * 2 < key->valindex->cap)
		valindex_put(key->valindex, val->name, key->nvalues - 1);
	else if (key->nvalues >= VALINDEX_MIN)
		valindex_rebuild(key);
	memset(val, 0, sizeof(*val));
	return IRMF_OK;
}

int
irmf_reg_key_set_value(irmf_reg_key *key, irmf_reg_value *val)
{
	irmf_reg_value *old;

	if (val->name == NULL && (val->name = irmf_strdup("")) == NULL)
		return IRMF_ENOMEM;
	if ((old = irmf_reg_key_find_value(key, val->name)) == NULL)
		return append_value(key, val);
	irmf_reg_value_clear(old);
	*old = *val;
	memset(val, 0, sizeof(*val));
	return IRMF_OK;
}

int
irmf_reg_key_add_value(irmf_reg_key *key, irmf_reg_value *val, bool *dup)
{
	*dup = false;
	if (val->name == NULL && (val->name = irmf_strdup("")) == NULL)
		return IRMF_ENOMEM;
	if (irmf_reg_key_find_value(key, val->name) != NULL) {
		*dup = true;
		return IRMF_OK;
	}
	return append_value(key, val);
}

int
irmf_reg_key_set_sz(irmf_reg_key *key, const char *name, irmf_reg_type type,
    const char *data)
{
	irmf_reg_value v = { 0 };

	v.type = type;
	if ((v.name = irmf_strdup(name ? name : "")) == NULL ||
	    (v.str = irmf_strdup(data ? data : "")) == NULL) {
		irmf_reg_value_clear(&v);
		return IRMF_ENOMEM;
	}
	if (irmf_reg_key_set_value(key, &v) < 0) {
		irmf_reg_value_clear(&v);
		return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

int
irmf_reg_key_set_num(irmf_reg_key *key, const char *name, irmf_reg_type type,
    uint64_t num)
{
	irmf_reg_value v = { 0 };

	v.type = type;
	v.num = num;
	if ((v.name = irmf_strdup(name ? name : "")) == NULL)
		return IRMF_ENOMEM;
	if (irmf_reg_key_set_value(key, &v) < 0) {
		irmf_reg_value_clear(&v);
		return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

int
irmf_reg_key_set_bin(irmf_reg_key *key, const char *name, irmf_reg_type type,
    const unsigned char *data, size_t n)
{
	irmf_reg_value v = { 0 };

	v.type = type;
	if ((v.name = irmf_strdup(name ? name : "")) == NULL)
		return IRMF_ENOMEM;
	if (n > 0) {
		if ((v.bin = malloc(n)) == NULL) {
			irmf_reg_value_clear(&v);
			return irmf_error_oom();
		}
		memcpy(v.bin, data, n);
		v.nbin = n;
	}
	if (irmf_reg_key_set_value(key, &v) < 0) {
		irmf_reg_value_clear(&v);
		return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

int
irmf_reg_key_set_multi(irmf_reg_key *key, const char *name,
    char *const *items, size_t n)
{
	irmf_reg_value v = { 0 };

	v.type = IRMF_REG_MULTI_SZ;
	if ((v.name = irmf_strdup(name ? name : "")) == NULL)
		return IRMF_ENOMEM;
	if (n > 0 && (v.multi = calloc(n, sizeof(char *))) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if ((v.multi[i] = irmf_strdup(items[i] ? items[i] : "")) == NULL)
			goto oom;
		v.nmulti++;
	}
	if (irmf_reg_key_set_value(key, &v) < 0)
		goto oom;
	return IRMF_OK;
oom:
	irmf_reg_value_clear(&v);
	return irmf_error_oom();
}

int
irmf_reg_key_delete_value(irmf_reg_key *key, const char *name)
{
	irmf_reg_value *v = irmf_reg_key_find_value(key, name);
	size_t i;

	if (v == NULL)
		return IRMF_OK;
	i = (size_t)(v - key->values);
	irmf_reg_value_clear(v);
	memmove(&key->values[i], &key->values[i + 1],
	    (key->nvalues - i - 1) * sizeof(*v));
	key->nvalues--;
	if (key->valindex != NULL)
		valindex_rebuild(key);   /* indexes shifted; O(n) like the memmove */
	return IRMF_OK;
}

/* True if `path` is `prefix` or below it (case-insensitive). */
static bool
path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(path, prefix, n) == 0 &&
	    (path[n] == '\0' || path[n] == '\\');
}

int
irmf_snapshot_reg_delete_key(irmf_snapshot *s, const char *path)
{
	char *canon = irmf_reg_canonical_path(path);
	size_t w = 0;
	int rc;

	if (canon == NULL)
		return irmf_error_set(IRMF_EPARSE,
		    "unknown registry root in '%s'", path);
	for (size_t r = 0; r < s->nkeys; r++) {
		if (path_under(s->keys[r].path, canon))
			reg_key_clear(&s->keys[r]);
		else
			s->keys[w++] = s->keys[r];
	}
	free(canon);
	if (w == s->nkeys)
		return IRMF_OK;
	s->nkeys = w;
	rc = keyindex_rebuild(s, s->keyindex->cap, true);
	return rc;
}

static const char *reg_type_names[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ",
	"REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
	"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD"
};

const char *
irmf_reg_type_name(irmf_reg_type t)
{
	if ((unsigned)t < sizeof(reg_type_names) / sizeof(reg_type_names[0]))
		return reg_type_names[t];
	return "REG_UNKNOWN";
}

int
irmf_reg_type_parse(const char *name, irmf_reg_type *out)
{
	for (unsigned i = 0; i < sizeof(reg_type_names) /
	    sizeof(reg_type_names[0]); i++)
		if (strcmp(name, reg_type_names[i]) == 0) {
			*out = (irmf_reg_type)i;
			return IRMF_OK;
		}
	if (strcmp(name, "REG_DWORD_LITTLE_ENDIAN") == 0) {
		*out = IRMF_REG_DWORD;
		return IRMF_OK;
	}
	if (strcmp(name, "REG_QWORD_LITTLE_ENDIAN") == 0) {
		*out = IRMF_REG_QWORD;
		return IRMF_OK;
	}
	return irmf_error_set(IRMF_EPARSE, "unknown registry type '%s'", name);
}

/* ------------------------------------------------------- IRM config */

irmf_prop *
irmf_snapshot_prop_find(const irmf_snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nprops; i++)
		if (irmf_streq_ci(s->props[i].name, name))
			return &s->props[i];
	return NULL;
}

static int
prop_slot(irmf_snapshot *s, const char *name, irmf_prop **out)
{
	irmf_prop *p = irmf_snapshot_prop_find(s, name);

	if (p != NULL) {
		prop_clear(p);
	} else {
		if (IRMF_GROW(s->props, s->capprops, s->nprops) < 0)
			return IRMF_ENOMEM;
		p = &s->props[s->nprops++];
	}
	if ((p->name = irmf_strdup(name)) == NULL) {
		s->nprops--;   /* p is the last slot only when newly added */
		return IRMF_ENOMEM;
	}
	s->has_irm_config = true;
	*out = p;
	return IRMF_OK;
}

int
irmf_snapshot_prop_set(irmf_snapshot *s, const char *name,
    irmf_prop_type type, const char *value, bool is_nil)
{
	irmf_prop *p;

	if (prop_slot(s, name, &p) < 0)
		return IRMF_ENOMEM;
	p->type = type;
	p->is_nil = is_nil;
	if (!is_nil && irmf_set_str(&p->value, value ? value : "") < 0)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
irmf_snapshot_prop_set_list(irmf_snapshot *s, const char *name,
    irmf_prop_type type, char *const *items, size_t n)
{
	irmf_prop *p;

	if (prop_slot(s, name, &p) < 0)
		return IRMF_ENOMEM;
	p->type = type;
	if (n > 0 && (p->items = calloc(n, sizeof(char *))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < n; i++) {
		if ((p->items[i] = irmf_strdup(items[i] ? items[i] : "")) == NULL)
			return IRMF_ENOMEM;
		p->nitems++;
	}
	return IRMF_OK;
}

static const char *prop_type_names[] = { "string", "bool", "int", "uri",
    "uri-list", "enum", "list" };

const char *
irmf_prop_type_name(irmf_prop_type t)
{
	if ((unsigned)t < sizeof(prop_type_names) / sizeof(prop_type_names[0]))
		return prop_type_names[t];
	return "string";
}

int
irmf_prop_type_parse(const char *name, irmf_prop_type *out)
{
	for (unsigned i = 0; i < sizeof(prop_type_names) /
	    sizeof(prop_type_names[0]); i++)
		if (strcmp(name, prop_type_names[i]) == 0) {
			*out = (irmf_prop_type)i;
			return IRMF_OK;
		}
	return irmf_error_set(IRMF_EPARSE, "unknown property type '%s'", name);
}

int
irmf_snapshot_irm_test_add(irmf_snapshot *s, const char *check, bool pass,
    const char *message)
{
	irmf_irm_test_step *st;

	if (IRMF_GROW(s->irm_steps, s->capirm_steps, s->nirm_steps) < 0)
		return IRMF_ENOMEM;
	st = &s->irm_steps[s->nirm_steps];
	if ((st->check = irmf_strdup(check ? check : "")) == NULL)
		return IRMF_ENOMEM;
	if (irmf_set_str(&st->message, message) < 0) {
		free(st->check);
		st->check = NULL;
		return IRMF_ENOMEM;
	}
	st->pass = pass;
	s->nirm_steps++;
	s->has_irm_test = true;
	return IRMF_OK;
}

/* --------------------------------------------- files, identity, connector */

irmf_file_version *
irmf_snapshot_file_find(const irmf_snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (irmf_streq_ci(s->files[i].name, name))
			return &s->files[i];
	return NULL;
}

int
irmf_snapshot_file_set(irmf_snapshot *s, const char *name, const char *path,
    const char *version)
{
	irmf_file_version *f = irmf_snapshot_file_find(s, name);

	if (f == NULL) {
		if (IRMF_GROW(s->files, s->capfiles, s->nfiles) < 0)
			return IRMF_ENOMEM;
		f = &s->files[s->nfiles];
		if ((f->name = irmf_strdup(name)) == NULL)
			return IRMF_ENOMEM;
		s->nfiles++;
	}
	if (irmf_set_str(&f->path, path) < 0 ||
	    irmf_set_str(&f->version, version) < 0)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
irmf_snapshot_set_computer_account(irmf_snapshot *s, const char *account)
{
	return irmf_set_str(&s->computer_account, account);
}

int
irmf_snapshot_add_group(irmf_snapshot *s, const char *group)
{
	if (strlist_has_ci(&s->groups, group))
		return IRMF_OK;
	return irmf_strlist_add(&s->groups, group);
}

int
irmf_snapshot_add_service_account(irmf_snapshot *s, const char *account)
{
	if (strlist_has_ci(&s->service_accounts, account))
		return IRMF_OK;
	return irmf_strlist_add(&s->service_accounts, account);
}

int
irmf_snapshot_add_authorization(irmf_snapshot *s, const char *account,
    irmf_account_kind kind, irmf_role role)
{
	irmf_authorization *a;

	s->has_authorizations = true;
	for (size_t i = 0; i < s->nauths; i++)
		if (irmf_streq_ci(s->auths[i].account, account) &&
		    s->auths[i].role == role) {
			s->auths[i].kind = kind;
			return IRMF_OK;
		}
	if (IRMF_GROW(s->auths, s->capauths, s->nauths) < 0)
		return IRMF_ENOMEM;
	a = &s->auths[s->nauths];
	if ((a->account = irmf_strdup(account)) == NULL)
		return IRMF_ENOMEM;
	a->kind = kind;
	a->role = role;
	s->nauths++;
	return IRMF_OK;
}

static irmf_event_summary *
event_find(const irmf_snapshot *s, int id, const char *account,
    const char *computer)
{
	for (size_t i = 0; i < s->nevents; i++) {
		irmf_event_summary *e = &s->events[i];
		if (e->id == id && irmf_streq_ci(e->account, account) &&
		    irmf_streq_ci(e->computer, computer))
			return e;
	}
	return NULL;
}

static int
event_new(irmf_snapshot *s, int id, const char *account,
    const char *computer, irmf_event_summary **out)
{
	irmf_event_summary *e;

	if (IRMF_GROW(s->events, s->capevents, s->nevents) < 0)
		return IRMF_ENOMEM;
	e = &s->events[s->nevents];
	e->id = id;
	if (irmf_set_str(&e->account, account) < 0 ||
	    irmf_set_str(&e->computer, computer) < 0) {
		free(e->account);
		free(e->computer);
		memset(e, 0, sizeof(*e));
		return IRMF_ENOMEM;
	}
	s->nevents++;
	*out = e;
	return IRMF_OK;
}

int
irmf_snapshot_add_event(irmf_snapshot *s, int id, const char *account,
    const char *computer, const char *time)
{
	irmf_event_summary *e = event_find(s, id, account, computer);

	s->has_events = true;
	if (e == NULL && event_new(s, id, account, computer, &e) < 0)
		return IRMF_ENOMEM;
	e->count++;
	/* ISO 8601 UTC strings of one shape order lexically */
	if (time != NULL) {
		if ((e->first == NULL || strcmp(time, e->first) < 0) &&
		    irmf_set_str(&e->first, time) < 0)
			return IRMF_ENOMEM;
		if ((e->last == NULL || strcmp(time, e->last) > 0) &&
		    irmf_set_str(&e->last, time) < 0)
			return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

int
irmf_snapshot_add_event_summary(irmf_snapshot *s, int id,
    const char *account, const char *computer, unsigned count,
    const char *first, const char *last)
{
	irmf_event_summary *e = event_find(s, id, account, computer);

	s->has_events = true;
	if (e == NULL && event_new(s, id, account, computer, &e) < 0)
		return IRMF_ENOMEM;
	e->count += count;
	if (first != NULL && (e->first == NULL || strcmp(first, e->first) < 0) &&
	    irmf_set_str(&e->first, first) < 0)
		return IRMF_ENOMEM;
	if (last != NULL && (e->last == NULL || strcmp(last, e->last) > 0) &&
	    irmf_set_str(&e->last, last) < 0)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
irmf_snapshot_add_event_window(irmf_snapshot *s, const char *ids,
    unsigned returned, bool whole_log, const char *oldest)
{
	irmf_event_window *w;

	if (IRMF_GROW(s->evwindows, s->capevwindows, s->nevwindows) < 0)
		return IRMF_ENOMEM;
	w = &s->evwindows[s->nevwindows];
	memset(w, 0, sizeof(*w));
	if (irmf_set_str(&w->ids, ids) < 0 ||
	    irmf_set_str(&w->oldest, oldest) < 0) {
		free(w->ids);
		free(w->oldest);
		memset(w, 0, sizeof(*w));
		return IRMF_ENOMEM;
	}
	w->returned = returned;
	w->whole_log = whole_log;
	s->nevwindows++;
	s->has_events = true;
	return IRMF_OK;
}

const irmf_event_window *
irmf_snapshot_event_window(const irmf_snapshot *s, int id)
{
	for (size_t i = 0; i < s->nevwindows; i++) {
		const char *p = s->evwindows[i].ids;
		while (p != NULL && *p != '\0') {
			char *end;
			long v = strtol(p, &end, 10);
			if (end == p)
				break;
			if (v == id)
				return &s->evwindows[i];
			p = end + strspn(end, " ");
		}
	}
	return NULL;
}

int
irmf_snapshot_set_key_acl(irmf_snapshot *s, const char *path,
    const char *sddl)
{
	char *canon = irmf_reg_canonical_path(path);
	irmf_key_acl *a = (irmf_key_acl *)irmf_snapshot_key_acl(s,
	    canon ? canon : path);

	if (canon == NULL)
		return irmf_error_last()->code == IRMF_ENOMEM ? IRMF_ENOMEM :
		    irmf_error_set(IRMF_EPARSE, "key ACL: '%s' is not a "
		    "registry key path", path);
	if (a != NULL) {
		free(canon);
		return irmf_set_str(&a->sddl, sddl);
	}
	if (IRMF_GROW(s->acls, s->capacls, s->nacls) < 0) {
		free(canon);
		return IRMF_ENOMEM;
	}
	a = &s->acls[s->nacls];
	a->path = canon;
	if (irmf_set_str(&a->sddl, sddl) < 0) {
		free(canon);
		a->path = NULL;
		return IRMF_ENOMEM;
	}
	s->nacls++;
	return IRMF_OK;
}

const irmf_key_acl *
irmf_snapshot_key_acl(const irmf_snapshot *s, const char *path)
{
	char *canon = irmf_reg_canonical_path(path);
	const irmf_key_acl *r = NULL;

	for (size_t i = 0; canon != NULL && i < s->nacls && r == NULL; i++)
		if (irmf_streq_ci(s->acls[i].path, canon))
			r = &s->acls[i];
	free(canon);
	return r;
}

static const char *const groups_scope_names[] = { "", "token", "direct" };

const char *
irmf_groups_scope_name(irmf_groups_scope g)
{
	return (unsigned)g < 3 ? groups_scope_names[g] : "";
}

int
irmf_groups_scope_parse(const char *str, irmf_groups_scope *out)
{
	for (unsigned i = 1; i < 3; i++)
		if (str != NULL && strcmp(str, groups_scope_names[i]) == 0) {
			*out = (irmf_groups_scope)i;
			return IRMF_OK;
		}
	return IRMF_EPARSE;
}

int
irmf_snapshot_add_probe(irmf_snapshot *s, const char *url,
    irmf_probe_result result, int http_status, const char *message)
{
	irmf_probe *p;

	if (IRMF_GROW(s->probes, s->capprobes, s->nprobes) < 0)
		return IRMF_ENOMEM;
	p = &s->probes[s->nprobes];
	if ((p->url = irmf_strdup(url)) == NULL)
		return IRMF_ENOMEM;
	if (irmf_set_str(&p->message, message) < 0) {
		free(p->url);
		p->url = NULL;
		return IRMF_ENOMEM;
	}
	p->result = result;
	p->http_status = http_status;
	s->nprobes++;
	return IRMF_OK;
}

int
irmf_snapshot_add_error(irmf_snapshot *s, const char *item,
    irmf_collect_reason reason, const char *message)
{
	irmf_collect_error *e;

	if (IRMF_GROW(s->errors, s->caperrors, s->nerrors) < 0)
		return IRMF_ENOMEM;
	e = &s->errors[s->nerrors];
	if ((e->item = irmf_strdup(item)) == NULL)
		return IRMF_ENOMEM;
	if (irmf_set_str(&e->message, message) < 0) {
		free(e->item);
		e->item = NULL;
		return IRMF_ENOMEM;
	}
	e->reason = reason;
	s->nerrors++;
	return IRMF_OK;
}

const irmf_collect_error *
irmf_snapshot_error_for(const irmf_snapshot *s, const char *item)
{
	for (size_t i = 0; i < s->nerrors; i++)
		if (irmf_streq_ci(s->errors[i].item, item))
			return &s->errors[i];
	return NULL;
}

/* ------------------------------------------------------- enum names */

#define NAME_TABLE(fn_name, fn_parse, type, what, ...)                      \
	static const char *fn_name##_tab[] = { __VA_ARGS__ };               \
	const char *fn_name(type v)                                         \
	{                                                                   \
		if ((unsigned)v < sizeof(fn_name##_tab) / sizeof(char *))   \
			return fn_name##_tab[v];                            \
		return "unknown";                                           \
	}                                                                   \
	int fn_parse(const char *s, type *out)                              \
	{                                                                   \
		for (unsigned i = 0; i < sizeof(fn_name##_tab) /            \
		    sizeof(char *); i++)                                    \
			if (irmf_streq_ci(s, fn_name##_tab[i])) {           \
				*out = (type)i;                             \
				return IRMF_OK;                             \
			}                                                   \
		return irmf_error_set(IRMF_EPARSE, "unknown " what " '%s'", \
		    s ? s : "");                                            \
	}

NAME_TABLE(irmf_account_kind_name, irmf_account_kind_parse,
    irmf_account_kind, "account kind", "user", "group", "computer")
NAME_TABLE(irmf_probe_result_name, irmf_probe_result_parse,
    irmf_probe_result, "probe result", "http", "dns", "connect", "tls",
    "timeout", "other")
NAME_TABLE(irmf_collect_reason_name, irmf_collect_reason_parse,
    irmf_collect_reason, "collection failure reason", "timeout",
    "access-denied", "not-found", "parse-error", "command-failed",
    "connection")
NAME_TABLE(irmf_method_name, irmf_method_parse, irmf_method,
    "collection method", "import", "ssh")
