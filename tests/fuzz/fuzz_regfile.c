/*
 * fuzz_regfile.c - libFuzzer target for collector/parse/regfile.c: any bytes are
 * either parsed into a snapshot or rejected with a message; a second parse
 * into the same snapshot exercises merging and deletions; sniffing the
 * decoded text must not crash either.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "regfile.h"
#include "snapshot_int.h"
#include "textdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *s = NULL;
	char *text = NULL;
	size_t tlen;
	int rc;

	if (irmf_snapshot_new(&s, "fuzz") < 0)
		return 0;
	rc = irmf_regfile_parse(s, (const char *)data, size, "fuzz.reg");
	if (rc < 0 && irmf_error_last()->message[0] == '\0')
		abort();   /* every failure must explain itself */
	if (rc == 0)
		(void)irmf_regfile_parse(s, (const char *)data, size, "again");
	if (irmf_text_decode((const char *)data, size, "fuzz", &text,
	    &tlen) == 0)
		(void)irmf_regfile_sniff(text);
	free(text);
	irmf_snapshot_free(s);
	return 0;
}
