/*
 * test_snapshot_xml.c - writing snapshot XML
 * (collector/snapshot/snapshot_xml.c, xmlwrite.c, xmlutil.c,
 * collector/base/fileio.c): model round-trip with odd values,
 * byte-identical output, atomic save, schema errors on output with their
 * line, the schema cache under threads, format version 2's <generation>,
 * the items not collected (<skipped>).
 * Reader cases (error paths, validate, line numbers, size limit) are in
 * test_snapshot_read.c; the shared builders in snapshot_fixture.c.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "snapshot_fixture.h"
#include "error.h"
#include "fileio.h"
#include "identity.h"
#include "snapshot_int.h"
#include "store_int.h"
#include "xmlutil.h"

/* ------------------------------------------------------------ round trip */

static void
test_round_trip(void **state)
{
	irmf_snapshot *a = sf_full_snapshot(), *b = NULL;
	char *buf = NULL, *buf2 = NULL;
	size_t len, len2;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "rt.xml"), 0);
	sf_assert_snapshots_equal(a, b);
	/* spot checks that equality really looked at the odd values */
	assert_string_equal(irmf_reg_key_find_value(irmf_snapshot_reg_find(b,
	    "HKLM\\SOFTWARE\\Odd"), "ctl\x01name")->str, "esc\x1b[0m bell\x07");
	assert_string_equal(irmf_reg_key_find_value(irmf_snapshot_reg_find(b,
	    "HKLM\\SOFTWARE\\Odd"), "multi")->multi[3], "");
	/* and the writer is a function of the model: same bytes again */
	assert_int_equal(irmf_snapshot_to_buffer(b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

/* Additive parts (issue 15 #10, #13): the group list's scope (an empty
 * direct-only list included) and registry key ACLs, present and absent,
 * survive a round trip and validate; a bad scope is refused. */
static void
test_groups_scope_and_key_acl(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL, *bad;
	size_t len;
	const irmf_key_acl *acl;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX08"), 0);
	a->roles = IRMF_ROLE_EXCHANGE;
	a->groups_scope = IRMF_GROUPS_DIRECT;
	assert_int_equal(irmf_snapshot_set_key_acl(a,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server",
	    "O:BAG:SYD:PAI(A;CIOI;KA;;;NS)(A;CIOI;KA;;;SY)"), 0);
	assert_int_equal(irmf_snapshot_set_key_acl(a,
	    "HKLM\\SOFTWARE\\Other", NULL), 0);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<groups scope=\"direct\"/>"));
	assert_non_null(strstr(buf, "<keyAcl path=\"HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\MSIPC\\Server\" sddl=\"O:BAG:SYD:PAI"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "acl.xml"), 0);
	assert_int_equal(b->groups_scope, IRMF_GROUPS_DIRECT);
	assert_int_equal(b->nacls, 2);
	acl = irmf_snapshot_key_acl(b, "HKEY_LOCAL_MACHINE\\SOFTWARE\\"
	    "Microsoft\\MSIPC\\Server");
	assert_non_null(acl);
	assert_string_equal(acl->sddl,
	    "O:BAG:SYD:PAI(A;CIOI;KA;;;NS)(A;CIOI;KA;;;SY)");
	acl = irmf_snapshot_key_acl(b, "HKLM\\SOFTWARE\\other");
	assert_non_null(acl);
	assert_null(acl->sddl);
	irmf_snapshot_free(b);
	b = NULL;
	/* a scope the schema does not know */
	bad = strdup(buf);
	memcpy(strstr(bad, "scope=\"direct\""), "scope=\"deeper\"", 14);
	assert_int_not_equal(irmf_snapshot_load_buffer(&b, bad, len,
	    "bad.xml"), 0);
	irmf_snapshot_free(b);
	free(bad);
	free(buf);
	irmf_snapshot_free(a);
}

/* Items not collected by the way of running (<skipped>, issue 16): kept
 * with their message (one without, one XML cannot carry), apart from the
 * collection errors, read back the same and written again byte for byte;
 * a snapshot without any has no <skipped> at all (its bytes unchanged),
 * and a <skip> without an item is refused with its line. */
static void
test_skipped_round_trip(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL, *buf2 = NULL, *bad;
	size_t len, len2;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX01"), 0);
	a->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_null(strstr(buf, "skip"));
	free(buf);
	assert_int_equal(irmf_snapshot_add_error(a, "file:msdrm.dll",
	    IRMF_REASON_COMMAND_FAILED, "in use"), 0);
	assert_int_equal(irmf_snapshot_add_skipped(a, "irm-config", "not "
	    "collected over SSH: needs the export script or a password "
	    "logon"), 0);
	assert_int_equal(irmf_snapshot_add_skipped(a, "exchange-server",
	    "odd\x1b"), 0);
	assert_int_equal(irmf_snapshot_add_skipped(a, "events", NULL), 0);
	/* once per item */
	assert_int_equal(irmf_snapshot_add_skipped(a, "IRM-CONFIG", "again"),
	    0);
	assert_int_equal(a->nskipped, 3);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "</errors>\n  <skipped>\n    <skip "
	    "item=\"irm-config\">\n      <message>not collected over SSH: "
	    "needs the export script or a password logon</message>\n"
	    "    </skip>\n"));
	assert_non_null(strstr(buf, "<skip item=\"events\"/>"));
	assert_non_null(strstr(buf, "<message encoding=\"base64\">"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "sk.xml"), 0);
	sf_assert_snapshots_equal(a, b);
	assert_int_equal(b->nerrors, 1);
	assert_null(irmf_snapshot_error_for(b, "irm-config"));
	assert_false(b->has_irm_config);
	assert_string_equal(irmf_snapshot_skipped_for(b, "exchange-server")->
	    message, "odd\x1b");
	assert_null(irmf_snapshot_skipped_for(b, "events")->message);
	assert_int_equal(irmf_snapshot_to_buffer(b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	irmf_snapshot_free(b);
	b = NULL;
	bad = strdup(buf);
	memcpy(strstr(bad, "<skip item=\"events\"/>"),
	    "<skip itex=\"events\"/>", 22);
	assert_true(irmf_snapshot_load_buffer(&b, bad, len, "bad.xml") < 0);
	assert_null(b);
	assert_non_null(strstr(irmf_error_last()->message, "bad.xml:"));
	free(bad);
	free(buf);
	free(buf2);
	irmf_snapshot_free(a);
}

/* The readable parts stay readable; only what XML cannot carry is
 * base64; the odd-but-legal characters are escaped, not encoded. */
static void
test_output_shape(void **state)
{
	irmf_snapshot *a = sf_full_snapshot();
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<snapshot xmlns=\"urn:irmfleet:snapshot:1\""
	    " formatVersion=\"2\">"));
	assert_non_null(strstr(buf, "<value name=\"\" type=\"REG_SZ\" "
	    "data=\"a&lt;b &amp; c&gt;&quot;d&quot; 'e' Ünïcødé € 日本\"/>"));
	assert_non_null(strstr(buf, "nameBase64=\"Y3RsAW5hbWU=\""));
	assert_non_null(strstr(buf, "<item/>"));
	assert_non_null(strstr(buf, "type=\"REG_BINARY\" data=\"0001feff3c26\""));
	assert_non_null(strstr(buf, "type=\"REG_QWORD\" "
	    "data=\"18446744073709551615\""));
	assert_non_null(strstr(buf, "<property name=\"ServiceLocation\" "
	    "type=\"uri\" nil=\"true\"/>"));
	assert_non_null(strstr(buf, "<authorizations>"));
	assert_null(strstr(buf, "\x1b"));
	free(buf);
	irmf_snapshot_free(a);
}

/* The windows of the event queries (optional <window> elements of
 * <events>) are written before the rows and read back; the schema
 * accepts them, and an unknown window stays unknown. */
static void
test_event_windows(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "RMSCON01"), 0);
	a->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_add_event_summary(a, 1004, NULL, NULL,
	    3, "2026-02-27T17:00:00Z", "2026-02-28T23:45:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a,
	    "1000 1001 1002 1003", 42, true, "2026-02-01T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a, "1004", 500, false,
	    "2026-02-27T17:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a, "3001", 0, true,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<events>\n    <window ids=\"1000 1001 "
	    "1002 1003\" returned=\"42\" wholeLog=\"true\" "
	    "oldest=\"2026-02-01T00:00:00Z\"/>"));
	assert_non_null(strstr(buf, "<window ids=\"3001\" returned=\"0\" "
	    "wholeLog=\"true\"/>"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "w.xml"), 0);
	sf_assert_snapshots_equal(a, b);
	assert_false(irmf_snapshot_event_window(b, 1004)->whole_log);
	free(buf);
	irmf_snapshot_free(b);
	b = NULL;
	/* a window whose ids are not a list of numbers is an error */
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	memcpy(strstr(buf, "ids=\"3001\""), "ids=\"30x1\"", 11);
	assert_true(irmf_snapshot_load_buffer(&b, buf, len, "w.xml") < 0);
	assert_null(b);
	free(buf);
	irmf_snapshot_free(a);
}

/* An authorization list derived from event 1004 (issue 16 #6) is written
 * with its source and time, role "unknown" and a kind only for NAME$; it
 * reads back equal and writes the same bytes again.  The "newest 1004
 * named no account" mark is an attribute of <events>.  A typed list is
 * written exactly as before (no source attribute).  A derived row with a
 * role, or an unknown source, is refused. */
static void
test_derived_authorizations(void **state)
{
	static const char *const acc[] = { "CONTOSO\\Exchange Servers",
	    "CONTOSO\\FS01$", "S-1-5-21-1-2-3-1107" };
	irmf_snapshot *a, *b = NULL, *c = NULL;
	char *buf = NULL, *buf2 = NULL, *p;
	size_t len, len2;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "RMSCON01"), 0);
	a->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_add_event_summary(a, 1004, NULL, NULL,
	    3, "2026-02-27T17:00:00Z", "2026-02-28T23:45:00Z"), 0);
	assert_int_equal(irmf_snapshot_note_1004(a, "2026-02-28T23:45:00Z",
	    acc, 3), 0);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<authorizations source=\"event-1004\" "
	    "at=\"2026-02-28T23:45:00Z\">\n    <authorization "
	    "account=\"CONTOSO\\Exchange Servers\" role=\"unknown\"/>\n    "
	    "<authorization account=\"CONTOSO\\FS01$\" kind=\"computer\" "
	    "role=\"unknown\"/>"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "d.xml"), 0);
	sf_assert_snapshots_equal(a, b);
	assert_int_equal(b->auth_source, IRMF_AUTH_EVENT_1004);
	assert_int_equal(b->auths[0].kind, IRMF_ACCOUNT_UNKNOWN);
	assert_int_equal(irmf_snapshot_to_buffer(b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf2);
	/* a derived list without its time is refused */
	buf2 = strdup(buf);
	p = strstr(buf2, " at=\"");
	memset(p, ' ', strlen(" at=\"2026-02-28T23:45:00Z\""));
	assert_true(irmf_snapshot_load_buffer(&c, buf2, len, "d.xml") < 0);
	assert_non_null(strstr(irmf_error_last()->message, "'at'"));
	assert_null(c);
	free(buf2);
	/* an unknown source is refused */
	buf2 = strdup(buf);
	memcpy(strstr(buf2, "event-1004"), "event-1005", 10);
	assert_true(irmf_snapshot_load_buffer(&c, buf2, len, "d.xml") < 0);
	assert_null(c);
	free(buf2);
	/* a role in a derived list is refused, naming the line */
	p = strstr(buf, "role=\"unknown\"");
	memcpy(p, "role=\"fci\"    ", 15);
	assert_true(irmf_snapshot_load_buffer(&c, buf, len, "d.xml") < 0);
	assert_non_null(strstr(irmf_error_last()->message, "d.xml:"));
	assert_null(c);
	free(buf);
	irmf_snapshot_free(b);
	b = NULL;
	/* an unreadable newer 1004 replaces the list, and is kept */
	assert_int_equal(irmf_snapshot_note_1004(a, "2026-03-01T00:00:00Z",
	    NULL, 0), 0);
	assert_false(a->has_authorizations);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_null(strstr(buf, "<authorizations"));
	assert_non_null(strstr(buf,
	    "<events unread1004=\"2026-03-01T00:00:00Z\">"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "u.xml"), 0);
	sf_assert_snapshots_equal(a, b);
	assert_int_equal(irmf_snapshot_to_buffer(b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	irmf_snapshot_free(b);
	/* the fixture written by import reads and writes back byte for byte */
	{
		irmf_snapshot *f = NULL;
		char *orig = tu_read_fixture("snapshot/valid-rmscon-derived.xml",
		    &len2);
		assert_int_equal(irmf_snapshot_load(&f, tu_fixture_path(
		    "snapshot/valid-rmscon-derived.xml")), 0);
		assert_int_equal(f->auth_source, IRMF_AUTH_EVENT_1004);
		assert_int_equal(f->nauths, 2);
		assert_int_equal(irmf_snapshot_to_buffer(f, &buf2, &len), 0);
		assert_int_equal(len, len2);
		assert_memory_equal(buf2, orig, len);
		free(buf2);
		free(orig);
		irmf_snapshot_free(f);
	}
	/* a typed row replaces the mark, and is written as before */
	assert_int_equal(irmf_snapshot_add_authorization(a, "CONTOSO\\Ex",
	    IRMF_ACCOUNT_GROUP, IRMF_ROLE_EXCHANGE), 0);
	assert_null(a->auth_1004_unread);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<authorizations>\n    <authorization "
	    "account=\"CONTOSO\\Ex\" kind=\"group\" role=\"exchange\"/>"));
	assert_non_null(strstr(buf, "<events>"));
	free(buf);
	irmf_snapshot_free(a);
}

/* Present-but-empty sections stay present; absent stay absent. */
static void
test_presence_flags(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "RMSCON01"), 0);
	a->has_irm_config = true;
	a->has_events = true;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<irmConfiguration/>"));
	assert_null(strstr(buf, "<authorizations"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "p.xml"), 0);
	assert_true(b->has_irm_config);
	assert_true(b->has_events);
	assert_false(b->has_authorizations);
	assert_false(b->has_irm_test);
	sf_assert_snapshots_equal(a, b);
	free(buf);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_save_atomic(void **state)
{
	irmf_snapshot *a = sf_full_snapshot(), *b = NULL, *bad;
	char *dir = tu_tempdir(), path[4200], nodir[4200];
	char *buf = NULL, *file = NULL;
	size_t len, flen;

	(void)state;
	snprintf(path, sizeof(path), "%s/EX07.xml", dir);
	assert_int_equal(irmf_snapshot_save(a, path), 0);
	assert_int_equal(count_entries(dir), 1);   /* no temp file left */
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	sf_assert_snapshots_equal(a, b);
	/* the file holds exactly what to_buffer gives */
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_int_equal(irmf_file_read(path, 1 << 20, &file, &flen), 0);
	assert_int_equal(len, flen);
	assert_memory_equal(buf, file, len);
	/* overwriting works and replaces */
	assert_int_equal(irmf_snapshot_set_fqdn(a, "other.contoso.com"), 0);
	assert_int_equal(irmf_snapshot_save(a, path), 0);
	irmf_snapshot_free(b);
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	assert_string_equal(b->fqdn, "other.contoso.com");
	assert_int_equal(count_entries(dir), 1);

	/* an invalid model is refused and the old file kept intact */
	assert_int_equal(irmf_snapshot_new(&bad, "EX99"), 0);
	assert_int_equal(irmf_snapshot_add_source(bad, "x.reg", "NOT-HEX",
	    "reg"), 0);
	assert_int_equal(irmf_snapshot_save(bad, path), IRMF_ESCHEMA);
	/* target file and the line the bad element would have had */
	assert_non_null(strstr(irmf_error_last()->message,
	    "EX07.xml:8: invalid snapshot of 'EX99': Element 'source'"));
	assert_non_null(strstr(irmf_error_last()->message, "sha256"));
	assert_int_equal(count_entries(dir), 1);
	irmf_snapshot_free(b);
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	assert_string_equal(b->server, "EX07");
	/* no server name: refused */
	free(bad->server);
	bad->server = NULL;
	assert_int_equal(irmf_snapshot_save(bad, path), IRMF_EUSAGE);
	/* a directory that does not exist: I/O error, nothing created */
	snprintf(nodir, sizeof(nodir), "%s/missing/EX07.xml", dir);
	assert_int_equal(irmf_snapshot_save(a, nodir), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message, nodir));
	assert_int_equal(count_entries(dir), 1);
	/* the target is a directory: refused, no temporary file left */
	snprintf(nodir, sizeof(nodir), "%s/sub", dir);
	assert_int_equal(mkdir(nodir, 0700), 0);
	assert_int_equal(irmf_snapshot_save(a, nodir), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message, "is a directory"));
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(count_entries(nodir), 0);

	irmf_snapshot_free(bad);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	free(buf);
	free(file);
	tu_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------ golden */

/* sf_full_snapshot() plus text elements holding what the writer must escape
 * exactly as the former tree serializer did: '"' stays as is in text,
 * CR becomes &#13;, non-ASCII stays UTF-8 in text and attributes, TAB
 * and LF in attributes become character references. */
static irmf_snapshot *
golden_snapshot(void)
{
	irmf_snapshot *s = sf_full_snapshot();
	char *items[] = { "\"q\" <a&b> \r\n\tÜ€日本", "x" };

	assert_int_equal(irmf_snapshot_irm_test_add(s, "say \"hi\"\r\n",
	    true, "tab\there > \"there\" & Ünï €"), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "Texts",
	    IRMF_PROP_LIST, items, 2), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "Attr", IRMF_PROP_STRING,
	    "\"q\"\t\r\n<a&b> Ü€", false), 0);
	assert_int_equal(irmf_snapshot_set_computer_account(s,
	    "CONTOSO\\Ünï\"$\""), 0);
	assert_int_equal(irmf_snapshot_add_group(s, "\r\n"), 0);
	assert_int_equal(irmf_snapshot_add_service_account(s, " "), 0);
	return s;
}

/* The bytes are pinned: snapshots are hashed by the audit store, so a
 * new writer must give exactly what the old one gave
 * (snapshot/golden-full.xml was written by the tree serializer). */
static void
test_golden_bytes(void **state)
{
	irmf_snapshot *s = golden_snapshot(), *b = NULL;
	char *orig, *buf = NULL;
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	orig = tu_read_fixture("snapshot/golden-full.xml", &olen);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "g.xml"), 0);
	sf_assert_snapshots_equal(s, b);
	free(orig);
	free(buf);
	irmf_snapshot_free(s);
	irmf_snapshot_free(b);
}

/* ------------------------------------------------------------ fixtures */

static void
test_fixture_valid(void **state)
{
	irmf_snapshot *s = NULL;
	const irmf_reg_value *v;
	char *orig, *buf = NULL;
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_string_equal(s->server, "EX01");
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(s->method, IRMF_METHOD_SSH);
	v = irmf_reg_key_find_value(irmf_snapshot_reg_find(s,
	    "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation"),
	    "");
	assert_non_null(v);
	assert_string_equal(v->str, "https://5c6bb73b-1038-4eec-863d-"
	    "49bded473437.rms.na.aadrm.com/_wmcs/certification");
	assert_true(s->has_irm_config);
	assert_string_equal(irmf_snapshot_prop_find(s,
	    "InternalLicensingEnabled")->value, "True");
	assert_true(irmf_snapshot_prop_find(s, "ServiceLocation")->is_nil);
	assert_string_equal(irmf_snapshot_error_for(s, "file:msipc.dll")->
	    message, "file not found");
	/* the fixture is in canonical form: writing it back gives the
	 * same bytes (pins the output format) */
	orig = tu_read_fixture("snapshot/valid-ex01.xml", &olen);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	free(orig);
	free(buf);
	irmf_snapshot_free(s);
}

/* A model the schema refuses, far down a big output: the save fails,
 * naming the target and the line the bad element would have had (the
 * bytes are validated as written, so the line is exact past 65535). */
static void
test_write_error_line(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char path[64], want[8400];
	char *dir = tu_tempdir(), target[4200];
	const int nkeys = 25000;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "BIG"), 0);
	for (int i = 0; i < nkeys; i++) {
		snprintf(path, sizeof(path), "HKLM\\K%d", i);
		assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
		assert_int_equal(irmf_reg_key_set_num(k, "", IRMF_REG_DWORD,
		    (uint64_t)i), 0);
	}
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\Bad", &k), 0);
	/* a type the format does not have: written as REG_UNKNOWN */
	assert_int_equal(irmf_reg_key_set_num(k, "x", (irmf_reg_type)99, 1),
	    0);
	snprintf(target, sizeof(target), "%s/BIG.xml", dir);
	assert_int_equal(irmf_snapshot_save(s, target), IRMF_ESCHEMA);
	/* declaration, <snapshot>, <identity>, <server>, <roles/>, <method>,
	 * </identity>, <registry>, then 3 lines a key, then <key> */
	snprintf(want, sizeof(want), "%s:%d: invalid snapshot of 'BIG': "
	    "Element 'value', attribute 'type'", target, 10 + 3 * nkeys);
	if (strstr(irmf_error_last()->message, want) == NULL)
		fail_msg("got '%s', want '%s'", irmf_error_last()->message,
		    want);
	assert_int_equal(count_entries(dir), 0);   /* nothing written */
	irmf_snapshot_free(s);
	tu_rmtree(dir);
	free(dir);
}

struct thread_arg {
	const char *path;
	int failures;
};

static void *
load_many(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < 40; i++) {
		irmf_snapshot *s = NULL;
		char *buf = NULL;
		size_t len;

		if (irmf_snapshot_load(&s, a->path) != 0 ||
		    irmf_snapshot_to_buffer(s, &buf, &len) != 0)
			a->failures++;
		free(buf);
		irmf_snapshot_free(s);
	}
	return NULL;
}

/* Threads share the compiled schema cache (the collector saves snapshots
 * from several threads); first use races to compile it. */
static void
test_threads(void **state)
{
	pthread_t t[6];
	struct thread_arg a[6];
	/* tu_fixture_path's buffer is not for threads: resolve it once */
	char *path = strdup(tu_fixture_path("snapshot/valid-ex01.xml"));

	(void)state;
	assert_non_null(path);
	irmf_xml_cleanup();   /* make the threads race to compile */
	for (int i = 0; i < 6; i++) {
		a[i].path = path;
		a[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, load_many, &a[i]),
		    0);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	free(path);
}

static void
test_schema_dir_override(void **state)
{
	irmf_snapshot *a = sf_full_snapshot();
	char *buf = NULL;
	size_t len;

	(void)state;
	setenv("IRMFLEET_SCHEMA_DIR", "/nonexistent-irmf-schemas", 1);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "/nonexistent-irmf-schemas/snapshot.xsd"));
	setenv("IRMFLEET_SCHEMA_DIR", IRMF_SOURCE_DIR "/schemas", 1);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	unsetenv("IRMFLEET_SCHEMA_DIR");
	free(buf);
	irmf_snapshot_free(a);
}

static void
test_text_ok(void **state)
{
	(void)state;
	assert_true(irmf_xml_text_ok("plain <&> \t\r\n Ü € 日本 \xf0\x9f\x98\x80"));
	assert_false(irmf_xml_text_ok("\x01"));
	assert_false(irmf_xml_text_ok("\x1f"));
	assert_false(irmf_xml_text_ok("\xff"));
	assert_false(irmf_xml_text_ok("\xc0\x80"));       /* overlong NUL */
	assert_false(irmf_xml_text_ok("\xed\xa0\x80"));   /* surrogate */
	assert_false(irmf_xml_text_ok("\xef\xbf\xbe"));   /* U+FFFE */
	assert_false(irmf_xml_text_ok("\xc3"));           /* truncated */
}

/* The example fleet: every file loads, is in canonical form, and EX07 is
 * the one Exchange server whose license redirection uses http. */
static void
test_example_fleet(void **state)
{
	const char *dir = IRMF_SOURCE_DIR "/examples/fleet";
	DIR *d = opendir(dir);
	struct dirent *e;
	int nexchange = 0, nsp = 0, ncon = 0, nhttp = 0;
	char path[4200];

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		irmf_snapshot *s = NULL;
		const irmf_reg_key *k;
		char *orig, *buf = NULL;
		size_t olen, len;

		if (strstr(e->d_name, ".xml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (irmf_snapshot_load(&s, path) != 0)
			fail_msg("%s", irmf_error_last()->message);
		orig = tu_read_fixture(path, &olen);
		assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
		assert_int_equal(len, olen);
		assert_memory_equal(buf, orig, len);
		if (s->roles & IRMF_ROLE_EXCHANGE) {
			nexchange++;
			k = irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\Microsoft\\"
			    "ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
			assert_non_null(k);
			assert_int_equal(k->nvalues, 1);
			if (strncmp(k->values[0].str, "http://", 7) == 0) {
				nhttp++;
				assert_string_equal(s->server, "EX07");
			}
			assert_string_equal(irmf_snapshot_prop_find(s,
			    "InternalLicensingEnabled")->value, "True");
		}
		if (s->roles & IRMF_ROLE_SHAREPOINT)
			nsp++;
		if (s->roles & IRMF_ROLE_CONNECTOR) {
			ncon++;
			assert_true(s->has_authorizations);
			assert_true(s->has_events);
		}
		free(orig);
		free(buf);
		irmf_snapshot_free(s);
	}
	closedir(d);
	assert_true(nexchange >= 8);
	assert_int_equal(nsp, 2);
	assert_int_equal(ncon, 2);
	assert_int_equal(nhttp, 1);
}

/* ------------------------------------------------ generation (format 2) */

/* The <generation> element of s as written, or fail (a copy, freed by the
 * caller); NULL when there is none. */
static char *
written_generation(const irmf_snapshot *s)
{
	char *buf = NULL, *a, *b, *out = NULL;
	size_t len;

	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	if ((a = strstr(buf, "<generation")) != NULL) {
		b = strstr(a, "/>");
		if (strstr(a, "</generation>") != NULL &&
		    (b == NULL || strstr(a, "</generation>") < b ||
		    strchr(a, '>') < b))
			b = strstr(a, "</generation>") + strlen("</generation>");
		else
			b += 2;
		out = strndup(a, (size_t)(b - a));
	}
	free(buf);
	return out;
}

static irmf_snapshot *
exchange_server(const char *name, const char *exsetup, const char *build)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, NULL, build), 0);
	if (exsetup != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    exsetup), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\Microsoft\\"
	    "ExchangeServer\\v14\\IRM\\LicenseServerRedirection", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://t.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://rmscon.contoso.com"), 0);
	return s;
}

/* Every kind of identity is recorded with its evidence, strongest first;
 * a known build says where it came from and whether it is exact; an
 * unknown or contradictory generation is recorded as such; a connector
 * node gets no element; and it all reads back (schema-valid). */
static void
test_generation_written(void **state)
{
	irmf_snapshot *s, *b = NULL;
	char *g, *buf = NULL;
	size_t len;

	(void)state;
	s = exchange_server("EX10A", "14.3.389.1", "14.3.123.4");
	g = written_generation(s);
	assert_string_equal(g, "<generation name=\"exchange-2010\" "
	    "build=\"14.3.389.1\" buildSource=\"ExSetup.exe\" "
	    "buildExact=\"true\">\n"
	    "      <evidence rank=\"file\" source=\"file:ExSetup.exe\" "
	    "value=\"14.3.389.1\" says=\"exchange-2010\"/>\n"
	    "      <evidence rank=\"product\" source=\"Get-ExchangeServer\" "
	    "value=\"14.3.123.4\" says=\"exchange-2010\"/>\n"
	    "      <evidence rank=\"config-keys\" source=\"reg:HKLM\\SOFTWARE\\"
	    "Microsoft\\ExchangeServer\\v14\\IRM\" value=\"IRM keys under "
	    "v14\" says=\"exchange-2010\"/>\n"
	    "    </generation>");
	free(g);
	irmf_snapshot_free(s);

	/* Get-ExchangeServer's roles travel on <product> and come back */
	s = exchange_server("EDGE01", NULL, "15.2.1544.4");
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Edge"), 0);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_non_null(strstr(buf, " exchangeRoles=\"Edge\""));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "edge.xml"),
	    0);
	assert_string_equal(b->exchange_roles, "Edge");
	irmf_snapshot_free(b);
	b = NULL;
	free(buf);
	buf = NULL;
	irmf_snapshot_free(s);

	/* the service pack level only: not exact */
	s = exchange_server("EX10B", NULL, "14.3.123.4");
	g = written_generation(s);
	assert_non_null(strstr(g, "name=\"exchange-2010\" build=\"14.3.123.4\" "
	    "buildSource=\"Get-ExchangeServer AdminDisplayVersion\" "
	    "buildExact=\"false\">"));
	free(g);
	irmf_snapshot_free(s);

	/* contradictory strong evidence */
	s = exchange_server("EX11", "14.3.389.1", "15.1.2507.6");
	g = written_generation(s);
	assert_non_null(strstr(g, "<generation name=\"conflict\" "));
	assert_non_null(strstr(g, "value=\"15.1.2507.6\" "
	    "says=\"exchange-2013+\"/>"));
	free(g);
	irmf_snapshot_free(s);

	/* no evidence at all: unknown, no build, no evidence */
	assert_int_equal(irmf_snapshot_new(&s, "EX12"), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	g = written_generation(s);
	assert_string_equal(g, "<generation name=\"unknown\"/>");
	free(g);
	irmf_snapshot_free(s);

	/* a connector node has no generation: no element */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_null(written_generation(s));
	irmf_snapshot_free(s);

	/* a build XML cannot carry goes to the base64 twins, and the file
	 * is still valid and reads back */
	s = exchange_server("EX13", NULL, "15.1.\x1b[0m");
	g = written_generation(s);
	assert_non_null(strstr(g, " buildBase64=\"MTUuMS4bWzBt\""));
	assert_non_null(strstr(g, " valueBase64=\"MTUuMS4bWzBt\""));
	assert_null(strchr(g, '\x1b'));
	free(g);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "b.xml"), 0);
	assert_string_equal(b->recorded_generation, "exchange-2013+");
	assert_string_equal(b->recorded_build, "15.1.\x1b[0m");
	assert_false(irmf_snapshot_generation_mismatch(b, "b.xml", NULL, 0));
	free(buf);
	irmf_snapshot_free(b);
	irmf_snapshot_free(s);
}

static int
teardown_all(void **state)
{
	(void)state;
	irmf_xml_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_ok),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_groups_scope_and_key_acl),
		cmocka_unit_test(test_skipped_round_trip),
		cmocka_unit_test(test_output_shape),
		cmocka_unit_test(test_golden_bytes),
		cmocka_unit_test(test_presence_flags),
		cmocka_unit_test(test_event_windows),
		cmocka_unit_test(test_derived_authorizations),
		cmocka_unit_test(test_save_atomic),
		cmocka_unit_test(test_fixture_valid),
		cmocka_unit_test(test_write_error_line),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_schema_dir_override),
		cmocka_unit_test(test_example_fleet),
		cmocka_unit_test(test_generation_written),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
