/*
 * snapshot_int.h - the fields of irmf_snapshot, shared by the library's
 * modules (parsers fill it, the XML layer reads/writes it, compare and the
 * store read it).  Not installed; the public API is
 * include/irmfleet/snapshot.h.
 *
 * Invariants:
 *  - every string is owned by the snapshot, UTF-8, NUL-terminated;
 *  - registry key paths are stored with the root spelled out
 *    ("HKEY_LOCAL_MACHINE\SOFTWARE\..."), original case kept for display;
 *    lookups are case-insensitive (ASCII folding, as Windows does for the
 *    names irmfleet cares about);
 *  - the unnamed default value has name "" (never NULL);
 *  - arrays grow with irmf_snapshot_* helpers only, so counts are exact;
 *  - a collection error for an item means "failed", never "absent".
 */
#ifndef IRMF_SNAPSHOT_INT_H
#define IRMF_SNAPSHOT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "irmfleet/snapshot.h"
#include "str.h"   /* strdup, grow, string list (most users need them) */

/* Registry value types, numbered as in winnt.h. */
typedef enum irmf_reg_type {
	IRMF_REG_NONE = 0,
	IRMF_REG_SZ = 1,
	IRMF_REG_EXPAND_SZ = 2,
	IRMF_REG_BINARY = 3,
	IRMF_REG_DWORD = 4,
	IRMF_REG_DWORD_BIG_ENDIAN = 5,
	IRMF_REG_LINK = 6,
	IRMF_REG_MULTI_SZ = 7,
	IRMF_REG_RESOURCE_LIST = 8,
	IRMF_REG_FULL_RESOURCE_DESCRIPTOR = 9,
	IRMF_REG_RESOURCE_REQUIREMENTS_LIST = 10,
	IRMF_REG_QWORD = 11
} irmf_reg_type;

/*
 * One registry value.  Which data member is meaningful depends on type:
 *  SZ, EXPAND_SZ, LINK        -> str
 *  MULTI_SZ                   -> multi[0..nmulti) (entries may be "")
 *  DWORD, DWORD_BIG_ENDIAN,
 *  QWORD                      -> num
 *  everything else            -> bin[0..nbin)
 */
typedef struct irmf_reg_value {
	char *name;
	irmf_reg_type type;
	char *str;
	char **multi;
	size_t nmulti;
	uint64_t num;
	unsigned char *bin;
	size_t nbin;
} irmf_reg_value;

typedef struct irmf_reg_key {
	char *path;
	irmf_reg_value *values;
	size_t nvalues, capvalues;
	/* case-folded name -> index, kept by the irmf_reg_key_* functions once
	 * a key has many values (a hostile dump can hold millions in one key);
	 * NULL means "search linearly" */
	struct irmf_valindex *valindex;
} irmf_reg_key;

/* Get-IRMConfiguration property types. */
typedef enum irmf_prop_type {
	IRMF_PROP_STRING = 0,
	IRMF_PROP_BOOL,
	IRMF_PROP_INT,
	IRMF_PROP_URI,
	IRMF_PROP_URI_LIST,
	IRMF_PROP_ENUM,
	IRMF_PROP_LIST   /* list of strings */
} irmf_prop_type;

/* One property.  Scalars keep their text form ("True", "Optional", "0",
 * "https://..."); lists use items.  is_nil marks a PowerShell $null. */
typedef struct irmf_prop {
	char *name;
	irmf_prop_type type;
	bool is_nil;
	char *value;
	char **items;
	size_t nitems;
} irmf_prop;

typedef struct irmf_file_version {
	char *name;      /* "msdrm.dll", "msipc.dll", "ExSetup.exe" */
	char *path;      /* full path if known, else NULL */
	char *version;   /* "6.3.9600.17415" */
} irmf_file_version;

typedef enum irmf_account_kind {
	IRMF_ACCOUNT_USER = 0,
	IRMF_ACCOUNT_GROUP,
	IRMF_ACCOUNT_COMPUTER,
	/* a row derived from event 1004 that is not NAME$: a user or a group,
	 * the event does not say (never in a typed list, never written) */
	IRMF_ACCOUNT_UNKNOWN
} irmf_account_kind;

/* Where a connector node's authorization list came from: typed from the
 * administration tool into a CSV (docs/authorization-list.md: accounts,
 * kinds and roles), or derived from the node's newest event 1004 (the
 * accounts only: role 0 "unknown", kind computer for NAME$ else unknown).
 * A typed list always wins over a derived one. */
typedef enum irmf_auth_source {
	IRMF_AUTH_TYPED = 0,
	IRMF_AUTH_EVENT_1004
} irmf_auth_source;

/* One row of the connector's "servers allowed to utilize the connector"
 * list; role is a single IRMF_ROLE_* bit (0: unknown, derived lists). */
typedef struct irmf_authorization {
	char *account;          /* "CONTOSO\Exchange Servers" */
	irmf_account_kind kind;
	irmf_role role;
} irmf_authorization;

/* Connector events summarized per (event id, requester). */
typedef struct irmf_event_summary {
	int id;
	char *account;   /* "CONTOSO\EX01$" or NULL */
	char *computer;  /* "EX01.contoso.com" or NULL */
	unsigned count;
	char *first;     /* ISO 8601 UTC */
	char *last;
} irmf_event_summary;

/* What one event query covered (collect asks per group of event IDs, so
 * the frequent 1004 cannot push the rare 1002 out of what is read): the
 * IDs asked for, how many events came back, and whether that was the
 * whole log (fewer than asked) or only the newest events back to
 * `oldest`.  Rules judge "no such event" only within a window. */
typedef struct irmf_event_window {
	char *ids;        /* "1000 1001 1002 1003" (space-separated) */
	unsigned returned;
	bool whole_log;   /* false: the cap was hit, older events unread */
	char *oldest;     /* oldest event returned (ISO 8601 UTC) or NULL */
} irmf_event_window;

typedef enum irmf_probe_result {
	IRMF_PROBE_HTTP = 0,   /* got an HTTP answer (any status) */
	IRMF_PROBE_DNS,
	IRMF_PROBE_CONNECT,
	IRMF_PROBE_TLS,
	IRMF_PROBE_TIMEOUT,
	IRMF_PROBE_OTHER
} irmf_probe_result;

typedef struct irmf_probe {
	char *url;
	irmf_probe_result result;
	int http_status;   /* when result == IRMF_PROBE_HTTP */
	char *message;     /* error text or NULL */
} irmf_probe;

typedef enum irmf_collect_reason {
	IRMF_REASON_TIMEOUT = 0,
	IRMF_REASON_ACCESS_DENIED,
	IRMF_REASON_NOT_FOUND,
	IRMF_REASON_PARSE_ERROR,
	IRMF_REASON_COMMAND_FAILED,
	IRMF_REASON_CONNECTION     /* host could not be reached at all */
} irmf_collect_reason;

/* An item that could not be collected.  item is a stable key naming what
 * failed: "registry:<ROOT PATH>", "irm-config", "exchange-server",
 * "file:<name>", "groups", "authorizations", "events", "probe:<url>",
 * "irm-test", or "host" for the whole host. */
typedef struct irmf_collect_error {
	char *item;
	irmf_collect_reason reason;
	char *message;
} irmf_collect_error;

/* An item this way of running did not collect at all (the export
 * document's status "skipped": Get-IRMConfiguration and
 * Get-ExchangeServer outside the Exchange Management Shell or over SSH
 * under a key logon).  Neither failed (nothing went wrong) nor absent
 * (nobody looked): unknown, with the message saying why and what to run
 * instead.  item uses the keys of irmf_collect_error. */
typedef struct irmf_skipped_item {
	char *item;
	char *message;
} irmf_skipped_item;

typedef struct irmf_source {
	char *file;      /* name as given on the command line (basename) */
	char *sha256;    /* lowercase hex */
	char *format;    /* detected format: "reg", "regquery", "clixml" ... */
} irmf_source;

/* A Test-IRMConfiguration step. */
typedef struct irmf_irm_test_step {
	char *check;     /* "Checking Exchange Server ..." */
	bool pass;
	char *message;   /* text after "PASS:" / "FAIL:" */
} irmf_irm_test_step;

/* How far the group list reaches: the computer's token groups (every
 * group it is in, nested ones too, each with its own domain: whoami run
 * as the computer, gpresult, AD tokenGroups) or only the groups it is a
 * direct member of (AD memberOf).  UNSTATED: an older snapshot or an
 * export that does not say. */
typedef enum irmf_groups_scope {
	IRMF_GROUPS_UNSTATED = 0,
	IRMF_GROUPS_TOKEN,
	IRMF_GROUPS_DIRECT
} irmf_groups_scope;

/* The security descriptor of a registry key, as SDDL; sddl NULL means
 * the key does not exist (read, not failed). */
typedef struct irmf_key_acl {
	char *path;      /* canonical "HKEY_LOCAL_MACHINE\..." */
	char *sddl;
} irmf_key_acl;

struct irmf_snapshot {
	/* identity */
	char *server;            /* short name, e.g. "EX07" */
	char *fqdn;
	unsigned roles;          /* IRMF_ROLE_* bits */
	char *product;           /* "Exchange Server 2019", "SharePoint Server 2016" */
	char *product_build;     /* "15.2.1544.4" */
	/* Exchange server roles from Get-ExchangeServer ("Mailbox,
	 * ClientAccess, HubTransport", "Edge"), NULL when not exported */
	char *exchange_roles;
	char *os_version;        /* "Windows Server 2019 (10.0.17763)" */
	char *collected_at;      /* ISO 8601 UTC */
	irmf_method method;
	char *collector_name;
	char *collector_version;
	irmf_source *sources;
	size_t nsources, capsources;
	/* The <generation> a formatVersion 2 file recorded (NULL: none).
	 * Informational only: nothing uses it but validate's check against
	 * identity.c's, and the writer writes what the content gives. */
	char *recorded_generation;
	char *recorded_build;
	long recorded_line;

	/* registry */
	irmf_reg_key *keys;
	size_t nkeys, capkeys;
	struct irmf_keyindex *keyindex;  /* case-folded path -> index */

	/* Exchange IRM configuration (org-wide, as seen from this server) */
	bool has_irm_config;
	irmf_prop *props;
	size_t nprops, capprops;

	/* Test-IRMConfiguration result */
	bool has_irm_test;
	bool irm_test_pass;
	irmf_irm_test_step *irm_steps;
	size_t nirm_steps, capirm_steps;

	irmf_file_version *files;
	size_t nfiles, capfiles;

	/* security identity */
	char *computer_account;  /* "CONTOSO\EX07$" */
	irmf_strlist groups;     /* group memberships of the computer account */
	irmf_groups_scope groups_scope;
	irmf_strlist service_accounts;
	/* registry key ACLs (MSIPC\Server for Exchange's AES256-CBC) */
	irmf_key_acl *acls;
	size_t nacls, capacls;

	/* connector node data */
	bool has_authorizations;
	irmf_auth_source auth_source;
	char *auth_at;     /* derived: time of the event 1004 (UTC), else NULL */
	irmf_authorization *auths;
	size_t nauths, capauths;
	/* The node's newest event 1004 (UTC time) named no account irmfleet
	 * recognizes: nothing derived from it (not an empty list). */
	char *auth_1004_unread;
	bool has_events;
	irmf_event_summary *events;
	size_t nevents, capevents;
	irmf_event_window *evwindows;   /* none: window unknown (import) */
	size_t nevwindows, capevwindows;

	irmf_probe *probes;
	size_t nprobes, capprobes;

	irmf_collect_error *errors;
	size_t nerrors, caperrors;

	/* items not collected by this way of running (<skipped>) */
	irmf_skipped_item *skipped;
	size_t nskipped, capskipped;

	/* The cohort irmf_cohort_of (compare/core/settings.c) gave this snapshot,
	 * remembered by the fleet loader once the snapshot is complete:
	 * establishing a generation reads the evidence, and compare asks for
	 * the cohort of every server many times.  It is used only while the
	 * roles and the numbers of keys and files are as they were. */
	const char *cohort_memo;
	unsigned memo_roles;
	size_t memo_nkeys, memo_nfiles;
};

/* ---- identity ---- */
int irmf_snapshot_set_fqdn(irmf_snapshot *snap, const char *fqdn);
int irmf_snapshot_set_product(irmf_snapshot *snap, const char *product,
    const char *build);
int irmf_snapshot_set_os(irmf_snapshot *snap, const char *os);
int irmf_snapshot_set_collected_at(irmf_snapshot *snap, const char *iso);
/* Set collected_at to the current UTC time. */
int irmf_snapshot_stamp_now(irmf_snapshot *snap);
int irmf_snapshot_set_collector(irmf_snapshot *snap, const char *name,
    const char *version);
int irmf_snapshot_add_source(irmf_snapshot *snap, const char *file,
    const char *sha256, const char *format);

/* ---- registry ---- */

/* Canonical root spelling: "HKLM\x" -> "HKEY_LOCAL_MACHINE\x".  Returns a
 * malloc'd string; trailing backslashes dropped.  NULL on bad root. */
char *irmf_reg_canonical_path(const char *path);

/* Find a key (case-insensitive); NULL if absent. */
irmf_reg_key *irmf_snapshot_reg_find(const irmf_snapshot *snap,
    const char *path);
/* The same for a path already in canonical form ("HKEY_LOCAL_MACHINE\..."),
 * without allocating: for lookups on hot paths. */
irmf_reg_key *irmf_snapshot_reg_find_canon(const irmf_snapshot *snap,
    const char *canon);
/* Find or create a key.  path is canonicalised. */
int irmf_snapshot_reg_key(irmf_snapshot *snap, const char *path,
    irmf_reg_key **out);
/* Find a value of a key by name (case-insensitive; "" = default). */
irmf_reg_value *irmf_reg_key_find_value(const irmf_reg_key *key,
    const char *name);
/* Add or replace a value; takes ownership of *val's members on success
 * and zeroes *val. */
int irmf_reg_key_set_value(irmf_reg_key *key, irmf_reg_value *val);
/* Add a value that must be new (one lookup, for readers that reject
 * duplicates): on success *val is taken over and zeroed, unless the key
 * already has a value of that name: then *dup is set and nothing
 * changes. */
int irmf_reg_key_add_value(irmf_reg_key *key, irmf_reg_value *val,
    bool *dup);
/* Convenience setters. */
int irmf_reg_key_set_sz(irmf_reg_key *key, const char *name,
    irmf_reg_type type, const char *data);
int irmf_reg_key_set_num(irmf_reg_key *key, const char *name,
    irmf_reg_type type, uint64_t num);
int irmf_reg_key_set_bin(irmf_reg_key *key, const char *name,
    irmf_reg_type type, const unsigned char *data, size_t n);
/* multi entries are copied. */
int irmf_reg_key_set_multi(irmf_reg_key *key, const char *name,
    char *const *items, size_t n);
/* .reg deletions: "[-KEY]" removes the key and all its subkeys;
 * "name"=- removes one value.  Absent targets are not an error. */
int irmf_snapshot_reg_delete_key(irmf_snapshot *snap, const char *path);
int irmf_reg_key_delete_value(irmf_reg_key *key, const char *name);
void irmf_reg_value_clear(irmf_reg_value *v);

/* Which member of irmf_reg_value holds a type's data. */
static inline bool
irmf_reg_type_is_string(irmf_reg_type t)
{
	return t == IRMF_REG_SZ || t == IRMF_REG_EXPAND_SZ ||
	    t == IRMF_REG_LINK;
}

static inline bool
irmf_reg_type_is_number(irmf_reg_type t)
{
	return t == IRMF_REG_DWORD || t == IRMF_REG_DWORD_BIG_ENDIAN ||
	    t == IRMF_REG_QWORD;
}

const char *irmf_reg_type_name(irmf_reg_type t);         /* "REG_SZ" */
int irmf_reg_type_parse(const char *name, irmf_reg_type *out);

/* ---- IRM configuration ---- */
irmf_prop *irmf_snapshot_prop_find(const irmf_snapshot *snap,
    const char *name);
/* Add or replace a scalar property (value NULL + is_nil for $null). */
int irmf_snapshot_prop_set(irmf_snapshot *snap, const char *name,
    irmf_prop_type type, const char *value, bool is_nil);
/* Add or replace a list property (items copied). */
int irmf_snapshot_prop_set_list(irmf_snapshot *snap, const char *name,
    irmf_prop_type type, char *const *items, size_t n);
/* uri-list and list properties use items, the others value. */
static inline bool
irmf_prop_type_is_list(irmf_prop_type t)
{
	return t == IRMF_PROP_URI_LIST || t == IRMF_PROP_LIST;
}

const char *irmf_prop_type_name(irmf_prop_type t);        /* "bool" */
int irmf_prop_type_parse(const char *name, irmf_prop_type *out);

int irmf_snapshot_irm_test_add(irmf_snapshot *snap, const char *check,
    bool pass, const char *message);

/* ---- files, identity, connector ---- */
/* Add or replace (by name, case-insensitive). */
int irmf_snapshot_file_set(irmf_snapshot *snap, const char *name,
    const char *path, const char *version);
irmf_file_version *irmf_snapshot_file_find(const irmf_snapshot *snap,
    const char *name);
int irmf_snapshot_set_computer_account(irmf_snapshot *snap,
    const char *account);
int irmf_snapshot_add_group(irmf_snapshot *snap, const char *group);
int irmf_snapshot_add_service_account(irmf_snapshot *snap,
    const char *account);
/* Add or replace (by path, canonicalised) a key's SDDL; sddl NULL
 * records that the key is absent. */
int irmf_snapshot_set_key_acl(irmf_snapshot *snap, const char *path,
    const char *sddl);
const irmf_key_acl *irmf_snapshot_key_acl(const irmf_snapshot *snap,
    const char *path);
const char *irmf_groups_scope_name(irmf_groups_scope g);   /* "token" */
int irmf_groups_scope_parse(const char *s, irmf_groups_scope *out);
/* A row of a typed list; replaces a derived list (the typed one wins). */
int irmf_snapshot_add_authorization(irmf_snapshot *snap,
    const char *account, irmf_account_kind kind, irmf_role role);
/* A typed list was read (it may be empty): it replaces a derived one. */
void irmf_snapshot_typed_auths(irmf_snapshot *snap);
/* What the event 1004 at time `at` (UTC, required) lists: accounts, each
 * once (case-insensitively), n may be 0: the message named none irmfleet
 * recognizes.  Kept only if the
 * snapshot has no typed list and no 1004 newer than or as new as `at`
 * was seen: the newest 1004 decides. */
int irmf_snapshot_note_1004(irmf_snapshot *snap, const char *at,
    const char *const *accounts, size_t n);
/* Append one row of a derived list as read back from XML (no checks:
 * the reader calls irmf_snapshot_auth_dedupe at the list's end). */
int irmf_snapshot_add_derived_row(irmf_snapshot *snap, const char *account,
    irmf_account_kind kind);
/* The same for a row of a typed list. */
int irmf_snapshot_add_typed_row(irmf_snapshot *snap, const char *account,
    irmf_account_kind kind, irmf_role role);
/* Rows with one account (case-insensitively) and role kept once, at the
 * first one's place with the last one's kind, as adding them one by one
 * does; by sorting, so a list of many thousand rows read from a file
 * stays n log n. */
int irmf_snapshot_auth_dedupe(irmf_snapshot *snap);
/* Count one event into the (id, account, computer) summary; time may be
 * NULL.  Sets has_events. */
int irmf_snapshot_add_event(irmf_snapshot *snap, int id,
    const char *account, const char *computer, const char *time);
/* Add an already-summarized row (XML reader). */
int irmf_snapshot_add_event_summary(irmf_snapshot *snap, int id,
    const char *account, const char *computer, unsigned count,
    const char *first, const char *last);
/* Record the window of one event query (ids as in irmf_event_window). */
int irmf_snapshot_add_event_window(irmf_snapshot *snap, const char *ids,
    unsigned returned, bool whole_log, const char *oldest);
/* The window of the query that asked for event id, or NULL. */
const irmf_event_window *irmf_snapshot_event_window(
    const irmf_snapshot *snap, int id);
int irmf_snapshot_add_probe(irmf_snapshot *snap, const char *url,
    irmf_probe_result result, int http_status, const char *message);
int irmf_snapshot_add_error(irmf_snapshot *snap, const char *item,
    irmf_collect_reason reason, const char *message);
/* The collection error for item (exact, case-insensitive), or NULL. */
const irmf_collect_error *irmf_snapshot_error_for(const irmf_snapshot *snap,
    const char *item);
/* Record item as not collected by this way of running (once per item,
 * case-insensitive: a second record of it is ignored). */
int irmf_snapshot_add_skipped(irmf_snapshot *snap, const char *item,
    const char *message);
/* The "not collected" record of item, or NULL. */
const irmf_skipped_item *irmf_snapshot_skipped_for(const irmf_snapshot *snap,
    const char *item);

const char *irmf_account_kind_name(irmf_account_kind k);
int irmf_account_kind_parse(const char *s, irmf_account_kind *out);
const char *irmf_probe_result_name(irmf_probe_result r);
int irmf_probe_result_parse(const char *s, irmf_probe_result *out);
const char *irmf_collect_reason_name(irmf_collect_reason r);
int irmf_collect_reason_parse(const char *s, irmf_collect_reason *out);
const char *irmf_method_name(irmf_method m);
int irmf_method_parse(const char *s, irmf_method *out);

/* Merge src into dst (import of several files for one server): registry
 * keys/values, props, files, identity, connector data, probes, errors,
 * sources.  Scalars already set in dst win unless unset. */
int irmf_snapshot_merge(irmf_snapshot *dst, const irmf_snapshot *src);

#endif
