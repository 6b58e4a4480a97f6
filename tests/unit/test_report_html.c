/*
 * test_report_html.c - the HTML report (compare/report/report_html.c): the
 * example fleet's drifted cell is highlighted in the matrix, the page is
 * self-contained, every server is listed with its identity and evidence,
 * and values from a server are escaped, never markup.
 */
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/compare.h"
#include "snapshot_int.h"

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
	/* one matrix per cohort, plus the summary and findings tables */
	assert_int_equal(xpath_count(doc, "//h2[starts-with(., 'Cohort ')]"), 3);
	/* EX07's redirection cell is the outlier of the v15 matrix */
	assert_int_equal(xpath_count(doc,
	    "//td[contains(@class,'outlier') and contains(@title, '=> http://rmsconnector')]"), 1);
	/* the servers table: every server with its identity and evidence */
	assert_int_equal(xpath_count(doc, "//h2[. = 'Servers']"), 1);
	assert_int_equal(xpath_count(doc, "//h2[. = 'Servers']"
	    "/following-sibling::table[1]/tr[td]"), 14);
	assert_int_equal(xpath_count(doc, "//tr[td[1] = 'EX07' and "
	    "td[2] = 'exchange-v15' and td[3] = 'Exchange 2013 or later from "
	    "ExSetup.exe 15.2.1544.11' and td[4] = '15.2.1544.11 (ExSetup.exe)' "
	    "and count(td[5]/ul/li) = 3]"), 1);
	assert_int_equal(xpath_count(doc, "//tr[td[1] = 'RMSCON01' and "
	    "td[3] = 'no product generation']"), 1);
	/* and under each server's name in its cohort's matrix */
	assert_int_equal(xpath_count(doc, "//th[starts-with(., 'SP01')]"
	    "/span[@class = 'id' and . = 'SharePoint 2013 or later from "
	    "product build 16.0.4351.1000']"), 1);
	assert_int_equal(xpath_count(doc, "//th/span[@class = 'id']"), 12);
	/* self-contained: no scripts, no external resources */
	assert_int_equal(xpath_count(doc, "//script|//link|//img|//@src"), 0);
	xmlFreeDoc(doc);
	free(html);
}

static void
test_values_are_escaped(void **state)
{
	char *dir = tu_tempdir(), path[4200], *html;
	const char *evil = "<script>alert(1)</script>&\"x";
	htmlDocPtr doc;

	(void)state;
	for (int i = 0; i < 3; i++) {
		irmf_snapshot *s;
		irmf_reg_key *k;
		char name[16];

		snprintf(name, sizeof(name), "EX0%d", i + 1);
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
		snprintf(path, sizeof(path), "%s/%s.xml", dir, name);
		assert_int_equal(irmf_snapshot_save(s, path), 0);
		irmf_snapshot_free(s);
	}
	html = report_of(dir);
	assert_null(strstr(html, "<script>"));
	doc = htmlReadMemory(html, (int)strlen(html), "r.html", "utf-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_int_equal(xpath_count(doc, "//script"), 0);
	assert_int_equal(xpath_count(doc, "//b"), 0);
	assert_int_equal(xpath_count(doc, "//th/span[@class = 'id' and . = "
	    "'Exchange 2013 or later from Get-ExchangeServer 15.2.<b>1</b>&amp;']"),
	    1);
	assert_true(xpath_count(doc, "//li[contains(., '15.2.<b>1</b>&amp;')]")
	    >= 1);
	/* the value survives as text, in the outlier cell */
	assert_true(xpath_count(doc,
	    "//td[contains(@class,'outlier') and contains(., '<script>alert(1)')]") >= 1);
	xmlFreeDoc(doc);
	free(html);
	tu_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_fleet_matrix),
		cmocka_unit_test(test_values_are_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
