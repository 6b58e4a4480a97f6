/*
 * rules_registry.c - checks of the registry rules (rules.c holds the table
 * with their explanations): the Exchange IRM redirection keys, the MSDRM
 * and MSIPC ServiceLocation keys, and the shape of the connector URLs.
 *
 * Every check first asks whether the server's registry was collected at
 * all (an import without a registry export knows nothing about keys) and
 * whether a collection error covers the key (then it reports "not
 * checked"); only then is an absent key a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "identity.h"
#include "rules_int.h"
#include "settings.h"

static const char *const redir_names[] = { "CertificationServerRedirection",
    "LicenseServerRedirection", NULL };

/* 1: go on checking; 0: skip (not collected here, reported if it failed);
 * <0: error. */
static int
gate(const irmf_rule_info *rule, irmf_rule_run *run, const irmf_snapshot *s,
    const char *setting)
{
	const irmf_collect_error *e;
	int rc;

	if ((e = irmf_setting_collect_error(s, setting)) != NULL) {
		rc = irmf_rule_not_collected(run, rule, s, setting, e);
		return rc < 0 ? rc : 0;
	}
	return irmf_rule_have_registry(s) ? 1 : 0;
}

/* gate() for a key that is optional on this server: a failed collection
 * is not worth a "not checked" finding there. */
static int
gate_quiet(const irmf_snapshot *s, const char *setting)
{
	if (irmf_setting_collect_error(s, setting) != NULL)
		return 0;
	return irmf_rule_have_registry(s) ? 1 : 0;
}

/* "name => data; ..." of a key's values that `keep` accepts (NULL: all),
 * for the finding's value. */
static char *
values_display(const irmf_reg_key *k, bool (*keep)(const irmf_reg_value *))
{
	irmf_buf b = { 0 };

	for (size_t i = 0; k != NULL && i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		if (keep != NULL && !keep(v))
			continue;
		if (b.n > 0)
			irmf_buf_add(&b, "; ");
		irmf_buf_add(&b, v->name[0] ? v->name : "(default)");
		irmf_buf_add(&b, " => ");
		if (v->type == IRMF_REG_SZ || v->type == IRMF_REG_EXPAND_SZ)
			irmf_buf_add(&b, v->str ? v->str : "");
		else
			irmf_buf_printf(&b, "(%s)", irmf_reg_type_name(v->type));
	}
	return irmf_buf_take(&b);
}

static char *
key_display(const irmf_reg_key *k)
{
	return values_display(k, NULL);
}

static const char *
value_text(const irmf_reg_value *v)
{
	if (v->type == IRMF_REG_SZ || v->type == IRMF_REG_EXPAND_SZ)
		return v->str ? v->str : "";
	return NULL;
}

/* An AD RMS migration value under LicenseServerRedirection: name
 * https://<adrms>/_wmcs/licensing (not a Microsoft RMS host). */
static bool
is_migration_value(const irmf_reg_value *v, const char *keyname)
{
	return strcasecmp(keyname, "LicenseServerRedirection") == 0 &&
	    irmf_is_url(v->name) && !irmf_url_is_rms(v->name) &&
	    irmf_url_path_is(v->name, "/_wmcs/licensing");
}

/* Does the data of v name a connector (http(s) URL, not Microsoft RMS)? */
static bool
is_connector_data(const irmf_reg_value *v)
{
	const char *d = value_text(v);

	return d != NULL && irmf_is_url(d) && !irmf_url_is_rms(d);
}

/* The per-key loop shared by the Exchange redirection checks. */
typedef int (*redir_fn)(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *, const char *setting, const char *name,
    const irmf_reg_key *);

static int
each_exch_redirection(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, redir_fn fn)
{
	int rc = IRMF_OK;

	/* every check runs this for every Exchange server: no allocation */
	for (size_t i = 0; redir_names[i] && rc >= 0; i++) {
		char setting[200];
		const char *path = setting + 4;   /* after "reg:" */
		snprintf(setting, sizeof(setting), "reg:%s\\%s\\IRM\\%s",
		    IRMF_K_EXCH, irmf_rule_exch_ver(run, s), redir_names[i]);
		if ((rc = gate(rule, run, s, setting)) > 0)
			rc = fn(rule, run, s, setting, redir_names[i],
			    irmf_rule_find(run, s, path));
	}
	return rc < 0 ? rc : IRMF_OK;
}

static int
redir_present(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, const char *name,
    const irmf_reg_key *k)
{
	(void)name;
	if (k != NULL && k->nvalues > 0)
		return IRMF_OK;
	return irmf_rule_report(run, rule, s, setting,
	    k ? "(key without values)" : NULL,
	    "value named by the tenant URL, data the connector URL", NULL);
}

int
irmf_chk_exch_redir_present(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	return each_exch_redirection(rule, run, s, redir_present);
}

/* The tenant a server's MSDRM keys name (base URL), else the fleet's. */
static char *
server_tenant(irmf_rule_run *run, const irmf_snapshot *s)
{
	const char *a = irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL "\\Activation",
	    "");

	if (a == NULL || !irmf_url_is_rms(a))
		a = irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL
		    "\\EnterprisePublishing", "");
	if (a != NULL && irmf_url_is_rms(a))
		return irmf_url_base(a);
	return irmf_strdup(run->tenant ? run->tenant : "");
}

static int
redir_tenant(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, const char *name,
    const irmf_reg_key *k)
{
	char *want = NULL, *disp = NULL;
	bool any_tenant = false, wrong = false;
	int rc = IRMF_OK;

	if (k == NULL || k->nvalues == 0)
		return IRMF_OK;     /* exchange-redirection-present says so */
	if ((want = server_tenant(run, s)) == NULL)
		return IRMF_ENOMEM;
	for (size_t i = 0; i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		if (is_migration_value(v, name) || !irmf_url_is_rms(v->name))
			continue;
		any_tenant = true;
		/* Exchange compares the name with the https tenant URL */
		if (strncasecmp(v->name, "https://", 8) != 0 ||
		    (want[0] && !irmf_url_same_host(v->name, want)))
			wrong = true;
	}
	if (any_tenant && !wrong)
		goto out;
	/* a bare "/_wmcs/licensing" name has its own rule */
	for (size_t i = 0; !any_tenant && i < k->nvalues; i++)
		if (k->values[i].name[0] == '/')
			goto out;
	/* only migration values and nothing else: the tenant entry is
	 * missing all the same */
	if ((disp = key_display(k)) == NULL) {
		rc = IRMF_ENOMEM;
		goto out;
	}
	rc = irmf_rule_report(run, rule, s, setting, disp,
	    want[0] ? want : "https://<YourTenantURL>", NULL);
out:
	free(want);
	free(disp);
	return rc;
}

int
irmf_chk_exch_redir_tenant(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	return each_exch_redirection(rule, run, s, redir_tenant);
}

/* Values whose data is not a connector URL (bare "/_wmcs" names are
 * redirection-bare-name's). */
static bool
not_connector_data(const irmf_reg_value *v)
{
	return v->name[0] != '/' && !is_connector_data(v);
}

static int
redir_data(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, const char *name,
    const irmf_reg_key *k)
{
	char *val;
	int rc;

	(void)name;
	if ((val = values_display(k, not_connector_data)) == NULL)
		return IRMF_ENOMEM;
	if (val[0] == '\0') {
		free(val);
		return IRMF_OK;
	}
	rc = irmf_rule_report(run, rule, s, setting, val, run->connector ?
	    run->connector : "http(s)://<ConnectorFQDN>", NULL);
	free(val);
	return rc;
}

int
irmf_chk_exch_redir_data(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	return each_exch_redirection(rule, run, s, redir_data);
}

static int
redir_wmcs(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, const char *name,
    const irmf_reg_key *k)
{
	irmf_buf b = { 0 };
	char *val;
	int rc;

	(void)name;
	for (size_t i = 0; k != NULL && i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		const char *d = value_text(v);
		if (!irmf_url_is_rms(v->name))
			continue;   /* migration values carry /_wmcs by design */
		if (!irmf_url_has_wmcs(v->name) && !(d && irmf_url_has_wmcs(d)))
			continue;
		if (b.n > 0)
			irmf_buf_add(&b, "; ");
		irmf_buf_add(&b, v->name);
		irmf_buf_add(&b, " => ");
		irmf_buf_add(&b, d ? d : "");
	}
	if (b.n == 0 && !b.err)
		return IRMF_OK;
	if ((val = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_rule_report(run, rule, s, setting, val,
	    "bare tenant URL => bare connector URL", NULL);
	free(val);
	return rc;
}

int
irmf_chk_exch_redir_wmcs(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	return each_exch_redirection(rule, run, s, redir_wmcs);
}

static int
bare_names(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, const char *name,
    const irmf_reg_key *k)
{
	(void)name;
	for (size_t i = 0; k != NULL && i < k->nvalues; i++) {
		const irmf_reg_value *v = &k->values[i];
		if (v->name[0] == '/')
			return irmf_rule_report(run, rule, s, setting, v->name,
			    "https://<tenant>/_wmcs/licensing as value name",
			    NULL);
	}
	return IRMF_OK;
}

int
irmf_chk_redir_bare_name(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const char *path = IRMF_K_MSIPC_SL "\\LicensingRedirection";
	char *setting = irmf_rule_reg_setting(path, NULL);
	bool exch = (irmf_rule_bit(run, s) & IRMF_RC_EXCHANGE) != 0;
	int rc;

	if (setting == NULL)
		return IRMF_ENOMEM;
	rc = exch ? gate_quiet(s, setting) : gate(rule, run, s, setting);
	if (rc > 0)
		rc = bare_names(rule, run, s, setting, NULL,
		    irmf_rule_find(run, s, path));
	free(setting);
	if (rc >= 0 && exch)
		rc = each_exch_redirection(rule, run, s, bare_names);
	return rc < 0 ? rc : IRMF_OK;
}

/* Does the server hold both redirection keys, with a value each, under
 * its own generation's version? */
static bool
own_redirection_present(irmf_rule_run *run, const irmf_snapshot *s,
    const char *ver)
{
	for (size_t i = 0; redir_names[i]; i++) {
		char path[200];
		const irmf_reg_key *k;
		snprintf(path, sizeof(path), "%s\\%s\\IRM\\%s", IRMF_K_EXCH,
		    ver, redir_names[i]);
		k = irmf_rule_find(run, s, path);
		if (k == NULL || k->nvalues == 0)
			return false;
	}
	return true;
}

/* Redirection keys under the other generation's version.  Only a server
 * whose generation comes from strong evidence (ExSetup.exe, the Setup key,
 * Get-ExchangeServer) is judged: when the keys themselves decided, there
 * is nothing to hold them against.  A server that also has its own
 * generation's keys is the GPO coexistence set-up (one GPO for 2010 and
 * one for 2013+ applied to all Exchange servers): the extra keys are
 * ignored and harmless, so that is info, not an error. */
int
irmf_chk_exch_key_version(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_identity id;
	const char *own, *other;
	irmf_rule_info sev = *rule;
	int rc = IRMF_OK;

	irmf_identity_of(s, &id);
	if (id.decided_by == IRMF_EV_CONFIG_KEYS ||
	    (id.generation != IRMF_GEN_EXCHANGE_2010 &&
	    id.generation != IRMF_GEN_EXCHANGE_2013))
		return IRMF_OK;
	own = id.generation == IRMF_GEN_EXCHANGE_2010 ? "v14" : "v15";
	other = id.generation == IRMF_GEN_EXCHANGE_2010 ? "v15" : "v14";
	if (own_redirection_present(run, s, own))
		sev.severity = IRMF_SEV_INFO;
	for (size_t i = 0; redir_names[i] && rc >= 0; i++) {
		char path[200], *setting;
		const irmf_reg_key *k;
		snprintf(path, sizeof(path), "%s\\%s\\IRM\\%s", IRMF_K_EXCH,
		    other, redir_names[i]);
		k = irmf_rule_find(run, s, path);
		if (k == NULL || k->nvalues == 0)
			continue;
		if ((setting = irmf_rule_reg_setting(path, NULL)) == NULL)
			return IRMF_ENOMEM;
		if ((rc = gate(rule, run, s, setting)) > 0) {
			char want[512];
			snprintf(want, sizeof(want), "keys under %s (%s %s)%s",
			    own, id.build_source[0] ? id.build_source :
			    id.evidence[0].source, id.build[0] ? id.build :
			    id.evidence[0].value, sev.severity == IRMF_SEV_INFO ?
			    "; its own keys are present too, so these are "
			    "ignored" : "");
			rc = irmf_rule_report(run, &sev, s, setting,
			    "keys present", want, NULL);
		}
		free(setting);
	}
	return rc < 0 ? rc : IRMF_OK;
}

/* Does url name the connector: the host of the fleet's connector URL or
 * of a redirection target of this server? */
static bool
is_connector_url(irmf_rule_run *run, const irmf_snapshot *s,
    const char *url)
{
	if (!irmf_is_url(url) || irmf_url_is_rms(url))
		return false;
	if (run->connector != NULL && irmf_url_same_host(url, run->connector))
		return true;
	for (size_t i = 0; redir_names[i]; i++) {
		char tmpl[160], *path;
		const irmf_reg_key *k;
		snprintf(tmpl, sizeof(tmpl), "%s\\{ver}\\IRM\\%s", IRMF_K_EXCH,
		    redir_names[i]);
		if ((path = irmf_rule_path(run, tmpl, s)) == NULL)
			return false;
		k = irmf_rule_find(run, s, path);
		free(path);
		for (size_t j = 0; k != NULL && j < k->nvalues; j++) {
			const char *d = value_text(&k->values[j]);
			if (d != NULL && irmf_url_same_host(url, d))
				return true;
		}
	}
	return false;
}

/* Both MSDRM keys name the connector on Exchange (the SharePoint 2010/FCI
 * shape).  MSDRM keys naming some other server (an AD RMS cluster) are
 * left to the per-key rules. */
static bool
exch_msdrm_both_connector(irmf_rule_run *run, const irmf_snapshot *s)
{
	const char *a = irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL "\\Activation",
	    "");
	const char *p = irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL
	    "\\EnterprisePublishing", "");

	return a != NULL && p != NULL && is_connector_url(run, s, a) &&
	    is_connector_url(run, s, p);
}

/* Is the ServiceLocation value v (at path) what the rule wants?  On
 * Exchange the MSDRM keys name the tenant (https, Microsoft RMS host, the
 * fleet's tenant when known); everywhere else they name the connector. */
static bool
service_location_ok(const irmf_rule_info *rule, const irmf_rule_run *run,
    const char *v, bool tenant)
{
	if (!irmf_is_url(v) || !irmf_url_path_is(v, rule->want))
		return false;
	if (!tenant)
		return !irmf_url_is_rms(v);
	if (strncasecmp(v, "https://", 8) != 0 || !irmf_url_is_rms(v))
		return false;
	return run->tenant == NULL || irmf_url_same_host(v, run->tenant);
}

int
irmf_chk_service_location(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	bool exch = (irmf_rule_bit(run, s) & IRMF_RC_EXCHANGE_ANY) != 0;
	bool msdrm = strstr(rule->param, "\\MSDRM\\") != NULL;
	char *setting;
	char want[300];
	const char *v;
	int rc;

	if (exch && !msdrm && irmf_rule_exchange_2013(s))
		return IRMF_OK;   /* Exchange 2013 does not use MSIPC keys */
	if ((setting = irmf_rule_reg_setting(rule->param, "")) == NULL)
		return IRMF_ENOMEM;
	rc = (exch && !msdrm) ? gate_quiet(s, setting) :
	    gate(rule, run, s, setting);
	if (rc <= 0)
		goto out;
	rc = IRMF_OK;
	v = irmf_rule_reg_str(run, s, rule->param, "");
	if (v == NULL && exch && !msdrm)
		goto out;   /* MSIPC keys are optional on Exchange */
	if (v != NULL && exch && msdrm && exch_msdrm_both_connector(run, s))
		goto out;   /* exchange-msdrm-both-connector */
	if (v != NULL && strcasecmp(rule->want, "/_wmcs/licensing") == 0 &&
	    irmf_url_path_is(v, "/_wmcs/certification"))
		goto out;   /* publishing-points-at-certification */
	if (v != NULL && service_location_ok(rule, run, v, exch && msdrm))
		goto out;
	snprintf(want, sizeof(want), "%s%s", exch && msdrm ?
	    (run->tenant ? run->tenant : "https://<YourTenantURL>") :
	    (run->connector ? run->connector : "http(s)://<ConnectorFQDN>"),
	    rule->want);
	rc = irmf_rule_report(run, rule, s, setting, v, want, NULL);
out:
	free(setting);
	return rc < 0 ? rc : IRMF_OK;
}

int
irmf_chk_exch_msdrm_connector(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	char *setting = irmf_rule_reg_setting(IRMF_K_MSDRM_SL, NULL);
	irmf_buf val = { 0 }, want = { 0 };
	char *v = NULL, *w = NULL;
	int rc;

	if (setting == NULL)
		return IRMF_ENOMEM;
	if ((rc = gate(rule, run, s, setting)) <= 0 ||
	    !exch_msdrm_both_connector(run, s))
		goto out;
	irmf_buf_add(&val, "Activation => ");
	irmf_buf_add(&val, irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL "\\Activation",
	    ""));
	irmf_buf_add(&val, "; EnterprisePublishing => ");
	irmf_buf_add(&val, irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL
	    "\\EnterprisePublishing", ""));
	irmf_buf_printf(&want, "Activation => %s/_wmcs/certification; "
	    "EnterprisePublishing => %s/_wmcs/licensing", run->tenant ?
	    run->tenant : "https://<YourTenantURL>", run->tenant ?
	    run->tenant : "https://<YourTenantURL>");
	v = irmf_buf_take(&val);
	w = irmf_buf_take(&want);
	rc = (v == NULL || w == NULL) ? IRMF_ENOMEM :
	    irmf_rule_report(run, rule, s, setting, v, w, NULL);
out:
	free(setting);
	free(v);
	free(w);
	return rc < 0 ? rc : IRMF_OK;
}

int
irmf_chk_publishing_cert(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	static const char *const keys[] = {
		IRMF_K_MSDRM_SL "\\EnterprisePublishing",
		IRMF_K_MSIPC_SL "\\EnterprisePublishing", NULL
	};
	int rc = IRMF_OK;

	for (size_t i = 0; keys[i] && rc >= 0; i++) {
		char *setting = irmf_rule_reg_setting(keys[i], "");
		const char *v;
		if (setting == NULL)
			return IRMF_ENOMEM;
		v = irmf_rule_reg_str(run, s, keys[i], "");
		if (v != NULL && irmf_url_path_is(v, "/_wmcs/certification") &&
		    (rc = gate(rule, run, s, setting)) > 0) {
			char *b = irmf_url_base(v), want[300];
			snprintf(want, sizeof(want), "%s%s", b ? b : "",
			    rule->want);
			rc = b ? irmf_rule_report(run, rule, s, setting, v, want,
			    NULL) : IRMF_ENOMEM;
			free(b);
		}
		free(setting);
	}
	return rc < 0 ? rc : IRMF_OK;
}

int
irmf_chk_msipc_redirection(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	bool exch = (irmf_rule_bit(run, s) & IRMF_RC_EXCHANGE) != 0;
	char *setting;
	const irmf_reg_key *k;
	bool any_tenant = false;
	irmf_buf bad = { 0 }, want = { 0 };
	char *v = NULL, *w = NULL;
	int rc;

	if (exch && irmf_rule_exchange_2013(s))
		return IRMF_OK;   /* Exchange 2013 does not use MSIPC keys */
	if ((setting = irmf_rule_reg_setting(rule->param, NULL)) == NULL)
		return IRMF_ENOMEM;
	rc = exch ? gate_quiet(s, setting) : gate(rule, run, s, setting);
	if (rc <= 0)
		goto out;
	k = irmf_rule_find(run, s, rule->param);
	if ((k == NULL || k->nvalues == 0) && exch)
		goto out;   /* optional on Exchange */
	for (size_t i = 0; k != NULL && i < k->nvalues; i++) {
		const irmf_reg_value *x = &k->values[i];
		if (irmf_url_is_rms(x->name) || x->name[0] == '/')
			any_tenant = true;
		if (is_connector_data(x))
			continue;
		if (bad.n > 0)
			irmf_buf_add(&bad, "; ");
		irmf_buf_add(&bad, x->name[0] ? x->name : "(default)");
		irmf_buf_add(&bad, " => ");
		irmf_buf_add(&bad, value_text(x) ? value_text(x) : "(not text)");
	}
	if (any_tenant && bad.n == 0 && !bad.err)
		goto out;
	irmf_buf_printf(&want, "%s%s => %s%s", run->tenant ? run->tenant :
	    "https://<YourTenantURL>", rule->want, run->connector ?
	    run->connector : "http(s)://<ConnectorFQDN>", rule->want);
	if (bad.n > 0)
		v = irmf_buf_take(&bad);
	else {
		free(irmf_buf_take(&bad));
		v = k ? key_display(k) : NULL;
	}
	w = irmf_buf_take(&want);
	rc = (w == NULL || (k != NULL && v == NULL)) ? IRMF_ENOMEM :
	    irmf_rule_report(run, rule, s, setting, v, w, NULL);
out:
	free(setting);
	free(v);
	free(w);
	return rc < 0 ? rc : IRMF_OK;
}

/* ------------------------------------------------------ connector URLs */

int
irmf_rule_conn_urls(irmf_rule_run *run, const irmf_snapshot *s,
    irmf_url_fn fn, void *ctx)
{
	static const char *const defaults[] = {
		IRMF_K_MSDRM_SL "\\Activation",
		IRMF_K_MSDRM_SL "\\EnterprisePublishing",
		IRMF_K_MSIPC_SL "\\EnterpriseCertification",
		IRMF_K_MSIPC_SL "\\EnterprisePublishing", NULL
	};
	char tmpl[160], *keys[3] = { NULL, NULL, NULL };
	int rc = IRMF_OK;

	if (!(irmf_rule_bit(run, s) & IRMF_RC_CLIENTS))
		return IRMF_OK;
	for (size_t i = 0; defaults[i] && rc >= 0; i++) {
		const char *v = irmf_rule_reg_str(run, s, defaults[i], "");
		char *setting;
		if (v == NULL || !irmf_is_url(v) || irmf_url_is_rms(v))
			continue;
		if ((setting = irmf_rule_reg_setting(defaults[i], "")) == NULL)
			return IRMF_ENOMEM;
		rc = fn(ctx, setting, v);
		free(setting);
	}
	if (irmf_rule_bit(run, s) & IRMF_RC_EXCHANGE) {
		for (size_t i = 0; i < 2; i++) {
			snprintf(tmpl, sizeof(tmpl), "%s\\{ver}\\IRM\\%s",
			    IRMF_K_EXCH, redir_names[i]);
			if ((keys[i] = irmf_rule_path(run, tmpl, s)) == NULL)
				rc = IRMF_ENOMEM;
		}
	}
	if ((keys[2] = irmf_strdup(IRMF_K_MSIPC_SL "\\LicensingRedirection")) ==
	    NULL)
		rc = IRMF_ENOMEM;
	for (size_t i = 0; i < 3 && rc >= 0; i++) {
		const irmf_reg_key *k = keys[i] ?
		    irmf_rule_find(run, s, keys[i]) : NULL;
		char *setting;
		if (k == NULL)
			continue;
		if ((setting = irmf_rule_reg_setting(keys[i], NULL)) == NULL) {
			rc = IRMF_ENOMEM;
			break;
		}
		for (size_t j = 0; j < k->nvalues && rc >= 0; j++)
			if (is_connector_data(&k->values[j]))
				rc = fn(ctx, setting, k->values[j].str);
		free(setting);
	}
	for (size_t i = 0; i < 3; i++)
		free(keys[i]);
	return rc;
}

/* First URL whose scheme differs from want. */
typedef struct scheme_ctx {
	const char *want;
	char *setting, *url;
} scheme_ctx;

static int
scheme_cb(void *p, const char *setting, const char *url)
{
	scheme_ctx *c = p;
	bool https = strncasecmp(url, "https://", 8) == 0;

	if (c->setting != NULL || https == (strcmp(c->want, "https") == 0))
		return IRMF_OK;
	c->setting = irmf_strdup(setting);
	c->url = irmf_strdup(url);
	return (c->setting && c->url) ? IRMF_OK : IRMF_ENOMEM;
}

int
irmf_chk_connector_scheme(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	/* within the server's role (FCI uses http by design where Exchange
	 * uses https); evenly split: https is the one the docs recommend */
	const char *sch = irmf_rule_scheme_for(run, s);
	scheme_ctx c = { sch ? sch : "https", NULL, NULL };
	char want[300];
	int rc;

	if (run->connector == NULL)
		return IRMF_OK;
	rc = irmf_rule_conn_urls(run, s, scheme_cb, &c);
	if (rc >= 0 && c.setting != NULL) {
		const char *host = strstr(run->connector, "://");
		snprintf(want, sizeof(want), "%s%s", c.want, host ? host :
		    "://<ConnectorFQDN>");
		rc = irmf_rule_report(run, rule, s, c.setting, c.url, want,
		    sch ? NULL : "servers of its role are evenly split "
		    "between http and https");
	}
	free(c.setting);
	free(c.url);
	return rc < 0 ? rc : IRMF_OK;
}

/* First URL whose host is a connector node's own name. */
typedef struct node_ctx {
	const irmf_rule_run *run;
	char *setting, *url;
} node_ctx;

static bool
host_is_node(const irmf_rule_run *run, const char *host)
{
	size_t hl = strcspn(host, ".");

	for (size_t i = 0; i < run->nnodes; i++) {
		const irmf_snapshot *n = run->nodes[i];
		if ((n->fqdn && strcasecmp(host, n->fqdn) == 0) ||
		    (n->server && strlen(n->server) == hl &&
		    strncasecmp(host, n->server, hl) == 0))
			return true;
	}
	return false;
}

static int
node_cb(void *p, const char *setting, const char *url)
{
	node_ctx *c = p;
	char host[256];

	if (c->setting != NULL || !irmf_url_host(url, host, sizeof(host)) ||
	    !host_is_node(c->run, host))
		return IRMF_OK;
	c->setting = irmf_strdup(setting);
	c->url = irmf_strdup(url);
	return (c->setting && c->url) ? IRMF_OK : IRMF_ENOMEM;
}

int
irmf_chk_connector_node_name(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	node_ctx c = { run, NULL, NULL };
	int rc;

	if (run->nnodes == 0)
		return IRMF_OK;   /* no connector node to compare with */
	rc = irmf_rule_conn_urls(run, s, node_cb, &c);

	if (rc >= 0 && c.setting != NULL)
		rc = irmf_rule_report(run, rule, s, c.setting, c.url,
		    "the connector's load-balanced name", NULL);
	free(c.setting);
	free(c.url);
	return rc < 0 ? rc : IRMF_OK;
}

/* Compared roots where a value literally named "(default)" is a mistake
 * worth explaining (the RMS client reads the unnamed default value of
 * every ServiceLocation key). */
static bool
literal_default_root(const char *path)
{
	static const char *const roots[] = {
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\",
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\",
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC\\",
		NULL
	};

	for (size_t i = 0; roots[i]; i++)
		if (strncasecmp(path, roots[i], strlen(roots[i])) == 0)
			return true;
	return false;
}

int
irmf_chk_literal_default(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	int rc = IRMF_OK;

	for (size_t i = 0; i < s->nkeys && rc >= 0; i++) {
		const irmf_reg_key *k = &s->keys[i];
		const irmf_reg_value *v;
		char *disp, *setting;

		if (!literal_default_root(k->path) ||
		    (v = irmf_reg_key_find_value(k, "(default)")) == NULL)
			continue;
		if ((disp = irmf_reg_display_path(k->path)) == NULL)
			return IRMF_ENOMEM;
		setting = irmf_rule_reg_setting(disp, v->name);
		free(disp);
		if (setting == NULL)
			return IRMF_ENOMEM;
		rc = irmf_rule_report(run, rule, s, setting,
		    irmf_reg_type_is_string(v->type) && v->str ? v->str : "",
		    irmf_reg_key_find_value(k, "") != NULL ?
		    "the unnamed default value only (it is set too)" :
		    "the unnamed default value (not set)", NULL);
		free(setting);
	}
	return rc < 0 ? rc : IRMF_OK;
}
