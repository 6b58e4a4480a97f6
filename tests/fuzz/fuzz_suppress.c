/*
 * fuzz_suppress.c - libFuzzer target for compare/core/suppress.c: any bytes
 * must parse or fail cleanly; a parsed file applied to a few findings
 * marks only findings it matches, each with a non-empty reason, and the
 * suppressed count matches the marks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const settings[] = { "file:msipc.dll", "host",
	    "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\X",
	    "irm:InternalLicensingEnabled" };
	irmf_suppressions s = { 0 };
	irmf_findings l = { 0 };
	size_t marked = 0;

	if (irmf_suppress_parse(&s, (const char *)data, size, "fuzz") < 0)
		goto out;
	for (size_t i = 0; i < 8; i++) {
		irmf_finding f;
		memset(&f, 0, sizeof(f));
		f.server = i % 3 ? "EX07" : NULL;
		f.setting = (char *)settings[i % 4];
		f.rule_id = i % 2 ? "connector-url-scheme" : NULL;
		if (irmf_findings_add(&l, &f) < 0)
			goto out;
	}
	if (irmf_suppress_apply(&s, &l) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++)
		if (l.items[i].suppressed) {
			marked++;
			if (l.items[i].suppress_reason == NULL ||
			    l.items[i].suppress_reason[0] == '\0')
				abort();
		}
	if (marked != l.nsuppressed || (s.n == 0 && marked != 0))
		abort();
out:
	irmf_findings_clear(&l);
	irmf_suppress_clear(&s);
	return 0;
}
