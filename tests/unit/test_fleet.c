/*
 * test_fleet.c - loading a fleet (compare/core/fleet.c): directory expansion
 * (sorted *.xml only), parallel loading that keeps file order, the first
 * bad file named in the error, duplicate servers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "fleet.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"

static void
write_snapshot(const char *dir, const char *file, const char *server)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char path[4096];

	assert_int_equal(irmf_snapshot_new(&s, server), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\Microsoft\\"
	    "MSDRM\\ServiceLocation\\Activation", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://contoso.rms.na.aadrm.com/_wmcs/certification"), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	assert_int_equal(irmf_snapshot_save(s, path), 0);
	irmf_snapshot_free(s);
}

static void
write_text(const char *dir, const char *file, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
load_dir(const char *dir, unsigned threads, irmf_fleet *f, int want_rc)
{
	irmf_strlist files = { 0 };

	assert_int_equal(irmf_fleet_expand_path(dir, &files, NULL), 0);
	assert_int_equal(irmf_fleet_load(f, files.items, files.n, threads),
	    want_rc);
	irmf_strlist_clear(&files);
}

static void
test_expand_and_load_in_order(void **state)
{
	char *dir = tu_tempdir();
	char name[32], server[32];

	(void)state;
	/* written in reverse so that readdir order is unlikely sorted */
	for (int i = 40; i >= 1; i--) {
		snprintf(name, sizeof(name), "ex%02d.xml", i);
		snprintf(server, sizeof(server), "EX%02d", i);
		write_snapshot(dir, name, server);
	}
	write_text(dir, "notes.txt", "not a snapshot\n");
	write_text(dir, ".hidden.xml", "<broken");
	for (unsigned threads = 1; threads <= 8; threads *= 2) {
		irmf_fleet f = { 0 };
		load_dir(dir, threads, &f, 0);
		assert_int_equal(f.n, 40);
		for (size_t i = 0; i < f.n; i++) {
			snprintf(server, sizeof(server), "EX%02zu", i + 1);
			assert_string_equal(f.members[i].snap->server, server);
			assert_true(f.members[i].prepared);
			assert_string_equal(f.members[i].cohort, "exchange-v15");
			assert_int_equal(f.members[i].settings.n, 1);
			assert_non_null(strstr(f.members[i].path, "/ex"));
		}
		assert_int_equal(irmf_fleet_check_unique(&f), 0);
		irmf_fleet_clear(&f);
	}
	tu_rmtree(dir);
	free(dir);
}

static void
test_bad_file_named(void **state)
{
	char *dir = tu_tempdir();
	irmf_fleet f = { 0 };

	(void)state;
	write_snapshot(dir, "a.xml", "EX01");
	write_text(dir, "b.xml", "<snapshot xmlns=\"urn:irmfleet:snapshot:1\"");
	write_snapshot(dir, "c.xml", "EX03");
	load_dir(dir, 2, &f, IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "b.xml"));
	assert_true(f.n <= 1);   /* nothing after the bad file */
	irmf_fleet_clear(&f);
	tu_rmtree(dir);
	free(dir);
}

static void
test_duplicates_and_empty(void **state)
{
	char *dir = tu_tempdir();
	irmf_fleet f = { 0 };
	irmf_strlist files = { 0 };
	char sub[4200];

	(void)state;
	write_snapshot(dir, "one.xml", "EX01");
	write_snapshot(dir, "two.xml", "ex01");
	load_dir(dir, 1, &f, 0);
	assert_int_equal(irmf_fleet_check_unique(&f), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "one.xml"));
	assert_non_null(strstr(irmf_error_last()->message, "two.xml"));
	irmf_fleet_clear(&f);
	snprintf(sub, sizeof(sub), "%s/empty", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_text(sub, "x.txt", "");
	assert_int_equal(irmf_fleet_expand_path(sub, &files, NULL),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "no snapshot files"));
	strcat(sub, "/missing.xml");
	assert_int_equal(irmf_fleet_expand_path(sub, &files, NULL),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "missing.xml"));
	assert_int_equal(files.n, 0);
	irmf_strlist_clear(&files);
	tu_rmtree(dir);
	free(dir);
}

static void
collect_line(const char *line, void *payload)
{
	irmf_strlist *l = payload;

	assert_int_equal(irmf_strlist_add(l, line), 0);
}

/* Only regular files (or links to them) of a directory are read; a FIFO
 * (which hung compare), a link to /dev/zero (read up to 64 MiB) and a
 * dangling link are skipped, each with a warning naming it and why. */
static void
test_dir_skips_non_regular(void **state)
{
	char *dir = tu_tempdir(), p[4300], **v = NULL;
	irmf_strlist warnings = { 0 };
	size_t n = 0;

	(void)state;
	write_snapshot(dir, "EX01.xml", "EX01");
	snprintf(p, sizeof(p), "%s/EX02.xml", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/EX03.xml", dir);
	assert_int_equal(symlink("/dev/zero", p), 0);
	snprintf(p, sizeof(p), "%s/EX04.xml", dir);
	assert_int_equal(symlink("EX01.xml", p), 0);
	snprintf(p, sizeof(p), "%s/EX05.xml", dir);
	assert_int_equal(symlink("gone.xml", p), 0);
	assert_int_equal(irmf_compare_expand_path(dir, collect_line,
	    &warnings, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_non_null(strstr(v[0], "/EX01.xml"));
	assert_non_null(strstr(v[1], "/EX04.xml"));
	assert_int_equal(warnings.n, 3);
	assert_non_null(strstr(warnings.items[0], "/EX02.xml': skipped: "
	    "not a regular file (a FIFO)"));
	assert_non_null(strstr(warnings.items[1], "/EX03.xml': skipped: "
	    "not a regular file (a character device)"));
	assert_non_null(strstr(warnings.items[2], "/EX05.xml': skipped: "
	    "dangling link"));
	irmf_compare_paths_free(v, n);
	irmf_strlist_clear(&warnings);
	tu_rmtree(dir);
	free(dir);
}

/* Snapshots lent to a comparison are compared like loaded ones and stay
 * the caller's: freeing the comparison leaves them intact. */
static void
test_borrowed_snapshots(void **state)
{
	static const char *names[] = { "EX01", "EX02", "EX07" };
	irmf_snapshot *snaps[3];
	irmf_compare *c = NULL;
	irmf_compare_counts n;
	char path[4096];

	(void)state;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/examples/fleet/%s.xml",
		    IRMF_SOURCE_DIR, names[i]);
		assert_int_equal(irmf_snapshot_load(&snaps[i], path), 0);
	}
	assert_int_equal(irmf_compare_new(&c), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(irmf_compare_add_snapshot(c, snaps[i],
		    names[i]), 0);
	assert_int_equal(irmf_compare_run(c), 0);
	assert_int_equal(irmf_compare_counts_get(c, &n), 0);
	assert_int_equal(n.servers, 3);
	assert_true(n.findings >= 1);   /* EX07's http redirection */
	assert_int_equal(irmf_compare_add_snapshot(c, snaps[0], "x"),
	    IRMF_EUSAGE);
	irmf_compare_free(c);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(irmf_snapshot_server(snaps[i]), names[i]);
		irmf_snapshot_free(snaps[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_and_load_in_order),
		cmocka_unit_test(test_bad_file_named),
		cmocka_unit_test(test_duplicates_and_empty),
		cmocka_unit_test(test_dir_skips_non_regular),
		cmocka_unit_test(test_borrowed_snapshots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
