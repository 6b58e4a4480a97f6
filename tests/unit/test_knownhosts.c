/*
 * test_knownhosts.c - host-key checking against OpenSSH known_hosts
 * (collector/remote/knownhosts.c): plain, hashed and [host]:port entries,
 * changed and revoked keys, skipped lines, and trust-on-first-use appends
 * that stay correct when several processes append at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libssh2.h>
#include <openssl/evp.h>

#include "testutil.h"
#include "knownhosts.h"
#include "error.h"

/* The public halves of the fixture's keys a..e (see PROVENANCE.md). */
static const char *const b64keys[] = {
	"AAAAC3NzaC1lZDI1NTE5AAAAIPesGr+3U1YNz9Lliu8d3LUJhBeFQL2gTV4Sn5PqeaVy",
	"AAAAC3NzaC1lZDI1NTE5AAAAIIWf0V68C452HK+xIvOIE7iTcgyiNo9kGa2K4R2TxgqL",
	"AAAAC3NzaC1lZDI1NTE5AAAAIHuE3dsHWyVqdY+gAZ6t4g1UNfUJFZLj3Bt1po1c6/yo",
	"AAAAC3NzaC1lZDI1NTE5AAAAIByLIJmXmJvFJdNL/DppYzxX7hcVstqh9mXf49ZQxMCR",
	"AAAAC3NzaC1lZDI1NTE5AAAAIMB7pEwnhJpCmqaiTvZM6HkLvRyeC/J+9Qfcto6+sjmL",
};

typedef struct key {
	unsigned char b[64];
	size_t n;
} key;

static key
K(int i)
{
	key k;
	int n = EVP_DecodeBlock(k.b, (const unsigned char *)b64keys[i],
	    (int)strlen(b64keys[i]));

	assert_true(n > 0);
	k.n = 51;   /* ed25519 blob: 4+11+4+32, EVP pads to a multiple of 3 */
	return k;
}

static irmf_kh_result
check(irmf_knownhosts *kh, const char *host, int port, int ki)
{
	key k = K(ki);
	irmf_kh_result res;

	assert_int_equal(irmf_knownhosts_check(kh, host, port,
	    LIBSSH2_HOSTKEY_TYPE_ED25519, k.b, k.n, &res), 0);
	return res;
}

static void
test_fixture_entries(void **state)
{
	irmf_knownhosts *kh;

	(void)state;
	assert_int_equal(irmf_knownhosts_load(&kh,
	    tu_fixture_path("knownhosts/known_hosts")), 0);
	assert_int_equal(irmf_knownhosts_skipped(kh), 1);
	assert_int_equal(check(kh, "host1", 22, 0), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "10.0.0.1", 22, 0), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "host1", 22, 1), IRMF_KH_CHANGED);
	assert_int_equal(check(kh, "host9", 22, 0), IRMF_KH_UNKNOWN);
	/* [host]:port entries apply to that port only */
	assert_int_equal(check(kh, "host2", 2222, 1), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "host2", 2222, 0), IRMF_KH_CHANGED);
	assert_int_equal(check(kh, "host2", 22, 1), IRMF_KH_UNKNOWN);
	/* hashed entries */
	assert_int_equal(check(kh, "host3", 22, 2), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "host3", 22, 0), IRMF_KH_CHANGED);
	assert_int_equal(check(kh, "host4", 2200, 3), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "host4", 2201, 3), IRMF_KH_UNKNOWN);
	/* @revoked wins over everything */
	assert_int_equal(check(kh, "host1", 22, 4), IRMF_KH_REVOKED);
	/* the @cert-authority line was not taken as a host entry, and a host
	 * it alone covers is told apart (we do not check certificates) */
	assert_int_equal(check(kh, "ex.contoso.com", 22, 0), IRMF_KH_CA_ONLY);
	irmf_knownhosts_free(kh);
}

static void
test_fingerprint(void **state)
{
	char fp[80];
	key k = K(0);

	(void)state;
	irmf_knownhosts_fingerprint(k.b, k.n, fp, sizeof(fp));
	/* what `ssh-keygen -lf a.pub` prints for key a */
	assert_int_equal(strncmp(fp, "SHA256:", 7), 0);
	assert_int_equal(strlen(fp), 7 + 43);
	assert_null(strchr(fp, '='));
}

static void
test_accept_new_appends(void **state)
{
	char *dir = tu_tempdir();
	char path[512];
	irmf_knownhosts *kh, *again, *other;
	key a = K(0), b = K(1);

	(void)state;
	/* the directory (like ~/.ssh) does not exist yet */
	snprintf(path, sizeof(path), "%s/ssh/known_hosts", dir);
	assert_int_equal(irmf_knownhosts_load(&kh, path), 0);
	assert_int_equal(irmf_knownhosts_load(&other, path), 0);
	assert_int_equal(check(kh, "127.0.0.2", 2201, 0), IRMF_KH_UNKNOWN);
	assert_int_equal(irmf_knownhosts_add(kh, "127.0.0.2", 2201,
	    LIBSSH2_HOSTKEY_TYPE_ED25519, a.b, a.n), 0);
	assert_int_equal(check(kh, "127.0.0.2", 2201, 0), IRMF_KH_MATCH);
	/* adding again does not duplicate the line */
	assert_int_equal(irmf_knownhosts_add(kh, "127.0.0.2", 2201,
	    LIBSSH2_HOSTKEY_TYPE_ED25519, a.b, a.n), 0);
	/* a second writer with a stale view must not record another key */
	assert_int_equal(irmf_knownhosts_add(other, "127.0.0.2", 2201,
	    LIBSSH2_HOSTKEY_TYPE_ED25519, b.b, b.n), IRMF_EHOSTKEY);
	assert_int_equal(irmf_knownhosts_add(kh, "plainhost", 22,
	    LIBSSH2_HOSTKEY_TYPE_ED25519, b.b, b.n), 0);
	/* what was written is what OpenSSH writes, and reads back */
	assert_int_equal(irmf_knownhosts_load(&again, path), 0);
	assert_int_equal(check(again, "127.0.0.2", 2201, 0), IRMF_KH_MATCH);
	assert_int_equal(check(again, "plainhost", 22, 1), IRMF_KH_MATCH);
	assert_int_equal(irmf_knownhosts_skipped(again), 0);
	irmf_knownhosts_free(again);
	irmf_knownhosts_free(other);
	irmf_knownhosts_free(kh);
	{
		size_t len;
		char *text = tu_read_fixture(path, &len);

		assert_string_equal(text,
		    "[127.0.0.2]:2201 ssh-ed25519 "
		    "AAAAC3NzaC1lZDI1NTE5AAAAIPesGr+3U1YNz9Lliu8d3LUJhBeFQL2gTV4Sn5PqeaVy\n"
		    "plainhost ssh-ed25519 "
		    "AAAAC3NzaC1lZDI1NTE5AAAAIIWf0V68C452HK+xIvOIE7iTcgyiNo9kGa2K4R2TxgqL\n");
		free(text);
	}
	tu_rmtree(dir);
	free(dir);
}

/* An ECDSA key (the public half of a throw-away key, generated for this
 * test with ssh-keygen -t ecdsa -b 256). */
static const char ecdsa_b64[] =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBHqeZ5mWrC9SvYq0R7J"
    "+w1jqp08/kVEGZtih5C+TgDaUVt49KZOZA1CEZdkhN97A7bHe0+0aYXuwo+eFO3YUBY=";

/* sshd(8) SSH_KNOWN_HOSTS FILE FORMAT, as ssh applies it (checked against
 * ssh itself by tests/integration/test_knownhosts_conformance.sh) */
static void
test_patterns_and_markers(void **state)
{
	char *dir = tu_tempdir();
	char path[512];
	FILE *f;
	irmf_knownhosts *kh;
	const char *types[4];
	unsigned char ec[128];
	int eclen;

	(void)state;
	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "*.contoso.com,!bad.contoso.com ssh-ed25519 %s\n"
	    "ex0? ssh-ed25519 %s\n"
	    "EXCH1 ssh-ed25519 %s comment words\n"
	    "[10.0.0.*]:2222 ssh-ed25519 %s\n"
	    "@revoked ex05 ssh-ed25519 %s\n"
	    "rsaonly ecdsa-sha2-nistp256 %s\n"
	    "@cert-authority *.ca.example ssh-ed25519 %s\n"
	    "mixed.ca.example ssh-ed25519 %s\n"
	    "@unknown-marker ex07 ssh-ed25519 %s\n"
	    "ex08 ssh-ed25519 %s\n",
	    b64keys[0], b64keys[1], b64keys[2], b64keys[3], b64keys[0],
	    ecdsa_b64, b64keys[0], b64keys[1], b64keys[0], ecdsa_b64);
	fclose(f);
	assert_int_equal(irmf_knownhosts_load(&kh, path), 0);
	/* the last two lines: an unknown marker, a key not of its type */
	assert_int_equal(irmf_knownhosts_skipped(kh), 2);
	/* wildcards and negation: a negated match rules the line out */
	assert_int_equal(check(kh, "good.contoso.com", 22, 0), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "bad.contoso.com", 22, 0), IRMF_KH_UNKNOWN);
	assert_int_equal(check(kh, "contoso.com", 22, 0), IRMF_KH_UNKNOWN);
	assert_int_equal(check(kh, "ex01", 22, 1), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "ex012", 22, 1), IRMF_KH_UNKNOWN);
	assert_int_equal(check(kh, "ex06", 22, 0), IRMF_KH_CHANGED);
	/* @revoked applies to the hosts it names */
	assert_int_equal(check(kh, "ex05", 22, 0), IRMF_KH_REVOKED);
	/* names are compared in lower case */
	assert_int_equal(check(kh, "Exch1", 22, 2), IRMF_KH_MATCH);
	/* [pattern]:port */
	assert_int_equal(check(kh, "10.0.0.7", 2222, 3), IRMF_KH_MATCH);
	assert_int_equal(check(kh, "10.0.0.7", 22, 3), IRMF_KH_UNKNOWN);
	assert_int_equal(check(kh, "10.0.0.7", 2223, 3), IRMF_KH_UNKNOWN);
	/* a host known by another key type is a changed key, not a new one */
	assert_int_equal(check(kh, "rsaonly", 22, 0), IRMF_KH_OTHER_TYPE);
	eclen = EVP_DecodeBlock(ec, (const unsigned char *)ecdsa_b64,
	    (int)strlen(ecdsa_b64));
	assert_true(eclen > 1);
	{
		irmf_kh_result res;

		assert_int_equal(irmf_knownhosts_check(kh, "rsaonly", 22,
		    LIBSSH2_HOSTKEY_TYPE_ECDSA_256, ec, (size_t)eclen - 1,
		    &res), 0);
		assert_int_equal(res, IRMF_KH_MATCH);
	}
	assert_int_equal(irmf_knownhosts_types(kh, "rsaonly", 22, types, 4),
	    1);
	assert_string_equal(types[0], "ecdsa-sha2-nistp256");
	assert_int_equal(irmf_knownhosts_types(kh, "nobody", 22, types, 4), 0);
	/* @cert-authority alone is not trusted; with a key line it is moot */
	assert_int_equal(check(kh, "x.ca.example", 22, 0), IRMF_KH_CA_ONLY);
	assert_int_equal(check(kh, "mixed.ca.example", 22, 1), IRMF_KH_MATCH);
	irmf_knownhosts_free(kh);
	tu_rmtree(dir);
	free(dir);
}

#define WRITERS 8
#define PER_WRITER 25

static void
test_concurrent_appends(void **state)
{
	char *dir = tu_tempdir();
	char path[512], host[64];
	irmf_knownhosts *kh;
	pid_t pids[WRITERS];
	int status;

	(void)state;
	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			int bad = 0;

			key a = K(0);

			for (int i = 0; i < PER_WRITER; i++) {
				key k = K(i % 4);

				/* every writer also adds the shared host */
				snprintf(host, sizeof(host), "10.%d.0.%d", w, i);
				if (irmf_knownhosts_load(&kh, path) != 0) {
					free(dir);
					_exit(2);
				}
				bad |= irmf_knownhosts_add(kh, host, 22,
				    LIBSSH2_HOSTKEY_TYPE_ED25519, k.b, k.n);
				bad |= irmf_knownhosts_add(kh, "shared", 2022,
				    LIBSSH2_HOSTKEY_TYPE_ED25519, a.b, a.n);
				irmf_knownhosts_free(kh);
			}
			free(dir);
			_exit(bad ? 1 : 0);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(irmf_knownhosts_load(&kh, path), 0);
	assert_int_equal(irmf_knownhosts_skipped(kh), 0);
	for (int w = 0; w < WRITERS; w++)
		for (int i = 0; i < PER_WRITER; i++) {
			snprintf(host, sizeof(host), "10.%d.0.%d", w, i);
			assert_int_equal(check(kh, host, 22, i % 4),
			    IRMF_KH_MATCH);
		}
	irmf_knownhosts_free(kh);
	{
		size_t len, lines = 0;
		char *text = tu_read_fixture(path, &len);

		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		/* one line per host, the shared host exactly once */
		assert_int_equal(lines, WRITERS * PER_WRITER + 1);
		free(text);
	}
	tu_rmtree(dir);
	free(dir);
}

static void
test_unreadable_file(void **state)
{
	irmf_knownhosts *kh = NULL;

	(void)state;
	/* a directory cannot be read as a file */
	assert_int_not_equal(irmf_knownhosts_load(&kh, IRMF_FIXTURES), 0);
	irmf_knownhosts_free(kh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_entries),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_patterns_and_markers),
		cmocka_unit_test(test_accept_new_appends),
		cmocka_unit_test(test_concurrent_appends),
		cmocka_unit_test(test_unreadable_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
