/*
 * detect.c - THE format table (detect.h) and content-based detection.
 * Each row: {name, description, sniffer, parser, policy}.  XML formats
 * are told by their root element and namespace on the raw bytes (their
 * parsers let libxml2 handle the encoding); text formats are decoded
 * once (textdecode.c) and shown to each text sniffer in turn.  Order
 * matters where one format is a special case of another:
 * Test-IRMConfiguration's "Results : ..." is also a Format-List line, so
 * it is tried before Get-IRMConfiguration.  Both `collect` and `import`
 * read this table (through ingest.c); no other list of formats exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authlist.h"
#include "clixml.h"
#include "detect.h"
#include "error.h"
#include "evtxml.h"
#include "groups.h"
#include "irmtext.h"
#include "psdoc.h"
#include "regfile.h"
#include "regquery.h"
#include "textdecode.h"

static bool
has_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Does a CLIXML answer hold no object at all (an empty <Objs/>, in UTF-8
 * or UTF-16LE)?  Looked at on the bytes: PowerShell writes an empty
 * collection when there is nothing to report. */
static bool
clixml_empty(const char *buf, size_t n)
{
	static const char u16[] = "<\0O\0b\0j\0 ";

	if (has_bytes(buf, n, "<Obj ", 5) || has_bytes(buf, n, "<Obj>", 5) ||
	    has_bytes(buf, n, u16, sizeof(u16) - 1))
		return false;
	return has_bytes(buf, n, "Objs", 4) ||
	    has_bytes(buf, n, "O\0b\0j\0s\0", 8);
}

#define IMPORT IRMF_FORMAT_IMPORT
#define COLLECT IRMF_FORMAT_COLLECT

static const irmf_format formats[] = {
	{ .name = "psdoc",
	  .description = "irmfleet export script document (export-script)",
	  .sniff_raw = irmf_psdoc_sniff, .parse = irmf_psdoc_parse,
	  .flags = IMPORT },
	{ .name = "clixml", .description = "PowerShell Export-Clixml file",
	  .sniff_raw = irmf_clixml_sniff, .parse = irmf_clixml_parse,
	  .empty = clixml_empty,
	  .flags = IMPORT | COLLECT | IRMF_FORMAT_UNUSED_WARNS },
	{ .name = "evtxml",
	  .description = "Windows event XML (wevtutil qe /f:xml, Event Viewer)",
	  .sniff_raw = irmf_evtxml_sniff, .parse = irmf_evtxml_parse,
	  .parse_query = irmf_evtxml_parse_query, .flags = IMPORT | COLLECT },
	{ .name = "regfile",
	  .description = "registry export (.reg, REGEDIT4 or version 5.00)",
	  .sniff_text = irmf_regfile_sniff, .parse = irmf_regfile_parse,
	  .flags = IMPORT | IRMF_FORMAT_IN_PLACE },
	{ .name = "irmtest-text", .description = "Test-IRMConfiguration output",
	  .sniff_text = irmf_irmtest_text_sniff,
	  .parse = irmf_irmtest_text_parse, .flags = IMPORT | COLLECT },
	{ .name = "irmconfig-text",
	  .description = "Get-IRMConfiguration | Format-List text",
	  .sniff_text = irmf_irmconfig_text_sniff,
	  .parse = irmf_irmconfig_text_parse, .flags = IMPORT },
	{ .name = "authlist",
	  .description = "connector authorization list (account,kind,role CSV)",
	  .sniff_text = irmf_authlist_sniff, .parse = irmf_authlist_parse,
	  .flags = IMPORT },
	{ .name = "whoami-csv", .description = "whoami /groups /fo csv output",
	  .sniff_text = irmf_whoami_csv_sniff, .parse = irmf_whoami_csv_parse,
	  .flags = IMPORT },
	{ .name = "gpresult", .description = "gpresult /scope computer /r output",
	  .sniff_text = irmf_gpresult_sniff, .parse = irmf_gpresult_parse,
	  .flags = IMPORT },
	/* last of the sniffed: its key-path lines are the loosest shape */
	{ .name = "regquery", .description = "reg query output",
	  .sniff_text = irmf_regquery_sniff, .parse = irmf_regquery_parse,
	  .absent_stderr = "unable to find the specified registry key",
	  .flags = IMPORT | COLLECT | IRMF_FORMAT_IN_PLACE |
	      IRMF_FORMAT_EXIST_CHECKED },
	/* collect's registry key existence check (regexist.h): read by the
	 * engine itself, not into a snapshot */
	{ .name = "regexist",
	  .description = "registry key existence check (collect's own)",
	  .flags = COLLECT },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const irmf_format *
irmf_formats(size_t *n)
{
	*n = NFORMATS;
	return formats;
}

const irmf_format *
irmf_format_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < NFORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

static bool
sniffable(const irmf_format *f)
{
	return f->sniff_raw != NULL || f->sniff_text != NULL;
}

static int
unsupported(const char *name)
{
	char list[768];
	size_t off = 0;

	list[0] = '\0';
	for (size_t i = 0; i < NFORMATS && off < sizeof(list); i++) {
		int k;

		if (!sniffable(&formats[i]))
			continue;
		k = snprintf(list + off, sizeof(list) - off, "%s%s",
		    off ? ", " : "", formats[i].name);
		if (k < 0)
			break;
		off += (size_t)k;
	}
	return irmf_error_set(IRMF_EUNSUPPORTED, "%s: not a recognised export "
	    "(expected one of: %s; see docs/import-formats.md)", name, list);
}

int
irmf_detect(const char *buf, size_t len, const char *name,
    const irmf_format **out)
{
	char *text = NULL;
	size_t tlen;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].sniff_raw != NULL &&
		    formats[i].sniff_raw(buf, len)) {
			*out = &formats[i];
			return IRMF_OK;
		}
	if ((rc = irmf_text_decode(buf, len, name, &text, &tlen)) < 0)
		return rc;
	if (text[strspn(text, " \t\n")] == '\0') {
		/* e.g. wevtutil with no matching events: nothing to tell */
		free(text);
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s: the file is empty "
		    "(nothing to import; an empty event export is imported as "
		    "evtxml:FILE)", name);
	}
	for (size_t i = 0; i < NFORMATS && *out == NULL; i++)
		if (formats[i].sniff_text != NULL &&
		    formats[i].sniff_text(text))
			*out = &formats[i];
	free(text);
	return *out != NULL ? IRMF_OK : unsupported(name);
}

int
irmf_detect_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const irmf_format **format)
{
	const irmf_format *f;
	int rc;

	if (format != NULL)
		*format = NULL;
	if ((rc = irmf_detect(buf, len, name, &f)) < 0)
		return rc;
	if (format != NULL)
		*format = f;
	return f->parse(snap, buf, len, name);
}
