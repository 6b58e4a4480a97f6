/*
 * result.c - the public face of collect (include/irmfleet/collect.h)
 * that is not the run itself: option defaults, the run result and its
 * accessors, and the plan as text for --print-plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "error.h"
#include "plan.h"
#include "psscript.h"
#include "buf.h"

void
irmf_collect_options_init(irmf_collect_options *o)
{
	memset(o, 0, sizeof(*o));
	o->use_agent = 1;
	o->parallel = IRMF_COLLECT_DEFAULT_PARALLEL;
	o->connect_timeout_ms = IRMF_COLLECT_DEFAULT_CONNECT_TIMEOUT_MS;
	o->command_timeout_ms = IRMF_COLLECT_DEFAULT_COMMAND_TIMEOUT_MS;
	o->max_output = IRMF_COLLECT_DEFAULT_MAX_OUTPUT;
	o->event_count = IRMF_COLLECT_DEFAULT_EVENTS;
}

void
irmf_collect_result_free(irmf_collect_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->e[i].host);
		free(r->e[i].reason);
		free(r->e[i].message);
		free(r->e[i].snapshot);
	}
	free(r->e);
	free(r->org_host);
	free(r->org_note);
	free(r);
}

const char *
irmf_collect_result_org_host(const irmf_collect_result *r)
{
	return r->org_host;
}

const char *
irmf_collect_result_org_note(const irmf_collect_result *r)
{
	return r->org_note;
}

size_t
irmf_collect_result_count(const irmf_collect_result *r)
{
	return r ? r->n : 0;
}

const char *
irmf_collect_result_host(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].host : NULL;
}

irmf_host_status
irmf_collect_result_status(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].status : IRMF_HOST_FAILED;
}

const char *
irmf_collect_result_reason(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].reason : NULL;
}

const char *
irmf_collect_result_message(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].message : NULL;
}

const char *
irmf_collect_result_snapshot(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].snapshot : NULL;
}

size_t
irmf_collect_result_failed(const irmf_collect_result *r)
{
	return r ? r->failed : 0;
}

unsigned
irmf_collect_result_parallel(const irmf_collect_result *r)
{
	return r->parallel;
}

double
irmf_collect_result_seconds(const irmf_collect_result *r)
{
	return r ? r->seconds : 0;
}

int
irmf_collect_plan_text(unsigned roles, unsigned event_count, char **out)
{
	irmf_plan *p = NULL;
	size_t cap = 1, len = 0;
	char *text;
	int r;

	*out = NULL;
	if ((r = irmf_plan_build(&p, roles, event_count)) != 0)
		return r;
	for (size_t i = 0; i < p->ncmds; i++)
		cap += strlen(p->cmds[i].item) + strlen(p->cmds[i].command) + 2;
	if ((text = malloc(cap)) == NULL) {
		irmf_plan_free(p);
		return irmf_error_oom();
	}
	text[0] = '\0';
	for (size_t i = 0; i < p->ncmds; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\t%s\n",
		    p->cmds[i].item, p->cmds[i].command);
	irmf_plan_free(p);
	*out = text;
	return IRMF_OK;
}

static int
plan_script(unsigned roles, unsigned event_count,
    const irmf_psscript_org *org, char **out)
{
	irmf_plan *p = NULL;
	irmf_buf b = IRMF_BUF_INIT;
	int r;

	*out = NULL;
	if ((r = irmf_plan_build_script_org(&p, roles, event_count, org)) != 0)
		return r;
	irmf_buf_printf(&b, "# %s\t%s\n# the script below is sent on its "
	    "stdin, then EOF\n", p->cmds[0].item, p->cmds[0].command);
	irmf_buf_addn(&b, p->cmds[0].input, p->cmds[0].input_len);
	irmf_plan_free(p);
	if ((*out = irmf_buf_take(&b)) == NULL)
		return irmf_error_oom();
	return IRMF_OK;
}

int
irmf_collect_plan_script(unsigned roles, unsigned event_count, char **out)
{
	return plan_script(roles, event_count, NULL, out);
}

int
irmf_collect_plan_script_reader(unsigned roles, unsigned event_count,
    char **out)
{
	irmf_psscript_org org = { .read = true };

	return plan_script(roles, event_count, &org, out);
}
