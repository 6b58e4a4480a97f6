/*
 * bench_regquery.c - times irmf_regquery_parse() on one file, the way
 * `irmfleet import` will use it: read the whole file, decode, parse into a
 * fresh snapshot, free.  Built by bench/regquery-throughput.sh against
 * the static library; prints "seconds keys values MB/s" on one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "error.h"
#include "regquery.h"
#include "snapshot_int.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	irmf_snapshot *s = NULL;
	size_t nvalues = 0, nkeys;
	double t0, t1;
	char *buf;
	FILE *f;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_regquery FILE\n");
		return 2;
	}
	t0 = now();
	if ((f = fopen(argv[1], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(argv[1]);
		return 1;
	}
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	if (irmf_snapshot_new(&s, "bench") < 0 ||
	    irmf_regquery_parse(s, buf, (size_t)n, argv[1]) < 0) {
		fprintf(stderr, "%s\n", irmf_error_last()->message);
		return 1;
	}
	nkeys = s->nkeys;
	for (size_t i = 0; i < s->nkeys; i++)
		nvalues += s->keys[i].nvalues;
	irmf_snapshot_free(s);
	free(buf);
	t1 = now();
	printf("%.3f %zu %zu %.1f\n", t1 - t0, nkeys, nvalues,
	    (double)n / (1024.0 * 1024.0) / (t1 - t0));
	return 0;
}
