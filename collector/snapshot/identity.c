/*
 * identity.c - a server's product generation from ranked evidence (see
 * identity.h for the ranking and why the IRM keys come last).
 *
 * Everything here reads the snapshot only; nothing is stored, so a
 * snapshot written before identity was recorded (formatVersion 1) gets
 * exactly the identity a new one would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "identity.h"

#define K_EXCH "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\"
#define K_WSE "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Shared Tools\\" \
	"Web Server Extensions\\"
#define K_MSIPC_SL "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\" \
	"ServiceLocation"
#define K_MSDRM_SL "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\" \
	"ServiceLocation"

/* Stable name and reader's label of each generation, by value. */
static const struct {
	const char *name, *label;
} generations[] = {
	[IRMF_GEN_NONE] = { "none", "no product generation" },
	[IRMF_GEN_UNKNOWN] = { "unknown", "unknown generation" },
	[IRMF_GEN_CONFLICT] = { "conflict",
	    "contradictory generation evidence" },
	[IRMF_GEN_EXCHANGE_2010] = { "exchange-2010", "Exchange 2010" },
	[IRMF_GEN_EXCHANGE_2013] = { "exchange-2013+",
	    "Exchange 2013 or later" },
	[IRMF_GEN_SHAREPOINT_2010] = { "sharepoint-2010", "SharePoint 2010" },
	[IRMF_GEN_SHAREPOINT_2013] = { "sharepoint-2013+",
	    "SharePoint 2013 or later" },
};

const char *
irmf_generation_name(irmf_generation g)
{
	return (size_t)g < sizeof(generations) / sizeof(generations[0]) ?
	    generations[g].name : "unknown";
}

const char *
irmf_generation_label(irmf_generation g)
{
	return (size_t)g < sizeof(generations) / sizeof(generations[0]) ?
	    generations[g].label : "unknown generation";
}

const char *
irmf_evidence_rank_name(irmf_evidence_rank r)
{
	switch (r) {
	case IRMF_EV_FILE: return "file";
	case IRMF_EV_SETUP_KEY: return "setup-key";
	case IRMF_EV_PRODUCT: return "product";
	case IRMF_EV_CONFIG_KEYS: return "config-keys";
	}
	return "config-keys";
}

bool
irmf_snapshot_has_key_under(const irmf_snapshot *snap, const char *prefix)
{
	char *canon = irmf_reg_canonical_path(prefix);
	size_t n;
	bool found = false;

	if (canon == NULL)
		return false;
	n = strlen(canon);
	for (size_t i = 0; i < snap->nkeys && !found; i++) {
		const char *p = snap->keys[i].path;
		found = strncasecmp(p, canon, n) == 0 &&
		    (p[n] == '\\' || p[n] == '\0');
	}
	free(canon);
	return found;
}

/* Which configuration keys the snapshot has, in one pass over its keys
 * (identity is asked for often: every cohort lookup). */
enum {
	CK_EX14_IRM = 1 << 0, CK_EX15_IRM = 1 << 1,
	CK_MSIPC_SL = 1 << 2, CK_MSDRM_SL = 1 << 3
};

static unsigned
config_keys(const irmf_snapshot *snap)
{
	static const char base[] = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\";
	static const struct { const char *rest; unsigned bit; } under[] = {
		{ "ExchangeServer\\v14\\IRM", CK_EX14_IRM },
		{ "ExchangeServer\\v15\\IRM", CK_EX15_IRM },
		{ "MSIPC\\ServiceLocation", CK_MSIPC_SL },
		{ "MSDRM\\ServiceLocation", CK_MSDRM_SL },
	};
	unsigned bits = 0;

	for (size_t i = 0; i < snap->nkeys; i++) {
		const char *p = snap->keys[i].path;
		if (strncasecmp(p, base, sizeof(base) - 1) != 0)
			continue;
		p += sizeof(base) - 1;
		for (size_t u = 0; u < sizeof(under) / sizeof(under[0]); u++) {
			size_t n = strlen(under[u].rest);
			if (strncasecmp(p, under[u].rest, n) == 0 &&
			    (p[n] == '\\' || p[n] == '\0'))
				bits |= under[u].bit;
		}
	}
	return bits;
}

/* Leading integer of a dotted version ("14.3.389.1" -> 14), -1 if none. */
static long
version_major(const char *v)
{
	char *end;
	long m;

	if (v == NULL || *v < '0' || *v > '9')
		return -1;
	m = strtol(v, &end, 10);
	return (*end == '.' || *end == '\0') ? m : -1;
}

/* Copy src into dst (cap bytes), cut at a character boundary: the
 * fields are fixed-size, and half a UTF-8 character would make the JSON
 * report refuse the string (and the snapshot carry it in base64). */
static void
copy_utf8(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
add_evidence(irmf_identity *id, irmf_evidence_rank rank,
    irmf_generation says, const char *source, const char *value)
{
	irmf_evidence *e;

	if (id->nevidence == IRMF_IDENTITY_MAX_EVIDENCE)
		return;
	e = &id->evidence[id->nevidence++];
	e->rank = rank;
	e->says = says;
	copy_utf8(e->source, sizeof(e->source), source);
	copy_utf8(e->value, sizeof(e->value), value ? value : "");
}

/* Configuration keys of one generation, when present, as the weakest
 * evidence: they say `gen` unless the other generation's keys are there
 * too, which makes them say nothing certain. */
static void
config_evidence(irmf_identity *id, bool present, irmf_generation gen,
    const char *source, const char *what, bool other_present)
{
	if (present)
		add_evidence(id, IRMF_EV_CONFIG_KEYS, other_present ?
		    IRMF_GEN_UNKNOWN : gen, source, what);
}

static void
set_build(irmf_identity *id, const char *build, const char *source,
    bool exact)
{
	if (id->build[0] != '\0' || build == NULL || build[0] == '\0')
		return;
	copy_utf8(id->build, sizeof(id->build), build);
	copy_utf8(id->build_source, sizeof(id->build_source), source);
	id->build_exact = exact;
}

/* A registry value as a number: DWORD/QWORD, or a decimal string. */
static bool
reg_number(const irmf_reg_key *k, const char *name, unsigned long *out)
{
	const irmf_reg_value *v = irmf_reg_key_find_value(k, name);
	char *end;

	if (v == NULL)
		return false;
	if (irmf_reg_type_is_number(v->type)) {
		*out = (unsigned long)v->num;
		return true;
	}
	if (!irmf_reg_type_is_string(v->type) || v->str == NULL ||
	    v->str[0] < '0' || v->str[0] > '9')
		return false;
	*out = strtoul(v->str, &end, 10);
	return *end == '\0';
}

/* ExchangeServer\v14|v15\Setup: MsiProductMajor says Exchange is installed
 * (the configuration tool's own test); the four Msi* values are the build
 * of the last full install (service pack on 2010, CU on 2013+). */
static void
exchange_setup_key(const irmf_snapshot *snap, irmf_identity *id,
    const char *ver, irmf_generation gen)
{
	char path[96], build[64];
	const irmf_reg_key *k;
	unsigned long maj, min, bmaj, bmin;

	snprintf(path, sizeof(path), K_EXCH "%s\\Setup", ver);
	if ((k = irmf_snapshot_reg_find_canon(snap, path)) == NULL ||
	    !reg_number(k, "MsiProductMajor", &maj))
		return;
	if (reg_number(k, "MsiProductMinor", &min) &&
	    reg_number(k, "MsiBuildMajor", &bmaj) &&
	    reg_number(k, "MsiBuildMinor", &bmin))
		snprintf(build, sizeof(build), "%lu.%lu.%lu.%lu", maj, min,
		    bmaj, bmin);
	else
		snprintf(build, sizeof(build), "%lu", maj);
	add_evidence(id, IRMF_EV_SETUP_KEY, gen,
	    gen == IRMF_GEN_EXCHANGE_2010 ?
	    "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup" :
	    "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup", build);
	if (strchr(build, '.') != NULL)
		set_build(id, build, gen == IRMF_GEN_EXCHANGE_2010 ?
		    "ExchangeServer\\v14\\Setup" : "ExchangeServer\\v15\\Setup",
		    gen != IRMF_GEN_EXCHANGE_2010);
}

static irmf_generation
exchange_gen_of_major(long major)
{
	return major == 14 ? IRMF_GEN_EXCHANGE_2010 :
	    major == 15 ? IRMF_GEN_EXCHANGE_2013 : IRMF_GEN_UNKNOWN;
}

static void
exchange_evidence(const irmf_snapshot *snap, irmf_identity *id)
{
	const irmf_file_version *f = irmf_snapshot_file_find(snap,
	    "ExSetup.exe");
	unsigned keys;
	bool v14, v15;

	if (f != NULL && f->version != NULL) {
		irmf_generation g = exchange_gen_of_major(
		    version_major(f->version));
		if (g != IRMF_GEN_UNKNOWN) {
			add_evidence(id, IRMF_EV_FILE, g, "file:ExSetup.exe",
			    f->version);
			set_build(id, f->version, "ExSetup.exe", true);
		}
	}
	exchange_setup_key(snap, id, "v14", IRMF_GEN_EXCHANGE_2010);
	exchange_setup_key(snap, id, "v15", IRMF_GEN_EXCHANGE_2013);
	if (snap->product_build != NULL && (snap->product == NULL ||
	    strstr(snap->product, "SharePoint") == NULL)) {
		irmf_generation g = exchange_gen_of_major(
		    version_major(snap->product_build));
		if (g != IRMF_GEN_UNKNOWN) {
			add_evidence(id, IRMF_EV_PRODUCT, g,
			    "Get-ExchangeServer", snap->product_build);
			/* Exchange 2010 shows its service pack only */
			set_build(id, snap->product_build,
			    "Get-ExchangeServer AdminDisplayVersion",
			    g != IRMF_GEN_EXCHANGE_2010);
		}
	}
	keys = config_keys(snap);
	v14 = (keys & CK_EX14_IRM) != 0;
	v15 = (keys & CK_EX15_IRM) != 0;
	config_evidence(id, v14, IRMF_GEN_EXCHANGE_2010,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM",
	    "IRM keys under v14", v15);
	config_evidence(id, v15, IRMF_GEN_EXCHANGE_2013,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM",
	    "IRM keys under v15", v14);
}

/* Web Server Extensions\14.0|15.0|16.0 Version, as the configuration tool
 * tests it.  SharePoint versions do not install side by side, so when
 * several are present (leftovers of an upgrade) the highest is the one
 * installed. */
static void
sharepoint_setup_key(const irmf_snapshot *snap, irmf_identity *id)
{
	static const char *const vers[] = { "16.0", "15.0", "14.0" };

	for (size_t i = 0; i < sizeof(vers) / sizeof(vers[0]); i++) {
		char path[128], src[128];
		const irmf_reg_key *k;
		const irmf_reg_value *v;
		irmf_generation g;

		snprintf(path, sizeof(path), K_WSE "%s", vers[i]);
		if ((k = irmf_snapshot_reg_find_canon(snap, path)) == NULL ||
		    (v = irmf_reg_key_find_value(k, "Version")) == NULL ||
		    !irmf_reg_type_is_string(v->type) || v->str == NULL)
			continue;
		g = strcmp(vers[i], "14.0") == 0 ? IRMF_GEN_SHAREPOINT_2010 :
		    IRMF_GEN_SHAREPOINT_2013;
		snprintf(src, sizeof(src), "reg:HKLM\\SOFTWARE\\Microsoft\\"
		    "Shared Tools\\Web Server Extensions\\%s", vers[i]);
		add_evidence(id, IRMF_EV_SETUP_KEY, g, src, v->str);
		set_build(id, v->str, src + 4, true);
		return;
	}
}

static void
sharepoint_evidence(const irmf_snapshot *snap, irmf_identity *id)
{
	unsigned keys;
	bool msipc, msdrm;

	sharepoint_setup_key(snap, id);
	if (snap->product_build != NULL && (snap->product == NULL ||
	    strstr(snap->product, "Exchange") == NULL)) {
		long m = version_major(snap->product_build);
		irmf_generation g = m == 14 ? IRMF_GEN_SHAREPOINT_2010 :
		    (m == 15 || m == 16) ? IRMF_GEN_SHAREPOINT_2013 :
		    IRMF_GEN_UNKNOWN;
		if (g != IRMF_GEN_UNKNOWN) {
			add_evidence(id, IRMF_EV_PRODUCT, g, "product build",
			    snap->product_build);
			set_build(id, snap->product_build, "product build",
			    true);
		}
	}
	keys = config_keys(snap);
	msipc = (keys & CK_MSIPC_SL) != 0;
	msdrm = (keys & CK_MSDRM_SL) != 0;
	config_evidence(id, msipc, IRMF_GEN_SHAREPOINT_2013,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation",
	    "MSIPC client keys", msdrm);
	config_evidence(id, msdrm, IRMF_GEN_SHAREPOINT_2010,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation",
	    "MSDRM client keys", msipc);
}

/* Strong evidence (file, setup key, product build) decides when there is
 * any, and all of it must agree, or the generation is a conflict.  Only
 * without it do the configuration keys decide, and only when they point
 * at one generation.  Configuration keys that disagree with strong
 * evidence are no conflict: keys of the wrong generation are a finding of
 * their own (exchange-key-version). */
static void
decide(irmf_identity *id)
{
	irmf_generation strong = IRMF_GEN_NONE, weak = IRMF_GEN_NONE;
	irmf_evidence_rank best = IRMF_EV_CONFIG_KEYS;

	for (size_t i = 0; i < id->nevidence; i++) {
		const irmf_evidence *e = &id->evidence[i];
		irmf_generation *g = e->rank < IRMF_EV_CONFIG_KEYS ? &strong :
		    &weak;

		if (e->rank < best)
			best = e->rank;
		if (*g == IRMF_GEN_NONE)
			*g = e->says;
		else if (*g != e->says)
			*g = e->rank < IRMF_EV_CONFIG_KEYS ? IRMF_GEN_CONFLICT :
			    IRMF_GEN_UNKNOWN;
	}
	id->decided_by = best;
	if (strong != IRMF_GEN_NONE)
		id->generation = strong;
	else if (weak != IRMF_GEN_NONE)
		id->generation = weak;
	else
		id->generation = IRMF_GEN_UNKNOWN;
}

void
irmf_identity_of(const irmf_snapshot *snap, irmf_identity *out)
{
	memset(out, 0, sizeof(*out));
	out->generation = IRMF_GEN_NONE;
	out->decided_by = IRMF_EV_CONFIG_KEYS;
	if (snap->roles & IRMF_ROLE_EXCHANGE) {
		out->product = IRMF_ROLE_EXCHANGE;
		exchange_evidence(snap, out);
	} else if (snap->roles & IRMF_ROLE_SHAREPOINT) {
		out->product = IRMF_ROLE_SHAREPOINT;
		sharepoint_evidence(snap, out);
	} else {
		return;
	}
	decide(out);
}

/* What to export to settle the generation of a server of this product. */
static const char *
what_to_export(const irmf_identity *id)
{
	return id->product == IRMF_ROLE_EXCHANGE ?
	    "ExSetup.exe's file version, the ExchangeServer\\v14|v15\\Setup "
	    "key or Get-ExchangeServer" :
	    "the Shared Tools\\Web Server Extensions\\14.0|15.0|16.0 key";
}

/* Where one piece of evidence came from, as a person names it:
 * "ExSetup.exe", "ExchangeServer\v14\Setup", "Get-ExchangeServer". */
static const char *
short_source(const irmf_evidence *e)
{
	static const char hklm[] = "reg:HKLM\\SOFTWARE\\Microsoft\\";

	if (strncmp(e->source, "file:", 5) == 0)
		return e->source + 5;
	if (strncmp(e->source, hklm, sizeof(hklm) - 1) == 0)
		return e->source + sizeof(hklm) - 1;
	return e->source;
}

/* A known generation: its label and the strongest evidence that decided
 * it ("Exchange 2010 from ExSetup.exe 14.3.389.1"); weaker sources are
 * left to the reports that list the evidence (JSON, HTML, the snapshot).
 * Decided by the configuration keys alone, it says so: that is the
 * weakest evidence there is. */
static void
describe_known(const irmf_identity *id, char *buf, size_t len)
{
	const char *label = irmf_generation_label(id->generation);
	const irmf_evidence *best = NULL;

	for (size_t i = 0; i < id->nevidence && best == NULL; i++)
		if (id->evidence[i].rank == id->decided_by)
			best = &id->evidence[i];
	if (best == NULL)
		snprintf(buf, len, "%s", label);
	else if (best->rank == IRMF_EV_CONFIG_KEYS)
		snprintf(buf, len, "%s from the %s only", label,
		    strncmp(best->value, "IRM keys", 8) == 0 ? "IRM keys" :
		    best->value);
	else
		snprintf(buf, len, "%s from %s %s%s", label,
		    short_source(best), best->value,
		    !id->build_exact && strcmp(id->build, best->value) == 0 ?
		    " (service pack level)" : "");
}

/* One line, for reports and the identity findings: a known generation
 * with the evidence that decided it, an unknown or conflicting one with
 * every piece of evidence and what it says. */
void
irmf_identity_describe(const irmf_identity *id, char *buf, size_t len)
{
	size_t used = 0;
	bool doubt;

	if (len == 0)
		return;
	buf[0] = '\0';
	doubt = id->generation == IRMF_GEN_UNKNOWN ||
	    id->generation == IRMF_GEN_CONFLICT;
	if (!doubt && id->generation != IRMF_GEN_NONE) {
		describe_known(id, buf, len);
		return;
	}
	if (id->generation == IRMF_GEN_UNKNOWN && id->nevidence == 0) {
		snprintf(buf, len, "unknown: no evidence (export %s)",
		    what_to_export(id));
		return;
	}
	used = (size_t)snprintf(buf, len, "%s",
	    id->generation == IRMF_GEN_CONFLICT ? "conflict:" :
	    id->generation == IRMF_GEN_UNKNOWN ? "unknown:" :
	    irmf_generation_label(id->generation));
	for (size_t i = 0; i < id->nevidence && used < len; i++) {
		const irmf_evidence *e = &id->evidence[i];
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s%s%s",
		    i == 0 ? " " : "; ", short_source(e), e->value,
		    doubt ? " says " : "",
		    doubt ? irmf_generation_label(e->says) : "");
	}
}

/* The recorded <generation> is what a writer derived when it wrote the
 * file; the content may since have been edited (or the file written by
 * another tool).  The library never reads the recorded one, so this only
 * tells the person who will read the file that it lies. */
bool
irmf_snapshot_generation_mismatch(const irmf_snapshot *snap,
    const char *path, char *msg, size_t msglen)
{
	irmf_identity id;
	char what[512];

	if (snap->recorded_generation == NULL)
		return false;
	irmf_identity_of(snap, &id);
	if (strcmp(snap->recorded_generation,
	    irmf_generation_name(id.generation)) == 0 &&
	    strcmp(snap->recorded_build ? snap->recorded_build : "",
	    id.build) == 0)
		return false;
	if (id.generation == IRMF_GEN_NONE)
		snprintf(what, sizeof(what), "no Exchange or SharePoint role");
	else
		irmf_identity_describe(&id, what, sizeof(what));
	snprintf(msg, msglen, "%s%s%ld: recorded generation '%s'%s%s%s "
	    "disagrees with the content, which says %s: %s (the recorded one "
	    "is ignored; import or collect again to rewrite it)",
	    path ? path : "", path ? ":" : "", snap->recorded_line,
	    snap->recorded_generation, snap->recorded_build ? " build '" : "",
	    snap->recorded_build ? snap->recorded_build : "",
	    snap->recorded_build ? "'" : "",
	    irmf_generation_name(id.generation), what);
	return true;
}
