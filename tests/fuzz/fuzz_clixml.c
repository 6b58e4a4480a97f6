/*
 * fuzz_clixml.c - libFuzzer target for the CLIXML reader and mappers
 * (collector/parse/clixml.c, clixml_map.c): any bytes must give 0 or a clean
 * error, never a crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>

#include "clixml.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap = NULL;

	(void)irmf_clixml_sniff((const char *)data, size);
	/* half the inputs name a server, to reach the server picker */
	if (irmf_snapshot_new(&snap, size % 2 ? "EX01" : NULL) != 0)
		return 0;
	(void)irmf_clixml_parse(snap, (const char *)data, size, "fuzz");
	irmf_snapshot_free(snap);
	return 0;
}
