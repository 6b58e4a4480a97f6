/*
 * fuzz_authlist.c - libFuzzer target for the connector authorization
 * list parser, its sniffer and the CSV splitter (collector/parse/authlist.c,
 * collector/parse/csv.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authlist.h"
#include "csv.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap;
	irmf_csv_row row;
	const char *what;
	size_t col;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)irmf_authlist_sniff(text);
	if (irmf_csv_split(text, size, &row, &col, &what) == 0)
		irmf_csv_row_free(&row);
	free(text);
	if (irmf_snapshot_new(&snap, "FUZZ") == 0) {
		(void)irmf_authlist_parse(snap, (const char *)data, size,
		    "fuzz");
		irmf_snapshot_free(snap);
	}
	return 0;
}
