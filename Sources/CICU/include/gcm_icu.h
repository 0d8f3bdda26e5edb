#ifndef GIFTCARD_MILTER_GCM_ICU_H
#define GIFTCARD_MILTER_GCM_ICU_H

/* A narrow C face of the system ICU for Swift.
 *
 * ICU's own headers cannot be imported next to Foundation: Foundation brings its private copy of ICU
 * (symbols prefixed swift_) whose headers define the same types differently, and Clang's modules
 * reject the clash. This header therefore exposes only plain C types; gcm_icu.c includes ICU.
 * ICU also renames its entry points per version (unorm2_normalize_72); compiling them here hides that.
 */

#include <stdint.h>

/* All functions return the output length (in UTF-16 units or bytes), or -1 on error. When the
   output does not fit, they return the needed length with *overflow set to 1. */

/* NFKC with case folding and default-ignorable code points removed (NFKC_Casefold). */
int32_t gcm_icu_nfkc_casefold(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow);

/* Canonical decomposition (NFD). */
int32_t gcm_icu_nfd(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow);

/* UTS #39 confusable skeleton. */
int32_t gcm_icu_skeleton(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow);

/* 1 when the text fails UTS #39 checks (restriction level moderately restrictive: mixed scripts such as
   Latin with Cyrillic; invisible characters; digits of several systems), 0 when it passes, -1 on error. */
int gcm_icu_spoof_check(const uint16_t *source, int32_t length);

/* UTS #46 (nontransitional) domain conversion, UTF-8 in and out. A name IDNA rejects returns -1. */
int32_t gcm_icu_domain_to_ascii(const char *name, int32_t length, char *destination, int32_t capacity, int32_t *overflow);
int32_t gcm_icu_domain_to_unicode(const char *name, int32_t length, char *destination, int32_t capacity, int32_t *overflow);

#endif
