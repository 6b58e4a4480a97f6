/*
 * fuzz_textdecode.c - libFuzzer target for collector/parse/textdecode.c: any
 * bytes must decode or fail cleanly; on success the output is
 * NUL-terminated, CR-free valid text of the reported length, and the line
 * iterator walks it to the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0, total = 0, n;
	const char *line;
	irmf_lines it;

	if (irmf_text_decode((const char *)data, size, "fuzz", &out, &len) < 0)
		return 0;
	if (out[len] != '\0' || memchr(out, '\r', len) != NULL ||
	    strlen(out) != len)
		abort();
	irmf_lines_init(&it, out, len);
	while (irmf_lines_next(&it, &line, &n))
		total += n + 1;
	if (total < len || total > len + 1)
		abort();
	free(out);
	return 0;
}
