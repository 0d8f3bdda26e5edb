// See include/gcm_foundation_icu_data.h for why the daemon defines Foundation's ICU data itself.
#include "gcm_foundation_icu_data.h"

// The package's bytes, 16-aligned as ICU requires of common data. GCM_FOUNDATION_ICU_DATA is the
// package's absolute path (Package.swift), so the assembler finds it from any build directory.
__asm__(
    "  .section .rodata.gcm_foundation_icu_data,\"a\",@progbits\n"
    "  .balign 16\n"
    "  .globl icudt76_dat\n"
    "  .type icudt76_dat, @object\n"
    "icudt76_dat:\n"
    "  .incbin \"" GCM_FOUNDATION_ICU_DATA "\"\n"
    "  .size icudt76_dat, . - icudt76_dat\n"
    "  .previous\n");
