/*
 * explain.c - explanations and remediations of consensus findings
 * (explain.h), one row per setting-key pattern, first match wins, from
 * the connector documentation (facts in the Azure-RMSDocs connector pages
 * and GenConnectorConfig.ps1, summarised in docs/settings.md).
 *
 * The texts are about a *difference between servers*: the connector rules
 * (rules.c) say what the value should be; here we say why one server that
 * differs from its peers fails and how to make it match.
 */
#include <ctype.h>
#include <stdint.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdquote.h"
#include "documented.h"
#include "error.h"
#include "explain.h"
#include "normalize.h"
#include "settings.h"
#include "buf.h"

static const irmf_explain_row rows[] = {
	{ "reg:*\\exchangeserver\\v1?\\irm\\certificationserverredirection",
	  IRMF_SEV_ERROR, "the Exchange certification redirection",
	  "Exchange looks up this key for the tenant's certification URL "
	  "(value name = https://<tenant>, as in the MSDRM keys) and sends "
	  "the request to the URL in its data, the connector's load-balanced "
	  "name.  A server whose mapping differs goes straight to Azure RMS "
	  "or to another connector URL or scheme, so it cannot obtain server "
	  "certificates through the connector and IRM fails on it while its "
	  "peers work.",
	  "Make the key identical on every Exchange server (the server "
	  "configuration tool GenConnectorConfig.ps1 {switch} writes it); if "
	  "the server was configured for AD RMS before, restart it "
	  "afterwards:" },
	{ "reg:*\\exchangeserver\\v1?\\irm\\licenseserverredirection",
	  IRMF_SEV_ERROR, "the Exchange licensing redirection",
	  "Exchange looks up this key for the tenant's licensing URL (value "
	  "name = https://<tenant>) and sends licensing requests to the "
	  "connector URL in its data; fleets migrated from AD RMS carry extra "
	  "values mapping the old AD RMS licensing URLs, which must be the "
	  "same on every server too.  A server whose mapping differs cannot "
	  "get use licenses through the connector: protected mail fails to "
	  "open in OWA, to be decrypted by transport or journaling, or to be "
	  "indexed, on that server only.",
	  "Make the key identical on every Exchange server (the same values "
	  "as its peers; the AD RMS migration values are added by hand, not "
	  "by the configuration tool):" },
	{ "reg:*\\exchangeserver\\v1?\\irm\\*", IRMF_SEV_WARNING,
	  "an Exchange IRM registry value",
	  "Exchange reads its IRM redirection settings under this key; a "
	  "server configured differently from its peers behaves differently "
	  "when it protects or decrypts content.",
	  "Set the same value as its peers:" },
	{ "reg:*\\msdrm\\servicelocation\\activation\\*", IRMF_SEV_ERROR,
	  "the MSDRM activation (certification) location",
	  "The RMS client (MSDRM) certifies the server at this URL.  On "
	  "Exchange it is https://<tenant>/_wmcs/certification, which the "
	  "IRM redirection keys send to the connector; on SharePoint 2010 and "
	  "FCI file servers it is the connector URL + /_wmcs/certification.  "
	  "A server that differs is certified elsewhere (or not at all) and "
	  "cannot protect or open content.",
	  "Set the same URL as its peers, then restart the server if it was "
	  "configured for AD RMS before (FCI file servers always):" },
	{ "reg:*\\msdrm\\servicelocation\\enterprisepublishing\\*",
	  IRMF_SEV_ERROR, "the MSDRM publishing (licensing) location",
	  "The RMS client (MSDRM) publishes and licenses content at this URL: "
	  "on Exchange https://<tenant>/_wmcs/licensing (redirected to the "
	  "connector), on SharePoint 2010 and FCI the connector URL + "
	  "/_wmcs/licensing.  A server that differs (a classic mistake is "
	  "/_wmcs/certification here) cannot protect content or get use "
	  "licenses.",
	  "Set the same URL as its peers, then restart the server if it was "
	  "configured for AD RMS before:" },
	{ "reg:*\\msdrm\\*", IRMF_SEV_WARNING, "an MSDRM client setting",
	  "The RMS client (MSDRM) used by Exchange, SharePoint 2010 and FCI "
	  "reads its configuration here; a server configured differently "
	  "from its peers talks to a different RMS service.",
	  "Set the same value as its peers:" },
	{ "reg:*\\msipc\\servicelocation\\licensingredirection",
	  IRMF_SEV_ERROR, "the MSIPC licensing redirection",
	  "MSIPC (the RMS client 2.1 used by SharePoint 2013+ and by Exchange "
	  "2016/2019 for AES256-CBC content) maps the tenant licensing URL "
	  "(value name) to the connector's /_wmcs/licensing URL (data).  A "
	  "server whose mapping differs sends licensing requests past the "
	  "connector and cannot open protected documents.",
	  "Make the key identical on every server ({msipcvia}):" },
	{ "reg:*\\msipc\\servicelocation\\enterprisecertification\\*",
	  IRMF_SEV_ERROR, "the MSIPC certification location",
	  "MSIPC certifies the server at this URL, the connector URL + "
	  "/_wmcs/certification.  A server that differs is certified "
	  "elsewhere and cannot protect or open content through the "
	  "connector.",
	  "Set the same URL as its peers:" },
	{ "reg:*\\msipc\\servicelocation\\enterprisepublishing\\*",
	  IRMF_SEV_ERROR, "the MSIPC publishing location",
	  "MSIPC publishes content at this URL, the connector URL + "
	  "/_wmcs/licensing.  A server that differs cannot protect "
	  "documents through the connector.",
	  "Set the same URL as its peers:" },
	{ "reg:*\\msipc\\currentversion\\*", IRMF_SEV_WARNING,
	  "the MSIPC client version",
	  "The connector needs MSIPC 2.1 version 1.0.2004.0 or later on "
	  "SharePoint 2013+; a server with a different client version than "
	  "its peers may lack fixes the others have.",
	  "Install the same (latest) RMS client 2.1 as its peers (Microsoft "
	  "Download Center, id 38396)." },
	{ "reg:*\\msipc\\*", IRMF_SEV_WARNING, "an MSIPC client setting",
	  "MSIPC (RMS client 2.1) reads its configuration here; a server "
	  "configured differently from its peers talks to a different RMS "
	  "service.",
	  "Set the same value as its peers:" },
	{ "reg:*\\aadrm\\connector\\proxyaddress", IRMF_SEV_ERROR,
	  "the connector's web proxy",
	  "A connector node reaches Azure RMS through this proxy; a node "
	  "whose proxy differs from the other nodes may fail to download the "
	  "authorization list (event 3001) or to forward requests, so "
	  "requests that the load balancer sends to it fail.",
	  "Set the same proxy as the other nodes, then restart the server or "
	  "run iisreset:" },
	{ "reg:*", IRMF_SEV_WARNING, "a registry value",
	  "Servers of one role should have the same RMS settings; a server "
	  "configured differently behaves differently.",
	  "Set the same value as its peers:" },
	{ "irm:internallicensingenabled", IRMF_SEV_ERROR,
	  "InternalLicensingEnabled",
	  "IRM for internal messages is on only where this is True; the "
	  "connector deployment needs it True.  Get-IRMConfiguration is "
	  "organization-wide, so servers that disagree read it from domain "
	  "controllers that have not converged, or were collected at "
	  "different times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:clientaccessserverenabled", IRMF_SEV_ERROR,
	  "ClientAccessServerEnabled",
	  "OWA and Exchange ActiveSync open protected mail only where this "
	  "is True; the connector deployment needs it True.  The setting is "
	  "organization-wide: a difference between servers means AD "
	  "replication has not converged or the snapshots are of different "
	  "times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:externallicensingenabled", IRMF_SEV_WARNING,
	  "ExternalLicensingEnabled",
	  "Where this is True, Exchange also licenses IRM for messages sent "
	  "to external recipients; the connector troubleshooting guidance "
	  "expects False.  The setting is organization-wide: servers that "
	  "disagree read it from domain controllers that have not converged, "
	  "or were collected at different times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:ediscoverysuperuserenabled", IRMF_SEV_WARNING,
	  "EDiscoverySuperUserEnabled",
	  "Lets eDiscovery searches read protected messages; the connector "
	  "deployment expects True.  Organization-wide: a difference between "
	  "servers means AD replication has not converged or the snapshots "
	  "are of different times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:transportdecryptionsetting", IRMF_SEV_WARNING,
	  "TransportDecryptionSetting",
	  "Decides whether transport (journaling, transport rules, "
	  "anti-malware) may or must decrypt protected messages (Disabled, "
	  "Optional, Mandatory); servers that disagree process the same "
	  "message differently.  Organization-wide: a difference means AD "
	  "replication has not converged or the snapshots are of different "
	  "times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:*location", IRMF_SEV_WARNING, "an RMS location of the IRM "
	  "configuration",
	  "ServiceLocation, PublishingLocation and LicensingLocation name the "
	  "RMS service Exchange uses; in a working connector deployment they "
	  "show the Microsoft RMS (tenant) URL.  Organization-wide: a "
	  "difference means AD replication has not converged or the snapshots "
	  "are of different times.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm:*", IRMF_SEV_WARNING, "an IRM configuration property",
	  "Get-IRMConfiguration is organization-wide, so every server should "
	  "see the same value; a difference means the servers read it from "
	  "domain controllers that have not converged, or were collected at "
	  "different times, and IRM behaves differently depending on which "
	  "server handles a message.",
	  "Set it once for the organization and let AD replicate:" },
	{ "irm-test:*", IRMF_SEV_ERROR, "the Test-IRMConfiguration result",
	  "Test-IRMConfiguration walks through certification, templates and "
	  "licensing from this server; a server on which it fails while its "
	  "peers pass has a server-specific problem (redirection keys, "
	  "authorization at the connector, DRM cache, name resolution).",
	  "Run Test-IRMConfiguration -Sender <mailbox> on that server and "
	  "fix the first failing step; compare its redirection keys with a "
	  "working peer's." },
	{ "file:msdrm.dll", IRMF_SEV_WARNING, "the msdrm.dll version",
	  "The connector needs an RMS client (MSDRM) capable of "
	  "cryptographic mode 2 (6.0.6002.22761+ on Windows Server 2008, "
	  "6.1.7600.17000+ on 2008 R2, any 6.2+); a server whose msdrm.dll "
	  "differs from its peers may lack that support or other fixes.",
	  "Bring the server to the same Windows updates as its peers (KB "
	  "2627272 / KB 2627273 for Windows Server 2008 / 2008 R2)." },
	{ "file:msipc.dll", IRMF_SEV_WARNING, "the msipc.dll version",
	  "SharePoint 2013+ needs MSIPC 2.1 version 1.0.2004.0 or later; a "
	  "server whose client differs from its peers may lack fixes they "
	  "have.",
	  "Install the same (latest) RMS client 2.1 as its peers (Microsoft "
	  "Download Center, id 38396)." },
	/* info: servers of one product line at different CUs are common
	 * during a rolling update; the minimum builds are rules */
	{ "file:exsetup.exe", IRMF_SEV_INFO, "the Exchange build",
	  "Exchange servers at different builds handle IRM differently "
	  "(Exchange 2013 needs CU3+, 2010 SP3 RU6+, and 2016/2019 after the "
	  "August 2023 SU need the MSIPC\\Server ACL); a server behind its "
	  "peers is the usual suspect.",
	  "Update the server to the same cumulative and security update as "
	  "its peers." },
	{ "file:*", IRMF_SEV_WARNING, "a file version",
	  "Servers of one role should run the same binaries; a different "
	  "version may lack fixes its peers have.",
	  "Update the server to the same version as its peers." },
	{ "identity:groups", IRMF_SEV_WARNING,
	  "the computer account's group memberships",
	  "The connector authorizes servers by account or group; Exchange "
	  "servers should all be authorized by the same rule (usually one "
	  "security group).  A server in different groups from its peers may "
	  "be authorized by another rule or by none (event 2001 on the "
	  "connector).",
	  "Add the server's computer account to the same groups as its "
	  "peers (Add-ADGroupMember -Identity <group> -Members <SERVER>$), "
	  "then restart it or purge its Kerberos tickets "
	  "(klist -li 0x3e7 purge)." },
	{ "*", IRMF_SEV_WARNING, "a setting",
	  "Servers of one role should have the same RMS-related "
	  "configuration; a server configured differently behaves "
	  "differently.",
	  "Make the setting the same as on its peers." },
};

const irmf_explain_row *
irmf_explain_table(size_t *n)
{
	*n = sizeof(rows) / sizeof(rows[0]);
	return rows;
}

const irmf_explain_row *
irmf_explain_lookup(const char *key)
{
	char *lk = irmf_lower(key);
	const irmf_explain_row *r = &rows[sizeof(rows) / sizeof(rows[0]) - 1];

	if (lk == NULL)
		return r;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fnmatch(rows[i].pattern, lk, FNM_NOESCAPE) == 0) {
			r = &rows[i];
			break;
		}
	free(lk);
	return r;
}

/* ------------------------------------------------------------ commands */

/*
 * A fix is rendered for cmd.exe (reg add / reg delete) when every key,
 * value name and datum it carries can be quoted for cmd (cmdquote.h);
 * otherwise the whole fix is rendered again for PowerShell, with the
 * values as single-quoted literals and the registry reached through
 * [Microsoft.Win32.Registry] (no provider paths, so no wildcards to
 * escape).  A line whose values not even PowerShell can carry (control
 * characters, line breaks) says to set it by hand, in words that are
 * harmless in either shell.
 */
typedef struct cb {
	irmf_buf b;
	bool ps;        /* rendering for PowerShell */
	bool need_ps;   /* a value had no safe cmd form: render again, ps */
	irmf_remedy *r; /* what to fix, and what was kept */
} cb;

#define PS_HEADER "# PowerShell (as administrator): a value holds " \
	"characters that cmd.exe would interpret, so these lines are for " \
	"PowerShell only"
#define BY_HAND "# Set by hand with regedit, as on its peers: a value " \
	"holds control characters or line breaks that no pasted command can " \
	"carry safely"

/* A cmd argument, or mark the fix as needing PowerShell. */
static void
cb_quoted(cb *c, const char *s)
{
	if (!irmf_cmd_arg(&c->b, s))
		c->need_ps = true;
}

static void
cb_value_name(cb *c, const char *name)
{
	if (name[0] == '\0') {
		irmf_buf_add(&c->b, " /ve");
		return;
	}
	irmf_buf_add(&c->b, " /v ");
	cb_quoted(c, name);
}

/* REG_MULTI_SZ data for reg.exe, which separates entries with a literal
 * \0: an entry holding \0 itself or ending in a backslash (which would
 * run into the separator) has no cmd form. */
static void
cb_multi(cb *c, const irmf_reg_value *v)
{
	irmf_buf m = IRMF_BUF_INIT;

	for (size_t i = 0; i < v->nmulti; i++) {
		size_t l = strlen(v->multi[i]);
		if (strstr(v->multi[i], "\\0") != NULL ||
		    (l > 0 && v->multi[i][l - 1] == '\\'))
			c->need_ps = true;
		if (i > 0)
			irmf_buf_add(&m, "\\0");
		irmf_buf_add(&m, v->multi[i]);
	}
	cb_quoted(c, m.p ? m.p : "");
	if (m.err)
		c->b.err = m.err;
	free(m.p);
}

static void
cmd_reg_add(cb *c, const char *disp, const irmf_reg_value *v)
{
	irmf_buf *b = &c->b;
	char num[32];

	irmf_buf_add(b, "reg add ");
	cb_quoted(c, disp);
	cb_value_name(c, v->name);
	irmf_buf_add(b, " /t ");
	irmf_buf_add(b, irmf_reg_type_name(v->type));
	irmf_buf_add(b, " /d ");
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		cb_quoted(c, v->str ? v->str : "");
		break;
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v->num);
		irmf_buf_add(b, num);
		break;
	case IRMF_REG_MULTI_SZ:
		cb_multi(c, v);
		break;
	default:
		for (size_t i = 0; i < v->nbin; i++) {
			snprintf(num, sizeof(num), "%02x", v->bin[i]);
			irmf_buf_add(b, num);
		}
		break;
	}
	irmf_buf_add(b, " /f");
}

/* "[Microsoft.Win32.Registry]::LocalMachine" for "HKLM\...", with *sub
 * pointing after the root's backslash; NULL for a root it does not know
 * or a path without a subkey. */
static const char *
ps_hive(const char *disp, const char **sub)
{
	static const struct { const char *a, *b, *prop; } roots[] = {
		{ "HKLM", "HKEY_LOCAL_MACHINE", "LocalMachine" },
		{ "HKCU", "HKEY_CURRENT_USER", "CurrentUser" },
		{ "HKCR", "HKEY_CLASSES_ROOT", "ClassesRoot" },
		{ "HKU", "HKEY_USERS", "Users" },
		{ "HKCC", "HKEY_CURRENT_CONFIG", "CurrentConfig" },
	};
	const char *bs = strchr(disp, '\\');
	size_t rl = bs ? (size_t)(bs - disp) : 0;

	if (bs == NULL || bs[1] == '\0')
		return NULL;
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if ((strlen(roots[i].a) == rl &&
		    strncasecmp(disp, roots[i].a, rl) == 0) ||
		    (strlen(roots[i].b) == rl &&
		    strncasecmp(disp, roots[i].b, rl) == 0)) {
			*sub = bs + 1;
			return roots[i].prop;
		}
	return NULL;
}

/* "[Microsoft.Win32.Registry]::LocalMachine.<method>('sub'" into l. */
static bool
ps_key_call(irmf_buf *l, const char *disp, const char *method)
{
	const char *sub = NULL, *hive = ps_hive(disp, &sub);

	if (hive == NULL)
		return false;
	irmf_buf_printf(l, "[Microsoft.Win32.Registry]::%s.%s(", hive, method);
	return irmf_ps_str(l, sub);
}

/* The data of v as a PowerShell expression and its RegistryValueKind;
 * false for types .NET cannot write or data PowerShell cannot carry. */
static bool
ps_data(irmf_buf *l, const irmf_reg_value *v)
{
	bool ok = true;

	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
		ok = irmf_ps_str(l, v->str ? v->str : "");
		irmf_buf_add(l, v->type == IRMF_REG_SZ ? ", 'String'" :
		    ", 'ExpandString'");
		return ok;
	case IRMF_REG_DWORD:
		/* .NET takes a DWORD as Int32: the same 32 bits, signed */
		irmf_buf_printf(l, "[int32]%ld, 'DWord'",
		    (long)(int32_t)(uint32_t)v->num);
		return true;
	case IRMF_REG_QWORD:
		irmf_buf_printf(l, "[int64]%lld, 'QWord'",
		    (long long)(int64_t)v->num);
		return true;
	case IRMF_REG_MULTI_SZ:
		irmf_buf_add(l, "[string[]]@(");
		for (size_t i = 0; i < v->nmulti && ok; i++) {
			if (i > 0)
				irmf_buf_add(l, ", ");
			ok = irmf_ps_str(l, v->multi[i]);
		}
		irmf_buf_add(l, "), 'MultiString'");
		return ok;
	case IRMF_REG_BINARY:
		irmf_buf_add(l, "[byte[]]@(");
		for (size_t i = 0; i < v->nbin; i++)
			irmf_buf_printf(l, "%s0x%02x", i ? "," : "", v->bin[i]);
		irmf_buf_add(l, "), 'Binary'");
		return true;
	default:
		return false;
	}
}

/* Append line l (or, when !ok, the set-by-hand line) as one line of the
 * PowerShell fix. */
static void
ps_line(cb *c, irmf_buf *l, bool ok)
{
	if (c->b.n > 0)
		irmf_buf_add(&c->b, "\n");
	if (l->err)
		c->b.err = l->err;
	irmf_buf_add(&c->b, ok ? l->p : BY_HAND);
	irmf_buf_free(l);
}

static void
cb_reg_add(cb *c, const char *disp, const irmf_reg_value *v)
{
	irmf_buf l = IRMF_BUF_INIT;
	bool ok;

	if (!c->ps) {
		if (c->b.n > 0)
			irmf_buf_add(&c->b, "\n");
		cmd_reg_add(c, disp, v);
		return;
	}
	ok = ps_key_call(&l, disp, "CreateSubKey");
	irmf_buf_add(&l, ").SetValue(");
	ok = ok && irmf_ps_str(&l, v->name);
	irmf_buf_add(&l, ", ");
	ok = ok && ps_data(&l, v);
	irmf_buf_add(&l, ")");
	ps_line(c, &l, ok);
}

/* Create key disp (no values). */
static void
cb_reg_add_key(cb *c, const char *disp)
{
	irmf_buf l = IRMF_BUF_INIT;
	bool ok;

	if (!c->ps) {
		irmf_buf_add(&c->b, c->b.n > 0 ? "\nreg add " : "reg add ");
		cb_quoted(c, disp);
		irmf_buf_add(&c->b, " /f");
		return;
	}
	ok = ps_key_call(&l, disp, "CreateSubKey");
	irmf_buf_add(&l, ").Close()");
	ps_line(c, &l, ok);
}

/* Delete value name ("" = the default value) of key disp. */
static void
cb_reg_delete_value(cb *c, const char *disp, const char *name)
{
	irmf_buf l = IRMF_BUF_INIT;
	bool ok;

	if (!c->ps) {
		irmf_buf_add(&c->b, c->b.n > 0 ? "\nreg delete " :
		    "reg delete ");
		cb_quoted(c, disp);
		cb_value_name(c, name);
		irmf_buf_add(&c->b, " /f");
		return;
	}
	ok = ps_key_call(&l, disp, "OpenSubKey");
	irmf_buf_add(&l, ", $true).DeleteValue(");
	ok = ok && irmf_ps_str(&l, name);
	irmf_buf_add(&l, ", $false)");
	ps_line(c, &l, ok);
}

/* Equal as consensus compares them: URLs in their canonical form (case
 * and one trailing '/' do not count), other strings exactly. */
static bool
same_string(const char *a, const char *b)
{
	size_t sa, la, sb, lb;
	bool fa, fb;

	if (!irmf_is_url(a) || !irmf_is_url(b))
		return strcmp(a, b) == 0;
	irmf_norm_url_span(a, &sa, &la, &fa);
	irmf_norm_url_span(b, &sb, &lb, &fb);
	return la == lb && strncasecmp(a + sa, b + sb, la) == 0;
}

/* Do two values hold the same type and data (names aside)? */
static bool
same_value(const irmf_reg_value *a, const irmf_reg_value *b)
{
	if (a->type != b->type)
		return false;
	if (irmf_reg_type_is_string(a->type))
		return same_string(a->str ? a->str : "", b->str ? b->str : "");
	if (irmf_reg_type_is_number(a->type))
		return a->num == b->num;
	if (a->type == IRMF_REG_MULTI_SZ) {
		if (a->nmulti != b->nmulti)
			return false;
		for (size_t i = 0; i < a->nmulti; i++)
			if (strcmp(a->multi[i], b->multi[i]) != 0)
				return false;
		return true;
	}
	return a->nbin == b->nbin &&
	    (a->nbin == 0 || memcmp(a->bin, b->bin, a->nbin) == 0);
}

/* Delete value v of key disp unless the documentation prescribes it for
 * the server's cohort: then it stays and is counted (the caller says the
 * peers are the ones to look at). */
static void
delete_unless_documented(cb *c, const char *disp, const irmf_reg_value *v)
{
	if (irmf_documented_for(c->r->cohort, disp, v->name)) {
		c->r->kept++;
		return;
	}
	cb_reg_delete_value(c, disp, v->name);
}

/*
 * A key compared as a whole (a redirection key: a set of name => data
 * mappings), fixed value by value, never by deleting the key: the values
 * the model has and the server lacks (or holds with other data) are
 * added, the server's values the model lacks are deleted one by one
 * (unless documented for its generation).  With remove, the model is the
 * server that has the key its peers lack: its values are deleted one by
 * one, the key itself stays.
 */
static void
reg_key_command(cb *c, const char *disp, const irmf_reg_key *k)
{
	const irmf_reg_key *mine = c->r->mine ?
	    irmf_snapshot_reg_find(c->r->mine, disp) : NULL;
	size_t before = c->b.n;

	if (c->r->remove) {
		for (size_t i = 0; i < k->nvalues; i++)
			delete_unless_documented(c, disp, &k->values[i]);
		return;
	}
	for (size_t i = 0; i < k->nvalues; i++) {
		const irmf_reg_value *have = mine ?
		    irmf_reg_key_find_value(mine, k->values[i].name) : NULL;
		if (have == NULL || !same_value(have, &k->values[i]))
			cb_reg_add(c, disp, &k->values[i]);
	}
	for (size_t i = 0; mine != NULL && i < mine->nvalues; i++)
		if (irmf_reg_key_find_value(k, mine->values[i].name) == NULL)
			delete_unless_documented(c, disp, &mine->values[i]);
	if (c->b.n == before && k->nvalues == 0 && mine == NULL)
		cb_reg_add_key(c, disp);
}

/* Find the key or value the setting key names in model and write the
 * command; false if model has neither. */
static bool
reg_command(cb *c, const char *key, const irmf_snapshot *model)
{
	const char *want = key + 4;   /* after "reg:" */

	for (size_t i = 0; i < model->nkeys; i++) {
		const irmf_reg_key *k = &model->keys[i];
		char *disp = irmf_reg_display_path(k->path);
		size_t dl;
		bool done = false;

		if (disp == NULL)
			return false;
		dl = strlen(disp);
		if (strcasecmp(want, disp) == 0) {
			reg_key_command(c, disp, k);
			done = true;
		} else if (strncasecmp(want, disp, dl) == 0 &&
		    want[dl] == '\\') {
			const char *name = want + dl + 1;
			const irmf_reg_value *v = irmf_reg_key_find_value(k,
			    irmf_setting_value_name(name));
			if (v != NULL && c->r->remove) {
				delete_unless_documented(c, disp, v);
				done = true;
			} else if (v != NULL) {
				cb_reg_add(c, disp, v);
				done = true;
			}
		}
		free(disp);
		if (done)
			return true;
	}
	return false;
}

static const char *const settable_props[] = {
	"ClientAccessServerEnabled", "EDiscoverySuperUserEnabled",
	"ExternalLicensingEnabled", "InternalLicensingEnabled",
	"JournalReportDecryptionEnabled", "LicensingLocation",
	"SearchEnabled", "TransportDecryptionSetting", NULL
};

/* Set-IRMConfiguration with the model's value, strings as PowerShell
 * literals (the property name is ours, from settable_props). */
static bool
irm_command(cb *c, const char *key, const irmf_snapshot *model)
{
	const irmf_prop *p = irmf_snapshot_prop_find(model, key + 4);
	const char *name = NULL;
	irmf_buf l = IRMF_BUF_INIT;
	bool ok = true;

	if (p == NULL)
		return false;
	for (size_t i = 0; settable_props[i]; i++)
		if (strcasecmp(settable_props[i], p->name) == 0)
			name = settable_props[i];
	if (name == NULL)
		return false;
	irmf_buf_printf(&l, "Set-IRMConfiguration -%s ", name);
	if (p->is_nil) {
		irmf_buf_add(&l, "$null");
	} else if (p->type == IRMF_PROP_LIST || p->type == IRMF_PROP_URI_LIST) {
		if (p->nitems == 0)
			irmf_buf_add(&l, "$null");
		for (size_t i = 0; i < p->nitems && ok; i++) {
			if (i > 0)
				irmf_buf_add(&l, ",");
			ok = irmf_ps_str(&l, p->items[i]);
		}
	} else if (p->type == IRMF_PROP_BOOL) {
		irmf_buf_add(&l, p->value && strcasecmp(p->value, "true") == 0 ?
		    "$true" : "$false");
	} else {
		ok = irmf_ps_str(&l, p->value ? p->value : "");
	}
	ps_line(c, &l, ok);
	return true;
}

int
irmf_remedy_command(const char *key, irmf_remedy *r, char **out)
{
	cb c = { IRMF_BUF_INIT, false, false, r };
	bool ok = false;

	*out = NULL;
	r->kept = 0;
	if (r->model == NULL)
		return IRMF_OK;
	if (strncasecmp(key, "reg:", 4) == 0) {
		ok = reg_command(&c, key, r->model);
		if (ok && c.need_ps) {
			/* some value has no safe cmd form: all of it for
			 * PowerShell, so one shell runs the whole fix */
			irmf_buf_free(&c.b);
			c.ps = true;
			r->kept = 0;
			irmf_buf_add(&c.b, PS_HEADER);
			ok = reg_command(&c, key, r->model);
		}
	} else if (strncasecmp(key, "irm:", 4) == 0 && !r->remove) {
		ok = irm_command(&c, key, r->model);
	}
	if (c.b.err) {
		free(c.b.p);
		return c.b.err;
	}
	if (!ok || c.b.n == 0 || (c.ps && strcmp(c.b.p, PS_HEADER) == 0)) {
		free(c.b.p);
		return IRMF_OK;
	}
	*out = c.b.p;
	return IRMF_OK;
}
