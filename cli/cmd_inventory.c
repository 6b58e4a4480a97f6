/*
 * cmd_inventory.c - `irmfleet inventory check FILE`: parse an Ansible INI
 * inventory and list what irmfleet understood (host, address, port, user,
 * roles), so an admin can check it before the first collect.  Hosts in no
 * role group are listed too, marked as not collected.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/collect.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"

void
cmd_inventory_usage(FILE *f)
{
	fprintf(f, "usage: irmfleet inventory check FILE\n"
	    "\n"
	    "Parse an Ansible INI inventory and list its hosts with the\n"
	    "address, port, user and roles irmfleet will use.  Role groups:\n"
	    "[exchange] [sharepoint] [fci] [connector] (also via :children).\n"
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

int
cmd_inventory(int argc, char **argv)
{
	irmf_inventory *inv = NULL;
	size_t n, norole = 0;
	int rc;
	char roles[64];

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cmd_inventory_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0) {
		cmd_inventory_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = irmf_inventory_load(&inv, argv[2])) != 0) {
		cli_error_last();
		return cli_exit_of(rc);
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
	irmf_inventory_free(inv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("inventory", "cannot write to standard output");
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}
