/*
 * digest.h - the hashes of the library, one copy each: SHA-256 (through
 * OpenSSL's EVP) for the sources of a snapshot,
 * the history store's content key and SSH key fingerprints, and FNV-1a
 * (64-bit) for the in-memory hash tables (registry keys, consensus keys,
 * the store's canonical form, repeated findings).  FNV-1a is inline: the
 * registry key index hashes every path of a hive dump.
 */
#ifndef IRMF_DIGEST_H
#define IRMF_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define IRMF_SHA256_LEN 32
#define IRMF_SHA256_HEX (2 * IRMF_SHA256_LEN + 1)

/* SHA-256 of data[0..n); IRMF_ERROR with the error set if OpenSSL fails. */
int irmf_sha256(const void *data, size_t n, unsigned char md[IRMF_SHA256_LEN]);
/* The same as lower-case hex. */
int irmf_sha256_hex(const void *data, size_t n, char hex[IRMF_SHA256_HEX]);
/* Lower-case hex of a finished digest. */
void irmf_hex_encode(const unsigned char *md, size_t n, char *hex);

/* The reference offset basis; the five copies this replaces had lost its
 * last digit (1469598103934665603), harmless for their tables but not
 * FNV-1a.  Nothing stores or prints these hashes: they place entries. */
#define IRMF_FNV1A_INIT 14695981039346656037ULL
#define IRMF_FNV1A_PRIME 1099511628211ULL

/* FNV-1a of the bytes of s (NULL: none), continued from h. */
static inline uint64_t
irmf_fnv1a(uint64_t h, const char *s)
{
	for (; s != NULL && *s; s++) {
		h ^= (unsigned char)*s;
		h *= IRMF_FNV1A_PRIME;
	}
	return h;
}

/* FNV-1a of s with ASCII letters folded to lower case, for tables whose
 * keys compare case-insensitively (strcasecmp). */
static inline uint64_t
irmf_fnv1a_ci(const char *s)
{
	uint64_t h = IRMF_FNV1A_INIT;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h ^= c;
		h *= IRMF_FNV1A_PRIME;
	}
	return h;
}

#endif
