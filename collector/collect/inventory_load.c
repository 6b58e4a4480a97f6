/*
 * inventory_load.c - reading an inventory: choose the reader (INI, YAML,
 * or the JSON of ansible-inventory --list) as Ansible would, read the
 * group_vars/ and host_vars/ beside the inventory file, and hand the
 * result to the one resolver (inventory.c).
 *
 * Ansible reads group_vars/NAME and host_vars/NAME next to an inventory
 * file: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists;
 * a directory is read whole (sorted, recursively; only files with those
 * extensions or none; hidden and backup "~" files skipped), later files
 * overriding earlier ones.  The JSON of ansible-inventory --list already
 * carries those variables in its hostvars, so none are read beside it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "fileio.h"
#include "inventory_int.h"
#include "snapshot_int.h"

/* Whether the first line that says something looks like YAML ("---",
 * "all:"): Ansible tries its YAML reader before the INI one on a file
 * without an extension. */
static bool
looks_like_yaml(const char *buf, size_t len)
{
	size_t i = 0, n;

	for (;;) {
		while (i < len && strchr(" \t\r\n", buf[i]))
			i++;
		if (i < len && buf[i] == '#') {
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	if (len - i >= 3 && memcmp(buf + i, "---", 3) == 0)
		return true;
	for (n = 0; i + n < len && buf[i + n] != '\n' && buf[i + n] != '\r';)
		n++;
	while (n > 0 && (buf[i + n - 1] == ' ' || buf[i + n - 1] == '\t'))
		n--;
	if (n < 2 || buf[i + n - 1] != ':')
		return false;
	for (size_t j = i; j < i + n - 1; j++)
		if (!isalnum((unsigned char)buf[j]) && !strchr("_-.", buf[j]))
			return false;
	return true;
}

static const char *
format_of(const char *name, const char *buf, size_t len)
{
	const char *ext = strrchr(name, '.');
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (ext != NULL && (strcasecmp(ext, ".yml") == 0 ||
	    strcasecmp(ext, ".yaml") == 0))
		return "yaml";
	if ((ext != NULL && strcasecmp(ext, ".json") == 0) ||
	    (i < len && buf[i] == '{'))
		return "json";
	return looks_like_yaml(buf + i, len - i) ? "yaml" : "ini";
}

static int
read_format(inv_raw *r, const char *format, const char *buf, size_t len,
    const char *name)
{
	if (strcmp(format, "yaml") == 0)
		return inv_read_yaml(r, buf, len, name);
	if (strcmp(format, "json") == 0)
		return inv_read_json(r, buf, len, name);
	return inv_read_ini(r, buf, len, name);
}

/* Resolve r into a new inventory, taking r's warnings. */
static int
finish(inv_raw *r, const char *name, const char *format,
    irmf_inventory **out)
{
	irmf_inventory *inv = calloc(1, sizeof(*inv));
	int rc;

	if (inv == NULL)
		return irmf_error_oom();
	inv->format = format;
	if ((inv->name = irmf_strdup(name)) == NULL)
		rc = IRMF_ENOMEM;
	else
		rc = inv_resolve(r, inv);
	if (rc != 0) {
		irmf_inventory_free(inv);
		return rc;
	}
	if (r->dropped > 0)
		inv_warn(r, "... and %zu more warnings", r->dropped);
	inv->warnings = r->warnings;
	inv->nwarnings = r->nwarnings;
	r->warnings = NULL;
	r->nwarnings = r->capwarnings = 0;
	*out = inv;
	return IRMF_OK;
}

/* Parse buf as name (and with dir, the vars directories in it). */
static int
parse_in(irmf_inventory **out, const char *buf, size_t len,
    const char *name, const char *dir)
{
	const char *format;
	inv_raw r;
	int rc;

	*out = NULL;
	if (name == NULL)
		name = "inventory";
	if (len > IRMF_INVENTORY_MAX_BYTES)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s: inventory larger than %zu bytes", name,
		    IRMF_INVENTORY_MAX_BYTES);
	format = format_of(name, buf, len);
	if ((rc = inv_raw_init(&r)) == 0 &&
	    (rc = read_format(&r, format, buf, len, name)) == 0 &&
	    (dir == NULL || strcmp(format, "json") == 0 ||
	    (rc = inv_read_vars_dirs(&r, dir)) == 0))
		rc = finish(&r, name, format, out);
	inv_raw_clear(&r);
	return rc;
}

int
irmf_inventory_parse(irmf_inventory **out, const char *buf, size_t len,
    const char *name)
{
	return parse_in(out, buf, len, name, NULL);
}

int
irmf_inventory_load(irmf_inventory **out, const char *path)
{
	char *buf = NULL, *dir = NULL, *slash;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = irmf_file_read(path, IRMF_INVENTORY_MAX_BYTES, &buf, &len);
	if (rc == IRMF_ENOTFOUND || rc == IRMF_EIO) {
		/* fileio says "PATH: cannot open: WHY": keep WHY */
		char m[IRMF_ERROR_MSG_MAX];   /* not the buffer set below */
		const char *why;

		snprintf(m, sizeof(m), "%s", irmf_error_last()->message);
		why = strstr(m, ": cannot ");
		why = why ? strchr(why + 9, ':') : NULL;
		/* the code as fileio gave it: a missing inventory is the
		 * user's error (exit 2), an unreadable one a failure (5) */
		return irmf_error_set(rc, "cannot read inventory '%s': %s",
		    path, why ? why + 2 : m);
	}
	if (rc != 0)
		return rc;
	if ((dir = irmf_strdup(path)) == NULL) {
		free(buf);
		return IRMF_ENOMEM;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0';
	rc = parse_in(out, buf, len, slash ? strrchr(path, '/') + 1 : path,
	    dir);
	free(buf);
	free(dir);
	return rc;
}

/* ------------------------------------------------ group_vars, host_vars */

#define VARS_MAX_DEPTH 16
#define PATH_CAP 4096

/* dir/rel into out (PATH_CAP bytes); an error when it does not fit. */
static int
join(char *out, const char *dir, const char *rel)
{
	int n = snprintf(out, PATH_CAP, "%s/%s", dir, rel);

	if (n < 0 || n >= PATH_CAP)
		return irmf_error_set(IRMF_ELIMIT, "%s: path too long", rel);
	return IRMF_OK;
}

static int read_vars_tree(inv_raw *r, inv_varlist *l, const char *dir,
    const char *rel, int depth);

static int
read_vars_file(inv_raw *r, inv_varlist *l, const char *dir, const char *rel)
{
	char path[PATH_CAP], *buf = NULL;
	size_t len = 0;
	int rc;

	if ((rc = join(path, dir, rel)) != 0)
		return rc;
	if ((rc = irmf_file_read(path, IRMF_INVENTORY_MAX_BYTES, &buf,
	    &len)) != 0)
		return rc;
	/* irmfleet reads no secrets: a vault file is said, not decrypted */
	if (len >= 15 && memcmp(buf, "$ANSIBLE_VAULT;", 15) == 0)
		inv_warn(r, "%s: vault-encrypted file not read (irmfleet reads "
		    "no secrets from an inventory; keep connection variables "
		    "in a plain file)", rel);
	else
		rc = inv_read_vars_yaml(r, l, buf, len, rel);
	free(buf);
	return rc;
}

/* Ansible's extensions for variable files ("" is none). */
static bool
vars_ext(const char *ext)
{
	return ext == NULL || strcmp(ext, ".yml") == 0 ||
	    strcmp(ext, ".yaml") == 0 || strcmp(ext, ".json") == 0;
}

/* Python's sorted(): by code point, not the locale. */
static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
read_vars_entry(inv_raw *r, inv_varlist *l, const char *dir,
    const char *rel, int depth)
{
	char path[PATH_CAP];
	const char *base = strrchr(rel, '/'), *ext;
	struct stat st;

	base = base ? base + 1 : rel;
	ext = strrchr(base, '.');
	if (base[0] == '.' || base[strlen(base) - 1] == '~')
		return IRMF_OK;   /* hidden or a backup, as Ansible skips */
	if (join(path, dir, rel) != 0)
		return IRMF_ELIMIT;
	if (stat(path, &st) != 0)
		return IRMF_OK;   /* vanished, or a dangling link */
	if (S_ISDIR(st.st_mode))
		return ext == NULL ? read_vars_tree(r, l, dir, rel, depth + 1) :
		    IRMF_OK;
	if (S_ISREG(st.st_mode) && vars_ext(ext))
		return read_vars_file(r, l, dir, rel);
	return IRMF_OK;
}

/* A directory of variable files, in sorted order, recursively. */
static int
read_vars_tree(inv_raw *r, inv_varlist *l, const char *dir, const char *rel,
    int depth)
{
	struct dirent **ents = NULL;
	char path[PATH_CAP], sub[PATH_CAP];
	int n, rc = IRMF_OK;

	if (depth > VARS_MAX_DEPTH)
		return irmf_error_set(IRMF_ELIMIT, "%s: variable directories "
		    "nested more than %d deep", rel, VARS_MAX_DEPTH);
	if (join(path, dir, rel) != 0)
		return IRMF_ELIMIT;
	if ((n = scandir(path, &ents, NULL, by_name)) < 0)
		return irmf_error_set(IRMF_EIO, "%s: cannot read directory: %s",
		    rel, strerror(errno));
	for (int i = 0; i < n; i++) {
		if (rc == 0 && (rc = join(sub, rel, ents[i]->d_name)) == 0)
			rc = read_vars_entry(r, l, dir, sub, depth);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* The variables of NAME in dir/sub: the first of NAME, NAME.yml,
 * NAME.yaml, NAME.json that exists, a file or a directory. */
static int
read_vars_of(inv_raw *r, inv_varlist *l, const char *dir, const char *sub,
    const char *name)
{
	static const char *const exts[] = { "", ".yml", ".yaml", ".json" };
	char rel[1024], path[PATH_CAP];
	struct stat st;

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(rel, sizeof(rel), "%s/%.900s%s", sub, name, exts[i]);
		if (join(path, dir, rel) != 0)
			return IRMF_ELIMIT;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			return read_vars_tree(r, l, dir, rel, 0);
		return read_vars_file(r, l, dir, rel);
	}
	return IRMF_OK;
}

static bool
is_dir(const char *dir, const char *sub)
{
	char path[PATH_CAP];
	struct stat st;

	if (join(path, dir, sub) != 0) {
		irmf_error_clear();
		return false;
	}
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
inv_read_vars_dirs(inv_raw *r, const char *dir)
{
	int rc = IRMF_OK;

	if (is_dir(dir, "group_vars"))
		for (size_t i = 0; i < r->ngroups && rc == 0; i++)
			rc = read_vars_of(r, &r->groups[i].vars[
			    INV_LAYER_VARSFILE], dir, "group_vars",
			    r->groups[i].name);
	if (is_dir(dir, "host_vars"))
		for (size_t i = 0; i < r->nhosts && rc == 0; i++)
			rc = read_vars_of(r, &r->hosts[i].vars[
			    INV_LAYER_VARSFILE], dir, "host_vars",
			    r->hosts[i].name);
	return rc;
}
