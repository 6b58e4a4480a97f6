/*
 * plan.c - the per-role command plan of `irmfleet collect` (see plan.h
 * and docs/remote-commands.md, which lists the same commands).
 *
 * PowerShell items write their objects with Export-Clixml to a temporary
 * file and copy its bytes to stdout unchanged, so collect sees exactly
 * the UTF-16LE CLIXML an admin would export by hand and the import
 * parsers give identical snapshots for identical data.  Scripts stop at
 * the first error ($ErrorActionPreference = 'Stop'), which PowerShell
 * reports on stderr with exit status 1: a command failure, never a
 * half-written object.
 *
 * The first command of every plan that queries registry keys is the
 * existence check of those keys (ps_regexist_*): a German or French
 * reg.exe says "key not found" in words collect cannot match, and the
 * check lets collect tell an absent key from a failed query without
 * guessing translations (hostout.c, regexist.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "buf.h"
#include "error.h"
#include "irmfleet/snapshot.h"
#include "plan.h"
#include "str.h"

#define HKLM "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"

/* Common prelude: stop on errors, write CLIXML bytes to stdout. */
static const char ps_prelude[] =
    "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue'\n"
    "function Out-IrmfClixml($o){$f=[IO.Path]::GetTempFileName()\n"
    " try{@($o)|Export-Clixml -LiteralPath $f -Depth 2\n"
    "  $b=[IO.File]::ReadAllBytes($f);$s=[Console]::OpenStandardOutput()\n"
    "  $s.Write($b,0,$b.Length);$s.Flush()}\n"
    " finally{Remove-Item -LiteralPath $f -Force -EA SilentlyContinue}}\n";

/* Load the Exchange cmdlets as the Exchange Management Shell does. */
static const char ps_exchange[] =
    "if(-not(Get-Command Get-ExchangeServer -EA SilentlyContinue)){\n"
    " foreach($n in 'Microsoft.Exchange.Management.PowerShell.SnapIn',"
    "'Microsoft.Exchange.Management.PowerShell.E2010'){\n"
    "  if(Get-PSSnapin -Registered -Name $n -EA SilentlyContinue){"
    "Add-PSSnapin $n;break}}}\n";

static const char ps_irm_config[] =
    "Out-IrmfClixml (Get-IRMConfiguration)\n";

static const char ps_exchange_server[] =
    "Out-IrmfClixml (Get-ExchangeServer -Identity $env:COMPUTERNAME)\n";

/* The computer account and its token groups (AD's constructed
 * tokenGroups: nested groups and groups of other domains included), each
 * as DOMAIN\name with its own domain (the SID translated), which is what
 * the connector's authorization list shows.  Where tokenGroups cannot be
 * read, the direct memberships (memberOf) with Scope 'direct', so compare
 * can say "cannot tell" instead of "not authorized". */
static const char ps_groups[] =
    "$d=$env:USERDOMAIN;$a=\"$d\\$env:COMPUTERNAME`$\"\n"
    "$c=([adsisearcher]\"(&(objectCategory=computer)(sAMAccountName="
    "$env:COMPUTERNAME`$))\").FindOne()\n"
    "if(-not $c){throw \"computer account $a not found in AD\"}\n"
    "function N($b){$i=New-Object Security.Principal.SecurityIdentifier($b,0)\n"
    " try{$i.Translate([Security.Principal.NTAccount]).Value}"
    "catch{$i.Value}}\n"
    "$sc='token'\n"
    "try{$e=$c.GetDirectoryEntry();$e.RefreshCache([string[]]@('tokenGroups'))\n"
    " $g=@(foreach($b in $e.Properties['tokenGroups']){N $b})}\n"
    "catch{$sc='direct'\n"
    " $g=@(foreach($dn in $c.Properties['memberof']){"
    "N ([adsi]\"LDAP://$dn\").Properties['objectSid'][0]})}\n"
    "Out-IrmfClixml ([pscustomobject]@{PSTypeName='irmfleet.Groups';"
    "ComputerAccount=$a;Groups=$g;Scope=$sc})\n";

/* The security descriptor of MSIPC\Server (Exchange 2016/2019 from the
 * August 2023 SU on need NetworkService full control there for IRM with
 * AES256-CBC): Get-Acl only reads it.  A missing key is Sddl $null. */
static const char ps_msipc_acl[] =
    "$k='HKLM:\\SOFTWARE\\Microsoft\\MSIPC\\Server';$s=$null\n"
    "if(Test-Path -LiteralPath $k){$s=(Get-Acl -LiteralPath $k).Sddl}\n"
    "Out-IrmfClixml ([pscustomobject]@{PSTypeName='irmfleet.KeyAcl';"
    "Path='HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server';"
    "Sddl=$s})\n";

/* Probe every distinct http(s)://host the RMS registry values point at
 * that is not Microsoft RMS itself: the connector's test page answers any
 * authenticated GET.  On Exchange the MSDRM values hold the tenant URL
 * (*.aadrm.com ...), which the redirection keys send to the connector;
 * probing it from a server without direct internet access would report
 * a failure that is no fault (rules_util.c has the same domain list). */
static const char ps_probes[] =
    "$u=@();foreach($k in 'ExchangeServer\\v15\\IRM\\LicenseServerRedirection',"
    "'ExchangeServer\\v15\\IRM\\CertificationServerRedirection',"
    "'ExchangeServer\\v14\\IRM\\LicenseServerRedirection',"
    "'MSIPC\\ServiceLocation\\EnterpriseCertification',"
    "'MSIPC\\ServiceLocation\\EnterprisePublishing',"
    "'MSIPC\\ServiceLocation\\LicensingRedirection',"
    "'MSDRM\\ServiceLocation\\Activation',"
    "'MSDRM\\ServiceLocation\\EnterprisePublishing'){\n"
    " $i=Get-Item \"HKLM:\\SOFTWARE\\Microsoft\\$k\" -EA SilentlyContinue\n"
    " if($i){foreach($n in $i.GetValueNames()){"
    "if([string]$i.GetValue($n) -match '^https?://([^/:]+)[^/]*'){\n"
    "  if($Matches[1] -notmatch '(^|\\.)(aadrm|azurerms)\\.(com|us|cn)$'){"
    "$u+=$Matches[0]}}}}}\n"
    "$r=foreach($x in ($u|Sort-Object -Unique)){"
    "$t=\"$x/_wmcs/certification/servercertification.asmx\"\n"
    " try{$w=Invoke-WebRequest -Uri $t -UseBasicParsing "
    "-UseDefaultCredentials -TimeoutSec 15\n"
    "  $p=@{Result='http';StatusCode=[int]$w.StatusCode;Message=''}}\n"
    " catch [Net.WebException]{$e=$_.Exception\n"
    "  if($e.Response){$p=@{Result='http';"
    "StatusCode=[int]$e.Response.StatusCode;Message=$e.Message}}\n"
    "  else{$m=@{NameResolutionFailure='dns';ConnectFailure='connect';"
    "TrustFailure='tls';SecureChannelFailure='tls';Timeout='timeout'}\n"
    "   $s=$m[[string]$e.Status];if(-not $s){$s='other'}\n"
    "   $p=@{Result=$s;StatusCode=0;Message=$e.Message}}}\n"
    " [pscustomobject]@{PSTypeName='irmfleet.Probe';Url=$t;"
    "Result=$p.Result;StatusCode=$p.StatusCode;Message=$p.Message}}\n"
    "Out-IrmfClixml $r\n";

/* Registry key existence, asked of .NET rather than read from reg.exe's
 * localized messages: one "state<TAB>HKEY_LOCAL_MACHINE\key" line per key
 * (regexist.h).  OpenSubKey(name, $false) opens read-only and no value is
 * ever read (AADRM\Connector holds the connector's secrets); the 64-bit
 * view is the one reg.exe of a 64-bit Windows shows, and PowerShell 2
 * (.NET 2, no OpenBaseKey) falls back to the default view.  The lines go
 * to stdout as UTF-8 bytes, bypassing the console code page. */
static const char ps_regexist_head[] =
    "# registry key existence only: each key is opened read-only and "
    "closed, no value is read\n"
    "try{$b=[Microsoft.Win32.RegistryKey]::OpenBaseKey('LocalMachine',"
    "'Registry64')}catch{$b=[Microsoft.Win32.Registry]::LocalMachine}\n"
    "$t=foreach($n in @(";
static const char ps_regexist_tail[] =
    ")){try{$s=$b.OpenSubKey($n,$false)\n"
    "  if($null -eq $s){$r='absent'}else{$s.Close();$r='present'}}\n"
    " catch{$x=$_.Exception;while($x.InnerException){$x=$x.InnerException}\n"
    "  if($x -is [Security.SecurityException] -or $x -is "
    "[UnauthorizedAccessException]){$r='denied'}else{$r='error'}}\n"
    " \"$r`tHKEY_LOCAL_MACHINE\\$n`n\"}\n"
    "$y=[Text.Encoding]::UTF8.GetBytes(-join $t)\n"
    "$o=[Console]::OpenStandardOutput();$o.Write($y,0,$y.Length);$o.Flush()\n";

int
irmf_plan_encode_ps(const char *script, char **out)
{
	size_t n = strlen(script), i;
	unsigned char *u16 = NULL;
	irmf_buf b64 = IRMF_BUF_INIT;

	*out = NULL;
	if ((u16 = malloc(2 * n + 1)) == NULL)
		return irmf_error_oom();
	for (i = 0; i < n; i++) {
		u16[2 * i] = (unsigned char)script[i];
		u16[2 * i + 1] = 0;
	}
	irmf_buf_add_base64(&b64, u16, 2 * n);
	free(u16);
	return (*out = irmf_buf_take(&b64)) != NULL ? IRMF_OK : IRMF_ENOMEM;
}

void
irmf_plan_free(irmf_plan *plan)
{
	if (plan == NULL)
		return;
	for (size_t i = 0; i < plan->ncmds; i++) {
		free(plan->cmds[i].item);
		free(plan->cmds[i].command);
		free((char *)plan->cmds[i].script);
		free(plan->cmds[i].input);
	}
	free(plan->cmds);
	free(plan);
}

static int
add_cmd(irmf_plan *p, const char *item, const char *command,
    const char *script, const char *fmt)
{
	irmf_plan_cmd *c;
	irmf_plan_cmd *n = realloc(p->cmds, (p->ncmds + 1) * sizeof(*n));

	if (n == NULL)
		return irmf_error_oom();
	p->cmds = n;
	c = &p->cmds[p->ncmds];
	memset(c, 0, sizeof(*c));
	c->format = fmt;
	c->item = irmf_strdup(item);
	c->command = irmf_strdup(command);
	c->script = irmf_strdup(script);
	p->ncmds++;
	if (c->item == NULL || c->command == NULL ||
	    (script != NULL && c->script == NULL))
		return IRMF_ENOMEM;
	return IRMF_OK;
}

static int
add_reg(irmf_plan *p, const char *key, const char *args)
{
	char item[512], cmd[512];

	snprintf(item, sizeof(item), "registry:%s", key);
	snprintf(cmd, sizeof(cmd), "reg query \"%s\"%s%s", key,
	    args[0] ? " " : "", args);
	return add_cmd(p, item, cmd, NULL, "regquery");
}

/* prelude + body, encoded into a powershell.exe command line. */
static int
add_ps(irmf_plan *p, const char *item, const char *body)
{
	static const char exe[] =
	    "powershell.exe -NoProfile -NonInteractive -EncodedCommand ";
	char *script = NULL, *b64 = NULL, *cmd = NULL;
	size_t n = strlen(ps_prelude) + strlen(body) + 1;
	int r;

	if ((script = malloc(n)) == NULL)
		return irmf_error_oom();
	snprintf(script, n, "%s%s", ps_prelude, body);
	if ((r = irmf_plan_encode_ps(script, &b64)) != 0)
		goto out;
	n = sizeof(exe) + strlen(b64);
	if ((cmd = malloc(n)) == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	snprintf(cmd, n, "%s%s", exe, b64);
	r = add_cmd(p, item, cmd, script, "clixml");
out:
	free(script);
	free(b64);
	free(cmd);
	return r;
}

/* MSIPC's folder: InstallLocation under MSIPC\CurrentVersion, since its
 * name is translated on localized Windows ("Cliente 2.1 de Active
 * Directory Rights Management Services"); the English default when the
 * value is missing. */
static const char ps_msipc_dir[] =
    "$m=(Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\MSIPC\\"
    "CurrentVersion' -EA SilentlyContinue).InstallLocation\n"
    "if(-not $m){$m=\"$env:ProgramFiles\\Active Directory Rights "
    "Management Services Client 2.1\"}\n";

/* File versions: the RMS client binaries each role relies on. */
static int
add_files(irmf_plan *p, unsigned roles)
{
	char body[2048];
	size_t nf = 0;
	const char *fails[IRMF_PLAN_MAX_ITEMS] = { NULL };
	int r;

	snprintf(body, sizeof(body), "%s$p=@(\"$env:windir\\System32\\"
	    "msdrm.dll\"", (roles & IRMF_ROLE_SHAREPOINT) ? ps_msipc_dir : "");
	fails[nf++] = "file:msdrm.dll";
	if (roles & IRMF_ROLE_EXCHANGE) {
		strncat(body, ",(Join-Path \"$env:ExchangeInstallPath\" "
		    "'Bin\\ExSetup.exe')", sizeof(body) - strlen(body) - 1);
		fails[nf++] = "file:ExSetup.exe";
	}
	if (roles & IRMF_ROLE_SHAREPOINT) {
		strncat(body, ",(Join-Path $m 'msipc.dll')",
		    sizeof(body) - strlen(body) - 1);
		fails[nf++] = "file:msipc.dll";
	}
	strncat(body, ")\nOut-IrmfClixml @($p|Where-Object{Test-Path "
	    "-LiteralPath $_}|ForEach-Object{(Get-Item -LiteralPath $_)."
	    "VersionInfo})\n", sizeof(body) - strlen(body) - 1);
	if ((r = add_ps(p, "files", body)) != 0)
		return r;
	memcpy(p->cmds[p->ncmds - 1].fail_items, fails, sizeof(fails));
	return IRMF_OK;
}

/* Web Server Extensions\14.0 (SharePoint 2010), 15.0 (2013), 16.0 (2016
 * and later): the Version value the configuration tool itself tests. */
static int
add_sharepoint_versions(irmf_plan *p)
{
	static const char *const vers[] = { "14.0", "15.0", "16.0" };
	char key[160];
	int r = IRMF_OK;

	for (size_t i = 0; i < 3 && r == IRMF_OK; i++) {
		snprintf(key, sizeof(key), HKLM "Shared Tools\\Web Server "
		    "Extensions\\%s", vers[i]);
		r = add_reg(p, key, "/v Version");
	}
	return r;
}

/*
 * The connector's events, newest first, in separate queries by event ID:
 * the list refresh 1004 is logged 96 times a day and a failing node logs
 * 3001 as often, while 1002 is logged only when an account first
 * connects.  One query for all of them would fill its cap with 1004s and
 * lose the 1002s the rules need; per query the cap (and so the window it
 * covered, recorded by irmf_evtxml_parse_query) is the group's own.
 * 1000 (service started) goes with 1002: a 1002 window that reaches back
 * to the last start holds every server that connected since.
 */
static const char *const event_groups[][2] = {
	{ "events:access", "1000 1001 1002 1003" },
	{ "events:refresh", "1004" },
	{ "events:problems", "2000 2001 2002 2003 3000 3001" },
};

static int
add_events(irmf_plan *p, unsigned cap)
{
	for (size_t g = 0; g < sizeof(event_groups) / sizeof(event_groups[0]);
	    g++) {
		char cmd[512], xp[256] = "";
		const char *ids = event_groups[g][1];
		irmf_plan_cmd *c;
		int r;

		for (const char *q = ids; *q != '\0'; q += strspn(q, " ")) {
			size_t n = strcspn(q, " ");
			snprintf(xp + strlen(xp), sizeof(xp) - strlen(xp),
			    "%sEventID=%.*s", xp[0] ? " or " : "", (int)n, q);
			q += n;
		}
		snprintf(cmd, sizeof(cmd), "wevtutil qe Application "
		    "/q:\"*[System[Provider[@Name='Microsoft RMS connector'] "
		    "and (%s)]]\" /f:xml /rd:true /c:%u", xp, cap);
		if ((r = add_cmd(p, event_groups[g][0], cmd, NULL,
		    "evtxml")) != 0)
			return r;
		c = &p->cmds[p->ncmds - 1];
		/* a failure of any of them leaves the events incomplete */
		c->fail_items[0] = "events";
		c->event_ids = ids;
		c->event_cap = cap;
	}
	return IRMF_OK;
}

static int
build(irmf_plan *p, unsigned roles, unsigned events)
{
	bool server = roles & (IRMF_ROLE_EXCHANGE | IRMF_ROLE_SHAREPOINT |
	    IRMF_ROLE_FCI);
	char body[4096];
	int r = IRMF_OK;

	if (server) {
		if ((r = add_reg(p, HKLM "MSDRM\\ServiceLocation", "/s")) != 0 ||
		    (r = add_reg(p, HKLM "MSIPC\\ServiceLocation", "/s")) != 0 ||
		    (r = add_reg(p, HKLM "MSIPC\\CurrentVersion", "/s")) != 0)
			return r;
	}
	if (roles & IRMF_ROLE_SHAREPOINT &&
	    ((r = add_reg(p, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\"
	    "Microsoft\\MSIPC\\ServiceLocation", "/s")) != 0 ||
	    (r = add_sharepoint_versions(p)) != 0))
		return r;
	if (roles & IRMF_ROLE_EXCHANGE) {
		/* the Setup keys tell Exchange 2010 (v14) from 2013+ (v15)
		 * and carry the build of the last full install */
		if ((r = add_reg(p, HKLM "ExchangeServer\\v15\\IRM", "/s")) != 0 ||
		    (r = add_reg(p, HKLM "ExchangeServer\\v14\\IRM", "/s")) != 0 ||
		    (r = add_reg(p, HKLM "ExchangeServer\\v15\\Setup", "")) != 0 ||
		    (r = add_reg(p, HKLM "ExchangeServer\\v14\\Setup", "")) != 0)
			return r;
		snprintf(body, sizeof(body), "%s%s", ps_exchange, ps_irm_config);
		if ((r = add_ps(p, "irm-config", body)) != 0)
			return r;
		snprintf(body, sizeof(body), "%s%s", ps_exchange,
		    ps_exchange_server);
		if ((r = add_ps(p, "exchange-server", body)) != 0 ||
		    (r = add_ps(p, IRMF_PLAN_MSIPC_ACL_ITEM, ps_msipc_acl)) != 0)
			return r;
	}
	if (server) {
		if ((r = add_files(p, roles)) != 0 ||
		    (r = add_ps(p, "groups", ps_groups)) != 0 ||
		    (r = add_ps(p, "probes", ps_probes)) != 0)
			return r;
	}
	if (roles & IRMF_ROLE_CONNECTOR) {
		/* only the proxy setting: the key also holds the connector's
		 * DPAPI-protected tokens, which must never leave the server */
		if ((r = add_reg(p, HKLM "AADRM\\Connector",
		    "/v ProxyAddress")) != 0)
			return r;
		r = add_events(p, events);
	}
	return r;
}

/* Test-IRMConfiguration as an admin exports it (docs/import-formats.md:
 * "Results : ..." of Format-List), wide enough that PowerShell does not
 * wrap it, written to stdout as UTF-8 bytes. */
static const char ps_irm_test_fmt[] =
    "$t=Test-IRMConfiguration -Sender '%s'|Format-List Results|"
    "Out-String -Width 4096\n"
    "$y=[Text.Encoding]::UTF8.GetBytes($t)\n"
    "$o=[Console]::OpenStandardOutput();$o.Write($y,0,$y.Length);$o.Flush()\n";

bool
irmf_plan_sender_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	size_t n = s ? strlen(s) : 0;

	if (at == NULL || at == s || at[1] == '\0' || n > 254 ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (const char *p = s; *p; p++) {
		bool local = p < at;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '@' || (local && (*p == '_' || *p == '+')))
			continue;
		return false;
	}
	return true;
}

int
irmf_plan_add_irm_test(irmf_plan *p, const char *sender)
{
	char body[1024], test[512];
	int r;

	if (!(p->roles & IRMF_ROLE_EXCHANGE))
		return irmf_error_set(IRMF_EUSAGE, "plan: Test-IRMConfiguration "
		    "runs on Exchange servers only");
	if (!irmf_plan_sender_ok(sender))
		return irmf_error_set(IRMF_EUSAGE, "plan: '%s' is not a plain "
		    "SMTP address for Test-IRMConfiguration -Sender",
		    sender ? sender : "");
	snprintf(test, sizeof(test), ps_irm_test_fmt, sender);
	snprintf(body, sizeof(body), "%s%s", ps_exchange, test);
	if ((r = add_ps(p, "irm-test", body)) != 0)
		return r;
	p->cmds[p->ncmds - 1].format = "irmtest-text";
	return IRMF_OK;
}

#define HKLM_ROOT "HKEY_LOCAL_MACHINE\\"

/* Append 'key' (below HKLM, single quotes doubled) to the key list. */
static int
append_key(char *body, size_t cap, const char *key, bool first)
{
	size_t len = strlen(body);

	if (strncmp(key, HKLM_ROOT, sizeof(HKLM_ROOT) - 1) != 0)
		return irmf_error_set(IRMF_ERROR, "plan: key '%s' is not "
		    "under HKEY_LOCAL_MACHINE", key);
	key += sizeof(HKLM_ROOT) - 1;
	if (len + strlen(key) * 2 + 4 >= cap)
		return irmf_error_set(IRMF_ELIMIT, "plan: too many registry "
		    "keys for the existence check");
	if (!first)
		body[len++] = ',';
	body[len++] = '\'';
	for (; *key; key++) {
		if (*key == '\'')
			body[len++] = '\'';
		body[len++] = *key;
	}
	body[len++] = '\'';
	body[len] = '\0';
	return IRMF_OK;
}

/* Put the existence check of every queried key first in the plan. */
static int
add_regexist(irmf_plan *p)
{
	char body[4096];
	irmf_plan_cmd c;
	bool any = false;
	int r;

	snprintf(body, sizeof(body), "%s", ps_regexist_head);
	for (size_t i = 0; i < p->ncmds; i++) {
		if (strcmp(p->cmds[i].format, "regquery") != 0)
			continue;
		if ((r = append_key(body, sizeof(body), p->cmds[i].item +
		    strlen("registry:"), !any)) != 0)
			return r;
		any = true;
	}
	if (!any)
		return IRMF_OK;
	if (strlen(body) + sizeof(ps_regexist_tail) > sizeof(body))
		return irmf_error_set(IRMF_ELIMIT, "plan: too many registry "
		    "keys for the existence check");
	strcat(body, ps_regexist_tail);
	if ((r = add_ps(p, IRMF_PLAN_REGEXIST_ITEM, body)) != 0)
		return r;
	c = p->cmds[p->ncmds - 1];
	c.format = "regexist";
	memmove(&p->cmds[1], &p->cmds[0], (p->ncmds - 1) * sizeof(c));
	p->cmds[0] = c;
	return IRMF_OK;
}

int
irmf_plan_build(irmf_plan **out, unsigned roles, unsigned event_count)
{
	irmf_plan *p;
	int r;

	*out = NULL;
	if ((roles & 15u) == 0 || roles > 15u)
		return irmf_error_set(IRMF_EUSAGE, "plan: no role given");
	if (event_count == 0 || event_count > 1000000)
		return irmf_error_set(IRMF_EUSAGE,
		    "plan: event count %u out of range (1..1000000)",
		    event_count);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return irmf_error_oom();
	p->roles = roles;
	if ((r = build(p, roles, event_count)) != 0 ||
	    (r = add_regexist(p)) != 0) {
		irmf_plan_free(p);
		return r;
	}
	*out = p;
	return IRMF_OK;
}
