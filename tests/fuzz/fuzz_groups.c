/*
 * fuzz_groups.c - libFuzzer target for the whoami CSV and gpresult text
 * parsers and their sniffers (collector/parse/groups.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)irmf_whoami_csv_sniff(text);
	(void)irmf_gpresult_sniff(text);
	(void)irmf_is_sid(text);
	free(text);
	if (irmf_snapshot_new(&snap, "FUZZ") == 0) {
		(void)irmf_whoami_csv_parse(snap, (const char *)data, size,
		    "fuzz");
		irmf_snapshot_free(snap);
	}
	if (irmf_snapshot_new(&snap, "FUZZ") == 0) {
		(void)irmf_gpresult_parse(snap, (const char *)data, size,
		    "fuzz");
		irmf_snapshot_free(snap);
	}
	return 0;
}
