/*
 * test_explain.c - explanations and fixes of consensus findings
 * (compare/core/explain.c): which row of the table a setting key gets
 * (case-insensitive, first match wins, a generic row for anything else)
 * and the command irmf_remedy_command writes for one server: a single
 * registry value set or deleted, a key compared as a whole fixed value by
 * value (never by deleting the key) and keeping what the documentation
 * prescribes for the cohort, Set-IRMConfiguration for the
 * organization's IRM properties, and no command where none can help.
 * The texts themselves are scanned by test_fixtext.c; quoting for cmd and
 * PowerShell by test_cmdquote.c.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "explain.h"
#include "snapshot_int.h"

#define V15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define LSR V15 "\\LicenseServerRedirection"
#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM"
#define TENANT "https://t.rms.na.aadrm.com/_wmcs/licensing"
#define CONN "https://rmscon.contoso.com/_wmcs/licensing"

static void
test_lookup(void **state)
{
	const irmf_explain_row *r;
	size_t n;

	(void)state;
	r = irmf_explain_lookup("reg:" LSR);
	assert_string_equal(r->what, "the Exchange licensing redirection");
	assert_int_equal(r->severity, IRMF_SEV_ERROR);
	/* case does not matter, and v14 has the same row */
	assert_ptr_equal(irmf_explain_lookup("REG:HKLM\\SOFTWARE\\MICROSOFT\\"
	    "EXCHANGESERVER\\V14\\IRM\\LICENSESERVERREDIRECTION"), r);
	/* first match wins: the specific row before the area's */
	assert_ptr_not_equal(irmf_explain_lookup("reg:" V15 "\\Other"), r);
	assert_int_equal(irmf_explain_lookup("reg:" V15 "\\Other")->severity,
	    IRMF_SEV_WARNING);
	assert_int_equal(irmf_explain_lookup("irm:InternalLicensingEnabled")->
	    severity, IRMF_SEV_ERROR);
	assert_int_equal(irmf_explain_lookup("file:ExSetup.exe")->severity,
	    IRMF_SEV_INFO);
	assert_string_equal(irmf_explain_lookup("file:other.dll")->what,
	    "a file version");
	/* anything else gets the generic last row, never NULL */
	r = irmf_explain_table(&n);
	assert_true(n > 10);
	assert_ptr_equal(irmf_explain_lookup("nothing:known"), &r[n - 1]);
	assert_string_equal(r[n - 1].pattern, "*");
	assert_ptr_equal(irmf_explain_lookup(""), &r[n - 1]);
}

/* The server whose value is wanted (model), with a redirection key of
 * one mapping and one DWORD. */
static irmf_snapshot *
server(const char *name, const char *lsr_data, unsigned dword)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_reg_key(s, LSR, &k), 0);
	if (lsr_data != NULL)
		assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ,
		    lsr_data), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, MSDRM, &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "DisableCertChainCache",
	    IRMF_REG_DWORD, dword), 0);
	return s;
}

static char *
remedy(const char *key, const irmf_snapshot *model,
    const irmf_snapshot *mine, bool remove)
{
	irmf_remedy r = { .model = model, .mine = mine,
	    .cohort = "exchange-v15", .remove = remove };
	char *out = NULL;

	assert_int_equal(irmf_remedy_command(key, &r, &out), 0);
	return out;
}

/* One value: set to the model's data, or deleted when the model is the
 * one server that has it. */
static void
test_value_fix(void **state)
{
	irmf_snapshot *peer = server("EX01", CONN, 1);
	irmf_snapshot *me = server("EX02", CONN, 0);
	char *c;

	(void)state;
	c = remedy("reg:" MSDRM "\\DisableCertChainCache", peer, me, false);
	assert_string_equal(c, "reg add \"" MSDRM "\" /v "
	    "\"DisableCertChainCache\" /t REG_DWORD /d 1 /f");
	free(c);
	c = remedy("reg:" MSDRM "\\DisableCertChainCache", me, peer, true);
	assert_string_equal(c, "reg delete \"" MSDRM "\" /v "
	    "\"DisableCertChainCache\" /f");
	free(c);
	/* a value the model does not have: nothing to copy */
	assert_null(remedy("reg:" MSDRM "\\Missing", peer, me, false));
	irmf_snapshot_free(peer);
	irmf_snapshot_free(me);
}

/* A redirection key compared as a whole: the mapping the server holds
 * with other data is set, an extra mapping deleted, the key kept. */
static void
test_key_fix(void **state)
{
	irmf_snapshot *peer = server("EX01", CONN, 1);
	irmf_snapshot *me = server("EX02", "http://rmscon.contoso.com/", 1);
	irmf_reg_key *k;
	char *c;

	(void)state;
	k = irmf_snapshot_reg_find(me, LSR);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://other", IRMF_REG_SZ,
	    CONN), 0);
	c = remedy("reg:" LSR, peer, me, false);
	assert_string_equal(c,
	    "reg add \"" LSR "\" /v \"" TENANT "\" /t REG_SZ /d \"" CONN
	    "\" /f\n"
	    "reg delete \"" LSR "\" /v \"https://other\" /f");
	assert_null(strstr(c, "reg delete \"" LSR "\" /f"));
	free(c);
	/* the same mapping up to URL case and a trailing '/': no command */
	irmf_snapshot_free(me);
	me = server("EX02", "HTTPS://RMSCON.contoso.com/_wmcs/licensing/", 1);
	assert_null(remedy("reg:" LSR, peer, me, false));
	/* remove: the model's values go one by one, the key stays */
	c = remedy("reg:" MSDRM, peer, NULL, true);
	assert_string_equal(c, "reg delete \"" MSDRM "\" /v "
	    "\"DisableCertChainCache\" /f");
	free(c);
	/* ... except a mapping the documentation prescribes for the cohort:
	 * kept and counted, and then there is no command at all */
	{
		irmf_remedy r = { .model = peer, .cohort = "exchange-v15",
		    .remove = true };

		assert_int_equal(irmf_remedy_command("reg:" LSR, &r, &c), 0);
		assert_null(c);
		assert_int_equal(r.kept, 1);
	}
	irmf_snapshot_free(peer);
	irmf_snapshot_free(me);
}

static void
test_irm_fix(void **state)
{
	irmf_snapshot *peer;
	char *c;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&peer, "EX01"), 0);
	assert_int_equal(irmf_snapshot_prop_set(peer,
	    "InternalLicensingEnabled", IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(peer, "LicensingLocation",
	    IRMF_PROP_URI_LIST, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set(peer, "RMSOnlineKeySharingLocation",
	    IRMF_PROP_STRING, "https://x", false), 0);
	c = remedy("irm:InternalLicensingEnabled", peer, NULL, false);
	assert_string_equal(c,
	    "Set-IRMConfiguration -InternalLicensingEnabled $true");
	free(c);
	c = remedy("irm:licensinglocation", peer, NULL, false);
	assert_string_equal(c, "Set-IRMConfiguration -LicensingLocation $null");
	free(c);
	/* not a property Set-IRMConfiguration takes, or a removal */
	assert_null(remedy("irm:RMSOnlineKeySharingLocation", peer, NULL,
	    false));
	assert_null(remedy("irm:InternalLicensingEnabled", peer, NULL, true));
	irmf_snapshot_free(peer);
}

/* Keys no command fixes: the row's advice says what to do. */
static void
test_no_command(void **state)
{
	irmf_snapshot *peer = server("EX01", CONN, 1);
	irmf_remedy r = { .model = NULL };
	char *c = (char *)1;

	(void)state;
	assert_int_equal(irmf_remedy_command("reg:" LSR, &r, &c), 0);
	assert_null(c);
	assert_int_equal(irmf_snapshot_file_set(peer, "msipc.dll", NULL,
	    "1.0.5.0"), 0);
	assert_null(remedy("file:msipc.dll", peer, NULL, false));
	assert_null(remedy("identity:groups", peer, NULL, false));
	irmf_snapshot_free(peer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_value_fix),
		cmocka_unit_test(test_key_fix),
		cmocka_unit_test(test_irm_fix),
		cmocka_unit_test(test_no_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
