/*
 * rules_fixture.h - tiny fleets for the rule tests (test_rules*.c), built
 * in memory (rules_fixture.c): servers with the documented configuration
 * of each role, connector nodes, events, and expect(), which runs the
 * rules and compares the findings with an exact list of
 * "rule-id SERVER kind" lines.
 *
 * Every finding expect() sees is remembered by rule id, so that each test
 * file can assert, last, that every table row whose check lives in its
 * module fired in some test (rf_assert_module_fired): a rule nobody tests
 * fails the build's tests.
 */
#ifndef IRMF_RULES_FIXTURE_H
#define IRMF_RULES_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "testutil.h"
#include "findings.h"
#include "rules.h"
#include "settings.h"
#include "rules_int.h"
#include "snapshot_int.h"

#define TENANT "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
#define CONN "https://rmscon.contoso.com"
#define K_MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define K_MSIPC "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
#define K_EXCH "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer"
#define K_EX15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define K_EX14 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM"
#define T0 "2026-11-20T08:00:00Z"   /* collection time of rf_node_now */

#define RF_MAXS 16

typedef struct rf_fleet {
	irmf_snapshot *s[RF_MAXS];
	size_t n;
	irmf_findings f;
} rf_fleet;

/* cmocka setup/teardown: *state is an empty rf_fleet, freed after. */
int rf_setup(void **state);
int rf_teardown(void **state);

/* A server NAME.contoso.com with roles and Get-ExchangeServer's build
 * (NULL: none). */
irmf_snapshot *rf_add(rf_fleet *fl, const char *name, unsigned roles,
    const char *build);
/* Set (or delete) a REG_SZ value / a whole key. */
void rf_reg(irmf_snapshot *s, const char *path, const char *name,
    const char *data);
void rf_unreg(irmf_snapshot *s, const char *path);
/* The documented Exchange 2013+ ("v15") or 2010 ("v14") configuration. */
irmf_snapshot *rf_exch(rf_fleet *fl, const char *name, const char *ver);
/* The documented SharePoint 2013+ configuration (MSIPC). */
irmf_snapshot *rf_sp13(rf_fleet *fl, const char *name);
/* SharePoint 2010 or FCI: MSDRM keys at the connector. */
irmf_snapshot *rf_msdrm_client(rf_fleet *fl, const char *name,
    unsigned roles, const char *build);
/* The Get-IRMConfiguration of a working connector deployment. */
void rf_irm_ok(irmf_snapshot *s);

/* A connector node; the same collected at T0 with whole-log event
 * windows and a list refresh ten minutes before. */
irmf_snapshot *rf_node(rf_fleet *fl, const char *name);
irmf_snapshot *rf_node_now(rf_fleet *fl, const char *name);
/* The documented authorization list: Exchange by its group, SharePoint
 * by its service account, FCI servers by a group of computer accounts. */
void rf_auth_ok(irmf_snapshot *n);
/* A server's computer account, one group and one service account (each
 * may be NULL). */
void rf_ident(irmf_snapshot *s, const char *account, const char *group,
    const char *service);
/* An event summary on a node (rf_ev: over 2026-11-01..20). */
void rf_ev(irmf_snapshot *n, int id, const char *account,
    const char *computer, unsigned count);
void rf_evt(irmf_snapshot *n, int id, const char *account,
    const char *computer, unsigned count, const char *first,
    const char *last);

/* Run the rules and assert the findings are exactly the NULL-terminated
 * list of "rule-id SERVER kind" lines (server "-" for fleet-wide; order
 * does not matter).  Every finding must carry its texts. */
void rf_expect(rf_fleet *fl, ...);
/* The finding of rule on server (NULL: fleet-wide); fails if none. */
const irmf_finding *rf_find(const rf_fleet *fl, const char *rule,
    const char *server);

/* The rule module (rules_<module>.c) whose check a table row uses, NULL
 * for a check this fixture does not know. */
const char *rf_module_of(irmf_rule_check_fn check);
/* Fail unless every table row whose check is in rules_<module>.c fired
 * (as a rule, not only as not-collected) in an rf_expect of this test
 * program.  Register it last. */
void rf_assert_module_fired(const char *module);

#endif
