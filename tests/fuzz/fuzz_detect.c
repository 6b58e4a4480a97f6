/*
 * fuzz_detect.c - libFuzzer target for content detection followed by the
 * detected parser (collector/parse/detect.c): every sniffer and parser in the
 * format table sees the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "detect.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap;

	if (irmf_snapshot_new(&snap, "FUZZ") != 0)
		return 0;
	(void)irmf_detect_parse(snap, (const char *)data, size, "fuzz", NULL);
	irmf_snapshot_free(snap);
	return 0;
}
