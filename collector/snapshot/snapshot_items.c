/*
 * snapshot_items.c - the snapshot model's items besides the registry:
 * IRM configuration properties and Test-IRMConfiguration steps, file
 * versions, the computer account, groups and service accounts, the
 * connector's authorization list, event summaries and windows, key ACLs,
 * URL probes, collection errors and items not collected (skipped).
 *
 * Lookups here are linear: a server has a few dozen of each at most.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "snapshot_int.h"
#include "snapshot_parts.h"

/* ---------------------------------------------------------------- strings */

static bool
strlist_has_ci(const irmf_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (irmf_streq_ci(l->items[i], s))
			return true;
	return false;
}

/* ------------------------------------------------------- IRM config */

void
irmf_prop_clear(irmf_prop *p)
{
	free(p->name);
	free(p->value);
	for (size_t i = 0; i < p->nitems; i++)
		free(p->items[i]);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

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
		irmf_prop_clear(p);
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

/* Forget the list and the 1004 marks: a typed list or a newer 1004
 * replaces them. */
static void
auth_clear(irmf_snapshot *s)
{
	for (size_t i = 0; i < s->nauths; i++)
		free(s->auths[i].account);
	s->nauths = 0;
	s->has_authorizations = false;
	s->auth_source = IRMF_AUTH_TYPED;
	free(s->auth_at);
	free(s->auth_1004_unread);
	s->auth_at = s->auth_1004_unread = NULL;
}

/* unique: the caller knows account is not in the list yet (a derived
 * list of thousands of accounts must not cost n squared) */
static int
auth_append(irmf_snapshot *s, const char *account, irmf_account_kind kind,
    irmf_role role, bool unique)
{
	irmf_authorization *a;

	for (size_t i = 0; !unique && i < s->nauths; i++)
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

int
irmf_snapshot_add_authorization(irmf_snapshot *s, const char *account,
    irmf_account_kind kind, irmf_role role)
{
	irmf_snapshot_typed_auths(s);
	return auth_append(s, account, kind, role, false);
}

void
irmf_snapshot_typed_auths(irmf_snapshot *s)
{
	if (s->auth_source != IRMF_AUTH_TYPED || s->auth_1004_unread != NULL)
		auth_clear(s);
	s->has_authorizations = true;
}

int
irmf_snapshot_add_derived_row(irmf_snapshot *s, const char *account,
    irmf_account_kind kind)
{
	/* no pairwise check: irmf_snapshot_auth_dedupe at the list's end */
	return auth_append(s, account, kind, 0, true);
}

int
irmf_snapshot_add_typed_row(irmf_snapshot *s, const char *account,
    irmf_account_kind kind, irmf_role role)
{
	irmf_snapshot_typed_auths(s);
	/* no pairwise check: irmf_snapshot_auth_dedupe at the list's end */
	return auth_append(s, account, kind, role, true);
}

typedef struct auth_ord {
	const irmf_authorization *a;
	size_t i;
} auth_ord;

/* By account (case-insensitively), role, then place in the list. */
static int
cmp_auth_ord(const void *x, const void *y)
{
	const auth_ord *p = x, *q = y;
	int c = strcasecmp(p->a->account, q->a->account);

	if (c == 0)
		c = (p->a->role > q->a->role) - (p->a->role < q->a->role);
	return c ? c : (p->i > q->i) - (p->i < q->i);
}

int
irmf_snapshot_auth_dedupe(irmf_snapshot *s)
{
	auth_ord *o;
	size_t keep = 0, first = 0;

	if (s->nauths < 2)
		return IRMF_OK;
	if ((o = calloc(s->nauths, sizeof(*o))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < s->nauths; i++)
		o[i] = (auth_ord){ &s->auths[i], i };
	qsort(o, s->nauths, sizeof(*o), cmp_auth_ord);
	/* a later row of a group gives the first its kind (as auth_append
	 * does) and is marked by a NULL account */
	for (size_t i = 1; i < s->nauths; i++) {
		if (cmp_auth_ord(&(auth_ord){ o[i].a, 0 },
		    &(auth_ord){ o[first].a, 0 }) != 0) {
			first = i;
			continue;
		}
		s->auths[o[first].i].kind = o[i].a->kind;
		free(s->auths[o[i].i].account);
		s->auths[o[i].i].account = NULL;
	}
	free(o);
	for (size_t i = 0; i < s->nauths; i++)
		if (s->auths[i].account != NULL)
			s->auths[keep++] = s->auths[i];
	s->nauths = keep;
	return IRMF_OK;
}

int
irmf_snapshot_note_1004(irmf_snapshot *s, const char *at,
    const char *const *accounts, size_t n)
{
	const char *seen = s->auth_source == IRMF_AUTH_EVENT_1004 ?
	    s->auth_at : s->auth_1004_unread;
	char *t;

	if ((s->has_authorizations && s->auth_source == IRMF_AUTH_TYPED) ||
	    at == NULL || (seen != NULL && strcmp(at, seen) <= 0))
		return IRMF_OK;
	if ((t = irmf_strdup(at)) == NULL)
		return IRMF_ENOMEM;
	auth_clear(s);
	if (n == 0) {
		s->auth_1004_unread = t;
		return IRMF_OK;
	}
	s->has_authorizations = true;
	s->auth_source = IRMF_AUTH_EVENT_1004;
	s->auth_at = t;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(accounts[i]);
		if (auth_append(s, accounts[i], len > 1 &&
		    accounts[i][len - 1] == '$' ? IRMF_ACCOUNT_COMPUTER :
		    IRMF_ACCOUNT_UNKNOWN, 0, true) < 0)
			return IRMF_ENOMEM;
	}
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

int
irmf_snapshot_add_skipped(irmf_snapshot *s, const char *item,
    const char *message)
{
	irmf_skipped_item *k;

	if (irmf_snapshot_skipped_for(s, item) != NULL)
		return IRMF_OK;
	if (IRMF_GROW(s->skipped, s->capskipped, s->nskipped) < 0)
		return IRMF_ENOMEM;
	k = &s->skipped[s->nskipped];
	/* the slot may hold a record settle_skipped moved down: not ours */
	k->message = NULL;
	if ((k->item = irmf_strdup(item)) == NULL)
		return IRMF_ENOMEM;
	if (irmf_set_str(&k->message, message) < 0) {
		free(k->item);
		k->item = NULL;
		return IRMF_ENOMEM;
	}
	s->nskipped++;
	return IRMF_OK;
}

const irmf_skipped_item *
irmf_snapshot_skipped_for(const irmf_snapshot *s, const char *item)
{
	for (size_t i = 0; i < s->nskipped; i++)
		if (irmf_streq_ci(s->skipped[i].item, item))
			return &s->skipped[i];
	return NULL;
}
