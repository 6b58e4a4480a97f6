/*
 * report_fixture.h - fleets shared by the reporter tests (report_fixture.c):
 * built and analysed in C, rendered into memory.
 */
#ifndef IRMF_REPORT_FIXTURE_H
#define IRMF_REPORT_FIXTURE_H

#include <stdio.h>

#include "testutil.h"
#include "compare_int.h"
#include "report.h"

#define TENANT "https://contoso.rms.na.aadrm.com"
#define IRM15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define IRM14 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM"
#define ID15 " (exchange-v15; Exchange 2013 or later from " \
	"Get-ExchangeServer 15.1.2507.6)"

/* An Exchange 2016 server whose licensing redirection points at conn. */
irmf_snapshot *rpt_server(const char *name, const char *conn);
/* EX01..EX03 agree, EX04 uses http, EX05 could not be reached; analysed
 * for consensus (two findings). */
void rpt_fleet(irmf_result *r);
/* An Exchange server with keys under `ver`, ExSetup.exe's version and
 * Get-ExchangeServer's build (each may be NULL). */
irmf_snapshot *rpt_exch(const char *name, const char *ver,
    const char *exsetup, const char *build, const char *conn);
/* Exchange 2010 and 2013+ servers whose generations come from different
 * evidence, one contradictory, and a connector node; analysed fully. */
void rpt_identity_fleet(irmf_result *r);
/* rpt_fleet plus the event rule EX04's http URL triggers. */
void rpt_fleet_with_event(irmf_result *r);

typedef int (*rpt_reporter)(const irmf_result *, FILE *, unsigned);
/* The text (json 0) or JSON (json 1) report, malloc'd. */
char *rpt_render(const irmf_result *r, int json, unsigned flags);
/* Any reporter's output, malloc'd. */
char *rpt_render_with(const irmf_result *r, rpt_reporter fn, unsigned flags);

#endif
