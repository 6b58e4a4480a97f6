/*
 * cmd_inventory.c - `irmfleet inventory check FILE`: parse an Ansible INI
 * inventory and list what irmfleet understood (host, address, port, user,
 * roles), so an admin can check it before the first collect.  Hosts in no
 * role group are listed too, marked as not collected.  Then, per host,
 * the connection collect will make and where each value comes from (the
 * inventory, ~/.ssh/config or -F FILE, the defaults), with what the ssh
 * configuration sets that irmfleet does not apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/collect.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: irmfleet inventory check [-F SSH_CONFIG] FILE\n"
	    "\n"
	    "Parse an Ansible INI inventory and list its hosts with the\n"
	    "address, port, user and roles irmfleet will use.  Role groups:\n"
	    "[exchange] [sharepoint] [fci] [connector] (also via :children).\n"
	    "Then for each host the connection collect makes (with the\n"
	    "OpenSSH client configuration: ~/.ssh/config, or -F FILE, or\n"
	    "-F none) and where each value comes from.\n"
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

int
cmd_inventory(int argc, char **argv)
{
	irmf_inventory *inv = NULL;
	size_t n, norole = 0;
	char roles[64];
	const char *file, *sshcfg;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (parse_args(argc, argv, &file, &sshcfg) != 0) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (irmf_inventory_load(&inv, file) != 0) {
		cli_error_last();
		return CLI_EXIT_USAGE;
	}
	n = irmf_inventory_count(inv);
	printf("%-24s %-24s %5s %-16s %s\n", "HOST", "ADDRESS", "PORT", "USER",
	    "ROLES");
	for (size_t i = 0; i < n; i++) {
		unsigned r = irmf_inventory_host_roles(inv, i);
		const char *user = irmf_inventory_host_user(inv, i);

		roles_text(r, roles, sizeof(roles));
		printf("%-24s %-24s %5d %-16s %s%s\n",
		    irmf_inventory_host_name(inv, i),
		    irmf_inventory_host_address(inv, i),
		    irmf_inventory_host_port(inv, i), user ? user : "(default)",
		    roles, r ? "" : "  (no role: not collected)");
		norole += r == 0;
	}
	printf("%zu host%s, %zu with a role\n", n, n == 1 ? "" : "s", n - norole);
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
