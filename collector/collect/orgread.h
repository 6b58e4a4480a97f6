/*
 * orgread.h - which host of a collect run reads the organisation-wide
 * Exchange objects (Get-IRMConfiguration, the server's Get-ExchangeServer
 * entry), and what every other Exchange host records for them.
 *
 * They need Active Directory credentials.  Windows OpenSSH logs a
 * key-authenticated user on with an S4U logon (no password, no Kerberos
 * ticket), a password logon gets a ticket.  So with --plan script and a
 * password (--password-auth), ONE Exchange host per run logs on by
 * password only (no key offered: a key logon would win and have no
 * ticket) and runs the script with -Organisation; the others record the
 * items skipped, "collected once per run from HOST".  The candidate is
 * the first Exchange host of the run in inventory order; while it logs
 * on, the hosts after it wait to start, so when it cannot be reached the
 * next Exchange host (not started yet) becomes the candidate: the first
 * reachable one reads the organisation.  A refused password is not
 * retried elsewhere: that host's organisation items are recorded failed
 * with the reason and the host is collected again over its usual
 * credentials; the others record why nothing was read.  If the reader's
 * items fail on Windows, that is in its snapshot and the summary, and
 * no other host tries.  Internal to collector/collect/ (engine.c).
 */
#ifndef IRMF_ORGREAD_H
#define IRMF_ORGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "psscript.h"
#include "ssh.h"

typedef enum irmf_org_state {
	IRMF_ORG_OFF = 0,   /* not in this run (no password, commands plan,
	                     * no Exchange host left) */
	IRMF_ORG_PENDING,   /* runs[idx] logs on by password; later hosts wait */
	IRMF_ORG_READING,   /* runs[idx] logged on by password: it reads */
	IRMF_ORG_REFUSED    /* runs[idx]'s password logon failed: none reads */
} irmf_org_state;

typedef struct irmf_orgread {
	irmf_org_state st;
	size_t idx;          /* the candidate (or reader) among the runs */
	const char *name;    /* its host name (borrowed from the inventory) */
	char note[700];      /* what the other Exchange hosts record */
	char why[600];       /* REFUSED: why, for the candidate's own items */
	irmf_ssh_auth pw;    /* the candidate's credentials: the password */
	bool asked;          /* a password and an Exchange host: it was tried */
} irmf_orgread;

/* The first index >= from of roles[0..n) with the Exchange role, or n. */
size_t irmf_org_next_exchange(const unsigned *roles, size_t n, size_t from);

/* Start: with a password and the script plan, the first Exchange host of
 * roles[0..n) (names alike) becomes the candidate; else OFF. */
void irmf_org_init(irmf_orgread *g, bool script_plan, const char *password,
    const unsigned *roles, const char *const *names, size_t n);

/* Must host `next` (not started) wait for the candidate to log on? */
bool irmf_org_holds(const irmf_orgread *g, size_t next);

/* The credentials host i logs on with: for the pending candidate the
 * password alone (its jump hosts keep base), else base. */
const irmf_ssh_auth *irmf_org_auth(irmf_orgread *g, size_t i,
    const irmf_ssh_auth *base);

/* Host i failed before its command.  refused: its password logon was
 * refused (msg says how).  Returns true when the engine should log host
 * i on again with its usual credentials (the candidate's password was
 * refused); an unreachable candidate passes the part to the next
 * Exchange host. */
bool irmf_org_failed(irmf_orgread *g, size_t i, bool refused,
    const char *msg, const unsigned *roles, const char *const *names,
    size_t n);

/* Host i logged on with method (irmf_ssh_auth_method). */
void irmf_org_logged_on(irmf_orgread *g, size_t i, const char *method);

/* What Exchange host i's script does with the organisation items;
 * false: the run's shared script (no password: skipped as "needs the
 * export script or a password logon"). */
bool irmf_org_for_host(const irmf_orgread *g, size_t i,
    irmf_psscript_org *out);

/* After the run: the host that read the organisation (NULL: none), and
 * when none did although it was asked, why (else NULL). */
const char *irmf_org_reader(const irmf_orgread *g);
const char *irmf_org_not_read(const irmf_orgread *g);

#endif
