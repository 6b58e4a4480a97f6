/*
 * sshconfig.h - the part of an OpenSSH client configuration (ssh_config(5),
 * ~/.ssh/config) that decides where and how collect connects: Host and
 * Match host/all blocks, HostName, User, Port, IdentityFile,
 * IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking,
 * ConnectTimeout, ProxyJump and Include.
 *
 * Admins already describe their servers there; reading it means an alias
 * that works with ssh works with irmfleet.  As ssh does, the first value
 * obtained for a keyword wins (IdentityFile accumulates).  Keywords that
 * change which server or key is trusted and that irmfleet does not
 * implement (ProxyCommand, HostKeyAlias, ...) are returned per host so the
 * caller reports them instead of silently connecting differently from ssh.
 * A Match line with a criterion other than host/all is a warning (named
 * file:line) and its block never applies.  Values are checked when the
 * file is read: a bad one is an error naming file:line.
 */
#ifndef IRMF_SSHCONFIG_H
#define IRMF_SSHCONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct irmf_sshcfg irmf_sshcfg;

/* Where relative Include paths and ~ point: ssh_dir is ~/.ssh, home the
 * local user's home directory. */
typedef struct irmf_sshcfg_env {
	const char *home;
	const char *ssh_dir;
} irmf_sshcfg_env;

/* Includes nested deeper than this are an error (OpenSSH's limit). */
#define IRMF_SSHCFG_MAX_DEPTH 16
/* Largest configuration file read. */
#define IRMF_SSHCFG_MAX_BYTES ((size_t)4 * 1024 * 1024)

/* Read path.  must_exist false: a missing file is an empty configuration
 * (the default ~/.ssh/config); true: it is an error (-F FILE). */
int irmf_sshcfg_load(irmf_sshcfg **out, const char *path, bool must_exist,
    const irmf_sshcfg_env *env);
/* Parse buf[0..len) read from `name` (Include still reads files). */
int irmf_sshcfg_parse(irmf_sshcfg **out, const char *buf, size_t len,
    const char *name, const irmf_sshcfg_env *env);
void irmf_sshcfg_free(irmf_sshcfg *c);

/* Warnings found while reading ("config:7: Match exec is not supported;
 * the block is ignored"). */
size_t irmf_sshcfg_warning_count(const irmf_sshcfg *c);
const char *irmf_sshcfg_warning(const irmf_sshcfg *c, size_t i);

/* One value and the line it came from (value NULL: not set).  Strings
 * are owned by the configuration. */
typedef struct irmf_sshcfg_val {
	const char *value;
	const char *file;
	size_t line;
	const char *keyword;   /* as spelt in ssh_config(5) */
} irmf_sshcfg_val;

/* The settings that apply to one host, in the order obtained. */
typedef struct irmf_sshcfg_host {
	irmf_sshcfg_val hostname, user, port, identities_only, known_hosts,
	    strict, connect_timeout, proxyjump;
	irmf_sshcfg_val *identity;      /* every IdentityFile, in order */
	size_t nidentity;
	irmf_sshcfg_val *unsupported;   /* value: the keyword's argument */
	size_t nunsupported;
} irmf_sshcfg_host;

/* The settings for host (the name given: inventory name or alias).  A
 * NULL configuration gives an empty result. */
int irmf_sshcfg_lookup(const irmf_sshcfg *c, const char *host,
    irmf_sshcfg_host *out);
void irmf_sshcfg_host_clear(irmf_sshcfg_host *h);

/* Values for the % tokens of IdentityFile and UserKnownHostsFile (%d %u
 * %h %r %n %p %%); HostName knows only %h and %%. */
typedef struct irmf_sshcfg_tokens {
	const char *home;       /* %d, and ~ at the start */
	const char *local_user; /* %u */
	const char *host;       /* %h: the host name after HostName */
	const char *remote_user;/* %r */
	const char *alias;      /* %n: the name as given */
	int port;               /* %p */
} irmf_sshcfg_tokens;

/* Expand ~ and the tokens of s into *out (malloc'd); an unknown token is
 * an error naming `where` ("config:5"). */
int irmf_sshcfg_expand(const char *s, const irmf_sshcfg_tokens *t,
    bool hostname_only, const char *where, char **out);

/* One ProxyJump hop: [user@]host[:port] or ssh://[user@]host[:port]. */
typedef struct irmf_sshcfg_hop {
	char *user;   /* NULL when not given */
	char *host;
	int port;     /* 0 when not given */
} irmf_sshcfg_hop;

/* Split a ProxyJump value ("none" gives no hop); errors name where. */
int irmf_sshcfg_parse_jumps(const char *spec, const char *where,
    irmf_sshcfg_hop **hops, size_t *n);
void irmf_sshcfg_hops_free(irmf_sshcfg_hop *hops, size_t n);

#endif
