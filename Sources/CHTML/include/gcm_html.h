#ifndef GIFTCARD_MILTER_GCM_HTML_H
#define GIFTCARD_MILTER_GCM_HTML_H

/* The visible text and links of an HTML part, read with libxml2's HTML parser in SAX mode.
 *
 * The walk lives in C, next to the parser: a callback into Swift for every element and text run would
 * cost more than the parse itself, and no tree is built. Only plain C types cross into Swift, because
 * libxml2's headers would clash with the copy Foundation's XML support brings.
 */

#include <stddef.h>

typedef struct gcm_html_link {
    char *href;        /* as written in the href attribute (UTF-8) */
    size_t text_start; /* byte range of the link's text in gcm_html_result.text */
    size_t text_end;
} gcm_html_link;

typedef struct gcm_html_result {
    char *text;        /* visible text, UTF-8, block elements as line breaks; never NULL on success */
    size_t text_length;
    gcm_html_link *links;
    size_t link_count;
    int had_hidden_text; /* some text was inside hidden elements and left out */
} gcm_html_result;

/* Parses `length` bytes of UTF-8 HTML (any charset declared inside is ignored: the caller has already
   converted). Returns 0 and fills `result` on success; free it with gcm_html_free. */
int gcm_html_extract(const char *html, size_t length, gcm_html_result *result);
void gcm_html_free(gcm_html_result *result);

/* The same for the start of a document: the input is fed in pieces until at least `min_text` bytes of
   text have come out, or it ends (then the parse is finished and *complete is 1). The push parser hands
   out text only once the markup after it has arrived, so what comes out is what a whole parse gives
   first. */
int gcm_html_extract_prefix(const char *html, size_t length, size_t min_text, gcm_html_result *result, int *complete);

#endif
