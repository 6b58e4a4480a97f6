/*
 * inventory.h - the fleet as an Ansible inventory (internal side): INI,
 * YAML (with the group_vars/ and host_vars/ beside it) or the JSON of
 * `ansible-inventory --list` (docs/inventory.md).
 *
 * The public accessors are in include/irmfleet/collect.h; the engine and
 * the tests see the fields here.  A host's roles come from the groups it
 * is in (directly or through children): exchange, sharepoint, fci,
 * connector.  Connection settings come from ansible_host, ansible_port,
 * ansible_user and ansible_ssh_private_key_file (and their legacy
 * spellings), with Ansible's precedence: host_vars/ files > host vars >
 * group_vars/ files > group vars (deeper groups win, then
 * ansible_group_priority, then by name) > all.  irmfleet_irm_test_sender
 * (same precedence) names the mailbox collect runs Test-IRMConfiguration
 * -Sender with on Exchange servers.  Other variables are kept out:
 * irmfleet never reads secrets (ansible_password ...) from an inventory.
 */
#ifndef IRMF_INVENTORY_H
#define IRMF_INVENTORY_H

#include <stddef.h>

#include "irmfleet/collect.h"

/* Most hosts one inventory may describe (after [a:b] range expansion). */
#define IRMF_INVENTORY_MAX_HOSTS 100000
/* Largest inventory file accepted. */
#define IRMF_INVENTORY_MAX_BYTES ((size_t)16 * 1024 * 1024)

typedef struct irmf_inv_host {
	char *name;      /* inventory name, also the snapshot's server name */
	char *address;   /* ansible_host, else the name */
	int port;        /* ansible_port, else 22 */
	char *user;      /* ansible_user, or NULL for the default */
	char *irm_test_sender;   /* irmfleet_irm_test_sender, or NULL */
	unsigned roles;  /* IRMF_ROLE_* bits */
	size_t line;     /* line of the host's first appearance (0: JSON) */
	char *identity;  /* ansible_ssh_private_key_file, or NULL */
	/* Why the host is not collected over SSH (ansible_connection=winrm
	 * ...), or NULL: collect skips it, `inventory check` shows it. */
	char *skip;
	/* Where each value came from ("inv.yml:12", "group_vars/all.yml:3"),
	 * NULL for a default.  Other sources (an ssh_config) may fill what
	 * the inventory left NULL. */
	char *source[IRMF_INV_NFIELDS];
} irmf_inv_host;

struct irmf_inventory {
	char *name;      /* file name used in messages */
	const char *format;   /* "ini", "yaml" or "json" (static) */
	irmf_inv_host *hosts;
	size_t nhosts;
	char **warnings; /* what was read but not applied, file:line first */
	size_t nwarnings;
};

/* Parse buf[0..len); `name` is used in messages ("inv.ini:12: ...") and
 * chooses the format: ".yml"/".yaml" YAML, ".json" (or a buffer starting
 * with '{') the JSON of ansible-inventory --list, else INI.  No
 * group_vars/ or host_vars/ are read (irmf_inventory_load reads them). */
int irmf_inventory_parse(irmf_inventory **out, const char *buf, size_t len,
    const char *name);

#endif
