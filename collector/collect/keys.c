/*
 * keys.c - the client keys of a collect run: the --identity files, else
 * OpenSSH's default keys that exist (~/.ssh/id_ed25519, id_ecdsa,
 * id_rsa), read whole (bounded) for libssh2's from-memory logon, and
 * wiped before they are freed; and the check behind the CLI's passphrase
 * prompt: is a key encrypted (PEM "ENCRYPTED" or an OpenSSH key whose
 * cipher is not "none").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "buf.h"
#include "engine.h"
#include "error.h"

#define MAX_KEY_FILE ((size_t)64 * 1024)

static int
load_key(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return irmf_error_set(IRMF_EIO, "cannot read identity '%s': %s",
		    path, strerror(errno));
	if ((buf = malloc(MAX_KEY_FILE + 1)) == NULL) {
		fclose(f);
		return irmf_error_oom();
	}
	n = fread(buf, 1, MAX_KEY_FILE + 1, f);
	fclose(f);
	if (n == 0 || n > MAX_KEY_FILE) {
		free(buf);
		return irmf_error_set(IRMF_EUSAGE, "identity '%s' is %s", path,
		    n ? "too large for a private key" : "empty");
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return IRMF_OK;
}

int
irmf_collect_identity_encrypted(const char *path, int *encrypted)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	static const char magic[] = "openssh-key-v1";
	char *key = NULL, *b64 = NULL;
	irmf_buf bin = IRMF_BUF_INIT;
	size_t len, n = 0;
	int r;

	*encrypted = 0;
	if ((r = load_key(path, &key, &len)) != 0)
		return r;
	if (strstr(key, "ENCRYPTED") != NULL) {
		*encrypted = 1;   /* PEM: "Proc-Type: 4,ENCRYPTED" or PKCS#8 */
		goto out;
	}
	char *p = strstr(key, begin), *end;
	if (p == NULL || (end = strstr(p, "-----END")) == NULL)
		goto out;
	p += sizeof(begin) - 1;
	if ((b64 = malloc(len + 1)) == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ')
			b64[n++] = *p;
	b64[n] = '\0';
	/* not base64: nothing decoded, so not known to be encrypted */
	(void)irmf_buf_add_unbase64(&bin, b64, n);
	/* magic NUL, uint32 length, cipher name ("none" when clear) */
	if (bin.n > sizeof(magic) + 4 &&
	    memcmp(bin.p, magic, sizeof(magic)) == 0) {
		const unsigned char *c = (unsigned char *)bin.p +
		    sizeof(magic);
		size_t clen = (size_t)c[0] << 24 | (size_t)c[1] << 16 |
		    (size_t)c[2] << 8 | c[3];

		*encrypted = !(clen == 4 && memcmp(c + 4, "none", 4) == 0);
	}
out:
	if (key != NULL)
		memset(key, 0, len);   /* key material: wipe before freeing */
	if (b64 != NULL)
		memset(b64, 0, len + 1);
	if (bin.p != NULL)
		memset(bin.p, 0, bin.cap);
	free(key);
	free(b64);
	irmf_buf_free(&bin);
	return r;
}

/* The identities to try: --identity files, else OpenSSH's defaults that
 * exist. */
int
irmf_engine_load_identities(engine *e)
{
	static const char *const defaults[] = { "id_ed25519", "id_ecdsa",
	    "id_rsa" };
	static char defpaths[3][4096];
	static const char *defnames[3];
	const irmf_collect_options *o = e->o;
	const char *const *names = o->identities;
	size_t n = o->nidentities;
	int r;

	if (n == 0) {
		const char *home = getenv("HOME");

		for (size_t i = 0; home && i < 3; i++) {
			snprintf(defpaths[n], sizeof(defpaths[n]), "%s/.ssh/%s",
			    home, defaults[i]);
			if (access(defpaths[n], R_OK) == 0) {
				defnames[n] = defpaths[n];
				n++;
			}
		}
		names = defnames;
	}
	e->auth.key_names = names;
	e->auth.keys = calloc(n ? n : 1, sizeof(char *));
	e->auth.key_lens = calloc(n ? n : 1, sizeof(size_t));
	if (e->auth.keys == NULL || e->auth.key_lens == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < n; i++) {
		if ((r = load_key(names[i], &e->auth.keys[i],
		    &e->auth.key_lens[i])) != 0)
			return r;
		e->auth.nkeys++;
	}
	return IRMF_OK;
}

void
irmf_engine_keys_clear(engine *e)
{
	for (size_t i = 0; i < e->auth.nkeys; i++) {
		/* private key material: wipe before freeing */
		memset(e->auth.keys[i], 0, e->auth.key_lens[i]);
		free(e->auth.keys[i]);
	}
	free(e->auth.keys);
	free(e->auth.key_lens);
}
