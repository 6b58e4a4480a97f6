/*
 * rules_table.c - the connector documentation's rules as one table of
 * data: every row names the cohorts it applies to, a severity, the source
 * in the documentation (docs/rules.md cites it again for reviewers), a
 * check function (rules_registry.c, rules_irm.c, rules_connector.c,
 * rules_msipc.c, rules_org.c, rules_identity.c) with its parameters, and
 * the explanation and remediation text.  The texts are templates that
 * rules_report.c fills in with the fleet's own tenant URL, connector URL,
 * Exchange key version and account names, so the remediation is a command
 * the admin can run; a value that goes into a command is marked as one
 * argument, {"..."} for cmd.exe and {'...'} for a PowerShell literal, so
 * that it is quoted for that shell (syntax in rules_report.c).  The engine
 * that applies the table is rules.c.
 */
#include <stddef.h>

#include "rules_int.h"

/* Rows judged fleet-wide after the per-server checks (rules_org.c) have
 * nothing to check per server.  Defined here, not in rules_org.c, so the
 * table does not depend on the module that reads the table. */
int
irmf_chk_org_only(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	(void)rule;
	(void)run;
	(void)s;
	return IRMF_OK;
}

#define REM_GENCONFIG \
	"; or run the server configuration tool on this server (not on a " \
	"connector node): .\\GenConnectorConfig.ps1 -ConnectorUri {'{connector}'} " \
	"{exswitch}."

#define IDENTITY_WHY \
	"irmfleet could not establish which generation of the product " \
	"{server} runs, or its evidence contradicts itself (the value shows " \
	"what was found).  Exchange 2010 reads its IRM keys under v14 and " \
	"2013 or later under v15; SharePoint 2010 uses the MSDRM client and " \
	"2013 or later MSIPC.  Rather than guess, {server} was compared with " \
	"no peers, and the checks that depend on the generation (redirection " \
	"keys, client keys, minimum builds) were not done on it."

static const irmf_rule_info rule_table[] = {
	/* --------------------------------------------------------- identity */
	{ "exchange-identity", IRMF_RC_EXCHANGE_UNKNOWN, IRMF_SEV_WARNING,
	  "the Exchange generation (2010 or 2013+) is established from "
	  "evidence that agrees",
	  "GenConnectorConfig (tests ExchangeServer\\v14|v15\\Setup "
	  "MsiProductMajor); Exchange build numbers (ExSetup.exe)", NULL,
	  "ExSetup.exe version, ExchangeServer\\v14|v15\\Setup, "
	  "Get-ExchangeServer or IRM keys of one version",
	  irmf_chk_identity, IDENTITY_WHY,
	  "Export the evidence on {server} and import it with its other "
	  "files: reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15"
	  "\\Setup setup15.reg (on Exchange 2010 the v14\\Setup key), and "
	  "(Get-Command ExSetup.exe).FileVersionInfo | Export-Clixml "
	  "exsetup.xml.  If the sources contradict each other, find out "
	  "which is stale (an export from another server or an old one)." },
	{ "sharepoint-identity", IRMF_RC_SHAREPOINT_UNKNOWN, IRMF_SEV_WARNING,
	  "the SharePoint generation (2010 or 2013+) is established from "
	  "evidence that agrees",
	  "GenConnectorConfig (tests Shared Tools\\Web Server Extensions\\"
	  "14.0|15.0 Version)", NULL,
	  "Web Server Extensions\\14.0|15.0|16.0 Version, or client keys of "
	  "one kind (MSIPC or MSDRM)",
	  irmf_chk_identity, IDENTITY_WHY,
	  "Export the evidence on {server} and import it with its other "
	  "files: reg export \"HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\"
	  "Web Server Extensions\" wse.reg" },
	/* ---------------------------------------------- Exchange registry */
	{ "exchange-redirection-present", IRMF_RC_EXCHANGE, IRMF_SEV_ERROR,
	  "IRM CertificationServerRedirection and LicenseServerRedirection "
	  "keys exist with a value",
	  "rms-connector-registry-settings: Exchange 2016/2019 rows 3-4, "
	  "Exchange 2010 rows 3-4", IRMF_K_EXCH_IRM, NULL,
	  irmf_chk_exch_redir_present,
	  "Exchange finds its RMS server through the MSDRM ServiceLocation "
	  "keys, which name the Microsoft RMS tenant URL; the IRM redirection "
	  "keys send those requests to the RMS connector instead.  Without "
	  "this key {server} contacts the tenant URL directly, which on-premises "
	  "Exchange cannot use, so it cannot protect or decrypt content while "
	  "its peers can.",
	  "reg add {\"{key}\"} /v {\"{tenant}\"} /t REG_SZ /d {\"{connector}\"} /f"
	  REM_GENCONFIG },
	{ "exchange-redirection-tenant", IRMF_RC_EXCHANGE, IRMF_SEV_ERROR,
	  "the redirection value name is the tenant URL the MSDRM keys use",
	  "rms-connector-registry-settings: <YourTenantURL> placeholder; "
	  "GenConnectorConfig writes both from GetRmsoUri", IRMF_K_EXCH_IRM, NULL,
	  irmf_chk_exch_redir_tenant,
	  "Exchange redirects a request only when the URL it is about to "
	  "contact (the tenant URL from the MSDRM keys) equals a value name "
	  "under the redirection key.  A value name that is not the tenant URL "
	  "never matches, so requests go to Microsoft RMS directly and fail.",
	  "Replace the value with one whose name is the tenant URL: reg add "
	  "{\"{key}\"} /v {\"{tenant}\"} /t REG_SZ /d {\"{connector}\"} /f, and "
	  "delete the wrong value with reg delete {\"{key}\"} /v \"<wrong "
	  "name>\" /f.  The tenant URL is "
	  "(Get-AipServiceConfiguration).LicensingIntranetDistributionPointUrl "
	  "without /_wmcs/licensing." },
	{ "exchange-redirection-data", IRMF_RC_EXCHANGE, IRMF_SEV_ERROR,
	  "redirection data is the connector URL (http:// or https://), not a "
	  "Microsoft RMS URL",
	  "rms-connector-registry-settings: Data http(s)://<ConnectorFQDN>",
	  IRMF_K_EXCH_IRM, NULL, irmf_chk_exch_redir_data,
	  "The data of a redirection value is where Exchange sends the "
	  "request.  It must be the connector's load-balanced URL; a Microsoft "
	  "RMS URL (*.aadrm.com) or anything that is not an http(s) URL sends "
	  "the request back to the cloud or nowhere, so IRM fails on this "
	  "server.",
	  "reg add {\"{key}\"} /v {\"{tenant}\"} /t REG_SZ /d {\"{connector}\"} /f"
	  REM_GENCONFIG },
	{ "exchange-redirection-wmcs-path", IRMF_RC_EXCHANGE, IRMF_SEV_WARNING,
	  "redirection tenant value without /_wmcs/... appended to name or "
	  "data (support self-help variant)",
	  "rms-connector-registry-settings vs. self-help article rms-exchange "
	  "(domain.md 2.5)", IRMF_K_EXCH_IRM, NULL, irmf_chk_exch_redir_wmcs,
	  "The documentation and the server configuration tool write the bare "
	  "tenant URL as the value name and the bare connector URL as the "
	  "data.  The support self-help article shows a variant with "
	  "/_wmcs/certification or /_wmcs/licensing appended; that is not the "
	  "documented form and makes this server differ from correctly "
	  "configured peers.",
	  "reg add {\"{key}\"} /v {\"{tenant}\"} /t REG_SZ /d {\"{connector}\"} /f, "
	  "then reg delete {\"{key}\"} /v \"<name with /_wmcs/...>\" /f" },
	{ "redirection-bare-name", IRMF_RC_EXCHANGE_V15 |
	  IRMF_RC_SHAREPOINT_2013, IRMF_SEV_WARNING,
	  "MSIPC LicensingRedirection value name is a full tenant URL, not a "
	  "bare /_wmcs/licensing",
	  "rms-connector-registry-settings: Exchange 2016/2019 row 7 vs. "
	  "SharePoint row 1 and GenConnectorConfig",
	  IRMF_K_MSIPC_SL "\\LicensingRedirection", NULL,
	  irmf_chk_redir_bare_name,
	  "A redirection value name is the URL being redirected.  The bare "
	  "name /_wmcs/licensing (as printed in the Exchange 2016/2019 table, "
	  "most likely a documentation defect) is not a URL and so very "
	  "probably matches no request; the SharePoint table and the server "
	  "configuration tool use https://<tenant>/_wmcs/licensing.",
	  "reg add {\"{key}\"} /v {\"{tenant}/_wmcs/licensing\"} /t REG_SZ /d "
	  "{\"{connector}/_wmcs/licensing\"} /f, then reg delete {\"{key}\"} /v "
	  "\"/_wmcs/licensing\" /f" },
	{ "registry-literal-default", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "no MSDRM/MSIPC value is literally named \"(default)\"",
	  "rms-connector-registry-settings (\"Value: Default\" = the key's "
	  "unnamed default value); GenConnectorConfig's GPO script "
	  "(Set-GPRegistryValue -ValueName \"(default)\")", NULL, NULL,
	  irmf_chk_literal_default,
	  "The connector documentation's \"Default\" is the key's unnamed "
	  "default value (shown as (Default) in regedit, @ in .reg files), "
	  "which is what the RMS client reads.  {server} has a value whose "
	  "name is the text \"(default)\", as Group Policy can create when "
	  "given -ValueName \"(default)\"; Windows does not read it as the "
	  "default value, so the URL it holds is not in effect.",
	  "Move its data into the real default value and remove the literal "
	  "one: reg add {\"{key}\"} /ve /t REG_SZ /d \"<the data shown as "
	  "value>\" /f, then reg delete {\"{key}\"} /v \"(default)\" /f; if "
	  "a Group Policy writes it, change the policy so that it sets the "
	  "key's default value" },
	{ "exchange-key-version", IRMF_RC_EXCHANGE, IRMF_SEV_ERROR,
	  "the IRM keys are under the version the Exchange build reads (2010: "
	  "v14, 2013+: v15)",
	  "rms-connector-registry-settings: Exchange 2010 table (v14) vs. "
	  "Exchange 2013/2016/2019 table (v15)", IRMF_K_EXCH, NULL,
	  irmf_chk_exch_key_version,
	  "Exchange 2010 reads only ExchangeServer\\v14\\IRM and Exchange "
	  "2013 or later only ExchangeServer\\v15\\IRM.  Redirection keys "
	  "under the other version are ignored, so the server is effectively "
	  "not redirected to the connector.",
	  "Create the keys under {ver} (reg add {\"" IRMF_K_EXCH "\\{ver}\\IRM"
	  "\\LicenseServerRedirection\"} /v {\"{tenant}\"} /t REG_SZ /d "
	  "{\"{connector}\"} /f, same for CertificationServerRedirection) and "
	  "delete the ones under the other version." REM_GENCONFIG },
	{ "exchange-msdrm-activation", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "MSDRM ServiceLocation\\Activation is "
	  "https://<tenant>/_wmcs/certification",
	  "rms-connector-registry-settings: Exchange rows 1",
	  IRMF_K_MSDRM_SL "\\Activation", "/_wmcs/certification",
	  irmf_chk_service_location,
	  "On Exchange the MSDRM keys name the Microsoft RMS tenant URL "
	  "(always https); the IRM redirection keys then send that URL to the "
	  "connector.  A missing or different value makes Exchange look for "
	  "another RMS server (for example by the AD RMS service connection "
	  "point) or contact one that the redirection does not cover.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{tenant}{want}\"} /f"
	  REM_GENCONFIG },
	{ "exchange-msdrm-publishing", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "MSDRM ServiceLocation\\EnterprisePublishing is "
	  "https://<tenant>/_wmcs/licensing",
	  "rms-connector-registry-settings: Exchange rows 2",
	  IRMF_K_MSDRM_SL "\\EnterprisePublishing", "/_wmcs/licensing",
	  irmf_chk_service_location,
	  "On Exchange EnterprisePublishing names the tenant's licensing URL; "
	  "the license redirection key sends it to the connector.  A missing "
	  "or different value breaks publishing (protecting) on this server.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{tenant}{want}\"} /f"
	  REM_GENCONFIG },
	{ "exchange-msdrm-both-connector", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "the MSDRM keys on Exchange name the tenant, not the connector",
	  "rms-connector-registry-settings: Exchange rows 1-2 (tenant URL) "
	  "and 3-4 (redirection)", IRMF_K_MSDRM_SL, NULL,
	  irmf_chk_exch_msdrm_connector,
	  "Both MSDRM keys point at the connector.  That is the SharePoint "
	  "2010/FCI configuration; on Exchange the documented configuration "
	  "names the tenant URL there and lets the IRM redirection keys do the "
	  "redirection, and a redirection keyed by the tenant URL never "
	  "matches such a server.",
	  "reg add \"" IRMF_K_MSDRM_SL "\\Activation\" /ve /t REG_SZ /d "
	  "{\"{tenant}/_wmcs/certification\"} /f and reg add \"" IRMF_K_MSDRM_SL
	  "\\EnterprisePublishing\" /ve /t REG_SZ /d "
	  "{\"{tenant}/_wmcs/licensing\"} /f" REM_GENCONFIG },
	{ "publishing-points-at-certification", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "EnterprisePublishing ends in /_wmcs/licensing, not "
	  "/_wmcs/certification",
	  "rms-connector-registry-settings (the de-de translation shows "
	  "/_wmcs/certification here)", NULL, "/_wmcs/licensing",
	  irmf_chk_publishing_cert,
	  "EnterprisePublishing is the licensing (publishing) endpoint.  "
	  "Pointing it at /_wmcs/certification, as one translation of the "
	  "documentation does, sends publishing requests to the certification "
	  "service, so protecting content fails.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d \"<same URL ending in "
	  "/_wmcs/licensing>\" /f" },
	/* ------------------------------------ MSIPC (SharePoint 2013+, Exchange) */
	{ "msipc-certification", IRMF_RC_SHAREPOINT_2013 | IRMF_RC_EXCHANGE_V15,
	  IRMF_SEV_ERROR,
	  "MSIPC ServiceLocation\\EnterpriseCertification is "
	  "http(s)://<connector>/_wmcs/certification",
	  "rms-connector-registry-settings: SharePoint row 2, Exchange "
	  "2016/2019 row 5 (optional on Exchange)",
	  IRMF_K_MSIPC_SL "\\EnterpriseCertification", "/_wmcs/certification",
	  irmf_chk_service_location,
	  "The MSIPC client (RMS client 2.1) takes its certification URL from "
	  "this value.  It must name the connector; a missing value or a "
	  "Microsoft RMS URL makes the server contact the cloud directly, "
	  "which an on-premises server cannot authenticate to.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{connector}{want}\"} /f "
	  "({msipcvia})" },
	{ "msipc-publishing", IRMF_RC_SHAREPOINT_2013 | IRMF_RC_EXCHANGE_V15,
	  IRMF_SEV_ERROR,
	  "MSIPC ServiceLocation\\EnterprisePublishing is "
	  "http(s)://<connector>/_wmcs/licensing",
	  "rms-connector-registry-settings: SharePoint row 3, Exchange "
	  "2016/2019 row 6 (optional on Exchange)",
	  IRMF_K_MSIPC_SL "\\EnterprisePublishing", "/_wmcs/licensing",
	  irmf_chk_service_location,
	  "The MSIPC client takes its publishing (licensing) URL from this "
	  "value.  It must name the connector; a missing value or a Microsoft "
	  "RMS URL breaks protecting documents on this server.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{connector}{want}\"} /f "
	  "({msipcvia})" },
	{ "msipc-licensing-redirection", IRMF_RC_SHAREPOINT_2013 |
	  IRMF_RC_EXCHANGE_V15, IRMF_SEV_ERROR,
	  "MSIPC ServiceLocation\\LicensingRedirection maps the tenant "
	  "licensing URL to http(s)://<connector>/_wmcs/licensing",
	  "rms-connector-registry-settings: SharePoint row 1, Exchange "
	  "2016/2019 row 7 (optional on Exchange)",
	  IRMF_K_MSIPC_SL "\\LicensingRedirection", "/_wmcs/licensing",
	  irmf_chk_msipc_redirection,
	  "Content protected by the tenant names the tenant's licensing URL; "
	  "MSIPC sends it to the connector only if this key maps that URL to "
	  "the connector.  Without the mapping (or with data that is a "
	  "Microsoft RMS URL) the server cannot open protected documents.",
	  "reg add {\"{key}\"} /v {\"{tenant}/_wmcs/licensing\"} /t REG_SZ /d "
	  "{\"{connector}/_wmcs/licensing\"} /f ({msipcvia})" },
	/* ------------------------------------------ SharePoint 2010 and FCI */
	{ "msdrm-connector-activation", IRMF_RC_SHAREPOINT_2010_FCI,
	  IRMF_SEV_ERROR,
	  "MSDRM ServiceLocation\\Activation is "
	  "http(s)://<connector>/_wmcs/certification",
	  "rms-connector-registry-settings: File server and FCI row 2; "
	  "GenConnectorConfig -SetSharePoint2010",
	  IRMF_K_MSDRM_SL "\\Activation", "/_wmcs/certification",
	  irmf_chk_service_location,
	  "SharePoint 2010 and FCI file servers use the MSDRM client without "
	  "redirection keys, so the MSDRM keys themselves must name the "
	  "connector.  A missing value or a Microsoft RMS URL means the "
	  "server cannot obtain its certificates.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{connector}{want}\"} /f, or "
	  ".\\GenConnectorConfig.ps1 -ConnectorUri {'{connector}'} {switch} "
	  "(restart FCI file servers afterwards)" },
	{ "msdrm-connector-publishing", IRMF_RC_SHAREPOINT_2010_FCI,
	  IRMF_SEV_ERROR,
	  "MSDRM ServiceLocation\\EnterprisePublishing is "
	  "http(s)://<connector>/_wmcs/licensing",
	  "rms-connector-registry-settings: File server and FCI row 1; "
	  "GenConnectorConfig -SetSharePoint2010",
	  IRMF_K_MSDRM_SL "\\EnterprisePublishing", "/_wmcs/licensing",
	  irmf_chk_service_location,
	  "SharePoint 2010 and FCI file servers publish through the URL in "
	  "this value; it must name the connector's licensing endpoint.",
	  "reg add {\"{key}\"} /ve /t REG_SZ /d {\"{connector}{want}\"} /f, or "
	  ".\\GenConnectorConfig.ps1 -ConnectorUri {'{connector}'} {switch} "
	  "(restart FCI file servers afterwards)" },
	/* ------------------------------------------------- connector URLs */
	{ "connector-url-scheme", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "every server of a role uses the same connector URL scheme (http "
	  "or https) as the others of that role",
	  "rms-connector-registry-settings: http vs https; monitor-rms-"
	  "connector events 2002/1003", NULL, NULL, irmf_chk_connector_scheme,
	  "The connector is reached over http or https depending on how it was "
	  "configured; all servers should use the same prefix.  A server on "
	  "another scheme than its peers either fails (https without a trusted "
	  "certificate, http where only https is bound) or talks to the "
	  "connector unencrypted (connector event 2002).",
	  "Use {\"{connector}\"} (the scheme most servers use) in this server's "
	  "connector URLs: rerun .\\GenConnectorConfig.ps1 -ConnectorUri "
	  "{'{connector}'} with the switch for its role, or correct the value "
	  "under {\"{key}\"} with reg add" },
	{ "connector-url-node-name", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "the connector URL is the load-balanced name, not a connector node",
	  "rms-connector-registry-settings: <ConnectorFQDN>; configure-"
	  "servers-rms-connector: specify the load-balanced name",
	  NULL, NULL, irmf_chk_connector_node_name,
	  "The documentation requires the load-balanced connector name.  A "
	  "URL naming one connector node bypasses the load balancer: the "
	  "server loses IRM whenever that node is down or replaced.",
	  "Point the value at the load-balanced name ({\"{connector}\"}) with reg "
	  "add ... /f, or rerun .\\GenConnectorConfig.ps1 -ConnectorUri "
	  "{'{connector}'} with the switch for this server's role" },
	/* ------------------------------------------- Get-IRMConfiguration */
	{ "irm-exports-agree", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_INFO,
	  "the servers' Get-IRMConfiguration exports agree (one object per "
	  "organisation)",
	  "Get-IRMConfiguration reads CN=ControlPoint Config, one Active "
	  "Directory object per Exchange organisation", NULL,
	  "the same value in every export", irmf_chk_org_only,
	  "Get-IRMConfiguration is one object for the whole Exchange "
	  "organisation, so every server's export should show the same value. "
	  " These exports differ: they were taken at different times, or "
	  "before Active Directory replication converged (for example right "
	  "after Set-IRMConfiguration).  This is not drift between servers: "
	  "no server is configured differently, and none should be changed to "
	  "match the others.",
	  "Do not change the setting to match a majority.  Check the current "
	  "value once (Get-IRMConfiguration | Format-List) after replication, "
	  "then export Get-IRMConfiguration again and import it for every "
	  "Exchange server." },
	{ "irm-config-collected", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "Get-IRMConfiguration was collected for the organisation (from at "
	  "least one Exchange server)",
	  "Get-IRMConfiguration reads one Active Directory object per Exchange "
	  "organisation; it needs the Exchange Management Shell and AD "
	  "credentials (a key logon over SSH has none)", NULL,
	  "Get-IRMConfiguration from one Exchange server", irmf_chk_org_only,
	  "No Exchange server's snapshot holds Get-IRMConfiguration, and the "
	  "collection recorded why (the value lists the servers and the "
	  "reason): the one-script plan under a key logon has no Active "
	  "Directory credentials, and the export script run outside the "
	  "Exchange Management Shell cannot read it.  So none of the irm-* "
	  "rules (internal licensing, Client Access server, locations, "
	  "transport decryption) was checked: the organisation's IRM "
	  "configuration is unknown, not correct.",
	  "Export the organisation's objects once: irmfleet export-script "
	  "--role exchange --output irmfleet-export.ps1, run it in the "
	  "Exchange Management Shell on one Exchange server (powershell.exe "
	  "-NoProfile -ExecutionPolicy Bypass -File .\\irmfleet-export.ps1 "
	  "-OutDir FOLDER) or from an admin workstation's Exchange Management "
	  "Shell (-Discover), then irmfleet import --out DIR FOLDER into the "
	  "snapshot directory and compare again.  Or collect with a password "
	  "logon, which carries AD credentials: irmfleet collect --plan "
	  "script --password-auth -i INVENTORY -o DIR" },
	{ "irm-internal-licensing", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "Get-IRMConfiguration InternalLicensingEnabled is True",
	  "configure-servers-rms-connector: Set-IRMConfiguration "
	  "-InternalLicensingEnabled $true; self-help rms-exchange",
	  "InternalLicensingEnabled", "True", irmf_chk_irm_value,
	  "With internal licensing disabled Exchange does not use RMS for "
	  "messages inside the organization: no templates in Outlook on the "
	  "web, no transport or journal decryption, no IRM search, whatever "
	  "the registry says.",
	  "Set-IRMConfiguration -InternalLicensingEnabled $true (Exchange "
	  "Management Shell), then Test-IRMConfiguration -Sender "
	  "<mailbox>" },
	{ "irm-external-licensing", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_INFO,
	  "Get-IRMConfiguration ExternalLicensingEnabled is False",
	  "self-help rms-exchange: expected Get-IRMConfiguration output",
	  "ExternalLicensingEnabled", "False", irmf_chk_irm_value,
	  "External licensing lets Exchange license protected messages for "
	  "external recipients.  Only the support self-help article expects "
	  "it off; the configuration documentation does not require it, and "
	  "organisations turn it on on purpose, so this is information, not "
	  "a fault.",
	  "Nothing to do if external recipients are meant to read protected "
	  "mail.  Otherwise: Set-IRMConfiguration -ExternalLicensingEnabled "
	  "$false" },
	{ "irm-client-access-server", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "Get-IRMConfiguration ClientAccessServerEnabled is True",
	  "configure-servers-rms-connector: Set-IRMConfiguration "
	  "-ClientAccessServerEnabled $true",
	  "ClientAccessServerEnabled", "True", irmf_chk_irm_value,
	  "The connector documentation requires ClientAccessServerEnabled: "
	  "without it Outlook on the web and Exchange ActiveSync cannot open "
	  "or create protected messages.",
	  "Set-IRMConfiguration -ClientAccessServerEnabled $true" },
	{ "irm-ediscovery-super-user", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "Get-IRMConfiguration EDiscoverySuperUserEnabled is True",
	  "self-help rms-exchange: expected Get-IRMConfiguration output",
	  "EDiscoverySuperUserEnabled", "True", irmf_chk_irm_value,
	  "With it off, eDiscovery searches cannot read protected messages; "
	  "the support article expects it on in a connector deployment.",
	  "Set-IRMConfiguration -EDiscoverySuperUserEnabled $true" },
	{ "irm-transport-decryption", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "Get-IRMConfiguration TransportDecryptionSetting is Disabled, "
	  "Optional or Mandatory",
	  "self-help rms-exchange (\"TransportDecryptionSetting : Any\"); "
	  "Set-IRMConfiguration", "TransportDecryptionSetting",
	  "Disabled|Optional|Mandatory", irmf_chk_irm_value,
	  "The documentation accepts any of the three settings; a value that "
	  "is none of them (or $null) means the export is damaged or the "
	  "configuration object is, and transport decryption behaves "
	  "unpredictably.",
	  "Set-IRMConfiguration -TransportDecryptionSetting Optional (the "
	  "on-premises default)" },
	{ "irm-location-tenant", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "ServiceLocation, PublishingLocation and LicensingLocation, when "
	  "set, name the Microsoft RMS tenant URL",
	  "self-help rms-exchange: \"ServiceLocation / PublishingLocation / "
	  "LicensingLocation : MicrosoftRMSUrl\" (domain.md 2.5, 5.2)",
	  "ServiceLocation,PublishingLocation,LicensingLocation", NULL,
	  irmf_chk_irm_location,
	  "In a connector deployment these properties show the Microsoft RMS "
	  "tenant URL; Exchange's requests to it are what the redirection "
	  "keys send to the connector.  A location naming another server "
	  "(an old AD RMS cluster, the connector itself) bypasses that "
	  "redirection.  Not set ($null) is not flagged: Exchange then "
	  "discovers the URLs from the MSDRM keys.",
	  "LicensingLocation: add the tenant's licensing URL and keep the "
	  "others (a migrated organisation keeps its AD RMS licensing URLs "
	  "there, so that content protected by the old cluster still opens): "
	  "Set-IRMConfiguration -LicensingLocation "
	  "@{Add={'{tenant}/_wmcs/licensing'}}.  "
	  "ServiceLocation and PublishingLocation are not settable on-premises "
	  "in current Exchange versions: find where the other URL comes from "
	  "(an earlier AD RMS configuration) and check the result with "
	  "Test-IRMConfiguration -Sender <mailbox>" },
	{ "irm-test-pass", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "Test-IRMConfiguration reports OVERALL RESULT: PASS",
	  "KB 2805976 (Test-IRMConfiguration on Exchange); "
	  "configure-servers-rms-connector", NULL, "PASS",
	  irmf_chk_irm_test,
	  "Test-IRMConfiguration walks the whole path Exchange uses: RMS "
	  "certification and publishing URLs, the server's RAC and CLC, "
	  "templates, a publishing license and a use license.  A failed step "
	  "means IRM does not work from this server (protected mail cannot be "
	  "decrypted for transport, journaling, OWA, EAS or search).",
	  "Fix the step that failed (value above), then run "
	  "Test-IRMConfiguration -Sender <mailbox> again; after changing "
	  "redirection keys delete the DRM cache C:\\ProgramData\\Microsoft"
	  "\\DRM\\Server\\S-1-5-18, restart the server and enable IRM again "
	  "(KB 2805976)" },
	/* ----------------------------------------------------- versions */
	{ "exchange-2010-build", IRMF_RC_EXCHANGE_V14, IRMF_SEV_ERROR,
	  "Exchange 2010 is at least SP3 Rollup Update 6 (14.3.195.1)",
	  "configure-servers-rms-connector (2016-2020 text): Exchange 2010 "
	  "SP3 RU6; build-numbers-and-release-dates", "14.", "14.3.195.1",
	  irmf_chk_product_min,
	  "The connector documentation supports Exchange 2010 only from SP3 "
	  "Update Rollup 6 on; with an older build this server is outside "
	  "what the connector supports and IRM through it may fail.",
	  "Install Exchange 2010 SP3 Update Rollup 6 or later (build "
	  "14.3.195.1 or higher)" },
	{ "exchange-2013-build", IRMF_RC_EXCHANGE_V15, IRMF_SEV_ERROR,
	  "Exchange 2013 is at least Cumulative Update 3 (15.0.775.38)",
	  "configure-servers-rms-connector: Exchange 2013 CU3; "
	  "build-numbers-and-release-dates", "15.0.", "15.0.775.38",
	  irmf_chk_product_min,
	  "The connector documentation supports Exchange 2013 only from "
	  "Cumulative Update 3 on; with an older build this server is "
	  "outside what the connector supports and IRM through it may fail.",
	  "Install Exchange 2013 Cumulative Update 3 or later (build "
	  "15.0.775.38 or higher; the last one, CU23, is 15.0.1497.2)" },
	{ "msdrm-mode2", IRMF_RC_EXCHANGE_ANY | IRMF_RC_SHAREPOINT_2010_FCI,
	  IRMF_SEV_ERROR,
	  "msdrm.dll supports RMS Cryptographic Mode 2 (6.0 >= "
	  "6.0.6002.22761, 6.1 >= 6.1.7600.17000, 6.2+)",
	  "configure-servers-rms-connector (Mode 2, KB 2627272/2627273); "
	  "GenConnectorConfig MSDRM check", NULL,
	  ">= 6.0.6002.22761 (6.0), >= 6.1.7600.17000 (6.1), or 6.2+",
	  irmf_chk_msdrm_mode2,
	  "The connector requires RMS Cryptographic Mode 2 (2048-bit keys).  "
	  "An MSDRM client (msdrm.dll) older than the KB 2627272/2627273 "
	  "update cannot use the tenant's keys, so this server cannot "
	  "protect or open content.",
	  "Install KB 2627272 (Windows Server 2008) or KB 2627273 (Windows "
	  "Server 2008 R2), or move to Windows Server 2012 or later, which "
	  "supports Mode 2 natively; check "
	  "%windir%\\system32\\msdrm.dll's file version afterwards" },
	{ "msipc-version-floor", IRMF_RC_SHAREPOINT_2013, IRMF_SEV_ERROR,
	  "the MSIPC (RMS client 2.1) version is at least 1.0.622.34",
	  "GenConnectorConfig SharePoint 2013 check of "
	  "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion", NULL,
	  "1.0.622.34", irmf_chk_msipc_version,
	  "SharePoint 2013 and later use the MSIPC client to reach the "
	  "connector; the server configuration tool refuses versions below "
	  "1.0.622.34, which cannot use the connector.",
	  "Install the latest RMS client 2.1 (Microsoft Download Center id "
	  "38396) and check the file version of MSIPC.dll in "
	  "\\Program Files\\Active Directory Rights Management Services "
	  "Client 2.1" },
	{ "msipc-version-supported", IRMF_RC_SHAREPOINT_2013, IRMF_SEV_WARNING,
	  "the MSIPC (RMS client 2.1) version is at least 1.0.2004.0",
	  "configure-servers-rms-connector: \"make sure that you have version "
	  "1.0.2004.0 or later\"", "1.0.622.34", "1.0.2004.0",
	  irmf_chk_msipc_version,
	  "The documentation requires MSIPC 1.0.2004.0 or later for "
	  "SharePoint with the connector; older 2.1 clients pass the tool's "
	  "check but are not supported.",
	  "Install the latest RMS client 2.1 (Microsoft Download Center id "
	  "38396) and check the file version of MSIPC.dll in "
	  "\\Program Files\\Active Directory Rights Management Services "
	  "Client 2.1" },
	/* ------------------------------------------ MSIPC ACL and Wow64 */
	{ "exchange-msipc-server-acl", IRMF_RC_EXCHANGE_V15, IRMF_SEV_ERROR,
	  "from the August 2023 SU on, NetworkService has full control of "
	  "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server",
	  "KB 5030208 (aka.ms/ExchangeCBCKB, AES256-CBC protected content); "
	  "CSS-Exchange HealthChecker Get-ExchangeAES256CBCDetails", NULL,
	  NULL, irmf_chk_msipc_server_acl,
	  "Exchange 2016 and 2019 with the August 2023 security update or "
	  "later protect and open IRM content with AES256-CBC, which needs "
	  "NetworkService full control of the MSIPC\\Server key; without it "
	  "IRM in Outlook on the web, transport and journal decryption fail "
	  "on {server}.  An error when InternalLicensingEnabled is True (as "
	  "HealthChecker's red), a warning otherwise.",
	  "On {server}, elevated: $k='HKLM:\\SOFTWARE\\Microsoft\\MSIPC\\"
	  "Server'; if(-not(Test-Path $k)){New-Item $k -Force}; $a=Get-Acl "
	  "$k; $a.AddAccessRule((New-Object System.Security.AccessControl."
	  "RegistryAccessRule('NT AUTHORITY\\NETWORK SERVICE','FullControl',"
	  "'ContainerInherit,ObjectInherit','None','Allow'))); Set-Acl $k $a "
	  "(KB 5030208), then check again with CSS-Exchange's HealthChecker" },
	{ "exchange-msipc-server-acl-build", IRMF_RC_EXCHANGE_V15,
	  IRMF_SEV_INFO,
	  "the MSIPC\\Server ACL can be judged: the server's Exchange build "
	  "with its security update is known",
	  "KB 5030208; CSS-Exchange HealthChecker (build >= Aug23SU)", NULL,
	  "unknown", irmf_chk_msipc_server_acl,
	  "NetworkService has no full control of MSIPC\\Server on {server}, "
	  "which Exchange 2016/2019 need from the August 2023 security update "
	  "on; whether {server} has that update cannot be told: "
	  "Get-ExchangeServer shows the cumulative update but not security "
	  "updates, and ExSetup.exe's file version was not exported.",
	  "Export ExSetup.exe's version ((Get-Command Exsetup.exe)."
	  "FileVersionInfo | Export-Clixml exsetup.xml in the Exchange "
	  "Management Shell) and import it with the snapshot, or grant "
	  "NetworkService full control as for exchange-msipc-server-acl" },
	{ "msipc-wow64-agrees", IRMF_RC_SHAREPOINT_2013 | IRMF_RC_EXCHANGE_V15,
	  IRMF_SEV_WARNING,
	  "each Wow6432Node MSIPC ServiceLocation value equals its 64-bit twin",
	  "client-deployment-notes (Wow6432Node\\Microsoft\\MSIPC for 32-bit "
	  "applications); Microsoft's AD RMS migration script Redirect_OnPrem."
	  "cmd writes both", NULL, NULL, irmf_chk_msipc_wow64,
	  "32-bit processes on {server} read the MSIPC ServiceLocation keys "
	  "under Wow6432Node, 64-bit ones the keys under SOFTWARE\\Microsoft."
	  "  A Wow6432Node value that differs from (or has no) 64-bit twin "
	  "sends 32-bit applications to another server than the rest of "
	  "{server}: stale after a change made to the 64-bit keys only.",
	  "Make the value in {\"{key}\"} equal to the 64-bit value shown as "
	  "expected: reg add {\"{key}\"} /v \"<name>\" /t REG_SZ /d "
	  "\"<data>\" /f (/ve for the default value), or remove it with reg "
	  "delete {\"{key}\"} /v \"<name>\" /f when the 64-bit key has no such "
	  "value" },
	/* ------------------------------------------------- authorizations */
	{ "connector-on-client", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "the RMS connector is not installed on a server that uses it",
	  "deploy-rms-connector / install-configure-rms-connector: not on "
	  "Exchange, SharePoint, FCI or domain controllers; monitor event "
	  "2001", NULL, NULL, irmf_chk_connector_on_client,
	  "The connector must run on its own servers, not on the Exchange, "
	  "SharePoint or file servers that use it; installed on a server "
	  "that also uses it, requests from that server are refused as "
	  "unauthorized (event 2001).",
	  "Uninstall the RMS connector from {server} (Programs and "
	  "Features) and run it on dedicated Windows Server machines behind "
	  "the load-balanced name" },
	{ "auth-list-empty", IRMF_RC_CONNECTOR, IRMF_SEV_ERROR,
	  "the connector node's list of authorized servers is not empty",
	  "install-configure-rms-connector: authorizing servers; monitor "
	  "event 2003", NULL, NULL, irmf_chk_auth_list_empty,
	  "The connector serves only accounts on its \"servers allowed to "
	  "utilize the connector\" list.  With an empty list no Exchange, "
	  "SharePoint or file server can use it (event 2003).",
	  "In the Microsoft RMS connector administration tool on {server}: "
	  "Servers allowed to utilize the connector > Add, and add the "
	  "Exchange servers' security group (role Exchange Server), the "
	  "SharePoint service accounts and the file servers' computer "
	  "accounts or groups" },
	{ "auth-nodes-agree", IRMF_RC_CONNECTOR, IRMF_SEV_WARNING,
	  "every connector node holds the same authorization list",
	  "install-configure-rms-connector: the list is downloaded every 15 "
	  "minutes; monitor events 1004/3001", NULL, NULL,
	  irmf_chk_auth_nodes_agree,
	  "All connector nodes download the same list of authorized servers "
	  "every 15 minutes.  A node whose list differs has not refreshed it "
	  "(often event 3001: it cannot reach the service), so requests the "
	  "load balancer sends to it are refused or allowed differently from "
	  "the other nodes.",
	  "On {server} check the Application log for events 3001 and 1004 "
	  "and its internet/proxy access (HKLM\\SOFTWARE\\Microsoft\\AADRM\\"
	  "Connector ProxyAddress; iisreset after changing it); once it can "
	  "download the list again (every 15 minutes, event 1004) compare "
	  "the lists in the RMS connector administration tool" },
	{ "auth-not-authorized", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "the server is authorized on the connector by some rule",
	  "install-configure-rms-connector: authorizing servers; self-help "
	  "(event 2001)", NULL, "none", irmf_chk_auth_count,
	  "The connector refuses requests from accounts it has not "
	  "authorized (event 2001), so {server} cannot protect or open "
	  "content.  Exchange servers are authorized through a security "
	  "group (e.g. Exchange Servers), SharePoint through the service "
	  "account that runs it, services running as Local System through "
	  "the computer account NAME$, or through one group containing it.",
	  "To authorize {server}: {authwho}" },
	{ "auth-membership-unknown", IRMF_RC_CLIENTS, IRMF_SEV_INFO,
	  "the server's authorization can be told from its token groups",
	  "install-configure-rms-connector: authorize a group containing the "
	  "computer account (nested groups count: the connector sees the "
	  "account's token)", NULL, "unknown", irmf_chk_auth_count,
	  "No rule names {server}'s computer account or a group it is a "
	  "direct member of, but only its direct group memberships were "
	  "collected: a group nested in an authorized group, or a group of "
	  "another domain, would not show, so whether the connector "
	  "authorizes {server} cannot be told.",
	  "Export the computer's token groups and import them with the "
	  "snapshot: on {server} run, elevated, gpresult /scope computer /r "
	  "> gpresult.txt (or let irmfleet collect read the computer "
	  "account's tokenGroups from AD), then compare again" },
	{ "auth-multiple-rules", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "each account the server runs as is authorized by exactly one rule",
	  "self-help rms-sharepoint / installandonboard-rmsconnector: \"one, "
	  "and only one, group containing this account is authorized\"; "
	  "rms-exchange; install-configure-rms-connector: SharePoint "
	  "authorizes its Central Administration and app pool accounts", NULL,
	  "many", irmf_chk_auth_count,
	  "Each authorization rule gets its own RMS certificates; an account "
	  "matched by several rules (the computer account and a group, two "
	  "groups, or a SharePoint service account named twice) may get the "
	  "certificates of a different rule than its peers and then cannot "
	  "decrypt content they protected.  (A SharePoint server's Central "
	  "Administration and app pool accounts are two accounts: a rule for "
	  "each is the documented set-up, not this problem.)",
	  "In the RMS connector administration tool keep one of the rules "
	  "listed in the value for that account (the group its peers use) "
	  "and remove the others (Servers allowed to utilize the connector > "
	  "Remove)" },
	{ "auth-exchange-role", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "the rule that authorizes an Exchange server has the Exchange role",
	  "install-configure-rms-connector: accounts of the Exchange Server "
	  "role are granted the super user role; self-help rms-exchange",
	  NULL, NULL, irmf_chk_auth_exchange_role,
	  "Only rules of the Exchange Server role are granted the super user "
	  "role that Exchange needs to decrypt content for transport, "
	  "journaling, search and Outlook on the web.  A rule with another "
	  "role authorizes the server without those rights.",
	  "In the RMS connector administration tool (Servers allowed to "
	  "utilize the connector) remove the rule shown in the value, whose "
	  "role is in brackets, and add the same account again with the role "
	  "Exchange Server; or authorize {server} through the Exchange "
	  "security group its peers use instead" },
	{ "auth-exchange-same-rule", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_ERROR,
	  "every Exchange server is authorized by the same rule as its peers",
	  "self-help rms-exchange: \"authorized via a different rule than "
	  "the other servers\"; install-configure-rms-connector: use one "
	  "group", NULL, NULL, irmf_chk_auth_same_rule,
	  "Servers authorized by one rule share the same RMS certificates "
	  "and are all owners of the content they protect.  An Exchange "
	  "server authorized by a different rule (individually, or through "
	  "another group) gets other certificates and cannot consume content "
	  "its peers protected.",
	  "Authorize {server} through the same group as its peers: add "
	  "{account} to that group (and restart the server so it gets the "
	  "new membership), then remove the separate rule in the RMS "
	  "connector administration tool" },
	/* authorization lists derived from event 1004 (no typed list): the
	 * message layout is not confirmed and the roles are not on the
	 * node, so nothing here is an error (docs/authorization-list.md) */
	{ "auth-derived-not-listed", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "the server's account or a group of its is among the accounts the "
	  "connector's event 1004 lists",
	  "monitor-rms-connector: event 1004 lists each account; "
	  "install-configure-rms-connector: authorizing servers", NULL,
	  "not-listed", irmf_chk_auth_derived,
	  "No typed authorization list was imported, so irmfleet read the "
	  "accounts from the connector node's newest event 1004 (\"The list "
	  "of authorized accounts has been updated\").  Neither {server}'s "
	  "account nor a group it belongs to is among them: if that reading "
	  "is right the connector refuses {server} (event 2001).  The "
	  "event's layout is not confirmed, so this is a warning, not an "
	  "error.",
	  "Export the authorization list from the RMS connector "
	  "administration tool as CSV (docs/authorization-list.md) and import "
	  "it with a connector node's snapshot to check it with the roles; "
	  "to authorize {server}: {authwho}" },
	{ "auth-derived-multiple-rules", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "each account the server runs as matches one account of the "
	  "event 1004 list",
	  "self-help rms-sharepoint / installandonboard-rmsconnector: \"one, "
	  "and only one, group containing this account is authorized\"; "
	  "monitor-rms-connector: event 1004", NULL, "many",
	  irmf_chk_auth_derived,
	  "Each authorization rule gets its own RMS certificates; an account "
	  "matched by several rules may get the certificates of a different "
	  "rule than its peers.  The accounts come from the connector node's "
	  "event 1004 (layout not confirmed, roles unknown), so this is a "
	  "warning.",
	  "Export the authorization list from the RMS connector "
	  "administration tool as CSV (docs/authorization-list.md) and import "
	  "it with a connector node's snapshot to check the rules with their "
	  "roles; keep one of the rules listed in the value (the group its "
	  "peers use) and remove the others" },
	{ "auth-derived-other-rule", IRMF_RC_EXCHANGE_ANY, IRMF_SEV_WARNING,
	  "every Exchange server matches the same account of the event 1004 "
	  "list as its peers",
	  "self-help rms-exchange: \"authorized via a different rule than "
	  "the other servers\"; monitor-rms-connector: event 1004", NULL,
	  "other-rule", irmf_chk_auth_derived,
	  "Servers authorized by one rule share the same RMS certificates.  "
	  "{server} matches another account of the list than most Exchange "
	  "servers (it is authorized individually, or through another "
	  "group): the documented cause of one server failing while the "
	  "others work.  The accounts come from the connector node's event "
	  "1004 (layout not confirmed, roles unknown), so this is a warning.",
	  "Authorize {server} through the same group as its peers: add "
	  "{account} to that group (and restart the server), then remove the "
	  "separate rule in the RMS connector administration tool; export "
	  "the list as CSV (docs/authorization-list.md) to check the roles" },
	{ "auth-derived-roles", IRMF_RC_CONNECTOR, IRMF_SEV_INFO,
	  "the roles of the authorization rules are known",
	  "install-configure-rms-connector: roles are chosen in the "
	  "administration tool and kept by the service", NULL, "roles",
	  irmf_chk_auth_derived,
	  "The authorization list was derived from {server}'s event 1004, "
	  "which names the accounts only.  The roles (Exchange Server, "
	  "SharePoint Server, FCI) are set in the administration tool and "
	  "kept by the service, not on the node, so whether Exchange's rule "
	  "has the Exchange Server role (and with it super user rights) "
	  "cannot be told: auth-exchange-role is not checked.",
	  "Export the authorization list from the RMS connector "
	  "administration tool as CSV (docs/authorization-list.md) and import "
	  "it with {server}'s snapshot to check roles" },
	{ "auth-derived-unreadable", IRMF_RC_CONNECTOR, IRMF_SEV_INFO,
	  "the accounts of the node's newest event 1004 can be read",
	  "monitor-rms-connector: event 1004 lists each account", NULL,
	  "unread", irmf_chk_auth_derived,
	  "{server}'s newest event 1004 names no account in a form irmfleet "
	  "recognizes (DOMAIN\\name, NAME$, name@domain, S-1-5-...): its "
	  "message layout is not published, so no authorization list was "
	  "derived from it and the auth-* rules did not run.  This is not an "
	  "empty list (that is event 2003).",
	  "Export the authorization list from the RMS connector "
	  "administration tool as CSV (docs/authorization-list.md) and import "
	  "it with {server}'s snapshot; and please send the output of "
	  "Get-WinEvent -FilterHashtable @{LogName='Application'; "
	  "ProviderName='Microsoft RMS connector'; Id=1004} -MaxEvents 1 | "
	  "ForEach-Object { $_.ToXml() } run on {server} to the irmfleet "
	  "maintainers so the layout can be read" },
	/* --------------------------------------------------------- events */
	{ "connector-event-2000", IRMF_RC_CONNECTOR, IRMF_SEV_ERROR,
	  "no event 2000 (caller not identified) on the node",
	  "monitor-rms-connector: event 2000", "2000", NULL,
	  irmf_chk_event_node,
	  "The connector could not identify the caller: the user principal "
	  "in the HTTP context is missing or invalid.  Anonymous "
	  "authentication is enabled on the connector web site, or the "
	  "caller comes from an untrusted forest; its requests fail.",
	  "In IIS Manager on {server}: for the connector web site disable "
	  "Anonymous Authentication and keep only Windows Authentication "
	  "enabled" },
	{ "connector-event-2003", IRMF_RC_CONNECTOR, IRMF_SEV_WARNING,
	  "no event 2003 (authorization list empty) on the node",
	  "monitor-rms-connector: event 2003", "2003", NULL,
	  irmf_chk_event_node,
	  "The node's list of authorized servers was empty when it logged "
	  "this; the connector is not usable until the list is populated.  "
	  "(A warning: it is normal right after installation.)",
	  "Authorize the servers in the RMS connector administration tool "
	  "(Servers allowed to utilize the connector > Add)" },
	{ "connector-event-3000", IRMF_RC_CONNECTOR, IRMF_SEV_ERROR,
	  "no event 3000 (unhandled exception) on the node",
	  "monitor-rms-connector: event 3000; self-help "
	  "installandonboard-rmsconnector", "3000", NULL, irmf_chk_event_node,
	  "An unhandled exception in the connector: it is not configured to "
	  "talk to the RMS service or its authentication certificates are "
	  "invalid; \"The request failed with an empty response\" points at "
	  "an SSL inspection device, which is not supported.",
	  "Exclude the connector's traffic from SSL inspection; if that is "
	  "not it, reinstall the connector on {server} "
	  "(RMSConnectorSetup.exe) and sign in again" },
	{ "connector-event-3001", IRMF_RC_CONNECTOR, IRMF_SEV_ERROR,
	  "no event 3001 (authorization list download failed) on the node",
	  "monitor-rms-connector: event 3001", "3001", NULL,
	  irmf_chk_event_node,
	  "The node could not download its list of authorized servers, "
	  "typically because of DNS, internet access or proxy problems; it "
	  "keeps an old list (or none) and refuses servers authorized since.",
	  "Fix name resolution and internet access of {server}; behind a "
	  "proxy set it with reg add \"HKLM\\SOFTWARE\\Microsoft\\AADRM\\"
	  "Connector\" /v ProxyAddress /t REG_SZ /d \"http://<proxy>:<port>\" "
	  "/f and run iisreset" },
	{ "connector-list-refresh", IRMF_RC_CONNECTOR, IRMF_SEV_WARNING,
	  "the node's latest 1004 (authorization list downloaded) is within "
	  "an hour of its collection time",
	  "monitor-rms-connector: event 1004 (every 15 minutes), counter "
	  "\"Time since last authorization policy update\" <= 15 minutes",
	  "1004", NULL, irmf_chk_list_refresh,
	  "A connector node downloads its list of authorized servers every "
	  "15 minutes and logs 1004 each time.  {server} has not done so for "
	  "over an hour before it was collected (an hour allows for a few "
	  "missed downloads, clock skew and the collection itself): it "
	  "cannot reach the service, so servers authorized since are "
	  "refused there and removed ones still allowed.",
	  "On {server} check the Application log for 3001, its DNS, "
	  "internet and proxy access (reg query "
	  "\"HKLM\\SOFTWARE\\Microsoft\\AADRM\\Connector\" /v "
	  "ProxyAddress; iisreset after changing it), and that the "
	  "connector's application pool runs" },
	{ "connector-unreachable", IRMF_RC_CLIENTS | IRMF_RC_CONNECTOR,
	  IRMF_SEV_ERROR,
	  "some server reaches the connector: a 1002 on some node, or some "
	  "probe of the connector URL answered",
	  "self-help rms-exchange / installandonboard-rmsconnector: no 1002 "
	  "on any connector node means nothing reaches the connector",
	  NULL, NULL, irmf_chk_fleet_unreachable,
	  "NO SERVER REACHES THE RMS CONNECTOR.  No connector node logged a "
	  "1002 (access allowed) for any server over the whole window seen, "
	  "or every probe of the connector URL failed: IRM does not work "
	  "anywhere in this fleet.  The per-server rules stay silent because "
	  "no server does better than its peers.  Typical causes: the "
	  "connector name does not resolve or the load balancer forwards to "
	  "no healthy node, the servers' registry does not redirect to the "
	  "connector, unsupported Exchange/SharePoint versions, or the "
	  "connector service itself is down.",
	  "Check the connector name and load balancer first" },
	{ "events-unauthorized", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "no 2001 (unauthorized access) for the server newer than its last "
	  "1002/1003", "monitor-rms-connector: event 2001; self-help",
	  NULL, NULL, irmf_chk_event_2001,
	  "A connector node refused {server} because its account was not on "
	  "the downloaded list of authorized servers (not authorized, or not "
	  "yet downloaded), so its IRM requests fail.",
	  "To authorize {server}: {authwho}" },
	{ "events-no-access", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "the server appears in 1002 events like its peers",
	  "self-help rms-exchange: no 1002 on any connector node means the "
	  "server is not reaching the connector", NULL, NULL,
	  irmf_chk_event_no_1002,
	  "Its peers' first connections are logged on the connector nodes "
	  "(event 1002) but {server}'s never are: it does not reach the "
	  "connector at all.  Typical causes: missing or wrong redirection "
	  "keys, an unsupported version, or DNS/load balancer problems for "
	  "the connector name.",
	  "Check this server's registry rules above, resolve and open "
	  "{\"{connector}/_wmcs/certification/servercertification.asmx\"} from "
	  "{server}, and check the load balancer" },
	{ "events-http", IRMF_RC_CLIENTS, IRMF_SEV_WARNING,
	  "the server connects over HTTPS like its peers of the same role "
	  "(no 2002 newer than its last 1003)",
	  "monitor-rms-connector: events 2002 and 1003", NULL, NULL,
	  irmf_chk_event_http,
	  "The connector logged non-secure HTTP connections from {server} "
	  "while other servers use HTTPS; this server's connector URLs use "
	  "http:// and its traffic to the connector is not encrypted.",
	  "Make this server's connector URLs https:// URLs, as its peers' "
	  "are (rerun .\\GenConnectorConfig.ps1 -ConnectorUri "
	  "https://<connector name> with the switch for its role)" },
	/* --------------------------------------------------------- probes */
	{ "probe-unreachable", IRMF_RC_CLIENTS, IRMF_SEV_ERROR,
	  "the server gets an HTTP answer from the connector URL, as its "
	  "peers do", "install-configure-rms-connector: test URL "
	  "/_wmcs/certification/servercertification.asmx", NULL, NULL,
	  irmf_chk_probe,
	  "Other servers get an HTTP answer from this URL (any status, even "
	  "401 or 404), but {server} got none: name resolution, TCP connect "
	  "or the TLS handshake failed, or it timed out.  It cannot reach "
	  "the connector, so IRM fails there.",
	  "From {server}: Resolve-DnsName and Test-NetConnection -Port 443 "
	  "(or 80) for the connector name; make sure it trusts the root CA "
	  "of the connector's certificate and can download its CRL; check "
	  "proxy settings and firewalls" },
};

static const size_t rule_count = sizeof(rule_table) / sizeof(rule_table[0]);

const irmf_rule_info *
irmf_rules_table(size_t *n)
{
	*n = rule_count;
	return rule_table;
}
