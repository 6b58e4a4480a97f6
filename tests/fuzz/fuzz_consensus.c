/*
 * fuzz_consensus.c - libFuzzer target for the comparison engine
 * (compare/core/consensus.c, explain.c, compare.c with the rules) and its text
 * and JSON reporters.  The bytes describe a small fleet: a few servers,
 * roles, registry values (paths, names, types and data drawn from a small
 * alphabet of realistic pieces, so that values collide, differ only by
 * case, slash or scheme), IRM properties, file versions and collection
 * errors.  Invariants: analysis succeeds; every finding has a setting, an
 * explanation and a remediation; a split has no server, other consensus
 * findings have one; both reports render.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct rd {
	const uint8_t *p;
	size_t n;
} rd;

static unsigned
take(rd *r, unsigned mod)
{
	unsigned v;

	if (r->n == 0)
		return 0;
	v = *r->p++;
	r->n--;
	return v % mod;
}

static const char *const paths[] = {
	"HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation",
	"HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\EnterprisePublishing",
	"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\CertificationServerRedirection",
	"HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection",
	"HKLM\\SOFTWARE\\Microsoft\\AADRM\\Connector",
	"HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion",
};
static const char *const names[] = { "", "https://t.rms.aadrm.com",
	"HTTPS://T.rms.aadrm.com/", "/_wmcs/licensing", "ProxyAddress" };
static const char *const datas[] = { "https://rmscon.contoso.com",
	"http://rmscon.contoso.com", "HTTPS://RmsCon.contoso.com/",
	"https://t.rms.aadrm.com/_wmcs/certification",
	"https://t.rms.aadrm.com/_wmcs/Licensing", "", "a \"quoted\\\" value\\",
	"\xc3\xa9t\xc3\xa9" };
static const char *const versions[] = { "6.3.9600.17415", "6.03.9600.17415",
	"10.0.17763.1", "garbage", "1.0.2004.0" };
static const char *const items[] = { "host", "registry:HKLM\\SOFTWARE\\Microsoft\\MSDRM",
	"irm-config", "file:msdrm.dll", "groups", "events" };
static const irmf_reg_type types[] = { IRMF_REG_SZ, IRMF_REG_EXPAND_SZ,
	IRMF_REG_DWORD, IRMF_REG_MULTI_SZ, IRMF_REG_BINARY };

static irmf_snapshot *
server(rd *r, unsigned idx)
{
	static const unsigned roles[] = { IRMF_ROLE_EXCHANGE,
		IRMF_ROLE_SHAREPOINT, IRMF_ROLE_FCI, IRMF_ROLE_CONNECTOR, 0 };
	irmf_snapshot *s;
	char name[16];
	unsigned nvals = take(r, 12);

	snprintf(name, sizeof(name), "SRV%02u", idx);
	if (irmf_snapshot_new(&s, name) < 0)
		return NULL;
	s->roles = roles[take(r, 5)];
	for (unsigned i = 0; i < nvals; i++) {
		irmf_reg_key *k;
		irmf_reg_type t = types[take(r, 5)];
		const char *nm = names[take(r, 5)], *d = datas[take(r, 8)];
		if (irmf_snapshot_reg_key(s, paths[take(r, 7)], &k) < 0)
			continue;
		if (t == IRMF_REG_DWORD)
			irmf_reg_key_set_num(k, nm, t, take(r, 3));
		else if (t == IRMF_REG_MULTI_SZ) {
			char *m[2] = { (char *)d, (char *)datas[take(r, 8)] };
			irmf_reg_key_set_multi(k, nm, m, 2);
		} else if (t == IRMF_REG_BINARY)
			irmf_reg_key_set_bin(k, nm, t, (const unsigned char *)d,
			    strlen(d));
		else
			irmf_reg_key_set_sz(k, nm, t, d);
	}
	if (take(r, 2)) {
		s->has_irm_config = true;
		irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
		    IRMF_PROP_BOOL, take(r, 2) ? "True" : "false", false);
	}
	if (take(r, 2))
		irmf_snapshot_file_set(s, "msdrm.dll", NULL,
		    versions[take(r, 5)]);
	if (take(r, 4) == 0)
		irmf_snapshot_add_error(s, items[take(r, 6)],
		    (irmf_collect_reason)take(r, 6), take(r, 2) ? "denied" : NULL);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd r = { data, size };
	irmf_result res;
	unsigned n = 1 + take(&r, 6);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&res, 0, sizeof(res));
	for (unsigned i = 0; i < n; i++) {
		irmf_snapshot *s = server(&r, i);
		if (s == NULL || irmf_fleet_add(&res.fleet, s, NULL) < 0)
			goto out;
	}
	if (irmf_result_analyze(&res, IRMF_ANALYZE_ALL) < 0)
		abort();
	for (size_t i = 0; i < res.findings.n; i++) {
		const irmf_finding *x = &res.findings.items[i];
		if (x->setting == NULL || x->explanation == NULL ||
		    x->remediation == NULL || x->explanation[0] == '\0' ||
		    x->remediation[0] == '\0')
			abort();
		if (x->rule_id == NULL && (x->kind == IRMF_FIND_SPLIT) !=
		    (x->server == NULL))
			abort();
	}
	if ((f = open_memstream(&buf, &len)) == NULL)
		goto out;
	if (irmf_report_text(&res, f, IRMF_REPORT_COLOR) < 0 ||
	    irmf_report_json(&res, f, 0) < 0)
		abort();
	fclose(f);
	free(buf);
out:
	irmf_result_clear(&res);
	return 0;
}
