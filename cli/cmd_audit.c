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
 * The audit itself is the library's (include/irmfleet/audit.h,
 * compare/audit.c); this file parses the options, collects first with
 * --inventory, opens the history (histcli.c), prints, and maps the
 * outcome to the exit status.
 *
 * Exit status (the most urgent wins): 2 usage or input error, 5 runtime
 * failure, 3 some hosts failed / were not checked / are stale, 4 drift
 * since the previous audit, 1 findings of the comparison, 0 nothing.
 * Library error codes map through histcli_status_of (histcli.c).  With
 * --format nagios among the outputs the exit status is the plugin state
 * instead (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN), as compare's.
 *
 * The report options are compare's (outputs.c): --format FMT[:FILE]
 * (repeatable), --output FILE, --brief.  The reports are written after
 * the run was recorded: a report that cannot be written is exit 5 (or
 * UNKNOWN), and the history keeps the run.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outputs.h"
#include "histcli.h"
#include "irmfleet/audit.h"
#include "irmfleet/collect.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"
#include "irmfleet/store.h"
#include "irmfleet/textesc.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet audit [--db FILE] [--format FMT[:FILE]]...\n"
	    "                      [--output FILE] [--brief]\n"
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
	    "  -f, --format FMT   report format: text (default), json, html,\n"
	    "                     junit, prometheus, nagios\n"
	    "  -f, --format FMT:FILE  also write FILE in format FMT\n"
	    "                     (atomically; repeatable)\n"
	    "  -o, --output FILE  write the report to FILE (atomically; - is\n"
	    "                     standard output)\n"
	    "  -b, --brief        text: one line per server that needs action\n"
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
	    "stale, 4 drift since the previous audit, 5 runtime failure;\n"
	    "with --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n");
}

#define MAX_IDENTITIES 8

typedef struct args {
	const char *db, *stale, *suppress, *at;
	const char *inventory, *outdir, *known_hosts, *user;
	const char *ids[MAX_IDENTITIES];
	size_t nids;
	cli_outputs out;                 /* --format, --output, --brief */
} args;

static int
parse_args(int argc, char **argv, args *a, int64_t *stale_s)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'A' },
		{ "brief", no_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "identity", required_argument, NULL, 'I' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "known-hosts", required_argument, NULL, 'K' },
		{ "out", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "stale", required_argument, NULL, 'S' },
		{ "suppress", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "bf:ho:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': a->at = optarg; break;
		case 'd': a->db = optarg; break;
		case 'b': a->out.flags |= IRMF_REPORT_BRIEF; break;
		case 'f':
			if (cli_outputs_format(&a->out, "audit", optarg) < 0)
				return -1;
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
		case 'D': a->outdir = optarg; break;
		case 'o': a->out.output = optarg; break;
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
		if (a->outdir == NULL || optind < argc) {
			cli_error("audit", a->outdir ? "--inventory takes no "
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

/* Collect the inventory into a->out; every host's snapshot becomes an
 * input of the audit, a host without one a failure.  Returns an exit
 * status or -1 for go on. */
static int
collect(const args *a, irmf_audit *au, size_t *nhosts)
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
	o.out_dir = a->outdir;
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
	*nhosts = irmf_collect_result_count(res);
	for (size_t i = 0; i < irmf_collect_result_count(res); i++) {
		const char *snap = irmf_collect_result_snapshot(res, i);
		const char *msg = irmf_collect_result_message(res, i);
		/* no snapshot at all: the host is recorded as failed */
		if (snap != NULL ? irmf_audit_add_path(au, snap) < 0 :
		    irmf_audit_add_failure(au, irmf_collect_result_host(res, i),
		    msg ? msg : "not collected") < 0)
			goto out;
	}
	status = -1;
out:
	irmf_collect_result_free(res);
	irmf_inventory_free(inv);
	return status;
}

static void
print_note(irmf_audit_note kind, const char *line, void *payload)
{
	(void)payload;
	if (kind == IRMF_AUDIT_INVALID)
		cli_error("audit", "%s", line);
	else
		cli_error("audit", "warning: %s", line);
}

/* One report of the audit: to path (atomically) or to out. */
static int
report_one(const void *obj, FILE *out, const char *path,
    irmf_report_format f, unsigned flags)
{
	const irmf_audit *au = obj;

	return path ? irmf_audit_write_file(au, path, f, flags) :
	    irmf_audit_write(au, out, f, flags);
}

/* The exit status of a recorded audit. */
static int
exit_status(irmf_audit_result r)
{
	switch (r) {
	case IRMF_AUDIT_NOT_CHECKED: return CLI_EXIT_NOT_CHECKED;
	case IRMF_AUDIT_DRIFT: return CLI_EXIT_DRIFT;
	case IRMF_AUDIT_FINDINGS: return CLI_EXIT_FINDINGS;
	case IRMF_AUDIT_CLEAN: break;
	}
	return CLI_EXIT_OK;
}

/* Add the inputs (collected first with --inventory).  Returns an exit
 * status or -1 for go on. */
static int
add_inputs(const args *a, irmf_audit *au, int argc, char **argv)
{
	size_t nhosts = 0;
	int rc;

	if (a->inventory != NULL) {
		if ((rc = collect(a, au, &nhosts)) >= 0)
			return rc;
		if (nhosts == 0) {
			cli_error("audit", "'%s': no hosts to collect",
			    a->inventory);
			return CLI_EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++)
		if ((rc = irmf_audit_add_path(au, argv[i])) < 0) {
			cli_error_last();
			return cli_exit_of(rc);
		}
	return -1;
}

int
cmd_audit(int argc, char **argv)
{
	args a = { .stale = "7d" };
	irmf_audit_options o;
	irmf_audit *au = NULL;
	irmf_store *st = NULL;
	int64_t stale_s;
	int rc, status = CLI_EXIT_USAGE;
	bool plugin = false;   /* status is the plugin state */

	if ((rc = parse_args(argc, argv, &a, &stale_s)) != 0)
		return rc > 0 ? CLI_EXIT_OK : a.out.nagios ?
		    IRMF_NAGIOS_UNKNOWN : CLI_EXIT_USAGE;
	irmf_audit_options_init(&o);
	o.suppress = a.suppress;
	o.at = a.at;
	o.stale_seconds = stale_s;
	o.stale_label = a.stale;
	o.timelines = cli_outputs_has(&a.out, IRMF_FORMAT_HTML);
	o.db_label = a.db;
	o.note = print_note;
	if (irmf_audit_new(&au, &o) < 0) {
		cli_error_last();
		return CLI_EXIT_FAILED;
	}
	if ((status = add_inputs(&a, au, argc, argv)) >= 0)
		goto out;
	/* load and compare before the history is even opened: bad input
	 * records nothing (and creates no database) */
	if ((rc = irmf_audit_compare(au)) < 0) {
		if (irmf_audit_invalid(au) > 0) {
			cli_error("audit", "%zu of %zu snapshot%s invalid; "
			    "nothing recorded", irmf_audit_invalid(au),
			    irmf_audit_inputs(au),
			    irmf_audit_inputs(au) == 1 ? "" : "s");
			status = CLI_EXIT_USAGE;
			goto out;
		}
		goto fail;
	}
	if ((st = histcli_open("audit", a.db, HISTCLI_CREATE, &status)) == NULL)
		goto out;
	if ((rc = irmf_audit_record(au, st)) < 0)
		goto fail;
	status = a.out.nagios ? irmf_audit_nagios_state(au) :
	    exit_status(irmf_audit_result_of(au));
	plugin = a.out.nagios;
	if ((rc = cli_outputs_write(&a.out, report_one, au)) < 0 ||
	    fflush(stdout) != 0 || ferror(stdout)) {
		if (rc < 0)
			cli_error_last();
		cli_error("audit", "cannot write the report (the run was "
		    "recorded)");
		status = CLI_EXIT_FAILED;
		plugin = false;
	}
	goto out;
fail:
	cli_error_last();
	status = histcli_status_of(rc);
out:
	irmf_store_close(st);
	irmf_audit_free(au);
	/* an audit that could not run is UNKNOWN to a monitoring system */
	if (a.out.nagios && !plugin)
		return IRMF_NAGIOS_UNKNOWN;
	return status;
}

/* The usage text, for the command table (main.c: help CMD). */
void
cmd_audit_usage(FILE *f)
{
	usage(f);
}
