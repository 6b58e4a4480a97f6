/*
 * uncollected.c - what compare says about a collect directory whose run
 * did not finish: the hosts its run-state file lists that have no
 * snapshot (a killed run, say) are named on stderr, so that a comparison
 * of the hosts that are there does not pass for one of the whole fleet.
 * Kept apart from cmd_compare.c, which only calls cli_uncollected().
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "irmfleet/collect.h"

size_t
cli_uncollected(int argc, char **argv, int first)
{
	size_t total = 0;

	for (int i = first; i < argc; i++) {
		struct stat st;
		char **names = NULL;
		size_t n = 0;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (irmf_collect_state_missing(argv[i], &names, &n) != 0) {
			cli_error_last();
			total++;   /* cannot tell: not a complete comparison */
			continue;
		}
		for (size_t j = 0; j < n; j++)
			cli_error("compare", "%s: host '%s' not collected: the "
			    "collect run in this directory did not finish it "
			    "(see %s; irmfleet collect --retry-failed resumes)",
			    argv[i], names[j], IRMF_COLLECT_STATE_FILE);
		total += n;
		irmf_collect_names_free(names);
	}
	return total;
}
