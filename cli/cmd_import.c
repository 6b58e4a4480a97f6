/*
 * cmd_import.c - `irmfleet import --server NAME [--role ROLE]... [--fqdn F]
 * --out DIR FILE...`: turn files an admin exported on one server into
 * DIR/NAME.xml.  The work (detection, parsing, merging, provenance,
 * atomic save) is in the library (include/irmfleet/import.h); this file
 * parses options, prints the library's warnings (a file of some other
 * cmdlet; areas of the server's role the files do not cover, which leave
 * the exit status 0) and maps errors to exit codes:
 *   0  snapshot written
 *   2  usage error, or an input file that is unknown, broken or missing
 *   5  runtime failure (cannot write the output, out of memory)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/errors.h"
#include "irmfleet/docimport.h"
#include "irmfleet/import.h"

static void
print_format(const char *name, const char *description, void *payload)
{
	fprintf((FILE *)payload, "  %-15s %s\n", name, description);
}

void
cmd_import_usage(FILE *f)
{
	fprintf(f, "usage: irmfleet import --server NAME [--role ROLE]... "
	    "[--fqdn FQDN] --out DIR FILE...\n"
	    "       irmfleet import --out DIR DOCUMENT|FOLDER...\n"
	    "\n"
	    "The second form reads the documents of the export script\n"
	    "(irmfleet export-script): one snapshot per server, name and roles\n"
	    "from each document; an incomplete document is reported and\n"
	    "skipped (exit 2), the others are written.\n"
	    "\n"
	    "Build the snapshot of one server from files exported on it and\n"
	    "write it to DIR/NAME.xml.  Each file's format is recognised by\n"
	    "its content; several files are merged in the order given, and\n"
	    "each is recorded as a source (name, SHA-256, format).\n"
	    "\n"
	    "  --server NAME  the server's short name (required)\n"
	    "  --role ROLE    exchange, sharepoint, fci or connector; may be\n"
	    "                 repeated; default: inferred from the files\n"
	    "  --fqdn FQDN    the server's fully qualified name\n"
	    "  --out DIR      output directory (required; created if missing)\n"
	    "\n"
	    "formats (docs/import-formats.md says how to export each):\n");
	irmf_import_formats(print_format, f);
	fprintf(f, "\nexit status: 0 written, 2 usage error or bad input "
	    "file (nothing written), 5 cannot write\n");
}

static void
warn(const char *message, void *payload)
{
	(void)payload;
	cli_error("import", "warning: %s (kept as a source, nothing taken "
	    "from it)", message);
}

/* An area the server's role normally has that the files lack: the
 * snapshot is written, but compare will not have checked that area. */
static void
gap(const char *message, void *payload)
{
	(void)payload;
	cli_error("import", "warning: %s", message);
}

static void
document_done(const char *doc, const char *written, int rc, void *payload)
{
	(void)payload;
	if (rc < 0)
		cli_error("import", "%s (not imported)",
		    irmf_error_last()->message);
	else
		printf("%s: imported from %s\n", written, doc);
}

/* `import --out DIR DOC|FOLDER...`: export documents (export-script). */
static int
import_documents(const irmf_import_options *opts, int n, char **paths,
    const char *out)
{
	int rc = irmf_import_documents((const char *const *)paths, (size_t)n,
	    out, opts, document_done, NULL);

	if (rc < 0) {
		cli_error("import", "%s", irmf_error_last()->message);
		return cli_exit_of(rc);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		return CLI_EXIT_FAILED;
	return rc > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "role", required_argument, NULL, 'r' },
		{ "fqdn", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	irmf_import_options opts = { 0 };
	const char *out = NULL;
	char *written = NULL;
	irmf_role role;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:r:f:o:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			opts.server = optarg;
			break;
		case 'r':
			if (irmf_role_parse(optarg, &role) < 0) {
				cli_error("import", "%s",
				    irmf_error_last()->message);
				return CLI_EXIT_USAGE;
			}
			opts.roles |= (unsigned)role;
			break;
		case 'f':
			opts.fqdn = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			cmd_import_usage(stdout);
			return CLI_EXIT_OK;
		default:
			cli_error("import", "unknown option or missing value "
			    "'%s'", argv[optind - 1]);
			cmd_import_usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	opts.warn = warn;
	opts.gap = gap;
	/* no --server: export documents, which name their server */
	if (opts.server == NULL && out != NULL && optind < argc)
		return import_documents(&opts, argc - optind, argv + optind,
		    out);
	if (opts.server == NULL || out == NULL || optind >= argc) {
		cli_error("import", "%s", opts.server == NULL ? "--server NAME "
		    "is required" : out == NULL ? "--out DIR is required" :
		    "no files to import");
		cmd_import_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	rc = irmf_import_to_dir(&opts, (const char *const *)argv + optind,
	    (size_t)(argc - optind), out, &written);
	if (rc < 0) {
		cli_error("import", "%s (nothing written)",
		    irmf_error_last()->message);
		return cli_exit_of(rc);
	}
	printf("%s: %d file%s imported\n", written, argc - optind,
	    argc - optind == 1 ? "" : "s");
	free(written);
	if (fflush(stdout) != 0 || ferror(stdout))
		return CLI_EXIT_FAILED;
	return CLI_EXIT_OK;
}
