/*
 * collect.h - agentless collection over SSH from every server of an
 * inventory.
 *
 * An inventory is an Ansible inventory - INI, YAML with its group_vars/
 * and host_vars/, or the JSON of ansible-inventory --list
 * (docs/inventory.md); groups exchange, sharepoint, fci, connector name
 * the roles.  irmf_collect_run() connects to every host
 * with libssh2 (non-blocking sessions on one poll() loop, at most
 * `parallel` at once), checks its host key against an OpenSSH known_hosts
 * file, runs the per-role plan of plain Windows commands
 * (docs/remote-commands.md), parses their output with the import parsers
 * and writes one snapshot per host atomically into the output directory.
 * A host that cannot be collected still gets a snapshot whose "host" item
 * is a collection error, so no stale data is ever mistaken for current.
 */
#ifndef IRMFLEET_COLLECT_H
#define IRMFLEET_COLLECT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- inventory ---- */

typedef struct irmf_inventory irmf_inventory;

/* Read and parse an inventory file (and the group_vars/ and host_vars/
 * beside an INI or YAML one); errors name file:line. */
int irmf_inventory_load(irmf_inventory **out, const char *path);
void irmf_inventory_free(irmf_inventory *inv);

size_t irmf_inventory_count(const irmf_inventory *inv);
/* Accessors for host i (< count); strings are borrowed. */
const char *irmf_inventory_host_name(const irmf_inventory *inv, size_t i);
const char *irmf_inventory_host_address(const irmf_inventory *inv, size_t i);
int irmf_inventory_host_port(const irmf_inventory *inv, size_t i);
/* NULL when the inventory does not set ansible_user. */
const char *irmf_inventory_host_user(const irmf_inventory *inv, size_t i);
unsigned irmf_inventory_host_roles(const irmf_inventory *inv, size_t i);
size_t irmf_inventory_host_line(const irmf_inventory *inv, size_t i);
/* ansible_ssh_private_key_file as written, or NULL. */
const char *irmf_inventory_host_identity(const irmf_inventory *inv,
    size_t i);
/* Why host i is not collected over SSH (ansible_connection=winrm ...),
 * or NULL. */
const char *irmf_inventory_host_skip(const irmf_inventory *inv, size_t i);
/* irmfleet_irm_test_sender (the mailbox Test-IRMConfiguration runs as),
 * or NULL. */
const char *irmf_inventory_host_irm_test_sender(const irmf_inventory *inv,
    size_t i);

/* The settings of a host whose source is kept. */
typedef enum irmf_inv_field {
	IRMF_INV_ADDRESS, IRMF_INV_PORT, IRMF_INV_USER, IRMF_INV_IDENTITY,
	IRMF_INV_NFIELDS
} irmf_inv_field;
/* Where field f of host i came from ("inv.yml:12",
 * "group_vars/exchange.yml:3"), or NULL for irmfleet's default. */
const char *irmf_inventory_host_source(const irmf_inventory *inv, size_t i,
    irmf_inv_field f);
/* "ini", "yaml" or "json". */
const char *irmf_inventory_format(const irmf_inventory *inv);
/* What the inventory sets that irmfleet does not apply, or reads
 * differently than it looks (each "file:line: ..."): shown, never fatal. */
size_t irmf_inventory_warning_count(const irmf_inventory *inv);
const char *irmf_inventory_warning(const irmf_inventory *inv, size_t i);

/* ---- collection ---- */

/* Progress report, called from the collecting thread at most a few times
 * a second and once at the end. */
typedef struct irmf_collect_progress {
	size_t total;      /* hosts to collect in this run */
	size_t done;       /* finished, collected or not */
	size_t failed;     /* finished and not (fully) collected */
	size_t inflight;   /* sessions open now */
	double elapsed;    /* seconds since the run started */
} irmf_collect_progress;

typedef void (*irmf_collect_progress_fn)(const irmf_collect_progress *p,
    void *payload);

typedef struct irmf_collect_options {
	const char *out_dir;          /* required; created if missing */
	const char *known_hosts;      /* NULL: $HOME/.ssh/known_hosts */
	int accept_new;               /* trust and record unknown host keys */
	const char *const *identities;/* private key files, may be empty */
	size_t nidentities;
	const char *passphrase;       /* for encrypted identities, or NULL */
	const char *password;         /* enables password auth when not NULL */
	int use_agent;                /* try ssh-agent ($SSH_AUTH_SOCK) */
	const char *default_user;     /* user when the inventory sets none */
	unsigned parallel;            /* sessions at once (default 32) */
	unsigned connect_timeout_ms;  /* TCP connect + handshake + auth */
	unsigned command_timeout_ms;  /* one remote command */
	unsigned deadline_ms;         /* whole run, 0 = none */
	size_t max_output;            /* bytes kept per command stdout */
	unsigned event_count;         /* wevtutil /c:N on connector nodes */
	int retry_failed;             /* only hosts that failed last time */
	irmf_collect_progress_fn progress;
	void *payload;
	/* OpenSSH client configuration: NULL ~/.ssh/config (if present),
	 * "none" none, else a file that must exist (-F FILE) */
	const char *ssh_config;
	/* connect_timeout_ms came from the command line: it then wins over
	 * ssh_config's ConnectTimeout */
	int connect_timeout_set;
	/* IRMF_COLLECT_PLAN_SCRIPT (0, the default): one powershell.exe per
	 * host running the export script sent on its stdin;
	 * IRMF_COLLECT_PLAN_COMMANDS: the role's commands one after the
	 * other (docs/remote-commands.md).  The script is the default because
	 * it reads only local sources, which is all a key logon on Windows
	 * can reach, and costs one PowerShell start per host. */
	int plan;
} irmf_collect_options;

#define IRMF_COLLECT_PLAN_SCRIPT 0
#define IRMF_COLLECT_PLAN_COMMANDS 1

#define IRMF_COLLECT_DEFAULT_PARALLEL 32
#define IRMF_COLLECT_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define IRMF_COLLECT_DEFAULT_COMMAND_TIMEOUT_MS 120000u
#define IRMF_COLLECT_DEFAULT_MAX_OUTPUT ((size_t)8 * 1024 * 1024)
#define IRMF_COLLECT_DEFAULT_EVENTS 500u
/* Name of the run-state file kept in out_dir for --retry-failed. */
#define IRMF_COLLECT_STATE_FILE ".irmfleet-collect-state"

/* The hosts dir's run-state file lists (not finished, or failed) that
 * have no snapshot dir/<host>.xml: a run killed half-way leaves these.
 * *names is a NULL-terminated array (irmf_collect_names_free), *n its
 * length; none (and 0) when dir holds no state file. */
int irmf_collect_state_missing(const char *dir, char ***names, size_t *n);
void irmf_collect_names_free(char **names);

/* Fill o with the defaults above (out_dir NULL, use_agent on). */
void irmf_collect_options_init(irmf_collect_options *o);

/* Each host's connection settings and where each value came from ("cli",
 * "inventory FILE:LINE", "ssh_config FILE:LINE", "default"), one block
 * per host, followed by what the ssh configuration sets that irmfleet
 * does not apply ("warning: " lines).  verbose 0: only those warnings
 * ("" when there are none).  *text is malloc'd.  Fails like collect would
 * on a bad ssh configuration (the error names file:line). */
int irmf_collect_explain(const irmf_inventory *inv,
    const irmf_collect_options *o, int verbose, char **text);

typedef enum irmf_host_status {
	IRMF_HOST_COLLECTED = 0,  /* every item of the plan collected */
	IRMF_HOST_PARTIAL,        /* snapshot written, some items failed */
	IRMF_HOST_FAILED          /* no usable session: nothing collected */
} irmf_host_status;

typedef struct irmf_collect_result irmf_collect_result;

/* Collect every host of inv that has a role (or, with retry_failed, the
 * hosts listed as failed in out_dir's state file).  Returns 0 when the run
 * itself worked, even if hosts failed: look at the result for those.  A
 * negative code means the run could not happen (bad options, out_dir not
 * writable, known_hosts unreadable, no previous state for retry). */
int irmf_collect_run(const irmf_inventory *inv,
    const irmf_collect_options *o, irmf_collect_result **out);
void irmf_collect_result_free(irmf_collect_result *r);

/* Hosts handled by the run, in inventory order. */
size_t irmf_collect_result_count(const irmf_collect_result *r);
const char *irmf_collect_result_host(const irmf_collect_result *r,
    size_t i);
irmf_host_status irmf_collect_result_status(const irmf_collect_result *r,
    size_t i);
/* Why the host was not (fully) collected ("timeout", "auth", "host-key",
 * "connection", "partial"...), NULL when collected. */
const char *irmf_collect_result_reason(const irmf_collect_result *r,
    size_t i);
/* One-line explanation, NULL when collected. */
const char *irmf_collect_result_message(const irmf_collect_result *r,
    size_t i);
/* Path of the snapshot written for host i (NULL if none). */
const char *irmf_collect_result_snapshot(const irmf_collect_result *r,
    size_t i);
size_t irmf_collect_result_failed(const irmf_collect_result *r);
/* The --parallel the run used: the one asked for, or fewer when the
 * open-file limit (RLIMIT_NOFILE) leaves room for fewer sessions. */
unsigned irmf_collect_result_parallel(const irmf_collect_result *r);
double irmf_collect_result_seconds(const irmf_collect_result *r);
/* --plan script with a password (docs/remote-commands.md): the host that
 * read the organisation-wide Exchange objects once for the run (NULL:
 * none did), and, when none did although a password was given, why
 * (else NULL). */
const char *irmf_collect_result_org_host(const irmf_collect_result *r);
const char *irmf_collect_result_org_note(const irmf_collect_result *r);

/* Whether a private key file is protected by a passphrase (OpenSSH
 * format with a cipher, or an encrypted PEM key), so the CLI asks for one
 * only when it is needed. */
int irmf_collect_identity_encrypted(const char *path, int *encrypted);

/* The plan for a set of roles as the exact command lines sent, one per
 * line ("<item>\t<command>"), for `irmfleet collect --print-plan` and
 * docs/remote-commands.md.  *out is malloc'd. */
int irmf_collect_plan_text(unsigned roles, unsigned event_count,
    char **out);
/* The one-script plan (IRMF_COLLECT_PLAN_SCRIPT) for a set of roles: a
 * comment line with the command line sent, then the script sent on its
 * stdin (CRLF, as sent).  *out is malloc'd. */
int irmf_collect_plan_script(unsigned roles, unsigned event_count,
    char **out);
/* The same for the one Exchange host of a --password-auth run that reads
 * the organisation's Exchange objects (-Organisation). */
int irmf_collect_plan_script_reader(unsigned roles, unsigned event_count,
    char **out);

#ifdef __cplusplus
}
#endif
#endif
