/*
 * detect.c - content-based detection of exported files: one table row per
 * format {name, sniff, parse}.  XML formats are told by their root element
 * and namespace on the raw bytes (their parsers let libxml2 handle the
 * encoding); text formats are decoded once (textdecode.c) and shown to
 * each text sniffer in turn.  Order matters where one format is a special
 * case of another: Test-IRMConfiguration's "Results : ..." is also a
 * Format-List line, so it is tried before Get-IRMConfiguration.
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

static const irmf_format formats[] = {
	{ "psdoc", "irmfleet export script document (export-script)",
	  irmf_psdoc_sniff, NULL, irmf_psdoc_parse },
	{ "clixml", "PowerShell Export-Clixml file", irmf_clixml_sniff, NULL,
	  irmf_clixml_parse },
	{ "evtxml", "Windows event XML (wevtutil qe /f:xml, Event Viewer)",
	  irmf_evtxml_sniff, NULL, irmf_evtxml_parse },
	{ "regfile", "registry export (.reg, REGEDIT4 or version 5.00)", NULL,
	  irmf_regfile_sniff, irmf_regfile_parse },
	{ "irmtest-text", "Test-IRMConfiguration output", NULL,
	  irmf_irmtest_text_sniff, irmf_irmtest_text_parse },
	{ "irmconfig-text", "Get-IRMConfiguration | Format-List text", NULL,
	  irmf_irmconfig_text_sniff, irmf_irmconfig_text_parse },
	{ "authlist", "connector authorization list (account,kind,role CSV)",
	  NULL, irmf_authlist_sniff, irmf_authlist_parse },
	{ "whoami-csv", "whoami /groups /fo csv output", NULL,
	  irmf_whoami_csv_sniff, irmf_whoami_csv_parse },
	{ "gpresult", "gpresult /scope computer /r output", NULL,
	  irmf_gpresult_sniff, irmf_gpresult_parse },
	/* last: its key-path lines are the loosest shape */
	{ "regquery", "reg query output", NULL, irmf_regquery_sniff,
	  irmf_regquery_parse },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const irmf_format *
irmf_formats(size_t *n)
{
	*n = NFORMATS;
	return formats;
}

static int
unsupported(const char *name)
{
	char list[768];
	size_t off = 0;

	list[0] = '\0';
	for (size_t i = 0; i < NFORMATS && off < sizeof(list); i++) {
		int k = snprintf(list + off, sizeof(list) - off, "%s%s",
		    i ? ", " : "", formats[i].name);
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
