// Foundation's ICU with a reduced data package.
//
// Foundation, linked statically into the packaged daemon, carries a private ICU 76 whose data (34 MB of
// every locale's tables) is the one archive member that defines `icudt76_dat`. GRDB and postgres-nio
// import Foundation, so Foundation and that ICU stay linked; but the daemon never asks Foundation for a
// locale: its own text work uses Debian's ICU (CICU), its dates are ISO 8601 and epoch seconds, its
// numbers are printed by the standard library.
//
// foundation_icu_data.c defines `icudt76_dat` itself, from icudt76l.dat (4 MB: root and English, time
// zones, plural and numbering rules, normalization, core break rules, the root collation; written by
// scripts/make-foundation-icu-data from the toolchain's own package). The linker then never takes the
// full member out of the archive. ICU reads the reduced package exactly as the full one; a lookup in
// another locale falls back to root, as ICU does for any locale it has no data for.
//
// Not an empty package: Foundation does not check every ICU failure (ISO8601DateFormatter without data
// dereferences a null formatter), so what the daemon or a library might reach keeps its data.
//
// If the toolchain moves to another ICU (icudt77_dat …), this definition goes unused, the full data is
// linked again, and test_size fails; scripts/make-foundation-icu-data then writes the new package.
#ifndef GCM_FOUNDATION_ICU_DATA_H
#define GCM_FOUNDATION_ICU_DATA_H

/// Foundation's ICU data entry point, as ICU 76 names it (ICU declares it `const DataHeader`).
extern const unsigned char icudt76_dat[];

#endif
