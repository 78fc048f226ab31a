/* index_format.h - private: the records of the on-disk index, encoded field
 * by field (little-endian values, big-endian keys so that LMDB's byte order
 * is numeric order), each with its checksum.  doc/format-index.md is the
 * reference; this file and that one change together. */
#ifndef RETOLD_INDEX_FORMAT_H
#define RETOLD_INDEX_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include "retold/sketch.h"

#define RETOLD__IX_MAGIC        "RETOLDIX"
#define RETOLD__IX_FORMAT_LEN   136     /* bytes of the format record */
#define RETOLD__IX_STATE_LEN    56
#define RETOLD__IX_DOC_FIXED    64      /* doc record before the signatures */
#define RETOLD__IX_PIECE        990     /* text bytes per text record: four
                                           full pieces fill a 4 KiB LMDB page
                                           (4 x (2 + 8 + 12 + 990 + 4) = 4064
                                           of 4080 bytes), so texts never
                                           need overflow pages and appended
                                           pages are ~90 % full */
#define RETOLD__IX_DATE_MAX     64      /* date bytes kept in date keys */
#define RETOLD__IX_SOURCE_MAX   256     /* source bytes kept in source keys */
#define RETOLD__IX_CODEC_ZSTD   1

/* Checksums: XXH3-64 of the value's bytes seeded with XXH3-64 of the key,
 * so a record moved under another key fails too. */
uint64_t retold__ix_sum(const void *key, size_t klen, const void *val, size_t vlen);

static inline void retold__le16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static inline void retold__le32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static inline void retold__le64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static inline void retold__be16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static inline void retold__be32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (24 - 8 * i)); }
static inline void retold__be64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (56 - 8 * i)); }
static inline uint16_t retold__get_le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t retold__get_le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static inline uint64_t retold__get_le64(const unsigned char *p) { return (uint64_t)retold__get_le32(p) | (uint64_t)retold__get_le32(p + 4) << 32; }
static inline uint64_t retold__get_be64(const unsigned char *p) { uint64_t v = 0; for (int i = 0; i < 8; i++) v = v << 8 | p[i]; return v; }
static inline uint32_t retold__get_be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static inline uint16_t retold__get_be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* ---- meta "format" ---- */
typedef struct retold__ix_format {
    uint32_t version, norm_version, codec, piece;
    retold_params params;                 /* resolved */
    uint64_t created;
    char creator[17];
} retold__ix_format;

void retold__ix_format_encode(const retold__ix_format *f, unsigned char *out);
/* RETOLD_OK, RETOLD_CORRUPT (bad magic/checksum/length: msg says which) or
 * RETOLD_VERSION (a newer format: f->version says which).  The parameter
 * fields are decoded only for this format version. */
int retold__ix_format_decode(const unsigned char *v, size_t len, retold__ix_format *f,
                             char *msg, size_t cap);

/* What opening requires of a decoded format record beyond its encoding:
 * this program's normalisation version, codec and piece size, parameters
 * that retold_params_resolve accepts, and a stored LSH shape that fits the
 * signature (each view present has 1..1024 bands of rows with bands x rows
 * <= perms; absent views have none).  RETOLD_OK, or RETOLD_VERSION /
 * RETOLD_CORRUPT with msg saying why. */
int retold__ix_format_check(const retold__ix_format *f, char *msg, size_t cap);

/* ---- meta "state" ---- */
typedef struct retold__ix_state {
    uint64_t next_docno, empty_docs, text_bytes, stored_bytes, adds, removes;
} retold__ix_state;

void retold__ix_state_encode(const retold__ix_state *s, unsigned char *out);
int retold__ix_state_decode(const unsigned char *v, size_t len, retold__ix_state *s);

/* ---- docs: key docno (8 BE) ---- */
#define RETOLD__DOC_EMPTY   0x01u
#define RETOLD__DOC_SOURCE  0x02u
#define RETOLD__DOC_DATE    0x04u
#define RETOLD__DOC_LANG    0x08u
#define RETOLD__DOC_UNSIGNED(v) (0x10u << (v))   /* view v's signature is empty:
                                                   no LSH entries */

typedef struct retold__ix_doc {
    uint32_t flags;
    uint32_t nsig;                        /* signature values (nviews * k) */
    uint32_t text_len, stored_len, pieces;
    uint64_t fingerprint;
    uint32_t distinct[RETOLD_VIEW_COUNT];
    char lang_used[RETOLD_LANG_LEN];
    const unsigned char *sig;             /* nsig LE u32 (decode with sig_get) */
    const char *id, *source, *date, *lang;
    uint32_t id_len, source_len, date_len, lang_len;
} retold__ix_doc;

size_t retold__ix_doc_size(const retold__ix_doc *d);
/* Encode d (sig read from sigv) under key into out (retold__ix_doc_size). */
void retold__ix_doc_encode(const retold__ix_doc *d, const uint32_t *sigv,
                           const unsigned char key[8], unsigned char *out);
/* Decode in place (pointers into v); RETOLD_OK or RETOLD_CORRUPT. */
int retold__ix_doc_decode(const unsigned char key[8], const unsigned char *v, size_t len,
                          uint32_t nsig_expected, retold__ix_doc *d);
void retold__ix_sig_get(const retold__ix_doc *d, uint32_t *sig);

/* ---- key builders ---- */
#define RETOLD__KEY_DOC   8
#define RETOLD__KEY_TEXT  12    /* docno BE, piece BE32 */
#define RETOLD__KEY_ID    16    /* XXH3-64(id) BE, docno BE */
#define RETOLD__KEY_BAND  18    /* view * 1024 + band BE16, band hash BE64, docno BE */

uint64_t retold__ix_id_hash(const char *id, size_t len);

#endif
