/*
 * orgread.c - the one host of a collect run that reads the organisation
 * over a password logon, and the notes of the others (orgread.h says
 * why it works this way).  Pure bookkeeping over the run's hosts by
 * index, so the choice is unit-tested without SSH (test_orgread.c); the
 * engine calls it at each step of a host's life.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "irmfleet/snapshot.h"
#include "orgread.h"

/* Print into one of the fixed fields, ending in "..." when cut: an SSH
 * error or a host name shown cut must not read as whole. */
static void IRMF_PRINTF(3, 4)
field_printf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= cap && cap > 3)
		memcpy(buf + cap - 4, "...", 4);
}

size_t
irmf_org_next_exchange(const unsigned *roles, size_t n, size_t from)
{
	for (size_t i = from; i < n; i++)
		if (roles[i] & IRMF_ROLE_EXCHANGE)
			return i;
	return n;
}

static void
candidate(irmf_orgread *g, const unsigned *roles, const char *const *names,
    size_t n, size_t from)
{
	g->idx = irmf_org_next_exchange(roles, n, from);
	if (g->idx == n) {
		g->st = IRMF_ORG_OFF;   /* no Exchange host left to ask */
		g->name = NULL;
		return;
	}
	g->st = IRMF_ORG_PENDING;
	g->name = names[g->idx];
}

void
irmf_org_init(irmf_orgread *g, bool script_plan, const char *password,
    const unsigned *roles, const char *const *names, size_t n)
{
	memset(g, 0, sizeof(*g));
	if (!script_plan || password == NULL)
		return;
	candidate(g, roles, names, n, 0);
	g->asked = g->st == IRMF_ORG_PENDING;
}

bool
irmf_org_holds(const irmf_orgread *g, size_t next)
{
	return g->st == IRMF_ORG_PENDING && next > g->idx;
}

const irmf_ssh_auth *
irmf_org_auth(irmf_orgread *g, size_t i, const irmf_ssh_auth *base)
{
	if (g->st != IRMF_ORG_PENDING || i != g->idx)
		return base;
	/* no key, no agent: the server must take the password or refuse */
	memset(&g->pw, 0, sizeof(g->pw));
	g->pw.password = base->password;
	g->pw.hops = base;
	return &g->pw;
}

bool
irmf_org_failed(irmf_orgread *g, size_t i, bool refused, const char *msg,
    const unsigned *roles, const char *const *names, size_t n)
{
	if (g->st != IRMF_ORG_PENDING || i != g->idx)
		return false;
	if (!refused) {
		candidate(g, roles, names, n, i + 1);
		return false;
	}
	g->st = IRMF_ORG_REFUSED;
	field_printf(g->why, sizeof(g->why), "not collected: the password logon "
	    "that reads the organisation once per run failed: %s", msg);
	field_printf(g->note, sizeof(g->note), "not collected in this run: the "
	    "password logon to %s, the host chosen to read it once per run, "
	    "failed", g->name);
	return true;
}

void
irmf_org_logged_on(irmf_orgread *g, size_t i, const char *method)
{
	if (g->st != IRMF_ORG_PENDING || i != g->idx)
		return;
	if (method != NULL && strcmp(method, "password") == 0) {
		g->st = IRMF_ORG_READING;
		field_printf(g->note, sizeof(g->note), "collected once per run "
		    "from %s", g->name);
		return;
	}
	/* only keys and the agent were withheld: a server that asks for no
	 * authentication at all gives a logon without credentials */
	g->st = IRMF_ORG_REFUSED;
	field_printf(g->why, sizeof(g->why), "not collected: %s logged on "
	    "without a password (%s): such a logon has no credentials to "
	    "read the organisation", g->name, method ? method : "?");
	field_printf(g->note, sizeof(g->note), "not collected in this run: %s, "
	    "the host chosen to read it once per run, logged on without a "
	    "password", g->name);
}

bool
irmf_org_for_host(const irmf_orgread *g, size_t i, irmf_psscript_org *out)
{
	memset(out, 0, sizeof(*out));
	if (g->st == IRMF_ORG_OFF || g->st == IRMF_ORG_PENDING)
		return false;
	if (i == g->idx) {
		out->read = g->st == IRMF_ORG_READING;
		out->failed = g->st == IRMF_ORG_REFUSED;
		out->note = out->failed ? g->why : NULL;
		return true;
	}
	out->note = g->note;
	return true;
}

const char *
irmf_org_reader(const irmf_orgread *g)
{
	return g->st == IRMF_ORG_READING ? g->name : NULL;
}

const char *
irmf_org_not_read(const irmf_orgread *g)
{
	if (!g->asked || g->st == IRMF_ORG_READING)
		return NULL;
	if (g->st == IRMF_ORG_REFUSED)
		return g->note;
	return "not collected in this run: no Exchange host could be "
	    "reached to read it over a password logon";
}
