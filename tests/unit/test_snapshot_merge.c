/*
 * test_snapshot_merge.c - irmf_snapshot_merge()
 * (collector/snapshot/snapshot_merge.c): the rules for folding one file's
 * snapshot into the server's snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "snapshot_int.h"

#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation"

static irmf_snapshot *
first_file(void)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char *multi[] = { "a", "" };

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_snapshot_set_fqdn(s, "ex01.contoso.com"), 0);
	assert_int_equal(irmf_snapshot_set_collected_at(s,
	    "2026-11-20T09:00:00Z"), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_reg_key(s, MSDRM, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://old.contoso.com/_wmcs/certification"), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "Flags", IRMF_REG_DWORD, 1),
	    0);
	assert_int_equal(irmf_reg_key_set_multi(k, "Multi", multi, 2), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "SearchEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_irm_test_add(s, "Old step ...", false,
	    "old"), 0);
	assert_int_equal(irmf_snapshot_add_group(s, "CONTOSO\\Exchange Servers"),
	    0);
	assert_int_equal(irmf_snapshot_add_event(s, 2001, "CONTOSO\\EX01$",
	    NULL, "2026-11-01T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_source(s, "a.reg", "aa", "regfile"),
	    0);
	return s;
}

static irmf_snapshot *
second_file(void)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	unsigned char bin[] = { 1, 2, 3 };
	char *items[] = { "https://a/_wmcs/licensing" };

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_snapshot_set_fqdn(s, "other.contoso.com"), 0);
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_set_computer_account(s, "CONTOSO\\EX01$"),
	    0);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_reg_key(s,
	    "HKEY_LOCAL_MACHINE\\software\\microsoft\\msdrm\\servicelocation\\"
	    "activation", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://new.contoso.com/_wmcs/certification"), 0);
	assert_int_equal(irmf_reg_key_set_bin(k, "Blob", IRMF_REG_BINARY, bin,
	    3), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\Empty", &k),
	    0);
	assert_int_equal(irmf_snapshot_prop_set(s, "SearchEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, items, 1), 0);
	assert_int_equal(irmf_snapshot_irm_test_add(s, "Checking ...", true,
	    "fine"), 0);
	s->irm_test_pass = true;
	assert_int_equal(irmf_snapshot_add_group(s, "contoso\\exchange servers"),
	    0);
	assert_int_equal(irmf_snapshot_add_group(s, "CONTOSO\\Domain Computers"),
	    0);
	assert_int_equal(irmf_snapshot_add_authorization(s,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_event(s, 2001, "contoso\\ex01$",
	    NULL, "2026-11-05T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
	    "6.3.9600.17415"), 0);
	assert_int_equal(irmf_snapshot_add_probe(s, "https://x/", IRMF_PROBE_DNS,
	    0, "no such host"), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "groups",
	    IRMF_REASON_ACCESS_DENIED, "denied"), 0);
	assert_int_equal(irmf_snapshot_add_source(s, "b.txt", "bb",
	    "irmconfig-text"), 0);
	return s;
}

static void
merge_rules(void **state)
{
	irmf_snapshot *dst = first_file();
	irmf_snapshot *src = second_file();
	irmf_reg_key *k;
	irmf_reg_value *v;
	irmf_prop *p;

	(void)state;
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	irmf_snapshot_free(src);

	/* identity: first one wins, unset ones are filled, roles or-ed */
	assert_string_equal(dst->fqdn, "ex01.contoso.com");
	assert_string_equal(dst->collected_at, "2026-11-20T09:00:00Z");
	assert_string_equal(dst->product, "Exchange Server 2019");
	assert_string_equal(dst->product_build, "15.2.1544.4");
	assert_string_equal(dst->computer_account, "CONTOSO\\EX01$");
	assert_int_equal(dst->roles, IRMF_ROLE_EXCHANGE | IRMF_ROLE_CONNECTOR);

	/* registry: same key despite case, later value wins, others kept */
	assert_int_equal(dst->nkeys, 2);
	k = irmf_snapshot_reg_find(dst, MSDRM);
	assert_non_null(k);
	v = irmf_reg_key_find_value(k, "");
	assert_string_equal(v->str, "https://new.contoso.com/_wmcs/certification");
	v = irmf_reg_key_find_value(k, "Flags");
	assert_int_equal(v->type, IRMF_REG_DWORD);
	assert_int_equal(v->num, 1);
	v = irmf_reg_key_find_value(k, "Multi");
	assert_int_equal(v->nmulti, 2);
	assert_string_equal(v->multi[1], "");
	v = irmf_reg_key_find_value(k, "blob");
	assert_int_equal(v->nbin, 3);
	assert_int_equal(v->bin[2], 3);
	assert_non_null(irmf_snapshot_reg_find(dst, "HKLM\\SOFTWARE\\Empty"));

	/* properties: replaced, nil and lists copied */
	assert_true(dst->has_irm_config);
	assert_int_equal(dst->nprops, 3);
	assert_string_equal(irmf_snapshot_prop_find(dst, "SearchEnabled")->value,
	    "False");
	assert_true(irmf_snapshot_prop_find(dst, "ServiceLocation")->is_nil);
	p = irmf_snapshot_prop_find(dst, "LicensingLocation");
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 1);

	/* Test-IRMConfiguration: the later run replaces the earlier */
	assert_int_equal(dst->nirm_steps, 1);
	assert_string_equal(dst->irm_steps[0].check, "Checking ...");
	assert_true(dst->irm_test_pass);

	/* unions and sums */
	assert_int_equal(dst->groups.n, 2);
	assert_int_equal(dst->nauths, 1);
	assert_true(dst->has_authorizations);
	assert_int_equal(dst->nevents, 1);
	assert_int_equal(dst->events[0].count, 2);
	assert_string_equal(dst->events[0].first, "2026-11-01T10:00:00Z");
	assert_string_equal(dst->events[0].last, "2026-11-05T10:00:00Z");
	assert_int_equal(dst->nfiles, 1);
	assert_int_equal(dst->nprobes, 1);
	assert_int_equal(dst->probes[0].result, IRMF_PROBE_DNS);
	assert_int_equal(dst->nerrors, 1);
	assert_int_equal(dst->errors[0].reason, IRMF_REASON_ACCESS_DENIED);
	assert_int_equal(dst->nsources, 2);
	assert_string_equal(dst->sources[1].format, "irmconfig-text");
	irmf_snapshot_free(dst);
}

static void
merge_empty_keeps_everything(void **state)
{
	irmf_snapshot *dst = first_file();
	irmf_snapshot *empty;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&empty, "EX01"), 0);
	assert_int_equal(irmf_snapshot_merge(dst, empty), 0);
	/* no Test-IRMConfiguration in src: the old one stays */
	assert_int_equal(dst->nirm_steps, 1);
	assert_string_equal(dst->irm_steps[0].check, "Old step ...");
	assert_int_equal(dst->nkeys, 1);
	assert_int_equal(dst->nsources, 1);
	irmf_snapshot_free(empty);
	irmf_snapshot_free(dst);
}

/* Authorization lists (issue 16 #6): a typed list wins over one derived
 * from event 1004 whichever side it is on (an empty typed list too); of
 * two derived lists, or a derived list and an "unreadable 1004" mark,
 * the newer event wins. */
static void
merge_derived_authorizations(void **state)
{
	static const char *const a1[] = { "CONTOSO\\EX01$" };
	static const char *const a2[] = { "CONTOSO\\Exchange Servers" };
	irmf_snapshot *dst, *src;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&dst, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_new(&src, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_note_1004(dst, "2026-11-20T10:00:00Z",
	    a1, 1), 0);
	assert_int_equal(irmf_snapshot_note_1004(src, "2026-11-20T10:15:00Z",
	    a2, 1), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->nauths, 1);
	assert_string_equal(dst->auths[0].account, "CONTOSO\\Exchange Servers");
	assert_string_equal(dst->auth_at, "2026-11-20T10:15:00Z");
	/* an older derived list does not replace a newer one */
	irmf_snapshot_free(src);
	assert_int_equal(irmf_snapshot_new(&src, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_note_1004(src, "2026-11-20T09:00:00Z",
	    a1, 1), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_string_equal(dst->auths[0].account, "CONTOSO\\Exchange Servers");
	/* a newer unreadable 1004 removes it */
	irmf_snapshot_free(src);
	assert_int_equal(irmf_snapshot_new(&src, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_note_1004(src, "2026-11-20T10:30:00Z",
	    NULL, 0), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_false(dst->has_authorizations);
	assert_string_equal(dst->auth_1004_unread, "2026-11-20T10:30:00Z");
	/* an empty typed list wins over it */
	irmf_snapshot_free(src);
	assert_int_equal(irmf_snapshot_new(&src, "RMS01"), 0);
	irmf_snapshot_typed_auths(src);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_true(dst->has_authorizations);
	assert_int_equal(dst->auth_source, IRMF_AUTH_TYPED);
	assert_int_equal(dst->nauths, 0);
	assert_null(dst->auth_1004_unread);
	/* and a derived list merged into a typed one is ignored */
	irmf_snapshot_free(src);
	assert_int_equal(irmf_snapshot_new(&src, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_note_1004(src, "2026-11-21T00:00:00Z",
	    a1, 1), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->auth_source, IRMF_AUTH_TYPED);
	assert_int_equal(dst->nauths, 0);
	/* a typed row into a derived list replaces the list */
	irmf_snapshot_free(dst);
	assert_int_equal(irmf_snapshot_new(&dst, "RMS01"), 0);
	assert_int_equal(irmf_snapshot_add_authorization(src, "CONTOSO\\Ex",
	    IRMF_ACCOUNT_GROUP, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_note_1004(dst, "2026-11-21T00:00:00Z",
	    a2, 1), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->auth_source, IRMF_AUTH_TYPED);
	assert_int_equal(dst->nauths, 1);
	assert_string_equal(dst->auths[0].account, "CONTOSO\\Ex");
	assert_null(dst->auth_at);
	irmf_snapshot_free(src);
	irmf_snapshot_free(dst);
}

/* The group list's scope: a token list (gpresult) next to a direct one
 * (an older collect) keeps token, the wider; an unstated scope does not
 * erase a stated one.  Key ACLs are replaced by path. */
static void
merge_groups_scope_and_acls(void **state)
{
	irmf_snapshot *dst, *src;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&dst, "EX01"), 0);
	assert_int_equal(irmf_snapshot_new(&src, "EX01"), 0);
	dst->groups_scope = IRMF_GROUPS_DIRECT;
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->groups_scope, IRMF_GROUPS_DIRECT);
	src->groups_scope = IRMF_GROUPS_TOKEN;
	assert_int_equal(irmf_snapshot_set_key_acl(src,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server", "O:SYD:(A;CIOI;KA;;;NS)"),
	    0);
	assert_int_equal(irmf_snapshot_set_key_acl(dst,
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server", NULL), 0);
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->groups_scope, IRMF_GROUPS_TOKEN);
	assert_int_equal(dst->nacls, 1);
	assert_string_equal(dst->acls[0].sddl, "O:SYD:(A;CIOI;KA;;;NS)");
	src->groups_scope = IRMF_GROUPS_DIRECT;
	assert_int_equal(irmf_snapshot_merge(dst, src), 0);
	assert_int_equal(dst->groups_scope, IRMF_GROUPS_TOKEN);
	irmf_snapshot_free(src);
	irmf_snapshot_free(dst);
}

/* An item recorded as not collected (a psdoc run outside the Exchange
 * Management Shell) is kept through a merge of files without it, and
 * dropped when another file of the import supplies it, in either order:
 * the snapshot never says both "here it is" and "not collected"; a record
 * added after a drop leaves the others whole (valgrind, ASan). */
static void
merge_skipped(void **state)
{
	irmf_snapshot *dst, *doc, *irm;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&dst, "EX01"), 0);
	assert_int_equal(irmf_snapshot_new(&doc, "EX01"), 0);
	assert_int_equal(irmf_snapshot_new(&irm, "EX01"), 0);
	assert_int_equal(irmf_snapshot_add_skipped(doc, "irm-config",
	    "not collected: run the script from the Exchange Management "
	    "Shell to include it"), 0);
	assert_int_equal(irmf_snapshot_add_skipped(doc, "exchange-server",
	    "not collected"), 0);
	assert_int_equal(irmf_snapshot_prop_set(irm, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	irm->has_irm_config = true;

	/* the document, then a file without either item: both kept */
	assert_int_equal(irmf_snapshot_merge(dst, doc), 0);
	assert_int_equal(irmf_snapshot_merge(dst, doc), 0);
	assert_int_equal(dst->nskipped, 2);
	assert_string_equal(irmf_snapshot_skipped_for(dst, "irm-config")->
	    message, "not collected: run the script from the Exchange "
	    "Management Shell to include it");
	/* then Get-IRMConfiguration: its record goes, the other stays */
	assert_int_equal(irmf_snapshot_merge(dst, irm), 0);
	assert_null(irmf_snapshot_skipped_for(dst, "irm-config"));
	assert_non_null(irmf_snapshot_skipped_for(dst, "exchange-server"));
	assert_int_equal(dst->nskipped, 1);
	/* a record added after one was dropped takes the freed slot and
	 * must not free what the moved record still holds */
	{
		irmf_snapshot *ev;
		assert_int_equal(irmf_snapshot_new(&ev, "EX01"), 0);
		assert_int_equal(irmf_snapshot_add_skipped(ev, "events",
		    "not collected here"), 0);
		assert_int_equal(irmf_snapshot_merge(dst, ev), 0);
		irmf_snapshot_free(ev);
	}
	assert_int_equal(dst->nskipped, 2);
	assert_string_equal(irmf_snapshot_skipped_for(dst,
	    "exchange-server")->message, "not collected");
	assert_string_equal(irmf_snapshot_skipped_for(dst, "events")->message,
	    "not collected here");
	irmf_snapshot_free(dst);

	/* the other order */
	assert_int_equal(irmf_snapshot_new(&dst, "EX01"), 0);
	assert_int_equal(irmf_snapshot_merge(dst, irm), 0);
	assert_int_equal(irmf_snapshot_merge(dst, doc), 0);
	assert_null(irmf_snapshot_skipped_for(dst, "irm-config"));
	assert_int_equal(dst->nskipped, 1);
	irmf_snapshot_free(dst);
	irmf_snapshot_free(doc);
	irmf_snapshot_free(irm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_rules),
		cmocka_unit_test(merge_empty_keeps_everything),
		cmocka_unit_test(merge_groups_scope_and_acls),
		cmocka_unit_test(merge_derived_authorizations),
		cmocka_unit_test(merge_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
