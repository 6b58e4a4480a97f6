/*
 * fuzz_regexist.c - libFuzzer target for collector/parse/regexist.c, the parser
 * of the registry key existence check's answer (remote output): any bytes
 * are either parsed or rejected with a message; every parsed key must be
 * found again by a lookup with the state it was parsed with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "regexist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_regexist *x = NULL;
	int rc;

	rc = irmf_regexist_parse(&x, (const char *)data, size, "fuzz.txt");
	if (rc < 0) {
		if (x != NULL || irmf_error_last()->message[0] == '\0')
			abort();   /* failures leave nothing and explain */
		return 0;
	}
	for (size_t i = 0; i < x->n; i++)
		if (irmf_regexist_get(x, x->e[i].key) != x->e[i].state)
			abort();   /* keys are unique, so lookups find them */
	irmf_regexist_free(x);
	return 0;
}
