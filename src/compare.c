/*
 * compare.c - two documents: exact per-view similarity, relation, and the
 * evidence a journalist needs before calling something a copy.
 *
 * Passage alignment: index B's min_tokens-grams of token hashes in an
 * open-addressing table (position chains), walk A; at each position try the
 * B positions that share the gram, extend forward, keep the longest; emit
 * and skip past it.  Expected O(|A| + |B|); a gram that occurs very often in
 * B (boilerplate) is tried at most CHAIN_MAX times per A position.
 */
#include "retold/compare.h"
#include "retold/tokenize.h"
#include "retold/views.h"
#include "retold/error.h"
#include "similarity.h"

#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define CHAIN_MAX 64

static uint64_t gram(const retold_token *t, size_t i, unsigned n)
{
    uint64_t h[64];
    for (unsigned k = 0; k < n; k++) h[k] = t[i + k].hash;
    return XXH3_64bits(h, n * sizeof h[0]);
}

static int align_tokens(const retold_token *ta, size_t na, const retold_token *tb, size_t nb,
                        unsigned min, retold_passage **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (min < 1) min = 1;
    if (min > 64) min = 64;
    if (na < min || nb < min) return RETOLD_OK;
    size_t ng = nb - min + 1, cap = 16;
    while (cap < 2 * ng) cap *= 2;
    uint64_t *key = malloc(cap * sizeof *key);
    uint32_t *head = malloc(cap * sizeof *head), *next = malloc(ng * sizeof *next);
    retold_passage *ps = NULL;
    size_t np = 0, capp = 0;
    int rc = RETOLD_NOMEM;
    if (!key || !head || !next) goto done;
    for (size_t i = 0; i < cap; i++) head[i] = UINT32_MAX;
    /* insert in reverse so that chains list B positions in increasing order */
    for (size_t j = ng; j-- > 0;) {
        uint64_t g = gram(tb, j, min);
        size_t s = (size_t)g & (cap - 1);
        while (head[s] != UINT32_MAX && key[s] != g) s = (s + 1) & (cap - 1);
        next[j] = head[s] == UINT32_MAX ? UINT32_MAX : head[s];
        key[s] = g;
        head[s] = (uint32_t)j;
    }
    for (size_t i = 0; i + min <= na;) {
        uint64_t g = gram(ta, i, min);
        size_t s = (size_t)g & (cap - 1);
        while (head[s] != UINT32_MAX && key[s] != g) s = (s + 1) & (cap - 1);
        size_t best_len = 0, best_j = 0;
        int tries = 0;
        for (uint32_t j = head[s]; j != UINT32_MAX && tries < CHAIN_MAX; j = next[j], tries++) {
            size_t len = 0;
            while (i + len < na && j + len < nb && ta[i + len].hash == tb[j + len].hash) len++;
            if (len > best_len) { best_len = len; best_j = j; }
        }
        if (best_len < min) { i++; continue; }
        if (np == capp) {
            capp = capp ? 2 * capp : 16;
            retold_passage *q = realloc(ps, capp * sizeof *q);
            if (!q) goto done;
            ps = q;
        }
        ps[np++] = (retold_passage){ ta[i].start, ta[i + best_len - 1].end,
                                     tb[best_j].start, tb[best_j + best_len - 1].end,
                                     (uint32_t)best_len };
        i += best_len;
    }
    *out = ps;
    *nout = np;
    ps = NULL;
    rc = RETOLD_OK;
done:
    free(ps);
    free(key);
    free(head);
    free(next);
    return rc;
}

int retold_align(const char *a, size_t la, const char *b, size_t lb,
                 unsigned min_tokens, retold_passage **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    retold_tokenizer *x = retold_tokenizer_new(0, 0), *y = retold_tokenizer_new(0, 0);
    int rc = RETOLD_NOMEM;
    if (x && y) {
        const retold_token *ta, *tb;
        size_t na, nb;
        if ((rc = retold_tokenize(x, a, la, &ta, &na)) == RETOLD_OK &&
            (rc = retold_tokenize(y, b, lb, &tb, &nb)) == RETOLD_OK)
            rc = align_tokens(ta, na, tb, nb, min_tokens, out, n);
    }
    retold_tokenizer_free(x);
    retold_tokenizer_free(y);
    return rc;
}

/* Open-addressing set of 64-bit keys (0 = empty; keys are never 0). */
typedef struct keyset { uint64_t *k; size_t mask; } keyset;

static int keyset_init(keyset *s, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 2) cap *= 2;
    s->k = calloc(cap, sizeof *s->k);
    s->mask = cap - 1;
    return s->k ? 0 : -1;
}

/* Insert x; returns 1 if it was new. */
static int keyset_add(keyset *s, uint64_t x)
{
    size_t j = (size_t)(x >> 7) & s->mask;
    while (s->k[j] && s->k[j] != x) j = (j + 1) & s->mask;
    if (s->k[j]) return 0;
    s->k[j] = x;
    return 1;
}

/* Position of x's first occurrence, stored as the value table v[] beside a
 * keyset of the same shape. */
static size_t keyset_find(const keyset *s, uint64_t x)
{
    size_t j = (size_t)(x >> 7) & s->mask;
    while (s->k[j] && s->k[j] != x) j = (j + 1) & s->mask;
    return s->k[j] ? j : (size_t)-1;
}

/* Names and numbers of A that B also has, first occurrences, in A's order.
 * O(|A| + |B|). */
static int shared_keys(retold_views *v, const retold_token *ta, size_t na, const char *norm_a,
                       const char *lang_a, const retold_token *tb, size_t nb, const char *norm_b,
                       const char *lang_b, retold_comparison *c)
{
    uint64_t *ka = calloc(na + 1, sizeof *ka), *kb = calloc(nb + 1, sizeof *kb);
    keyset first_b = {0}, seen_a = {0};
    uint32_t *pos_b = NULL;
    int rc = RETOLD_NOMEM;
    if (!ka || !kb || keyset_init(&first_b, nb) || keyset_init(&seen_a, na)) goto out;
    pos_b = malloc((first_b.mask + 1) * sizeof *pos_b);
    if (!pos_b) goto out;
    retold_views_keys(v, ta, na, norm_a, lang_a, ka);
    retold_views_keys(v, tb, nb, norm_b, lang_b, kb);
    for (size_t j = 0; j < nb; j++)                   /* B's first occurrences */
        if (kb[j] && keyset_add(&first_b, kb[j])) pos_b[keyset_find(&first_b, kb[j])] = (uint32_t)j;
    for (size_t i = 0; i < na; i++) {
        if (!ka[i] || !keyset_add(&seen_a, ka[i])) continue;
        size_t slot = keyset_find(&first_b, ka[i]);
        if (slot == (size_t)-1) continue;
        size_t j = pos_b[slot];
        retold_shared_key *q = realloc(c->keys, (c->nkeys + 1) * sizeof *q);
        if (!q) goto out;
        c->keys = q;
        c->keys[c->nkeys++] = (retold_shared_key){ ta[i].start, ta[i].end, tb[j].start, tb[j].end };
    }
    rc = RETOLD_OK;
out:
    free(ka);
    free(kb);
    free(first_b.k);
    free(seen_a.k);
    free(pos_b);
    return rc;
}

int retold_compare(const retold_params *p,
                   const char *a, size_t la, const char *lang_a,
                   const char *b, size_t lb, const char *lang_b,
                   retold_comparison *c)
{
    memset(c, 0, sizeof *c);
    retold_params q = *p;
    q.views = RETOLD_VIEWS_ALL;
    q.bands = q.rows = 0;
    int rc = retold_params_resolve(&q, NULL, 0);
    if (rc != RETOLD_OK) return rc;
    retold_sketcher *sa = retold_sketcher_new(&q), *sb = retold_sketcher_new(&q);
    retold_views *v = retold_views_new(q.seed);
    retold_tokenizer *tx = retold_tokenizer_new(q.seed, 0), *ty = retold_tokenizer_new(q.seed, 0);
    uint32_t *sig = malloc((size_t)RETOLD_VIEW_COUNT * q.perms * sizeof *sig);
    rc = RETOLD_NOMEM;
    if (!sa || !sb || !v || !tx || !ty || !sig) goto out;
    retold_sketch_info ia, ib;
    if ((rc = retold_sketch_lang(sa, a, la, lang_a, lang_a ? strlen(lang_a) : 0, sig, &ia)) != RETOLD_OK) goto out;
    if ((rc = retold_sketch_lang(sb, b, lb, lang_b, lang_b ? strlen(lang_b) : 0, sig, &ib)) != RETOLD_OK) goto out;
    retold__sets xa, xb;
    memset(&xa, 0, sizeof xa);
    memset(&xb, 0, sizeof xb);
    for (int view = 0; view < RETOLD_VIEW_COUNT; view++) {
        retold_sketcher_view_shingles(sa, view, &xa.h[view], &xa.n[view]);
        retold_sketcher_view_shingles(sb, view, &xb.h[view], &xb.n[view]);
    }
    retold_similarity sim;
    retold_pair *pr = &c->pair;
    pr->a = 0;
    pr->b = 1;
    retold__similarity(&xa, &xb, &sim, pr->view_jaccard, pr->view_containment);
    memcpy(c->lang_a, ia.lang, RETOLD_LANG_LEN);
    memcpy(c->lang_b, ib.lang, RETOLD_LANG_LEN);
    sim.same_lang = (!strcmp(ia.lang, "und") || !strcmp(ib.lang, "und")) ? -1 : !strcmp(ia.lang, ib.lang);
    sim.identical = ia.shingles > 0 && ia.fingerprint == ib.fingerprint;
    pr->jaccard = pr->view_jaccard[RETOLD_VIEW_SURFACE];
    pr->containment = pr->view_containment[RETOLD_VIEW_SURFACE];
    pr->relation = (ia.shingles && ib.shingles) ? retold_relation_classify(&sim, q.threshold, &pr->score) : RETOLD_REL_NONE;
    pr->flags = RETOLD_PAIR_EXACT;
    c->invalid_a = ia.invalid;
    c->invalid_b = ib.invalid;

    const retold_token *ta, *tb;
    size_t na, nb;
    if ((rc = retold_tokenize(tx, a, la, &ta, &na)) != RETOLD_OK) goto out;
    if ((rc = retold_tokenize(ty, b, lb, &tb, &nb)) != RETOLD_OK) goto out;
    c->tokens_a = na;
    c->tokens_b = nb;
    if ((rc = align_tokens(ta, na, tb, nb, q.ngram, &c->passages, &c->npassages)) != RETOLD_OK) goto out;
    rc = shared_keys(v, ta, na, retold_tokenizer_norm(tx), ia.lang, tb, nb, retold_tokenizer_norm(ty), ib.lang, c);
out:
    retold_sketcher_free(sa);
    retold_sketcher_free(sb);
    retold_views_free(v);
    retold_tokenizer_free(tx);
    retold_tokenizer_free(ty);
    free(sig);
    if (rc != RETOLD_OK) retold_comparison_release(c);
    return rc;
}

void retold_comparison_release(retold_comparison *c)
{
    if (!c) return;
    free(c->passages);
    free(c->keys);
    memset(c, 0, sizeof *c);
}
