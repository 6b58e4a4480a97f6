/*
 * sshpattern.c - OpenSSH host-pattern matching (see sshpattern.h), one
 * copy for known_hosts and ssh_config.
 */
#include <ctype.h>
#include <stddef.h>

#include "sshpattern.h"

/* '[' of "[host]:port" is literal, unlike fnmatch(3). */
bool
irmf_sshpat_glob(const char *s, const char *p)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			while (p[1] == '*')
				p++;
			if (p[1] == '\0')
				return true;
			for (; *s; s++)
				if (irmf_sshpat_glob(s, p + 1))
					return true;
			return false;
		}
		if (*s == '\0' || (*p != '?' && *p != *s))
			return false;
	}
	return *s == '\0';
}

int
irmf_sshpat_list(const char *name, const char *list)
{
	char sub[1024];
	int positive = 0;

	while (*list) {
		bool neg = *list == '!';
		size_t n = 0;

		list += neg;
		for (; *list && *list != ','; list++) {
			if (n + 1 >= sizeof(sub))
				return 0;   /* as OpenSSH: too long, no match */
			sub[n++] = (char)tolower((unsigned char)*list);
		}
		sub[n] = '\0';
		if (*list == ',')
			list++;
		if (irmf_sshpat_glob(name, sub)) {
			if (neg)
				return -1;
			positive = 1;
		}
	}
	return positive;
}
