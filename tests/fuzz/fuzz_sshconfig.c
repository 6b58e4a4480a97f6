/*
 * fuzz_sshconfig.c - libFuzzer target for the OpenSSH client
 * configuration reader (collector/remote/sshconfig.c): the file is the
 * admin's, outside input.  Any bytes must parse or fail cleanly; a parsed
 * configuration's lookups must give values that passed the checks (ports
 * 1..65535, ProxyJump values that split into hops).  Inputs with an
 * Include are skipped: it reads files of the machine, which would make
 * runs depend on it (test_sshconfig.c covers Include).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sshconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_host(const irmf_sshcfg *c, const char *name)
{
	irmf_sshcfg_host h;
	irmf_sshcfg_hop *hops;
	irmf_sshcfg_tokens t = { "/home/u", "u", name, "r", name, 22 };
	size_t n;
	char *s;

	if (irmf_sshcfg_lookup(c, name, &h) != 0)
		return;
	if (h.port.value != NULL && (atoi(h.port.value) < 1 ||
	    atoi(h.port.value) > 65535))
		abort();
	if (h.proxyjump.value != NULL) {
		if (irmf_sshcfg_parse_jumps(h.proxyjump.value, "x", &hops, &n)
		    != 0)
			abort();   /* checked when read: must split now */
		irmf_sshcfg_hops_free(hops, n);
	}
	for (size_t i = 0; i < h.nidentity; i++)
		if (irmf_sshcfg_expand(h.identity[i].value, &t, false, "x",
		    &s) == 0)
			free(s);
	if (h.hostname.value != NULL &&
	    irmf_sshcfg_expand(h.hostname.value, &t, true, "x", &s) == 0)
		free(s);
	irmf_sshcfg_host_clear(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "ex01", "sp01.contoso.com",
	    "", "EX99", "a*b" };
	irmf_sshcfg *c = NULL;
	irmf_sshcfg_env env = { "/nonexistent", "/nonexistent/.ssh" };

	for (size_t i = 0; i + 7 <= size; i++)
		if (strncasecmp((const char *)data + i, "include", 7) == 0)
			return 0;
	if (irmf_sshcfg_parse(&c, (const char *)data, size, "fuzz", &env) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_host(c, names[i]);
	irmf_sshcfg_free(c);
	return 0;
}
