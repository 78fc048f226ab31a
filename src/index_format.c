/* index_format.c - encoding and decoding of the index's records (see
 * index_format.h and doc/format-index.md). */
#include "index_format.h"
#include "retold/error.h"
#include "retold/index.h"
#include "retold/relation.h"

#include <stdio.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t retold__ix_sum(const void *key, size_t klen, const void *val, size_t vlen)
{
    return XXH3_64bits_withSeed(val, vlen, XXH3_64bits(key, klen));
}

uint64_t retold__ix_id_hash(const char *id, size_t len)
{
    return XXH3_64bits(id, len);
}

static void put_f64(unsigned char *p, double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);              /* IEEE-754 binary64 bits */
    retold__le64(p, u);
}

static double get_f64(const unsigned char *p)
{
    uint64_t u = retold__get_le64(p);
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static const unsigned char format_key[] = "format";
static const unsigned char state_key[] = "state";

void retold__ix_format_encode(const retold__ix_format *f, unsigned char *o)
{
    const retold_params *p = &f->params;
    memset(o, 0, RETOLD__IX_FORMAT_LEN);
    memcpy(o, RETOLD__IX_MAGIC, 8);
    retold__le32(o + 8, f->version);
    retold__le32(o + 12, f->norm_version);
    retold__le32(o + 16, p->ngram);
    retold__le32(o + 20, p->char_ngram);
    retold__le32(o + 24, p->perms);
    retold__le32(o + 28, p->views);
    retold__le64(o + 32, p->seed);
    put_f64(o + 40, p->threshold);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        unsigned char *q = o + 48 + 16 * v;
        put_f64(q, p->view_threshold[v]);
        retold__le32(q + 8, p->view_bands[v]);
        retold__le32(q + 12, p->view_rows[v]);
    }
    retold__le32(o + 96, f->codec);
    retold__le32(o + 100, f->piece);
    retold__le64(o + 104, f->created);
    memcpy(o + 112, f->creator, strnlen(f->creator, 16));
    retold__le64(o + 128, retold__ix_sum(format_key, 6, o, 128));
}

int retold__ix_format_decode(const unsigned char *v, size_t len, retold__ix_format *f,
                             char *msg, size_t cap)
{
    memset(f, 0, sizeof *f);
    if (len < 16 || memcmp(v, RETOLD__IX_MAGIC, 8) != 0) {
        snprintf(msg, cap, "the format record has no retold magic");
        return RETOLD_CORRUPT;
    }
    f->version = retold__get_le32(v + 8);
    if (f->version > RETOLD_INDEX_FORMAT_VERSION) {
        snprintf(msg, cap, "index format version %u is newer than this program's (%u)",
                 f->version, RETOLD_INDEX_FORMAT_VERSION);
        return RETOLD_VERSION;
    }
    if (f->version == 0 || len != RETOLD__IX_FORMAT_LEN) {
        snprintf(msg, cap, "the format record is %zu bytes (version %u), expected %d", len,
                 f->version, RETOLD__IX_FORMAT_LEN);
        return RETOLD_CORRUPT;
    }
    if (retold__get_le64(v + 128) != retold__ix_sum(format_key, 6, v, 128)) {
        snprintf(msg, cap, "the format record fails its checksum");
        return RETOLD_CORRUPT;
    }
    retold_params *p = &f->params;
    retold_params_default(p);
    f->norm_version = retold__get_le32(v + 12);
    p->ngram = retold__get_le32(v + 16);
    p->char_ngram = retold__get_le32(v + 20);
    p->perms = retold__get_le32(v + 24);
    p->views = retold__get_le32(v + 28);
    p->seed = retold__get_le64(v + 32);
    p->threshold = get_f64(v + 40);
    for (int i = 0; i < RETOLD_VIEW_COUNT; i++) {
        const unsigned char *q = v + 48 + 16 * i;
        p->view_threshold[i] = get_f64(q);
        p->view_bands[i] = retold__get_le32(q + 8);
        p->view_rows[i] = retold__get_le32(q + 12);
    }
    p->bands = p->view_bands[RETOLD_VIEW_SURFACE];
    p->rows = p->view_rows[RETOLD_VIEW_SURFACE];
    f->codec = retold__get_le32(v + 96);
    f->piece = retold__get_le32(v + 100);
    f->created = retold__get_le64(v + 104);
    memcpy(f->creator, v + 112, 16);
    f->creator[16] = 0;
    return RETOLD_OK;
}

int retold__ix_format_check(const retold__ix_format *f, char *msg, size_t cap)
{
    if (f->norm_version != RETOLD_NORM_VERSION) {
        snprintf(msg, cap, "made with text normalisation version %u, this program uses %u: "
                 "re-create the index from the original texts", f->norm_version, RETOLD_NORM_VERSION);
        return RETOLD_VERSION;
    }
    if (f->codec != RETOLD__IX_CODEC_ZSTD) {
        snprintf(msg, cap, "unknown text codec %u", f->codec);
        return RETOLD_VERSION;
    }
    if (f->piece != RETOLD__IX_PIECE) {
        snprintf(msg, cap, "unexpected text piece size %u", f->piece);
        return RETOLD_CORRUPT;
    }
    retold_params q = f->params;
    char why[200];
    if (retold_params_resolve(&q, why, sizeof why) != RETOLD_OK) {
        snprintf(msg, cap, "the stored parameters are invalid (%s)", why);
        return RETOLD_CORRUPT;
    }
    /* The index bands signatures with the stored shape, not a re-chosen
     * one (a later program may choose differently): it must fit. */
    const retold_params *p = &f->params;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        unsigned b = p->view_bands[v], r = p->view_rows[v];
        int present = (p->views >> v) & 1;
        double t = p->view_threshold[v];
        if (present ? (b < 1 || b > 1024 || r < 1 || (uint64_t)b * r > p->perms || !(t > 0.0 && t <= 1.0))
                    : (b != 0 || r != 0)) {
            snprintf(msg, cap, "the stored LSH shape of the %s view (%u bands x %u rows, %u permutations) is invalid",
                     retold_view_name(v), b, r, p->perms);
            return RETOLD_CORRUPT;
        }
    }
    return RETOLD_OK;
}

void retold__ix_state_encode(const retold__ix_state *s, unsigned char *o)
{
    retold__le64(o, s->next_docno);
    retold__le64(o + 8, s->empty_docs);
    retold__le64(o + 16, s->text_bytes);
    retold__le64(o + 24, s->stored_bytes);
    retold__le64(o + 32, s->adds);
    retold__le64(o + 40, s->removes);
    retold__le64(o + 48, retold__ix_sum(state_key, 5, o, 48));
}

int retold__ix_state_decode(const unsigned char *v, size_t len, retold__ix_state *s)
{
    memset(s, 0, sizeof *s);
    if (len != RETOLD__IX_STATE_LEN || retold__get_le64(v + 48) != retold__ix_sum(state_key, 5, v, 48))
        return RETOLD_CORRUPT;
    s->next_docno = retold__get_le64(v);
    s->empty_docs = retold__get_le64(v + 8);
    s->text_bytes = retold__get_le64(v + 16);
    s->stored_bytes = retold__get_le64(v + 24);
    s->adds = retold__get_le64(v + 32);
    s->removes = retold__get_le64(v + 40);
    return RETOLD_OK;
}

size_t retold__ix_doc_size(const retold__ix_doc *d)
{
    return RETOLD__IX_DOC_FIXED + 4 * (size_t)d->nsig + d->id_len + d->source_len + d->date_len +
           d->lang_len + 8;
}

void retold__ix_doc_encode(const retold__ix_doc *d, const uint32_t *sigv,
                           const unsigned char key[8], unsigned char *o)
{
    memset(o, 0, RETOLD__IX_DOC_FIXED);
    o[0] = 'D';
    o[1] = (unsigned char)d->flags;
    retold__le32(o + 4, d->nsig);
    retold__le32(o + 8, d->id_len);
    retold__le32(o + 12, d->source_len);
    retold__le32(o + 16, d->date_len);
    retold__le32(o + 20, d->lang_len);
    retold__le32(o + 24, d->text_len);
    retold__le32(o + 28, d->stored_len);
    retold__le32(o + 32, d->pieces);
    memcpy(o + 36, d->lang_used, RETOLD_LANG_LEN);
    retold__le64(o + 40, d->fingerprint);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) retold__le32(o + 48 + 4 * v, d->distinct[v]);
    unsigned char *q = o + RETOLD__IX_DOC_FIXED;
    for (uint32_t i = 0; i < d->nsig; i++, q += 4) retold__le32(q, sigv[i]);
    memcpy(q, d->id, d->id_len); q += d->id_len;
    if (d->source_len) memcpy(q, d->source, d->source_len);
    q += d->source_len;
    if (d->date_len) memcpy(q, d->date, d->date_len);
    q += d->date_len;
    if (d->lang_len) memcpy(q, d->lang, d->lang_len);
    q += d->lang_len;
    retold__le64(q, retold__ix_sum(key, 8, o, (size_t)(q - o)));
}

int retold__ix_doc_decode(const unsigned char key[8], const unsigned char *v, size_t len,
                          uint32_t nsig_expected, retold__ix_doc *d)
{
    memset(d, 0, sizeof *d);
    if (len < RETOLD__IX_DOC_FIXED + 8 || v[0] != 'D') return RETOLD_CORRUPT;
    d->flags = v[1];
    d->nsig = retold__get_le32(v + 4);
    d->id_len = retold__get_le32(v + 8);
    d->source_len = retold__get_le32(v + 12);
    d->date_len = retold__get_le32(v + 16);
    d->lang_len = retold__get_le32(v + 20);
    d->text_len = retold__get_le32(v + 24);
    d->stored_len = retold__get_le32(v + 28);
    d->pieces = retold__get_le32(v + 32);
    if (d->nsig != nsig_expected) return RETOLD_CORRUPT;
    uint64_t need = (uint64_t)RETOLD__IX_DOC_FIXED + 4ull * d->nsig + d->id_len + d->source_len +
                    d->date_len + d->lang_len + 8;
    if (need != len) return RETOLD_CORRUPT;
    if (retold__get_le64(v + len - 8) != retold__ix_sum(key, 8, v, len - 8)) return RETOLD_CORRUPT;
    memcpy(d->lang_used, v + 36, RETOLD_LANG_LEN);
    d->lang_used[RETOLD_LANG_LEN - 1] = 0;
    d->fingerprint = retold__get_le64(v + 40);
    for (int i = 0; i < RETOLD_VIEW_COUNT; i++) d->distinct[i] = retold__get_le32(v + 48 + 4 * i);
    const unsigned char *q = v + RETOLD__IX_DOC_FIXED;
    d->sig = q;
    q += 4 * (size_t)d->nsig;
    d->id = (const char *)q; q += d->id_len;
    d->source = (d->flags & RETOLD__DOC_SOURCE) ? (const char *)q : NULL; q += d->source_len;
    d->date = (d->flags & RETOLD__DOC_DATE) ? (const char *)q : NULL; q += d->date_len;
    d->lang = (d->flags & RETOLD__DOC_LANG) ? (const char *)q : NULL;
    if (d->pieces != ((uint64_t)d->stored_len + RETOLD__IX_PIECE - 1) / RETOLD__IX_PIECE) return RETOLD_CORRUPT;
    return RETOLD_OK;
}

void retold__ix_sig_get(const retold__ix_doc *d, uint32_t *sig)
{
    for (uint32_t i = 0; i < d->nsig; i++) sig[i] = retold__get_le32(d->sig + 4 * (size_t)i);
}
