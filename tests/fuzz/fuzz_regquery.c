/*
 * fuzz_regquery.c - libFuzzer target for collector/parse/regquery.c: any bytes are
 * either parsed into a snapshot or rejected with a message; a second parse
 * into the same snapshot exercises replacing existing keys and values;
 * sniffing the decoded text must not crash either.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "regquery.h"
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
	rc = irmf_regquery_parse(s, (const char *)data, size, "fuzz.txt");
	if (rc < 0 && irmf_error_last()->message[0] == '\0')
		abort();   /* every failure must explain itself */
	if (rc == 0)
		(void)irmf_regquery_parse(s, (const char *)data, size, "again");
	if (irmf_text_decode((const char *)data, size, "fuzz", &text,
	    &tlen) == 0)
		(void)irmf_regquery_sniff(text);
	free(text);
	irmf_snapshot_free(s);
	return 0;
}
