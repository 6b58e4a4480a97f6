/*
 * inventory.h - the fleet as an Ansible INI inventory (internal side).
 *
 * The public accessors are in include/irmfleet/collect.h; the engine and
 * the tests see the fields here.  A host's roles come from the groups it
 * is in (directly or through [group:children]): exchange, sharepoint, fci,
 * connector.  Connection settings come from ansible_host, ansible_port and
 * ansible_user (and their legacy ansible_ssh_* spellings), with Ansible's
 * precedence: host vars > group vars (deeper groups win, then by name) >
 * [all:vars].  irmfleet_irm_test_sender (same precedence) names the
 * mailbox collect runs Test-IRMConfiguration -Sender with on Exchange
 * servers.  Other variables are kept out: irmfleet never reads secrets
 * (ansible_password ...) from an inventory.
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
	size_t line;     /* line of the host's first appearance */
} irmf_inv_host;

struct irmf_inventory {
	char *name;      /* file name used in messages */
	irmf_inv_host *hosts;
	size_t nhosts;
};

/* Parse buf[0..len); `name` is used in messages ("inv.ini:12: ..."). */
int irmf_inventory_parse(irmf_inventory **out, const char *buf, size_t len,
    const char *name);

#endif
