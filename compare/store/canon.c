/*
 * canon.c - what the history records of a snapshot, and its canonical
 * content hash: identity (without name, collected_at and provenance), the
 * settings that could be collected, and the collection errors, serialized
 * with length prefixes and hashed with SHA-256.  Equal hashes are how an
 * unchanged server costs no new rows; db check (check.c) rebuilds the
 * hash from the stored rows to prove they still say the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "digest.h"
#include "error.h"
#include "store_db.h"

#define NSECTIONS 5

static int
cmp_kv(const void *pa, const void *pb)
{
	const kv *x = pa, *y = pb;
	int c = strcasecmp(x->a, y->a);

	if (c == 0)
		c = strcmp(x->a, y->a);
	return c ? c : strcmp(x->b, y->b);
}

/* Settings come sorted from the flattening; skip the sort then. */
static bool
kv_sorted(const kv *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_kv(&v[i - 1], &v[i]) > 0)
			return false;
	return true;
}

static void
h_str(EVP_MD_CTX *ctx, const char *s, bool fold)
{
	char buf[256];
	size_t n, len;

	if (s == NULL) {
		EVP_DigestUpdate(ctx, "-", 1);
		return;
	}
	len = strlen(s);
	/* "<len>:" without printf: this runs for every setting */
	n = sizeof(buf);
	buf[--n] = ':';
	for (size_t x = len; ; x /= 10) {
		buf[--n] = (char)('0' + x % 10);
		if (x < 10)
			break;
	}
	EVP_DigestUpdate(ctx, buf + n, sizeof(buf) - n);
	if (!fold) {
		EVP_DigestUpdate(ctx, s, len);
		return;
	}
	while (len > 0) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)tolower((unsigned char)s[i]);
		EVP_DigestUpdate(ctx, buf, n);
		s += n;
		len -= n;
	}
}

/* SHA-256 of a length-prefixed serialization; errs and sets are sorted
 * in place.  Setting keys are case-folded as the store compares them. */
int
irmf__canon_hash(const ident *id, kv *errs, size_t nerr, kv *sets, size_t nset,
    char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char num[64];

	if (ctx == NULL)
		return irmf_error_oom();
	if (nerr > 1 && !kv_sorted(errs, nerr))
		qsort(errs, nerr, sizeof(kv), cmp_kv);
	if (nset > 1 && !kv_sorted(sets, nset))
		qsort(sets, nset, sizeof(kv), cmp_kv);
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return irmf_error_set(IRMF_ERROR, "sha-256 unavailable");
	}
	EVP_DigestUpdate(ctx, "irmfleet-history-1\n", 19);
	h_str(ctx, id->fqdn, false);
	h_str(ctx, id->product, false);
	h_str(ctx, id->build, false);
	h_str(ctx, id->os, false);
	h_str(ctx, id->cohort, false);
	snprintf(num, sizeof(num), "r%u s%u e%zu", id->roles, id->sections,
	    nerr);
	h_str(ctx, num, false);
	for (size_t i = 0; i < nerr; i++) {
		h_str(ctx, errs[i].a, true);
		h_str(ctx, errs[i].b, false);
	}
	snprintf(num, sizeof(num), "n%zu", nset);
	h_str(ctx, num, false);
	for (size_t i = 0; i < nset; i++) {
		h_str(ctx, sets[i].a, true);
		h_str(ctx, sets[i].b, false);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	irmf_hex_encode(md, mdlen < 32 ? mdlen : 32, hex);
	return IRMF_OK;
}

unsigned
irmf__sections_of(const irmf_snapshot *snap)
{
	unsigned m = 0;

	for (int i = 0; i < NSECTIONS; i++)
		if (irmf_section_present(snap, (irmf_section)i))
			m |= 1u << i;
	return m;
}

static int
section_of_key(const char *key)
{
	static const char *const prefixes[NSECTIONS] = {
		"reg:", "irm:", "irm-test:", "file:", "identity:"
	};

	for (int i = 0; i < NSECTIONS; i++)
		if (strncasecmp(key, prefixes[i], strlen(prefixes[i])) == 0)
			return i;
	return -1;
}

/* A setting that the snapshot could not have collected: its section is
 * absent or a collection error covers it.  errsnap carries the errors. */
bool
irmf__uncollected(const char *key, unsigned sections,
    const irmf_snapshot *errsnap)
{
	int sec = section_of_key(key);

	if (sec >= 0 && !(sections & (1u << sec)))
		return true;
	return irmf_setting_collect_error(errsnap, key) != NULL;
}

int
irmf_store_recorded_settings(const irmf_snapshot *snap, irmf_settings *out)
{
	unsigned sections = irmf__sections_of(snap);
	size_t j = 0;
	int rc;

	if ((rc = irmf_settings_extract(snap, out)) < 0)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		irmf_setting *s = &out->items[i];
		if (irmf__uncollected(s->key, sections, snap)) {
			free(s->key);
			free(s->value);
			free(s->norm);
			continue;
		}
		out->items[j++] = *s;
	}
	out->n = j;
	return IRMF_OK;
}

int
irmf__hash_snapshot(const irmf_snapshot *snap, const irmf_settings *set,
    char hex[65])
{
	ident id = { snap->fqdn, snap->product, snap->product_build,
	    snap->os_version, irmf_cohort_of(snap), snap->roles,
	    irmf__sections_of(snap) };
	kv *errs = calloc(snap->nerrors + 1, sizeof(kv));
	kv *sets = calloc(set->n + 1, sizeof(kv));
	int rc;

	if (errs == NULL || sets == NULL) {
		rc = irmf_error_oom();
		goto out;
	}
	for (size_t i = 0; i < snap->nerrors; i++) {
		errs[i].a = snap->errors[i].item;
		errs[i].b = irmf_collect_reason_name(snap->errors[i].reason);
	}
	for (size_t i = 0; i < set->n; i++) {
		sets[i].a = set->items[i].key;
		sets[i].b = set->items[i].value;
	}
	rc = irmf__canon_hash(&id, errs, snap->nerrors, sets, set->n, hex);
out:
	free(errs);
	free(sets);
	return rc;
}

int
irmf_store_snapshot_hash(const irmf_snapshot *snap, char hex[65])
{
	irmf_settings set = { 0 };
	int rc;

	if ((rc = irmf_store_recorded_settings(snap, &set)) == 0)
		rc = irmf__hash_snapshot(snap, &set, hex);
	irmf_settings_clear(&set);
	return rc;
}
