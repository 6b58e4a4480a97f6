/*
 * plan.h - which remote commands collect runs on a host, by role.
 *
 * Every command is a plain Windows command line an admin can read (and is
 * listed in docs/remote-commands.md): `reg query "<KEY>" /s` per registry
 * root, `powershell.exe -NoProfile -NonInteractive -EncodedCommand <b64>`
 * for the PowerShell items (the script is kept readable here and encoded
 * as PowerShell requires: base64 of UTF-16LE), and `wevtutil qe ...` for
 * the connector's events, plus first a PowerShell check of which of the
 * queried registry keys exist (answered in a language-independent form,
 * regexist.h).  Each command names the snapshot item it fills
 * (the key used for its collection error if it fails) and the format its
 * output is read as (a row of detect.c's table; ingest.c reads it).
 */
#ifndef IRMF_PLAN_H
#define IRMF_PLAN_H

#include <stdbool.h>
#include <stddef.h>

/* The item of the registry key existence check: the plan's first command
 * when it queries any key (hostout.c reads its answer before the reg
 * queries whose failure it may explain). */
#define IRMF_PLAN_REGEXIST_ITEM "registry-exists"
/* The MSIPC\Server ACL read on Exchange servers (the collection error
 * item the rule exchange-msipc-server-acl looks for). */
#define IRMF_PLAN_MSIPC_ACL_ITEM \
	"acl:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server"

#define IRMF_PLAN_MAX_ITEMS 4

typedef struct irmf_plan_cmd {
	char *item;               /* "registry:HKEY_LOCAL_MACHINE\...", "irm-config" */
	char *command;            /* the exact command line sent */
	const char *script;       /* PowerShell source (static), or NULL */
	/* the row of the format table (collector/parse/detect.c) that reads
	 * the output, by name: "regquery", "clixml", ... */
	const char *format;
	/* items that are recorded as failed when the command fails (the
	 * "files" command stands for "file:msdrm.dll", ...); item itself
	 * when empty */
	const char *fail_items[IRMF_PLAN_MAX_ITEMS];
	/* evtxml: the event IDs the query asks for ("1000 1002",
	 * static) and its cap (/c:N), so the window it covered is recorded
	 * (irmf_evtxml_parse_query) */
	const char *event_ids;
	unsigned event_cap;
	/* sent on the command's stdin, then EOF (the one-script plan's
	 * script), or NULL; owned */
	char *input;
	size_t input_len;
} irmf_plan_cmd;

typedef struct irmf_plan {
	unsigned roles;
	irmf_plan_cmd *cmds;
	size_t ncmds;
} irmf_plan;

/* The one-script plan (psscript.c): one command per host, this command
 * line, the role set's export script on its stdin (-Stdout semantics:
 * the document between ASCII markers on stdout), read as "psdoc". */
#define IRMF_PLAN_SCRIPT_ITEM "export-document"
#define IRMF_PLAN_SCRIPT_COMMAND "powershell.exe -NoProfile " \
	"-NonInteractive -Command \"& ([scriptblock]::Create(" \
	"[Console]::In.ReadToEnd()))\""

/* Build the plan for a role set (IRMF_ROLE_* bits, at least one). */
int irmf_plan_build(irmf_plan **out, unsigned roles, unsigned event_count);
void irmf_plan_free(irmf_plan *plan);
/* Append the optional Test-IRMConfiguration item ("irm-test") of an
 * Exchange plan, run with -Sender sender: only when the inventory names
 * a sender (irmfleet_irm_test_sender), since the test acquires licenses
 * for that mailbox.  sender must be a plain SMTP address (no quotes,
 * blanks or other characters PowerShell would interpret). */
int irmf_plan_add_irm_test(irmf_plan *plan, const char *sender);
/* Is s an SMTP address irmf_plan_add_irm_test accepts? */
bool irmf_plan_sender_ok(const char *s);

/* PowerShell's -EncodedCommand form of a script: base64 of UTF-16LE
 * (scripts are ASCII).  *out is malloc'd. */
int irmf_plan_encode_ps(const char *script, char **out);

#endif
