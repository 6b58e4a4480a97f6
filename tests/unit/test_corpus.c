/*
 * test_corpus.c - conformance run of the import pipeline's detection and
 * parsing over every fixture copied from the real-world corpus (and the
 * hand-built captures next to them): each file in tests/fixtures/<area>/
 * must be detected as one of the area's formats and parse without error;
 * each file in <area>/bad/ must fail with a message that starts with the
 * file's name.  A new fixture is covered by dropping it in the folder.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "detect.h"
#include "snapshot_int.h"

static const struct area {
	const char *dir;
	const char *formats[3];
	size_t min_files;   /* guards against an empty or renamed folder */
	/* CLIXML of objects irmfleet has no use for (Get-NetIPConfiguration
	 * ...) is refused as IRMF_EUNSUPPORTED by design: importing it would
	 * record a source that contributes nothing */
	bool unused_ok;
	bool has_bad;       /* a bad/ folder of files that must fail */
} areas[] = {
	{ "irmtext", { "irmconfig-text", "irmtest-text" }, 5, false, true },
	{ "authlist", { "authlist" }, 2, false, true },
	{ "groups", { "whoami-csv", "gpresult" }, 4, false, true },
	{ "clixml", { "clixml" }, 30, true, true },
	{ "wevtutil", { "evtxml" }, 8, false, true },
	/* the odd registry files sit among the good ones: see odd_files */
	{ "regfile", { "regfile" }, 25, false, false },
	{ "regquery", { "regquery" }, 10, false, false },
};

/* Files outside bad/ that must still fail (their PROVENANCE.md says
 * why), with the start of the expected message after the file name. */
static const struct odd {
	const char *path;
	const char *msg;
} odd_files[] = {
	{ "wevtutil/empty.xml", ": the file is empty" },
	{ "wevtutil/windows-itpro-docs__event-1102__EventXML_IE-view-NOT-"
	  "wellformed.xml", ": not a recognised export" },
	{ "regfile/doc-snippet__SupportArticles-docs__migrate-ad-rms-to-azure__"
	  "IRM-LicenseServerRedirection.reg.txt", ":1: expected the header "
	  "'Windows Registry Editor Version 5.00' or 'REGEDIT4'" },
	{ "regfile/regashii__wine-v2.reg", ":1: Wine registry files" },
};

/* Get-ExchangeServer captures name their server; the parser checks it. */
static const struct {
	const char *path, *server;
} servers[] = {
	{ "clixml/CSS-Exchange__E16__Exchange__GetExchangeServer.xml",
	  "SOLO-E16A" },
	{ "clixml/CSS-Exchange__E19__Exchange__GetExchangeServer.xml",
	  "SOLO-E19A" },
	{ "clixml/exchangeserver-e16-list.xml", "EX01" },
};

static const char *
server_for(const char *path)
{
	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++)
		if (strcmp(path, servers[i].path) == 0)
			return servers[i].server;
	return "X";
}

static const char *
odd_msg(const char *path)
{
	for (size_t i = 0; i < sizeof(odd_files) / sizeof(odd_files[0]); i++)
		if (strcmp(path, odd_files[i].path) == 0)
			return odd_files[i].msg;
	return NULL;
}

static bool
skip_entry(const char *name)
{
	return name[0] == '.' || strcmp(name, "PROVENANCE.md") == 0 ||
	    strcmp(name, "bad") == 0;
}

static bool
allowed(const struct area *a, const char *format)
{
	for (size_t i = 0; i < 3 && a->formats[i] != NULL; i++)
		if (strcmp(a->formats[i], format) == 0)
			return true;
	return false;
}

/* A failure with a clear message: a parse or format error whose message
 * starts with the file's name followed by msg. */
static void
check_failure(const char *path, int rc, const char *msg)
{
	const char *m = irmf_error_last()->message;
	size_t n = strlen(path);

	if (rc == 0)
		fail_msg("%s parsed but should fail", path);
	if (rc != IRMF_EPARSE && rc != IRMF_EUNSUPPORTED)
		fail_msg("%s: code %d (%s)", path, rc, m);
	if (strncmp(m, path, n) != 0 || strncmp(m + n, msg, strlen(msg)) != 0)
		fail_msg("%s: unexpected message: %s", path, m);
}

/* Returns the number of files checked in dir. */
static size_t
run_dir(const struct area *a, const char *rel, bool bad)
{
	DIR *d = opendir(tu_fixture_path(rel));
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		fail_msg("cannot open fixture folder %s", rel);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		const irmf_format *f = NULL;
		irmf_snapshot *snap;
		size_t len;
		char *buf;
		int rc;

		if (skip_entry(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", rel, e->d_name);
		buf = tu_read_fixture(path, &len);
		assert_int_equal(irmf_snapshot_new(&snap, server_for(path)), 0);
		rc = irmf_detect_parse(snap, buf, len, path, &f);
		if (!bad && odd_msg(path) != NULL)
			check_failure(path, rc, odd_msg(path));
		else if (!bad && a->unused_ok && rc == IRMF_EUNSUPPORTED)
			check_failure(path, rc, ": CLIXML ");
		else if (!bad && rc < 0)
			fail_msg("%s: %s", path, irmf_error_last()->message);
		else if (!bad && !allowed(a, f->name))
			fail_msg("%s detected as %s", path, f->name);
		else if (bad)
			check_failure(path, rc, "");
		irmf_snapshot_free(snap);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void
conformance(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		char bad[256];
		size_t good = run_dir(&areas[i], areas[i].dir, false);

		if (good < areas[i].min_files)
			fail_msg("%s: only %zu files", areas[i].dir, good);
		if (!areas[i].has_bad)
			continue;
		snprintf(bad, sizeof(bad), "%s/bad", areas[i].dir);
		assert_true(run_dir(&areas[i], bad, true) > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conformance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
