/*
 * fuzz_index.c - libFuzzer target: the decoders of the index's records
 * (src/index_format.c, doc/format-index.md) and the checks opening applies
 * to a decoded format record.
 *
 * Every record ends in a checksum, so random bytes stop at the checksum
 * test.  To reach the code behind it the target also plays a forger (or a
 * buggy writer): with bit 2 of byte 0 set it writes the correct checksum
 * into the record before decoding, so the fuzzer explores well-formed
 * records with arbitrary fields.
 *
 * Input layout: byte 0: bits 0-1 pick the record (0 format, 1 state, 2-3
 * doc), bit 2 fixes the checksum; for a doc record bytes 1..8 are its key
 * and byte 9 the expected signature length (0: the record's own field,
 * else byte 9 x 32); the rest is the record's value.
 *
 * Properties (abort on violation):
 * - format: status OK, CORRUPT or VERSION, with a message on failure; an
 *   accepted record is 136 bytes of a known version and encodes back to
 *   itself (but for creator bytes after a NUL); retold__ix_format_check
 *   returns OK, CORRUPT or VERSION, and when it accepts, every view present
 *   has 1..1024 bands x rows <= perms and a sketcher can be made and used
 *   with the parameters.
 * - state: accepted only at 56 bytes with its checksum; encodes back to
 *   itself.
 * - doc: status OK or CORRUPT; an accepted record has the expected
 *   signature length, retold__ix_doc_size equal to its length, every field
 *   inside it, pieces matching the stored length, and encodes back to
 *   itself (but for the reserved bytes 2-3 and 60-63 and the last byte of
 *   lang_used).
 *
 * The whole LMDB file is not fuzzed here: LMDB does not checksum its pages
 * and trusts their structure (tests/check_index.c flips bytes in copies of
 * an index and requires a status from every reader; see
 * tests/fuzz/README.md).
 *
 * retold_params_resolve calls retold_lsh_choose (an S-curve search, ~4 ms
 * under the sanitizers); as fuzz_cli.c, the target links with
 * -Wl,--wrap=retold_lsh_choose and memoises it (lsh_memo.h).
 */
#include "index_format.h"
#include "retold/error.h"
#include "retold/index.h"
#include "retold/lsh.h"
#include "retold/minhash.h"
#include "retold/sketch.h"
#include "lsh_memo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_index: %s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)


static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static int in_record(const void *p, size_t n, const unsigned char *v, size_t len)
{
    const unsigned char *q = p;
    return n == 0 || (q >= v && q <= v + len && n <= (size_t)(v + len - q));
}

static void fuzz_format(unsigned char *v, size_t len, int fix)
{
    if (fix && len >= RETOLD__IX_FORMAT_LEN)
        put_le64(v + 128, XXH3_64bits_withSeed(v, 128, XXH3_64bits("format", 6)));
    retold__ix_format f;
    char msg[256];
    msg[0] = 0;
    int rc = retold__ix_format_decode(v, len, &f, msg, sizeof msg);
    CHECK(rc == RETOLD_OK || rc == RETOLD_CORRUPT || rc == RETOLD_VERSION);
    if (rc != RETOLD_OK) {
        CHECK(msg[0] != 0 && memchr(msg, 0, sizeof msg) != NULL);
        return;
    }
    CHECK(len == RETOLD__IX_FORMAT_LEN);
    CHECK(f.version >= 1 && f.version <= RETOLD_INDEX_FORMAT_VERSION);
    CHECK(memchr(f.creator, 0, sizeof f.creator) != NULL);
    unsigned char back[RETOLD__IX_FORMAT_LEN];
    retold__ix_format_encode(&f, back);
    size_t cl = strnlen((const char *)v + 112, 16);
    int creator_tail_zero = 1;
    for (size_t i = 112 + cl; i < 128; i++) creator_tail_zero &= v[i] == 0;
    if (creator_tail_zero) CHECK(memcmp(back, v, RETOLD__IX_FORMAT_LEN) == 0);
    else CHECK(memcmp(back, v, 112) == 0);

    msg[0] = 0;
    rc = retold__ix_format_check(&f, msg, sizeof msg);
    CHECK(rc == RETOLD_OK || rc == RETOLD_CORRUPT || rc == RETOLD_VERSION);
    if (rc != RETOLD_OK) {
        CHECK(msg[0] != 0 && memchr(msg, 0, sizeof msg) != NULL);
        return;
    }
    /* what opening then relies on (src/index.c setup and the banding) */
    const retold_params *p = &f.params;
    CHECK(p->perms >= 1 && p->perms <= RETOLD_PERMS_MAX);
    CHECK(p->views & RETOLD_VIEWS_SURFACE);
    for (int w = 0; w < RETOLD_VIEW_COUNT; w++) {
        if (!((p->views >> w) & 1)) { CHECK(p->view_bands[w] == 0 && p->view_rows[w] == 0); continue; }
        CHECK(p->view_bands[w] >= 1 && p->view_bands[w] <= 1024 && p->view_rows[w] >= 1);
        CHECK((uint64_t)p->view_bands[w] * p->view_rows[w] <= p->perms);
    }
    /* a sketch with these parameters, banded with the stored shape */
    retold_sketcher *sk = retold_sketcher_new(p);
    CHECK(sk != NULL);
    static const char text[] = "The retreat from the city was announced on Wednesday by the defence "
                               "minister, who said the troops would cross to the left bank of the river.";
    size_t nsig = (size_t)retold_params_nviews(p) * p->perms;
    uint32_t *sig = malloc(nsig * sizeof *sig);
    uint64_t *bands = malloc(1024 * sizeof *bands);
    CHECK(sig && bands);
    retold_sketch_info info;
    if (retold_sketch(sk, text, sizeof text - 1, sig, &info) == RETOLD_OK) {
        for (int w = 0; w < RETOLD_VIEW_COUNT; w++) {
            int slot = retold_params_slot(p, w);
            if (slot < 0) continue;
            retold_lsh_band_hashes(sig + (size_t)slot * p->perms, p->view_bands[w], p->view_rows[w],
                                   p->seed, bands);
        }
    }
    free(bands);
    free(sig);
    retold_sketcher_free(sk);
}

static void fuzz_state(unsigned char *v, size_t len, int fix)
{
    if (fix && len >= RETOLD__IX_STATE_LEN)
        put_le64(v + 48, XXH3_64bits_withSeed(v, 48, XXH3_64bits("state", 5)));
    retold__ix_state s;
    int rc = retold__ix_state_decode(v, len, &s);
    CHECK(rc == RETOLD_OK || rc == RETOLD_CORRUPT);
    if (rc != RETOLD_OK) return;
    CHECK(len == RETOLD__IX_STATE_LEN);
    unsigned char back[RETOLD__IX_STATE_LEN];
    retold__ix_state_encode(&s, back);
    CHECK(memcmp(back, v, RETOLD__IX_STATE_LEN) == 0);
}

static void fuzz_doc(const unsigned char key[8], unsigned nsig_sel, unsigned char *v, size_t len, int fix)
{
    uint32_t expect = nsig_sel ? nsig_sel * 32u : (len >= 8 ? retold__get_le32(v + 4) : 0);
    if (fix && len >= 8) put_le64(v + len - 8, XXH3_64bits_withSeed(v, len - 8, XXH3_64bits(key, 8)));
    retold__ix_doc d;
    int rc = retold__ix_doc_decode(key, v, len, expect, &d);
    CHECK(rc == RETOLD_OK || rc == RETOLD_CORRUPT);
    if (rc != RETOLD_OK) return;
    CHECK(d.nsig == expect);
    CHECK(retold__ix_doc_size(&d) == len);
    CHECK(in_record(d.sig, 4 * (size_t)d.nsig, v, len));
    CHECK(in_record(d.id, d.id_len, v, len));
    CHECK(!d.source || in_record(d.source, d.source_len, v, len));
    CHECK(!d.date || in_record(d.date, d.date_len, v, len));
    CHECK(!d.lang || in_record(d.lang, d.lang_len, v, len));
    CHECK(memchr(d.lang_used, 0, sizeof d.lang_used) != NULL);
    CHECK(d.pieces == (d.stored_len + (uint64_t)RETOLD__IX_PIECE - 1) / RETOLD__IX_PIECE);
    uint32_t *sig = malloc((d.nsig ? d.nsig : 1) * sizeof *sig);
    unsigned char *back = malloc(len);
    CHECK(sig && back);
    retold__ix_sig_get(&d, sig);
    for (uint32_t i = 0; i < d.nsig; i++) CHECK(sig[i] == retold__get_le32(v + RETOLD__IX_DOC_FIXED + 4 * (size_t)i));
    /* encode takes the fields, not the pointers' presence: put back the
     * bytes decode leaves out (absent source/date/lang are still stored) */
    retold__ix_doc e = d;
    const unsigned char *q = v + RETOLD__IX_DOC_FIXED + 4 * (size_t)d.nsig + d.id_len;
    e.source = (const char *)q; q += d.source_len;
    e.date = (const char *)q; q += d.date_len;
    e.lang = (const char *)q;
    retold__ix_doc_encode(&e, sig, key, back);
    unsigned char *ref = malloc(len);
    CHECK(ref != NULL);
    memcpy(ref, v, len);
    memset(ref + 2, 0, 2);                          /* reserved */
    memset(ref + 60, 0, 4);                         /* reserved */
    ref[36 + RETOLD_LANG_LEN - 1] = 0;              /* lang_used's terminator */
    put_le64(ref + len - 8, XXH3_64bits_withSeed(ref, len - 8, XXH3_64bits(key, 8)));
    CHECK(memcmp(back, ref, len) == 0);
    free(ref);
    free(back);
    free(sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int kind = data[0] & 3, fix = (data[0] >> 2) & 1;
    unsigned char key[8] = {0};
    unsigned nsig_sel = 0;
    size_t skip = 1;
    if (kind >= 2) {
        if (size < 10) return 0;
        memcpy(key, data + 1, 8);
        nsig_sel = data[9];
        skip = 10;
    }
    size_t len = size - skip;
    /* a copy of exactly the record's bytes, so ASan sees any read past it */
    unsigned char *v = malloc(len ? len : 1);
    if (!v) return 0;
    if (len) memcpy(v, data + skip, len);
    if (kind == 0) fuzz_format(v, len, fix);
    else if (kind == 1) fuzz_state(v, len, fix);
    else fuzz_doc(key, nsig_sel, v, len, fix);
    free(v);
    return 0;
}
