/*
 * snapshot_reg.c - the registry part of the snapshot model: keys and
 * their values, lookups, mutation and deletion, registry type names.
 *
 * Registry keys are looked up through a small open-addressing hash of the
 * ASCII-case-folded path, because an imported hive dump can hold hundreds
 * of thousands of keys and parsers look a key up for every line; a key's
 * values get an index of their own once it has many.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "error.h"
#include "snapshot_int.h"
#include "snapshot_parts.h"

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

/* ------------------------------------------------------------ clearing */

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

/* Frees every key of s and the key index (irmf_snapshot_free's part). */
void
irmf_snapshot_reg_free(irmf_snapshot *s)
{
	for (size_t i = 0; i < s->nkeys; i++)
		reg_key_clear(&s->keys[i]);
	free(s->keys);
	keyindex_free(s->keyindex);
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
