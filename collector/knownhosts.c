/*
 * knownhosts.c - host-key checking against OpenSSH known_hosts for the SSH
 * collector (see knownhosts.h).  Matching (plain, hashed, [host]:port) is
 * libssh2's; this file adds what it lacks: tolerant loading (one bad line
 * does not void the file), @revoked, and appending safely under
 * concurrency for trust on first use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh2.h>
#include <openssl/evp.h>

#include "error.h"
#include "knownhosts.h"
#include "snapshot_int.h"
#include "ssh.h"

#define MAX_LINE 16384
#define MAX_FILE ((size_t)64 * 1024 * 1024)

struct irmf_knownhosts {
	char *path;
	LIBSSH2_SESSION *session;     /* required by the knownhost API only */
	LIBSSH2_KNOWNHOSTS *hosts;
	irmf_strlist revoked;         /* base64 key blobs */
	size_t skipped;
};

static const struct {
	int type;
	int mask;
	const char *name;
} key_types[] = {
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
	{ LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256,
	    "ecdsa-sha2-nistp256" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384,
	    "ecdsa-sha2-nistp384" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521,
	    "ecdsa-sha2-nistp521" },
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519,
	    "ssh-ed25519" },
};

const char *
irmf_knownhosts_type_name(int keytype)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (key_types[i].type == keytype)
			return key_types[i].name;
	return NULL;
}

static int
type_mask(int keytype)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (key_types[i].type == keytype)
			return key_types[i].mask;
	return 0;
}

/* Base64 of a key blob (malloc'd), as known_hosts spells it. */
static char *
b64(const unsigned char *data, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out == NULL) {
		irmf_error_oom();
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

void
irmf_knownhosts_fingerprint(const unsigned char *key, size_t keylen,
    char *buf, size_t cap)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char enc[64];

	if (EVP_Digest(key, keylen, md, &mdlen, EVP_sha256(), NULL) != 1) {
		snprintf(buf, cap, "SHA256:?");
		return;
	}
	EVP_EncodeBlock((unsigned char *)enc, md, (int)mdlen);
	char *eq = strchr(enc, '=');   /* OpenSSH drops the padding */
	if (eq != NULL)
		*eq = '\0';
	snprintf(buf, cap, "SHA256:%s", enc);
}

/* "@revoked hosts keytype base64 [comment]": remember the key. */
static int
add_revoked(irmf_knownhosts *kh, const char *line)
{
	char hosts[1024], type[64], key[MAX_LINE];

	if (sscanf(line, "@revoked %1023s %63s %16383s", hosts, type, key) != 3) {
		kh->skipped++;
		return IRMF_OK;
	}
	return irmf_strlist_add(&kh->revoked, key);
}

static int
load_lines(irmf_knownhosts *kh, FILE *f)
{
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t n;
	int r = IRMF_OK;

	while ((n = getline(&line, &cap, f)) > 0) {
		char *s = line;

		total += (size_t)n;
		if (total > MAX_FILE) {
			r = irmf_error_set(IRMF_ELIMIT, "%s: larger than %zu bytes",
			    kh->path, MAX_FILE);
			break;
		}
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (strncmp(s, "@revoked", 8) == 0) {
			if ((r = add_revoked(kh, s)) != 0)
				break;
			continue;
		}
		if (*s == '@' || strlen(s) > MAX_LINE ||
		    libssh2_knownhost_readline(kh->hosts, s, strlen(s),
		    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
			kh->skipped++;   /* like ssh: a bad line is ignored */
	}
	if (r == 0 && ferror(f))
		r = irmf_error_set(IRMF_EIO, "cannot read known_hosts '%s': %s",
		    kh->path, strerror(errno));
	free(line);
	return r;
}

void
irmf_knownhosts_free(irmf_knownhosts *kh)
{
	if (kh == NULL)
		return;
	if (kh->hosts != NULL)
		libssh2_knownhost_free(kh->hosts);
	if (kh->session != NULL)
		libssh2_session_free(kh->session);
	irmf_strlist_clear(&kh->revoked);
	free(kh->path);
	free(kh);
}

/* Load `path` into a fresh list (no error for a missing file). */
static int
load(irmf_knownhosts **out, const char *path)
{
	irmf_knownhosts *kh;
	FILE *f = NULL;
	int r;

	*out = NULL;
	if ((r = irmf_ssh_global_init()) != 0)
		return r;
	if ((kh = calloc(1, sizeof(*kh))) == NULL)
		return irmf_error_oom();
	if ((kh->path = irmf_strdup(path)) == NULL) {
		r = IRMF_ENOMEM;
		goto out;
	}
	if ((kh->session = libssh2_session_init()) == NULL ||
	    (kh->hosts = libssh2_knownhost_init(kh->session)) == NULL) {
		r = irmf_error_set(IRMF_ESSH, "cannot initialise libssh2");
		goto out;
	}
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT) {
			r = IRMF_OK;
			goto done;
		}
		r = irmf_error_set(IRMF_EIO, "cannot open known_hosts '%s': %s",
		    path, strerror(errno));
		goto out;
	}
	if ((r = load_lines(kh, f)) != 0)
		goto out;
done:
	*out = kh;
	kh = NULL;
out:
	if (f != NULL)
		fclose(f);
	irmf_knownhosts_free(kh);
	return r;
}

int
irmf_knownhosts_load(irmf_knownhosts **out, const char *path)
{
	return load(out, path);
}

int
irmf_knownhosts_check(irmf_knownhosts *kh, const char *host, int port,
    int keytype, const unsigned char *key, size_t keylen,
    irmf_kh_result *res)
{
	int mask = type_mask(keytype);
	char *enc;
	int rc;

	if (mask == 0)
		return irmf_error_set(IRMF_EHOSTKEY,
		    "'%s': unsupported host key type %d", host, keytype);
	if ((enc = b64(key, keylen)) == NULL)
		return IRMF_ENOMEM;
	for (size_t i = 0; i < kh->revoked.n; i++)
		if (strcmp(kh->revoked.items[i], enc) == 0) {
			free(enc);
			*res = IRMF_KH_REVOKED;
			return IRMF_OK;
		}
	free(enc);
	rc = libssh2_knownhost_checkp(kh->hosts, host, port, (const char *)key,
	    keylen, LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW |
	    mask, NULL);
	switch (rc) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		*res = IRMF_KH_MATCH;
		return IRMF_OK;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		*res = IRMF_KH_CHANGED;
		return IRMF_OK;
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		*res = IRMF_KH_UNKNOWN;
		return IRMF_OK;
	default:
		return irmf_ssh_error(kh->session, IRMF_EHOSTKEY, host);
	}
}

/* The line OpenSSH would write: "host" for port 22, else "[host]:port". */
static int
format_line(const char *host, int port, int keytype, const unsigned char *key,
    size_t keylen, char **out)
{
	char *enc = b64(key, keylen);
	size_t cap;

	*out = NULL;
	if (enc == NULL)
		return IRMF_ENOMEM;
	cap = strlen(host) + strlen(enc) + 64;
	if ((*out = malloc(cap)) == NULL) {
		free(enc);
		return irmf_error_oom();
	}
	if (port == 22)
		snprintf(*out, cap, "%s %s %s\n", host,
		    irmf_knownhosts_type_name(keytype), enc);
	else
		snprintf(*out, cap, "[%s]:%d %s %s\n", host, port,
		    irmf_knownhosts_type_name(keytype), enc);
	free(enc);
	return IRMF_OK;
}

/* Create the directory of path (like ~/.ssh, mode 0700) if missing. */
static int
ensure_dir(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return IRMF_OK;
	*slash = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return irmf_error_set(IRMF_EIO, "cannot create '%s': %s", dir,
		    strerror(errno));
	return IRMF_OK;
}

/* Under the lock: does the file end without a newline? */
static bool
needs_newline(int fd)
{
	struct stat st;
	char c;

	if (fstat(fd, &st) != 0 || st.st_size == 0)
		return false;
	return pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n';
}

int
irmf_knownhosts_add(irmf_knownhosts *kh, const char *host, int port,
    int keytype, const unsigned char *key, size_t keylen)
{
	irmf_knownhosts *fresh = NULL;
	irmf_kh_result res;
	char *line = NULL;
	int fd = -1, r;

	if (irmf_knownhosts_type_name(keytype) == NULL)
		return irmf_error_set(IRMF_EHOSTKEY,
		    "'%s': unsupported host key type %d", host, keytype);
	if ((r = ensure_dir(kh->path)) != 0 ||
	    (r = format_line(host, port, keytype, key, keylen, &line)) != 0)
		goto out;
	fd = open(kh->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		r = irmf_error_set(IRMF_EIO, "cannot open known_hosts '%s': %s",
		    kh->path, strerror(errno));
		goto out;
	}
	/* re-read under the lock: another writer may have recorded it */
	if ((r = load(&fresh, kh->path)) != 0 ||
	    (r = irmf_knownhosts_check(fresh, host, port, keytype, key, keylen,
	    &res)) != 0)
		goto out;
	if (res == IRMF_KH_CHANGED || res == IRMF_KH_REVOKED) {
		r = irmf_error_set(IRMF_EHOSTKEY,
		    "'%s': another key was recorded in '%s' meanwhile; refusing",
		    host, kh->path);
		goto out;
	}
	if (res == IRMF_KH_UNKNOWN) {
		size_t len = strlen(line);

		if (needs_newline(fd) && write(fd, "\n", 1) != 1) {
			r = irmf_error_set(IRMF_EIO, "cannot write '%s': %s",
			    kh->path, strerror(errno));
			goto out;
		}
		/* one write with O_APPEND: the line lands whole */
		if (write(fd, line, len) != (ssize_t)len || fsync(fd) != 0) {
			r = irmf_error_set(IRMF_EIO, "cannot write '%s': %s",
			    kh->path, strerror(errno));
			goto out;
		}
	}
	/* libssh2 reads the key up to the NUL: drop the newline first */
	line[strlen(line) - 1] = '\0';
	if (libssh2_knownhost_readline(kh->hosts, line, strlen(line),
	    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
		r = irmf_ssh_error(kh->session, IRMF_EHOSTKEY, host);
out:
	if (fd >= 0)
		close(fd);   /* releases the lock */
	irmf_knownhosts_free(fresh);
	free(line);
	return r;
}

size_t
irmf_knownhosts_skipped(const irmf_knownhosts *kh)
{
	return kh->skipped;
}

const char *
irmf_knownhosts_path(const irmf_knownhosts *kh)
{
	return kh->path;
}
