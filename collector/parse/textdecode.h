/*
 * textdecode.h - turn raw bytes of an exported text file (reg query output,
 * .reg export, PowerShell text) into NUL-terminated UTF-8 with LF line
 * ends, and iterate over its lines.  Shared by every text parser.
 *
 * Detection order (first match wins):
 *   1. BOM: EF BB BF (UTF-8), FF FE (UTF-16LE), FE FF (UTF-16BE);
 *   2. BOM-less UTF-16: in the first 4 KiB, at least 40% of the odd (LE)
 *      or even (BE) bytes are NUL while at most 10% of the others are;
 *   3. valid UTF-8 (plain ASCII included);
 *   4. otherwise an 8-bit Windows code page via iconv.  The code page is,
 *      in order: the `codepage` argument of irmf_text_decode_cp(), the
 *      IRMFLEET_CODEPAGE environment variable, else CP1252.  CP1252 is the
 *      default because it is the ANSI code page of Western-European Windows,
 *      which REGEDIT4 files and Windows PowerShell 5 redirections use; the
 *      OEM code page of a cmd console (CP437 US, CP850 Western Europe) is
 *      ambiguous and cannot be told from the bytes, so a caller that knows
 *      it reads console output (the SSH collector, after `chcp`) passes it.
 *      A bare number ("850") means "CP850".  Bytes undefined in the code
 *      page decode to U+FFFD rather than failing the whole file.
 *
 * After decoding: a leading BOM is dropped, CRLF and lone CR become LF,
 * trailing U+0000 padding is dropped and an interior U+0000 is an error
 * (parsers work on C strings).  Inputs over IRMF_TEXT_MAX bytes fail with
 * IRMF_ELIMIT; malformed UTF-16 (unpaired surrogate, odd length) fails
 * with IRMF_EPARSE naming the file and the byte offset.
 */
#ifndef IRMF_TEXTDECODE_H
#define IRMF_TEXTDECODE_H

#include <stdbool.h>
#include <stddef.h>

/* Largest accepted input, in bytes (64 MiB). */
#define IRMF_TEXT_MAX ((size_t)64 * 1024 * 1024)

/* Encodings irmf_text_decode_cp() may report. */
typedef enum irmf_text_encoding {
	IRMF_ENC_UTF8 = 0,
	IRMF_ENC_UTF8_BOM,
	IRMF_ENC_UTF16LE,     /* with BOM */
	IRMF_ENC_UTF16BE,     /* with BOM */
	IRMF_ENC_UTF16LE_NOBOM,
	IRMF_ENC_UTF16BE_NOBOM,
	IRMF_ENC_CODEPAGE     /* 8-bit fallback */
} irmf_text_encoding;

/*
 * Decode buf[0..len) to UTF-8.  `name` (file name or host, may be NULL)
 * prefixes error messages.  On success *out is malloc'd, NUL-terminated,
 * and *out_len is its length without the NUL; on failure *out is NULL.
 */
int irmf_text_decode(const char *buf, size_t len, const char *name,
    char **out, size_t *out_len);

/* As irmf_text_decode(), with an explicit fallback code page (iconv name
 * or number; NULL = IRMFLEET_CODEPAGE or CP1252) and, if enc is not NULL,
 * the detected encoding. */
int irmf_text_decode_cp(const char *buf, size_t len, const char *name,
    const char *codepage, char **out, size_t *out_len,
    irmf_text_encoding *enc);

/*
 * Decode one string of 8-bit bytes with no detection of BOMs or UTF-16 and
 * no newline changes (REGEDIT4 hex(2)/hex(7) data): valid UTF-8 is copied,
 * anything else is converted from the fallback code page as above.
 */
int irmf_text_decode_8bit(const char *in, size_t len, const char *codepage,
    const char *name, char **out, size_t *out_len);

/* Convert len bytes of UTF-16LE (REGEDIT5 hex(2)/hex(7) data) to UTF-8.
 * Malformed input fails with IRMF_EPARSE (offset relative to in). */
int irmf_text_utf16le(const char *in, size_t len, const char *name,
    char **out, size_t *out_len);

/* Short name of an encoding ("utf-16le") for messages and tests. */
const char *irmf_text_encoding_name(irmf_text_encoding enc);

/*
 * Line iterator over decoded text (LF ends only, as produced above):
 *
 *	irmf_lines it;
 *	const char *line; size_t n;
 *	irmf_lines_init(&it, text, len);
 *	while (irmf_lines_next(&it, &line, &n))
 *		... line[0..n) without its '\n'; it.lineno is 1-based ...
 *
 * A final line without '\n' is still returned; an empty text has no lines.
 */
typedef struct irmf_lines {
	const char *p, *end;
	size_t lineno;
} irmf_lines;

void irmf_lines_init(irmf_lines *it, const char *text, size_t len);
bool irmf_lines_next(irmf_lines *it, const char **line, size_t *len);

#endif
