/*
 * xmlsniff.h - cheap look at the start of an XML file to tell formats
 * apart without parsing it (used by the *_sniff functions of the XML
 * based importers).  Works on UTF-8 (with or without BOM) and UTF-16LE/BE
 * (with BOM, or without when the file starts with '<').
 */
#ifndef IRMF_XMLSNIFF_H
#define IRMF_XMLSNIFF_H

#include <stddef.h>

/* Bytes of the input looked at. */
#define IRMF_XMLSNIFF_WINDOW 8192

/* Copy the start of buf into out (NUL-terminated, at most cap-1 chars),
 * narrowed to one byte per character: UTF-16 code units are decoded,
 * anything outside ASCII becomes '?'.  A UTF-8 BOM is dropped.  Returns
 * the length written. */
size_t irmf_xml_sniff_prefix(const char *buf, size_t len, char *out,
    size_t cap);

/* In a narrowed prefix, the '<' of the first element start tag, after
 * whitespace, the XML declaration, comments, processing instructions and
 * a DOCTYPE; NULL if there is none in the prefix. */
const char *irmf_xml_sniff_first_tag(const char *p);

/* True if the tag at p ("<Name ...") has exactly the element name
 * `name` (followed by whitespace, '>' or '/'). */
int irmf_xml_sniff_tag_is(const char *p, const char *name);

#endif
