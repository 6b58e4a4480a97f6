/*
 * snapshot_parts.h - what the three files of the snapshot model
 * (snapshot.c, snapshot_reg.c, snapshot_items.c) share: the parts of
 * irmf_snapshot_free that belong to the other two files.  Nothing outside
 * the model includes it; everyone else uses snapshot_int.h.
 */
#ifndef IRMF_SNAPSHOT_PARTS_H
#define IRMF_SNAPSHOT_PARTS_H

#include "snapshot_int.h"

/* Frees every registry key of s and its key index (snapshot_reg.c). */
void irmf_snapshot_reg_free(irmf_snapshot *s);

/* Frees what p owns and zeroes it (snapshot_items.c). */
void irmf_prop_clear(irmf_prop *p);

#endif
