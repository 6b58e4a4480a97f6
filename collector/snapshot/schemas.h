/*
 * schemas.h - the XML schemas built into the library (the .xsd files of schemas/,
 * turned into a C array at build time by cmake/embed-schemas.cmake), so
 * that an installed irmfleet validates snapshots without knowing where
 * its schema files went.  xmlutil.c uses them unless IRMFLEET_SCHEMA_DIR
 * names a directory to read them from instead.
 */
#ifndef IRMF_SCHEMAS_H
#define IRMF_SCHEMAS_H

#include <stddef.h>

/* The bytes of the schema file `name` ("snapshot.xsd") and their length,
 * or NULL when no schema of that name was built in.  Static data. */
const char *irmf_schema_embedded(const char *name, size_t *len);

#endif
