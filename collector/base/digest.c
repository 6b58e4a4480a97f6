/*
 * digest.c - SHA-256 through OpenSSL's EVP, and hex (digest.h).  The
 * FNV-1a functions are inline in the header.
 */
#include <openssl/evp.h>

#include "digest.h"

int
irmf_sha256(const void *data, size_t n, unsigned char md[IRMF_SHA256_LEN])
{
	unsigned char full[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(data, n, full, &len, EVP_sha256(), NULL) != 1 ||
	    len != IRMF_SHA256_LEN)
		return irmf_error_set(IRMF_ERROR, "SHA-256 failed");
	for (unsigned i = 0; i < len; i++)
		md[i] = full[i];
	return IRMF_OK;
}

void
irmf_hex_encode(const unsigned char *md, size_t n, char *hex)
{
	static const char digit[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digit[md[i] >> 4];
		hex[2 * i + 1] = digit[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

int
irmf_sha256_hex(const void *data, size_t n, char hex[IRMF_SHA256_HEX])
{
	unsigned char md[IRMF_SHA256_LEN];
	int rc;

	if ((rc = irmf_sha256(data, n, md)) < 0)
		return rc;
	irmf_hex_encode(md, sizeof(md), hex);
	return IRMF_OK;
}
