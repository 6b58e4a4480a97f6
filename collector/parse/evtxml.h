/*
 * evtxml.h - Windows event XML (wevtutil qe /f:xml, Get-WinEvent
 * .ToXml(), Event Viewer "Save as XML") -> RMS connector event summaries.
 *
 * Accepted layouts: <Event> elements one after another without a root
 * (wevtutil), a single <Event>, or an <Events> root (Event Viewer); UTF-8
 * with or without BOM or UTF-16 (decoded by textdecode.c); an optional
 * XML declaration at the start.  Only events of provider "Microsoft RMS
 * connector" (any case) with the documented IDs 1000-1004, 2000-2003 and
 * 3000-3001 are counted, each through irmf_snapshot_add_event with its
 * time (UTC, "YYYY-MM-DDTHH:MM:SSZ") and the requesting account and
 * computer found in its EventData (see docs/remote-commands.md); the
 * newest event 1004 also gives the accounts it lists, as an authorization
 * list derived from it (docs/authorization-list.md).  Other
 * events are skipped and counted in the stats.  An export without events
 * is valid: it sets has_events with no rows.
 */
#ifndef IRMF_EVTXML_H
#define IRMF_EVTXML_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

#define IRMF_EVT_NS "http://schemas.microsoft.com/win/2004/08/events/event"

/* What a parse saw (for debugging and tests). */
typedef struct irmf_evtxml_stats {
	size_t events;           /* <Event> elements read */
	size_t counted;          /* connector events added to the snapshot */
	size_t other_provider;   /* skipped: another provider */
	size_t other_id;         /* skipped: connector event, undocumented ID */
} irmf_evtxml_stats;

int irmf_evtxml_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);
/* Same, filling *stats (may be NULL). */
int irmf_evtxml_parse_stats(irmf_snapshot *snap, const char *buf,
    size_t len, const char *name, irmf_evtxml_stats *stats);

/* Parse the answer of one collect query (plan.h) for the event IDs
 * `ids` ("1000 1001 1002 1003") capped at `cap` events, and record the
 * window it covered (irmf_snapshot_add_event_window): the whole log when
 * fewer than cap events came back, else back to the oldest returned. */
int irmf_evtxml_parse_query(irmf_snapshot *snap, const char *buf,
    size_t len, const char *name, const char *ids, unsigned cap);

/* True if buf starts with an <Event> or <Events> element and names the
 * Windows event namespace near its start, in UTF-8 or UTF-16. */
bool irmf_evtxml_sniff(const char *buf, size_t len);

/* "2024-05-02T09:11:42.1234567Z", "2016-07-08 18:12:51.681640 UTC" or
 * with an offset "+02:00" -> "2024-05-02T09:11:42Z" in out (cap >= 21).
 * IRMF_EPARSE (no message set) if it is not such a time. */
int irmf_evtxml_time(const char *in, char *out, size_t cap);

#endif
