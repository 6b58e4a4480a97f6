/*
 * test_report_html.c - the HTML report (compare/report/html_*.c): the
 * first screen links the example fleet's drifted server to its finding,
 * its three findings form one root-cause group, the drifted cell is
 * highlighted in the matrix, every server is listed with its identity and
 * evidence, and values from a server are escaped, never markup (in the
 * JSON island too).
 */
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/compare.h"
#include "snapshot_int.h"
#include "html.h"

static char *
report_of(const char *path)
{
	irmf_compare *c = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(irmf_compare_new(&c), 0);
	assert_int_equal(irmf_compare_add_path(c, path), 0);
	assert_int_equal(irmf_compare_run(c), 0);
	assert_int_equal(irmf_compare_report(c, f, IRMF_FORMAT_HTML, 0), 0);
	fclose(f);
	irmf_compare_free(c);
	return buf;
}

static int
xpath_count(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	int n;

	assert_non_null(o);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

static void
test_example_fleet_matrix(void **state)
{
	char *html;
	htmlDocPtr doc;

	(void)state;
	html = report_of(IRMF_SOURCE_DIR "/examples/fleet");
	assert_memory_equal(html, "<!DOCTYPE html>", 15);
	doc = htmlReadMemory(html, (int)strlen(html), "r.html", "utf-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	/* first screen: EX07 needs action, linked to its first finding */
	assert_int_equal(xpath_count(doc, "//section[@id='action']"
	    "//li[@data-server='EX07']/a[@href='#f-0']"), 1);
	assert_int_equal(xpath_count(doc, "//li[@class='action']"), 1);
	assert_int_equal(xpath_count(doc, "//article[@id='f-0']"), 1);
	assert_int_equal(xpath_count(doc, "//header//dt[. = 'tool']"), 1);
	assert_int_equal(xpath_count(doc, "//header//dd[. = "
	    "'2026-03-01T02:00:00Z to 2026-03-01T02:31:00Z']"), 1);
	/* the three findings of the http drift are one root-cause group */
	assert_int_equal(xpath_count(doc, "//section[@data-server='EX07']/"
	    "section[@data-cause='connector URLs']/article"), 3);
	assert_int_equal(xpath_count(doc, "//article//button[@type='button' "
	    "and @class='copy']"), 3);
	/* one matrix per cohort; EX07's cell is the outlier, the "s" it lacks
	 * is marked, and the majority row shows https */
	assert_int_equal(xpath_count(doc, "//div[@class='matrix']"), 3);
	assert_int_equal(xpath_count(doc, "//td[contains(@class,'outlier') and "
	    "contains(@title, '=> http://rmsconnector')]/mark"), 1);
	assert_true(xpath_count(doc, "//tr[@class='majority']/td[contains("
	    "., '=> https://rmsconnector')]") >= 2);
	assert_int_equal(xpath_count(doc, "//tr[@class='majority']/td[contains("
	    "., '=> http://rmsconnector')]"), 0);
	/* only differing settings are shown until "show all" */
	assert_true(xpath_count(doc, "//th[@class='k same']") > 10);
	/* every matrix row is headed by its server (th scope=row) */
	assert_int_equal(xpath_count(doc, "//div[@class='matrix']//tbody/tr/"
	    "th[@scope='row']"), 14);
	assert_int_equal(xpath_count(doc, "//input[@type='checkbox' and "
	    "@class='all']/following-sibling::label[1][@for]"), 3);
	/* the servers table: every server with its identity and evidence */
	assert_int_equal(xpath_count(doc, "//details[@id='servers']//tbody/tr"),
	    14);
	assert_int_equal(xpath_count(doc, "//tr[th = 'EX07' and "
	    "td[1] = 'exchange-v15' and td[3] = 'Exchange 2013 or later from "
	    "ExSetup.exe 15.2.1544.11' and td[4] = '15.2.1544.11 (ExSetup.exe)' "
	    "and count(td[5]/ul/li) = 3]"), 1);
	/* self-contained: inline script only, no external resources */
	assert_int_equal(xpath_count(doc, "//script[@src]|//link|//img|//@src"),
	    0);
	xmlFreeDoc(doc);
	free(html);
}

static void
test_values_are_escaped(void **state)
{
	char *dir = tu_tempdir(), path[4200], *html, *island;
	const char *evil = "</script><script>alert(1)</script>&\"x "
	    "javascript:alert(2) \xe2\x80\xae" "moc.evil \xe2\x80\xa8";
	htmlDocPtr doc;

	(void)state;
	for (int i = 0; i < 3; i++) {
		irmf_snapshot *s;
		irmf_reg_key *k;
		char name[16];

		snprintf(name, sizeof(name), i == 2 ? "EX</script>%d" :
		    "EX0%d", i + 1);
		assert_int_equal(irmf_snapshot_new(&s, name), 0);
		s->roles = IRMF_ROLE_EXCHANGE;
		/* a build from the server is shown in the identity: text */
		assert_int_equal(irmf_snapshot_set_product(s,
		    "Exchange Server 2019", i == 2 ? "15.2.<b>1</b>&amp;" :
		    "15.2.1544.4"), 0);
		assert_int_equal(irmf_snapshot_stamp_now(s), 0);
		assert_int_equal(irmf_snapshot_reg_key(s,
		    "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation",
		    &k), 0);
		assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
		    i == 2 ? evil : "https://t.rms.na.aadrm.com/_wmcs/certification"), 0);
		snprintf(path, sizeof(path), "%s/EX%d.xml", dir, i + 1);
		assert_int_equal(irmf_snapshot_save(s, path), 0);
		irmf_snapshot_free(s);
	}
	html = report_of(dir);
	assert_null(strstr(html, "<script>alert"));
	assert_null(strstr(html, "\xe2\x80\xae"));
	/* the JSON island: the server name's </script> as \u003c/script> */
	island = strstr(html, "id=\"irmf-data\">");
	assert_non_null(island);
	assert_non_null(strstr(island, "EX\\u003c/script\\u003e3"));
	assert_null(strstr(html, "\xe2\x80\xa8"));
	doc = htmlReadMemory(html, (int)strlen(html), "r.html", "utf-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	/* the island and the page's own script, nothing else */
	assert_int_equal(xpath_count(doc, "//script"), 2);
	assert_int_equal(xpath_count(doc, "//b"), 0);
	assert_true(xpath_count(doc, "//li[contains(., '15.2.<b>1</b>&amp;')]")
	    >= 1);
	/* the value survives as text, the bidi override visible */
	assert_true(xpath_count(doc, "//td[contains(@class,'outlier') and "
	    "contains(., '<script>alert(1)') and contains(., '\\u202emoc')]")
	    >= 1);
	assert_int_equal(xpath_count(doc, "//a[contains(@href, 'javascript')]"),
	    0);
	xmlFreeDoc(doc);
	free(html);
	tu_rmtree(dir);
	free(dir);
}

/* The page's "about" list says which authorization list the auth-*
 * rules used: the example fleet's typed one, or one derived from a
 * connector node's event 1004. */
static void
test_auth_source(void **state)
{
	char *html;

	(void)state;
	html = report_of(IRMF_SOURCE_DIR "/examples/fleet");
	assert_non_null(strstr(html, "<dt>authorization list</dt>\n<dd>typed "
	    "(CSV, with roles)</dd>"));
	free(html);
	html = report_of(tu_fixture_path("snapshot/valid-rmscon-derived.xml"));
	assert_non_null(strstr(html, "<dt>authorization list</dt>\n<dd>derived "
	    "from the connector nodes' event 1004: accounts only, roles "
	    "unknown"));
	free(html);
}

static void
test_script_json_escaping(void **state)
{
	char *s = h_script_json("{\"v\":\"</script><!--&\xe2\x80\xa8\xe2\x80\xa9\"}");

	(void)state;
	assert_string_equal(s, "{\"v\":\"\\u003c/script\\u003e\\u003c!--"
	    "\\u0026\\u2028\\u2029\"}");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_fleet_matrix),
		cmocka_unit_test(test_values_are_escaped),
		cmocka_unit_test(test_script_json_escaping),
		cmocka_unit_test(test_auth_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
