/*
 * snapshot.h - one server at one moment.
 *
 * A snapshot is what irmfleet knows about one server: identity, registry
 * values under the roots the RMS connector cares about, the Exchange IRM
 * configuration, file versions, security identity, connector-node data
 * (authorizations, events), URL probes, and every item that could not be
 * collected.  It is stored as one XML document per server
 * (schemas/snapshot.xsd, namespace urn:irmfleet:snapshot:1, formatVersion
 * 2; version 1 files are still read).
 *
 * The type is opaque; the library's modules see its fields through the
 * internal header collector/snapshot/snapshot_int.h.
 */
#ifndef IRMFLEET_SNAPSHOT_H
#define IRMFLEET_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IRMF_SNAPSHOT_NS "urn:irmfleet:snapshot:1"
/* The version written; readers accept IRMF_SNAPSHOT_FORMAT_MIN up to it.
 * Version 2 added <identity><generation> (the product generation derived
 * from the content, recorded for people and other tools to read). */
#define IRMF_SNAPSHOT_FORMAT_VERSION 2
#define IRMF_SNAPSHOT_FORMAT_MIN 1

typedef struct irmf_snapshot irmf_snapshot;

/* Server roles; a server may have several (bit set). */
typedef enum irmf_role {
	IRMF_ROLE_EXCHANGE = 1 << 0,
	IRMF_ROLE_SHAREPOINT = 1 << 1,
	IRMF_ROLE_FCI = 1 << 2,
	IRMF_ROLE_CONNECTOR = 1 << 3
} irmf_role;

/* How the snapshot was obtained. */
typedef enum irmf_method {
	IRMF_METHOD_IMPORT = 0,
	IRMF_METHOD_SSH = 1
} irmf_method;

int irmf_snapshot_new(irmf_snapshot **out, const char *server);
void irmf_snapshot_free(irmf_snapshot *snap);

/* Read a snapshot file: parse, validate against the XSD, build the model.
 * Errors name the file and line. */
int irmf_snapshot_load(irmf_snapshot **out, const char *path);

/* Same, from memory; `name` is used in error messages. */
int irmf_snapshot_load_buffer(irmf_snapshot **out, const char *buf,
    size_t len, const char *name);

/* Write atomically (temp file in the same directory, fsync, rename).  The
 * document is validated before it is written; an invalid model is an
 * error and nothing is left behind. */
int irmf_snapshot_save(const irmf_snapshot *snap, const char *path);

/* Remove the temporary files (".NAME.xml.tmp-PID-N") that writers killed
 * mid-save left in dir; only those whose process is gone, never a live
 * writer's.  Returns how many were removed.  Call it once per run before
 * writing into dir (collect and import do). */
int irmf_snapshot_dir_clean(const char *dir);

/* Serialize to a malloc'd buffer (caller frees with free()). */
int irmf_snapshot_to_buffer(const irmf_snapshot *snap, char **out,
    size_t *out_len);

/* Validate a snapshot file against schemas/snapshot.xsd; all problems are
 * reported through `report` (one line each, "file:line: message"), the
 * return is IRMF_ESCHEMA/IRMF_EPARSE if there was any. */
typedef void (*irmf_report_fn)(const char *line, void *payload);
int irmf_snapshot_validate_file(const char *path, irmf_report_fn report,
    void *payload);

/* Identity accessors (borrowed strings, may be NULL). */
const char *irmf_snapshot_server(const irmf_snapshot *snap);
const char *irmf_snapshot_fqdn(const irmf_snapshot *snap);
unsigned irmf_snapshot_roles(const irmf_snapshot *snap);

/* Whether the <generation> recorded in a snapshot file (formatVersion 2)
 * disagrees with the generation its content gives now (a hand-edited or
 * foreign file: the library always uses the one from the content).  When
 * it does, msg gets "FILE:LINE: recorded generation ... but the content
 * says ..." naming path (may be NULL).  A snapshot without a recorded
 * generation (version 1, or built in memory) never disagrees. */
bool irmf_snapshot_generation_mismatch(const irmf_snapshot *snap,
    const char *path, char *msg, size_t msglen);

const char *irmf_role_name(irmf_role role);
int irmf_role_parse(const char *name, irmf_role *out);

#ifdef __cplusplus
}
#endif
#endif
