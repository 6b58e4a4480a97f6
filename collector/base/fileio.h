/*
 * fileio.h - bounded whole-file reads and atomic whole-file writes, used
 * for every file irmfleet reads as input or writes as output (snapshots,
 * reports).  Nothing here knows about any file format.
 */
#ifndef IRMF_FILEIO_H
#define IRMF_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Read a whole file into a malloc'd NUL-terminated buffer (*out_len does
 * not count the NUL).  Errors: IRMF_ENOTFOUND (no such file), IRMF_EIO,
 * IRMF_ELIMIT (more than `limit` bytes).  Only regular files (or
 * symlinks to them) are read: a FIFO, device or directory is IRMF_EIO,
 * at once (a FIFO is opened without waiting for a writer). */
int irmf_file_read(const char *path, size_t limit, char **out,
    size_t *out_len);

/* Why a file of this st_mode is not read as input: "is a directory",
 * "not a regular file (a FIFO)", ... (static string). */
const char *irmf_file_kind(unsigned mode);

/* Write `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename over path, fsync of the directory.  On any
 * failure the temporary file is removed and path is left as it was.
 * Only a regular file is replaced so: a symlink to one has its target
 * replaced (the link stays), a device, FIFO or terminal (/dev/null,
 * /dev/stdout) is written in place, a directory is an error. */
int irmf_file_write_atomic(const char *path, const void *buf, size_t len);

/* Remove the temporary files (".NAME.tmp-PID-N") that writers killed
 * mid-write left in dir: only those whose process is gone, never a live
 * writer's.  Best effort; returns how many were removed.  Called once
 * per run by the commands that write into a directory (not per file: a
 * collect writes thousands). */
int irmf_file_clean_stale(const char *dir);
/* The same for the directory path is in. */
int irmf_file_clean_stale_beside(const char *path);

/* Write a report to path atomically: render(ctx, f) writes it into memory
 * first, so a failed rendering leaves an existing file as it was; then
 * stale temporary files beside path are cleaned and the bytes written with
 * irmf_file_write_atomic.  render returns IRMF_OK or an error code. */
int irmf_file_write_rendered(const char *path,
    int (*render)(void *ctx, FILE *f), void *ctx);

#endif
