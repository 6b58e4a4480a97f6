/*
 * clixml_map.c - from a CLIXML value tree (clixml.c) to snapshot items.
 *
 * Which mapper applies is decided per top-level object by its type names
 * (with PowerShell's "Deserialized." / "Selected." prefixes ignored) or,
 * for copies made with Select-Object / PSCustomObject, by its property
 * set:
 *   Get-IRMConfiguration  -> IRM properties (bool/string/int/uri/
 *                            uri-list/enum/list, value or nil)
 *   Get-ExchangeServer    -> server name, FQDN, product and build, role
 *   irmfleet.Probe        -> a connector URL probe
 *   irmfleet.Groups       -> computer account and its group memberships
 *                            (and their scope: token or direct)
 *   irmfleet.KeyAcl       -> a registry key's SDDL (or Get-Acl output)
 * FileVersionInfo objects are looked for anywhere in the tree (Get-Item
 * puts them in VersionInfo, Get-Command in FileVersionInfo).  The shapes
 * are documented in docs/remote-commands.md, "PowerShell output shapes".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clixml.h"
#include "error.h"

typedef struct map_ctx {
	irmf_snapshot *snap;
	const char *name;
	unsigned mapped;                 /* items taken from the document */
	const irmf_cx_node **servers;    /* Get-ExchangeServer objects */
	size_t nservers, capservers;
} map_ctx;

/* Members that describe the PowerShell session, not the object. */
static bool
session_member(const char *name)
{
	return name == NULL || strncasecmp(name, "PS", 2) == 0 ||
	    irmf_streq_ci(name, "RunspaceId") ||
	    irmf_streq_ci(name, "OriginatingServer");
}

/* ------------------------------------------------ Get-IRMConfiguration */

/* Types of the IRM properties that can be $null (a Nil carries none). */
static const struct {
	const char *name;
	irmf_prop_type type;
} irm_nil_types[] = {
	{ "ServiceLocation", IRMF_PROP_URI },
	{ "PublishingLocation", IRMF_PROP_URI },
	{ "RMSOnlineKeySharingLocation", IRMF_PROP_URI },
	{ "LicensingLocation", IRMF_PROP_URI_LIST },
};

static irmf_prop_type
nil_type(const char *name)
{
	for (size_t i = 0; i < sizeof(irm_nil_types) /
	    sizeof(irm_nil_types[0]); i++)
		if (irmf_streq_ci(irm_nil_types[i].name, name))
			return irm_nil_types[i].type;
	return IRMF_PROP_STRING;
}

static bool
is_int_tag(const char *tag)
{
	static const char *const ints[] = { "I16", "I32", "I64", "U16",
	    "U32", "U64", "By", "SB" };

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(tag, ints[i]) == 0)
			return true;
	return false;
}

/* Text of a list item: a primitive's text or an object's ToString. */
static const char *
item_text(const irmf_cx_node *it)
{
	it = irmf_cx_deref(it);
	if (it == NULL)
		return NULL;
	if (it->kind == IRMF_CX_PRIM)
		return it->text;
	if (it->kind == IRMF_CX_OBJ)
		return it->text;
	return NULL;
}

static int
map_irm_list(map_ctx *m, const char *name, const irmf_cx_node *v)
{
	const char **items = NULL;
	irmf_prop_type type = IRMF_PROP_LIST;
	bool uris = v->nitems > 0;
	int rc = IRMF_OK;

	if (irmf_cx_type_has_prefix(v,
	    "Microsoft.Exchange.Data.MultiValuedProperty`1[[System.Uri,"))
		type = IRMF_PROP_URI_LIST;
	if (v->nitems > 0 &&
	    (items = calloc(v->nitems, sizeof(*items))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < v->nitems; i++) {
		const irmf_cx_node *it = irmf_cx_deref(v->items[i]);

		if ((items[i] = item_text(it)) == NULL)
			goto cleanup;   /* not a list of values: skip it */
		if (it->kind != IRMF_CX_PRIM || strcmp(it->tag, "URI") != 0)
			uris = false;
	}
	if (uris || irmf_streq_ci(name, "LicensingLocation"))
		type = IRMF_PROP_URI_LIST;
	rc = irmf_snapshot_prop_set_list(m->snap, name, type,
	    (char *const *)items, v->nitems);
cleanup:
	free(items);
	return rc;
}

/* One IRM property; kinds irmfleet does not compare are skipped. */
static int
map_irm_prop(map_ctx *m, const irmf_cx_node *p)
{
	const irmf_cx_node *v = irmf_cx_deref(p);
	const char *name = p->name;

	if (name == NULL || session_member(name) || v == NULL)
		return IRMF_OK;
	if (v->kind == IRMF_CX_NIL)
		return irmf_snapshot_prop_set(m->snap, name, nil_type(name),
		    NULL, true);
	if (v->kind == IRMF_CX_PRIM) {
		if (strcmp(v->tag, "B") == 0)
			return irmf_snapshot_prop_set(m->snap, name,
			    IRMF_PROP_BOOL, strstr(v->text, "true") ? "True"
			    : "False", false);
		if (strcmp(v->tag, "S") == 0)
			return irmf_snapshot_prop_set(m->snap, name,
			    IRMF_PROP_STRING, v->text, false);
		if (strcmp(v->tag, "URI") == 0)
			return irmf_snapshot_prop_set(m->snap, name,
			    IRMF_PROP_URI, v->text, false);
		if (is_int_tag(v->tag))
			return irmf_snapshot_prop_set(m->snap, name,
			    IRMF_PROP_INT, v->text, false);
		return IRMF_OK;   /* DT, G, TS, BA ...: not compared */
	}
	if (v->kind != IRMF_CX_OBJ)
		return IRMF_OK;
	if (irmf_cx_is_type(v, "System.Enum")) {
		const char *t = v->text ? v->text
		    : v->prim ? irmf_cx_deref(v->prim)->text : NULL;
		return irmf_snapshot_prop_set(m->snap, name, IRMF_PROP_ENUM,
		    t, t == NULL);
	}
	if (v->coll != IRMF_CX_COLL_NONE && v->coll != IRMF_CX_COLL_DCT)
		return map_irm_list(m, name, v);
	return IRMF_OK;   /* ADObjectId, ExchangeObjectVersion ... */
}

static int
map_irm(map_ctx *m, const irmf_cx_node *obj)
{
	int rc;

	for (size_t i = 0; i < obj->nprops; i++)
		if ((rc = map_irm_prop(m, obj->props[i])) < 0)
			return rc;
	/* Select-Object copies carry their properties as note members */
	for (size_t i = 0; i < obj->nms; i++)
		if ((rc = map_irm_prop(m, obj->ms[i])) < 0)
			return rc;
	m->snap->has_irm_config = true;
	m->mapped++;
	return IRMF_OK;
}

/* -------------------------------------------------- Get-ExchangeServer */

/* "15.2.986.5" from AdminDisplayVersion, an object with Major/Minor/
 * Build/Revision or a string "Version 15.2 (Build 986.5)". */
static bool
server_build(const irmf_cx_node *v, char *out, size_t cap)
{
	const char *p[4] = { "Major", "Minor", "Build", "Revision" };
	const char *t[4];
	unsigned a, b, c, d;
	char tail;
	const char *text;

	v = irmf_cx_deref(v);
	if (v == NULL)
		return false;
	if (v->kind == IRMF_CX_OBJ && v->nprops > 0) {
		bool all = true;
		for (int i = 0; i < 4; i++)
			if ((t[i] = irmf_cx_member_text(v, p[i])) == NULL)
				all = false;
		if (all && snprintf(out, cap, "%u.%u.%u.%u",
		    (unsigned)strtoul(t[0], NULL, 10),
		    (unsigned)strtoul(t[1], NULL, 10),
		    (unsigned)strtoul(t[2], NULL, 10),
		    (unsigned)strtoul(t[3], NULL, 10)) < (int)cap)
			return true;
	}
	text = v->text;
	if (text == NULL || sscanf(text, " Version %u.%u (Build %u.%u%c", &a,
	    &b, &c, &d, &tail) != 5 || tail != ')')
		return false;
	return snprintf(out, cap, "%u.%u.%u.%u", a, b, c, d) < (int)cap;
}

static const char *
exchange_product(const char *build)
{
	unsigned major = 0, minor = 0, bno = 0;

	if (sscanf(build, "%u.%u.%u", &major, &minor, &bno) < 2)
		return "Exchange Server";
	if (major == 14)
		return "Exchange Server 2010";
	if (major == 15 && minor == 0)
		return "Exchange Server 2013";
	if (major == 15 && minor == 1)
		return "Exchange Server 2016";
	/* Subscription Edition kept 15.2; its RTM is build 2562 */
	if (major == 15 && minor == 2)
		return bno >= 2562 ? "Exchange Server SE"
		    : "Exchange Server 2019";
	return "Exchange Server";
}

/* Get-ExchangeServer's role flags (IsMailboxServer, IsClientAccessServer,
 * IsHubTransportServer, IsEdgeServer) as "Mailbox, ClientAccess, ...";
 * the connector documentation configures only some roles (Exchange 2010
 * Client Access and Hub Transport, 2013 Client Access and Mailbox,
 * 2016/2019 Mailbox; never Edge).  Nothing is set when no flag is there. */
static int
exchange_roles(const irmf_cx_node *obj, char **out)
{
	static const struct { const char *member, *name; } flags[] = {
		{ "IsMailboxServer", "Mailbox" },
		{ "IsClientAccessServer", "ClientAccess" },
		{ "IsHubTransportServer", "HubTransport" },
		{ "IsEdgeServer", "Edge" },
	};
	char roles[96] = "";
	bool any = false;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		const char *v = irmf_cx_member_text(obj, flags[i].member);
		if (v == NULL)
			continue;
		any = true;
		if (strcasecmp(v, "true") == 0)
			snprintf(roles + strlen(roles), sizeof(roles) -
			    strlen(roles), "%s%s", roles[0] ? ", " : "",
			    flags[i].name);
	}
	if (!any)
		return IRMF_OK;
	return irmf_set_str(out, roles);
}

static int
map_exchange_server(map_ctx *m, const irmf_cx_node *obj)
{
	irmf_snapshot *s = m->snap;
	const char *sname = irmf_cx_member_text(obj, "Name");
	const char *fqdn = irmf_cx_member_text(obj, "Fqdn");
	const irmf_cx_node *ed = irmf_cx_member(obj, "Edition");
	const char *edition = ed ? ed->text : NULL;
	char build[64], product[160];

	if (!server_build(irmf_cx_member(obj, "AdminDisplayVersion"), build,
	    sizeof(build)))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: Exchange server '%s' has no readable "
		    "AdminDisplayVersion", m->name, obj->line,
		    sname ? sname : "");
	/* the snapshot has no edition field: it travels in the product */
	if (edition != NULL && *edition != '\0')
		snprintf(product, sizeof(product), "%s (%s)",
		    exchange_product(build), edition);
	else
		snprintf(product, sizeof(product), "%s",
		    exchange_product(build));
	if (s->server == NULL && sname != NULL &&
	    irmf_set_str(&s->server, sname) < 0)
		return IRMF_ENOMEM;
	if ((fqdn != NULL && irmf_snapshot_set_fqdn(s, fqdn) < 0) ||
	    irmf_snapshot_set_product(s, product, build) < 0)
		return IRMF_ENOMEM;
	if (exchange_roles(obj, &s->exchange_roles) < 0)
		return IRMF_ENOMEM;
	s->roles |= IRMF_ROLE_EXCHANGE;
	m->mapped++;
	return IRMF_OK;
}

/* Does an ExchangeServer object describe the snapshot's server? */
static bool
server_matches(const irmf_cx_node *obj, const char *server)
{
	const char *n = irmf_cx_member_text(obj, "Name");
	const char *f = irmf_cx_member_text(obj, "Fqdn");
	size_t len = strlen(server);

	return irmf_streq_ci(n, server) || irmf_streq_ci(f, server) ||
	    (f != NULL && strncasecmp(f, server, len) == 0 && f[len] == '.');
}

/* Get-ExchangeServer without -Identity lists every server of the
 * organisation; take the one this snapshot is about. */
static int
map_servers(map_ctx *m)
{
	const char *want = m->snap->server;

	if (m->nservers == 0)
		return IRMF_OK;
	if (want == NULL) {
		if (m->nservers == 1)
			return map_exchange_server(m, m->servers[0]);
		return irmf_error_set(IRMF_EPARSE,
		    "%s: CLIXML holds %zu Exchange servers and no server "
		    "name was given to choose one", m->name, m->nservers);
	}
	for (size_t i = 0; i < m->nservers; i++)
		if (server_matches(m->servers[i], want))
			return map_exchange_server(m, m->servers[i]);
	return irmf_error_set(IRMF_EPARSE,
	    "%s: CLIXML describes Exchange server '%s', not '%s'", m->name,
	    irmf_cx_member_text(m->servers[0], "Name") ?
	    irmf_cx_member_text(m->servers[0], "Name") : "?", want);
}

/* --------------------------------------------------------- file versions */

/* Normalise "15.02.0986.005" or "4.8.3761.0 built by: X" to dotted
 * numbers without leading zeros; false if it does not start with one. */
static bool
norm_version(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	int parts = 0;

	if (in == NULL)
		return false;
	while (isspace((unsigned char)*in))
		in++;
	while (isdigit((unsigned char)*in) && parts < 4) {
		unsigned long v = 0;
		int w;

		for (; isdigit((unsigned char)*in); in++)
			v = v > 100000000UL ? v : v * 10 + (unsigned)(*in - '0');
		w = snprintf(out + n, cap - n, "%s%lu", parts ? "." : "", v);
		if (w < 0 || (size_t)w >= cap - n)
			return false;
		n += (size_t)w;
		parts++;
		if (*in != '.' || !isdigit((unsigned char)in[1]))
			break;
		in++;
	}
	return parts >= 2;
}

static const char *
base_name(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

static int
map_file_version(map_ctx *m, const irmf_cx_node *fvi)
{
	const char *path = irmf_cx_member_text(fvi, "FileName");
	const char *name = path ? base_name(path)
	    : irmf_cx_member_text(fvi, "OriginalFilename");
	const char *parts[4] = { "FileMajorPart", "FileMinorPart",
	    "FileBuildPart", "FilePrivatePart" };
	char ver[64], raw[64];
	bool have = false;

	if (name == NULL || *name == '\0')
		return IRMF_OK;
	have = norm_version(irmf_cx_member_text(fvi, "FileVersionRaw"), ver,
	    sizeof(ver));
	if (!have) {
		const char *t[4];
		bool all = true;
		for (int i = 0; i < 4; i++)
			if ((t[i] = irmf_cx_member_text(fvi, parts[i])) == NULL)
				all = false;
		if (all && snprintf(raw, sizeof(raw), "%s.%s.%s.%s", t[0],
		    t[1], t[2], t[3]) < (int)sizeof(raw))
			have = norm_version(raw, ver, sizeof(ver));
	}
	if (!have)
		have = norm_version(irmf_cx_member_text(fvi, "FileVersion"),
		    ver, sizeof(ver));
	if (irmf_snapshot_file_set(m->snap, name, path, have ? ver : NULL) < 0)
		return IRMF_ENOMEM;
	m->mapped++;
	return IRMF_OK;
}

/* Walk the tree (not following Refs: every object is visited once, and
 * reference cycles cannot loop) and map each FileVersionInfo. */
static int
walk_files(map_ctx *m, const irmf_cx_node *n)
{
	int rc;

	if (n == NULL || n->kind != IRMF_CX_OBJ)
		return IRMF_OK;
	if (irmf_cx_is_type(n, "System.Diagnostics.FileVersionInfo"))
		return map_file_version(m, n);
	for (size_t i = 0; i < n->nprops; i++)
		if ((rc = walk_files(m, n->props[i])) < 0)
			return rc;
	for (size_t i = 0; i < n->nms; i++)
		if ((rc = walk_files(m, n->ms[i])) < 0)
			return rc;
	for (size_t i = 0; i < n->nitems; i++)
		if ((rc = walk_files(m, n->items[i])) < 0)
			return rc;
	return walk_files(m, n->prim);
}

/* ------------------------------------------------- probe and groups */

static int
map_probe(map_ctx *m, const irmf_cx_node *obj)
{
	const char *url = irmf_cx_member_text(obj, "Url");
	const char *res = irmf_cx_member_text(obj, "Result");
	const char *code = irmf_cx_member_text(obj, "StatusCode");
	const char *msg = irmf_cx_member_text(obj, "Message");
	irmf_probe_result r;
	long status = 0;

	if (url == NULL || *url == '\0' || res == NULL)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: probe object without Url or Result", m->name,
		    obj->line);
	if (irmf_probe_result_parse(res, &r) < 0)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: probe of '%s' has Result '%s' (expected http, "
		    "dns, connect, tls, timeout or other)", m->name, obj->line,
		    url, res);
	if (r == IRMF_PROBE_HTTP) {
		char *end;
		status = code ? strtol(code, &end, 10) : -1;
		if (code == NULL || *end != '\0' || status < 100 ||
		    status > 999)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: probe of '%s' has Result http but "
			    "StatusCode '%s'", m->name, obj->line, url,
			    code ? code : "");
	}
	if (irmf_snapshot_add_probe(m->snap, url, r, (int)status,
	    msg && *msg ? msg : NULL) < 0)
		return IRMF_ENOMEM;
	m->mapped++;
	return IRMF_OK;
}

static int
map_groups(map_ctx *m, const irmf_cx_node *obj)
{
	const char *acct = irmf_cx_member_text(obj, "ComputerAccount");
	const char *scope;
	const irmf_cx_node *g = irmf_cx_member(obj, "Groups");

	if (acct == NULL || *acct == '\0')
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: groups object without ComputerAccount", m->name,
		    obj->line);
	if (irmf_snapshot_set_computer_account(m->snap, acct) < 0)
		return IRMF_ENOMEM;
	/* Scope (collect): "token" from AD tokenGroups, "direct" from
	 * memberOf; absent in older exports */
	if ((scope = irmf_cx_member_text(obj, "Scope")) != NULL &&
	    *scope != '\0' &&
	    irmf_groups_scope_parse(scope, &m->snap->groups_scope) < 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: groups Scope '%s' "
		    "is neither token nor direct", m->name, obj->line, scope);
	if (g != NULL && g->kind == IRMF_CX_PRIM && *g->text != '\0' &&
	    irmf_snapshot_add_group(m->snap, g->text) < 0)
		return IRMF_ENOMEM;
	if (g != NULL && g->kind == IRMF_CX_OBJ) {
		for (size_t i = 0; i < g->nitems; i++) {
			const char *t = item_text(g->items[i]);
			if (t == NULL || *t == '\0')
				return irmf_error_set(IRMF_EPARSE,
				    "%s:%ld: group list of '%s' holds an "
				    "empty or non-text entry", m->name,
				    g->line, acct);
			if (irmf_snapshot_add_group(m->snap, t) < 0)
				return IRMF_ENOMEM;
		}
	}
	m->mapped++;
	return IRMF_OK;
}

/* ------------------------------------------------------------- dispatch */

static int
grow_servers(map_ctx *m)
{
	size_t ncap;
	const irmf_cx_node **p;

	if (m->nservers < m->capservers)
		return IRMF_OK;
	ncap = m->capservers ? m->capservers * 2 : 4;
	if ((p = realloc(m->servers, ncap * sizeof(*p))) == NULL)
		return irmf_error_oom();
	m->servers = p;
	m->capservers = ncap;
	return IRMF_OK;
}

/* A registry key's SDDL: irmfleet.KeyAcl {Path, Sddl} (collect and the
 * documented export; Sddl $null = the key does not exist), or a Get-Acl
 * object exported as is (PSPath "Microsoft.PowerShell.Core\Registry::
 * HKEY_LOCAL_MACHINE\..."). */
static int
map_key_acl(map_ctx *m, const irmf_cx_node *obj)
{
	static const char provider[] = "Microsoft.PowerShell.Core\\Registry::";
	const char *path = irmf_cx_member_text(obj, "Path"), *shown;
	const irmf_cx_node *sd = irmf_cx_deref(irmf_cx_member(obj, "Sddl"));
	char buf[1024];
	size_t n;
	int rc;

	if (path == NULL || *path == '\0')
		path = irmf_cx_member_text(obj, "PSPath");
	if (path == NULL || *path == '\0')
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: key ACL object "
		    "without Path", m->name, obj->line);
	shown = path;
	if (strncasecmp(path, provider, sizeof(provider) - 1) == 0)
		path += sizeof(provider) - 1;
	/* PowerShell drive form "HKLM:\SOFTWARE\..." */
	n = strcspn(path, ":\\");
	if (n < 8 && path[n] == ':' && n + 1 < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%.*s%s", (int)n, path, path + n + 1);
		path = buf;
	}
	if (sd != NULL && sd->kind != IRMF_CX_NIL && sd->kind != IRMF_CX_PRIM)
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: Sddl of '%s' is "
		    "not a string", m->name, obj->line, shown);
	if ((rc = irmf_snapshot_set_key_acl(m->snap, path, sd != NULL &&
	    sd->kind == IRMF_CX_PRIM && *sd->text ? sd->text : NULL)) < 0)
		return rc == IRMF_EPARSE ? irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: key ACL Path '%s' is not a registry key under "
		    "HKLM, HKCU, ...", m->name, obj->line, shown) : rc;
	m->mapped++;
	return IRMF_OK;
}

static bool
has(const irmf_cx_node *o, const char *a, const char *b)
{
	return irmf_cx_member(o, a) != NULL && irmf_cx_member(o, b) != NULL;
}

static int
map_object(map_ctx *m, const irmf_cx_node *o)
{
	if (o == NULL || o->kind != IRMF_CX_OBJ)
		return IRMF_OK;
	if (irmf_cx_is_type(o,
	    "Microsoft.Exchange.Data.Directory.SystemConfiguration."
	    "IRMConfiguration") ||
	    has(o, "InternalLicensingEnabled", "TransportDecryptionSetting"))
		return map_irm(m, o);
	if (irmf_cx_is_type(o,
	    "Microsoft.Exchange.Data.Directory.Management.ExchangeServer") ||
	    (has(o, "AdminDisplayVersion", "Fqdn") &&
	    irmf_cx_member(o, "ServerRole") != NULL)) {
		if (grow_servers(m) < 0)
			return IRMF_ENOMEM;
		m->servers[m->nservers++] = o;
		return IRMF_OK;
	}
	if (irmf_cx_is_type(o, "irmfleet.Probe") || has(o, "Url", "Result"))
		return map_probe(m, o);
	if (irmf_cx_is_type(o, "irmfleet.Groups") ||
	    has(o, "ComputerAccount", "Groups"))
		return map_groups(m, o);
	if (irmf_cx_is_type(o, "irmfleet.KeyAcl") || has(o, "Sddl", "PSPath") ||
	    has(o, "Sddl", "Path"))
		return map_key_acl(m, o);
	return IRMF_OK;
}

/* What to call the first root in the "nothing irmfleet uses" message. */
static const char *
root_desc(const irmf_cx_node *r, char *buf, size_t cap)
{
	const char *t;

	r = irmf_cx_deref(r);
	if (r->kind == IRMF_CX_OBJ && (t = irmf_cx_type_name(r)) != NULL)
		return t;
	snprintf(buf, cap, "<%s>", r->tag);
	return buf;
}

int
irmf_clixml_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	irmf_clixml_doc *doc = NULL;
	map_ctx m;
	size_t nroots;
	char desc[32];
	int rc;

	memset(&m, 0, sizeof(m));
	m.snap = snap;
	m.name = name ? name : "<input>";
	if ((rc = irmf_clixml_doc_parse(&doc, buf, len, m.name)) < 0)
		return rc;
	nroots = irmf_clixml_doc_nroots(doc);
	for (size_t i = 0; i < nroots; i++) {
		const irmf_cx_node *r = irmf_cx_deref(
		    irmf_clixml_doc_root(doc, i));

		if ((rc = map_object(&m, r)) < 0)
			goto cleanup;
		/* PSSerializer::Serialize(@(a, b)) wraps objects in a list */
		if (r->kind == IRMF_CX_OBJ && r->coll != IRMF_CX_COLL_DCT)
			for (size_t j = 0; j < r->nitems; j++)
				if ((rc = map_object(&m,
				    irmf_cx_deref(r->items[j]))) < 0)
					goto cleanup;
		if ((rc = walk_files(&m, irmf_clixml_doc_root(doc, i))) < 0)
			goto cleanup;
	}
	if ((rc = map_servers(&m)) < 0)
		goto cleanup;
	if (m.mapped == 0) {
		if (nroots == 0)
			rc = irmf_error_set(IRMF_EUNSUPPORTED,
			    "%s: CLIXML document holds no objects", m.name);
		else
			rc = irmf_error_set(IRMF_EUNSUPPORTED,
			    "%s: CLIXML object of type '%s' carries nothing "
			    "irmfleet uses", m.name,
			    root_desc(irmf_clixml_doc_root(doc, 0), desc,
			    sizeof(desc)));
	}
cleanup:
	free(m.servers);
	irmf_clixml_doc_free(doc);
	return rc;
}
