/* inttypes.h - printf conversion macros for <stdint.h> types on x86_64
 * LP64: 8/16/32-bit types are promoted to int, 64-bit ones are long. No
 * SCN* macros: there is no scanf. */
#ifndef KEEL_INTTYPES_H
#define KEEL_INTTYPES_H

#include <stdint.h>

#define KEEL_PRI64 "l"

#define PRId8  "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 KEEL_PRI64 "d"
#define PRIi8  "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 KEEL_PRI64 "i"
#define PRIu8  "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 KEEL_PRI64 "u"
#define PRIo8  "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 KEEL_PRI64 "o"
#define PRIx8  "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 KEEL_PRI64 "x"
#define PRIX8  "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 KEEL_PRI64 "X"

#define PRIdLEAST8  PRId8
#define PRIdLEAST16 PRId16
#define PRIdLEAST32 PRId32
#define PRIdLEAST64 PRId64
#define PRIuLEAST8  PRIu8
#define PRIuLEAST16 PRIu16
#define PRIuLEAST32 PRIu32
#define PRIuLEAST64 PRIu64
#define PRIxLEAST8  PRIx8
#define PRIxLEAST16 PRIx16
#define PRIxLEAST32 PRIx32
#define PRIxLEAST64 PRIx64

/* glibc's stdint.h makes the fast 16/32-bit types long on x86_64; so does
 * gcc's, whose stdint.h is the one in use here. */
#define PRIdFAST8  PRId8
#define PRIdFAST16 KEEL_PRI64 "d"
#define PRIdFAST32 KEEL_PRI64 "d"
#define PRIdFAST64 PRId64
#define PRIuFAST8  PRIu8
#define PRIuFAST16 KEEL_PRI64 "u"
#define PRIuFAST32 KEEL_PRI64 "u"
#define PRIuFAST64 PRIu64
#define PRIxFAST8  PRIx8
#define PRIxFAST16 KEEL_PRI64 "x"
#define PRIxFAST32 KEEL_PRI64 "x"
#define PRIxFAST64 PRIx64

#define PRIdMAX KEEL_PRI64 "d"
#define PRIiMAX KEEL_PRI64 "i"
#define PRIuMAX KEEL_PRI64 "u"
#define PRIoMAX KEEL_PRI64 "o"
#define PRIxMAX KEEL_PRI64 "x"
#define PRIXMAX KEEL_PRI64 "X"

#define PRIdPTR KEEL_PRI64 "d"
#define PRIiPTR KEEL_PRI64 "i"
#define PRIuPTR KEEL_PRI64 "u"
#define PRIoPTR KEEL_PRI64 "o"
#define PRIxPTR KEEL_PRI64 "x"
#define PRIXPTR KEEL_PRI64 "X"

#endif
