/*
 * fuzz_psdoc.c - libFuzzer target for the export script's document
 * reader (collector/parse/psdoc.c): any bytes, bare or between the stdout
 * markers, must give 0 or a clean error, never a crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "psdoc.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap = NULL;
	char *server = NULL;
	unsigned roles;

	(void)irmf_psdoc_sniff((const char *)data, size);
	if (irmf_psdoc_identity((const char *)data, size, "fuzz", &server,
	    &roles) == 0)
		free(server);
	if (irmf_snapshot_new(&snap, "EX01") != 0)
		return 0;
	(void)irmf_psdoc_parse(snap, (const char *)data, size, "fuzz");
	irmf_snapshot_free(snap);
	return 0;
}
