/* giftcard-pdftext: the text of one PDF, for giftcard-milter, in a process of its own.
 *
 * Reads a PDF from standard input (at most 16 MB) and writes the text of its first 20 pages to standard
 * output (at most 256 KB), then exits 0; any failure exits non-zero. PDF parsing is a large attack
 * surface, so it runs here rather than in the milter: the milter starts this helper with a deadline and
 * kills it when it passes, and the helper limits itself before it reads a byte (address space, CPU time,
 * descriptors, no core dump, no new privileges). A hostile PDF can only cost its own text.
 *
 * Poppler's GLib API reads the PDF (libpoppler-glib, Debian's poppler 22.12). */
#include <poppler.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

enum { INPUT_LIMIT = 16 << 20, OUTPUT_LIMIT = 256 << 10, PAGE_LIMIT = 20 };

static void limit(int resource, rlim_t value) {
    struct rlimit l = {value, value};
    setrlimit(resource, &l);
}

static int write_all(const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, bytes, length);
        if (n < 0) { if (errno == EINTR) continue; return -1; }
        bytes += n;
        length -= (size_t)n;
    }
    return 0;
}

int main(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    limit(RLIMIT_AS, (rlim_t)768 << 20);
    limit(RLIMIT_CPU, 5);
    limit(RLIMIT_CORE, 0);
    limit(RLIMIT_NOFILE, 16);

    char *input = malloc(INPUT_LIMIT);
    if (!input) return 2;
    size_t length = 0;
    for (;;) {
        if (length == INPUT_LIMIT) return 3; /* larger than the milter ever sends */
        ssize_t n = read(STDIN_FILENO, input + length, INPUT_LIMIT - length);
        if (n < 0) { if (errno == EINTR) continue; return 2; }
        if (n == 0) break;
        length += (size_t)n;
    }
    GBytes *bytes = g_bytes_new_take(input, length);
    GError *error = NULL;
    PopplerDocument *document = poppler_document_new_from_bytes(bytes, NULL, &error);
    if (!document) {
        if (error) g_error_free(error);
        return 4;
    }
    int pages = poppler_document_get_n_pages(document);
    size_t written = 0;
    for (int i = 0; i < pages && i < PAGE_LIMIT && written < OUTPUT_LIMIT; i++) {
        PopplerPage *page = poppler_document_get_page(document, i);
        if (!page) continue;
        char *text = poppler_page_get_text(page);
        if (text) {
            size_t n = strlen(text);
            if (n > OUTPUT_LIMIT - written) n = OUTPUT_LIMIT - written;
            if (write_all(text, n) != 0 || write_all("\n", 1) != 0) return 5;
            written += n + 1;
            g_free(text);
        }
        g_object_unref(page);
    }
    g_object_unref(document);
    g_bytes_unref(bytes);
    return 0;
}
