#include "gcm_html.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#define MAX_LINKS 512

typedef struct {
    char *text;
    size_t length, capacity;
    int failed;
    /* While > 0 we are inside script/style/head/title/template or a hidden element. */
    int skip_depth;
    int depth;
    int had_hidden;
    gcm_html_link *links;
    size_t link_count, link_capacity;
    /* The open <a href>: its index in links, and the depth it opened at (-1 when none). */
    long open_link;
    int open_link_depth;
} walker;

static void append(walker *w, const char *bytes, size_t n) {
    if (w->failed || n == 0) return;
    if (w->length + n + 1 > w->capacity) {
        size_t capacity = w->capacity ? w->capacity : 4096;
        while (capacity < w->length + n + 1) capacity *= 2;
        char *grown = realloc(w->text, capacity);
        if (!grown) { w->failed = 1; return; }
        w->text = grown;
        w->capacity = capacity;
    }
    memcpy(w->text + w->length, bytes, n);
    w->length += n;
    w->text[w->length] = 0;
}

/* libxml2's HTML parser reports element names in lower case. */
static int is_one_of(const xmlChar *name, const char *const *list) {
    for (; *list; list++) if (name[0] == (xmlChar)(*list)[0] && strcmp((const char *)name, *list) == 0) return 1;
    return 0;
}

static const char *const invisible_tags[] = {"script", "style", "head", "title", "template", NULL};
static const char *const block_tags[] = {
    "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th", "blockquote", "hr",
    "ul", "ol", "section", "center", "article", "header", "footer", NULL};

/* hidden attribute, or an inline style with display:none or visibility:hidden (spaces ignored). */
static int is_hidden(const xmlChar **atts) {
    if (!atts) return 0;
    for (; atts[0]; atts += 2) {
        if (strcasecmp((const char *)atts[0], "hidden") == 0) return 1;
        if (strcasecmp((const char *)atts[0], "style") == 0 && atts[1]) {
            char compact[512];
            size_t n = 0;
            for (const xmlChar *p = atts[1]; *p && n < sizeof compact - 1; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') compact[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
            compact[n] = 0;
            if (strstr(compact, "display:none") || strstr(compact, "visibility:hidden")) return 1;
        }
    }
    return 0;
}

static const xmlChar *attribute(const xmlChar **atts, const char *name) {
    if (!atts) return NULL;
    for (; atts[0]; atts += 2) if (strcasecmp((const char *)atts[0], name) == 0) return atts[1];
    return NULL;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
    walker *w = ctx;
    w->depth++;
    if (w->skip_depth > 0) { w->skip_depth++; return; }
    if (is_one_of(name, invisible_tags)) { w->skip_depth = 1; return; }
    if (is_hidden(atts)) { w->skip_depth = 1; w->had_hidden = 1; return; }
    if (is_one_of(name, block_tags)) append(w, "\n", 1);
    /* An image's alt text stands where the picture does when it is not loaded, and a title shows on
       hover: lures put their words there, out of the text a filter reads. Not inside a link, whose text
       must stay what the reader sees as the link (a logo's alt is no shown address). */
    if (w->open_link < 0 && (strcmp((const char *)name, "img") == 0 || strcmp((const char *)name, "area") == 0)) {
        const char *const shown[] = {"alt", "title"};
        for (int i = 0; i < 2; i++) {
            const xmlChar *value = attribute(atts, shown[i]);
            size_t length = value ? strlen((const char *)value) : 0;
            if (length > 0 && length < 4096) {
                append(w, " ", 1);
                append(w, (const char *)value, length);
                append(w, " ", 1);
            }
        }
    }
    if (name[0] == 'a' && name[1] == 0 && w->open_link < 0) {
        const xmlChar *href = attribute(atts, "href");
        if (href && w->link_count < MAX_LINKS) {
            if (w->link_count == w->link_capacity) {
                size_t capacity = w->link_capacity ? w->link_capacity * 2 : 16;
                gcm_html_link *grown = realloc(w->links, capacity * sizeof *grown);
                if (!grown) { w->failed = 1; return; }
                w->links = grown;
                w->link_capacity = capacity;
            }
            gcm_html_link *link = &w->links[w->link_count];
            link->href = strdup((const char *)href);
            link->text_start = link->text_end = w->length;
            w->open_link = (long)w->link_count++;
            w->open_link_depth = w->depth;
        }
    }
}

static void on_end(void *ctx, const xmlChar *name) {
    walker *w = ctx;
    if (w->open_link >= 0 && w->depth == w->open_link_depth) {
        w->links[w->open_link].text_end = w->length;
        w->open_link = -1;
    }
    w->depth--;
    if (w->skip_depth > 0) { w->skip_depth--; return; }
    if (is_one_of(name, block_tags)) append(w, "\n", 1);
}

static void on_text(void *ctx, const xmlChar *bytes, int n) {
    walker *w = ctx;
    if (w->skip_depth == 0 && n > 0) append(w, (const char *)bytes, (size_t)n);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_parser(void) { xmlInitParser(); }

int gcm_html_extract(const char *html, size_t length, gcm_html_result *result) {
    int complete = 0;
    return gcm_html_extract_prefix(html, length, (size_t)-1, result, &complete);
}

int gcm_html_extract_prefix(const char *html, size_t length, size_t min_text, gcm_html_result *result, int *complete) {
    pthread_once(&once, init_parser);
    memset(result, 0, sizeof *result);
    walker w;
    memset(&w, 0, sizeof w);
    w.open_link = -1;
    append(&w, "", 0);

    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.initialized = 1;

    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, &w, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!ctxt) return -1;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                 HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
    /* htmlParseChunk takes an int length; feed large parts in pieces (small ones when only the start's
       text is wanted, so that little more than needed is parsed). */
    size_t step = min_text == (size_t)-1 ? (1 << 20) : 4096;
    /* A first piece that usually holds enough text (each piece costs the parser a look-ahead). */
    size_t first = min_text == (size_t)-1 ? step : 2 * min_text;
    size_t offset = 0;
    while (offset < length && w.length < min_text) {
        size_t want = offset == 0 ? first : step;
        size_t piece = length - offset > want ? want : length - offset;
        htmlParseChunk(ctxt, html + offset, (int)piece, 0);
        offset += piece;
    }
    *complete = offset >= length;
    if (*complete) htmlParseChunk(ctxt, NULL, 0, 1);
    htmlFreeParserCtxt(ctxt);

    if (w.open_link >= 0) w.links[w.open_link].text_end = w.length;
    if (w.failed) {
        result->text = w.text;
        result->links = w.links;
        result->link_count = w.link_count;
        gcm_html_free(result);
        return -1;
    }
    result->text = w.text ? w.text : strdup("");
    result->text_length = w.length;
    result->links = w.links;
    result->link_count = w.link_count;
    result->had_hidden_text = w.had_hidden;
    return 0;
}

void gcm_html_free(gcm_html_result *result) {
    for (size_t i = 0; i < result->link_count; i++) free(result->links[i].href);
    free(result->links);
    free(result->text);
    memset(result, 0, sizeof *result);
}
