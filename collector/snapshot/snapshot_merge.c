/*
 * snapshot_merge.c - irmf_snapshot_merge(): fold the snapshot parsed from
 * one file into the server's snapshot, so that `irmfleet import` can take
 * a .reg export, a Get-IRMConfiguration capture and a gpresult text of
 * the same server and write one document.
 *
 * Rules (files are merged in command-line order):
 *  - identity scalars (fqdn, product, OS, collected_at, collector,
 *    computer account): the first file that has one wins, as the header
 *    promises; roles are or-ed;
 *  - registry values, IRM properties and file versions: a later file
 *    replaces the same key/value, property or file, like importing two
 *    .reg files one after the other;
 *  - a later Test-IRMConfiguration run replaces an earlier one as a whole
 *    (its steps are one result, not a set to union);
 *  - groups, service accounts and authorizations are unions; event
 *    summaries add up; probes, errors and sources are appended;
 *  - the group list's scope: token (the wider) wins over direct, and a
 *    stated scope over none; a later key ACL replaces the same key's;
 *  - an item recorded as not collected (<skipped>) stays so only while no
 *    file supplied it (a psdoc taken outside the Exchange Management
 *    Shell, then a Get-IRMConfiguration capture).
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "snapshot_int.h"

static int
set_if_unset(char **dst, const char *src)
{
	if (*dst != NULL || src == NULL)
		return IRMF_OK;
	return irmf_set_str(dst, src);
}

static int
merge_identity(irmf_snapshot *dst, const irmf_snapshot *src)
{
	dst->roles |= src->roles;
	if (dst->product == NULL && src->product != NULL &&
	    irmf_snapshot_set_product(dst, src->product,
	    src->product_build) < 0)
		return IRMF_ENOMEM;
	if (set_if_unset(&dst->exchange_roles, src->exchange_roles) < 0 ||
	    set_if_unset(&dst->fqdn, src->fqdn) < 0 ||
	    set_if_unset(&dst->os_version, src->os_version) < 0 ||
	    set_if_unset(&dst->collected_at, src->collected_at) < 0 ||
	    set_if_unset(&dst->computer_account, src->computer_account) < 0)
		return IRMF_ENOMEM;
	if (dst->collector_name == NULL && src->collector_name != NULL &&
	    irmf_snapshot_set_collector(dst, src->collector_name,
	    src->collector_version) < 0)
		return IRMF_ENOMEM;
	for (size_t i = 0; i < src->nsources; i++)
		if (irmf_snapshot_add_source(dst, src->sources[i].file,
		    src->sources[i].sha256, src->sources[i].format) < 0)
			return IRMF_ENOMEM;
	return IRMF_OK;
}

static int
copy_value(irmf_reg_key *key, const irmf_reg_value *v)
{
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		return irmf_reg_key_set_sz(key, v->name, v->type, v->str);
	case IRMF_REG_MULTI_SZ:
		return irmf_reg_key_set_multi(key, v->name, v->multi,
		    v->nmulti);
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		return irmf_reg_key_set_num(key, v->name, v->type, v->num);
	default:
		return irmf_reg_key_set_bin(key, v->name, v->type, v->bin,
		    v->nbin);
	}
}

static int
merge_registry(irmf_snapshot *dst, const irmf_snapshot *src)
{
	irmf_reg_key *key;
	int rc;

	for (size_t i = 0; i < src->nkeys; i++) {
		const irmf_reg_key *sk = &src->keys[i];

		if ((rc = irmf_snapshot_reg_key(dst, sk->path, &key)) < 0)
			return rc;
		for (size_t j = 0; j < sk->nvalues; j++)
			if ((rc = copy_value(key, &sk->values[j])) < 0)
				return rc;
	}
	return IRMF_OK;
}

static int
merge_props(irmf_snapshot *dst, const irmf_snapshot *src)
{
	int rc;

	for (size_t i = 0; i < src->nprops; i++) {
		const irmf_prop *p = &src->props[i];
		bool list = p->type == IRMF_PROP_LIST ||
		    p->type == IRMF_PROP_URI_LIST;

		if (list && !p->is_nil)
			rc = irmf_snapshot_prop_set_list(dst, p->name, p->type,
			    p->items, p->nitems);
		else
			rc = irmf_snapshot_prop_set(dst, p->name, p->type,
			    p->value, p->is_nil);
		if (rc < 0)
			return rc;
	}
	dst->has_irm_config |= src->has_irm_config;
	return IRMF_OK;
}

static void
clear_irm_test(irmf_snapshot *s)
{
	/* slots are reused by irmf_snapshot_irm_test_add(), which expects
	 * them zeroed */
	for (size_t i = 0; i < s->nirm_steps; i++) {
		free(s->irm_steps[i].check);
		free(s->irm_steps[i].message);
		memset(&s->irm_steps[i], 0, sizeof(s->irm_steps[i]));
	}
	s->nirm_steps = 0;
	s->has_irm_test = false;
	s->irm_test_pass = false;
}

static int
merge_irm_test(irmf_snapshot *dst, const irmf_snapshot *src)
{
	if (!src->has_irm_test)
		return IRMF_OK;
	clear_irm_test(dst);
	for (size_t i = 0; i < src->nirm_steps; i++) {
		const irmf_irm_test_step *st = &src->irm_steps[i];

		if (irmf_snapshot_irm_test_add(dst, st->check, st->pass,
		    st->message) < 0)
			return IRMF_ENOMEM;
	}
	dst->has_irm_test = true;
	dst->irm_test_pass = src->irm_test_pass;
	return IRMF_OK;
}

/* A typed list is a union and wins over a derived one; of two derived
 * lists (or "1004 unreadable" marks) the newest 1004 wins. */
static int
merge_auths(irmf_snapshot *dst, const irmf_snapshot *src)
{
	const char **acc;
	size_t i;
	int rc;

	if (src->has_authorizations && src->auth_source == IRMF_AUTH_TYPED) {
		for (i = 0; i < src->nauths; i++)
			if (irmf_snapshot_add_authorization(dst,
			    src->auths[i].account, src->auths[i].kind,
			    src->auths[i].role) < 0)
				return IRMF_ENOMEM;
		irmf_snapshot_typed_auths(dst);   /* even an empty list */
		return IRMF_OK;
	}
	if (src->auth_1004_unread != NULL)
		return irmf_snapshot_note_1004(dst, src->auth_1004_unread, NULL,
		    0);
	if (!src->has_authorizations)
		return IRMF_OK;
	if ((acc = calloc(src->nauths + 1, sizeof(*acc))) == NULL)
		return irmf_error_oom();
	for (i = 0; i < src->nauths; i++)
		acc[i] = src->auths[i].account;
	rc = irmf_snapshot_note_1004(dst, src->auth_at, acc, src->nauths);
	free(acc);
	return rc;
}

static int
merge_accounts(irmf_snapshot *dst, const irmf_snapshot *src)
{
	size_t i;

	for (i = 0; i < src->nfiles; i++)
		if (irmf_snapshot_file_set(dst, src->files[i].name,
		    src->files[i].path, src->files[i].version) < 0)
			return IRMF_ENOMEM;
	for (i = 0; i < src->groups.n; i++)
		if (irmf_snapshot_add_group(dst, src->groups.items[i]) < 0)
			return IRMF_ENOMEM;
	for (i = 0; i < src->service_accounts.n; i++)
		if (irmf_snapshot_add_service_account(dst,
		    src->service_accounts.items[i]) < 0)
			return IRMF_ENOMEM;
	/* a token list covers the direct one: the wider scope wins */
	if (src->groups_scope == IRMF_GROUPS_TOKEN ||
	    dst->groups_scope == IRMF_GROUPS_UNSTATED)
		dst->groups_scope = src->groups_scope;
	for (i = 0; i < src->nacls; i++)
		if (irmf_snapshot_set_key_acl(dst, src->acls[i].path,
		    src->acls[i].sddl) < 0)
			return IRMF_ENOMEM;
	return merge_auths(dst, src);
}

static int
merge_observations(irmf_snapshot *dst, const irmf_snapshot *src)
{
	size_t i;

	for (i = 0; i < src->nevents; i++) {
		const irmf_event_summary *e = &src->events[i];

		if (irmf_snapshot_add_event_summary(dst, e->id, e->account,
		    e->computer, e->count, e->first, e->last) < 0)
			return IRMF_ENOMEM;
	}
	for (i = 0; i < src->nevwindows; i++) {
		const irmf_event_window *w = &src->evwindows[i];

		if (irmf_snapshot_add_event_window(dst, w->ids, w->returned,
		    w->whole_log, w->oldest) < 0)
			return IRMF_ENOMEM;
	}
	dst->has_events |= src->has_events;
	for (i = 0; i < src->nprobes; i++) {
		const irmf_probe *p = &src->probes[i];

		if (irmf_snapshot_add_probe(dst, p->url, p->result,
		    p->http_status, p->message) < 0)
			return IRMF_ENOMEM;
	}
	for (i = 0; i < src->nerrors; i++) {
		const irmf_collect_error *e = &src->errors[i];

		if (irmf_snapshot_add_error(dst, e->item, e->reason,
		    e->message) < 0)
			return IRMF_ENOMEM;
	}
	for (i = 0; i < src->nskipped; i++)
		if (irmf_snapshot_add_skipped(dst, src->skipped[i].item,
		    src->skipped[i].message) < 0)
			return IRMF_ENOMEM;
	return IRMF_OK;
}

/* Whether dst now holds what a "not collected" record says is missing
 * (the item came with another file of the import). */
static bool
skip_settled(const irmf_snapshot *dst, const char *item)
{
	if (irmf_streq_ci(item, "irm-config"))
		return dst->has_irm_config;
	if (irmf_streq_ci(item, "exchange-server"))
		return dst->exchange_roles != NULL;
	return false;
}

/* A record of an item as not collected is dropped once another file
 * of the same import supplied the item: the snapshot never says both
 * "here it is" and "not collected". */
static void
settle_skipped(irmf_snapshot *dst)
{
	size_t keep = 0;

	for (size_t i = 0; i < dst->nskipped; i++) {
		irmf_skipped_item *k = &dst->skipped[i];
		if (skip_settled(dst, k->item)) {
			free(k->item);
			free(k->message);
			continue;
		}
		dst->skipped[keep++] = *k;
	}
	/* the slots left behind hold moved or freed pointers */
	if (keep < dst->nskipped)
		memset(&dst->skipped[keep], 0, (dst->nskipped - keep) *
		    sizeof(*dst->skipped));
	dst->nskipped = keep;
}

int
irmf_snapshot_merge(irmf_snapshot *dst, const irmf_snapshot *src)
{
	int rc;

	if ((rc = merge_identity(dst, src)) < 0 ||
	    (rc = merge_registry(dst, src)) < 0 ||
	    (rc = merge_props(dst, src)) < 0 ||
	    (rc = merge_irm_test(dst, src)) < 0 ||
	    (rc = merge_accounts(dst, src)) < 0 ||
	    (rc = merge_observations(dst, src)) < 0)
		return rc;
	settle_skipped(dst);
	return IRMF_OK;
}
