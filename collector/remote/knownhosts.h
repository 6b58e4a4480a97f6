/*
 * knownhosts.h - strict host-key checking against an OpenSSH known_hosts
 * file, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes it and ssh
 * checks it: comma-separated host patterns with '*', '?' and '!'
 * negation, "[host]:port", hashed "|1|salt|hash" names, "@revoked" and
 * "@cert-authority" markers.  Malformed lines are skipped (counted), as
 * ssh does.  A host that only a @cert-authority line covers is reported
 * as such: irmfleet does not check host certificates, so never trusts it.
 *
 * Trust on first use (--accept-new) appends one line per new host under an
 * exclusive flock(2) of the file, after re-reading it, with a single
 * O_APPEND write: several irmfleet runs (or ssh itself) may append at the
 * same time without losing or duplicating lines, and a key another process
 * recorded meanwhile is respected, not overwritten.
 */
#ifndef IRMF_KNOWNHOSTS_H
#define IRMF_KNOWNHOSTS_H

#include <stddef.h>

typedef struct irmf_knownhosts irmf_knownhosts;

typedef enum irmf_kh_result {
	IRMF_KH_MATCH = 0,    /* a recorded key for host[:port] matches */
	IRMF_KH_UNKNOWN,      /* no key of this type recorded for the host */
	IRMF_KH_CHANGED,      /* a different key of this type is recorded */
	IRMF_KH_REVOKED,      /* the key is listed as @revoked */
	IRMF_KH_OTHER_TYPE,   /* only keys of other types are recorded: a
	                       * change too, as for ssh */
	IRMF_KH_CA_ONLY       /* only a @cert-authority line names the host */
} irmf_kh_result;

/* Load path; a missing file is an empty list (the first --accept-new run
 * creates it). */
int irmf_knownhosts_load(irmf_knownhosts **out, const char *path);
void irmf_knownhosts_free(irmf_knownhosts *kh);

/* keytype is a LIBSSH2_HOSTKEY_TYPE_* value; key is the raw key blob as
 * libssh2_session_hostkey() returns it. */
int irmf_knownhosts_check(irmf_knownhosts *kh, const char *host, int port,
    int keytype, const unsigned char *key, size_t keylen,
    irmf_kh_result *res);

/* The key types recorded for host[:port] (unmarked lines), in file order,
 * into types[0..max) (pointers valid while kh lives); returns how many.
 * ssh offers these host-key algorithms first, so that a server with
 * several keys shows the recorded one. */
size_t irmf_knownhosts_types(const irmf_knownhosts *kh, const char *host,
    int port, const char **types, size_t max);

/* Record host[:port] -> key (see above).  Fails with IRMF_EHOSTKEY if
 * another writer recorded a different key for the host meanwhile. */
int irmf_knownhosts_add(irmf_knownhosts *kh, const char *host, int port,
    int keytype, const unsigned char *key, size_t keylen);

/* Lines that were not understood and skipped. */
size_t irmf_knownhosts_skipped(const irmf_knownhosts *kh);
const char *irmf_knownhosts_path(const irmf_knownhosts *kh);

/* "ssh-ed25519", "ecdsa-sha2-nistp256" ... for a LIBSSH2_HOSTKEY_TYPE_*. */
const char *irmf_knownhosts_type_name(int keytype);

/* OpenSSH-style fingerprint "SHA256:<base64 without padding>" of a key
 * blob, into buf (at least 64 bytes). */
void irmf_knownhosts_fingerprint(const unsigned char *key, size_t keylen,
    char *buf, size_t cap);

#endif
