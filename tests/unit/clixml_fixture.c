/*
 * clixml_fixture.c - shared by the CLIXML tests (test_clixml.c for the
 * reader, test_clixml_map.c for the mappers): parse a fixture of
 * tests/fixtures/clixml into a snapshot.
 */
#include <stdlib.h>

#include "clixml_fixture.h"

/* Parse a fixture into a fresh snapshot named `server`. */
int
cx_parse_fixture(const char *rel, const char *server, irmf_snapshot **out)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc;

	assert_int_equal(irmf_snapshot_new(out, server), 0);
	rc = irmf_clixml_parse(*out, buf, len, rel);
	free(buf);
	return rc;
}

/* Parse one more fixture into an existing snapshot. */
int
cx_parse_fixture_into(irmf_snapshot *s, const char *rel)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc = irmf_clixml_parse(s, buf, len, rel);

	free(buf);
	return rc;
}
