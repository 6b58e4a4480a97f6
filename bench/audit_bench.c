/*
 * audit_bench.c - measures the history store (compare/store/) against
 * the performance bar of issue 6, in one run:
 *  1. record one audit of N synthetic servers with ~100 settings each
 *     (only irmf_store_record_run is timed: snapshots are built first);
 *  2. record the same, unchanged fleet again: time and bytes added;
 *  3. in a second database, 365 daily audits of a small fleet where a
 *     few settings change now and then; time the history query of one
 *     server (best and median of several runs).
 * Built and run by bench/audit-bench.sh against build/libirmfleet.a.
 * usage: audit_bench DB1 DB2 [NSERVERS]  (DB1, DB2 must not exist)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "snapshot_int.h"
#include "store_int.h"
#include "settings.h"

#define NKEYS 8
#define NVALS 11

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "audit_bench: %s: %s\n", what,
	    irmf_error_last()->message);
	exit(1);
}

/* Server i of the synthetic fleet on day `day`: 88 registry values, 8
 * IRM properties, 3 file versions, the IRM test: 100 settings.  One in
 * 50 servers carries an outlier; `day` moves a few values for history. */
static irmf_snapshot *
gen(size_t i, int day)
{
	static const char *const keys[NKEYS] = {
		"HKLM\\SOFTWARE\\Microsoft\\MSDRM",
		"HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation",
		"HKLM\\SOFTWARE\\Microsoft\\MSIPC",
		"HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation",
		"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM",
		"HKLM\\SOFTWARE\\Microsoft\\AADRM",
		"HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSDRM",
		"HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC",
	};
	irmf_snapshot *s;
	char name[32], vname[32], data[160];

	snprintf(name, sizeof(name), "SRV%05zu", i);
	if (irmf_snapshot_new(&s, name) < 0)
		die("snapshot");
	s->roles = IRMF_ROLE_EXCHANGE;
	if (irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1544.4") < 0 || irmf_snapshot_stamp_now(s) < 0)
		die("snapshot");
	for (int k = 0; k < NKEYS; k++) {
		irmf_reg_key *key;
		if (irmf_snapshot_reg_key(s, keys[k], &key) < 0)
			die("key");
		for (int v = 0; v < NVALS; v++) {
			int variant = (i % 50 == 7 && k == 4 && v == 0) ||
			    (day > 0 && (i + (size_t)v) % 97 == (size_t)day % 97);
			snprintf(vname, sizeof(vname), "Setting%02d", v);
			snprintf(data, sizeof(data),
			    "https://rms%d.contoso.com/_wmcs/licensing/%d%s", k, v,
			    variant ? "/alt" : "");
			if (v % 3 == 2) {
				if (irmf_reg_key_set_num(key, vname,
				    IRMF_REG_DWORD, (uint64_t)(v + variant)) < 0)
					die("value");
			} else if (irmf_reg_key_set_sz(key, vname, IRMF_REG_SZ,
			    data) < 0) {
				die("value");
			}
		}
	}
	for (int p = 0; p < 8; p++) {
		snprintf(vname, sizeof(vname), "Property%d", p);
		if (irmf_snapshot_prop_set(s, vname, IRMF_PROP_STRING,
		    p == 0 ? "True" : "https://rmscon.contoso.com", false) < 0)
			die("prop");
	}
	if (irmf_snapshot_file_set(s, "msipc.dll", NULL, "1.0.5100.0") < 0 ||
	    irmf_snapshot_file_set(s, "msdrm.dll", NULL, "6.3.9600.17415") < 0 ||
	    irmf_snapshot_file_set(s, "ExSetup.exe", NULL, "15.2.1544.4") < 0 ||
	    irmf_snapshot_irm_test_add(s, "Checking Exchange Server", true,
	    "ok") < 0)
		die("files");
	return s;
}

static long long
db_bytes(const char *path)
{
	struct stat sb;
	char wal[4200];
	long long n = 0;

	if (stat(path, &sb) == 0)
		n += sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &sb) == 0)
		n += sb.st_size;
	return n;
}

static irmf_store *
open_db(const char *path)
{
	irmf_store *st;
	irmf_store_options o = { .create = true };

	if (irmf_store_open(&st, path, &o) < 0)
		die(path);
	return st;
}

static double last_cpu;

/* Wall-clock seconds of irmf_store_record_run; its CPU time in last_cpu. */
static double
record(const char *path, irmf_snapshot **s, size_t n, const char *at,
    irmf_run_summary *sum, size_t *ndrift)
{
	irmf_store *st = open_db(path);
	irmf_changes d = { 0 };
	double t0 = now_s(), c0 = cpu_s(), t;

	if (irmf_store_record_run(st, s, n, NULL, 0, at, sum, &d) < 0)
		die("record");
	t = now_s() - t0;
	last_cpu = cpu_s() - c0;
	*ndrift = d.n;
	irmf_changes_clear(&d);
	irmf_store_close(st);   /* checkpoints the WAL into the file */
	return t;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	size_t nsrv = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000;
	size_t nsmall = 20;
	irmf_snapshot **s;
	irmf_run_summary sum;
	size_t nd;
	double t, first_wall, first_cpu, hist_med = 0, per_server;
	long long b1, b2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3) {
		fprintf(stderr, "usage: audit_bench DB1 DB2 [NSERVERS]\n");
		return 2;
	}
	if ((s = calloc(nsrv, sizeof(*s))) == NULL)
		return 1;
	for (size_t i = 0; i < nsrv; i++)
		s[i] = gen(i, 0);
	{
		irmf_settings set = { 0 };
		char hex[65];
		double t0 = now_s();

		/* the part of recording that is not SQLite: flatten + hash */
		for (size_t i = 0; i < nsrv; i++)
			if (irmf_store_snapshot_hash(s[i], hex) < 0)
				die("hash");
		if (irmf_settings_extract(s[0], &set) < 0)
			die("settings");
		printf("fleet: %zu servers x %zu settings (flatten + hash alone: "
		    "%.3f s)\n", nsrv, set.n, now_s() - t0);
		irmf_settings_clear(&set);
	}
	t = record(argv[1], s, nsrv, "2026-01-01T00:00:00Z", &sum, &nd);
	first_wall = t;
	first_cpu = last_cpu;
	b1 = db_bytes(argv[1]);
	printf("first audit: store %.3f s wall, %.3f s CPU for %zu snapshots "
	    "(%zu new contents); file %lld bytes\n", t, last_cpu, nsrv,
	    sum.snapshots_new, b1);
	t = record(argv[1], s, nsrv, "2026-01-02T00:00:00Z", &sum, &nd);
	b2 = db_bytes(argv[1]);
	per_server = (double)(b2 - b1) / (double)nsrv;
	printf("second audit, unchanged fleet: store %.3f s wall, %.3f s CPU, "
	    "drift %zu, file +%lld bytes (%.2f bytes per server)\n", t,
	    last_cpu, nd, b2 - b1, (double)(b2 - b1) / (double)nsrv);
	for (size_t i = 0; i < nsrv; i++)
		irmf_snapshot_free(s[i]);

	/* 365 daily audits of a small fleet */
	{
		long long start = 0, end;
		double q[15];
		irmf_changes h = { 0 };
		irmf_history_query hq = { "SRV00003", NULL, NULL, 0 };
		irmf_store *st;
		size_t nev = 0;

		for (int day = 0; day < 365; day++) {
			char at[32];
			time_t when = 1767225600 + (time_t)day * 86400;

			for (size_t i = 0; i < nsmall; i++)
				s[i] = gen(i, day);
			irmf_time_format(when, at, sizeof(at));
			record(argv[2], s, nsmall, at, &sum, &nd);
			for (size_t i = 0; i < nsmall; i++)
				irmf_snapshot_free(s[i]);
			if (day == 1)
				start = db_bytes(argv[2]);
		}
		end = db_bytes(argv[2]);
		st = open_db(argv[2]);
		for (int r = 0; r < 15; r++) {
			double t0 = now_s();
			if (irmf_store_history(st, &hq, &h) < 0)
				die("history");
			q[r] = (now_s() - t0) * 1000.0;
			nev = h.n;
		}
		qsort(q, 15, sizeof(double), cmp_double);
		printf("365 daily audits of %zu servers: %.0f bytes per audit "
		    "(days 2-365); history of one server: %zu events, best "
		    "%.2f ms, median %.2f ms\n", nsmall,
		    (double)(end - start) / 363.0, nev, q[0], q[7]);
		hist_med = q[7];
		irmf_changes_clear(&h);
		irmf_store_close(st);
	}
	printf("RESULT first_wall=%.3f first_cpu=%.3f bytes_per_audit=%lld "
	    "bytes_per_server=%.2f first_bytes=%lld history_median_ms=%.2f\n",
	    first_wall, first_cpu, b2 - b1, per_server, b1, hist_med);
	free(s);
	return 0;
}
