/*
 * hostcfg.c - resolves each inventory host's connection settings from the
 * command line, the inventory and the OpenSSH client configuration (see
 * hostcfg.h), and explains the result (`inventory check`).
 *
 * Precedence is OpenSSH's (command line, then the inventory as the more
 * specific source, then the first ssh_config match), with two deliberate
 * exceptions: --user stays what it always was, the user for hosts the
 * inventory gives none (so above ssh_config, below the inventory); and
 * ssh_config can never weaken host-key checking (StrictHostKeyChecking
 * no/accept-new is reported, not applied): only --accept-new does that.
 * The inventory says where each of its values was written
 * (irmf_inv_host.source); a value it left at the default (no source) may
 * be filled from ssh_config.
 */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "error.h"
#include "fileio.h"
#include "hostcfg.h"
#include "knownhosts.h"
#include "sshconfig.h"
#include "buf.h"

#define MAX_KEY_FILE ((size_t)64 * 1024)

typedef struct kh_entry {
	char *path;
	irmf_knownhosts *kh;
} kh_entry;

typedef struct key_entry {
	char *path;
	char *data;
	size_t len;
} key_entry;

struct irmf_hostcfgs {
	const irmf_inventory *inv;
	const irmf_collect_options *o;
	irmf_sshcfg *cfg;
	char *home, *local_user, *default_kh;
	irmf_hostcfg *hosts;
	size_t n;
	kh_entry *khs;
	size_t nkhs, khcap;
	key_entry *keys;
	size_t nkeys, keycap;
};

/* Keywords that change the route or which key is trusted: connecting
 * without them would reach the server another way than ssh does. */
static const char *const route_keywords[] = {
	"ProxyCommand", "ProxyUseFdpass", "HostKeyAlias", "KnownHostsCommand",
	"CanonicalizeHostname"
};

/* ------------------------------------------------------------- helpers */

static irmf_origin
from_cfg(const irmf_sshcfg_val *v)
{
	irmf_origin o = { IRMF_FROM_SSHCONFIG, v->file, v->line };

	return o;
}

const char *
irmf_origin_text(const irmf_origin *o, char *buf, size_t cap)
{
	switch (o->from) {
	case IRMF_FROM_CLI:
		snprintf(buf, cap, "cli");
		break;
	case IRMF_FROM_INVENTORY:
		/* the inventory's own "file:line" (group_vars/all.yml:3) */
		snprintf(buf, cap, "inventory %s", o->file);
		break;
	case IRMF_FROM_SSHCONFIG:
		snprintf(buf, cap, "ssh_config %s:%zu", o->file, o->line);
		break;
	default:
		snprintf(buf, cap, "default");
	}
	return buf;
}

static int note(irmf_hostcfg *hc, const char *file, size_t line,
    const char *fmt, ...) IRMF_PRINTF(4, 5);

/* Remember a setting read but not applied: "ex01 (cfg:4): ...". */
static int
note(irmf_hostcfg *hc, const char *file, size_t line, const char *fmt, ...)
{
	irmf_buf buf = IRMF_BUF_INIT;
	char msg[1024], *s;
	size_t cap = hc->nnotes;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	irmf_buf_printf(&buf, "%s (%s:%zu): %s", hc->h->name, file, line, msg);
	if ((s = irmf_buf_take(&buf)) == NULL ||
	    IRMF_GROW(hc->notes, cap, hc->nnotes) != 0) {
		free(s);
		return IRMF_ENOMEM;
	}
	hc->notes[hc->nnotes++] = s;
	return IRMF_OK;
}

static char *
where(const irmf_sshcfg_val *v, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s:%zu", v->file, v->line);
	return buf;
}

/* ------------------------------------------------------------ resolving */

static int
resolve_address(irmf_hostcfg *hc, const irmf_sshcfg_host *s)
{
	const irmf_inv_host *h = hc->h;
	irmf_sshcfg_tokens t = { .host = h->name };
	char w[600];

	if (h->source[IRMF_INV_ADDRESS] != NULL) {
		hc->address_from = (irmf_origin){ IRMF_FROM_INVENTORY,
		    h->source[IRMF_INV_ADDRESS], 0 };
		return (hc->address = irmf_strdup(h->address)) ? 0 :
		    IRMF_ENOMEM;
	}
	if (s->hostname.value != NULL) {
		hc->address_from = from_cfg(&s->hostname);
		return irmf_sshcfg_expand(s->hostname.value, &t, true,
		    where(&s->hostname, w, sizeof(w)), &hc->address);
	}
	return (hc->address = irmf_strdup(h->name)) ? 0 : IRMF_ENOMEM;
}

static void
resolve_port_timeout(irmf_hostcfgs *c, irmf_hostcfg *hc,
    const irmf_sshcfg_host *s)
{
	const irmf_collect_options *o = c->o;

	hc->port = 22;
	if (hc->h->source[IRMF_INV_PORT] != NULL) {
		hc->port = hc->h->port;
		hc->port_from = (irmf_origin){ IRMF_FROM_INVENTORY,
		    hc->h->source[IRMF_INV_PORT], 0 };
	} else if (s->port.value != NULL) {
		hc->port = atoi(s->port.value);   /* checked when read */
		hc->port_from = from_cfg(&s->port);
	}
	hc->connect_timeout_ms = o->connect_timeout_ms;
	if (o->connect_timeout_set) {
		hc->timeout_from.from = IRMF_FROM_CLI;
	} else if (s->connect_timeout.value != NULL) {
		hc->connect_timeout_ms = (unsigned)atoi(s->connect_timeout.value)
		    * 1000u;
		hc->timeout_from = from_cfg(&s->connect_timeout);
	}
}

static int
resolve_user(irmf_hostcfgs *c, irmf_hostcfg *hc, const irmf_sshcfg_host *s)
{
	const char *u = c->local_user;

	if (hc->h->user != NULL) {
		u = hc->h->user;
		hc->user_from = (irmf_origin){ IRMF_FROM_INVENTORY,
		    hc->h->source[IRMF_INV_USER] ? hc->h->source[IRMF_INV_USER] :
		    c->inv->name, 0 };
	} else if (c->o->default_user != NULL) {
		u = c->o->default_user;
		hc->user_from.from = IRMF_FROM_CLI;
	} else if (s->user.value != NULL) {
		u = s->user.value;
		hc->user_from = from_cfg(&s->user);
	}
	return (hc->user = irmf_strdup(u)) ? 0 : IRMF_ENOMEM;
}

static void
tokens_for(const irmf_hostcfgs *c, const irmf_hostcfg *hc,
    irmf_sshcfg_tokens *t)
{
	t->home = c->home;
	t->local_user = c->local_user;
	t->host = hc->address;
	t->remote_user = hc->user;
	t->alias = hc->h->name;
	t->port = hc->port;
}

/* known_hosts file and host-key policy. */
static int
resolve_hostkeys(irmf_hostcfgs *c, irmf_hostcfg *hc,
    const irmf_sshcfg_host *s)
{
	irmf_sshcfg_tokens t;
	char w[600];
	int r;

	tokens_for(c, hc, &t);
	if (c->o->known_hosts != NULL) {
		hc->known_hosts_from.from = IRMF_FROM_CLI;
		if ((hc->known_hosts = irmf_strdup(c->o->known_hosts)) == NULL)
			return IRMF_ENOMEM;
	} else if (s->known_hosts.value != NULL) {
		hc->known_hosts_from = from_cfg(&s->known_hosts);
		if ((r = irmf_sshcfg_expand(s->known_hosts.value, &t, false,
		    where(&s->known_hosts, w, sizeof(w)), &hc->known_hosts))
		    != 0)
			return r;
		if (strcmp(hc->known_hosts, "/dev/null") == 0) {
			/* ssh's way of not checking host keys: with
			 * --accept-new it would trust every key every time */
			free(hc->known_hosts);
			hc->known_hosts = NULL;
			hc->known_hosts_from.from = IRMF_FROM_DEFAULT;
			if ((r = note(hc, s->known_hosts.file,
			    s->known_hosts.line, "UserKnownHostsFile "
			    "/dev/null is not applied: irmfleet always checks "
			    "host keys (the default known_hosts is used)")) != 0)
				return r;
		}
	}
	if (hc->known_hosts == NULL) {
		hc->known_hosts = irmf_strdup(c->default_kh ? c->default_kh :
		    "");
		if (hc->known_hosts == NULL)
			return IRMF_ENOMEM;
	}
	hc->accept_new = c->o->accept_new != 0;
	if (hc->accept_new)
		hc->accept_new_from.from = IRMF_FROM_CLI;
	if (s->strict.value != NULL && !hc->accept_new &&
	    !irmf_streq_ci(s->strict.value, "yes") &&
	    !irmf_streq_ci(s->strict.value, "ask"))
		return note(hc, s->strict.file, s->strict.line,
		    "StrictHostKeyChecking %s is not applied: irmfleet checks "
		    "host keys strictly unless --accept-new is given",
		    s->strict.value);
	return IRMF_OK;
}

static int
resolve_identities(irmf_hostcfgs *c, irmf_hostcfg *hc,
    const irmf_sshcfg_host *s)
{
	irmf_sshcfg_tokens t;
	size_t cap = 0;
	char w[600];
	int r;

	if (s->identities_only.value != NULL) {
		hc->identities_only = irmf_streq_ci(s->identities_only.value,
		    "yes");
		hc->idonly_from = from_cfg(&s->identities_only);
	}
	if (c->o->nidentities > 0 || s->nidentity == 0)
		return IRMF_OK;   /* --identity wins; or the defaults */
	tokens_for(c, hc, &t);
	hc->identity = calloc(s->nidentity, sizeof(char *));
	hc->identity_from = calloc(s->nidentity, sizeof(irmf_origin));
	if (hc->identity == NULL || hc->identity_from == NULL)
		return irmf_error_oom();
	(void)cap;
	for (size_t i = 0; i < s->nidentity; i++) {
		char *path;

		if ((r = irmf_sshcfg_expand(s->identity[i].value, &t, false,
		    where(&s->identity[i], w, sizeof(w)), &path)) != 0)
			return r;
		if (access(path, R_OK) != 0) {
			/* as ssh: a missing IdentityFile is skipped */
			r = note(hc, s->identity[i].file, s->identity[i].line,
			    "IdentityFile '%s' cannot be read; skipped", path);
			free(path);
			if (r != 0)
				return r;
			continue;
		}
		hc->identity_from[hc->nidentity] = from_cfg(&s->identity[i]);
		hc->identity[hc->nidentity++] = path;
	}
	return IRMF_OK;
}

/* One jump host: its own ssh_config entry gives HostName, Port and User
 * unless the ProxyJump value names them. */
static int
resolve_hop(irmf_hostcfgs *c, irmf_hostcfg *hc, const irmf_sshcfg_hop *hop,
    irmf_ssh_target *t)
{
	irmf_sshcfg_host s;
	irmf_sshcfg_tokens tok = { .host = hop->host };
	char *addr = NULL, label[600], w[600];
	int port, r;

	if ((r = irmf_sshcfg_lookup(c->cfg, hop->host, &s)) != 0)
		return r;
	if (s.hostname.value != NULL)
		r = irmf_sshcfg_expand(s.hostname.value, &tok, true,
		    where(&s.hostname, w, sizeof(w)), &addr);
	else if ((addr = irmf_strdup(hop->host)) == NULL)
		r = IRMF_ENOMEM;
	port = hop->port ? hop->port : s.port.value ? atoi(s.port.value) : 22;
	snprintf(label, sizeof(label), "%s:%d", hop->host, port);
	t->address = addr;
	t->port = port;
	t->user = irmf_strdup(hop->user ? hop->user : s.user.value ?
	    s.user.value : c->o->default_user ? c->o->default_user :
	    c->local_user);
	t->label = irmf_strdup(label);
	if (r == 0 && (t->user == NULL || t->label == NULL))
		r = IRMF_ENOMEM;
	if (r == 0 && s.proxyjump.value != NULL &&
	    !irmf_streq_ci(s.proxyjump.value, "none"))
		r = note(hc, s.proxyjump.file, s.proxyjump.line, "the "
		    "ProxyJump of jump host '%s' is not followed (list every "
		    "hop in the target's ProxyJump)", hop->host);
	for (size_t i = 0; r == 0 && i < s.nunsupported; i++)
		r = note(hc, s.unsupported[i].file, s.unsupported[i].line,
		    "%s of jump host '%s' is not supported; ignored",
		    s.unsupported[i].keyword, hop->host);
	irmf_sshcfg_host_clear(&s);
	return r;
}

static int
resolve_jumps(irmf_hostcfgs *c, irmf_hostcfg *hc, const irmf_sshcfg_host *s)
{
	irmf_sshcfg_hop *hops;
	size_t n;
	char w[600];
	int r;

	if (s->proxyjump.value == NULL)
		return IRMF_OK;
	hc->jump_from = from_cfg(&s->proxyjump);
	if ((hc->jump_spec = irmf_strdup(s->proxyjump.value)) == NULL)
		return IRMF_ENOMEM;
	if ((r = irmf_sshcfg_parse_jumps(s->proxyjump.value,
	    where(&s->proxyjump, w, sizeof(w)), &hops, &n)) != 0)
		return r;
	if (n > 0 && (hc->hops = calloc(n, sizeof(*hc->hops))) == NULL)
		r = irmf_error_oom();
	for (size_t i = 0; r == 0 && i < n; i++) {
		hc->nhops = i + 1;
		r = resolve_hop(c, hc, &hops[i], &hc->hops[i]);
	}
	irmf_sshcfg_hops_free(hops, n);
	return r;
}

static int
resolve_unsupported(irmf_hostcfg *hc, const irmf_sshcfg_host *s)
{
	for (size_t i = 0; i < s->nunsupported; i++) {
		const irmf_sshcfg_val *v = &s->unsupported[i];
		bool route = false;
		int r;

		for (size_t k = 0; k < sizeof(route_keywords) /
		    sizeof(route_keywords[0]); k++)
			route |= strcmp(v->keyword, route_keywords[k]) == 0;
		if (route && hc->refuse == NULL) {
			irmf_buf b = IRMF_BUF_INIT;

			irmf_buf_printf(&b, "'%s': %s (%s:%zu) is not supported "
			    "by irmfleet, and connecting without it would not "
			    "go where ssh goes; not connecting (use ProxyJump, "
			    "or -F to name another ssh configuration)",
			    hc->h->name, v->keyword, v->file, v->line);
			if ((hc->refuse = irmf_buf_take(&b)) == NULL)
				return IRMF_ENOMEM;
		}
		r = note(hc, v->file, v->line, "%s '%s' is not supported%s",
		    v->keyword, v->value, route ? "; host not collected" :
		    "; ignored");
		if (r != 0)
			return r;
	}
	return IRMF_OK;
}

static int
resolve_host(irmf_hostcfgs *c, size_t i)
{
	irmf_hostcfg *hc = &c->hosts[i];
	irmf_sshcfg_host s;
	int r;

	hc->h = &c->inv->hosts[i];
	if ((r = irmf_sshcfg_lookup(c->cfg, hc->h->name, &s)) != 0)
		return r;
	resolve_port_timeout(c, hc, &s);
	if ((r = resolve_address(hc, &s)) == 0 &&
	    (r = resolve_user(c, hc, &s)) == 0 &&
	    (r = resolve_hostkeys(c, hc, &s)) == 0 &&
	    (r = resolve_identities(c, hc, &s)) == 0 &&
	    (r = resolve_jumps(c, hc, &s)) == 0)
		r = resolve_unsupported(hc, &s);
	irmf_sshcfg_host_clear(&s);
	return r;
}

static int
load_config(irmf_hostcfgs *c)
{
	const char *p = c->o->ssh_config;
	char path[4096], dir[4096];
	irmf_sshcfg_env env = { c->home, NULL };

	if (c->home != NULL) {
		snprintf(dir, sizeof(dir), "%s/.ssh", c->home);
		env.ssh_dir = dir;
	}
	if (p != NULL && strcmp(p, "none") == 0)
		return IRMF_OK;
	if (p != NULL)
		return irmf_sshcfg_load(&c->cfg, p, true, &env);
	if (c->home == NULL)
		return IRMF_OK;
	snprintf(path, sizeof(path), "%s/.ssh/config", c->home);
	return irmf_sshcfg_load(&c->cfg, path, false, &env);
}

int
irmf_hostcfgs_new(irmf_hostcfgs **out, const irmf_inventory *inv,
    const irmf_collect_options *o, const char *local_user)
{
	irmf_hostcfgs *c = calloc(1, sizeof(*c));
	const char *home = getenv("HOME");
	int r = IRMF_OK;

	*out = c;
	if (c == NULL)
		return irmf_error_oom();
	c->inv = inv;
	c->o = o;
	if ((home && (c->home = irmf_strdup(home)) == NULL) ||
	    (c->local_user = irmf_strdup(local_user ? local_user : "")) ==
	    NULL)
		return IRMF_ENOMEM;
	if (home != NULL) {
		irmf_buf b = IRMF_BUF_INIT;

		irmf_buf_printf(&b, "%s/.ssh/known_hosts", home);
		if ((c->default_kh = irmf_buf_take(&b)) == NULL)
			return IRMF_ENOMEM;
	}
	if ((r = load_config(c)) != 0)
		return r;
	c->n = inv->nhosts;
	if (c->n > 0 && (c->hosts = calloc(c->n, sizeof(*c->hosts))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; r == 0 && i < c->n; i++)
		r = resolve_host(c, i);
	return r;
}

static void
hostcfg_clear(irmf_hostcfg *hc)
{
	free(hc->address);
	free(hc->user);
	free(hc->known_hosts);
	for (size_t i = 0; i < hc->nidentity; i++)
		free(hc->identity[i]);
	free(hc->identity);
	free(hc->identity_from);
	free(hc->jump_spec);
	for (size_t i = 0; i < hc->nhops; i++) {
		free((char *)hc->hops[i].address);
		free((char *)hc->hops[i].user);
		free((char *)hc->hops[i].label);
	}
	free(hc->hops);
	for (size_t i = 0; i < hc->nnotes; i++)
		free(hc->notes[i]);
	free(hc->notes);
	free(hc->refuse);
	if (hc->auth.keys != NULL && hc->nidentity > 0) {
		free(hc->auth.keys);   /* the key data is the set's */
		free(hc->auth.key_lens);
	}
}

void
irmf_hostcfgs_free(irmf_hostcfgs *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		hostcfg_clear(&c->hosts[i]);
	free(c->hosts);
	for (size_t i = 0; i < c->nkhs; i++) {
		free(c->khs[i].path);
		irmf_knownhosts_free(c->khs[i].kh);
	}
	free(c->khs);
	for (size_t i = 0; i < c->nkeys; i++) {
		free(c->keys[i].path);
		if (c->keys[i].data != NULL)   /* key material: wipe first */
			memset(c->keys[i].data, 0, c->keys[i].len);
		free(c->keys[i].data);
	}
	free(c->keys);
	irmf_sshcfg_free(c->cfg);
	free(c->home);
	free(c->local_user);
	free(c->default_kh);
	free(c);
}

const irmf_hostcfg *
irmf_hostcfgs_get(const irmf_hostcfgs *c, size_t i)
{
	return &c->hosts[i];
}

size_t
irmf_hostcfgs_warning_count(const irmf_hostcfgs *c)
{
	return irmf_sshcfg_warning_count(c->cfg);
}

const char *
irmf_hostcfgs_warning(const irmf_hostcfgs *c, size_t i)
{
	return irmf_sshcfg_warning(c->cfg, i);
}

/* ------------------------------------------------------------- binding */

static int
known_hosts_for(irmf_hostcfgs *c, const char *path, irmf_knownhosts **out)
{
	int r;

	for (size_t i = 0; i < c->nkhs; i++)
		if (strcmp(c->khs[i].path, path) == 0) {
			*out = c->khs[i].kh;
			return IRMF_OK;
		}
	if (IRMF_GROW(c->khs, c->khcap, c->nkhs) != 0)
		return IRMF_ENOMEM;
	if ((c->khs[c->nkhs].path = irmf_strdup(path)) == NULL)
		return IRMF_ENOMEM;
	if ((r = irmf_knownhosts_load(&c->khs[c->nkhs].kh, path)) != 0) {
		free(c->khs[c->nkhs].path);
		return r;
	}
	*out = c->khs[c->nkhs++].kh;
	return IRMF_OK;
}

static int
key_for(irmf_hostcfgs *c, const char *path, char **data, size_t *len)
{
	key_entry *k;
	int r;

	for (size_t i = 0; i < c->nkeys; i++)
		if (strcmp(c->keys[i].path, path) == 0) {
			*data = c->keys[i].data;
			*len = c->keys[i].len;
			return IRMF_OK;
		}
	if (IRMF_GROW(c->keys, c->keycap, c->nkeys) != 0)
		return IRMF_ENOMEM;
	k = &c->keys[c->nkeys];
	if ((k->path = irmf_strdup(path)) == NULL)
		return IRMF_ENOMEM;
	if ((r = irmf_file_read(path, MAX_KEY_FILE, &k->data, &k->len)) != 0) {
		free(k->path);
		return irmf_error_prefix("identity '%s': ", path);
	}
	c->nkeys++;
	*data = k->data;
	*len = k->len;
	return IRMF_OK;
}

static int
bind_host(irmf_hostcfgs *c, irmf_hostcfg *hc, irmf_knownhosts *kh,
    const irmf_ssh_auth *auth, const char *kh_path)
{
	int r;

	hc->kh = kh;
	if (strcmp(hc->known_hosts, kh_path) != 0 &&
	    (r = known_hosts_for(c, hc->known_hosts, &hc->kh)) != 0)
		return r;
	hc->auth = *auth;
	/* IdentitiesOnly: only the named files, never the agent's keys */
	hc->auth.use_agent = auth->use_agent && !hc->identities_only;
	if (hc->nidentity == 0)
		return IRMF_OK;
	hc->auth.key_names = (const char *const *)hc->identity;
	hc->auth.nkeys = hc->nidentity;
	hc->auth.keys = calloc(hc->nidentity, sizeof(char *));
	hc->auth.key_lens = calloc(hc->nidentity, sizeof(size_t));
	if (hc->auth.keys == NULL || hc->auth.key_lens == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < hc->nidentity; i++)
		if ((r = key_for(c, hc->identity[i], &hc->auth.keys[i],
		    &hc->auth.key_lens[i])) != 0)
			return r;
	return IRMF_OK;
}

int
irmf_hostcfgs_bind(irmf_hostcfgs *c, irmf_knownhosts *kh,
    const irmf_ssh_auth *auth)
{
	const char *kh_path = irmf_knownhosts_path(kh);
	int r;

	for (size_t i = 0; i < c->n; i++)
		if ((r = bind_host(c, &c->hosts[i], kh, auth, kh_path)) != 0)
			return r;
	return IRMF_OK;
}

const char *
irmf_hostcfg_dial_address(const irmf_hostcfg *hc)
{
	return hc->nhops ? hc->hops[0].address : hc->address;
}

int
irmf_hostcfg_dial_port(const irmf_hostcfg *hc)
{
	return hc->nhops ? hc->hops[0].port : hc->port;
}

int
irmf_hostcfg_connect(const irmf_hostcfg *hc, const struct addrinfo *ai,
    const irmf_ssh_auth *auth, irmf_ssh **out)
{
	irmf_ssh_target t = { hc->address, hc->port, hc->user, NULL };

	*out = NULL;
	if (hc->refuse != NULL)
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s", hc->refuse);
	return irmf_ssh_new_via(out, hc->h->name, &t, hc->hops, hc->nhops, ai,
	    auth != NULL ? auth : &hc->auth, hc->kh, hc->accept_new);
}

/* ---------------------------------------------------------- explaining */

static void
explain_line(irmf_buf *b, const char *what, const char *value,
    const irmf_origin *o)
{
	char from[700];

	irmf_buf_printf(b, "  %-16s %-32s %s\n", what, value,
	    irmf_origin_text(o, from, sizeof(from)));
}

static void
explain_host(irmf_buf *b, const irmf_hostcfgs *c, const irmf_hostcfg *hc)
{
	irmf_origin none = { IRMF_FROM_DEFAULT, NULL, 0 };
	irmf_origin cli = { IRMF_FROM_CLI, NULL, 0 };
	char v[64];

	irmf_buf_printf(b, "%s\n", hc->h->name);
	explain_line(b, "address", hc->address, &hc->address_from);
	snprintf(v, sizeof(v), "%d", hc->port);
	explain_line(b, "port", v, &hc->port_from);
	explain_line(b, "user", hc->user, &hc->user_from);
	for (size_t i = 0; i < hc->nidentity; i++)
		explain_line(b, "identity", hc->identity[i],
		    &hc->identity_from[i]);
	if (c->o->nidentities > 0)
		explain_line(b, "identity", "the --identity files", &cli);
	else if (hc->nidentity == 0)
		explain_line(b, "identity", "~/.ssh/id_{ed25519,ecdsa,rsa}",
		    &none);
	explain_line(b, "identities-only", hc->identities_only ? "yes" :
	    "no", &hc->idonly_from);
	explain_line(b, "known_hosts", hc->known_hosts, &hc->known_hosts_from);
	explain_line(b, "host keys", hc->accept_new ? "accept-new" : "strict",
	    &hc->accept_new_from);
	snprintf(v, sizeof(v), "%.1f s", hc->connect_timeout_ms / 1000.0);
	explain_line(b, "connect timeout", v, &hc->timeout_from);
	if (hc->jump_spec != NULL)
		explain_line(b, "proxyjump", hc->jump_spec, &hc->jump_from);
	for (size_t i = 0; i < hc->nhops; i++)
		irmf_buf_printf(b, "    jump %zu: %s port %d as '%s' (%s)\n",
		    i + 1, hc->hops[i].address, hc->hops[i].port,
		    hc->hops[i].user, hc->hops[i].label);
}

int
irmf_collect_explain(const irmf_inventory *inv,
    const irmf_collect_options *o, int verbose, char **text)
{
	irmf_hostcfgs *c = NULL;
	irmf_buf b = IRMF_BUF_INIT;
	const char *u = getenv("USER");
	struct passwd *pw;
	int r;

	if (u == NULL && (pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;   /* as the engine's default user */

	*text = NULL;
	if ((r = irmf_hostcfgs_new(&c, inv, o, u ? u : "")) != 0) {
		irmf_hostcfgs_free(c);
		return r;
	}
	for (size_t i = 0; verbose && i < c->n; i++)
		explain_host(&b, c, &c->hosts[i]);
	for (size_t i = 0; i < irmf_hostcfgs_warning_count(c); i++)
		irmf_buf_printf(&b, "warning: %s\n", irmf_hostcfgs_warning(c,
		    i));
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->hosts[i].nnotes; j++)
			irmf_buf_printf(&b, "warning: %s\n",
			    c->hosts[i].notes[j]);
	irmf_hostcfgs_free(c);
	return (*text = irmf_buf_take(&b)) ? IRMF_OK : IRMF_ENOMEM;
}
