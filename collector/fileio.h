/*
 * fileio.h - bounded whole-file reads and atomic whole-file writes, used
 * for every file irmfleet reads as input or writes as output (snapshots,
 * reports).  Nothing here knows about any file format.
 */
#ifndef IRMF_FILEIO_H
#define IRMF_FILEIO_H

#include <stddef.h>

/* Read a whole file into a malloc'd NUL-terminated buffer (*out_len does
 * not count the NUL).  Errors: IRMF_ENOTFOUND (no such file), IRMF_EIO,
 * IRMF_ELIMIT (more than `limit` bytes). */
int irmf_file_read(const char *path, size_t limit, char **out,
    size_t *out_len);

/* Write `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename over path, fsync of the directory.  On any
 * failure the temporary file is removed and path is left as it was. */
int irmf_file_write_atomic(const char *path, const void *buf, size_t len);

#endif
