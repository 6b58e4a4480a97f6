/*
 * test_url.c - URL pieces (compare/core/url.c): host and path of http(s)
 * URLs, the Microsoft RMS cloud domains and tenant host shape, the
 * normalised base URL, path and host equality.  The rules decide "points
 * at the cloud" and "is the documented licensing path" from these, so a
 * wrong answer here is a false alarm or a missed drift there.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "url.h"

static void
test_host(void **state)
{
	char h[128];

	(void)state;
	assert_true(irmf_url_host("https://RMSCON.Contoso.com:443/_wmcs/x",
	    h, sizeof(h)));
	assert_string_equal(h, "rmscon.contoso.com");
	assert_true(irmf_url_host("http://a.b", h, sizeof(h)));
	assert_string_equal(h, "a.b");
	/* not an http(s) URL */
	assert_false(irmf_url_host("ftp://a.b/", h, sizeof(h)));
	assert_false(irmf_url_host("rmscon.contoso.com", h, sizeof(h)));
	/* a host longer than the buffer is refused, not cut */
	assert_false(irmf_url_host("https://aaaaaaaaaaaaaaaa.example.com/",
	    h, 8));
}

static void
test_path(void **state)
{
	(void)state;
	assert_string_equal(irmf_url_path("https://a.b/_wmcs/licensing"),
	    "/_wmcs/licensing");
	assert_string_equal(irmf_url_path("https://a.b"), "");
	assert_true(irmf_url_path_is("https://a.b/_WMCS/Licensing/",
	    "/_wmcs/licensing"));
	assert_false(irmf_url_path_is("https://a.b/_wmcs/certification",
	    "/_wmcs/licensing"));
	assert_true(irmf_url_has_wmcs("http://a.b/_wmcs"));
	assert_false(irmf_url_has_wmcs("http://a.b/wmcs"));
}

static void
test_rms_hosts(void **state)
{
	(void)state;
	assert_true(irmf_url_is_rms(
	    "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
	    "/_wmcs/licensing"));
	assert_true(irmf_is_rms_host("discover.aadrm.us"));
	assert_true(irmf_is_rms_host("x.azurerms.cn"));
	/* a look-alike domain is not Microsoft's */
	assert_false(irmf_is_rms_host("evilaadrm.com"));
	assert_false(irmf_is_rms_host("aadrm.com.evil.example"));
	assert_false(irmf_url_is_rms("https://rmscon.contoso.com/_wmcs"));
	/* the tenant shape: <guid>.rms.<region>.aadrm.com */
	assert_true(irmf_is_tenant_host(
	    "5c6bb73b-1038-4eec-863d-49bded473437.rms.eu.aadrm.com"));
	assert_false(irmf_is_tenant_host("discover.aadrm.com"));
	assert_true(irmf_url_is_tenant(
	    "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com/"));
	assert_false(irmf_url_is_tenant("https://rmscon.contoso.com/"));
}

static void
test_base_and_same_host(void **state)
{
	char *b;

	(void)state;
	b = irmf_url_base("HTTPS://RMSCON.contoso.com/_wmcs/licensing/");
	assert_non_null(b);
	assert_string_equal(b, "https://rmscon.contoso.com");
	free(b);
	b = irmf_url_base("not a url");
	assert_non_null(b);
	free(b);
	assert_true(irmf_url_same_host("https://A.example.com/x",
	    "http://a.EXAMPLE.com/y"));
	assert_false(irmf_url_same_host("https://a.example.com/",
	    "https://b.example.com/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_rms_hosts),
		cmocka_unit_test(test_base_and_same_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
