/*
 * errors.h - the one error convention of libirmfleet.
 *
 * Every library function returns an int: 0 (IRMF_OK) on success or one of
 * the negative codes below.  The human-readable detail (with file:line,
 * byte offset or host as context) is kept as the calling thread's "last
 * error" and read with irmf_error_last().  The collector runs hosts on
 * several threads, so the last error is thread-local, as in libgit2.
 */
#ifndef IRMFLEET_ERRORS_H
#define IRMFLEET_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum irmf_error_code {
	IRMF_OK = 0,
	IRMF_ERROR = -1,        /* generic failure */
	IRMF_EUSAGE = -2,       /* caller passed bad arguments */
	IRMF_EIO = -3,          /* file or stream I/O failed */
	IRMF_ENOMEM = -4,       /* allocation failed */
	IRMF_EPARSE = -5,       /* input is not in the expected format */
	IRMF_ESCHEMA = -6,      /* XML does not validate against the XSD */
	IRMF_ESSH = -7,         /* SSH transport failure */
	IRMF_EHOSTKEY = -8,     /* host key unknown or changed */
	IRMF_EAUTH = -9,        /* authentication refused */
	IRMF_ETIMEOUT = -10,    /* operation exceeded its deadline */
	IRMF_EDB = -11,         /* SQLite failure */
	IRMF_ENOTFOUND = -12,   /* requested object does not exist */
	IRMF_ELIMIT = -13,      /* input exceeds a size or depth bound */
	IRMF_EUNSUPPORTED = -14 /* recognised but unsupported input */
} irmf_error_code;

/* Longest message kept; longer ones are truncated with "...". */
#define IRMF_ERROR_MSG_MAX 1024

typedef struct irmf_error {
	int code;                          /* one of irmf_error_code */
	char message[IRMF_ERROR_MSG_MAX];  /* one line, no final period */
} irmf_error;

/* The calling thread's last error; never NULL.  Borrowed, valid until the
 * next library call on this thread. */
const irmf_error *irmf_error_last(void);

/* Clear the calling thread's last error. */
void irmf_error_clear(void);

/* Short stable name of a code ("parse", "io", "ssh" ...). */
const char *irmf_error_name(int code);

#ifdef __cplusplus
}
#endif
#endif
