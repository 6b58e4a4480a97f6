/*
 * detect.h - THE table of input formats, shared by both ways bytes come
 * in: `collect` (a plan item names its format, plan.c) and `import`
 * (the format is told from the content, never the file name, unless the
 * argument names it as "FORMAT:FILE").  One row per format: how to sniff
 * it, how to parse it into a snapshot, and the policy columns both paths
 * follow (ingest.c applies them), so the same bytes give the same
 * snapshot whichever way they arrived.
 *
 * Adding a format: write its parser (and a sniffer if its content can be
 * told apart), then add one row to the table in detect.c (in detection
 * order); set the flags it needs.  A plan item names it by the row's name.
 */
#ifndef IRMF_DETECT_H
#define IRMF_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

/* Policy flags of a row. */
enum {
	/* `irmfleet import` takes it (listed, detected, "FORMAT:FILE") */
	IRMF_FORMAT_IMPORT = 1u << 0,
	/* a collect plan item may name it (plan.c checks) */
	IRMF_FORMAT_COLLECT = 1u << 1,
	/* registry exports: parsed straight into the target snapshot, in
	 * order, so a later file's deletions apply (as regedit does); other
	 * formats describe objects and are parsed apart and merged.  A
	 * collect answer is always parsed apart (a failure leaves no half
	 * item). */
	IRMF_FORMAT_IN_PLACE = 1u << 2,
	/* a well-formed input that holds nothing irmfleet uses (the parser's
	 * IRMF_EUNSUPPORTED, e.g. another cmdlet's CLIXML) is a warning for
	 * a file an admin chose, not an error; for a collect answer it is
	 * the item's parse error */
	IRMF_FORMAT_UNUSED_WARNS = 1u << 3,
	/* collect: a failing command in words collect cannot read (a
	 * localized Windows) is explained by the plan's registry existence
	 * check (plan.h, IRMF_PLAN_REGEXIST_ITEM) */
	IRMF_FORMAT_EXIST_CHECKED = 1u << 4,
};

typedef struct irmf_format {
	const char *name;          /* stable: recorded in <source format=> */
	const char *description;   /* for messages and help */
	/* How the bytes are read.  XML formats are sniffed on the raw bytes
	 * (libxml2 handles their declared encoding, UTF-16 included); text
	 * formats are decoded once (textdecode.c: BOM, UTF-16 with or
	 * without BOM, else an 8-bit code page) and shown to sniff_text.
	 * At most one sniffer is set; with none, the format is never told
	 * from content, only named. */
	bool (*sniff_raw)(const char *buf, size_t len);
	bool (*sniff_text)(const char *utf8_text);
	/* into a snapshot; NULL: not a snapshot format (collect's existence
	 * check, read by the engine itself) */
	int (*parse)(irmf_snapshot *snap, const char *buf, size_t len,
	    const char *name);
	/* what an empty answer is: when set and true for a collect answer,
	 * it holds nothing to record and is no error (no RMS URL to probe,
	 * no file present); NULL: the parser decides (an empty event
	 * export is a valid answer with no events) */
	bool (*empty)(const char *buf, size_t len);
	/* a bounded query's answer (the IDs asked for and the cap), so the
	 * window it covered is recorded; NULL: parse is used */
	int (*parse_query)(irmf_snapshot *snap, const char *buf, size_t len,
	    const char *name, const char *ids, unsigned cap);
	/* collect: a failing command whose stderr says this (any case)
	 * found nothing, which is no error (reg.exe on an absent key) */
	const char *absent_stderr;
	unsigned flags;            /* IRMF_FORMAT_* */
} irmf_format;

/* The table, in detection order. */
const irmf_format *irmf_formats(size_t *n);

/* The row named `name` (exact), or NULL. */
const irmf_format *irmf_format_find(const char *name);

/* The format of buf[0..len), among the rows with a sniffer; `name` is used
 * in messages.  No match is IRMF_EUNSUPPORTED "NAME: not a recognised
 * export (expected one of ...)"; text that cannot be decoded returns the
 * decoder's error. */
int irmf_detect(const char *buf, size_t len, const char *name,
    const irmf_format **out);

/* Detect, then parse into snap; *format (may be NULL) gets the row. */
int irmf_detect_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const irmf_format **format);

#endif
