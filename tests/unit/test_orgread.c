/*
 * test_orgread.c - which host of a collect run reads the organisation's
 * Exchange objects over a password logon (collector/collect/orgread.c):
 * only with the script plan and a password; the first Exchange host in
 * run order, the next one when it cannot be reached; the hosts after the
 * candidate wait; the candidate offers the password alone (its jump
 * hosts keep the usual credentials); a refused password or a logon
 * without one is not retried elsewhere; what each host's script is told;
 * and the mode lines the script gets (psscript.c).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/snapshot.h"
#include "orgread.h"
#include "psscript.h"

#define X IRMF_ROLE_EXCHANGE
#define C IRMF_ROLE_CONNECTOR

static const unsigned roles[] = { C, X, X | IRMF_ROLE_SHAREPOINT, C, X };
static const char *const names[] = { "rms1", "ex01", "ex02", "rms2", "ex03" };
#define N 5

static void
test_off_without_password_or_script(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;

	(void)state;
	irmf_org_init(&g, true, NULL, roles, names, N);
	assert_int_equal(g.st, IRMF_ORG_OFF);
	assert_false(irmf_org_holds(&g, 4));
	assert_false(irmf_org_for_host(&g, 1, &o));
	assert_null(irmf_org_not_read(&g));
	irmf_org_init(&g, false, "pw", roles, names, N);
	assert_int_equal(g.st, IRMF_ORG_OFF);
	/* no Exchange host: nothing asked, nothing to say */
	irmf_org_init(&g, true, "pw", roles, names, 1);
	assert_int_equal(g.st, IRMF_ORG_OFF);
	assert_null(irmf_org_not_read(&g));
}

static void
test_first_exchange_host_reads(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;
	irmf_ssh_auth base = { 0 };
	const char *kn[] = { "id" };
	char *keys[] = { "k" };
	size_t lens[] = { 1 };
	const irmf_ssh_auth *a;

	(void)state;
	assert_int_equal(irmf_org_next_exchange(roles, N, 0), 1);
	assert_int_equal(irmf_org_next_exchange(roles, N, 2), 2);
	assert_int_equal(irmf_org_next_exchange(roles, N, 3), 4);
	assert_int_equal(irmf_org_next_exchange(roles, N, 5), 5);
	irmf_org_init(&g, true, "pw", roles, names, N);
	assert_int_equal(g.st, IRMF_ORG_PENDING);
	assert_int_equal(g.idx, 1);
	/* the connector before it starts; everything after waits */
	assert_false(irmf_org_holds(&g, 0));
	assert_false(irmf_org_holds(&g, 1));
	assert_true(irmf_org_holds(&g, 2));
	assert_true(irmf_org_holds(&g, 3));
	/* the candidate offers the password alone; others all they have */
	base.key_names = kn;
	base.keys = keys;
	base.key_lens = lens;
	base.nkeys = 1;
	base.use_agent = true;
	base.password = "pw";
	assert_ptr_equal(irmf_org_auth(&g, 0, &base), &base);
	a = irmf_org_auth(&g, 1, &base);
	assert_ptr_not_equal(a, &base);
	assert_int_equal(a->nkeys, 0);
	assert_false(a->use_agent);
	assert_string_equal(a->password, "pw");
	assert_ptr_equal(a->hops, &base);
	/* the script is decided only once it logged on */
	assert_false(irmf_org_for_host(&g, 2, &o));
	irmf_org_logged_on(&g, 0, "publickey");   /* not the candidate */
	assert_int_equal(g.st, IRMF_ORG_PENDING);
	irmf_org_logged_on(&g, 1, "password");
	assert_int_equal(g.st, IRMF_ORG_READING);
	assert_false(irmf_org_holds(&g, 2));
	assert_true(irmf_org_for_host(&g, 1, &o));
	assert_true(o.read);
	assert_false(o.failed);
	assert_null(o.note);
	assert_true(irmf_org_for_host(&g, 4, &o));
	assert_false(o.read);
	assert_false(o.failed);
	assert_string_equal(o.note, "collected once per run from ex01");
	/* later hosts get their usual credentials */
	assert_ptr_equal(irmf_org_auth(&g, 1, &base), &base);
	assert_string_equal(irmf_org_reader(&g), "ex01");
	assert_null(irmf_org_not_read(&g));
}

static void
test_unreachable_candidate_passes_on(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;

	(void)state;
	irmf_org_init(&g, true, "pw", roles, names, N);
	/* another host failing changes nothing */
	assert_false(irmf_org_failed(&g, 0, false, "x", roles, names, N));
	assert_int_equal(g.idx, 1);
	assert_false(irmf_org_failed(&g, 1, false, "refused", roles, names,
	    N));
	assert_int_equal(g.st, IRMF_ORG_PENDING);
	assert_int_equal(g.idx, 2);
	assert_string_equal(g.name, "ex02");
	assert_false(irmf_org_holds(&g, 2));
	assert_true(irmf_org_holds(&g, 3));
	assert_false(irmf_org_failed(&g, 2, false, "timeout", roles, names,
	    N));
	assert_int_equal(g.idx, 4);
	irmf_org_logged_on(&g, 4, "password");
	assert_string_equal(irmf_org_reader(&g), "ex03");
	/* none left to ask: said once, by the summary */
	irmf_org_init(&g, true, "pw", roles, names, N);
	irmf_org_failed(&g, 1, false, "down", roles, names, N);
	irmf_org_failed(&g, 2, false, "down", roles, names, N);
	irmf_org_failed(&g, 4, false, "down", roles, names, N);
	assert_int_equal(g.st, IRMF_ORG_OFF);
	assert_false(irmf_org_for_host(&g, 4, &o));
	assert_null(irmf_org_reader(&g));
	assert_non_null(strstr(irmf_org_not_read(&g), "no Exchange host could "
	    "be reached"));
}

static void
test_refused_password_not_retried(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;

	(void)state;
	irmf_org_init(&g, true, "pw", roles, names, N);
	/* true: log the host on again with its usual credentials */
	assert_true(irmf_org_failed(&g, 1, true, "'ex01': authentication "
	    "failed", roles, names, N));
	assert_int_equal(g.st, IRMF_ORG_REFUSED);
	assert_int_equal(g.idx, 1);
	assert_false(irmf_org_holds(&g, 2));
	/* its reconnection failing too passes nothing on */
	assert_false(irmf_org_failed(&g, 1, true, "again", roles, names, N));
	assert_false(irmf_org_failed(&g, 1, false, "down", roles, names, N));
	assert_int_equal(g.st, IRMF_ORG_REFUSED);
	assert_true(irmf_org_for_host(&g, 1, &o));
	assert_false(o.read);
	assert_true(o.failed);
	assert_non_null(strstr(o.note, "'ex01': authentication failed"));
	assert_true(irmf_org_for_host(&g, 2, &o));
	assert_false(o.failed);
	assert_string_equal(o.note, "not collected in this run: the password "
	    "logon to ex01, the host chosen to read it once per run, failed");
	assert_null(irmf_org_reader(&g));
	assert_string_equal(irmf_org_not_read(&g), o.note);
}

/* An SSH error too long for the recorded reason is shown cut, ending in
 * "...", not as if it were whole. */
static void
test_long_reason_marked_cut(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;
	char msg[1000];
	size_t n;

	(void)state;
	memset(msg, 'a', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(msg, "'ex01': ", 8);
	irmf_org_init(&g, true, "pw", roles, names, N);
	assert_true(irmf_org_failed(&g, 1, true, msg, roles, names, N));
	assert_true(irmf_org_for_host(&g, 1, &o));
	n = strlen(o.note);
	assert_int_equal(n, sizeof(g.why) - 1);
	assert_non_null(strstr(o.note, "failed: 'ex01': aaa"));
	assert_string_equal(o.note + n - 4, "a...");
}

static void
test_logon_without_password(void **state)
{
	irmf_orgread g;
	irmf_psscript_org o;

	(void)state;
	/* a server that asks for no authentication: no credentials */
	irmf_org_init(&g, true, "pw", roles, names, N);
	irmf_org_logged_on(&g, 1, "none");
	assert_int_equal(g.st, IRMF_ORG_REFUSED);
	assert_true(irmf_org_for_host(&g, 1, &o));
	assert_true(o.failed);
	assert_non_null(strstr(o.note, "without a password (none)"));
	assert_null(irmf_org_reader(&g));
}

/* The mode lines of the collect script: -Organisation, the note (ASCII,
 * quoted), -OrganisationFailed; none by default. */
static void
test_script_mode_lines(void **state)
{
	irmf_psscript_org o = { 0 };
	char *t = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_psscript_collect(&t, &len, X, 500, NULL), 0);
	assert_non_null(strstr(t, "\r\n$Stdout = [switch]$true"));
	assert_null(strstr(t, "\r\n$Organisation = "));
	assert_null(strstr(t, "\r\n$OrganisationNote = "));
	free(t);
	o.read = true;
	assert_int_equal(irmf_psscript_collect(&t, &len, X, 500, &o), 0);
	assert_non_null(strstr(t, "\r\n$Organisation = [switch]$true"));
	assert_null(strstr(t, "\r\n$OrganisationFailed = "));
	free(t);
	o.read = false;
	o.failed = true;
	o.note = "the logon to 'ex01' failed: \xc3\xa9\t.";
	assert_int_equal(irmf_psscript_collect(&t, &len, X, 500, &o), 0);
	assert_null(strstr(t, "\r\n$Organisation = "));
	assert_non_null(strstr(t, "\r\n$OrganisationFailed = [switch]$true"));
	assert_non_null(strstr(t, "\r\n$OrganisationNote = 'the logon to "
	    "''ex01'' failed: ???.'\r\n"));
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_without_password_or_script),
		cmocka_unit_test(test_first_exchange_host_reads),
		cmocka_unit_test(test_unreachable_candidate_passes_on),
		cmocka_unit_test(test_refused_password_not_retried),
		cmocka_unit_test(test_logon_without_password),
		cmocka_unit_test(test_long_reason_marked_cut),
		cmocka_unit_test(test_script_mode_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
