/*
 * test_normalize.c - canonical forms (compare/core/normalize.c) and settings
 * flattening (compare/core/settings.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "normalize.h"
#include "settings.h"
#include "strpool.h"

static void
test_url(void **state)
{
	char *a, *b, *c;

	(void)state;
	a = irmf_norm_url("HTTPS://RmsCon.Contoso.com/_wmcs/Licensing/");
	b = irmf_norm_url("https://rmscon.contoso.com/_wmcs/licensing");
	c = irmf_norm_url("http://rmscon.contoso.com/_wmcs/licensing");
	assert_string_equal(a, b);
	assert_string_not_equal(b, c);
	free(a);
	free(b);
	free(c);
	a = irmf_norm_url("https://");
	assert_string_equal(a, "https://");
	free(a);
	a = irmf_norm_url("  Not A URL ");
	assert_string_equal(a, "Not A URL");
	free(a);
}

static void
test_version(void **state)
{
	char *v;

	(void)state;
	assert_true(irmf_version_cmp("6.1.7600.17000", "6.1.7600.9999") > 0);
	assert_true(irmf_version_cmp("15.0.775.38", "15.0.1497.2") < 0);
	assert_int_equal(irmf_version_cmp("6.03.0", "6.3"), 0);
	assert_true(irmf_version_cmp("garbage", "1.0") < 0);
	v = irmf_norm_version("06.2.9200.16384 (win8_rtm.120725-1247)");
	assert_string_equal(v, "6.2.9200.16384");
	free(v);
}

static void
test_settings_redirection_set(void **state)
{
	irmf_snapshot *a, *b;
	irmf_reg_key *k;
	irmf_settings sa = { 0 }, sb = { 0 };
	const irmf_setting *x, *y;
	const char *lsr =
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\LicenseServerRedirection";

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX01"), 0);
	assert_int_equal(irmf_snapshot_new(&b, "EX02"), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, lsr, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://t.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://rmscon.contoso.com"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://adrms.contoso.com/_wmcs/licensing",
	    IRMF_REG_SZ, "https://rmscon.contoso.com/_wmcs/licensing"), 0);
	/* same set, other order, other case, trailing slash */
	assert_int_equal(irmf_snapshot_reg_key(b,
	    "HKEY_LOCAL_MACHINE\\software\\microsoft\\exchangeserver\\v15\\irm\\licenseserverredirection",
	    &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://ADRMS.contoso.com/_wmcs/Licensing",
	    IRMF_REG_SZ, "https://rmscon.contoso.com/_wmcs/licensing/"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://T.rms.na.aadrm.com/",
	    IRMF_REG_SZ, "https://RMSCON.contoso.com"), 0);
	assert_int_equal(irmf_settings_extract(a, &sa), 0);
	assert_int_equal(irmf_settings_extract(b, &sb), 0);
	assert_int_equal(sa.n, 1);
	x = irmf_settings_find(&sa, "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
	y = irmf_settings_find(&sb, "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
	assert_non_null(x);
	assert_non_null(y);
	assert_string_equal(x->norm, y->norm);
	irmf_settings_clear(&sa);
	irmf_settings_clear(&sb);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

static void
test_settings_scope_and_errors(void **state)
{
	irmf_snapshot *a;
	irmf_reg_key *k;
	irmf_settings s = { 0 };
	const irmf_collect_error *e;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX01"), 0);
	a->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_reg_key(a,
	    "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://t.rms.na.aadrm.com/_wmcs/certification"), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, "HKLM\\SOFTWARE\\Other", &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "X", IRMF_REG_DWORD, 1), 0);
	assert_int_equal(irmf_snapshot_prop_set(a, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(a, "Guid", IRMF_PROP_STRING,
	    "x", false), 0);
	assert_int_equal(irmf_settings_extract(a, &s), 0);
	assert_int_equal(s.n, 2);   /* unrelated key and volatile prop left out */
	assert_non_null(irmf_settings_find(&s,
	    "reg:hklm\\software\\microsoft\\msdrm\\servicelocation\\activation\\(default)"));
	assert_string_equal(irmf_settings_find(&s, "irm:InternalLicensingEnabled")->norm, "true");
	assert_null(irmf_setting_collect_error(a, "irm:InternalLicensingEnabled"));
	assert_int_equal(irmf_snapshot_add_error(a, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM",
	    IRMF_REASON_TIMEOUT, "reg query timed out"), 0);
	e = irmf_setting_collect_error(a,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation\\(default)");
	assert_non_null(e);
	assert_int_equal(e->reason, IRMF_REASON_TIMEOUT);
	assert_null(irmf_setting_collect_error(a,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\EnterprisePublishing\\(default)"));
	assert_string_equal(irmf_cohort_of(a), "exchange-unknown");
	irmf_settings_clear(&s);
	irmf_snapshot_free(a);
}

/* A snapshot with every kind of value and the corner cases of rendering:
 * numbers at both ends, binary, REG_MULTI_SZ sets with duplicates and an
 * empty member, a redirection key of mixed types, lists, groups, files. */
static irmf_snapshot *
rich_snapshot(const char *server, const char *url)
{
	irmf_snapshot *a;
	irmf_reg_key *k;
	static const unsigned char bin[] = { 0x00, 0x01, 0xab, 0xff, 0x10 };
	char *multi[] = { "HTTPS://B.com/", "", "https://a.com", "https://b.com" };
	char *list[] = { "HTTPS://b/", "https://a", "https://B" };

	assert_int_equal(irmf_snapshot_new(&a, server), 0);
	assert_int_equal(irmf_snapshot_reg_key(a,
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Edge", &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "Zero", IRMF_REG_DWORD, 0), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "Big", IRMF_REG_QWORD,
	    0xffffffffffffffffULL), 0);
	assert_int_equal(irmf_reg_key_set_bin(k, "Bin", IRMF_REG_BINARY, bin,
	    sizeof(bin)), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "Multi", multi, 4), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ, url), 0);
	assert_int_equal(irmf_snapshot_reg_key(a,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection",
	    &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://Z.com/", IRMF_REG_SZ,
	    url), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "https://n.com",
	    IRMF_REG_DWORD, 7), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "https://m.com", multi + 2,
	    2), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(a, "LicensingLocation",
	    IRMF_PROP_URI_LIST, list, 3), 0);
	assert_int_equal(irmf_snapshot_prop_set(a, "Enabled", IRMF_PROP_BOOL,
	    "TRUE", false), 0);
	assert_int_equal(irmf_snapshot_file_set(a, "MSDRM.dll", NULL,
	    "06.03.9600.00017 (x)"), 0);
	assert_int_equal(irmf_snapshot_add_group(a, "RMS Servers"), 0);
	assert_int_equal(irmf_snapshot_add_group(a, "Domain Computers"), 0);
	return a;
}

static const char *
norm_of(const irmf_settings *s, const char *key)
{
	const irmf_setting *x = irmf_settings_find(s, key);

	assert_non_null(x);
	return x->norm;
}

static const char *
value_of(const irmf_settings *s, const char *key)
{
	const irmf_setting *x = irmf_settings_find(s, key);

	assert_non_null(x);
	return x->value;
}

static void
test_settings_rendering(void **state)
{
	irmf_snapshot *a = rich_snapshot("EX01", "HTTPS://RmsCon.contoso.com/");
	irmf_settings s = { 0 };
	const char *edge = "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Edge\\";
	char key[128];

	(void)state;
	assert_int_equal(irmf_settings_extract(a, &s), 0);
	assert_false(s.pooled);
	snprintf(key, sizeof(key), "%sZero", edge);
	assert_string_equal(value_of(&s, key), "REG_DWORD 0x0");
	assert_string_equal(norm_of(&s, key), "REG_DWORD 0");
	snprintf(key, sizeof(key), "%sBig", edge);
	assert_string_equal(value_of(&s, key), "REG_QWORD 0xffffffffffffffff");
	assert_string_equal(norm_of(&s, key),
	    "REG_QWORD 18446744073709551615");
	snprintf(key, sizeof(key), "%sBin", edge);
	assert_string_equal(value_of(&s, key), "REG_BINARY 0001abff10");
	snprintf(key, sizeof(key), "%sMulti", edge);
	assert_string_equal(value_of(&s, key),
	    "REG_MULTI_SZ HTTPS://B.com/\\0\\0https://a.com\\0https://b.com");
	/* a set: sorted, duplicates gone, the empty member adds no '\n' */
	assert_string_equal(norm_of(&s, key),
	    "REG_MULTI_SZ https://a.com\nhttps://b.com");
	snprintf(key, sizeof(key), "%s(default)", edge);
	assert_string_equal(norm_of(&s, key),
	    "REG_SZ https://rmscon.contoso.com");
	assert_string_equal(value_of(&s,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection"),
	    "https://Z.com/ => HTTPS://RmsCon.contoso.com/; https://n.com => "
	    "0x7 (REG_DWORD); https://m.com => https://a.com\\0https://b.com "
	    "(REG_MULTI_SZ)");
	assert_string_equal(norm_of(&s,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection"),
	    "https://m.com => https://a.com\nhttps://b.com REG_MULTI_SZ\n"
	    "https://n.com => 7 REG_DWORD\n"
	    "https://z.com => https://rmscon.contoso.com REG_SZ");
	assert_string_equal(value_of(&s, "irm:LicensingLocation"),
	    "{HTTPS://b/, https://a, https://B}");
	assert_string_equal(norm_of(&s, "irm:LicensingLocation"),
	    "https://a\nhttps://b");
	assert_string_equal(norm_of(&s, "irm:Enabled"), "true");
	assert_string_equal(norm_of(&s, "file:msdrm.dll"), "6.3.9600.17");
	assert_string_equal(value_of(&s, "identity:groups"),
	    "RMS Servers; Domain Computers");
	assert_string_equal(norm_of(&s, "identity:groups"),
	    "domain computers\nrms servers");
	for (size_t i = 1; i < s.n; i++)   /* sorted for irmf_settings_find */
		assert_true(strcasecmp(s.items[i - 1].key, s.items[i].key) <= 0);
	irmf_settings_clear(&s);
	irmf_snapshot_free(a);
}

/* A flattener with a pool gives the strings of irmf_settings_extract,
 * interned: equal strings of two servers are one pointer; reused from
 * snapshot to snapshot, nothing of one leaks into the next. */
static void
test_settings_pooled(void **state)
{
	irmf_snapshot *a = rich_snapshot("EX01", "https://rmscon.contoso.com");
	irmf_snapshot *b = rich_snapshot("EX02", "https://other.contoso.com/x");
	irmf_snapshot *e;
	irmf_settings plain = { 0 }, pa = { 0 }, pb = { 0 }, pe = { 0 };
	irmf_strpool *pool;
	irmf_flattener f;
	size_t same = 0;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&e, "EMPTY"), 0);
	assert_int_equal(irmf_strpool_new(&pool), 0);
	irmf_flattener_init(&f, pool);
	assert_int_equal(irmf_flattener_extract(&f, a, &pa), 0);
	assert_int_equal(irmf_flattener_extract(&f, e, &pe), 0);
	assert_int_equal(irmf_flattener_extract(&f, b, &pb), 0);
	assert_true(pa.pooled);
	assert_int_equal(pe.n, 0);
	assert_int_equal(irmf_settings_extract(b, &plain), 0);
	assert_int_equal(plain.n, pb.n);
	for (size_t i = 0; i < plain.n; i++) {
		assert_string_equal(plain.items[i].key, pb.items[i].key);
		assert_string_equal(plain.items[i].value, pb.items[i].value);
		assert_string_equal(plain.items[i].norm, pb.items[i].norm);
		assert_int_equal(plain.items[i].section, pb.items[i].section);
	}
	assert_int_equal(pa.n, pb.n);
	for (size_t i = 0; i < pa.n; i++) {
		assert_ptr_equal(pa.items[i].key, pb.items[i].key);
		if (strcmp(pa.items[i].norm, pb.items[i].norm) == 0) {
			assert_ptr_equal(pa.items[i].norm, pb.items[i].norm);
			same++;
		} else {
			assert_ptr_not_equal(pa.items[i].norm,
			    pb.items[i].norm);
		}
	}
	assert_int_equal(same, pa.n - 2);   /* (default), redirection */
	irmf_flattener_release(&f);
	irmf_settings_clear(&plain);
	irmf_settings_clear(&pa);
	irmf_settings_clear(&pb);
	irmf_settings_clear(&pe);
	irmf_strpool_free(pool);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	irmf_snapshot_free(e);
}

/* Keys equal but for case ("T\b\C" as a value name, "T\B" + "c" as a key
 * and value) sort in emission order; snapshots with as many settings but
 * another key order get their own order, not the previous one's. */
static irmf_snapshot *
tie_snapshot(bool subkey_first)
{
	irmf_snapshot *a;
	irmf_reg_key *k;
	const char *t = "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\T";
	const char *tb = "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\T\\B";

	assert_int_equal(irmf_snapshot_new(&a, "TIE"), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, subkey_first ? tb : t, &k),
	    0);
	/* "T\b\C" is 1, "T\B\c" is 2 */
	assert_int_equal(irmf_reg_key_set_num(k, subkey_first ? "c" : "b\\C",
	    IRMF_REG_DWORD, subkey_first ? 2 : 1), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, subkey_first ? t : tb, &k),
	    0);
	assert_int_equal(irmf_reg_key_set_num(k, subkey_first ? "b\\C" : "c",
	    IRMF_REG_DWORD, subkey_first ? 1 : 2), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "Z", IRMF_REG_DWORD, 3), 0);
	return a;
}

static void
assert_same_settings(const irmf_settings *x, const irmf_settings *y)
{
	assert_int_equal(x->n, y->n);
	for (size_t i = 0; i < x->n; i++) {
		assert_string_equal(x->items[i].key, y->items[i].key);
		assert_string_equal(x->items[i].value, y->items[i].value);
		assert_string_equal(x->items[i].norm, y->items[i].norm);
	}
}

static void
test_settings_pooled_order(void **state)
{
	irmf_snapshot *s[4];
	irmf_settings plain = { 0 }, pooled = { 0 };
	irmf_strpool *pool;
	irmf_flattener f;
	char *first[4];

	(void)state;
	s[0] = tie_snapshot(false);
	s[1] = tie_snapshot(true);
	s[2] = tie_snapshot(false);
	s[3] = tie_snapshot(false);   /* sorted as s[2] was */
	assert_int_equal(irmf_strpool_new(&pool), 0);
	irmf_flattener_init(&f, pool);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(irmf_settings_extract(s[i], &plain), 0);
		assert_int_equal(irmf_flattener_extract(&f, s[i], &pooled), 0);
		assert_int_equal(plain.n, 3);
		assert_same_settings(&plain, &pooled);
		first[i] = pooled.items[0].value;
		irmf_settings_clear(&plain);
		irmf_settings_clear(&pooled);
	}
	/* the tie: whichever was emitted first comes first */
	assert_string_equal(first[0], "REG_DWORD 0x1");
	assert_string_equal(first[1], "REG_DWORD 0x2");
	assert_string_equal(first[2], "REG_DWORD 0x1");
	assert_string_equal(first[3], "REG_DWORD 0x1");
	irmf_flattener_release(&f);
	irmf_strpool_free(pool);
	for (size_t i = 0; i < 4; i++)
		irmf_snapshot_free(s[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_settings_redirection_set),
		cmocka_unit_test(test_settings_scope_and_errors),
		cmocka_unit_test(test_settings_rendering),
		cmocka_unit_test(test_settings_pooled),
		cmocka_unit_test(test_settings_pooled_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
