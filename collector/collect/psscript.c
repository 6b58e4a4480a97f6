/*
 * psscript.c - the export script of a role set, generated from collect's
 * plan (plan.c): the template psscript.ps1 holds the logic, this file
 * turns the plan's items into the PowerShell data block the template
 * reads ($Plan: registry keys with how deep to read them, files, the
 * MSIPC\Server ACL, probes, event groups, the computer's groups, the
 * organisation-wide Exchange objects).  So the script and `collect` read
 * the same things and a new item in the plan reaches both.
 *
 * The plan's registry-exists check has no counterpart: the script reads
 * the keys through .NET itself and tells absent from denied directly.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "irmfleet/exportscript.h"
#include "irmfleet/snapshot.h"
#include "plan.h"
#include "psscript.h"
#include "buf.h"
#include "str.h"

#define HKLM_ROOT "HKEY_LOCAL_MACHINE\\"

/* The keys whose URLs are probed: plan.c's probe item reads the same. */
static const char *const probe_keys[] = {
	"SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	"SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\CertificationServerRedirection",
	"SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM\\LicenseServerRedirection",
	"SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM\\CertificationServerRedirection",
	"SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\EnterpriseCertification",
	"SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\EnterprisePublishing",
	"SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection",
	"SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation",
	"SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\EnterprisePublishing",
};

/* A single-quoted PowerShell string: ' doubled, nothing else special.
 * The plan's strings are ASCII (PowerShell also takes the typographic
 * quotes as quotes, which plain ASCII cannot contain). */
static void
ps_quote(irmf_buf *b, const char *s, size_t n)
{
	irmf_buf_add(b, "'");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			irmf_buf_add(b, "'");
		irmf_buf_addn(b, s + i, 1);
	}
	irmf_buf_add(b, "'");
}

/* `reg query "KEY" /s` reads the tree, `/v NAME` one value, nothing more
 * the key's own values. */
static void
plan_registry(irmf_buf *b, const irmf_plan_cmd *c)
{
	const char *key = c->item + strlen("registry:");
	const char *q = strrchr(c->command, '"');
	const char *args = q != NULL ? q + 1 + strspn(q + 1, " ") : "";
	const char *value = "";

	if (strncmp(key, HKLM_ROOT, strlen(HKLM_ROOT)) == 0)
		key += strlen(HKLM_ROOT);
	if (strncmp(args, "/v ", 3) == 0)
		value = args + 3;
	irmf_buf_add(b, "        @{ Item = ");
	ps_quote(b, c->item, strlen(c->item));
	irmf_buf_add(b, "; Path = ");
	ps_quote(b, key, strlen(key));
	irmf_buf_printf(b, "; Recurse = $%s; Value = ",
	    strcmp(args, "/s") == 0 ? "true" : "false");
	ps_quote(b, value, strlen(value));
	irmf_buf_add(b, " }\n");
}

static void
plan_list(irmf_buf *b, const char *name, const char *const *items,
    size_t n)
{
	irmf_buf_printf(b, "    %s = @(", name);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			irmf_buf_add(b, ", ");
		ps_quote(b, items[i], strlen(items[i]));
	}
	irmf_buf_add(b, ")\n");
}

static void
plan_events(irmf_buf *b, const irmf_plan_cmd *c)
{
	irmf_buf_add(b, "        @{ Item = ");
	ps_quote(b, c->item, strlen(c->item));
	irmf_buf_add(b, "; Ids = @(");
	for (const char *p = c->event_ids; *p != '\0';) {
		size_t n = strcspn(p, " ");
		irmf_buf_addn(b, p, n);
		p += n + strspn(p + n, " ");
		if (*p != '\0')
			irmf_buf_add(b, ", ");
	}
	irmf_buf_add(b, ") }\n");
}

static bool
has_item(const irmf_plan *p, const char *item)
{
	for (size_t i = 0; i < p->ncmds; i++)
		if (strcmp(p->cmds[i].item, item) == 0)
			return true;
	return false;
}

static void
plan_files_acl(irmf_buf *b, const irmf_plan *p)
{
	const char *files[IRMF_PLAN_MAX_ITEMS], *acl[1];
	size_t nf = 0, na = 0;

	for (size_t i = 0; i < p->ncmds; i++) {
		const irmf_plan_cmd *c = &p->cmds[i];
		if (strcmp(c->item, "files") == 0)
			for (size_t k = 0; k < IRMF_PLAN_MAX_ITEMS &&
			    c->fail_items[k] != NULL; k++)
				files[nf++] = c->fail_items[k] +
				    strlen("file:");
		if (strcmp(c->item, IRMF_PLAN_MSIPC_ACL_ITEM) == 0)
			acl[na++] = c->item + strlen("acl:" HKLM_ROOT);
	}
	plan_list(b, "Files", files, nf);
	plan_list(b, "Acl", acl, na);
}

int
irmf_psscript_plan(const irmf_plan *p, char **out)
{
	irmf_buf b = IRMF_BUF_INIT;
	const char *roles[4], *org[2];
	size_t nr = 0, no = 0;

	for (unsigned bit = 1; bit <= IRMF_ROLE_CONNECTOR; bit <<= 1)
		if (p->roles & bit)
			roles[nr++] = irmf_role_name((irmf_role)bit);
	irmf_buf_add(&b, "$Plan = @{\n");
	plan_list(&b, "Roles", roles, nr);
	irmf_buf_add(&b, "    Registry = @(\n");
	for (size_t i = 0; i < p->ncmds; i++)
		if (strcmp(p->cmds[i].format, "regquery") == 0)
			plan_registry(&b, &p->cmds[i]);
	irmf_buf_add(&b, "    )\n");
	plan_files_acl(&b, p);
	irmf_buf_printf(&b, "    Probes = $%s\n",
	    has_item(p, "probes") ? "true" : "false");
	plan_list(&b, "ProbeKeys", probe_keys,
	    sizeof(probe_keys) / sizeof(probe_keys[0]));
	irmf_buf_add(&b, "    Events = @(\n");
	for (size_t i = 0; i < p->ncmds; i++)
		if (strcmp(p->cmds[i].format, "evtxml") == 0)
			plan_events(&b, &p->cmds[i]);
	irmf_buf_add(&b, "    )\n");
	irmf_buf_printf(&b, "    Groups = $%s\n",
	    has_item(p, "groups") ? "true" : "false");
	if (has_item(p, "irm-config"))
		org[no++] = "irm-config";
	if (has_item(p, "exchange-server"))
		org[no++] = "exchange-server";
	plan_list(&b, "Organisation", org, no);
	irmf_buf_add(&b, "}\n");
	if ((*out = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

/* Replace the first `mark` in `in` by `with`, each line of `with`
 * indented like the mark. */
static void
fill(irmf_buf *b, const char **in, const char *mark, const char *with)
{
	const char *at = strstr(*in, mark);
	const char *bol = at;

	if (at == NULL)
		return;
	while (bol > *in && bol[-1] == ' ')
		bol--;
	irmf_buf_addn(b, *in, (size_t)(at - *in));
	for (const char *l = with; *l != '\0';) {
		size_t n = strcspn(l, "\n");
		if (l != with)
			irmf_buf_addn(b, bol, (size_t)(at - bol));
		irmf_buf_addn(b, l, n);
		l += n;
		if (*l == '\n') {
			l++;
			if (*l != '\0')
				irmf_buf_add(b, "\n");
		}
	}
	*in = at + strlen(mark);
}

static int
to_crlf(const char *s, char **out, size_t *out_len)
{
	irmf_buf b = IRMF_BUF_INIT;

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s > 126 || (*s < ' ' && *s != '\n' &&
		    *s != '\t' && *s != '\r')) {
			irmf_buf_free(&b);
			return irmf_error_set(IRMF_ERROR, "export script: "
			    "template holds a non-ASCII byte 0x%02x",
			    (unsigned char)*s);
		}
		if (*s == '\n' && (b.n == 0 || b.p[b.n - 1] != '\r'))
			irmf_buf_add(&b, "\r");
		irmf_buf_addn(&b, s, 1);
	}
	*out_len = b.n;
	if ((*out = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

/* The lines that set the collect script's mode: -Stdout, and what it
 * does with the organisation items.  The note is printable ASCII (it
 * may quote an SSH error): anything else becomes '?'. */
static int
collect_mode(irmf_buf *b, const irmf_psscript_org *org)
{
	int rc = IRMF_OK;

	irmf_buf_add(b, "$Stdout = [switch]$true   # sent by irmfleet collect "
	    "on stdin\n");
	if (org == NULL)
		return b->err;
	if (org->read)
		irmf_buf_add(b, "$Organisation = [switch]$true   # the one host "
		    "of the run that reads it\n");
	if (org->failed)
		irmf_buf_add(b, "$OrganisationFailed = [switch]$true\n");
	if (org->note != NULL) {
		irmf_buf note = IRMF_BUF_INIT;

		for (const char *c = org->note; *c != '\0'; c++)
			irmf_buf_addn(&note, *c >= ' ' && *c <= '~' ? c : "?", 1);
		irmf_buf_add(b, "$OrganisationNote = ");
		ps_quote(b, note.p != NULL ? note.p : "", note.n);
		irmf_buf_add(b, "\n");
		rc = note.err;
		irmf_buf_free(&note);
	}
	return rc < 0 ? rc : b->err;
}

/* The export script (collect false) or the script collect sends on
 * stdin (collect true): the same template, -Stdout forced on. */
static int
generate(char **out, size_t *out_len, unsigned roles, unsigned event_count,
    bool collect, const irmf_psscript_org *org)
{
	irmf_plan *p = NULL;
	irmf_buf b = IRMF_BUF_INIT;
	const char *t = (const char *)irmf_psscript_template;
	irmf_buf mode = IRMF_BUF_INIT;
	char *data = NULL, *text = NULL, num[16];
	int rc;

	*out = NULL;
	*out_len = 0;
	if ((rc = irmf_plan_build(&p, roles, event_count)) < 0 ||
	    (rc = irmf_psscript_plan(p, &data)) < 0)
		goto done;
	/* a mode cut short by an allocation failure would send a script
	 * without -Stdout or -Organisation: fail instead */
	if ((rc = collect ? collect_mode(&mode, org) : irmf_buf_add(&mode,
	    "# run by hand: -Stdout only when asked")) < 0) {
		rc = irmf_error_oom();
		goto done;
	}
	snprintf(num, sizeof(num), "%u", event_count);
	/* the marks in the order the template has them */
	fill(&b, &t, "@IRMF_EVENT_COUNT@", num);
	fill(&b, &t, "# @IRMF_MODE@", mode.p != NULL ? mode.p : "");
	fill(&b, &t, "@IRMF_SCRIPT_VERSION@", IRMF_EXPORT_SCRIPT_VERSION);
	fill(&b, &t, "# @IRMF_PLAN@", data);
	irmf_buf_add(&b, t);
	if ((text = irmf_buf_take(&b)) == NULL) {
		rc = IRMF_ENOMEM;
		goto done;
	}
	if (strstr(text, "@IRMF_") != NULL) {
		rc = irmf_error_set(IRMF_ERROR, "export script: a mark of the "
		    "template was not filled in");
		goto done;
	}
	rc = to_crlf(text, out, out_len);
done:
	irmf_buf_free(&mode);
	free(text);
	free(data);
	irmf_plan_free(p);
	return rc;
}

int
irmf_export_script(char **out, size_t *out_len, unsigned roles,
    unsigned event_count)
{
	return generate(out, out_len, roles, event_count, false, NULL);
}

int
irmf_psscript_collect(char **out, size_t *out_len, unsigned roles,
    unsigned event_count, const irmf_psscript_org *org)
{
	return generate(out, out_len, roles, event_count, true, org);
}

int
irmf_plan_build_script(irmf_plan **out, unsigned roles,
    unsigned event_count)
{
	return irmf_plan_build_script_org(out, roles, event_count, NULL);
}

int
irmf_plan_build_script_org(irmf_plan **out, unsigned roles,
    unsigned event_count, const irmf_psscript_org *org)
{
	irmf_plan *p;
	irmf_plan_cmd *c;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->cmds = calloc(1, sizeof(*p->cmds))) == NULL) {
		free(p);
		return irmf_error_oom();
	}
	p->roles = roles;
	p->ncmds = 1;
	c = &p->cmds[0];
	c->format = "psdoc";
	c->item = irmf_strdup(IRMF_PLAN_SCRIPT_ITEM);
	c->command = irmf_strdup(IRMF_PLAN_SCRIPT_COMMAND);
	if (c->item == NULL || c->command == NULL) {
		irmf_plan_free(p);
		return irmf_error_oom();
	}
	if ((rc = irmf_psscript_collect(&c->input, &c->input_len, roles,
	    event_count, org)) < 0) {
		irmf_plan_free(p);
		return rc;
	}
	*out = p;
	return IRMF_OK;
}
