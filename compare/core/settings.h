/*
 * settings.h - a snapshot flattened into comparable settings.
 *
 * Consensus compares servers setting by setting, and the history store
 * records settings so that "what changed on which server" is a query per
 * (server, setting).  Both use this one flattening, so a drift in the
 * history and an outlier in the comparison always name the same key.
 *
 * Each setting has a stable key (see findings.h / docs/settings.md), the
 * value as collected (for display) and a normalized value (for equality):
 * type-tagged, URLs case-folded without trailing '/', versions numeric,
 * REG_MULTI_SZ and redirection keys as sorted sets.
 */
#ifndef IRMF_SETTINGS_H
#define IRMF_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot_int.h"
#include "buf.h"

struct irmf_strpool;

typedef enum irmf_section {
	IRMF_SECTION_REGISTRY = 0,
	IRMF_SECTION_IRM,
	IRMF_SECTION_IRM_TEST,
	IRMF_SECTION_FILES,
	IRMF_SECTION_GROUPS
} irmf_section;

typedef struct irmf_setting {
	char *key;       /* "reg:HKLM\SOFTWARE\Microsoft\MSDRM\...\(default)" */
	char *value;     /* display: "REG_SZ https://..." */
	char *norm;      /* comparison form */
	irmf_section section;
} irmf_setting;

typedef struct irmf_settings {
	irmf_setting *items;   /* sorted by key (strcmp) */
	size_t n, cap;
	bool pooled;           /* strings belong to a string pool (see
	                        * collector/base/strpool.h), not to the items */
} irmf_settings;

/* Flatten snap into out (cleared first).  Only registry values under the
 * roots the connector uses are included (irmf_settings_reg_roots). */
int irmf_settings_extract(const irmf_snapshot *snap, irmf_settings *out);

/* Scratch for flattening many snapshots, one per thread: each setting is
 * rendered into these reused buffers and copied (or interned) once, and
 * with a pool a memo of the thread's recent interned strings spares most
 * trips to the shared pool.  Fields are private to settings.c. */
typedef struct irmf_setbuf {
	irmf_buf arena;     /* members, each NUL-terminated */
	size_t *offs;       /* where each member starts */
	size_t n, cap;
} irmf_setbuf;

typedef struct irmf_memo_entry {
	const char *s;      /* pooled */
	size_t len;
	uint64_t hash;
} irmf_memo_entry;

#define IRMF_FLATTEN_MEMO 4096   /* entries, a power of two */

typedef struct irmf_pos_entry {
	const char *s[3];   /* pooled key, value, norm */
	size_t len[3];
} irmf_pos_entry;

typedef struct irmf_flattener {
	struct irmf_strpool *pool;   /* NULL: settings own their strings */
	irmf_settings *out;
	irmf_buf key, value, norm;   /* the setting being rendered */
	irmf_setbuf set, multi;      /* a set value; a REG_MULTI_SZ in it */
	irmf_memo_entry *memo;       /* allocated on first use */
	irmf_pos_entry *pos;         /* by position in the previous snapshots */
	size_t npos;
	const char **prev_keys;      /* previous snapshot's keys, unsorted */
	size_t *perm;                /* and the order that sorted them */
	irmf_setting *tmp;
	size_t nprev, capsort;
} irmf_flattener;

/* Init cannot fail (memory is taken on first use); release frees it. */
void irmf_flattener_init(irmf_flattener *f, struct irmf_strpool *pool);
void irmf_flattener_release(irmf_flattener *f);
/* irmf_settings_extract, the strings interned in f's pool if it has one
 * (then out->pooled: they live as long as the pool). */
int irmf_flattener_extract(irmf_flattener *f, const irmf_snapshot *snap,
    irmf_settings *out);
void irmf_settings_clear(irmf_settings *s);
/* Binary search by key; NULL if absent. */
const irmf_setting *irmf_settings_find(const irmf_settings *s,
    const char *key);

/* Whether the snapshot holds data for a section at all (an import of only
 * a .reg file has no IRM section: its IRM settings are unknown, not
 * missing). */
bool irmf_section_present(const irmf_snapshot *snap, irmf_section sec);

/* If the setting could not be collected on this server (a collection error
 * covers it: "host", "registry:<prefix of key>", "irm-config", "file:<n>",
 * "groups", "irm-test"), return that error; else NULL. */
const irmf_collect_error *irmf_setting_collect_error(
    const irmf_snapshot *snap, const char *key);

/* NULL-terminated list of the registry roots compared (HKLM\... form). */
extern const char *const irmf_settings_reg_roots[];

/* Display form of a registry path: HKEY_LOCAL_MACHINE -> HKLM. */
char *irmf_reg_display_path(const char *canonical);

/* The cohort a server is compared within: "exchange-v14",
 * "exchange-v15", "sharepoint-2013+", "sharepoint-2010-fci",
 * "connector", or "unknown".  Exchange 2010 uses the v14 keys, 2013-2019
 * the v15 keys; SharePoint 2010 and FCI file servers share the MSDRM
 * connector keys; SharePoint 2013+ uses MSIPC. */
/* The last segment of a registry value's setting key: "(default)" for the
 * unnamed default value, IRMF_LITERAL_DEFAULT for a value literally named
 * "(default)", else the name.  irmf_setting_value_name is the reverse
 * (segment -> value name). */
#define IRMF_LITERAL_DEFAULT "\"(default)\""
const char *irmf_setting_name_of_value(const char *name);
const char *irmf_setting_value_name(const char *segment);

const char *irmf_cohort_of(const irmf_snapshot *snap);
/* The server configuration tool's switch for snap's own generation and
 * role ("-SetExchange2010", "-SetFCI2012", ...), never another
 * generation's; for an unknown generation, both, with that said. */
const char *irmf_genconfig_switch(const irmf_snapshot *snap);
/* How the MSIPC ServiceLocation keys get written on snap: the tool's
 * -SetSharePoint2013 on SharePoint, by hand on Exchange 2016/2019 (the tool
 * does not write them for Exchange). */
const char *irmf_msipc_via(const irmf_snapshot *snap);

/* Remember snap's cohort in it (the fleet loader, once a snapshot is
 * complete): later irmf_cohort_of calls return it without reading the
 * evidence again, while roles, keys and files are unchanged. */
void irmf_cohort_remember(irmf_snapshot *snap);

/* Is the cohort one of servers whose product generation is unknown
 * ("exchange-unknown", "sharepoint-unknown")? */
bool irmf_cohort_unidentified(const char *cohort);
/* Are the servers of the cohort compared with each other?  Not those of
 * unknown generation, nor "exchange-not-configured" (Exchange servers whose
 * roles the connector documentation does not configure: Edge Transport,
 * an Exchange 2010 Mailbox-only server). */
bool irmf_cohort_compared(const char *cohort);

#endif
