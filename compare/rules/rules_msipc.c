/*
 * rules_msipc.c - checks of the MSIPC client's per-server state that are
 * not ServiceLocation URLs (rules.c holds the table):
 *
 *  - the HKLM\SOFTWARE\Microsoft\MSIPC\Server ACL Exchange 2016/2019 need
 *    from the August 2023 security update on (AES256-CBC protected
 *    content, KB 5030208): NetworkService with full control, container
 *    and object inherit.  It is the check CSS-Exchange's HealthChecker
 *    makes (Get-ExchangeAES256CBCDetails.ps1), including its severity:
 *    red when internal licensing is on, yellow otherwise.  The build
 *    decides whether the server needs it: ExSetup.exe's file version
 *    carries the security update, Get-ExchangeServer's build does not;
 *  - the Wow6432Node copies of the MSIPC ServiceLocation keys, which
 *    32-bit processes read: Microsoft's migration script writes both, so
 *    every value that exists there must equal its 64-bit twin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* ------------------------------------------------------ MSIPC\Server */

#define K_MSIPC_SERVER "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server"
#define ACL_ITEM "acl:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server"
#define ACL_SETTING "acl:" K_MSIPC_SERVER

/* Is field f (n bytes) of an ACE one of the SIDs of NetworkService? */
static bool
sid_is_network_service(const char *f, size_t n)
{
	return (n == 2 && strncasecmp(f, "NS", 2) == 0) ||
	    (n == 8 && strncmp(f, "S-1-5-20", 8) == 0);
}

/* KEY_ALL_ACCESS: "KA", or 983103 written as a number. */
static bool
rights_full(const char *f, size_t n)
{
	char buf[24];
	char *end;
	unsigned long v;

	if (n == 2 && strncasecmp(f, "KA", 2) == 0)
		return true;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, f, n);
	buf[n] = '\0';
	v = strtoul(buf, &end, 0);
	return *end == '\0' && (v & 0xF003Fu) == 0xF003Fu;
}

/* Does the flags field hold the two-letter flag fl? */
static bool
has_flag(const char *f, size_t n, const char *fl)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		if (strncasecmp(f + i, fl, 2) == 0)
			return true;
	return false;
}

/* Split "(type;flags;rights;guid;iguid;sid...)" contents into fields. */
static size_t
ace_fields(const char *s, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t k = 0, start = 0;

	for (size_t i = 0; i <= n && k < max; i++)
		if (i == n || s[i] == ';') {
			f[k] = s + start;
			fl[k++] = i - start;
			start = i + 1;
		}
	return k;
}

/* 1 if the DACL grants NetworkService full control to the key and its
 * subkeys (allow, CI and OI, not inherit-only, propagated) and denies it
 * nothing; 0 if not; the SDDL's "D:" part is read, "S:" (SACL) ignored. */
static bool
sddl_ns_full_control(const char *sddl)
{
	const char *d = strstr(sddl, "D:"), *p;
	bool allow = false, deny = false;

	if (d == NULL)
		return false;
	for (p = d + 2; *p && !(p[0] == 'S' && p[1] == ':'); p++) {
		const char *f[8], *close;
		size_t fl[8], nf;

		if (*p != '(' || (close = strchr(p, ')')) == NULL)
			continue;
		nf = ace_fields(p + 1, (size_t)(close - p - 1), f, fl, 8);
		p = close;
		if (nf < 6 || !sid_is_network_service(f[5], fl[5]))
			continue;
		if (fl[0] == 1 && (f[0][0] == 'D' || f[0][0] == 'd')) {
			deny = true;
			continue;
		}
		if (fl[0] == 1 && (f[0][0] == 'A' || f[0][0] == 'a') &&
		    rights_full(f[2], fl[2]) && has_flag(f[1], fl[1], "CI") &&
		    has_flag(f[1], fl[1], "OI") &&
		    !has_flag(f[1], fl[1], "IO") &&
		    !has_flag(f[1], fl[1], "NP"))
			allow = true;
	}
	return allow && !deny;
}

typedef enum su_state {
	SU_NOT_NEEDED,   /* Exchange 2013, or a build before the Aug 2023 SU */
	SU_AFTER,
	SU_UNKNOWN
} su_state;

/* First build of each CU with the August 2023 security update (the first
 * release, "Aug23SU"; Aug23SUv2 came later): CSS-Exchange's build table
 * and Microsoft's build-numbers-and-release-dates. */
static const struct {
	unsigned minor, build, rev;
} aug23su[] = {
	{ 1, 2507, 31 },    /* Exchange 2016 CU23 */
	{ 2, 1118, 36 },    /* Exchange 2019 CU12 */
	{ 2, 1258, 23 },    /* Exchange 2019 CU13 */
};

/* Is the build (15.minor.build.rev) at or after the Aug 2023 SU?
 * exact: the version comes from ExSetup.exe, which carries the SU;
 * otherwise (Get-ExchangeServer) a CU that had the SU cannot tell. */
static su_state
su_of(const char *ver, bool exact)
{
	unsigned maj, minor, build, rev = 0;
	int n;

	if (ver == NULL || (n = sscanf(ver, "%u.%u.%u.%u", &maj, &minor,
	    &build, &rev)) < 3 || maj != 15)
		return SU_UNKNOWN;
	if (minor == 0)
		return SU_NOT_NEEDED;   /* Exchange 2013: not covered */
	if (minor > 2 || (minor == 2 && build >= 1544))
		return SU_AFTER;        /* Exchange 2019 CU14 on, SE */
	for (size_t i = 0; i < sizeof(aug23su) / sizeof(aug23su[0]); i++) {
		if (aug23su[i].minor != minor || aug23su[i].build != build)
			continue;
		if (n == 4 && rev >= aug23su[i].rev)
			return SU_AFTER;
		return exact && n == 4 ? SU_NOT_NEEDED : SU_UNKNOWN;
	}
	/* CUs without an Aug 2023 SU: the older ones never got it; a build
	 * between CU13 and CU14 does not exist, count it as after */
	if (minor == 2 && build > 1258)
		return SU_AFTER;
	return SU_NOT_NEEDED;
}

/* The server's build and where it came from. */
static su_state
server_su(const irmf_snapshot *s, const char **ver)
{
	const irmf_file_version *f = irmf_snapshot_file_find(s, "ExSetup.exe");

	if (f != NULL && f->version != NULL && f->version[0]) {
		*ver = f->version;
		return su_of(f->version, true);
	}
	*ver = s->product_build;
	return su_of(s->product_build, false);
}

static bool
internal_licensing(const irmf_snapshot *s)
{
	const irmf_prop *p = irmf_snapshot_prop_find(s,
	    "InternalLicensingEnabled");

	return p != NULL && !p->is_nil && p->value != NULL &&
	    strcasecmp(p->value, "True") == 0;
}

/* exchange-msipc-server-acl (want NULL) and its "cannot tell" twin
 * exchange-msipc-server-acl-build (want "unknown"). */
int
irmf_chk_msipc_server_acl(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	bool unknown_row = rule->want != NULL &&
	    strcmp(rule->want, "unknown") == 0;
	const irmf_key_acl *acl = irmf_snapshot_key_acl(s, K_MSIPC_SERVER);
	const irmf_collect_error *e;
	irmf_rule_info r;
	const char *ver = NULL;
	char dist[200];
	su_state su;

	if (acl == NULL) {
		e = irmf_snapshot_error_for(s, ACL_ITEM);
		if (e == NULL || unknown_row ||
		    server_su(s, &ver) == SU_NOT_NEEDED)
			return IRMF_OK;   /* not exported: nothing to say */
		return irmf_rule_not_collected(run, rule, s, ACL_SETTING, e);
	}
	if (acl->sddl != NULL && sddl_ns_full_control(acl->sddl))
		return IRMF_OK;
	su = server_su(s, &ver);
	if (su == SU_NOT_NEEDED || (su == SU_UNKNOWN) != unknown_row)
		return IRMF_OK;
	if (unknown_row) {
		snprintf(dist, sizeof(dist), "build %s%s", ver ? ver : "unknown",
		    ver ? " (from Get-ExchangeServer, which does not show "
		    "security updates)" : "");
		return irmf_rule_report(run, rule, s, ACL_SETTING,
		    acl->sddl ? acl->sddl : "(key absent)",
		    "NetworkService full control if the server has the August "
		    "2023 SU or later", dist);
	}
	/* as CSS-Exchange: red with internal licensing on, else yellow */
	r = *rule;
	if (!internal_licensing(s))
		r.severity = IRMF_SEV_WARNING;
	snprintf(dist, sizeof(dist), "build %s is the August 2023 SU or "
	    "later; InternalLicensingEnabled is %s", ver,
	    internal_licensing(s) ? "True" : "not True");
	return irmf_rule_report(run, &r, s, ACL_SETTING,
	    acl->sddl ? acl->sddl : "(key absent)",
	    "(A;CIOI;KA;;;NS): NetworkService full control, this key and "
	    "subkeys", dist);
}

/* ------------------------------------------------- Wow6432Node twins */

#define K_WOW_MSIPC_SL "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\" \
	"Microsoft\\MSIPC\\ServiceLocation"
#define WOW_PREFIX "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\"

/* Data of a value as text for comparing and showing. */
static const char *
value_text(const irmf_reg_value *v)
{
	if (v == NULL)
		return NULL;
	if (irmf_reg_type_is_string(v->type))
		return v->str ? v->str : "";
	if (v->type == IRMF_REG_MULTI_SZ)
		return v->nmulti > 0 ? v->multi[0] : "";
	return "";
}

/* URLs compare as elsewhere: case-insensitive, trailing '/' ignored. */
static bool
same_data(const char *a, const char *b)
{
	char *na = irmf_norm_url(a), *nb = irmf_norm_url(b);
	bool eq = na != NULL && nb != NULL && strcmp(na, nb) == 0;

	free(na);
	free(nb);
	return eq;
}

static int
wow_key(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const irmf_reg_key *wk)
{
	size_t pl = strlen(WOW_PREFIX);
	char twin[512], shown[512];
	const irmf_reg_key *tk;
	int rc = IRMF_OK;

	/* HKLM\SOFTWARE\Wow6432Node\X -> HKLM\SOFTWARE\X */
	snprintf(twin, sizeof(twin), "HKEY_LOCAL_MACHINE\\SOFTWARE\\%s",
	    wk->path + pl);
	tk = irmf_snapshot_reg_find(s, twin);
	/* settings spell the root HKLM, as the rules' key paths do */
	snprintf(shown, sizeof(shown), "HKLM\\%s",
	    wk->path + strlen("HKEY_LOCAL_MACHINE\\"));
	for (size_t i = 0; i < wk->nvalues && rc >= 0; i++) {
		const irmf_reg_value *v = &wk->values[i];
		const char *mine = value_text(v);
		const char *want = tk ? value_text(irmf_reg_key_find_value(tk,
		    v->name)) : NULL;
		char *setting;

		if (want != NULL && same_data(mine, want))
			continue;
		if ((setting = irmf_rule_reg_setting(shown, v->name)) == NULL)
			return IRMF_ENOMEM;
		rc = irmf_rule_report(run, rule, s, setting, mine,
		    want ? want : "(no such value in the 64-bit key)", NULL);
		free(setting);
	}
	return rc;
}

int
irmf_chk_msipc_wow64(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	size_t n = strlen(K_WOW_MSIPC_SL);
	int rc = IRMF_OK;

	for (size_t i = 0; i < s->nkeys && rc >= 0; i++) {
		const irmf_reg_key *k = &s->keys[i];
		if (strncasecmp(k->path, K_WOW_MSIPC_SL, n) != 0 ||
		    (k->path[n] != '\0' && k->path[n] != '\\'))
			continue;
		rc = wow_key(rule, run, s, k);
	}
	return rc;
}
