/*
 * test_fileio.c - collector/base/fileio.c: what the atomic writer does with a
 * target that is not a regular file (FIFO, device behind a symlink,
 * symlink to a file, directory), that reads refuse FIFOs and devices at
 * once, and that only dead writers' temporary files are cleaned up.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "error.h"
#include "fileio.h"

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
expect_content(const char *path, const char *want)
{
	char *buf;
	size_t len;

	assert_int_equal(irmf_file_read(path, 1 << 20, &buf, &len), 0);
	assert_string_equal(buf, want);
	free(buf);
}

/* A FIFO stays a FIFO and the reader at its other end gets the bytes. */
static void
test_write_fifo(void **state)
{
	char *dir = tu_tempdir(), *fifo = join(dir, "out.xml"), got[16];
	struct stat st;
	int rfd;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	assert_int_equal(irmf_file_write_atomic(fifo, "hello", 5), 0);
	assert_int_equal(read(rfd, got, sizeof(got)), 5);
	assert_memory_equal(got, "hello", 5);
	close(rfd);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	free(fifo);
	tu_rmtree(dir);
	free(dir);
}

/* A link to /dev/null (as /dev/stdout is a link) is written through:
 * neither the link nor the device becomes a regular file. */
static void
test_write_device_link(void **state)
{
	char *dir = tu_tempdir(), *link = join(dir, "report.txt");
	struct stat st;

	(void)state;
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_int_equal(irmf_file_write_atomic(link, "x\n", 2), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	free(link);
	tu_rmtree(dir);
	free(dir);
}

/* A link to a regular file: the target is replaced, the link kept. */
static void
test_write_file_link(void **state)
{
	char *dir = tu_tempdir(), *link = join(dir, "link.xml"),
	    *target = join(dir, "target.xml");
	struct stat st;

	(void)state;
	write_file(target, "old");
	assert_int_equal(symlink("target.xml", link), 0);
	assert_int_equal(irmf_file_write_atomic(link, "new", 3), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	expect_content(target, "new");
	/* and a regular file is still replaced (a new inode) */
	assert_int_equal(stat(target, &st), 0);
	{
		ino_t before = st.st_ino;
		assert_int_equal(irmf_file_write_atomic(target, "newer", 5),
		    0);
		assert_int_equal(stat(target, &st), 0);
		assert_true(st.st_ino != before);
	}
	expect_content(target, "newer");
	free(link);
	free(target);
	tu_rmtree(dir);
	free(dir);
}

static void
test_write_directory(void **state)
{
	char *dir = tu_tempdir();

	(void)state;
	assert_int_equal(irmf_file_write_atomic(dir, "x", 1), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message,
	    "is a directory"));
	tu_rmtree(dir);
	free(dir);
}

/* A FIFO is refused at once (it used to wait for a writer forever). */
static void
test_read_fifo(void **state)
{
	char *dir = tu_tempdir(), *fifo = join(dir, "EX01.xml"), *buf;
	size_t len;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(20);   /* a hang must fail the test, not the suite's timeout */
	assert_int_equal(irmf_file_read(fifo, 1 << 20, &buf, &len),
	    IRMF_EUSAGE);
	alarm(0);
	assert_null(buf);
	assert_non_null(strstr(irmf_error_last()->message, "FIFO"));
	assert_non_null(strstr(irmf_error_last()->message, fifo));
	free(fifo);
	tu_rmtree(dir);
	free(dir);
}

/* A link to /dev/zero is refused, not read up to the limit. */
static void
test_read_device_link(void **state)
{
	char *dir = tu_tempdir(), *link = join(dir, "EX02.xml"), *buf;
	char *target = join(dir, "EX03.xml");
	size_t len;

	(void)state;
	assert_int_equal(symlink("/dev/zero", link), 0);
	assert_int_equal(irmf_file_read(link, 1 << 20, &buf, &len),
	    IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "character device"));
	/* a link to a regular file is read as the file */
	assert_int_equal(unlink(link), 0);
	write_file(target, "<snapshot/>");
	assert_int_equal(symlink("EX03.xml", link), 0);
	expect_content(link, "<snapshot/>");
	free(link);
	free(target);
	tu_rmtree(dir);
	free(dir);
}

static pid_t
dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* Only the temporary file of a process that is gone is removed. */
static void
test_clean_stale(void **state)
{
	char *dir = tu_tempdir(), name[128];
	char *dead, *live, *other, *snap;
	struct stat st;

	(void)state;
	snprintf(name, sizeof(name), ".EX01.xml.tmp-%ld-3",
	    (long)dead_pid());
	dead = join(dir, name);
	snprintf(name, sizeof(name), ".EX01.xml.tmp-%ld-0", (long)getpid());
	live = join(dir, name);
	other = join(dir, ".EX01.xml.tmp-notapid-1");
	snap = join(dir, "EX01.xml");
	write_file(dead, "torn");
	write_file(live, "being written");
	write_file(other, "x");
	write_file(snap, "<snapshot/>");
	assert_int_equal(irmf_file_clean_stale(dir), 1);
	assert_int_equal(lstat(dead, &st), -1);
	assert_int_equal(lstat(live, &st), 0);
	assert_int_equal(lstat(other, &st), 0);
	assert_int_equal(lstat(snap, &st), 0);
	/* pid 1 is alive (and someone else's): never removed */
	free(dead);
	dead = join(dir, ".EX02.xml.tmp-1-0");
	write_file(dead, "x");
	assert_int_equal(irmf_file_clean_stale_beside(snap), 0);
	assert_int_equal(lstat(dead, &st), 0);
	assert_int_equal(irmf_file_clean_stale("/nonexistent-irmf"), 0);
	free(dead);
	free(live);
	free(other);
	free(snap);
	tu_rmtree(dir);
	free(dir);
}

static int
render_ok(void *ctx, FILE *f)
{
	fputs((const char *)ctx, f);
	return IRMF_OK;
}

static int
render_fails(void *ctx, FILE *f)
{
	fputs((const char *)ctx, f);   /* half a report, then an error */
	return irmf_error_set(IRMF_ENOMEM, "out of memory");
}

/* A report rendered to memory first: a failed rendering leaves the old
 * file as it was, a good one replaces it whole. */
static void
test_write_rendered(void **state)
{
	char *dir = tu_tempdir(), path[512], *got;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	assert_int_equal(irmf_file_write_rendered(path, render_ok,
	    (void *)"first"), IRMF_OK);
	assert_int_equal(irmf_file_write_rendered(path, render_fails,
	    (void *)"half"), IRMF_ENOMEM);
	got = tu_read_fixture(path, &n);
	assert_non_null(got);
	assert_string_equal(got, "first");
	free(got);
	assert_int_equal(irmf_file_write_rendered(path, render_ok,
	    (void *)"second"), IRMF_OK);
	got = tu_read_fixture(path, &n);
	assert_string_equal(got, "second");
	free(got);
	tu_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_fifo),
		cmocka_unit_test(test_write_device_link),
		cmocka_unit_test(test_write_file_link),
		cmocka_unit_test(test_write_directory),
		cmocka_unit_test(test_read_fifo),
		cmocka_unit_test(test_read_device_link),
		cmocka_unit_test(test_clean_stale),
		cmocka_unit_test(test_write_rendered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
