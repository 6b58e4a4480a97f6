/*
 * test_rules_msipc.c - the MSIPC rules (compare/rules/rules_msipc.c): the
 * MSIPC\Server ACL Exchange needs from the August 2023 SU on, and the
 * Wow6432Node MSIPC values that must equal their 64-bit twins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

#define NO_NS "O:SYG:SYD:PAI(A;CIOI;KA;;;SY)(A;CIOI;KA;;;BA)"
#define WITH_NS NO_NS "(A;CIOI;KA;;;NS)"

/* MSIPC\Server ACL from the August 2023 SU on (issue 15 #13): the build
 * from ExSetup.exe, error with internal licensing, warning without,
 * "cannot tell" when only Get-ExchangeServer's build (no SU) is known. */
static void
acl(irmf_snapshot *s, const char *exsetup, const char *sddl)
{
	if (exsetup != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    exsetup), 0);
	assert_int_equal(irmf_snapshot_set_key_acl(s,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server", sddl), 0);
}

static void
test_msipc_server_acl(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	s = rf_exch(fl, "EX01", "v15");          /* CU13 Aug23SUv2, IRM on */
	rf_irm_ok(s);
	acl(s, "15.2.1258.25", NO_NS);
	acl(rf_exch(fl, "EX02", "v15"), "15.1.2507.31", NO_NS);   /* IRM unknown */
	acl(rf_exch(fl, "EX03", "v15"), "15.2.1258.16", NO_NS);   /* Jun23SU */
	s = rf_exch(fl, "EX04", "v15");          /* CU13 from Get-ExchangeServer */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.2.1258.12"), 0);
	acl(s, NULL, NO_NS);
	s = rf_exch(fl, "EX05", "v15");          /* CU14: after whatever the SU */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.2.1544.4"), 0);
	acl(s, NULL, NULL);                   /* key absent */
	acl(rf_exch(fl, "EX06", "v15"), "15.2.1544.4", WITH_NS);
	s = rf_exch(fl, "EX07", "v15");          /* the read failed */
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "acl:HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\MSIPC\\Server", IRMF_REASON_ACCESS_DENIED,
	    NULL), 0);
	s = rf_exch(fl, "EX08", "v15");          /* Exchange 2013: not covered */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.1497.48"), 0);
	acl(s, "15.0.1497.48", NO_NS);
	/* inherit-only does not cover the key itself */
	acl(rf_exch(fl, "EX09", "v15"), "15.2.1544.4", NO_NS "(A;CIIO;KA;;;NS)");
	/* full control as a number, the SID spelled out */
	acl(rf_exch(fl, "EX10", "v15"), "15.2.1544.4",
	    NO_NS "(A;OICI;0xf003f;;;S-1-5-20)");
	/* a deny entry wins */
	acl(rf_exch(fl, "EX11", "v15"), "15.2.1544.4",
	    "O:SYG:SYD:(D;;KW;;;NS)(A;CIOI;KA;;;NS)");
	/* Get-ExchangeServer's CU23 build: the SU cannot be seen */
	acl(rf_exch(fl, "EX12", "v15"), NULL, NO_NS);
	/* CU22 never got the August 2023 SU: not needed */
	s = rf_exch(fl, "EX13", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.1.2375.7"), 0);
	acl(s, NULL, NO_NS);
	rf_expect(fl, "exchange-msipc-server-acl EX01 rule",
	    "exchange-msipc-server-acl EX02 rule",
	    "exchange-msipc-server-acl-build EX04 rule",
	    "exchange-msipc-server-acl-build EX12 rule",
	    "exchange-msipc-server-acl EX05 rule",
	    "exchange-msipc-server-acl EX07 not-collected",
	    "exchange-msipc-server-acl EX09 rule",
	    "exchange-msipc-server-acl EX11 rule", NULL);
	f = rf_find(fl, "exchange-msipc-server-acl", "EX01");
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->value, NO_NS);
	assert_string_equal(f->setting,
	    "acl:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(strstr(f->remediation, "'NT AUTHORITY\\NETWORK "
	    "SERVICE','FullControl','ContainerInherit,ObjectInherit'"));
	assert_int_equal(rf_find(fl, "exchange-msipc-server-acl",
	    "EX02")->severity, IRMF_SEV_WARNING);
	assert_string_equal(rf_find(fl, "exchange-msipc-server-acl",
	    "EX05")->value, "(key absent)");
	f = rf_find(fl, "exchange-msipc-server-acl-build", "EX04");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->distribution, "15.2.1258.12"));
	assert_non_null(strstr(f->remediation, "ExSetup"));
}

/* Wow6432Node MSIPC values equal their 64-bit twins (issue 15 #15). */
static void
test_msipc_wow64(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

#define K_WOW "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation"
	s = rf_sp13(fl, "SP01");                 /* both written, case differs */
	rf_reg(s, K_WOW "\\EnterpriseCertification", "",
	    CONN "/_WMCS/certification/");
	rf_reg(s, K_WOW "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	s = rf_sp13(fl, "SP02");                 /* stale 32-bit value */
	rf_reg(s, K_WOW "\\EnterprisePublishing", "",
	    "https://adrms.contoso.com/_wmcs/licensing");
	s = rf_sp13(fl, "SP03");                 /* no 64-bit twin */
	rf_reg(s, K_WOW "\\LicensingRedirection",
	    "https://adrms.contoso.com/_wmcs/licensing", CONN "/_wmcs/licensing");
	rf_sp13(fl, "SP04");                     /* no Wow6432Node keys */
	rf_expect(fl, "msipc-wow64-agrees SP02 rule",
	    "msipc-wow64-agrees SP03 rule", NULL);
	f = rf_find(fl, "msipc-wow64-agrees", "SP02");
	assert_string_equal(f->value,
	    "https://adrms.contoso.com/_wmcs/licensing");
	assert_string_equal(f->expected, CONN "/_wmcs/licensing");
	assert_non_null(strstr(f->remediation, "reg add \"HKLM\\SOFTWARE\\"
	    "Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "EnterprisePublishing\""));
	assert_string_equal(rf_find(fl, "msipc-wow64-agrees", "SP03")->expected,
	    "(no such value in the 64-bit key)");
#undef K_WOW
}

/* Must run last: every rule of rules_msipc.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("msipc");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_msipc_server_acl),
		T(test_msipc_wow64),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
