/*
 * store_fixture.h - helpers for the history store's tests
 * (test_store_*.c, one per file of compare/store/): see store_fixture.c.
 */
#ifndef IRMF_STORE_FIXTURE_H
#define IRMF_STORE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "testutil.h"
#include "error.h"
#include "snapshot_int.h"
#include "store_int.h"

#define V15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define REDIR V15 "\\LicenseServerRedirection"
#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM"
#define KEY_REDIR "reg:" REDIR
#define KEY_DWORD "reg:" MSDRM "\\DisableCertChainCache"
#define KEY_EXTRA "reg:" MSDRM "\\ExtraValue"
#define GOOD "https://rmscon.contoso.com/_wmcs/licensing"
#define BAD "http://rmscon.contoso.com/_wmcs/licensing"

/* One test's database: its directory, its path, the open store. */
typedef struct fx {
	char *dir;
	char path[4200];
	irmf_store *st;
} fx;

/* cmocka setup/teardown: a new store created in a temporary directory. */
int stf_setup(void **state);
int stf_teardown(void **state);
/* An Exchange server with the redirection URL `url`, the DWORD
 * DisableCertChainCache=1, one IRM property and, unless NULL, msipc.dll
 * of version `msipc`. */
irmf_snapshot *stf_mk(const char *server, const char *url,
    const char *msipc);
/* Record snaps as one run at `at`; fails the test on error. */
void stf_record(fx *f, irmf_snapshot **snaps, size_t n, const char *at,
    irmf_run_summary *sum, irmf_changes *drift);
void stf_free_all(irmf_snapshot **s, size_t n);
/* The first column of the first row of sql, on the raw database file. */
int64_t stf_count(fx *f, const char *sql);
/* Run sql on the raw database file at path. */
void stf_exec_raw(const char *path, const char *sql);
/* The number of problems irmf_store_check finds. */
size_t stf_check(fx *f);
/* The change of kind k for server (and setting, unless NULL), or NULL. */
const irmf_change *stf_find_change(const irmf_changes *d,
    irmf_change_kind k, const char *server, const char *setting);

#endif
