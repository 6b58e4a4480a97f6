/*
 * report_junit.c - the comparison as JUnit XML (`--format junit`), for a
 * CI server or test dashboard that already reads test results: one
 * testsuite per cohort, one testcase per server and check (the checks of
 * report.h: connector URLs, connector authorization, IRM configuration,
 * versions, other settings, collection).  An error or warning finding is
 * a <failure> carrying the finding (problem as message, then value,
 * expected, why and fix as text); a failed collection is an <error>; an
 * info finding is only <system-out>.  Cohort-wide findings (no majority)
 * are a "majority" testcase of the cohort.  Findings about the whole
 * organisation (no server, a cohort of no servers: "organization") are
 * a testsuite of their own, so that a dashboard reading only JUnit sees
 * them too (Get-IRMConfiguration not collected must not read as a pass).
 * The shape validates against
 * the common junit-10.xsd (tests/fixtures/junit/).  Written with
 * libxml2's xmlTextWriter, so every value is escaped by the library.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "error.h"
#include "buf.h"

typedef struct jctx {
	const irmf_result *r;
	xmlTextWriterPtr w;
	int rc;                        /* first libxml2 failure, as < 0 */
} jctx;

#define W(call) do { if (j->rc >= 0 && (call) < 0) j->rc = -1; } while (0)
#define X(s) ((const xmlChar *)(s))

static bool
belongs(const irmf_finding *f, const char *server, const char *cohort,
    const char *check)
{
	if (f->suppressed)
		return false;
	if (server == NULL) {
		if (f->server != NULL || f->cohort == NULL ||
		    strcmp(f->cohort, cohort) != 0)
			return false;
		return true;
	}
	return f->server != NULL && strcasecmp(f->server, server) == 0 &&
	    strcmp(irmf_finding_check(f), check) == 0;
}

static void
finding_text(const irmf_finding *f, irmf_buf *b)
{
	if (f->value)
		irmf_buf_printf(b, "value: %s\n", f->value);
	if (f->expected)
		irmf_buf_printf(b, "expected: %s\n", f->expected);
	if (f->distribution)
		irmf_buf_printf(b, "distribution: %s\n", f->distribution);
	if (f->explanation)
		irmf_buf_printf(b, "why: %s\n", f->explanation);
	if (f->remediation)
		irmf_buf_printf(b, "fix:\n%s\n", f->remediation);
}

static void
one_finding(jctx *j, const irmf_finding *f)
{
	const char *el = f->kind == IRMF_FIND_NOT_COLLECTED ? "error" :
	    f->severity == IRMF_SEV_INFO ? "system-out" : "failure";
	char problem[1024], type[64];
	irmf_buf b = IRMF_BUF_INIT;

	irmf_finding_problem(f, problem, sizeof(problem));
	snprintf(type, sizeof(type), "%s %s", irmf_severity_name(f->severity),
	    irmf_finding_kind_name(f->kind));
	if (strcmp(el, "system-out") == 0)
		irmf_buf_printf(&b, "%s: %s\n", type, problem);
	finding_text(f, &b);
	W(xmlTextWriterStartElement(j->w, X(el)));
	if (strcmp(el, "system-out") != 0) {
		W(xmlTextWriterWriteAttribute(j->w, X("type"), X(type)));
		W(xmlTextWriterWriteAttribute(j->w, X("message"), X(problem)));
	}
	if (b.err)
		j->rc = irmf_error_oom();
	W(xmlTextWriterWriteString(j->w, X(b.p ? b.p : "")));
	W(xmlTextWriterEndElement(j->w));
	irmf_buf_free(&b);
}

/* One testcase; counts it into *failures / *errors. */
static void
testcase(jctx *j, const char *cls, const char *server, const char *cohort,
    const char *check, size_t *failures, size_t *errors)
{
	bool failed = false, erred = false;

	W(xmlTextWriterStartElement(j->w, X("testcase")));
	W(xmlTextWriterWriteAttribute(j->w, X("classname"), X(cls)));
	W(xmlTextWriterWriteAttribute(j->w, X("name"), X(check)));
	W(xmlTextWriterWriteAttribute(j->w, X("time"), X("0")));
	for (size_t i = 0; i < j->r->findings.n; i++) {
		const irmf_finding *f = &j->r->findings.items[i];
		if (!belongs(f, server, cohort, check))
			continue;
		one_finding(j, f);
		erred |= f->kind == IRMF_FIND_NOT_COLLECTED;
		failed |= f->kind != IRMF_FIND_NOT_COLLECTED &&
		    f->severity > IRMF_SEV_INFO;
	}
	W(xmlTextWriterEndElement(j->w));
	*failures += failed && !erred;
	*errors += erred;
}

static bool
has_split(const irmf_result *r, const char *cohort)
{
	for (size_t i = 0; i < r->findings.n; i++)
		if (belongs(&r->findings.items[i], NULL, cohort, NULL))
			return true;
	return false;
}

/* A testsuite's attributes (its counts) come before its testcases: a
 * first pass counts what testcase() will write. */
static void
suite_counts(const irmf_result *r, const irmf_cohort *c, size_t *tests,
    size_t *failures, size_t *errors)
{
	size_t nchecks = 0;

	while (irmf_report_checks[nchecks] != NULL)
		nchecks++;
	*tests = c->n * nchecks + has_split(r, c->name);
	*failures = *errors = 0;
	for (size_t i = 0; i < c->n; i++) {
		const char *s = r->fleet.members[c->members[i]].snap->server;
		for (size_t k = 0; k < nchecks; k++) {
			bool failed = false, erred = false;
			for (size_t n = 0; n < r->findings.n; n++) {
				const irmf_finding *f = &r->findings.items[n];
				if (!belongs(f, s, c->name, irmf_report_checks[k]))
					continue;
				erred |= f->kind == IRMF_FIND_NOT_COLLECTED;
				failed |= f->kind != IRMF_FIND_NOT_COLLECTED &&
				    f->severity > IRMF_SEV_INFO;
			}
			*failures += failed && !erred;
			*errors += erred;
		}
	}
	*failures += has_split(r, c->name);
}

static void
attr_n(jctx *j, const char *name, size_t n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", n);
	W(xmlTextWriterWriteAttribute(j->w, X(name), X(buf)));
}

/* <testsuite name tests failures errors timestamp><properties>, left
 * open for its testcases. */
static void
suite_start(jctx *j, const char *name, size_t tests, size_t failures,
    size_t errors, const irmf_report_meta *m)
{
	W(xmlTextWriterStartElement(j->w, X("testsuite")));
	W(xmlTextWriterWriteAttribute(j->w, X("name"), X(name)));
	attr_n(j, "tests", tests);
	attr_n(j, "failures", failures);
	attr_n(j, "errors", errors);
	W(xmlTextWriterWriteAttribute(j->w, X("timestamp"), X(m->generated)));
	W(xmlTextWriterStartElement(j->w, X("properties")));
	W(xmlTextWriterStartElement(j->w, X("property")));
	W(xmlTextWriterWriteAttribute(j->w, X("name"), X("irmfleet.version")));
	W(xmlTextWriterWriteAttribute(j->w, X("value"), X(m->version)));
	W(xmlTextWriterEndElement(j->w));
	W(xmlTextWriterEndElement(j->w));
}

static void
suite(jctx *j, const irmf_cohort *c, const irmf_report_meta *m)
{
	size_t tests, failures, errors, f2 = 0, e2 = 0;
	char cls[512];

	suite_counts(j->r, c, &tests, &failures, &errors);
	suite_start(j, c->name, tests, failures, errors, m);
	for (size_t i = 0; i < c->n && j->rc >= 0; i++) {
		const char *s = j->r->fleet.members[c->members[i]].snap->server;
		snprintf(cls, sizeof(cls), "%s.%s", c->name, s);
		for (size_t k = 0; irmf_report_checks[k] != NULL; k++)
			testcase(j, cls, s, c->name, irmf_report_checks[k],
			    &f2, &e2);
	}
	if (has_split(j->r, c->name))
		testcase(j, c->name, NULL, c->name, "majority", &f2, &e2);
	W(xmlTextWriterEndElement(j->w));
}

/* Is finding i the first of a cohort that holds no servers (the
 * organisation's findings)? */
static bool
first_of_orphan_cohort(const irmf_result *r, size_t i)
{
	const irmf_finding *f = &r->findings.items[i];

	if (f->suppressed || f->server != NULL || f->cohort == NULL)
		return false;
	for (size_t k = 0; k < r->ncohorts; k++)
		if (strcmp(r->cohorts[k].name, f->cohort) == 0)
			return false;
	for (size_t k = 0; k < i; k++)
		if (belongs(&r->findings.items[k], NULL, f->cohort, NULL))
			return false;
	return true;
}

/* One testsuite per such cohort, one testcase holding its findings. */
static void
orphan_suites(jctx *j, const irmf_report_meta *m)
{
	for (size_t i = 0; i < j->r->findings.n && j->rc >= 0; i++) {
		const char *name = j->r->findings.items[i].cohort;
		bool failed = false, erred = false;
		size_t f2 = 0, e2 = 0;

		if (!first_of_orphan_cohort(j->r, i))
			continue;
		for (size_t k = i; k < j->r->findings.n; k++) {
			const irmf_finding *f = &j->r->findings.items[k];
			if (!belongs(f, NULL, name, NULL))
				continue;
			erred |= f->kind == IRMF_FIND_NOT_COLLECTED;
			failed |= f->kind != IRMF_FIND_NOT_COLLECTED &&
			    f->severity > IRMF_SEV_INFO;
		}
		suite_start(j, name, 1, failed && !erred, erred, m);
		testcase(j, name, NULL, name, name, &f2, &e2);
		W(xmlTextWriterEndElement(j->w));
	}
}

int
irmf_report_junit(const irmf_result *r, FILE *out, unsigned flags)
{
	(void)flags;
	return irmf_report_junit_ex(r, out, "irmfleet compare", NULL, NULL);
}

int
irmf_report_junit_ex(const irmf_result *r, FILE *out, const char *name,
    irmf_junit_extra_fn extra, const void *payload)
{
	xmlBufferPtr buf = xmlBufferCreate();
	jctx jc = { r, NULL, 0 }, *j = &jc;
	irmf_report_meta m;
	irmf_compare_counts c;
	int rc = IRMF_OK;

	if (buf == NULL || (j->w = xmlNewTextWriterMemory(buf, 0)) == NULL) {
		xmlBufferFree(buf);
		return irmf_error_oom();
	}
	irmf_report_meta_get(r, &m);
	irmf_result_counts(r, &c);
	W(xmlTextWriterSetIndent(j->w, 1));
	W(xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElement(j->w, X("testsuites")));
	W(xmlTextWriterWriteAttribute(j->w, X("name"), X(name)));
	for (size_t i = 0; i < r->ncohorts && j->rc >= 0; i++)
		suite(j, &r->cohorts[i], &m);
	orphan_suites(j, &m);
	if (extra != NULL && j->rc >= 0 && extra(j->w, payload) < 0)
		j->rc = -1;
	W(xmlTextWriterEndDocument(j->w));
	xmlFreeTextWriter(j->w);
	if (j->rc < 0)
		rc = j->rc == -1 ? irmf_error_set(IRMF_ENOMEM, "junit report: "
		    "cannot build the XML") : j->rc;
	else if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf),
	    out) != (size_t)xmlBufferLength(buf) || fflush(out) != 0)
		rc = irmf_error_set(IRMF_EIO, "writing the junit report failed");
	xmlBufferFree(buf);
	return rc;
}
