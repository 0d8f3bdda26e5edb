#ifndef GIFTCARD_MILTER_CMILTER_SHIM_H
#define GIFTCARD_MILTER_CMILTER_SHIM_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <syslog.h>
#include <libmilter/mfapi.h>

/* Swift cannot call C variadic functions: these fixed-arity wrappers stand in for them. */

/* smfi_setmlreply with up to three text lines (NULL ends the list early). */
static inline int gcm_setmlreply(SMFICTX *ctx, const char *rcode, const char *xcode,
                                 const char *l1, const char *l2, const char *l3) {
    return smfi_setmlreply(ctx, rcode, xcode, l1, l2, l3, (char *)NULL);
}

/* syslog(3) with the message passed as data, never as a format string. */
static inline void gcm_syslog(int priority, const char *message) {
    syslog(priority, "%s", message);
}

#endif
