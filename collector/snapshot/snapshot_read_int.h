/*
 * snapshot_read_int.h - what the three files of the snapshot reader share:
 * the reader's state (open elements, the element being read, the model
 * being built) and the helpers the element handlers use.
 *
 *   snapshot_read.c       the SAX callbacks and the load entry points
 *   snapshot_read_elem.c  one handler per element of the format, and the
 *                         dispatch from (parent, element) to them
 *   snapshot_read_util.c  attributes, text, numbers, base64, errors
 *
 * Dependencies run that way only.  Nothing outside the reader includes
 * this header; srd_ marks its functions as the reader's own.
 */
#ifndef IRMF_SNAPSHOT_READ_INT_H
#define IRMF_SNAPSHOT_READ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "snapshot_int.h"
#include "xmlutil.h"

#define MAX_DEPTH 8      /* the schema's deepest element is at depth 5 */
#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* The elements of the format; E_OTHER is anything else (the schema will
 * reject it, so it is simply skipped here). */
typedef enum el_code {
	E_OTHER = 0, E_SNAPSHOT, E_IDENTITY, E_SERVER, E_FQDN, E_ROLES, E_ROLE,
	E_PRODUCT, E_OS, E_COLLECTED_AT, E_METHOD, E_COLLECTOR, E_SOURCES,
	E_SOURCE, E_REGISTRY, E_KEY, E_VALUE, E_ITEM, E_IRM_CONFIG, E_PROPERTY,
	E_IRM_TEST, E_STEP, E_CHECK, E_MESSAGE, E_FILES, E_FILE, E_SECURITY,
	E_COMPUTER_ACCOUNT, E_GROUPS, E_GROUP, E_SERVICE_ACCOUNTS, E_ACCOUNT,
	E_AUTHORIZATIONS, E_AUTHORIZATION, E_EVENTS, E_EVENT, E_WINDOW, E_PROBES,
	E_PROBE, E_ERRORS, E_ERROR, E_KEY_ACL, E_GENERATION, E_EVIDENCE,
	E_SKIPPED, E_SKIP
} el_code;

/* One open element. */
typedef struct frame {
	el_code code;
	long line;           /* of the start tag */
	bool text;           /* collect character data */
	bool b64;            /* encoding="base64" */
} frame;

/* What an element being read needs until its end tag. */
typedef struct pending {
	irmf_reg_value val;          /* <value> */
	char *pname, *pvalue;        /* <property> */
	irmf_prop_type ptype;
	bool pnil;
	char **items;                /* <item>s of a <property> */
	size_t nitems, capitems;
	size_t capmulti;             /* of val.multi */
	bool pass;                   /* <step> */
	char *subject;               /* step check, probe url, error or
	                              * skip item */
	char *message;               /* their <message> */
	int code;                    /* probe result, error reason */
	int status;                  /* probe HTTP status */
} pending;

typedef struct reader {
	const char *name;
	irmf_snapshot *s;
	int rc;                      /* first model error: later events skipped */
	bool stopped;                /* the root was wrong: parse stopped */
	const char *local;           /* name of the element being started */
	char msg[IRMF_ERROR_MSG_MAX];
	frame stack[MAX_DEPTH];
	size_t depth;                /* elements open, may exceed MAX_DEPTH */
	const irmf_xml_attr *attrs;  /* of the element being started */
	size_t nattrs;
	irmf_buf text;               /* character data of the open leaf */
	long identity_line;
	int version;                 /* the root's formatVersion */
	irmf_reg_key *key;           /* <key> being read */
	pending p;
} reader;

/* ----------------------------------------------- snapshot_read_util.c */

/* A model error at the current element: "name:line: message". */
int srd_bad(const reader *r, const char *fmt, ...) IRMF_PRINTF(2, 3);
/* A model-layer error (enum parse ...) with this element's line. */
int srd_at_line(const reader *r, int rc);
/* Strip XSD whitespace around s, in place. */
void srd_trim(char *s);
/* Attribute `attr` and its base64 twin "attrBase64", in one scan. */
void srd_find_pair(const reader *r, const char *attr,
    const irmf_xml_attr **plain, const irmf_xml_attr **enc);
/* String attribute `attr` or its base64 twin, malloc'd (NULL when neither
 * is present). */
int srd_get_attr(const reader *r, const char *attr, char **out);
/* The same, an error naming the attribute when it is absent. */
int srd_need_attr(const reader *r, const char *attr, char **out);
/* A token attribute trimmed into buf; false when absent. */
bool srd_get_token(const reader *r, const char *attr, char *buf, size_t cap);
/* The same, an error naming the attribute when it is absent. */
int srd_need_token(const reader *r, const char *attr, char *buf, size_t cap);
/* An xs:boolean attribute; absent is false. */
bool srd_get_bool(const reader *r, const char *attr);
/* A whole decimal string into an unsigned value <= max. */
int srd_parse_u64(const reader *r, const char *s, uint64_t max,
    uint64_t *out);
/* A whole decimal string into a 32-bit signed value. */
int srd_parse_int(const reader *r, const char *s, int *out);
/* The text of the element ending now, decoded if encoding="base64". */
int srd_take_text(reader *r, char **out);
/* Replace *dst with the element's text. */
int srd_text_into(reader *r, char **dst);
/* Append v to a grown array; frees v when it cannot. */
int srd_push_item(char ***items, size_t *n, size_t *cap, char *v);
/* Free what a pending element holds and zero it. */
void srd_pending_clear(pending *p);
/* Only the <value> part: the common case, kept cheap. */
void srd_value_reset(pending *p);
/* The code of the open element's parent (E_OTHER at the root). */
el_code srd_parent(const reader *r);

/* ----------------------------------------------- snapshot_read_elem.c */

/* The root element: name, namespace and format version (stops the parse
 * when wrong). */
int srd_start_root(reader *r, const char *local, const char *uri);
/* A start tag below the root, given its parent. */
int srd_start_child(reader *r, el_code up, el_code c);
/* An end tag below the root, given its parent. */
int srd_end_child(reader *r, el_code up, el_code c);

#endif
