/*
 * xmlwrite.c - XML out: serializing a tree to memory
 * (irmf_xml_to_buffer), the streaming writer snapshots are written with
 * (irmf_xml_writer_*), and the check that a string can be carried by XML
 * 1.0 at all (irmf_xml_text_ok; what cannot goes base64).
 *
 * The writer escapes exactly as the tree serializer does, so a snapshot's
 * bytes do not depend on which of the two produced it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "error.h"
#include "xmlutil.h"
#include "xmlutil_int.h"

/* ------------------------------------------------------------ output */

int
irmf_xml_to_buffer(xmlDocPtr doc, char **out, size_t *out_len)
{
	xmlChar *mem = NULL;
	int size = 0;
	struct sink s;

	*out = NULL;
	*out_len = 0;
	xmlu_sink_begin(&s, "(output)", NULL, NULL);
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	xmlu_sink_end(&s);
	if (mem == NULL || size < 0)
		return s.nerrors ? xmlu_sink_fail(&s, IRMF_ERROR, "") :
		    irmf_error_oom();
	/* hand out memory from our allocator, not libxml2's */
	if ((*out = malloc((size_t)size + 1)) == NULL) {
		xmlFree(mem);
		return irmf_error_oom();
	}
	memcpy(*out, mem, (size_t)size);
	(*out)[size] = '\0';
	*out_len = (size_t)size;
	xmlFree(mem);
	return IRMF_OK;
}

/* ------------------------------------------------------------ writer */

/* xmlTextWriter into a growing buffer.  Its own escaping differs from the
 * tree serializer's (xmlTextWriterWriteString turns '"' in text into
 * &quot;, and with no document it writes non-ASCII attribute characters
 * as &#x..;), and snapshots must keep their exact bytes, so values are
 * escaped with the serializer's own routines - xmlAttrSerializeTxtContent
 * against a document whose encoding is UTF-8, xmlEncodeEntitiesReentrant
 * for text - and handed to the writer raw. */
struct irmf_xml_writer {
	xmlTextWriterPtr tw;
	xmlDocPtr enc_doc;      /* empty; only its encoding is used */
	xmlBufferPtr scratch;   /* one escaped attribute value */
	char *buf;
	size_t len, cap;
	int rc;                 /* first failure; later calls do nothing */
	struct sink s;
	int sink_on;
};

static int
writer_io_write(void *ctx, const char *data, int n)
{
	irmf_xml_writer *w = ctx;
	size_t cap = w->cap ? w->cap : 65536;
	char *nb;

	if (n < 0)
		return -1;
	while (cap - w->len <= (size_t)n)
		cap *= 2;
	if (cap != w->cap) {
		if ((nb = realloc(w->buf, cap)) == NULL)
			return -1;
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, (size_t)n);
	w->len += (size_t)n;
	return n;
}

static int
writer_io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* A libxml2 writer call failed: with our own sink and valid call order
 * this only happens when memory runs out. */
static int
writer_check(irmf_xml_writer *w, int lrc)
{
	if (lrc < 0 && w->rc == 0)
		w->rc = irmf_error_oom();
	return w->rc;
}

static void
writer_sink_off(irmf_xml_writer *w)
{
	if (w->sink_on)
		xmlu_sink_end(&w->s);
	w->sink_on = 0;
}

int
irmf_xml_writer_new(irmf_xml_writer **out)
{
	irmf_xml_writer *w;
	xmlOutputBufferPtr ob;

	if ((*out = w = calloc(1, sizeof(*w))) == NULL)
		return irmf_error_oom();
	xmlu_sink_begin(&w->s, "(output)", NULL, NULL);
	w->sink_on = 1;
	if ((w->enc_doc = xmlNewDoc((const xmlChar *)"1.0")) == NULL ||
	    (w->enc_doc->encoding = xmlStrdup((const xmlChar *)"UTF-8")) ==
	    NULL || (w->scratch = xmlBufferCreate()) == NULL)
		goto oom;
	if ((ob = xmlOutputBufferCreateIO(writer_io_write, writer_io_close, w,
	    NULL)) == NULL)
		goto oom;
	if ((w->tw = xmlNewTextWriter(ob)) == NULL) {
		xmlOutputBufferClose(ob);
		goto oom;
	}
	/* the tree serializer's format=1 layout: two spaces a level.  The
	 * declaration is written as is rather than with StartDocument, which
	 * would install a UTF-8 to UTF-8 encoder that copies every byte once
	 * more: what is written is UTF-8 already (irmf_xml_text_ok). */
	if (xmlTextWriterSetIndent(w->tw, 1) < 0 ||
	    xmlTextWriterSetIndentString(w->tw, (const xmlChar *)"  ") < 0 ||
	    xmlTextWriterWriteRaw(w->tw, (const xmlChar *)"<?xml version="
	    "\"1.0\" encoding=\"UTF-8\"?>\n") < 0)
		goto oom;
	return IRMF_OK;
oom:
	irmf_xml_writer_free(w);
	*out = NULL;
	return irmf_error_oom();
}

int
irmf_xml_writer_start(irmf_xml_writer *w, const char *name)
{
	if (w->rc < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterStartElement(w->tw,
	    (const xmlChar *)name));
}

int
irmf_xml_writer_attr(irmf_xml_writer *w, const char *name, const char *value)
{
	const xmlChar *raw = (const xmlChar *)value;
	int n;

	if (w->rc < 0)
		return w->rc;
	/* nothing the serializer would escape: write it as it is */
	if (strpbrk(value, "<>&\"\n\r\t") != NULL) {
		xmlBufferEmpty(w->scratch);
		xmlAttrSerializeTxtContent(w->scratch, w->enc_doc, NULL, raw);
		raw = xmlBufferContent(w->scratch);
	}
	n = raw ? (int)strlen((const char *)raw) : -1;
	if (writer_check(w, n) < 0 ||
	    writer_check(w, xmlTextWriterStartAttribute(w->tw,
	    (const xmlChar *)name)) < 0 ||
	    writer_check(w, xmlTextWriterWriteRawLen(w->tw, raw, n)) < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterEndAttribute(w->tw));
}

int
irmf_xml_writer_text(irmf_xml_writer *w, const char *text)
{
	xmlChar *esc = NULL;
	int rc;

	if (w->rc < 0 || *text == '\0')
		return w->rc;
	if (strpbrk(text, "<>&\r") == NULL)
		return writer_check(w, xmlTextWriterWriteRaw(w->tw,
		    (const xmlChar *)text));
	if ((esc = xmlEncodeEntitiesReentrant(w->enc_doc,
	    (const xmlChar *)text)) == NULL)
		return writer_check(w, -1);
	rc = writer_check(w, xmlTextWriterWriteRaw(w->tw, esc));
	xmlFree(esc);
	return rc;
}

int
irmf_xml_writer_end(irmf_xml_writer *w)
{
	if (w->rc < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterEndElement(w->tw));
}

int
irmf_xml_writer_finish(irmf_xml_writer *w, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (w->rc < 0)
		return w->rc;
	if (writer_check(w, xmlTextWriterEndDocument(w->tw)) < 0)
		return w->rc;
	/* closing flushes the last bytes into w->buf */
	xmlFreeTextWriter(w->tw);
	w->tw = NULL;
	writer_sink_off(w);
	if (w->len == w->cap && writer_io_write(w, "", 0) < 0)
		return w->rc = irmf_error_oom();
	if (w->buf == NULL && (w->buf = malloc(1)) == NULL)
		return w->rc = irmf_error_oom();
	w->buf[w->len] = '\0';
	*out = w->buf;
	*out_len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return IRMF_OK;
}

void
irmf_xml_writer_free(irmf_xml_writer *w)
{
	if (w == NULL)
		return;
	xmlFreeTextWriter(w->tw);
	xmlBufferFree(w->scratch);
	xmlFreeDoc(w->enc_doc);
	writer_sink_off(w);
	free(w->buf);
	free(w);
}

/* ------------------------------------------------------------ text */

/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
static size_t
utf8_next(const unsigned char *p, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	/* reject overlong forms */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000))
		return 0;
	*cp = c;
	return n;
}

int
irmf_xml_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t n;

	while (*p) {
		if ((n = utf8_next(p, &c)) == 0)
			return 0;
		/* XML 1.0 Char production */
		if (!(c == 0x9 || c == 0xA || c == 0xD ||
		    (c >= 0x20 && c <= 0xD7FF) ||
		    (c >= 0xE000 && c <= 0xFFFD) ||
		    (c >= 0x10000 && c <= 0x10FFFF)))
			return 0;
		p += n;
	}
	return 1;
}
