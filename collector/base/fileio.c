/*
 * fileio.c - bounded reads and atomic writes of whole files.
 *
 * Inputs come from admins and remote hosts, so a read is capped (a
 * runaway export must be an error, not an out-of-memory).  Outputs are
 * written to a temporary file next to the target and renamed over it, so
 * a reader (a nightly compare, the audit store) sees either the old file
 * or the complete new one, never a torn one, even after a crash.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fileio.h"
#include "irmfleet/snapshot.h"

const char *
irmf_file_kind(unsigned mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISFIFO(mode))
		return "not a regular file (a FIFO)";
	if (S_ISCHR(mode))
		return "not a regular file (a character device)";
	if (S_ISBLK(mode))
		return "not a regular file (a block device)";
	if (S_ISSOCK(mode))
		return "not a regular file (a socket)";
	return "not a regular file";
}

static int
open_error(const char *path, int err)
{
	if (err == ENOENT)
		return irmf_error_set(IRMF_ENOTFOUND, "%s: cannot open: %s",
		    path, strerror(err));
	return irmf_error_set(IRMF_EIO, "%s: cannot open: %s", path,
	    strerror(err));
}

int
irmf_file_read(const char *path, size_t limit, char **out, size_t *out_len)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	struct stat st;
	ssize_t n;
	int fd, rc = IRMF_OK;

	*out = NULL;
	if (out_len)
		*out_len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (a FIFO
	 * named *.xml hung a compare); O_NOCTTY: never adopt a terminal */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY)) < 0)
		return open_error(path, errno);
	if (fstat(fd, &st) != 0) {
		rc = irmf_error_set(IRMF_EIO, "%s: cannot read: %s", path,
		    strerror(errno));
		goto cleanup;
	}
	/* inputs are files; a device (/dev/zero behind a symlink) or a
	 * FIFO would read forever or block.  EUSAGE: the caller named
	 * something that is not an input (exit 2), not a failing disk */
	if (!S_ISREG(st.st_mode)) {
		rc = irmf_error_set(IRMF_EUSAGE, "%s: cannot read: %s", path,
		    irmf_file_kind(st.st_mode));
		goto cleanup;
	}
	if ((unsigned long long)st.st_size > limit) {
		rc = irmf_error_set(IRMF_ELIMIT, "%s: larger than the limit "
		    "of %zu bytes", path, limit);
		goto cleanup;
	}
	for (;;) {
		if (len + 1 >= cap) {
			/* grow geometrically; the size limit bounds it */
			cap = cap ? cap * 2 : 65536;
			if (cap > limit + 2)
				cap = limit + 2;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				rc = irmf_error_oom();
				goto cleanup;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = irmf_error_set(IRMF_EIO, "%s: cannot read: %s",
			    path, strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > limit) {
			rc = irmf_error_set(IRMF_ELIMIT, "%s: larger than the "
			    "limit of %zu bytes", path, limit);
			goto cleanup;
		}
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
	if (out_len)
		*out_len = len;
cleanup:
	free(buf);
	close(fd);
	return rc;
}

/* Split path into a malloc'd directory part ("." if none) and a pointer to
 * the base name inside path. */
static int
split_path(const char *path, char **dir, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*base = path;
		*dir = strdup(".");
	} else {
		*base = slash + 1;
		*dir = slash == path ? strdup("/") :
		    strndup(path, (size_t)(slash - path));
	}
	return *dir == NULL ? irmf_error_oom() : IRMF_OK;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync a directory so that a rename in it is durable. */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* Replace the regular file (or the nothing) at path: temporary file,
 * fsync, rename, fsync of the directory. */
static int
replace_file(const char *path, const void *buf, size_t len)
{
	static atomic_ulong seq;
	char *dir = NULL, *tmp = NULL;
	const char *base;
	size_t tmpcap;
	int fd = -1, rc, made = 0;

	if ((rc = split_path(path, &dir, &base)) < 0)
		return rc;
	if (*base == '\0') {
		rc = irmf_error_set(IRMF_EUSAGE, "%s: cannot write: not a file "
		    "name", path);
		goto cleanup;
	}
	tmpcap = strlen(dir) + strlen(base) + 64;
	if ((tmp = malloc(tmpcap)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	/* O_EXCL with a fresh name, so a concurrent writer or an attacker's
	 * symlink is never followed; mode 0666 lets the umask decide */
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		snprintf(tmp, tmpcap, "%s/.%s.tmp-%ld-%lu", dir, base,
		    (long)getpid(), (unsigned long)atomic_fetch_add(&seq, 1));
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		rc = irmf_error_set(IRMF_EIO, "%s: cannot create a temporary "
		    "file in '%s': %s", path, dir, strerror(errno));
		goto cleanup;
	}
	made = 1;
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		rc = irmf_error_set(IRMF_EIO, "%s: cannot write: %s", tmp,
		    strerror(errno));
		goto cleanup;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = irmf_error_set(IRMF_EIO, "%s: cannot write: %s", tmp,
		    strerror(errno));
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = irmf_error_set(IRMF_EIO, "%s: cannot rename '%s' over "
		    "it: %s", path, tmp, strerror(errno));
		goto cleanup;
	}
	made = 0;
	if (sync_dir(dir) < 0) {
		rc = irmf_error_set(IRMF_EIO, "%s: cannot sync directory "
		    "'%s': %s", path, dir, strerror(errno));
		goto cleanup;
	}
	rc = IRMF_OK;
cleanup:
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

/* A device, FIFO or terminal is written in place, as a shell redirection
 * would: renaming over it would put a regular file where /dev/null was. */
static int
write_through(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return open_error(path, errno);
	if (write_all(fd, buf, len) < 0) {
		int err = errno;
		close(fd);
		return irmf_error_set(IRMF_EIO, "%s: cannot write: %s", path,
		    strerror(err));
	}
	if (close(fd) < 0)
		return irmf_error_set(IRMF_EIO, "%s: cannot write: %s", path,
		    strerror(errno));
	return IRMF_OK;
}

int
irmf_file_write_atomic(const char *path, const void *buf, size_t len)
{
	struct stat st;
	char *real;
	int rc;

	/* only a regular file (or a new one) is replaced by rename */
	if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
		return replace_file(path, buf, len);
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0)   /* dangling: replace the link */
			return replace_file(path, buf, len);
		if (S_ISREG(st.st_mode)) {
			/* replace the file the link points to, keeping the
			 * link (and the temporary file beside the target) */
			if ((real = realpath(path, NULL)) == NULL)
				return irmf_error_set(IRMF_EIO, "%s: cannot "
				    "resolve the link: %s", path,
				    strerror(errno));
			rc = replace_file(real, buf, len);
			free(real);
			return rc;
		}
	}
	if (S_ISDIR(st.st_mode))
		return irmf_error_set(IRMF_EIO, "%s: cannot write: is a "
		    "directory", path);
	return write_through(path, buf, len);
}

/* The writer's pid of a temporary file name ".BASE.tmp-PID-SEQ", or 0
 * when name is not one. */
static long
tmp_owner(const char *name)
{
	const char *t = strstr(name, ".tmp-"), *next;
	char *end;
	long pid;

	if (name[0] != '.' || t == NULL)
		return 0;
	while ((next = strstr(t + 1, ".tmp-")) != NULL)
		t = next;   /* the last one: BASE may contain ".tmp-" */
	pid = strtol(t + 5, &end, 10);
	if (pid <= 0 || *end != '-' || end[1] == '\0')
		return 0;
	for (end++; *end; end++)
		if (*end < '0' || *end > '9')
			return 0;
	return pid;
}

int
irmf_file_clean_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char path[4096];
	long pid;
	int removed = 0;

	if (d == NULL)
		return 0;   /* nothing to clean (yet) */
	while ((de = readdir(d)) != NULL) {
		if ((pid = tmp_owner(de->d_name)) == 0)
			continue;
		/* EPERM: alive, someone else's; only ESRCH means gone */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    unlink(path) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int
irmf_file_clean_stale_beside(const char *path)
{
	const char *base;
	char *dir;
	int n;

	if (split_path(path, &dir, &base) < 0)
		return 0;
	n = irmf_file_clean_stale(dir);
	free(dir);
	return n;
}

int
irmf_snapshot_dir_clean(const char *dir)
{
	return irmf_file_clean_stale(dir);
}

int
irmf_file_write_rendered(const char *path, int (*render)(void *ctx, FILE *f),
    void *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;

	if (mem == NULL)
		return irmf_error_oom();
	rc = render(ctx, mem);
	if (fclose(mem) != 0 && rc == IRMF_OK)
		rc = irmf_error_set(IRMF_EIO, "'%s': %s", path,
		    strerror(errno));
	if (rc == IRMF_OK) {
		irmf_file_clean_stale_beside(path);   /* killed runs' */
		rc = irmf_file_write_atomic(path, buf, len);
	}
	free(buf);
	return rc;
}
