/*
 * hostcfg.h - each inventory host's connection settings, resolved from
 * three sources with OpenSSH's precedence: irmfleet's command line, then
 * the inventory's variables, then the first match in the OpenSSH client
 * configuration (collector/remote/sshconfig.h), else the default.  Every
 * value remembers where it came from, for `inventory check`, and every
 * ssh_config setting irmfleet does not apply becomes a note for the host,
 * so nothing in the admin's set-up is silently ignored.
 *
 * The collect engine asks only for what to connect to (irmf_hostcfg_*
 * accessors and irmf_hostcfg_connect); the inventory readers stay
 * unaware of ssh_config.
 */
#ifndef IRMF_HOSTCFG_H
#define IRMF_HOSTCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "ssh.h"

typedef enum irmf_from {
	IRMF_FROM_DEFAULT = 0,
	IRMF_FROM_CLI,
	IRMF_FROM_INVENTORY,
	IRMF_FROM_SSHCONFIG
} irmf_from;

typedef struct irmf_origin {
	irmf_from from;
	const char *file;   /* inventory or ssh_config file, else NULL */
	size_t line;
} irmf_origin;

typedef struct irmf_hostcfg {
	const irmf_inv_host *h;
	char *address;      irmf_origin address_from;
	int port;           irmf_origin port_from;
	char *user;         irmf_origin user_from;
	char *known_hosts;  irmf_origin known_hosts_from;
	bool accept_new;    irmf_origin accept_new_from;
	unsigned connect_timeout_ms; irmf_origin timeout_from;
	bool identities_only; irmf_origin idonly_from;
	char **identity;    /* ssh_config IdentityFiles, expanded */
	irmf_origin *identity_from;
	size_t nidentity;
	char *jump_spec;    irmf_origin jump_from;
	irmf_ssh_target *hops;
	size_t nhops;
	char **notes;       /* settings read but not applied */
	size_t nnotes;
	char *refuse;       /* why the host is not connected to, or NULL */
	/* bound by irmf_hostcfgs_bind (borrowed from the set) */
	irmf_knownhosts *kh;
	irmf_ssh_auth auth;
} irmf_hostcfg;

typedef struct irmf_hostcfgs irmf_hostcfgs;

/* Resolve every host of inv with o's command-line values (o->ssh_config:
 * NULL ~/.ssh/config, "none" no file); local_user is the user when no
 * source names one.  Reads the ssh configuration, nothing else. */
int irmf_hostcfgs_new(irmf_hostcfgs **out, const irmf_inventory *inv,
    const irmf_collect_options *o, const char *local_user);
void irmf_hostcfgs_free(irmf_hostcfgs *c);

/* Host i of the inventory. */
const irmf_hostcfg *irmf_hostcfgs_get(const irmf_hostcfgs *c, size_t i);
/* Warnings about the configuration as a whole (unsupported Match). */
size_t irmf_hostcfgs_warning_count(const irmf_hostcfgs *c);
const char *irmf_hostcfgs_warning(const irmf_hostcfgs *c, size_t i);

/* For the engine: load the known_hosts files and identities the
 * configuration names (kh and auth are the run's defaults, borrowed). */
int irmf_hostcfgs_bind(irmf_hostcfgs *c, irmf_knownhosts *kh,
    const irmf_ssh_auth *auth);

/* The name and port the engine looks up: the first jump host's, else
 * the host's own. */
const char *irmf_hostcfg_dial_address(const irmf_hostcfg *hc);
int irmf_hostcfg_dial_port(const irmf_hostcfg *hc);

/* Start the session (irmf_ssh_new_via) to the addresses ai of the dial
 * name, with the credentials auth when not NULL (a key the inventory names
 * for the host, hostauth.h), else those the ssh configuration gives. */
int irmf_hostcfg_connect(const irmf_hostcfg *hc, const struct addrinfo *ai,
    const irmf_ssh_auth *auth,
    irmf_ssh **out);

/* "ssh_config /root/.ssh/config:4", "inventory inv.ini:2", "cli",
 * "default" into buf. */
const char *irmf_origin_text(const irmf_origin *o, char *buf, size_t cap);

#endif
