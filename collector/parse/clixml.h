/*
 * clixml.h - PowerShell CLIXML (Export-Clixml, PSSerializer::Serialize):
 * a generic reader into a small owned value tree, and the mapping of the
 * object types irmfleet uses (Get-IRMConfiguration, Get-ExchangeServer,
 * FileVersionInfo, and the irmfleet.Probe / irmfleet.Groups shapes of
 * docs/remote-commands.md) into a snapshot.
 *
 * Value tree: a document holds its top-level values (roots).  Every value
 * is a node: Nil, a primitive (<S>, <I32>, <B>, ... with its decoded
 * text), an object (<Obj>: type names, ToString, adapted properties
 * <Props>, extended members <MS>, an optional collection <LST>/<IE>/
 * <STK>/<QUE>/<DCT> and an optional wrapped primitive such as an enum's
 * <I32>), or a reference (<Ref RefId>) to an earlier object.  References
 * are not owned and are never followed by a tree walk, so reference
 * cycles (an object referring to its own ancestor, as PSDriveInfo does)
 * cannot loop.  Everything is owned by the document.
 */
#ifndef IRMF_CLIXML_H
#define IRMF_CLIXML_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

#define IRMF_CLIXML_NS "http://schemas.microsoft.com/powershell/2004/04"
/* Inputs above this size are refused (IRMF_ELIMIT). */
#define IRMF_CLIXML_MAX_BYTES ((size_t)64 * 1024 * 1024)
/* Deepest value nesting accepted (an object inside a property of an
 * object is one level deeper). */
#define IRMF_CLIXML_MAX_DEPTH 64
/* Most values one document may hold. */
#define IRMF_CLIXML_MAX_NODES 4000000

typedef enum irmf_cx_kind {
	IRMF_CX_NIL = 0,
	IRMF_CX_PRIM,
	IRMF_CX_OBJ,
	IRMF_CX_REF
} irmf_cx_kind;

typedef enum irmf_cx_coll {
	IRMF_CX_COLL_NONE = 0,
	IRMF_CX_COLL_LST,
	IRMF_CX_COLL_IE,
	IRMF_CX_COLL_STK,
	IRMF_CX_COLL_QUE,
	IRMF_CX_COLL_DCT
} irmf_cx_coll;

/* The <TN> list of an object, most derived type first. */
typedef struct irmf_cx_types {
	char *refid;
	char **names;
	size_t n;
} irmf_cx_types;

typedef struct irmf_cx_node irmf_cx_node;
struct irmf_cx_node {
	irmf_cx_kind kind;
	char *tag;            /* element name: "S", "I32", "Obj", "Nil", "Ref" */
	char *name;           /* decoded N attribute, NULL if none */
	char *text;           /* PRIM: decoded text ("" if empty);
	                         OBJ: decoded <ToString>, NULL if none */
	long line;
	char *refid;          /* Obj/Ref RefId attribute, NULL if none */

	/* IRMF_CX_OBJ */
	const irmf_cx_types *types;    /* NULL if the object has none */
	irmf_cx_node **props;          /* <Props> members */
	size_t nprops;
	irmf_cx_node **ms;             /* <MS> members */
	size_t nms;
	irmf_cx_coll coll;
	irmf_cx_node **items;          /* collection items; for DCT the
	                                  entries as key, value, key, value */
	size_t nitems;
	irmf_cx_node *prim;            /* wrapped value, e.g. an enum's I32 */

	/* IRMF_CX_REF: the object referred to (not owned) */
	const irmf_cx_node *target;

	/* private to clixml.c */
	char *tnref_;
	size_t nprops_cap_, nms_cap_, nitems_cap_;
};

typedef struct irmf_clixml_doc irmf_clixml_doc;

/* Parse a CLIXML document (UTF-8 with or without BOM, UTF-16 with BOM).
 * `name` names the input in error messages ("file:line: ...").  On
 * success *out owns the tree; free with irmf_clixml_doc_free. */
int irmf_clixml_doc_parse(irmf_clixml_doc **out, const char *buf, size_t len,
    const char *name);
void irmf_clixml_doc_free(irmf_clixml_doc *doc);

/* Top-level values in document order (borrowed). */
size_t irmf_clixml_doc_nroots(const irmf_clixml_doc *doc);
const irmf_cx_node *irmf_clixml_doc_root(const irmf_clixml_doc *doc,
    size_t i);

/* A Ref's target, anything else itself; NULL stays NULL. */
const irmf_cx_node *irmf_cx_deref(const irmf_cx_node *n);

/* True if one of the object's type names equals `type` (ASCII case
 * folded) once a "Deserialized." or "Selected." prefix is removed. */
bool irmf_cx_is_type(const irmf_cx_node *n, const char *type);
/* Same, for type names starting with `prefix`. */
bool irmf_cx_type_has_prefix(const irmf_cx_node *n, const char *prefix);
/* The first type name, or NULL. */
const char *irmf_cx_type_name(const irmf_cx_node *n);

/* Member named `name` (case-insensitive) from <Props>, then <MS>;
 * dereferenced; NULL if absent. */
const irmf_cx_node *irmf_cx_member(const irmf_cx_node *obj,
    const char *name);
/* Text of a primitive member, or NULL if absent, Nil or not primitive. */
const char *irmf_cx_member_text(const irmf_cx_node *obj, const char *name);

/* Decode PowerShell's _xHHHH_ escapes (UTF-16 code units, pairs joined)
 * into a malloc'd UTF-8 string.  Lone surrogates and U+0000 become
 * U+FFFD. */
char *irmf_clixml_unescape(const char *s);

/* True if buf starts like a CLIXML document (an <Objs> root in the
 * PowerShell namespace), in UTF-8 or UTF-16. */
bool irmf_clixml_sniff(const char *buf, size_t len);

/* Parse and map into snap: Get-IRMConfiguration -> IRM properties,
 * Get-ExchangeServer -> identity, FileVersionInfo -> files, the
 * irmfleet.Probe and irmfleet.Groups shapes -> probes and groups.
 * A well-formed document holding nothing irmfleet uses gives
 * IRMF_EUNSUPPORTED naming the object type. */
int irmf_clixml_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);

#endif
