/*
 * fuzz_evtxml.c - libFuzzer target for the Windows event XML importer
 * (collector/parse/evtxml.c) and the event 1004 account scanner (evt1004.c,
 * also fed the raw bytes as message text): any bytes must give 0 or a clean
 * error, never a crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evt1004.h"
#include "evtxml.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *snap = NULL;
	char iso[32];

	(void)irmf_evtxml_sniff((const char *)data, size);
	if (size < 64) {
		char t[64];
		for (size_t i = 0; i < size; i++)
			t[i] = data[i] ? (char)data[i] : ' ';
		t[size] = '\0';
		(void)irmf_evtxml_time(t, iso, sizeof(iso));
	}
	{
		char *text = malloc(size + 1);
		irmf_strlist l = { 0 };
		if (text != NULL) {
			memcpy(text, data, size);
			text[size] = '\0';
			(void)irmf_evt1004_scan(text, &l);
			irmf_strlist_clear(&l);
			free(text);
		}
	}
	if (irmf_snapshot_new(&snap, "RMSCON01") != 0)
		return 0;
	(void)irmf_evtxml_parse(snap, (const char *)data, size, "fuzz");
	irmf_snapshot_free(snap);
	return 0;
}
