/*
 * sketch.c - one document to a signature, with the distinct shingle count
 * (needed for containment) from a reusable open-addressing set: ~3 ns per
 * shingle, against ~25 ns to sort.
 */
#include "retold/sketch.h"
#include "retold/tokenize.h"
#include "retold/shingle.h"
#include "retold/minhash.h"
#include "retold/lsh.h"
#include "retold/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

struct retold_sketcher {
    retold_params p;
    retold_tokenizer *tk;
    uint64_t *sh;          /* shingle hashes of the last document */
    size_t nsh, capsh;
    uint64_t *set;         /* open addressing, 0 = free slot */
    size_t capset;
    int sorted;            /* sh[] holds the sorted distinct set */
};

void retold_params_default(retold_params *p)
{
    memset(p, 0, sizeof *p);
    p->ngram = 5;
    p->perms = 128;
    p->threshold = 0.8;
}

int retold_params_resolve(retold_params *p, char *msg, size_t cap)
{
#define BAD(...) do { if (msg && cap) snprintf(msg, cap, __VA_ARGS__); return RETOLD_INVAL; } while (0)
    if (p->ngram < 1 || p->ngram > RETOLD_NGRAM_MAX) BAD("n-gram length must be 1..%d", RETOLD_NGRAM_MAX);
    if (p->char_ngram > 256) BAD("character n-gram length must be 0..256");
    if (p->perms < 1 || p->perms > RETOLD_PERMS_MAX) BAD("permutations must be 1..%d", RETOLD_PERMS_MAX);
    if (!(p->threshold > 0.0 && p->threshold <= 1.0)) BAD("threshold must be in (0, 1]");
    if ((p->bands == 0) != (p->rows == 0)) BAD("give both --bands and --rows, or neither");
    if (p->bands == 0) {
        if (retold_lsh_choose(p->threshold, p->perms, RETOLD_LSH_WEIGHT_FN, &p->bands, &p->rows) != RETOLD_OK)
            BAD("cannot choose LSH bands for threshold %g", p->threshold);
    } else if ((uint64_t)p->bands * p->rows > p->perms) {
        BAD("bands x rows (%u x %u) exceeds the permutations (%u)", p->bands, p->rows, p->perms);
    }
    return RETOLD_OK;
#undef BAD
}

retold_sketcher *retold_sketcher_new(const retold_params *p)
{
    retold_sketcher *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->p = *p;
    s->tk = retold_tokenizer_new(p->seed, 0);
    if (!s->tk) { free(s); return NULL; }
    return s;
}

void retold_sketcher_free(retold_sketcher *s)
{
    if (!s) return;
    retold_tokenizer_free(s->tk);
    free(s->sh);
    free(s->set);
    free(s);
}

static size_t count_distinct(retold_sketcher *s)
{
    size_t n = s->nsh;
    if (n < 2) return n;
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > s->capset) {
        uint64_t *t = realloc(s->set, cap * sizeof *t);
        if (!t) return (size_t)-1;
        s->set = t;
        s->capset = cap;
    }
    memset(s->set, 0, cap * sizeof *s->set);
    size_t mask = cap - 1, distinct = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = s->sh[i] | 1;       /* never 0; the low bit is dropped
                                            only for counting (2^-63 merge) */
        size_t j = (size_t)(h >> 17) & mask;
        while (s->set[j] && s->set[j] != h) j = (j + 1) & mask;
        if (!s->set[j]) { s->set[j] = h; distinct++; }
    }
    return distinct;
}

int retold_sketch(retold_sketcher *s, const char *text, size_t len,
                  uint32_t *sig, retold_sketch_info *info)
{
    const retold_token *tok;
    size_t m;
    int rc = retold_tokenize(s->tk, text, len, &tok, &m);
    if (rc != RETOLD_OK) return rc;
    size_t need = s->p.char_ngram
        ? retold_shingle_chars(tok, m, retold_tokenizer_norm(s->tk), s->p.char_ngram, s->p.seed, NULL, 0)
        : m;                               /* word shingles use m slots */
    if (need > s->capsh) {
        uint64_t *t = realloc(s->sh, need * sizeof *t);
        if (!t) return RETOLD_NOMEM;
        s->sh = t;
        s->capsh = need;
    }
    s->nsh = s->p.char_ngram
        ? retold_shingle_chars(tok, m, retold_tokenizer_norm(s->tk), s->p.char_ngram, s->p.seed, s->sh, need)
        : retold_shingle_words(tok, m, s->p.ngram, s->p.seed, s->sh);
    s->sorted = 0;
    uint64_t fingerprint = s->nsh ? XXH3_64bits(s->sh, s->nsh * sizeof *s->sh) : 0;
    retold_minhash(s->sh, s->nsh, s->p.perms, s->p.seed, sig);
    size_t distinct = count_distinct(s);
    if (distinct == (size_t)-1) return RETOLD_NOMEM;
    if (info) {
        info->tokens = m;
        info->shingles = distinct;
        info->invalid = retold_tokenizer_invalid(s->tk);
        info->fingerprint = fingerprint;
    }
    return RETOLD_OK;
}

int retold_sketcher_shingles(retold_sketcher *s, const uint64_t **h, size_t *n)
{
    if (!s->sorted) {
        s->nsh = retold_shingle_unique(s->sh, s->nsh);
        s->sorted = 1;
    }
    *h = s->sh;
    *n = s->nsh;
    return RETOLD_OK;
}
