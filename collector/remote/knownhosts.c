/*
 * knownhosts.c - host-key checking against OpenSSH known_hosts for the SSH
 * collector (see knownhosts.h).  Matching follows OpenSSH's hostfile.c and
 * match.c (libssh2's knownhost API knows neither negation, wildcards nor
 * markers, and took "host,!host" as two names); the hashing and base64
 * are OpenSSL's.  Appends stay safe under concurrency for trust on first
 * use.  tests/integration/test_knownhosts_conformance.sh holds it to what
 * ssh itself decides.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "digest.h"
#include "error.h"
#include "knownhosts.h"
#include "sshpattern.h"
#include "str.h"

#define MAX_LINE 16384
#define MAX_FILE ((size_t)64 * 1024 * 1024)

enum { MRK_NONE, MRK_REVOKED, MRK_CA };

/* One known_hosts line. */
typedef struct kh_entry {
	int marker;
	char *hosts;                  /* pattern list, or one |1| hash */
	char *type;                   /* "ssh-ed25519" ... */
	unsigned char *blob;          /* the key, decoded */
	size_t len, line;
} kh_entry;

struct irmf_knownhosts {
	char *path;
	kh_entry *e;
	size_t n, cap;
	size_t skipped;
};

static void
entry_clear(kh_entry *e)
{
	free(e->hosts);
	free(e->type);
	free(e->blob);
}

static const struct {
	int type;
	const char *name;
} key_types[] = {
	{ LIBSSH2_HOSTKEY_TYPE_RSA, "ssh-rsa" },
	{ LIBSSH2_HOSTKEY_TYPE_DSS, "ssh-dss" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, "ecdsa-sha2-nistp256" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, "ecdsa-sha2-nistp384" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, "ecdsa-sha2-nistp521" },
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, "ssh-ed25519" },
};

const char *
irmf_knownhosts_type_name(int keytype)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++)
		if (key_types[i].type == keytype)
			return key_types[i].name;
	return NULL;
}

/* Base64 of a key blob (malloc'd), as known_hosts spells it. */
static char *
b64(const unsigned char *data, size_t n)
{
	irmf_buf b = IRMF_BUF_INIT;

	irmf_buf_add_base64(&b, data, n);
	return irmf_buf_take(&b);
}

void
irmf_knownhosts_fingerprint(const unsigned char *key, size_t keylen,
    char *buf, size_t cap)
{
	unsigned char md[IRMF_SHA256_LEN];
	char *enc;

	if (irmf_sha256(key, keylen, md) < 0 ||
	    (enc = b64(md, sizeof(md))) == NULL) {
		snprintf(buf, cap, "SHA256:?");
		return;
	}
	char *eq = strchr(enc, '=');   /* OpenSSH drops the padding */
	if (eq != NULL)
		*eq = '\0';
	snprintf(buf, cap, "SHA256:%s", enc);
	free(enc);
}

/* ------------------------------------------------------------ matching */

/* "|1|base64(salt)|base64(HMAC-SHA1(salt, name))" (ssh-keygen -H). */
static bool
match_hashed(const char *name, const char *field)
{
	unsigned char salt[64], mac[EVP_MAX_MD_SIZE];
	char enc[128], *want;
	const char *bar;
	unsigned int maclen = 0;
	int n;

	if (strncmp(field, "|1|", 3) != 0 ||
	    (bar = strchr(field + 3, '|')) == NULL || bar - field - 3 != 28)
		return false;
	n = EVP_DecodeBlock(salt, (const unsigned char *)field + 3, 28);
	if (n != 21)   /* 20 bytes, padded to 21 */
		return false;
	if (HMAC(EVP_sha1(), salt, 20, (const unsigned char *)name,
	    strlen(name), mac, &maclen) == NULL)
		return false;
	EVP_EncodeBlock((unsigned char *)enc, mac, (int)maclen);
	want = enc;
	return strcmp(bar + 1, want) == 0;
}

static bool
entry_matches(const kh_entry *e, const char *name)
{
	if (e->hosts[0] == '|')
		return match_hashed(name, e->hosts);
	return irmf_sshpat_list(name, e->hosts) == 1;
}

/* ------------------------------------------------------------- loading */

/* The key blob of a base64 field, if it is a well-formed key of type
 * `type` (its first SSH string). */
static unsigned char *
decode_key(const char *b64s, const char *type, size_t *len)
{
	size_t n = strlen(b64s), tl = strlen(type);
	irmf_buf b = IRMF_BUF_INIT;
	const unsigned char *blob;

	if (n == 0 || n > MAX_LINE || irmf_buf_add_unbase64(&b, b64s, n) < 0 ||
	    b.n < 4 + tl)
		goto bad;
	blob = (const unsigned char *)b.p;
	if (blob[0] != 0 || blob[1] != 0 ||
	    ((size_t)blob[2] << 8 | blob[3]) != tl ||
	    memcmp(blob + 4, type, tl) != 0)
		goto bad;
	*len = b.n;
	return (unsigned char *)b.p;
bad:
	irmf_buf_free(&b);
	return NULL;
}

/* One line: "[@marker] hosts keytype base64 [comment]". */
static int
parse_line(irmf_knownhosts *kh, char *s, size_t line)
{
	char *f[4] = { 0 }, *save = NULL;
	int marker = MRK_NONE, nf = 0;
	kh_entry *e;

	for (char *t = strtok_r(s, " \t", &save); t && nf < 4;
	    t = strtok_r(NULL, " \t", &save))
		f[nf++] = t;
	if (nf > 0 && f[0][0] == '@') {
		if (strcmp(f[0], "@revoked") == 0)
			marker = MRK_REVOKED;
		else if (strcmp(f[0], "@cert-authority") == 0)
			marker = MRK_CA;
		else
			nf = 0;   /* unknown marker: the line is skipped */
		memmove(f, f + 1, 3 * sizeof(*f));
		f[3] = NULL;
		nf--;
	}
	if (nf < 3) {
		kh->skipped++;
		return IRMF_OK;
	}
	if (irmf_grow((void **)&kh->e, &kh->cap, kh->n, sizeof(*e)) != 0)
		return IRMF_ENOMEM;
	e = &kh->e[kh->n];
	memset(e, 0, sizeof(*e));
	if ((e->blob = decode_key(f[2], f[1], &e->len)) == NULL) {
		kh->skipped++;   /* like ssh: a bad line is ignored */
		return IRMF_OK;
	}
	if ((e->hosts = irmf_strdup(f[0])) == NULL ||
	    (e->type = irmf_strdup(f[1])) == NULL) {
		entry_clear(e);
		return IRMF_ENOMEM;
	}
	e->marker = marker;
	e->line = line;
	kh->n++;
	return IRMF_OK;
}

static int
load_lines(irmf_knownhosts *kh, FILE *f)
{
	char *line = NULL;
	size_t cap = 0, total = 0, lineno = 0;
	ssize_t n;
	int r = IRMF_OK;

	while ((n = getline(&line, &cap, f)) > 0) {
		char *s = line;

		lineno++;
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
		if ((r = parse_line(kh, s, lineno)) != 0)
			break;
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
	for (size_t i = 0; i < kh->n; i++)
		entry_clear(&kh->e[i]);
	free(kh->e);
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
	if ((kh = calloc(1, sizeof(*kh))) == NULL)
		return irmf_error_oom();
	if ((kh->path = irmf_strdup(path)) == NULL) {
		r = IRMF_ENOMEM;
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

/* ------------------------------------------------------------ checking */

/* The name OpenSSH looks up: lower case, "[host]:port" unless port 22. */
static void
lookup_name(const char *host, int port, char *buf, size_t cap)
{
	if (port == 22)
		snprintf(buf, cap, "%s", host);
	else
		snprintf(buf, cap, "[%s]:%d", host, port);
	for (char *c = buf; *c; c++)
		*c = (char)tolower((unsigned char)*c);
}

/*
 * As OpenSSH's check_host_key() with a plain (non-certificate) key: the
 * lines whose host patterns match are the host's; among its unmarked
 * lines an equal key is a match and any other key, of whatever type, is a
 * change (ssh orders the algorithms so the server shows a recorded type
 * first, see irmf_knownhosts_types()); a matching @revoked line with the
 * key wins over both.  Lines @cert-authority only are told apart: we do
 * not check host certificates.
 */
int
irmf_knownhosts_check(irmf_knownhosts *kh, const char *host, int port,
    int keytype, const unsigned char *key, size_t keylen,
    irmf_kh_result *res)
{
	const char *tname = irmf_knownhosts_type_name(keytype);
	char name[1100];
	bool match = false, same_type = false, other = false, ca = false;

	if (tname == NULL)
		return irmf_error_set(IRMF_EHOSTKEY,
		    "'%s': unsupported host key type %d", host, keytype);
	lookup_name(host, port, name, sizeof(name));
	for (size_t i = 0; i < kh->n; i++) {
		const kh_entry *e = &kh->e[i];
		bool equal = e->len == keylen && memcmp(e->blob, key, keylen) ==
		    0;

		if (!entry_matches(e, name))
			continue;
		if (e->marker == MRK_REVOKED && equal) {
			*res = IRMF_KH_REVOKED;
			return IRMF_OK;
		}
		if (e->marker == MRK_CA)
			ca = true;
		else if (e->marker == MRK_NONE && equal)
			match = true;
		else if (e->marker == MRK_NONE && strcmp(e->type, tname) == 0)
			same_type = true;
		else if (e->marker == MRK_NONE)
			other = true;
	}
	*res = match ? IRMF_KH_MATCH : same_type ? IRMF_KH_CHANGED :
	    other ? IRMF_KH_OTHER_TYPE : ca ? IRMF_KH_CA_ONLY :
	    IRMF_KH_UNKNOWN;
	return IRMF_OK;
}

size_t
irmf_knownhosts_types(const irmf_knownhosts *kh, const char *host, int port,
    const char **types, size_t max)
{
	char name[1100];
	size_t n = 0;

	lookup_name(host, port, name, sizeof(name));
	for (size_t i = 0; i < kh->n && n < max; i++) {
		const kh_entry *e = &kh->e[i];
		size_t j;

		if (e->marker != MRK_NONE || !entry_matches(e, name))
			continue;
		for (j = 0; j < n && strcmp(types[j], e->type) != 0; j++)
			;
		if (j == n)
			types[n++] = e->type;
	}
	return n;
}

/* The line OpenSSH would write: "host" for port 22, else "[host]:port",
 * in lower case (ssh looks names up in lower case). */
static int
format_line(const char *host, int port, int keytype, const unsigned char *key,
    size_t keylen, char **out)
{
	char *enc = b64(key, keylen);
	char name[1100];
	size_t cap;

	*out = NULL;
	if (enc == NULL)
		return IRMF_ENOMEM;
	lookup_name(host, port, name, sizeof(name));
	cap = strlen(name) + strlen(enc) + 64;
	if ((*out = malloc(cap)) == NULL) {
		free(enc);
		return irmf_error_oom();
	}
	snprintf(*out, cap, "%s %s %s\n", name,
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
	if (res != IRMF_KH_UNKNOWN && res != IRMF_KH_MATCH) {
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
	line[strlen(line) - 1] = '\0';
	r = parse_line(kh, line, 0);   /* the next check of the host matches */
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
