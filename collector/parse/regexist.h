/*
 * regexist.h - parser for the answer of collect's registry key existence
 * check (the "registry-exists" PowerShell item of plan.c, documented in
 * docs/remote-commands.md).
 *
 * `reg query` reports an absent key only as a message in the server's
 * language; the existence check asks .NET instead and prints one line per
 * key the plan queries, in a fixed form that no translation touches:
 *
 *	present<TAB>HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSDRM\ServiceLocation
 *	absent<TAB>HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\ExchangeServer\v14\IRM
 *	denied<TAB>HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\AADRM\Connector
 *	error<TAB>HKEY_LOCAL_MACHINE\...     (any other exception: unknown)
 *
 * Any encoding textdecode.h detects (the script writes UTF-8 without BOM;
 * a BOM, UTF-16 or CRLF line ends are accepted too); blank lines are
 * skipped.  Anything else -- an unknown state word, a line without the
 * tab, a key not under HKEY_LOCAL_MACHINE\, a key listed twice -- rejects
 * the whole answer (IRMF_EPARSE, naming the line): when the answer cannot
 * be trusted, no key may be taken for absent.
 */
#ifndef IRMF_REGEXIST_H
#define IRMF_REGEXIST_H

#include <stddef.h>

/* Most keys in one answer (a plan asks about fewer than ten). */
#define IRMF_REGEXIST_MAX_KEYS 1024
/* Longest key path accepted, in bytes. */
#define IRMF_REGEXIST_MAX_KEY 2048

typedef enum irmf_regexist_state {
	IRMF_REGEXIST_UNKNOWN = 0,   /* not in the answer, or "error" */
	IRMF_REGEXIST_PRESENT,
	IRMF_REGEXIST_ABSENT,
	IRMF_REGEXIST_DENIED
} irmf_regexist_state;

typedef struct irmf_regexist_entry {
	char *key;                   /* "HKEY_LOCAL_MACHINE\..." as printed */
	irmf_regexist_state state;
} irmf_regexist_entry;

typedef struct irmf_regexist {
	irmf_regexist_entry *e;
	size_t n;
} irmf_regexist;

/* Parse buf[0..len) (`name` prefixes messages).  *out is NULL on
 * failure; free with irmf_regexist_free(). */
int irmf_regexist_parse(irmf_regexist **out, const char *buf, size_t len,
    const char *name);

/* The state of `key` (compared without regard to ASCII case, as the
 * registry does); UNKNOWN when x is NULL or the key is not listed. */
irmf_regexist_state irmf_regexist_get(const irmf_regexist *x,
    const char *key);

/* "present", "absent", "denied", "unknown". */
const char *irmf_regexist_state_name(irmf_regexist_state st);

void irmf_regexist_free(irmf_regexist *x);

#endif
