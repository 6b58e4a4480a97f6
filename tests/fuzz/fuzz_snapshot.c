/*
 * fuzz_snapshot.c - libFuzzer target for the snapshot reader
 * (irmf_snapshot_load_buffer): parse + schema + model.  Whatever loads
 * must also serialize and load again to the same bytes, so the fuzzer
 * checks the round-trip property, not only the absence of crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *s = NULL, *t = NULL;
	char *buf = NULL, *buf2 = NULL;
	size_t len, len2;

	if (irmf_snapshot_load_buffer(&s, (const char *)data, size,
	    "fuzz.xml") != 0)
		return 0;
	if (irmf_snapshot_to_buffer(s, &buf, &len) != 0)
		goto out;   /* e.g. a value the model cannot hold in XML */
	if (irmf_snapshot_load_buffer(&t, buf, len, "fuzz2.xml") != 0)
		abort();    /* we wrote something we cannot read back */
	if (irmf_snapshot_to_buffer(t, &buf2, &len2) != 0 || len != len2 ||
	    memcmp(buf, buf2, len) != 0)
		abort();    /* not a fixed point */
out:
	free(buf);
	free(buf2);
	irmf_snapshot_free(s);
	irmf_snapshot_free(t);
	return 0;
}
