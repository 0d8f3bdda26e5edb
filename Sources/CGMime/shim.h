#ifndef GIFTCARD_MILTER_CGMIME_SHIM_H
#define GIFTCARD_MILTER_CGMIME_SHIM_H

#include <gmime/gmime.h>

/* GObject's type-check and cast macros do not import into Swift: these inline functions stand in. */

static inline gboolean gcm_is_text_part(GMimeObject *o) { return GMIME_IS_TEXT_PART(o); }
static inline gboolean gcm_is_part(GMimeObject *o) { return GMIME_IS_PART(o); }
static inline gboolean gcm_is_multipart(GMimeObject *o) { return GMIME_IS_MULTIPART(o); }
static inline gboolean gcm_is_message_part(GMimeObject *o) { return GMIME_IS_MESSAGE_PART(o); }
static inline GMimeTextPart *gcm_text_part(GMimeObject *o) { return GMIME_TEXT_PART(o); }
static inline GMimePart *gcm_part(GMimeObject *o) { return GMIME_PART(o); }
static inline GMimeMultipart *gcm_multipart(GMimeObject *o) { return GMIME_MULTIPART(o); }
static inline GMimeMessagePart *gcm_message_part(GMimeObject *o) { return GMIME_MESSAGE_PART(o); }
static inline GMimeObject *gcm_object_of_message(GMimeMessage *m) { return GMIME_OBJECT(m); }
static inline void gcm_unref(void *o) { if (o) g_object_unref(o); }
static inline void gcm_free(void *p) { g_free(p); }

/* The mailbox address of an InternetAddress, or NULL for a group. */
static inline const char *gcm_mailbox_addr(InternetAddress *ia) {
    return INTERNET_ADDRESS_IS_MAILBOX(ia) ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)) : NULL;
}

/* Parses a whole message from memory; NULL when GMime finds no message at all. */
static inline GMimeMessage *gcm_parse_message(const unsigned char *data, size_t length) {
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)data, length);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    return message;
}

/* The decoded (transfer-encoding undone) bytes of a leaf part's content, in a GByteArray. */
static inline GByteArray *gcm_part_decoded_bytes(GMimePart *part) {
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content) return NULL;
    GMimeStream *out = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, out);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    GByteArray *copy = g_byte_array_sized_new(bytes ? bytes->len : 0);
    if (bytes) g_byte_array_append(copy, bytes->data, bytes->len);
    g_object_unref(out);
    return copy;
}

/* The size of a leaf part's content without decoding it: base64 is counted as 3/4 of its encoded
   length (line breaks included, so a slight over-estimate); other encodings as encoded. -1 if unknown. */
static inline gint64 gcm_part_content_size(GMimePart *part) {
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content) return -1;
    GMimeStream *stream = g_mime_data_wrapper_get_stream(content);
    if (!stream) return -1;
    gint64 length = g_mime_stream_length(stream);
    if (length < 0) return -1;
    return g_mime_data_wrapper_get_encoding(content) == GMIME_CONTENT_ENCODING_BASE64 ? length * 3 / 4 : length;
}

/* Where a leaf part's content lies in the buffer the message was parsed from: the parser keeps each
   part's content as a window on that buffer (persist mode), so its bounds are byte offsets into it.
   False when the content is not such a window. */
static inline gboolean gcm_part_content_bounds(GMimePart *part, gint64 *start, gint64 *end) {
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content) return FALSE;
    GMimeStream *stream = g_mime_data_wrapper_get_stream(content);
    if (!stream || stream->bound_start < 0 || stream->bound_end < stream->bound_start) return FALSE;
    *start = stream->bound_start;
    *end = stream->bound_end;
    return TRUE;
}

/* Encodes (or, with decode set, decodes) bytes with a content transfer encoding (base64,
   quoted-printable, uuencode; others copied), as GMime's filters do. */
static inline GByteArray *gcm_transfer_code(GMimeContentEncoding encoding, const unsigned char *data, size_t length, int decode) {
    GByteArray *out;
    if (encoding != GMIME_CONTENT_ENCODING_BASE64 && encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
        encoding != GMIME_CONTENT_ENCODING_UUENCODE) {
        out = g_byte_array_sized_new(length);
        g_byte_array_append(out, data, length);
        return out;
    }
    GMimeEncoding state;
    if (decode) g_mime_encoding_init_decode(&state, encoding); else g_mime_encoding_init_encode(&state, encoding);
    out = g_byte_array_sized_new(g_mime_encoding_outlen(&state, length) + 16);
    g_byte_array_set_size(out, g_mime_encoding_outlen(&state, length) + 16);
    size_t written = g_mime_encoding_flush(&state, (const char *)data, length, (char *)out->data);
    g_byte_array_set_size(out, written);
    return out;
}

/* Converts text between charsets with GMime's charset names (aliases resolved); NULL when the text
   cannot be represented in the target charset or a charset is unknown. */
static inline GByteArray *gcm_convert(const unsigned char *data, size_t length, const char *to, const char *from) {
    gsize read = 0, written = 0;
    gchar *converted = g_convert((const gchar *)data, length, g_mime_charset_iconv_name(to),
                                 g_mime_charset_iconv_name(from), &read, &written, NULL);
    if (!converted) return NULL;
    GByteArray *out = g_byte_array_sized_new(written);
    g_byte_array_append(out, (const guint8 *)converted, written);
    g_free(converted);
    return out;
}

/* HMAC-SHA256 of data under key, as lower-case hex (free with gcm_free): GLib's, the independent
   reference MailViewTests' HMACSHA256Tests check swift-crypto's (MailView's HMACSHA256) against. */
static inline char *gcm_hmac_sha256_hex(const unsigned char *key, size_t key_length, const unsigned char *data, size_t length) {
    return g_compute_hmac_for_data(G_CHECKSUM_SHA256, key, key_length, data, length);
}

/* A part's header block (the lines after its boundary, without the blank line) as GMime writes it
   once its charset parameter and transfer encoding are set (free with gcm_free); NULL if unreadable. */
static inline char *gcm_part_headers_with(const unsigned char *block, size_t length, const char *charset,
                                          GMimeContentEncoding encoding) {
    GByteArray *bytes = g_byte_array_sized_new(length + 4);
    g_byte_array_append(bytes, block, length);
    g_byte_array_append(bytes, (const guint8 *)"\r\n\r\n", 4);
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeObject *object = g_mime_parser_construct_part(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!object) return NULL;
    char *headers = NULL;
    if (GMIME_IS_PART(object)) {
        g_mime_object_set_content_type_parameter(object, "charset", charset);
        g_mime_part_set_content_encoding(GMIME_PART(object), encoding);
        headers = g_mime_object_get_headers(object, NULL);
    }
    g_object_unref(object);
    return headers;
}

/* A Content-Type value (text/plain when NULL) with its charset parameter set, as GMime encodes it
   (free with gcm_free). */
static inline char *gcm_content_type_with_charset(const char *value, const char *charset) {
    GMimeContentType *type = g_mime_content_type_parse(NULL, value ? value : "text/plain");
    if (!type) return NULL;
    g_mime_content_type_set_parameter(type, "charset", charset);
    char *encoded = g_mime_content_type_encode(type, NULL);
    g_object_unref(type);
    return encoded;
}

#endif
