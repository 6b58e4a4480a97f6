/*
 * cmd_inventory.c - `irmfleet inventory check FILE`: read an Ansible
 * inventory (INI, YAML with its group_vars/ and host_vars/, or the JSON
 * of ansible-inventory --list) and list what irmfleet understood (host,
 * address, port, user, key, roles), then where each value came from, so
 * an admin can check it before the first collect.  Hosts in no role
 * group are listed too, marked as not collected, and so are hosts that
 * are not reached over SSH (ansible_connection=winrm ...).  What the
 * inventory sets that irmfleet does not apply goes to stderr as
 * warnings (docs/inventory.md).  Then, per host, the connection collect
 * will make and where each value comes from (the inventory, ~/.ssh/config
 * or -F FILE, the command line, the defaults), with what the ssh
 * configuration sets that irmfleet does not apply (docs/ssh-config.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/collect.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"

void
cmd_inventory_usage(FILE *f)
{
	fprintf(f, "usage: irmfleet inventory check [-F SSH_CONFIG] FILE\n"
	    "\n"
	    "Read an Ansible inventory (INI; YAML with the group_vars/ and\n"
	    "host_vars/ beside it; or the JSON of ansible-inventory --list)\n"
	    "and list its hosts with the address, port, user, key and roles\n"
	    "irmfleet will use, and where each value came from.  Role groups:\n"
	    "exchange sharepoint fci connector (also via children).\n"
	    "Then for each host the connection collect makes (with the\n"
	    "OpenSSH client configuration: ~/.ssh/config, or -F FILE, or\n"
	    "-F none) and where each value comes from.\n"
	    "Warnings (settings not applied) go to stderr.\n"
	    "Exit status: 0 inventory valid, 2 usage or syntax error.\n");
}

static void
roles_text(unsigned roles, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (unsigned b = 0; b < 4; b++)
		if (roles & (1u << b)) {
			if (buf[0])
				strncat(buf, ",", cap - strlen(buf) - 1);
			strncat(buf, irmf_role_name((irmf_role)(1u << b)),
			    cap - strlen(buf) - 1);
		}
	if (buf[0] == '\0')
		snprintf(buf, cap, "-");
}

/* "check [-F FILE] FILE" (-F before or after FILE); 0 when understood. */
static int
parse_args(int argc, char **argv, const char **file, const char **sshcfg)
{
	*file = *sshcfg = NULL;
	if (argc < 3 || strcmp(argv[1], "check") != 0)
		return -1;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-F") == 0 && i + 1 < argc && !*sshcfg)
			*sshcfg = argv[++i];
		else if (argv[i][0] != '-' && *file == NULL)
			*file = argv[i];
		else
			return -1;
	}
	return *file ? 0 : -1;
}

/* The per-host connection details (and ssh_config warnings). */
static int
explain(const irmf_inventory *inv, const char *sshcfg)
{
	irmf_collect_options o;
	char *text = NULL;

	irmf_collect_options_init(&o);
	o.ssh_config = sshcfg;
	if (irmf_collect_explain(inv, &o, 1, &text) != 0) {
		cli_error_last();
		return -1;
	}
	printf("\nConnections (value, then where it comes from):\n%s", text);
	free(text);
	return 0;
}

/* "address inv.yml:3, port default, ..." for host i. */
static void
print_sources(const irmf_inventory *inv, size_t i)
{
	static const char *const names[IRMF_INV_NFIELDS] = { "address",
	    "port", "user", "key" };

	printf("%-24s", irmf_inventory_host_name(inv, i));
	for (int f = 0; f < IRMF_INV_NFIELDS; f++) {
		const char *src = irmf_inventory_host_source(inv, i,
		    (irmf_inv_field)f);

		printf("%s%s %s", f ? ", " : " ", names[f],
		    src ? src : "default");
	}
	printf("\n");
}

static void
print_hosts(const irmf_inventory *inv, size_t *norole, size_t *noss)
{
	size_t n = irmf_inventory_count(inv);
	char roles[64];

	printf("%-24s %-24s %5s %-16s %-20s %s\n", "HOST", "ADDRESS", "PORT",
	    "USER", "KEY", "ROLES");
	for (size_t i = 0; i < n; i++) {
		unsigned r = irmf_inventory_host_roles(inv, i);
		const char *user = irmf_inventory_host_user(inv, i);
		const char *key = irmf_inventory_host_identity(inv, i);
		const char *skip = irmf_inventory_host_skip(inv, i);

		roles_text(r, roles, sizeof(roles));
		printf("%-24s %-24s %5d %-16s %-20s %s%s%s\n",
		    irmf_inventory_host_name(inv, i),
		    irmf_inventory_host_address(inv, i),
		    irmf_inventory_host_port(inv, i), user ? user : "(default)",
		    key ? key : "(default)", roles,
		    r == 0 ? "  (no role: not collected)" : "",
		    r != 0 && skip ? "  (not collected over SSH: see below)" :
		    "");
		*norole += r == 0;
		*noss += r != 0 && skip != NULL;
	}
}

int
cmd_inventory(int argc, char **argv)
{
	irmf_inventory *inv = NULL;
	size_t n, norole = 0, nossh = 0;
	const char *file, *sshcfg;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cmd_inventory_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (parse_args(argc, argv, &file, &sshcfg) != 0) {
		cmd_inventory_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = irmf_inventory_load(&inv, file)) != 0) {
		cli_error_last();
		return cli_exit_of(rc);
	}
	n = irmf_inventory_count(inv);
	print_hosts(inv, &norole, &nossh);
	printf("%zu host%s, %zu with a role", n, n == 1 ? "" : "s",
	    n - norole);
	if (nossh > 0)
		printf(", %zu of them not over SSH", nossh);
	printf(" (%s inventory)\n", irmf_inventory_format(inv));
	if (n > 0) {
		printf("\nWhere each value came from:\n");
		for (size_t i = 0; i < n; i++)
			print_sources(inv, i);
	}
	for (size_t i = 0; i < irmf_inventory_warning_count(inv); i++)
		cli_error("inventory", "warning: %s",
		    irmf_inventory_warning(inv, i));
	if (explain(inv, sshcfg) != 0) {
		irmf_inventory_free(inv);
		return CLI_EXIT_USAGE;
	}
	irmf_inventory_free(inv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("inventory", "cannot write to standard output");
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}
