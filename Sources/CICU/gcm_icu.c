#include "gcm_icu.h"

#include <pthread.h>
#include <unicode/utypes.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/uidna.h>

/* Opened once; ICU documents normalize, getSkeleton, check2 and nameToASCII/Unicode through const
   pointers as thread-safe, so every milter thread shares these. */
static const UNormalizer2 *nfkc_casefold;
static const UNormalizer2 *nfd;
static USpoofChecker *spoof;
static UIDNA *idna;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_all(void) {
    UErrorCode error = U_ZERO_ERROR;
    nfkc_casefold = unorm2_getNFKCCasefoldInstance(&error);
    if (U_FAILURE(error)) nfkc_casefold = NULL;
    error = U_ZERO_ERROR;
    nfd = unorm2_getNFDInstance(&error);
    if (U_FAILURE(error)) nfd = NULL;
    error = U_ZERO_ERROR;
    spoof = uspoof_open(&error);
    if (U_SUCCESS(error)) {
        uspoof_setChecks(spoof, USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE | USPOOF_MIXED_NUMBERS, &error);
        uspoof_setRestrictionLevel(spoof, USPOOF_MODERATELY_RESTRICTIVE);
    }
    if (U_FAILURE(error)) spoof = NULL;
    error = U_ZERO_ERROR;
    idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE, &error);
    if (U_FAILURE(error)) idna = NULL;
}

static int32_t finish(UErrorCode error, int32_t length, int32_t *overflow) {
    *overflow = (error == U_BUFFER_OVERFLOW_ERROR);
    if (*overflow) return length;
    return U_FAILURE(error) ? -1 : length;
}

static int32_t normalize(const UNormalizer2 *n, const uint16_t *source, int32_t length, uint16_t *destination,
                         int32_t capacity, int32_t *overflow) {
    pthread_once(&once, open_all);
    *overflow = 0;
    if (!n) return -1;
    UErrorCode error = U_ZERO_ERROR;
    int32_t result = unorm2_normalize(n, (const UChar *)source, length, (UChar *)destination, capacity, &error);
    return finish(error, result, overflow);
}

int32_t gcm_icu_nfkc_casefold(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow) {
    pthread_once(&once, open_all);
    return normalize(nfkc_casefold, source, length, destination, capacity, overflow);
}

int32_t gcm_icu_nfd(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow) {
    pthread_once(&once, open_all);
    return normalize(nfd, source, length, destination, capacity, overflow);
}

int32_t gcm_icu_skeleton(const uint16_t *source, int32_t length, uint16_t *destination, int32_t capacity, int32_t *overflow) {
    pthread_once(&once, open_all);
    *overflow = 0;
    if (!spoof) return -1;
    UErrorCode error = U_ZERO_ERROR;
    int32_t result = uspoof_getSkeleton(spoof, 0, (const UChar *)source, length, (UChar *)destination, capacity, &error);
    return finish(error, result, overflow);
}

int gcm_icu_spoof_check(const uint16_t *source, int32_t length) {
    pthread_once(&once, open_all);
    if (!spoof) return -1;
    UErrorCode error = U_ZERO_ERROR;
    int32_t result = uspoof_check2(spoof, (const UChar *)source, length, NULL, &error);
    if (U_FAILURE(error)) return -1;
    return result != 0;
}

static int32_t convert_domain(int to_ascii, const char *name, int32_t length, char *destination, int32_t capacity, int32_t *overflow) {
    pthread_once(&once, open_all);
    *overflow = 0;
    if (!idna) return -1;
    UErrorCode error = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t result = to_ascii
        ? uidna_nameToASCII_UTF8(idna, name, length, destination, capacity, &info, &error)
        : uidna_nameToUnicodeUTF8(idna, name, length, destination, capacity, &info, &error);
    result = finish(error, result, overflow);
    if (!*overflow && info.errors != 0) return -1;
    return result;
}

int32_t gcm_icu_domain_to_ascii(const char *name, int32_t length, char *destination, int32_t capacity, int32_t *overflow) {
    return convert_domain(1, name, length, destination, capacity, overflow);
}

int32_t gcm_icu_domain_to_unicode(const char *name, int32_t length, char *destination, int32_t capacity, int32_t *overflow) {
    return convert_domain(0, name, length, destination, capacity, overflow);
}
