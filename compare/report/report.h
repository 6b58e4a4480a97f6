/*
 * report.h - the reporters of a comparison result (report_text.c,
 * report_json.c, report_html.c).  They only read the result.
 */
#ifndef IRMF_REPORT_H
#define IRMF_REPORT_H

#include <stdio.h>

#include "result.h"

/* Reporters.  flags: IRMF_REPORT_* from compare.h. */
int irmf_report_text(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_json(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_html(const irmf_result *r, FILE *out, unsigned flags);

#endif
