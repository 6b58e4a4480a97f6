/*
 * sshpattern.h - OpenSSH's host-pattern matching (match.c), shared by the
 * known_hosts checker and the ssh_config reader so both decide exactly as
 * ssh does which lines name a host: '*' any run, '?' one character,
 * '!' negation, names compared in lower case.
 */
#ifndef IRMF_SSHPATTERN_H
#define IRMF_SSHPATTERN_H

#include <stdbool.h>

/* match_pattern(): s against one pattern p (no list, no negation). */
bool irmf_sshpat_glob(const char *s, const char *p);

/* match_hostname() on a comma-separated list (patterns lowered): 1 a
 * pattern matches, -1 a negated one does (which rules the whole list
 * out), 0 none.  name must be lower case already. */
int irmf_sshpat_list(const char *name, const char *list);

#endif
