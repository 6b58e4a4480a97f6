/*
 * detect.h - which export format a file is, told from its content (never
 * its name), and the table of every parser the import command knows.
 */
#ifndef IRMF_DETECT_H
#define IRMF_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

typedef struct irmf_format {
	const char *name;          /* stable: recorded in <source format=> */
	const char *description;   /* for messages and help */
	/* exactly one of the two sniffers is set */
	bool (*sniff_raw)(const char *buf, size_t len);   /* XML formats */
	bool (*sniff_text)(const char *utf8_text);        /* decoded text */
	int (*parse)(irmf_snapshot *snap, const char *buf, size_t len,
	    const char *name);
} irmf_format;

/* The table, in detection order. */
const irmf_format *irmf_formats(size_t *n);

/* The format of buf[0..len); `name` is used in messages.  No match is
 * IRMF_EUNSUPPORTED "NAME: not a recognised export (expected one of
 * ...)"; text that cannot be decoded returns the decoder's error. */
int irmf_detect(const char *buf, size_t len, const char *name,
    const irmf_format **out);

/* Detect, then parse into snap; *format (may be NULL) gets the row. */
int irmf_detect_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const irmf_format **format);

#endif
