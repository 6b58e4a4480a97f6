/*
 * test_fixtext.c - every explanation, remediation and summary text of the
 * rule table (compare/rules/rules.c) and of the consensus explanation table
 * (compare/core/explain.c), scanned as written and, for the rules, as filled in
 * by compare/rules/rules_report.c for fleets whose values are hostile.
 *
 * Table-driven twice over: `fleets` are the values a fleet may hold (add a
 * row for a new kind of hostile or odd value), `checks` are what every
 * filled text must satisfy (add a row for a new property: each check gets
 * the rule, the template, the filled text and the fleet, and returns NULL
 * or what is wrong).  The texts as written go through `raw_checks`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cmdquote.h"
#include "explain.h"
#include "irmfleet/textesc.h"
#include "rules_int.h"

/* ---------------------------------------------------------- fleets */

typedef struct fleet_case {
	const char *name;
	const char *tenant, *connector;  /* the fleet's URLs (NULL: none) */
	/* server name and computer account: they appear in prose only (no
	 * command takes them), so chk_paste does not look for them; a
	 * Windows name cannot hold a double quote, which would unbalance
	 * the prose's quoting, but control characters are checked */
	const char *server;
	const char *key_tail;            /* last component of the setting */
} fleet_case;

#define SP_FOLDER "Cliente 2.1 de Active Directory Rights Management " \
	"Services (espa\xc3\xb1ol)"

static const fleet_case fleets[] = {
	{ "ordinary", "https://contoso.rms.na.aadrm.com",
	  "https://rmscon.contoso.com", "EX01", "Activation" },
	{ "no URLs known", NULL, NULL, "EX01", "(default)" },
	{ "cmd metacharacters", "https://t.example/&calc|more<x>y^z",
	  "https://c.example/&calc", "EX&calc", "a&b|c" },
	{ "cmd variables", "https://t.example/%PATH%",
	  "https://c.example/!PATH!", "%COMPUTERNAME%", "%PATH%" },
	{ "double quote", "https://t.example/\" & calc & \"",
	  "https://c.example/\"", "EX01", "a\"b" },
	{ "PowerShell", "https://t.example/$(calc);`calc`@{x=1}",
	  "https://c.example/$env:PATH", "EX$(calc)", "$x" },
	{ "single quotes", "https://t.example/it's",
	  "https://c.example/it\xe2\x80\x99s\xe2\x80\x98\xe2\x80\x9a\xe2\x80\x9b",
	  "O'Brien", "it's" },
	{ "ESC and CSI", "https://t.example/\x1b[2J",
	  "https://c.example/\xc2\x9b" "31m", "EX\x1b]0;pwned\x07", "\x1b[1m" },
	{ "newline", "https://t.example/\nreg delete HKLM /f",
	  "https://c.example/\r\ncalc", "EX\n01", "a\nb" },
	{ "bidi and DEL", "https://t.example/\xe2\x80\xae" "exe.txt",
	  "https://c.example/\x7f", "EX\xe2\x81\xa6" "01", "\xe2\x80\x8f" },
	{ "trailing backslash", "https://t.example\\",
	  "https://c.example\\\\", "EX01", "sub\\" },
	{ "localized folder", "https://t.example/" SP_FOLDER,
	  "https://rmscon.contoso.com", "SERVIDOR01", SP_FOLDER },
	{ "AD RMS migration URL", "http://adrms.contoso.com/_wmcs/licensing",
	  "https://rmscon.contoso.com", "EX01", "http://adrms" },
};

/* A filled text and what it came from. */
typedef struct filled {
	const irmf_rule_info *rule;
	const char *field;      /* "explanation" / "remediation" */
	const char *tmpl;
	const char *text;
	const fleet_case *fleet;
} filled;

/* ---------------------------------------------------------- checks */

static const char *
chk_plain(const filled *f)
{
	return irmf_text_is_plain(f->text) ? NULL :
	    "a control character, bidi mark or malformed UTF-8";
}

/* No {name} left (every variable filled), no argument mark left. */
static const char *
chk_filled(const filled *f)
{
	for (const char *p = strchr(f->text, '{'); p; p = strchr(p + 1, '{')) {
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz");
		if (n > 0 && p[1 + n] == '}')
			return "an unfilled {placeholder}";
		if (p[1] == '"' || p[1] == '\'')
			return "an argument mark {\" or {' left";
	}
	return NULL;
}

/* Safe to paste (tu_fix_unsafe), the fleet's URLs and key only inside
 * quoted arguments. */
static const char *
chk_paste(const filled *f)
{
	const char *h[3] = { f->fleet->tenant, f->fleet->connector,
	    f->fleet->key_tail };
	const char *why;

	if (strcmp(f->field, "remediation") != 0)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if (h[i] == NULL)
			h[i] = "";
	why = tu_fix_unsafe(f->text, h, 3);
	return why;
}

/* A value that cmd can carry is used as it is, not replaced. */
static const char *
chk_kept(const filled *f)
{
	const char *t = f->fleet->tenant;

	if (t == NULL || !irmf_cmd_arg_ok(t) || t[strlen(t) - 1] == '\\' ||
	    strstr(f->tmpl, "{\"{tenant}") == NULL)
		return NULL;
	return strstr(f->text, t) ? NULL : "a safe tenant URL was replaced";
}

/* An unsafe value is replaced by the documentation's placeholder, and the
 * text says so. */
static const char *
chk_placeholder(const filled *f)
{
	const char *t = f->fleet->tenant;

	if (t == NULL || irmf_ps_str_ok(t) || strstr(f->tmpl, "{tenant}") ==
	    NULL || strstr(f->tmpl, "{\"{tenant}") == NULL)
		return NULL;
	if (strstr(f->text, "https://<YourTenantURL>") == NULL)
		return "no documentation placeholder for an unsafe tenant";
	return strstr(f->text, "by hand") ? NULL : "no set-by-hand note";
}

typedef struct text_check {
	const char *name;
	const char *(*check)(const filled *f);
} text_check;

static const text_check checks[] = {
	{ "no control characters", chk_plain },
	{ "every placeholder filled", chk_filled },
	{ "safe to paste", chk_paste },
	{ "safe values kept", chk_kept },
	{ "unsafe values replaced by placeholders", chk_placeholder },
};

/* Checks on the texts as written (C string literals: a "\E" in one is an
 * ESC). */
static const char *
raw_plain(const char *text)
{
	return irmf_text_is_plain(text) ? NULL :
	    "a control character (an unintended C escape such as \\E?)";
}

static const char *(*const raw_checks[])(const char *) = { raw_plain };

/* ---------------------------------------------------------- driving */

static irmf_snapshot *
snap_for(const fleet_case *fc, const char *cohort_product)
{
	irmf_snapshot *s;
	char acct[256];

	assert_int_equal(irmf_snapshot_new(&s, fc->server), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_set_product(s, cohort_product,
	    "15.2.1118.7"), 0);
	snprintf(acct, sizeof(acct), "CONTOSO\\%s$", fc->server);
	assert_int_equal(irmf_snapshot_set_computer_account(s, acct), 0);
	return s;
}

static void
run_checks(const filled *f)
{
	for (size_t c = 0; c < sizeof(checks) / sizeof(checks[0]); c++) {
		const char *why = checks[c].check(f);
		if (why != NULL) {
			char *shown = irmf_text_escape(f->text);
			fail_msg("rule %s, %s, fleet '%s': %s: %s\n  %s",
			    f->rule->id, f->field, f->fleet->name,
			    checks[c].name, why, shown ? shown : "");
		}
	}
}

static void
test_rule_texts_filled(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	(void)state;
	for (size_t fi = 0; fi < sizeof(fleets) / sizeof(fleets[0]); fi++) {
		const fleet_case *fc = &fleets[fi];
		irmf_snapshot *s = snap_for(fc, "Exchange Server 2019");
		irmf_findings out = { 0 };
		irmf_rule_run run = { 0 };
		char setting[512];

		run.tenant = (char *)fc->tenant;
		run.connector = (char *)fc->connector;
		run.out = &out;
		snprintf(setting, sizeof(setting), "reg:" IRMF_K_MSDRM_SL
		    "\\%s", fc->key_tail);
		for (size_t r = 0; r < n; r++) {
			const irmf_finding *got;
			filled f = { &t[r], NULL, NULL, NULL, fc };
			assert_int_equal(irmf_rule_report(&run, &t[r], s,
			    setting, NULL, NULL, NULL), 0);
			got = &out.items[out.n - 1];
			f.field = "explanation";
			f.tmpl = t[r].explanation;
			f.text = got->explanation;
			run_checks(&f);
			f.field = "remediation";
			f.tmpl = t[r].remediation;
			f.text = got->remediation;
			run_checks(&f);
		}
		irmf_findings_clear(&out);
		irmf_snapshot_free(s);
	}
}

static void
raw(const char *what, const char *id, const char *text)
{
	for (size_t c = 0; text && c < sizeof(raw_checks) /
	    sizeof(raw_checks[0]); c++) {
		const char *why = raw_checks[c](text);
		if (why != NULL)
			fail_msg("%s of %s: %s", what, id, why);
	}
}

static void
test_texts_as_written(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);
	const irmf_explain_row *e;

	(void)state;
	for (size_t r = 0; r < n; r++) {
		raw("title", t[r].id, t[r].title);
		raw("source", t[r].id, t[r].source);
		raw("explanation", t[r].id, t[r].explanation);
		raw("remediation", t[r].id, t[r].remediation);
	}
	e = irmf_explain_table(&n);
	for (size_t r = 0; r < n; r++) {
		raw("what", e[r].pattern, e[r].what);
		raw("why", e[r].pattern, e[r].why);
		raw("fix", e[r].pattern, e[r].fix);
	}
}

/* The authorization advice names the usual group with a real backslash
 * (a C "\E" made it ESC: "CONTOSOxchange Servers"). */
static void
test_authwho_group_name(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);
	irmf_snapshot *s = snap_for(&fleets[0], "Exchange Server 2019");
	irmf_findings out = { 0 };
	irmf_rule_run run = { 0 };
	bool seen = false;

	(void)state;
	run.out = &out;
	for (size_t r = 0; r < n; r++)
		if (t[r].remediation && strstr(t[r].remediation, "{authwho}")) {
			assert_int_equal(irmf_rule_report(&run, &t[r], s,
			    "auth:x", NULL, NULL, NULL), 0);
			assert_non_null(strstr(out.items[out.n - 1].remediation,
			    "CONTOSO\\Exchange Servers"));
			seen = true;
		}
	assert_true(seen);
	irmf_findings_clear(&out);
	irmf_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_as_written),
		cmocka_unit_test(test_rule_texts_filled),
		cmocka_unit_test(test_authwho_group_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
