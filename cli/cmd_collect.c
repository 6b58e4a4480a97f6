/*
 * cmd_collect.c - `irmfleet collect`: collect one snapshot per server of
 * an Ansible inventory over SSH (include/irmfleet/collect.h), with a
 * progress line on a terminal, a summary naming every host that was not
 * collected and why, and an exit status scripts can branch on (0 all
 * collected, 3 some not).  Secrets (key passphrase, password) come from
 * the environment or a prompt on the terminal, never from argv.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "irmfleet/collect.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"
#include "irmfleet/textesc.h"
#include "irmfleet/snapshot.h"

#define MAX_IDENTITIES 16
#define SECRET_MAX 1024

void
cmd_collect_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet collect -i INVENTORY -o DIR [options]\n"
	    "       irmfleet collect --retry-failed -i INVENTORY -o DIR [options]\n"
	    "       irmfleet collect [--plan MODE] --print-plan ROLE[,ROLE...]\n"
	    "\n"
	    "Connect to every host of INVENTORY that is in a role group\n"
	    "([exchange] [sharepoint] [fci] [connector]) over SSH, run the\n"
	    "read-only commands of docs/remote-commands.md and write one\n"
	    "snapshot per host into DIR.\n"
	    "\n"
	    "  -i, --inventory FILE     Ansible inventory (INI, YAML, JSON)\n"
	    "  -o, --out DIR            output directory (created if missing)\n"
	    "  -p, --parallel N         sessions at once (default 32)\n"
	    "  -F FILE                  OpenSSH client configuration (default\n"
	    "                           ~/.ssh/config; 'none': not read)\n"
	    "      --known-hosts FILE   default ~/.ssh/known_hosts\n"
	    "      --accept-new         record unknown host keys (never changed ones)\n"
	    "      --identity FILE      private key (repeatable; default\n"
	    "                           ~/.ssh/id_ed25519, id_ecdsa, id_rsa)\n"
	    "      --no-agent           do not use ssh-agent\n"
	    "      --user NAME          user for hosts without ansible_user\n"
	    "      --password-auth      allow password authentication (with\n"
	    "                           the script plan: the first Exchange host\n"
	    "                           logs on by password alone and reads the\n"
	    "                           organisation's objects once for the run)\n"
	    "      --connect-timeout S  connect + login time per host (default 10)\n"
	    "      --command-timeout S  time per remote command (default 120)\n"
	    "      --deadline S         time for the whole run (default none)\n"
	    "      --max-output BYTES   stdout kept per command (default 8M)\n"
	    "      --plan MODE          'script' (default): one powershell.exe\n"
	    "                           per host running the export script sent\n"
	    "                           on its stdin; 'commands': the role's\n"
	    "                           commands one after the other\n"
	    "      --events N           connector events read per event query\n"
	    "                           (default 500)\n"
	    "      --retry-failed       collect only the hosts the last run in DIR\n"
	    "                           did not fully collect\n"
	    "      --compare            then compare the snapshots in DIR (as\n"
	    "                           'irmfleet compare DIR') and report\n"
	    "      --suppress FILE      accepted differences for --compare\n"
	    "  -q, --quiet              no progress line\n"
	    "\n"
	    "Secrets: the key passphrase is read from IRMFLEET_SSH_PASSPHRASE,\n"
	    "else asked on the terminal; the password (--password-auth) from\n"
	    "IRMFLEET_SSH_PASSWORD, else asked on the terminal.\n"
	    "Exit status: 0 every host collected, 3 some hosts not (fully)\n"
	    "collected, 2 usage or inventory error, 5 the run failed; with\n"
	    "--compare, when every host was collected, compare's status\n"
	    "(0 no findings, 1 findings, 3 not checked).\n");
}

/* Read a secret from /dev/tty with echo off; NULL if there is no tty. */
static char *
prompt_secret(const char *prompt)
{
	FILE *tty = fopen("/dev/tty", "r+");
	struct termios old, quiet;
	char *buf = NULL;
	bool restore = false;

	if (tty == NULL)
		return NULL;
	if ((buf = calloc(1, SECRET_MAX)) == NULL)
		goto out;
	fprintf(tty, "%s", prompt);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
	}
	if (fgets(buf, SECRET_MAX, tty) == NULL) {
		free(buf);
		buf = NULL;
	} else {
		buf[strcspn(buf, "\r\n")] = '\0';
	}
	if (restore)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
out:
	fclose(tty);
	return buf;
}

/* The secret from env var `var`, else a prompt; *owned is set when the
 * result must be wiped and freed. */
static const char *
get_secret(const char *var, const char *prompt, char **owned)
{
	const char *v = getenv(var);

	*owned = NULL;
	if (v != NULL)
		return v;
	*owned = prompt_secret(prompt);
	return *owned;
}

static void
wipe(char *s)
{
	if (s != NULL) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

static int
parse_uint(const char *opt, const char *s, unsigned long max,
    unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	if (s[0] == '\0' || s[0] == '-' || *end != '\0' || errno || v > max) {
		cli_error("collect", "%s: '%s' is not a number in 0..%lu", opt,
		    s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* --password-auth with --plan script: the script of the host that reads
 * the organisation (the others get the plain one). */
static int
print_plan(const char *roles_arg, int mode, unsigned event_count,
    bool reader)
{
	char buf[128], *tok, *save = NULL, *text = NULL;
	unsigned roles = 0;

	snprintf(buf, sizeof(buf), "%s", roles_arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		irmf_role r;

		if (irmf_role_parse(tok, &r) != 0) {
			cli_error_last();
			return CLI_EXIT_USAGE;
		}
		roles |= (unsigned)r;
	}
	if ((mode != IRMF_COLLECT_PLAN_SCRIPT ? irmf_collect_plan_text :
	    reader ? irmf_collect_plan_script_reader :
	    irmf_collect_plan_script)(roles, event_count, &text) != 0) {
		cli_error_last();
		return CLI_EXIT_USAGE;
	}
	fputs(text, stdout);
	free(text);
	return CLI_EXIT_OK;
}

/* --plan script reads the organisation's Exchange objects on one host
 * over a password logon (--password-auth), else not at all (a key logon
 * has no Active Directory credentials): when no host read them, say so
 * once, so that their absence is not taken for a clean bill
 * (docs/remote-commands.md).  The host that read them needs no line. */
static void
org_note(const irmf_inventory *inv, const irmf_collect_result *res)
{
	const char *why = irmf_collect_result_org_note(res);

	if (irmf_collect_result_org_host(res) != NULL)
		return;
	for (size_t i = 0; i < irmf_inventory_count(inv); i++) {
		if (!(irmf_inventory_host_roles(inv, i) & IRMF_ROLE_EXCHANGE) ||
		    irmf_inventory_host_skip(inv, i) != NULL)
			continue;
		if (why != NULL)
			printf("not collected for the organisation: "
			    "Get-IRMConfiguration and Get-ExchangeServer: %s\n",
			    why);
		else
			printf("not collected for the organisation: "
			    "Get-IRMConfiguration and Get-ExchangeServer need the "
			    "export script or a password logon (irmfleet "
			    "export-script, run in the Exchange Management Shell; "
			    "then irmfleet import; or collect --password-auth)\n");
		return;
	}
}

/* Test-IRMConfiguration runs only in the commands plan (it needs
 * -Sender, which the script's Exchange endpoint session cannot pass):
 * a host whose inventory asks for it says it was not run, rather than
 * leave the test silently out (docs/remote-commands.md). */
static void
irm_test_note(const irmf_inventory *inv)
{
	size_t n = 0;

	for (size_t i = 0; i < irmf_inventory_count(inv); i++)
		if (irmf_inventory_host_irm_test_sender(inv, i) != NULL &&
		    irmf_inventory_host_skip(inv, i) == NULL)
			n++;
	if (n > 0)
		printf("not run: Test-IRMConfiguration (irmfleet_irm_test_sender "
		    "of %zu host%s) runs only with --plan commands\n", n,
		    n == 1 ? "" : "s");
}

/* m:ss (h:mm:ss past an hour), for the progress line. */
static void
clock_text(double secs, char *buf, size_t cap)
{
	unsigned long s = secs > 0 ? (unsigned long)(secs + 0.5) : 0;

	if (s >= 3600)
		snprintf(buf, cap, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, cap, "%lu:%02lu", s / 60, s % 60);
}

/* One line rewritten in place.  The elapsed time moves it before any host
 * has finished (the engine calls this a few times a second, not only when
 * a host finishes); the ETA is the rate so far applied to the hosts left,
 * unknown ("--") until the first one is done. */
static void
show_progress(const irmf_collect_progress *p, void *payload)
{
	char elapsed[32], eta[32] = "--";

	(void)payload;
	clock_text(p->elapsed, elapsed, sizeof(elapsed));
	if (p->done > 0 && p->done < p->total)
		clock_text(p->elapsed / (double)p->done *
		    (double)(p->total - p->done), eta, sizeof(eta));
	else if (p->done == p->total)
		snprintf(eta, sizeof(eta), "0:00");
	fprintf(stderr, "\rirmfleet collect: %zu/%zu host%s done, %zu not "
	    "collected, %zu in flight, %s elapsed, ETA %s   ", p->done,
	    p->total, p->total == 1 ? "" : "s", p->failed, p->inflight,
	    elapsed, eta);
	if (p->done == p->total)
		fputc('\n', stderr);
}

/* The command that collects only the hosts that failed: this run's own
 * arguments (same inventory, directory, keys, timeouts), with
 * --retry-failed, quoted to paste as is. */
static void
print_retry(int argc, char **argv)
{
	bool has_retry = false;

	printf("rerun only these with: irmfleet collect");
	for (int i = 1; i < argc; i++) {
		has_retry |= strcmp(argv[i], "--retry-failed") == 0;
		fputc(' ', stdout);
		irmf_text_put_shell_word(stdout, argv[i]);
	}
	printf("%s\n", has_retry ? "" : " --retry-failed");
}

static void
summary(const irmf_collect_result *r, const char *dir, unsigned parallel,
    int argc, char **argv)
{
	size_t n = irmf_collect_result_count(r);
	size_t failed = irmf_collect_result_failed(r);
	double secs = irmf_collect_result_seconds(r);

	printf("collected %zu of %zu host%s in %.1f s (%.1f hosts/s)\n",
	    n - failed, n, n == 1 ? "" : "s", secs,
	    secs > 0 ? (double)n / secs : 0.0);
	if (failed > 0) {
		printf("not collected (%zu):\n", failed);
		for (size_t i = 0; i < n; i++) {
			if (irmf_collect_result_status(r, i) ==
			    IRMF_HOST_COLLECTED)
				continue;
			/* the message may quote the host's output */
			irmf_text_printf(stdout, "  %-20s %-15s %s\n",
			    irmf_collect_result_host(r, i),
			    irmf_collect_result_reason(r, i),
			    irmf_collect_result_message(r, i));
		}
		print_retry(argc, argv);
	}
	if (irmf_collect_result_parallel(r) < parallel)
		printf("ran %u session%s at once, not %u: the open-file limit "
		    "(ulimit -n) has room for no more\n",
		    irmf_collect_result_parallel(r),
		    irmf_collect_result_parallel(r) == 1 ? "" : "s", parallel);
	printf("snapshots in %s\n", dir);
}

/* Ask for the passphrase only if a key needs one: the --identity files,
 * else the default ones collect will try.  Returns 0 or the library's
 * error code. */
static int
need_passphrase(const char **ids, size_t nids, bool *need)
{
	static const char *const defaults[] = { "id_ed25519", "id_ecdsa",
	    "id_rsa" };
	static char paths[3][4096];
	const char *def[3];
	const char *home = getenv("HOME");

	*need = false;
	if (nids == 0 && home != NULL) {
		for (size_t i = 0; i < 3; i++) {
			snprintf(paths[nids], sizeof(paths[nids]), "%s/.ssh/%s",
			    home, defaults[i]);
			if (access(paths[nids], R_OK) == 0) {
				def[nids] = paths[nids];
				nids++;
			}
		}
		ids = def;
	}
	for (size_t i = 0; i < nids; i++) {
		int enc = 0, rc;

		if ((rc = irmf_collect_identity_encrypted(ids[i], &enc)) != 0)
			return rc;
		if (enc)
			*need = true;
	}
	return 0;
}

/* `irmfleet compare DIR` on the fresh snapshots: text report to stdout;
 * returns compare's exit status. */
static int
run_compare(const char *dir, const char *suppress)
{
	irmf_compare *cmp = NULL;
	irmf_compare_counts counts;
	int rc, status;

	fflush(stdout);
	if ((rc = irmf_compare_new(&cmp)) < 0 ||
	    (rc = irmf_compare_add_path(cmp, dir)) < 0 ||
	    (suppress != NULL && (rc = irmf_compare_set_suppress_file(cmp,
	    suppress)) < 0) || (rc = irmf_compare_run(cmp)) < 0)
		goto fail;
	printf("\n");
	if ((rc = irmf_compare_report(cmp, stdout, IRMF_FORMAT_TEXT, 0)) < 0 ||
	    (rc = irmf_compare_counts_get(cmp, &counts)) < 0)
		goto fail;
	status = cli_compare_status(&counts);
	irmf_compare_free(cmp);
	return status;
fail:
	cli_error_last();
	irmf_compare_free(cmp);
	return cli_exit_of(rc);
}

enum {
	OPT_KNOWN = 256, OPT_ACCEPT, OPT_IDENTITY, OPT_NOAGENT, OPT_USER,
	OPT_PASSWORD, OPT_CTIMEOUT, OPT_XTIMEOUT, OPT_DEADLINE, OPT_MAXOUT,
	OPT_EVENTS, OPT_RETRY, OPT_PLAN, OPT_COMPARE, OPT_SUPPRESS,
	OPT_PLANMODE
};

static const struct option longopts[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "out", required_argument, NULL, 'o' },
	{ "parallel", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "known-hosts", required_argument, NULL, OPT_KNOWN },
	{ "accept-new", no_argument, NULL, OPT_ACCEPT },
	{ "identity", required_argument, NULL, OPT_IDENTITY },
	{ "no-agent", no_argument, NULL, OPT_NOAGENT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "password-auth", no_argument, NULL, OPT_PASSWORD },
	{ "connect-timeout", required_argument, NULL, OPT_CTIMEOUT },
	{ "command-timeout", required_argument, NULL, OPT_XTIMEOUT },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "max-output", required_argument, NULL, OPT_MAXOUT },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "retry-failed", no_argument, NULL, OPT_RETRY },
	{ "print-plan", required_argument, NULL, OPT_PLAN },
	{ "plan", required_argument, NULL, OPT_PLANMODE },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "suppress", required_argument, NULL, OPT_SUPPRESS },
	{ NULL, 0, NULL, 0 }
};

/* Read the ssh configuration before anything else: a mistake in it is a
 * usage error naming file:line, and what it sets that irmfleet does not
 * apply is said once, on stderr, before the run. */
static int
ssh_config_check(const irmf_inventory *inv, const irmf_collect_options *o)
{
	char *text = NULL;

	if (irmf_collect_explain(inv, o, 0, &text) != 0) {
		cli_error_last();
		return -1;
	}
	fputs(text, stderr);
	free(text);
	return 0;
}

int
cmd_collect(int argc, char **argv)
{
	irmf_collect_options o;
	irmf_inventory *inv = NULL;
	irmf_collect_result *res = NULL;
	const char *ids[MAX_IDENTITIES];
	const char *inventory = NULL, *suppress = NULL, *print_roles = NULL;
	char *pass_owned = NULL, *pw_owned = NULL;
	bool quiet = false, want_password = false, compare = false, need;
	unsigned long v;
	int c, rc = CLI_EXIT_USAGE;

	irmf_collect_options_init(&o);
	o.identities = ids;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:o:p:qhF:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': inventory = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'q': quiet = true; break;
		case 'F': o.ssh_config = optarg; break;
		case 'h': cmd_collect_usage(stdout); return CLI_EXIT_OK;
		case 'p':
			if (parse_uint("--parallel", optarg, 4096, &v) != 0)
				return CLI_EXIT_USAGE;
			o.parallel = (unsigned)v;
			break;
		case OPT_KNOWN: o.known_hosts = optarg; break;
		case OPT_ACCEPT: o.accept_new = 1; break;
		case OPT_IDENTITY:
			if (o.nidentities == MAX_IDENTITIES) {
				cli_error("collect", "more than %d --identity",
				    MAX_IDENTITIES);
				return CLI_EXIT_USAGE;
			}
			ids[o.nidentities++] = optarg;
			break;
		case OPT_NOAGENT: o.use_agent = 0; break;
		case OPT_USER:
			if (!cli_user_ok("collect", optarg))
				return CLI_EXIT_USAGE;
			o.default_user = optarg;
			break;
		case OPT_PASSWORD: want_password = true; break;
		case OPT_CTIMEOUT:
		case OPT_XTIMEOUT:
		case OPT_DEADLINE:
			/* the option's name: argv[optind - 1] is the value
			 * when it came as a separate word */
			if (parse_uint(c == OPT_CTIMEOUT ? "--connect-timeout" :
			    c == OPT_XTIMEOUT ? "--command-timeout" :
			    "--deadline", optarg, 86400, &v) != 0)
				return CLI_EXIT_USAGE;
			if (c == OPT_CTIMEOUT) {
				o.connect_timeout_ms = (unsigned)v * 1000u;
				o.connect_timeout_set = 1;
			}
			else if (c == OPT_XTIMEOUT)
				o.command_timeout_ms = (unsigned)v * 1000u;
			else
				o.deadline_ms = (unsigned)v * 1000u;
			break;
		case OPT_MAXOUT:
			if (parse_uint("--max-output", optarg,
			    (unsigned long)1 << 30, &v) != 0)
				return CLI_EXIT_USAGE;
			o.max_output = v;
			break;
		case OPT_EVENTS:
			if (parse_uint("--events", optarg, 1000000, &v) != 0)
				return CLI_EXIT_USAGE;
			o.event_count = (unsigned)v;
			break;
		case OPT_RETRY: o.retry_failed = 1; break;
		case OPT_PLAN: print_roles = optarg; break;
		case OPT_PLANMODE:
			if (strcmp(optarg, "commands") == 0)
				o.plan = IRMF_COLLECT_PLAN_COMMANDS;
			else if (strcmp(optarg, "script") == 0)
				o.plan = IRMF_COLLECT_PLAN_SCRIPT;
			else {
				cli_error("collect", "--plan: '%s' is neither "
				    "'commands' nor 'script'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case OPT_COMPARE: compare = true; break;
		case OPT_SUPPRESS: suppress = optarg; break;
		case ':':
			cli_error("collect", "option '%s' needs a value",
			    argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("collect", "unknown option '%s'",
			    argv[optind - 1]);
			cmd_collect_usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (print_roles != NULL)
		return print_plan(print_roles, o.plan, o.event_count,
		    want_password);
	if (optind < argc && inventory == NULL)
		inventory = argv[optind++];
	if (optind < argc || inventory == NULL || o.out_dir == NULL) {
		cmd_collect_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if ((c = irmf_inventory_load(&inv, inventory)) != 0) {
		cli_error_last();
		return cli_exit_of(c);
	}
	/* what the inventory sets and collect does not apply, and the hosts
	 * it does not reach over SSH (docs/inventory.md) */
	for (size_t w = 0; w < irmf_inventory_warning_count(inv); w++)
		cli_error("collect", "warning: %s",
		    irmf_inventory_warning(inv, w));
	if (ssh_config_check(inv, &o) != 0)
		goto out;
	if ((c = need_passphrase(ids, o.nidentities, &need)) != 0) {
		cli_error_last();
		rc = cli_exit_of(c);
		goto out;
	}
	if (need && (o.passphrase = get_secret("IRMFLEET_SSH_PASSPHRASE",
	    "key passphrase: ", &pass_owned)) == NULL) {
		cli_error("collect", "a key needs a passphrase: set "
		    "IRMFLEET_SSH_PASSPHRASE or run on a terminal");
		goto out;
	}
	if (want_password && (o.password = get_secret("IRMFLEET_SSH_PASSWORD",
	    "ssh password: ", &pw_owned)) == NULL) {
		cli_error("collect", "--password-auth: set IRMFLEET_SSH_PASSWORD "
		    "or run on a terminal");
		goto out;
	}
	if (!quiet && isatty(STDERR_FILENO))
		o.progress = show_progress;
	irmf_snapshot_dir_clean(o.out_dir);   /* killed runs' leftovers */
	if ((c = irmf_collect_run(inv, &o, &res)) != 0) {
		cli_error_last();
		rc = cli_exit_of(c);
		goto out;
	}
	summary(res, o.out_dir, o.parallel, argc, argv);
	if (o.plan == IRMF_COLLECT_PLAN_SCRIPT) {
		org_note(inv, res);
		irm_test_note(inv);
	}
	rc = irmf_collect_result_failed(res) ? CLI_EXIT_NOT_CHECKED :
	    CLI_EXIT_OK;
	if (compare) {
		int crc = run_compare(o.out_dir, suppress);

		/* hosts not collected win: the comparison has holes */
		if (rc == CLI_EXIT_OK || crc == CLI_EXIT_USAGE ||
		    crc == CLI_EXIT_FAILED)
			rc = crc;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("collect", "cannot write to standard output");
		rc = CLI_EXIT_FAILED;
	}
out:
	irmf_collect_result_free(res);
	irmf_inventory_free(inv);
	wipe(pass_owned);
	wipe(pw_owned);
	return rc;
}
