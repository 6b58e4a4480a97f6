/*
 * snapshot.c - the in-memory snapshot model: creating and freeing a
 * snapshot, the server's identity (name, product, roles, collection
 * metadata, sources) and the names of the model's enumerations.
 *
 * The model is in three files for size: this one, the registry
 * (snapshot_reg.c) and the other item kinds (snapshot_items.c); what they
 * share is snapshot_parts.h.  Every parser, the XML reader and merge build
 * snapshots through these functions.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "snapshot_int.h"
#include "snapshot_parts.h"

/* ------------------------------------------------------------ lifecycle */

int
irmf_snapshot_new(irmf_snapshot **out, const char *server)
{
	irmf_snapshot *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return irmf_error_oom();
	if (server != NULL && (s->server = irmf_strdup(server)) == NULL) {
		free(s);
		return IRMF_ENOMEM;
	}
	*out = s;
	return IRMF_OK;
}

void
irmf_snapshot_free(irmf_snapshot *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->server);
	free(s->fqdn);
	free(s->product);
	free(s->exchange_roles);
	free(s->product_build);
	free(s->os_version);
	free(s->collected_at);
	free(s->collector_name);
	free(s->collector_version);
	free(s->recorded_generation);
	free(s->recorded_build);
	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].file);
		free(s->sources[i].sha256);
		free(s->sources[i].format);
	}
	free(s->sources);
	irmf_snapshot_reg_free(s);
	for (i = 0; i < s->nprops; i++)
		irmf_prop_clear(&s->props[i]);
	free(s->props);
	for (i = 0; i < s->nirm_steps; i++) {
		free(s->irm_steps[i].check);
		free(s->irm_steps[i].message);
	}
	free(s->irm_steps);
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		free(s->files[i].path);
		free(s->files[i].version);
	}
	free(s->files);
	free(s->computer_account);
	irmf_strlist_clear(&s->groups);
	irmf_strlist_clear(&s->service_accounts);
	for (i = 0; i < s->nacls; i++) {
		free(s->acls[i].path);
		free(s->acls[i].sddl);
	}
	free(s->acls);
	for (i = 0; i < s->nauths; i++)
		free(s->auths[i].account);
	free(s->auths);
	free(s->auth_at);
	free(s->auth_1004_unread);
	for (i = 0; i < s->nevents; i++) {
		free(s->events[i].account);
		free(s->events[i].computer);
		free(s->events[i].first);
		free(s->events[i].last);
	}
	free(s->events);
	for (i = 0; i < s->nevwindows; i++) {
		free(s->evwindows[i].ids);
		free(s->evwindows[i].oldest);
	}
	free(s->evwindows);
	for (i = 0; i < s->nprobes; i++) {
		free(s->probes[i].url);
		free(s->probes[i].message);
	}
	free(s->probes);
	for (i = 0; i < s->nerrors; i++) {
		free(s->errors[i].item);
		free(s->errors[i].message);
	}
	free(s->errors);
	for (i = 0; i < s->nskipped; i++) {
		free(s->skipped[i].item);
		free(s->skipped[i].message);
	}
	free(s->skipped);
	free(s);
}

/* ------------------------------------------------------------- identity */

const char *irmf_snapshot_server(const irmf_snapshot *s) { return s->server; }
const char *irmf_snapshot_fqdn(const irmf_snapshot *s) { return s->fqdn; }
unsigned irmf_snapshot_roles(const irmf_snapshot *s) { return s->roles; }

int
irmf_snapshot_set_fqdn(irmf_snapshot *s, const char *fqdn)
{
	return irmf_set_str(&s->fqdn, fqdn);
}

int
irmf_snapshot_set_product(irmf_snapshot *s, const char *product,
    const char *build)
{
	if (irmf_set_str(&s->product, product) < 0)
		return IRMF_ENOMEM;
	return irmf_set_str(&s->product_build, build);
}

int
irmf_snapshot_set_os(irmf_snapshot *s, const char *os)
{
	return irmf_set_str(&s->os_version, os);
}

int
irmf_snapshot_set_collected_at(irmf_snapshot *s, const char *iso)
{
	return irmf_set_str(&s->collected_at, iso);
}

int
irmf_snapshot_stamp_now(irmf_snapshot *s)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL)
		return irmf_error_set(IRMF_ERROR, "cannot read the clock");
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return irmf_set_str(&s->collected_at, buf);
}

int
irmf_snapshot_set_collector(irmf_snapshot *s, const char *name,
    const char *version)
{
	if (irmf_set_str(&s->collector_name, name) < 0)
		return IRMF_ENOMEM;
	return irmf_set_str(&s->collector_version, version);
}

int
irmf_snapshot_add_source(irmf_snapshot *s, const char *file,
    const char *sha256, const char *format)
{
	irmf_source *src;

	if (IRMF_GROW(s->sources, s->capsources, s->nsources) < 0)
		return IRMF_ENOMEM;
	src = &s->sources[s->nsources];
	if (irmf_set_str(&src->file, file) < 0 ||
	    irmf_set_str(&src->sha256, sha256) < 0 ||
	    irmf_set_str(&src->format, format) < 0) {
		free(src->file);
		free(src->sha256);
		free(src->format);
		memset(src, 0, sizeof(*src));
		return IRMF_ENOMEM;
	}
	s->nsources++;
	return IRMF_OK;
}

static const char *role_names[] = { "exchange", "sharepoint", "fci",
    "connector" };

const char *
irmf_role_name(irmf_role role)
{
	for (unsigned i = 0; i < 4; i++)
		if (role == (irmf_role)(1u << i))
			return role_names[i];
	return "unknown";
}

int
irmf_role_parse(const char *name, irmf_role *out)
{
	for (unsigned i = 0; i < 4; i++)
		if (irmf_streq_ci(name, role_names[i])) {
			*out = (irmf_role)(1u << i);
			return IRMF_OK;
		}
	return irmf_error_set(IRMF_EUSAGE,
	    "unknown role '%s' (expected exchange, sharepoint, fci or "
	    "connector)", name ? name : "");
}

/* ------------------------------------------------------- enum names */

#define NAME_TABLE(fn_name, fn_parse, type, what, ...)                      \
	static const char *fn_name##_tab[] = { __VA_ARGS__ };               \
	const char *fn_name(type v)                                         \
	{                                                                   \
		if ((unsigned)v < sizeof(fn_name##_tab) / sizeof(char *))   \
			return fn_name##_tab[v];                            \
		return "unknown";                                           \
	}                                                                   \
	int fn_parse(const char *s, type *out)                              \
	{                                                                   \
		for (unsigned i = 0; i < sizeof(fn_name##_tab) /            \
		    sizeof(char *); i++)                                    \
			if (irmf_streq_ci(s, fn_name##_tab[i])) {           \
				*out = (type)i;                             \
				return IRMF_OK;                             \
			}                                                   \
		return irmf_error_set(IRMF_EPARSE, "unknown " what " '%s'", \
		    s ? s : "");                                            \
	}

NAME_TABLE(irmf_account_kind_name, irmf_account_kind_parse,
    irmf_account_kind, "account kind", "user", "group", "computer")
NAME_TABLE(irmf_probe_result_name, irmf_probe_result_parse,
    irmf_probe_result, "probe result", "http", "dns", "connect", "tls",
    "timeout", "other")
NAME_TABLE(irmf_collect_reason_name, irmf_collect_reason_parse,
    irmf_collect_reason, "collection failure reason", "timeout",
    "access-denied", "not-found", "parse-error", "command-failed",
    "connection")
NAME_TABLE(irmf_method_name, irmf_method_parse, irmf_method,
    "collection method", "import", "ssh")
