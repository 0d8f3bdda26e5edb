/* Reference milters for scripts/bench-postfix: the floor giftcard-milter is measured against.
 *
 *   reference-milter null    SOCKET   accepts everything, asks for nothing beyond the body
 *   reference-milter replace SOCKET   buffers the body and replaces it with itself at end of message
 *
 * Both negotiate like giftcard-milter (headers and body seen, HELO/DATA/unknown skipped), so the
 * difference in messages per second is what giftcard-milter's own work costs. */
#include <libmilter/mfapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int replace_body = 0;

struct buffer { unsigned char *data; size_t length, capacity; };

static sfsistat on_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
                             unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3) {
    *pf0 = SMFIF_ADDHDRS | SMFIF_CHGHDRS | (replace_body ? SMFIF_CHGBODY : 0);
    *pf1 = (SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOUNKNOWN) & f1;
    *pf2 = 0; *pf3 = 0;
    return SMFIS_CONTINUE;
}

static struct buffer *buffer_of(SMFICTX *ctx) {
    struct buffer *b = smfi_getpriv(ctx);
    if (!b) { b = calloc(1, sizeof *b); smfi_setpriv(ctx, b); }
    return b;
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value) { return SMFIS_CONTINUE; }

static sfsistat on_body(SMFICTX *ctx, unsigned char *chunk, size_t length) {
    if (!replace_body) return SMFIS_CONTINUE;
    struct buffer *b = buffer_of(ctx);
    if (b->length + length > b->capacity) {
        size_t capacity = (b->length + length) * 2;
        unsigned char *grown = realloc(b->data, capacity);
        if (!grown) return SMFIS_TEMPFAIL;
        b->data = grown; b->capacity = capacity;
    }
    memcpy(b->data + b->length, chunk, length);
    b->length += length;
    return SMFIS_CONTINUE;
}

static sfsistat on_eom(SMFICTX *ctx) {
    smfi_insheader(ctx, 0, "X-Reference-Milter", replace_body ? "replace" : "null");
    if (replace_body) {
        struct buffer *b = buffer_of(ctx);
        for (size_t offset = 0; offset < b->length; offset += 65536) {
            size_t n = b->length - offset < 65536 ? b->length - offset : 65536;
            smfi_replacebody(ctx, b->data + offset, (int)n);
        }
        b->length = 0;
    }
    return SMFIS_CONTINUE;
}

static sfsistat on_close(SMFICTX *ctx) {
    struct buffer *b = smfi_getpriv(ctx);
    if (b) { free(b->data); free(b); smfi_setpriv(ctx, NULL); }
    return SMFIS_CONTINUE;
}

static sfsistat on_abort(SMFICTX *ctx) {
    struct buffer *b = smfi_getpriv(ctx);
    if (b) b->length = 0;
    return SMFIS_CONTINUE;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s null|replace SOCKET\n", argv[0]); return 64; }
    replace_body = strcmp(argv[1], "replace") == 0;
    struct smfiDesc desc = {
        "reference-milter", SMFI_VERSION, SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY,
        NULL, NULL, NULL, NULL, on_header, NULL, on_body, on_eom, on_abort, on_close, NULL, NULL, on_negotiate,
    };
    if (smfi_setconn(argv[2]) == MI_FAILURE || smfi_register(desc) == MI_FAILURE) return 1;
    smfi_settimeout(300);
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
