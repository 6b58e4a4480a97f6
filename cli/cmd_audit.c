/*
 * cmd_audit.c - `irmfleet audit`: the periodic drift audit.  Loads (and
 * so validates) every given snapshot first, compares the fleet as it is
 * now, then records the run in the history in one transaction and
 * reports the drift of every server against its previous state, plus the
 * servers not collected for longer than --stale.
 *
 * Nothing is written to the database unless every input loaded: a bad
 * snapshot is exit 2 with the history untouched.
 *
 * Exit status (the most urgent wins): 2 usage or input error, 5 runtime
 * failure, 3 some hosts failed / were not checked / are stale, 4 drift
 * since the previous audit, 1 findings of the comparison, 0 nothing.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/collect.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"
#include "irmfleet/store.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet audit [--db FILE] [--format text|json]\n"
	    "                      [--stale DURATION] [--suppress FILE]\n"
	    "                      [--at TIME] SNAPSHOT...|DIR...\n"
	    "       irmfleet audit [options] --inventory INV --out DIR\n"
	    "                      [--known-hosts FILE] [--identity KEY]...\n"
	    "                      [--user NAME]\n"
	    "\n"
	    "Record the fleet's snapshots in the history database, compare the\n"
	    "fleet, and report what changed on each server since the previous\n"
	    "audit.\n"
	    "\n"
	    "  --db FILE          history database (default\n"
	    "                     $XDG_STATE_HOME/irmfleet/history.db)\n"
	    "  -f, --format FMT   text (default) or json\n"
	    "  --stale DURATION   report servers not collected for longer\n"
	    "                     (default 7d; e.g. 36h, 2w)\n"
	    "  -s, --suppress F   accepted differences for the comparison\n"
	    "  --at TIME          record the run as of TIME (ISO 8601; backfill)\n"
	    "  --inventory INV    collect over SSH first (as 'irmfleet collect',\n"
	    "                     key or agent authentication), writing the\n"
	    "                     snapshots to --out DIR, then audit them\n"
	    "  -h, --help         this help\n"
	    "\n"
	    "exit status: 0 no findings and no drift, 1 findings, 2 usage or\n"
	    "input error (nothing recorded), 3 hosts failed, not checked or\n"
	    "stale, 4 drift since the previous audit, 5 runtime failure\n");
}

typedef struct files {
	char **v;
	size_t n, cap;
} files;

static int
files_add(files *f, const char *path)
{
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 32;
		char **p = realloc(f->v, ncap * sizeof(*p));
		if (p == NULL)
			return -1;
		f->v = p;
		f->cap = ncap;
	}
	if ((f->v[f->n] = strdup(path)) == NULL)
		return -1;
	f->n++;
	return 0;
}

static void
files_clear(files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static void
warn_skipped(const char *line, void *payload)
{
	(void)payload;
	cli_error("audit", "warning: %s", line);
}

/* The files of a path as `irmfleet compare` reads it (the library's
 * expansion: *.xml regular files of a directory sorted by name, other
 * entries skipped with a warning). */
static int
expand(files *out, const char *path)
{
	char **v = NULL;
	size_t n = 0;
	int rc = 0;

	if (irmf_compare_expand_path(path, warn_skipped, NULL, &v, &n) < 0) {
		cli_error_last();
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = files_add(out, v[i]);
	irmf_compare_paths_free(v, n);
	return rc;
}

/* stale apart from unchecked: "not checked" means a failed collection,
 * and an old export is not that */
typedef struct outcome {
	size_t drift, unchecked, stale;
} outcome;

static void
count_changes(const irmf_changes *c, outcome *o)
{
	for (size_t i = 0; i < c->n; i++) {
		if (irmf_change_is_unchecked(c->items[i].kind))
			o->unchecked++;
		else
			o->drift++;
	}
}

/* word for display in a suggested command: as is when it is plain, else
 * single-quoted for a POSIX shell (nothing here is ever run) */
static void
put_word(FILE *f, const char *w)
{
	if (w[0] != '\0' && w[strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-")] == '\0') {
		fputs(w, f);
		return;
	}
	fputc('\'', f);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	fputc('\'', f);
}

static int
cmp_name_ci(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether every server of this run is itself stale: then the input is
 * an old export (or the example fleet), not a fleet of decommissioned
 * servers, and suggesting `forget` on each line would mislead.  Sorted
 * names: a big fleet must not cost servers x stale comparisons. */
static bool
run_all_stale(const irmf_changes *stale, irmf_snapshot *const *snaps,
    size_t n)
{
	const char **names;
	bool all = true;

	if (n == 0 || stale->n < n)
		return false;
	if ((names = malloc(stale->n * sizeof(*names))) == NULL)
		return false;   /* only the wording of the report depends on it */
	for (size_t j = 0; j < stale->n; j++)
		names[j] = stale->items[j].server;
	qsort(names, stale->n, sizeof(*names), cmp_name_ci);
	for (size_t i = 0; i < n && all; i++) {
		const char *name = irmf_snapshot_server(snaps[i]);
		all = name != NULL && bsearch(&name, names, stale->n,
		    sizeof(*names), cmp_name_ci) != NULL;
	}
	free(names);
	return all;
}

/* A stale server's line, ending with the command that stops the report
 * if the server is gone for good (one line, so that grep finds both). */
static void
print_stale(const irmf_change *c, const char *db)
{
	irmf_change line = *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m != NULL) {
		fprintf(m, "%s (if it was decommissioned: irmfleet forget ",
		    c->message ? c->message : "stale");
		if (db != NULL) {
			fputs("--db ", m);
			put_word(m, db);
			fputc(' ', m);
		}
		put_word(m, c->server);
		fputc(')', m);
		if (fclose(m) == 0)
			line.message = buf;
	}
	histcli_print_change(stdout, &line, false);
	free(buf);
}

static int
report_text(irmf_compare *cmp, const irmf_run_summary *sum,
    const irmf_changes *drift, const irmf_changes *stale,
    const char *stale_arg, const char *db, bool old_input, const outcome *o)
{
	/* what changed first, then the comparison it belongs with */
	printf("audit: run %lld at %s", (long long)sum->run_id, sum->at);
	if (sum->prev_run_id)
		printf(", compared with run %lld at %s\n",
		    (long long)sum->prev_run_id, sum->prev_at);
	else
		printf(", the first audit in this database (baseline)\n");
	printf("hosts: %zu ok, %zu failed; %zu new snapshot contents\n",
	    sum->hosts_ok, sum->hosts_failed, sum->snapshots_new);
	if (drift->n > 0) {
		printf("\nchanges since the previous audit:\n");
		for (size_t i = 0; i < drift->n; i++)
			histcli_print_change(stdout, &drift->items[i], false);
	} else if (sum->prev_run_id) {
		printf("no change since the previous audit\n");
	}
	if (stale->n > 0) {
		printf("\nstale (not collected for more than %s):\n", stale_arg);
		for (size_t i = 0; i < stale->n; i++)
			if (old_input)
				histcli_print_change(stdout, &stale->items[i],
				    false);
			else
				print_stale(&stale->items[i], db);
		if (old_input)
			printf("every snapshot of this audit was collected more "
			    "than %s ago: audit a fresh collection (or raise "
			    "--stale for an old export)\n", stale_arg);
	}
	if (cmp != NULL && (printf("\n") < 0 || irmf_compare_report(cmp,
	    stdout, IRMF_FORMAT_TEXT, 0) < 0))
		return -1;
	printf("\naudit result: %zu change%s, %zu not checked", o->drift,
	    o->drift == 1 ? "" : "s", o->unchecked);
	if (o->stale > 0)
		printf(", %zu stale", o->stale);
	printf("\n");
	return 0;
}

/* The comparison's own JSON report, as a value to embed. */
static json_t *
compare_json(irmf_compare *cmp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	json_t *v = NULL;

	if (cmp == NULL) {
		if (m != NULL)
			fclose(m);
		free(buf);
		return json_null();
	}
	if (m == NULL)
		return NULL;
	if (irmf_compare_report(cmp, m, IRMF_FORMAT_JSON, 0) < 0) {
		fclose(m);
		free(buf);
		return NULL;
	}
	if (fclose(m) == 0)
		v = json_loadb(buf, len, 0, NULL);
	free(buf);
	return v;
}

static json_t *
changes_json(const irmf_changes *c)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < c->n; i++)
		if (json_array_append_new(a, histcli_change_json(&c->items[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int
report_json(irmf_compare *cmp, const char *db, const irmf_run_summary *sum,
    const irmf_changes *drift, const irmf_changes *stale,
    const irmf_compare_counts *counts, const outcome *o, int status)
{
	json_t *root = json_pack("{s:s, s:i, s:{s:I, s:s, s:o, s:o, s:I, s:I, "
	    "s:I, s:s}, s:{s:I, s:I, s:I, s:i}, s:o, s:o, s:o}",
	    "format", "irmfleet-audit", "version", 1,
	    "run", "id", (json_int_t)sum->run_id, "at", sum->at,
	    "previous_id", sum->prev_run_id ?
	    json_integer(sum->prev_run_id) : json_null(),
	    "previous_at", sum->prev_run_id ? json_string(sum->prev_at) :
	    json_null(),
	    "hosts_ok", (json_int_t)sum->hosts_ok,
	    "hosts_failed", (json_int_t)sum->hosts_failed,
	    "new_contents", (json_int_t)sum->snapshots_new,
	    "database", db,
	    "summary", "changes", (json_int_t)o->drift,
	    "not_checked", (json_int_t)(o->unchecked + o->stale),
	    "findings", (json_int_t)counts->findings,
	    "exit", status,
	    "drift", changes_json(drift),
	    "stale", changes_json(stale),
	    "comparison", compare_json(cmp));
	int rc = histcli_dump_json(root);

	json_decref(root);
	return rc;
}

static int
exit_status(const outcome *o, const irmf_compare_counts *counts)
{
	if (o->unchecked > 0 || o->stale > 0 || counts->not_collected > 0)
		return CLI_EXIT_NOT_CHECKED;
	if (o->drift > 0)
		return CLI_EXIT_DRIFT;
	if (counts->findings > 0)
		return CLI_EXIT_FINDINGS;
	return CLI_EXIT_OK;
}

#define MAX_IDENTITIES 8

typedef struct args {
	const char *db, *stale, *suppress, *at;
	const char *inventory, *out, *known_hosts, *user;
	const char *ids[MAX_IDENTITIES];
	size_t nids;
	bool json;
} args;

static int
parse_args(int argc, char **argv, args *a, int64_t *stale_s)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'A' },
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "identity", required_argument, NULL, 'I' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "known-hosts", required_argument, NULL, 'K' },
		{ "out", required_argument, NULL, 'o' },
		{ "stale", required_argument, NULL, 'S' },
		{ "suppress", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:hs:", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': a->at = optarg; break;
		case 'd': a->db = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				a->json = true;
			else if (strcmp(optarg, "text") != 0) {
				cli_error("audit", "unknown format '%s' (text "
				    "or json)", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); return 1;
		case 'I':
			if (a->nids == MAX_IDENTITIES) {
				cli_error("audit", "at most %d --identity",
				    MAX_IDENTITIES);
				return -1;
			}
			a->ids[a->nids++] = optarg;
			break;
		case 'i': a->inventory = optarg; break;
		case 'K': a->known_hosts = optarg; break;
		case 'o': a->out = optarg; break;
		case 'u':
			if (!cli_user_ok("audit", optarg))
				return -1;
			a->user = optarg;
			break;
		case 'S': a->stale = optarg; break;
		case 's': a->suppress = optarg; break;
		default: usage(stderr); return -1;
		}
	}
	if (irmf_duration_parse(a->stale, stale_s) < 0) {
		cli_error_last();
		return -1;
	}
	if (a->at != NULL) {
		time_t t;
		if (irmf_time_parse(a->at, time(NULL), &t) < 0) {
			cli_error_last();
			return -1;
		}
	}
	if (a->inventory != NULL) {
		if (a->out == NULL || optind < argc) {
			cli_error("audit", a->out ? "--inventory takes no "
			    "snapshot arguments" : "--inventory needs --out DIR "
			    "for the collected snapshots");
			return -1;
		}
		return 0;
	}
	if (optind >= argc) {
		cli_error("audit", "no snapshots given");
		usage(stderr);
		return -1;
	}
	return 0;
}

typedef struct failures {
	irmf_host_failure *v;
	size_t n;
} failures;

/* Collect the inventory into a->out; every host's snapshot goes to fl,
 * a host without one to fail.  Returns an exit status or -1 for go on. */
static int
collect(const args *a, files *fl, failures *fail)
{
	irmf_collect_options o;
	irmf_inventory *inv = NULL;
	irmf_collect_result *res = NULL;
	int status = CLI_EXIT_USAGE, code;

	if ((code = irmf_inventory_load(&inv, a->inventory)) < 0) {
		cli_error_last();
		return cli_exit_of(code);
	}
	irmf_collect_options_init(&o);
	o.out_dir = a->out;
	o.known_hosts = a->known_hosts;
	o.identities = a->ids;
	o.nidentities = a->nids;
	o.default_user = a->user;
	/* secrets never come from argv */
	o.passphrase = getenv("IRMFLEET_SSH_PASSPHRASE");
	irmf_snapshot_dir_clean(o.out_dir);   /* killed runs' leftovers */
	if (irmf_collect_run(inv, &o, &res) < 0) {
		code = irmf_error_last()->code;
		cli_error_last();
		status = cli_exit_of(code);
		goto out;
	}
	status = CLI_EXIT_FAILED;
	fail->v = calloc(irmf_collect_result_count(res) + 1,
	    sizeof(*fail->v));
	if (fail->v == NULL)
		goto out;
	for (size_t i = 0; i < irmf_collect_result_count(res); i++) {
		const char *snap = irmf_collect_result_snapshot(res, i);
		if (snap != NULL) {
			if (files_add(fl, snap) < 0)
				goto out;
			continue;
		}
		/* no snapshot at all: record the host as failed */
		fail->v[fail->n].server = strdup(
		    irmf_collect_result_host(res, i));
		fail->v[fail->n].message = strdup(
		    irmf_collect_result_message(res, i) ?
		    irmf_collect_result_message(res, i) : "not collected");
		if (!fail->v[fail->n].server || !fail->v[fail->n].message)
			goto out;
		fail->n++;
	}
	status = -1;
out:
	irmf_collect_result_free(res);
	irmf_inventory_free(inv);
	return status;
}

static void
failures_clear(failures *f)
{
	for (size_t i = 0; f->v && i < f->n; i++) {
		free((char *)f->v[i].server);
		free((char *)f->v[i].message);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* The comparison of the fleet as it is now (nothing to compare when
 * every host of an inventory failed without a snapshot). */
static int
compare(irmf_compare **cmp, const files *fl, irmf_snapshot *const *snaps,
    const char *suppress, irmf_compare_counts *counts)
{
	int rc;

	if ((rc = irmf_compare_new(cmp)) < 0)
		return rc;
	/* the snapshots are loaded and validated already: lend them */
	for (size_t i = 0; i < fl->n; i++)
		if ((rc = irmf_compare_add_snapshot(*cmp, snaps[i],
		    fl->v[i])) < 0)
			return rc;
	if (suppress && (rc = irmf_compare_set_suppress_file(*cmp,
	    suppress)) < 0)
		return rc;
	if ((rc = irmf_compare_run(*cmp)) < 0)
		return rc;
	return irmf_compare_counts_get(*cmp, counts);
}

/* Load every snapshot; report every bad one, then fail. */
static int
load_all(const files *fl, irmf_snapshot **snaps)
{
	int bad = 0;

	char msg[4400];

	for (size_t i = 0; i < fl->n; i++)
		if (irmf_snapshot_load(&snaps[i], fl->v[i]) < 0) {
			cli_error_last();
			bad++;
		} else if (irmf_compare_name_mismatch(snaps[i], fl->v[i], msg,
		    sizeof(msg))) {
			cli_error("audit", "warning: %s", msg);
		}
	if (bad)
		cli_error("audit", "%d of %zu snapshot%s invalid; nothing "
		    "recorded", bad, fl->n, fl->n == 1 ? "" : "s");
	return bad ? -1 : 0;
}

int
cmd_audit(int argc, char **argv)
{
	args a = { .stale = "7d" };
	files fl = { 0 };
	failures hf = { 0 };
	irmf_snapshot **snaps = NULL;
	irmf_compare *cmp = NULL;
	irmf_compare_counts counts;
	irmf_store *st = NULL;
	irmf_run_summary sum;
	irmf_changes drift = { 0 }, stale = { 0 };
	outcome o = { 0, 0, 0 };
	int64_t stale_s;
	int rc, status = CLI_EXIT_USAGE;

	if ((rc = parse_args(argc, argv, &a, &stale_s)) != 0)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	if (a.inventory != NULL) {
		if ((rc = collect(&a, &fl, &hf)) >= 0) {
			status = rc;
			goto out;
		}
		if (fl.n == 0 && hf.n == 0) {
			cli_error("audit", "'%s': no hosts to collect",
			    a.inventory);
			goto out;
		}
	}
	for (int i = optind; i < argc; i++)
		if (expand(&fl, argv[i]) < 0)
			goto out;
	if ((snaps = calloc(fl.n + 1, sizeof(*snaps))) == NULL)
		goto oom;
	if (load_all(&fl, snaps) < 0)
		goto out;
	/* compare before recording: an input the comparison refuses (two
	 * snapshots of one server) must not be recorded either */
	memset(&counts, 0, sizeof(counts));
	if (fl.n > 0 && (rc = compare(&cmp, &fl, snaps, a.suppress,
	    &counts)) < 0) {
		status = histcli_status_of(rc);
		goto fail;
	}
	if ((st = histcli_open("audit", a.db, HISTCLI_CREATE, &status)) == NULL)
		goto out;
	if ((rc = irmf_store_record_run(st, snaps, fl.n, hf.v, hf.n, a.at,
	    &sum, &drift)) < 0 ||
	    (rc = irmf_store_stale(st, sum.at, stale_s, &stale)) < 0) {
		status = histcli_status_of(rc);
		goto fail;
	}
	count_changes(&drift, &o);
	o.stale = stale.n;
	status = exit_status(&o, &counts);
	rc = a.json ? report_json(cmp, a.db ? a.db : "(default)", &sum,
	    &drift, &stale, &counts, &o, status) :
	    report_text(cmp, &sum, &drift, &stale, a.stale, a.db,
	    run_all_stale(&stale, snaps, fl.n), &o);
	if (rc < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("audit", "cannot write the report (the run was "
		    "recorded)");
		status = CLI_EXIT_FAILED;
	}
	goto out;
oom:
	cli_error("audit", "out of memory");
	status = CLI_EXIT_FAILED;
	goto out;
fail:
	cli_error_last();
out:
	irmf_changes_clear(&drift);
	irmf_changes_clear(&stale);
	irmf_store_close(st);
	irmf_compare_free(cmp);
	for (size_t i = 0; snaps && i < fl.n; i++)
		irmf_snapshot_free(snaps[i]);
	free(snaps);
	files_clear(&fl);
	failures_clear(&hf);
	return status;
}

/* The usage text, for the command table (main.c: help CMD). */
void
cmd_audit_usage(FILE *f)
{
	usage(f);
}
