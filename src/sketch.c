/*
 * sketch.c - one document to its signatures, one per view, with the
 * distinct shingle count of each (for containment) from a reusable
 * open-addressing set: ~3 ns per shingle, against ~25 ns to sort.
 *
 * The surface view costs tokenise + shingle + MinHash.  The rewrite and
 * cross views are computed only when params.views asks for them.
 */
#include "retold/sketch.h"
#include "retold/tokenize.h"
#include "retold/shingle.h"
#include "retold/minhash.h"
#include "retold/lsh.h"
#include "retold/views.h"
#include "retold/error.h"
#include "radix.h"
#include "densify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

typedef struct viewbuf {
    uint64_t *h;
    size_t n, cap;
    int sorted;              /* h holds the sorted distinct set */
} viewbuf;

struct retold_sketcher {
    retold_params p;
    retold_tokenizer *tk;
    retold_views *views;
    viewbuf vb[RETOLD_VIEW_COUNT];
    uint64_t *set;           /* open addressing; a slot is in use when its
                                epoch is the current one (no clearing) */
    uint32_t *epoch;
    uint32_t cur_epoch;
    size_t capset;
    uint64_t *scratch;       /* radix sort scratch */
    size_t capscratch;
    retold_shingle_filter filter;
    void *filter_ctx;
    uint64_t *kept;          /* shingles that pass the filter */
    size_t capkept;
    uint32_t *ranks[RETOLD_VIEW_COUNT];   /* densification tables (densify.h),
                                             made at the first short document */
    int no_ranks[RETOLD_VIEW_COUNT];      /* making one failed: probe */
    int sets_only;           /* shingles only: no signature, counts, fingerprint */
};

void retold_sketcher_set_filter(retold_sketcher *s, retold_shingle_filter fn, void *ctx)
{
    s->filter = fn;
    s->filter_ctx = ctx;
}

void retold_sketcher_set_sets_only(retold_sketcher *s, int on)
{
    s->sets_only = on != 0;
}

void retold_params_default(retold_params *p)
{
    memset(p, 0, sizeof *p);
    p->ngram = 5;
    p->perms = 128;
    p->threshold = 0.8;
    p->views = RETOLD_VIEWS_SURFACE;
    p->view_threshold[RETOLD_VIEW_REWRITE] = RETOLD_LOW_THRESHOLD;
    p->view_threshold[RETOLD_VIEW_CROSS] = RETOLD_LOW_THRESHOLD;
}

unsigned retold_params_nviews(const retold_params *p)
{
    return (unsigned)__builtin_popcount(p->views & RETOLD_VIEWS_ALL);
}

int retold_params_slot(const retold_params *p, int view)
{
    if (!(p->views & (1u << view))) return -1;
    return __builtin_popcount(p->views & ((1u << view) - 1));
}

int retold_params_resolve(retold_params *p, char *msg, size_t cap)
{
#define BAD(...) do { if (msg && cap) snprintf(msg, cap, __VA_ARGS__); return RETOLD_INVAL; } while (0)
    if (p->ngram < 1 || p->ngram > RETOLD_NGRAM_MAX) BAD("n-gram length must be 1..%d", RETOLD_NGRAM_MAX);
    if (p->char_ngram > 256) BAD("character n-gram length must be 0..256");
    if (p->perms < 1 || p->perms > RETOLD_PERMS_MAX) BAD("permutations must be 1..%d", RETOLD_PERMS_MAX);
    if (!(p->threshold > 0.0 && p->threshold <= 1.0)) BAD("threshold must be in (0, 1]");
    if (!(p->views & RETOLD_VIEWS_SURFACE) || (p->views & ~RETOLD_VIEWS_ALL))
        BAD("the views must include surface");
    if ((p->bands == 0) != (p->rows == 0)) BAD("give both --bands and --rows, or neither");
    if (p->bands == 0) {
        if (retold_lsh_choose(p->threshold, p->perms, RETOLD_LSH_WEIGHT_FN, &p->bands, &p->rows) != RETOLD_OK)
            BAD("cannot choose LSH bands for threshold %g", p->threshold);
    } else if ((uint64_t)p->bands * p->rows > p->perms) {
        BAD("bands x rows (%u x %u) exceeds the permutations (%u)", p->bands, p->rows, p->perms);
    }
    p->view_threshold[RETOLD_VIEW_SURFACE] = p->threshold;
    p->view_bands[RETOLD_VIEW_SURFACE] = p->bands;
    p->view_rows[RETOLD_VIEW_SURFACE] = p->rows;
    for (int v = 1; v < RETOLD_VIEW_COUNT; v++) {
        if (!(p->views & (1u << v))) { p->view_bands[v] = p->view_rows[v] = 0; continue; }
        double t = p->view_threshold[v] > 0 ? p->view_threshold[v] : RETOLD_LOW_THRESHOLD;
        if (t > 1.0) BAD("%s threshold must be in (0, 1]", retold_view_name(v));
        p->view_threshold[v] = t;
        if (retold_lsh_choose(t, p->perms, RETOLD_LSH_WEIGHT_FN, &p->view_bands[v], &p->view_rows[v]) != RETOLD_OK)
            BAD("cannot choose LSH bands for the %s view", retold_view_name(v));
    }
    return RETOLD_OK;
#undef BAD
}

retold_sketcher *retold_sketcher_new(const retold_params *p)
{
    retold_sketcher *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->p = *p;
    if (!s->p.views) s->p.views = RETOLD_VIEWS_SURFACE;
    s->tk = retold_tokenizer_new(p->seed, 0);
    s->views = (s->p.views & ~RETOLD_VIEWS_SURFACE) ? retold_views_new(p->seed) : NULL;
    if (!s->tk || ((s->p.views & ~RETOLD_VIEWS_SURFACE) && !s->views)) {
        retold_sketcher_free(s);
        return NULL;
    }
    return s;
}

void retold_sketcher_free(retold_sketcher *s)
{
    if (!s) return;
    retold_tokenizer_free(s->tk);
    retold_views_free(s->views);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) free(s->vb[v].h);
    free(s->set);
    free(s->epoch);
    free(s->scratch);
    free(s->kept);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) free(s->ranks[v]);
    free(s);
}

static int vb_reserve(viewbuf *b, size_t n)
{
    if (n <= b->cap) return RETOLD_OK;
    uint64_t *t = realloc(b->h, n * sizeof *t);
    if (!t) return RETOLD_NOMEM;
    b->h = t;
    b->cap = n;
    return RETOLD_OK;
}

/* Above this many shingles the distinct count sorts a copy (16 bytes a
 * shingle at the peak) instead of a hash table of 2-4 slots a shingle
 * (24-48 bytes): a 100 MB document peaked at 1.8 GB, 0.8 GB of it the
 * table. */
#define DISTINCT_TABLE_MAX ((size_t)1 << 20)

static size_t count_distinct_sorted(const uint64_t *h, size_t n)
{
    uint64_t *a = malloc(2 * n * sizeof *a);
    if (!a) return (size_t)-1;
    memcpy(a, h, n * sizeof *a);
    retold__radix_u64(a, a + n, n);
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++) distinct += a[i] != a[i - 1];
    free(a);
    return distinct;
}

static size_t count_distinct(retold_sketcher *s, const uint64_t *h, size_t n)
{
    if (n < 2) return n;
    if (n > DISTINCT_TABLE_MAX) return count_distinct_sorted(h, n);
    /* Load factor 1/16 to 1/8 for the common document (up to 2^16
     * shingles: a table of at most 2^19 slots, 6 MB): a probe then rarely
     * meets another key, and the branch on it is rarely mispredicted (-7 %
     * CPU of a whole `retold pairs -j1` against the old 1/4 to 1/2;
     * bench/README.md).  Larger documents keep 1/4 to 1/2, so that one huge
     * document does not take 8 to 16 slots (96-192 bytes) a shingle. */
    size_t cap = 16, room = n <= ((size_t)1 << 16) ? 8 * n : 2 * n;
    while (cap < room) cap *= 2;
    if (cap > s->capset) {
        uint64_t *t = realloc(s->set, cap * sizeof *t);
        if (!t) return (size_t)-1;
        s->set = t;
        uint32_t *e = calloc(cap, sizeof *e);
        if (!e) return (size_t)-1;
        free(s->epoch);
        s->epoch = e;
        s->capset = cap;
        s->cur_epoch = 0;
    }
    if (++s->cur_epoch == 0) {                 /* wrapped: clear once */
        memset(s->epoch, 0, s->capset * sizeof *s->epoch);
        s->cur_epoch = 1;
    }
    /* Probe within the first `cap` slots of the (possibly larger) table. */
    size_t mask = cap - 1, distinct = 0;
    const uint32_t e = s->cur_epoch;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = h[i];
        size_t j = (size_t)(x >> 17) & mask;
        while (s->epoch[j] == e && s->set[j] != x) j = (j + 1) & mask;
        if (s->epoch[j] != e) { s->epoch[j] = e; s->set[j] = x; distinct++; }
    }
    return distinct;
}

/* MinHash of the shingles in vb[view] into its signature slot. */
static int finish_view(retold_sketcher *s, int view, uint32_t *sig, retold_sketch_info *info)
{
    viewbuf *b = &s->vb[view];
    b->sorted = 0;
    if (s->sets_only) {
        if (info) info->view_shingles[view] = info->view_signed[view] = b->n;
        return RETOLD_OK;
    }
    const uint64_t *h = b->h;
    size_t n = b->n;
    if (s->filter) {
        if (n > s->capkept) {
            uint64_t *t = realloc(s->kept, n * sizeof *t);
            if (!t) return RETOLD_NOMEM;
            s->kept = t;
            s->capkept = n;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!s->filter(s->filter_ctx, view, h[i])) s->kept[k++] = h[i];
        /* Boilerplate is a minority of a text (a byline, a footer).  When
         * most of a document is "common", it is the document itself that is
         * common - a story syndicated widely - and filtering would hide
         * exactly the copies we look for: keep it whole. */
        if (2 * k >= n) {
            h = s->kept;
            n = k;
        }
    }
    unsigned k = s->p.perms;
    uint64_t seed = s->p.seed + (uint64_t)view;
    /* a short document (f <= n full bins, f^2 <= 4k) densifies by table */
    if (n > 0 && n * n <= 4 * (size_t)k && k <= RETOLD__RANK_K_MAX && !s->ranks[view] && !s->no_ranks[view]) {
        s->ranks[view] = retold__minhash_ranks(k, seed);
        s->no_ranks[view] = s->ranks[view] == NULL;
    }
    retold__minhash_ranked(h, n, k, seed, s->ranks[view],
                           sig + (size_t)retold_params_slot(&s->p, view) * k);
    size_t d = count_distinct(s, b->h, b->n);
    if (d == (size_t)-1) return RETOLD_NOMEM;
    if (info) {
        info->view_shingles[view] = d;
        info->view_signed[view] = n;
    }
    return RETOLD_OK;
}

int retold_sketch_lang(retold_sketcher *s, const char *text, size_t len,
                       const char *lang, size_t lang_len,
                       uint32_t *sig, retold_sketch_info *info)
{
    const retold_token *tok;
    size_t m;
    int rc = retold_tokenize(s->tk, text, len, &tok, &m);
    if (rc != RETOLD_OK) return rc;
    const char *norm = retold_tokenizer_norm(s->tk);
    if (info) memset(info, 0, sizeof *info);

    /* surface: word (or character) n-grams */
    viewbuf *b = &s->vb[RETOLD_VIEW_SURFACE];
    size_t need = s->p.char_ngram
        ? retold_shingle_chars(tok, m, norm, s->p.char_ngram, s->p.seed, NULL, 0)
        : m;                                   /* word shingles use m slots */
    if (need == RETOLD_SHINGLE_NOMEM) return RETOLD_NOMEM;
    if ((rc = vb_reserve(b, need)) != RETOLD_OK) return rc;
    b->n = s->p.char_ngram
        ? retold_shingle_chars(tok, m, norm, s->p.char_ngram, s->p.seed, b->h, need)
        : retold_shingle_words(tok, m, s->p.ngram, s->p.seed, b->h);
    if (b->n == RETOLD_SHINGLE_NOMEM) {
        b->n = 0;
        return RETOLD_NOMEM;
    }
    uint64_t fingerprint = b->n && !s->sets_only ? XXH3_64bits(b->h, b->n * sizeof *b->h) : 0;
    if ((rc = finish_view(s, RETOLD_VIEW_SURFACE, sig, info)) != RETOLD_OK) return rc;

    /* rewrite and cross: language first */
    char code[RETOLD_LANG_LEN] = "und";
    if (s->p.views & ~RETOLD_VIEWS_SURFACE) {
        if (lang && lang_len) retold_lang_primary(lang, lang_len, code);
        if (strcmp(code, "und") == 0) retold_lang_detect(tok, m, norm, code);
        for (int v = RETOLD_VIEW_REWRITE; v < RETOLD_VIEW_COUNT; v++) {
            if (!(s->p.views & (1u << v))) continue;
            const uint64_t *h;
            size_t n = v == RETOLD_VIEW_REWRITE
                ? retold_views_rewrite(s->views, tok, m, norm, code, &h)
                : retold_views_cross(s->views, tok, m, norm, code, &h);
            if (n == (size_t)-1) return RETOLD_NOMEM;
            if ((rc = vb_reserve(&s->vb[v], n)) != RETOLD_OK) return rc;
            if (n) memcpy(s->vb[v].h, h, n * sizeof *h);
            s->vb[v].n = n;
            if ((rc = finish_view(s, v, sig, info)) != RETOLD_OK) return rc;
        }
    }
    if (info) {
        info->tokens = m;
        info->shingles = info->view_shingles[RETOLD_VIEW_SURFACE];
        info->invalid = retold_tokenizer_invalid(s->tk);
        info->fingerprint = fingerprint;
        memcpy(info->lang, code, sizeof code);
    }
    return RETOLD_OK;
}

int retold_sketch(retold_sketcher *s, const char *text, size_t len,
                  uint32_t *sig, retold_sketch_info *info)
{
    return retold_sketch_lang(s, text, len, NULL, 0, sig, info);
}

int retold_sketcher_view_shingles(retold_sketcher *s, int view, const uint64_t **h, size_t *n)
{
    if (view < 0 || view >= RETOLD_VIEW_COUNT || !(s->p.views & (1u << view))) return RETOLD_INVAL;
    viewbuf *b = &s->vb[view];
    if (!b->sorted) {
        if (b->n > s->capscratch) {
            uint64_t *t = realloc(s->scratch, b->n * sizeof *t);
            if (!t) return RETOLD_NOMEM;
            s->scratch = t;
            s->capscratch = b->n;
        }
        retold__sort_hashes(b->h, s->scratch, b->n, 64);
        size_t k = b->n ? 1 : 0;
        for (size_t i = 1; i < b->n; i++)
            if (b->h[i] != b->h[k - 1]) b->h[k++] = b->h[i];
        b->n = k;
        b->sorted = 1;
    }
    *h = b->h;
    *n = b->n;
    return RETOLD_OK;
}

int retold_sketcher_view_hashes(retold_sketcher *s, int view, const uint64_t **h, size_t *n)
{
    if (view < 0 || view >= RETOLD_VIEW_COUNT || !(s->p.views & (1u << view))) return RETOLD_INVAL;
    *h = s->vb[view].h;
    *n = s->vb[view].n;
    return RETOLD_OK;
}

int retold_sketcher_shingles(retold_sketcher *s, const uint64_t **h, size_t *n)
{
    return retold_sketcher_view_shingles(s, RETOLD_VIEW_SURFACE, h, n);
}
