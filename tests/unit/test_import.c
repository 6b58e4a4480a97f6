/*
 * test_import.c - the import pipeline in memory (collector/parse/import.c):
 * several files of one server merged into one snapshot, provenance
 * (file, SHA-256, format), role inference, and the errors that must stop
 * an import (unknown, broken, duplicate, oversized or missing file), and
 * the areas of the server's role that its files do not cover (told, not
 * an error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "irmfleet/import.h"
#include "snapshot_int.h"

#define GET "irmtext/onprem-Get-IRMConfiguration-fl.txt"
#define TEST "irmtext/onprem-Test-IRMConfiguration-fail.txt"
#define GP "groups/EX01-gpresult-scope-computer-r.txt"

static char *
fixture(const char *rel)
{
	char *p = strdup(tu_fixture_path(rel));

	assert_non_null(p);
	return p;
}

static int
run(irmf_snapshot **out, const char *server, unsigned roles, size_t max,
    const char *const *rels, size_t n)
{
	irmf_import_options o = { 0 };
	char *paths[8] = { 0 };
	int rc;

	o.server = server;
	o.fqdn = "ex01.contoso.com";
	o.roles = roles;
	o.max_file_size = max;
	for (size_t i = 0; i < n; i++)
		paths[i] = fixture(rels[i]);
	rc = irmf_import_files(out, &o, (const char *const *)paths, n);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return rc;
}

static void
three_files_one_server(void **state)
{
	static const char *const files[] = { GET, TEST, GP };
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(run(&snap, "EX01", 0, 0, files, 3), 0);
	assert_string_equal(snap->server, "EX01");
	assert_string_equal(snap->fqdn, "ex01.contoso.com");
	assert_int_equal(snap->method, IRMF_METHOD_IMPORT);
	assert_string_equal(snap->collector_name, "irmfleet import");
	assert_non_null(snap->collected_at);
	assert_int_equal(strlen(snap->collected_at), 20);
	/* Get-/Test-IRMConfiguration make it an Exchange server */
	assert_int_equal(snap->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(snap->nprops, 24);
	assert_int_equal(snap->nirm_steps, 12);
	assert_false(snap->irm_test_pass);
	assert_string_equal(snap->computer_account, "CONTOSO\\EX01$");
	assert_int_equal(snap->groups.n, 6);
	assert_int_equal(snap->nsources, 3);
	assert_string_equal(snap->sources[0].file,
	    "onprem-Get-IRMConfiguration-fl.txt");
	assert_string_equal(snap->sources[0].format, "irmconfig-text");
	assert_string_equal(snap->sources[0].sha256, "0d0f68339c797c6e67a83faa9"
	    "8e530aa93ac6c634850c4b16d0c4ede9172adff");
	assert_string_equal(snap->sources[1].format, "irmtest-text");
	assert_string_equal(snap->sources[1].sha256, "6f63d0f768f7b3eb0bfdc8156"
	    "30e600ed7f8cf401aa1e6f5c03306969e4450de");
	assert_string_equal(snap->sources[2].format, "gpresult");
	assert_string_equal(snap->sources[2].sha256, "c6aee30dfc278933c9fb3ec9d"
	    "280c0ba70fe72fed7da9e77734bb609cf357bf5");
	irmf_snapshot_free(snap);
}

static void
roles(void **state)
{
	static const char *const auth[] = {
	    "authlist/connector-authorizations.csv" };
	static const char *const who[] = {
	    "groups/SP01-whoami-groups-fo-csv.txt" };
	static const char *const events[] = {
	    "wevtutil/rms-connector-rootless.xml" };
	static const char *const other[] = { "wevtutil/beats__ec1.xml" };
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(run(&snap, "RMSC01", 0, 0, auth, 1), 0);
	assert_int_equal(snap->roles, IRMF_ROLE_CONNECTOR);
	irmf_snapshot_free(snap);
	assert_int_equal(run(&snap, "RMSC02", 0, 0, events, 1), 0);
	assert_int_equal(snap->roles, IRMF_ROLE_CONNECTOR);
	assert_true(snap->nevents > 0);
	irmf_snapshot_free(snap);
	/* events, but none of the connector's: no role from them */
	assert_int_equal(run(&snap, "X1", 0, 0, other, 1), IRMF_EUSAGE);
	/* nothing in a whoami file tells the role */
	assert_int_equal(run(&snap, "SP01", 0, 0, who, 1), IRMF_EUSAGE);
	assert_null(snap);
	assert_string_equal(irmf_error_last()->message, "SP01: cannot tell the "
	    "server's role from its files; give --role (exchange, sharepoint, "
	    "fci or connector)");
	/* --role wins over inference */
	assert_int_equal(run(&snap, "SP01", IRMF_ROLE_SHAREPOINT, 0, who, 1), 0);
	assert_int_equal(snap->roles, IRMF_ROLE_SHAREPOINT);
	irmf_snapshot_free(snap);
}

static void
expect_fail(const char *const *rels, size_t n, const char *server,
    size_t max, int code, const char *msg)
{
	irmf_snapshot *snap = (irmf_snapshot *)1;

	assert_int_equal(run(&snap, server, 0, max, rels, n), code);
	assert_null(snap);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("'%s' lacks '%s'", irmf_error_last()->message, msg);
}

static void
failures(void **state)
{
	static const char *const dup[] = { GET, TEST, GET };
	static const char *const broken[] = { GET,
	    "irmtext/bad/Test-IRMConfiguration-cut-short.txt" };
	static const char *const unknown[] = { GET, "irmtext/PROVENANCE.md" };
	static const char *const missing[] = { "irmtext/no-such-file.txt" };
	static const char *const dir[] = { "irmtext" };
	static const char *const one[] = { GET };

	(void)state;
	expect_fail(dup, 3, "EX01", 0, IRMF_EUSAGE, "onprem-Get-IRMConfiguration"
	    "-fl.txt: same content as ");
	expect_fail(broken, 2, "EX01", 0, IRMF_EPARSE, "Test-IRMConfiguration-"
	    "cut-short.txt:12: no 'OVERALL RESULT: PASS|FAIL' line");
	expect_fail(unknown, 2, "EX01", 0, IRMF_EUNSUPPORTED,
	    "PROVENANCE.md: not a recognised export (expected one of: ");
	expect_fail(missing, 1, "EX01", 0, IRMF_ENOTFOUND, "no-such-file.txt: "
	    "cannot open: No such file or directory");
	expect_fail(dir, 1, "EX01", 0, IRMF_EUSAGE, "irmtext: cannot read: is a "
	    "directory");
	expect_fail(one, 1, "EX01", 100, IRMF_ELIMIT, "onprem-Get-IRMConfiguration"
	    "-fl.txt: larger than the limit of 100 bytes");
	expect_fail(one, 1, "../EX01", 0, IRMF_EUSAGE, "server name '../EX01' "
	    "may only hold letters");
	expect_fail(one, 1, "", 0, IRMF_EUSAGE, "a server name is required");
	expect_fail(one, 0, "EX01", 0, IRMF_EUSAGE, "no files to import");
}

static void
to_dir_round_trip(void **state)
{
	char *dir = tu_tempdir();
	char out[4200];
	char *paths[2] = { fixture(GET), fixture(
	    "irmtext/bad/Test-IRMConfiguration-cut-short.txt") };
	irmf_import_options o = { 0 };
	irmf_snapshot *back;
	char *written = NULL;

	(void)state;
	o.server = "EX01";
	snprintf(out, sizeof(out), "%s/snaps", dir);
	/* a broken second file: nothing is written */
	assert_int_equal(irmf_import_to_dir(&o, (const char *const *)paths, 2,
	    out, &written), IRMF_EPARSE);
	assert_null(written);
	snprintf(out, sizeof(out), "%s/snaps/EX01.xml", dir);
	assert_int_equal(access(out, F_OK), -1);
	/* the good file alone: written, and loads back */
	snprintf(out, sizeof(out), "%s/snaps", dir);
	assert_int_equal(irmf_import_to_dir(&o, (const char *const *)paths, 1,
	    out, &written), 0);
	snprintf(out, sizeof(out), "%s/snaps/EX01.xml", dir);
	assert_string_equal(written, out);
	assert_int_equal(irmf_snapshot_load(&back, written), 0);
	assert_string_equal(back->server, "EX01");
	assert_int_equal(back->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(back->method, IRMF_METHOD_IMPORT);
	assert_int_equal(back->nprops, 24);
	assert_int_equal(back->nsources, 1);
	assert_string_equal(back->sources[0].sha256, "0d0f68339c797c6e67a83faa9"
	    "8e530aa93ac6c634850c4b16d0c4ede9172adff");
	irmf_snapshot_free(back);
	free(written);
	free(paths[0]);
	free(paths[1]);
	tu_rmtree(dir);
	free(dir);
}

/* The same organisation's Get-IRMConfiguration, imported as Format-List
 * text and as Export-Clixml, must give the same property names and types
 * (else compare would report every text-imported server as different). */
static void
text_and_clixml_agree(void **state)
{
	static const char *const text[] = { GET };
	static const char *const cx[] = {
	    "clixml/CSS-Exchange__E19__Exchange__GetIrmConfiguration.xml" };
	irmf_snapshot *a, *b;

	(void)state;
	assert_int_equal(run(&a, "EX01", 0, 0, text, 1), 0);
	assert_int_equal(run(&b, "EX01", 0, 0, cx, 1), 0);
	assert_int_equal(a->nprops, b->nprops);
	for (size_t i = 0; i < b->nprops; i++) {
		const irmf_prop *pb = &b->props[i];
		const irmf_prop *pa = irmf_snapshot_prop_find(a, pb->name);

		if (pa == NULL)
			fail_msg("%s: only in the CLIXML import", pb->name);
		if (pa->type != pb->type || pa->is_nil != pb->is_nil)
			fail_msg("%s: text %d/%d, CLIXML %d/%d", pb->name,
			    pa->type, pa->is_nil, pb->type, pb->is_nil);
	}
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

typedef struct gaps_seen {
	char *msg[8];
	size_t n;
} gaps_seen;

static void
gap_cb(const char *message, void *payload)
{
	gaps_seen *g = payload;

	assert_true(g->n < 8);
	g->msg[g->n] = strdup(message);
	assert_non_null(g->msg[g->n]);
	g->n++;
}

static void
import_gaps(const char *const *rels, size_t n, gaps_seen *g)
{
	irmf_import_options o = { 0 };
	irmf_snapshot *snap = NULL;
	char *paths[8] = { 0 };

	o.server = "EX07";
	o.gap = gap_cb;
	o.warn_payload = g;
	for (size_t i = 0; i < n; i++)
		paths[i] = fixture(rels[i]);
	assert_int_equal(irmf_import_files(&snap, &o,
	    (const char *const *)paths, n), 0);
	assert_non_null(snap);
	irmf_snapshot_free(snap);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
}

static void
gaps_clear(gaps_seen *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->msg[i]);
	g->n = 0;
}

/* Get-IRMConfiguration and gpresult only: the registry keys, the file
 * versions and the generation evidence of an Exchange server are
 * missing, each told with its export command; the snapshot is built. */
static void
partial_import_told(void **state)
{
	static const char *const partial[] = { GET, GP };
	static const char *const full[] = { GET, GP,
	    "regfile/irmf-exchange-irm-regedit5.reg",
	    "regfile/irmf-msdrm-regedit5.reg",
	    "clixml/getitem-msdrm-utf16.xml",
	    "clixml/CSS-Exchange__E19__Exchange__ExSetup.xml" };
	gaps_seen g = { { 0 }, 0 };

	(void)state;
	import_gaps(partial, 2, &g);
	for (size_t i = 0; i < g.n; i++)
		fprintf(stderr, "  gap %zu: %s\n", i, g.msg[i]);
	assert_int_equal(g.n, 3);
	assert_non_null(strstr(g.msg[0], "EX07: no registry export of the "
	    "IRM keys (ExchangeServer\\v15\\IRM or v14\\IRM, MSDRM): export "
	    "with reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15"
	    "\\IRM irm.reg"));
	assert_non_null(strstr(g.msg[0], "then import again with all of the "
	    "server's files"));
	assert_non_null(strstr(g.msg[1], "EX07: no file versions (msdrm.dll, "
	    "ExSetup.exe): export with Get-Item"));
	assert_non_null(strstr(g.msg[2], "EX07: no generation evidence"));
	assert_non_null(strstr(g.msg[2], "(Get-Command ExSetup.exe)."
	    "FileVersionInfo | Export-Clixml exsetup.xml"));
	gaps_clear(&g);
	/* everything an Exchange server needs: nothing to tell */
	import_gaps(full, 6, &g);
	for (size_t i = 0; i < g.n; i++)
		fprintf(stderr, "  gap %zu: %s\n", i, g.msg[i]);
	assert_int_equal(g.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_files_one_server),
		cmocka_unit_test(roles),
		cmocka_unit_test(failures),
		cmocka_unit_test(to_dir_round_trip),
		cmocka_unit_test(text_and_clixml_agree),
		cmocka_unit_test(partial_import_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
