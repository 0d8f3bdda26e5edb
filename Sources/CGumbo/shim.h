#ifndef GIFTCARD_MILTER_CGUMBO_SHIM_H
#define GIFTCARD_MILTER_CGUMBO_SHIM_H

#include <stddef.h>
#include <gumbo.h>

/* Small accessors so Swift need not reach into GumboNode's union. */

static inline GumboOutput *gcm_html_parse(const char *html, size_t length) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 100; /* error bookkeeping is useless to us and costs memory on hostile input */
    return gumbo_parse_with_options(&options, html, length);
}

static inline void gcm_html_destroy(GumboOutput *output) {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
}

static inline const GumboVector *gcm_node_children(const GumboNode *node) {
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) return &node->v.element.children;
    if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
    return NULL;
}

static inline const GumboNode *gcm_vector_node(const GumboVector *vector, unsigned int index) {
    return index < vector->length ? (const GumboNode *)vector->data[index] : NULL;
}

static inline GumboTag gcm_node_tag(const GumboNode *node) {
    return (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

static inline const char *gcm_node_text(const GumboNode *node) {
    return (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA)
        ? node->v.text.text : NULL;
}

/* The value of an attribute of an element, or NULL. */
static inline const char *gcm_node_attribute(const GumboNode *node, const char *name) {
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return NULL;
    GumboAttribute *attribute = gumbo_get_attribute(&node->v.element.attributes, name);
    return attribute ? attribute->value : NULL;
}

#endif
