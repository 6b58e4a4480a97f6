/*
 * timeparse.h - the one ISO 8601 parser of the library.  Each caller
 * accepts a different set of forms (a command line may give a bare date,
 * an event log export writes " UTC"), so the forms beyond the core one
 * are flags; irmf_time_parse and irmf_duration_parse (irmfleet/store.h)
 * are built on it.
 *
 * Always accepted: "YYYY-MM-DDTHH:MM:SS" (or a space for the 'T'), an
 * optional fraction of one or more digits after '.' or ',', and 'Z' or a
 * "+hh:mm"/"-hh:mm" offset or nothing (UTC).  Every field is exactly its
 * digits, in range; the offset is at most 23:59.
 */
#ifndef IRMF_TIMEPARSE_H
#define IRMF_TIMEPARSE_H

#include <time.h>

/* The date alone, or hours and minutes without seconds (a command line:
 * "2026-11-25", "2026-11-25T14:00"). */
#define IRMF_ISO_PARTIAL 0x1u
/* As Windows event exports write it: a lower-case 'z' or " UTC" for the
 * zone, and no year before 1601 (the start of a FILETIME). */
#define IRMF_ISO_WINDOWS 0x2u

/* The instant s names; -1 (no error set: callers word their own) if s is
 * not one of the accepted forms. */
int irmf_iso8601_parse(const char *s, unsigned flags, time_t *out);

#endif
