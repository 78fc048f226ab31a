/*
 * lsh.c - banded LSH: parameter choice, band hashes, candidate pairs.
 *
 * Candidates are found by sorting, not by hash tables of lists: for each
 * band, the (band hash, document) pairs are radix-sorted and every run of
 * equal hashes is a bucket.  Pairs from all bands are then sorted and made
 * unique.  Memory: 16 bytes per document for one band at a time, 8 bytes
 * per emitted pair.
 */
#include "retold/lsh.h"
#include "retold/error.h"
#include "radix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* x^e by squaring: exact integer exponents, ~10x faster than pow(), which
 * matters because retold_lsh_choose evaluates the curve ~10^6 times. */
static double ipow(double x, unsigned e)
{
    double r = 1.0;
    while (e) {
        if (e & 1) r *= x;
        x *= x;
        e >>= 1;
    }
    return r;
}

double retold_lsh_probability(double s, unsigned bands, unsigned rows)
{
    return 1.0 - ipow(1.0 - ipow(s, rows), bands);
}

/* Midpoint rule; the integrands are smooth, 256 steps give ~1e-6. */
static double area(double lo, double hi, unsigned b, unsigned r, int miss)
{
    const int steps = 256;
    double h = (hi - lo) / steps, sum = 0;
    for (int i = 0; i < steps; i++) {
        double p = retold_lsh_probability(lo + (i + 0.5) * h, b, r);
        sum += miss ? 1.0 - p : p;
    }
    return sum * h;
}

int retold_lsh_choose(double t, unsigned k, double w_fn, unsigned *bands, unsigned *rows)
{
    if (!(t > 0.0 && t <= 1.0) || k == 0 || !(w_fn >= 0.0 && w_fn <= 1.0))
        return RETOLD_INVAL;
    double best = INFINITY;
    unsigned bb = 1, br = k;
    for (unsigned b = 1; b <= k; b++) {
        for (unsigned r = 1; r <= k / b; r++) {
            double e = (1.0 - w_fn) * area(0.0, t, b, r, 0) + w_fn * area(t, 1.0, b, r, 1);
            if (e < best - 1e-12) { best = e; bb = b; br = r; }
        }
    }
    *bands = bb;
    *rows = br;
    return RETOLD_OK;
}

void retold_lsh_band_hashes(const uint32_t *sig, unsigned bands, unsigned rows,
                            uint64_t seed, uint64_t *out)
{
    unsigned char buf[4 * 1024];
    for (unsigned j = 0; j < bands; j++) {
        const uint32_t *v = sig + (size_t)j * rows;
        for (unsigned i = 0; i < rows; i++) {
            buf[4 * i] = (unsigned char)v[i];
            buf[4 * i + 1] = (unsigned char)(v[i] >> 8);
            buf[4 * i + 2] = (unsigned char)(v[i] >> 16);
            buf[4 * i + 3] = (unsigned char)(v[i] >> 24);
        }
        out[j] = XXH3_64bits_withSeed(buf, 4 * (size_t)rows, seed + j);
    }
}

typedef struct pairvec {
    uint64_t *v;
    size_t n, cap;
} pairvec;

static int pairvec_push(pairvec *pv, uint64_t x)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 4096;
        uint64_t *p = realloc(pv->v, cap * sizeof *p);
        if (!p) return RETOLD_NOMEM;
        pv->v = p;
        pv->cap = cap;
    }
    pv->v[pv->n++] = x;
    return RETOLD_OK;
}

int retold_lsh_candidates(const uint64_t *bands, size_t n, unsigned b, size_t stride,
                          const uint8_t *skip, const uint8_t *side,
                          uint64_t **pairs, size_t *npairs)
{
    *pairs = NULL;
    *npairs = 0;
    if (n >= UINT32_MAX) return RETOLD_TOOBIG;
    int rc = RETOLD_NOMEM;
    pairvec pv = {0};
    retold__keyed *items = malloc((n ? n : 1) * sizeof *items);
    retold__keyed *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!items || !tmp) goto out;

    for (unsigned j = 0; j < b; j++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (skip && skip[i]) continue;
            items[m].key = bands[i * stride + j];
            items[m].val = i;
            m++;
        }
        retold__radix_keyed(items, tmp, m);
        for (size_t s = 0; s < m;) {
            size_t e = s + 1;
            while (e < m && items[e].key == items[s].key) e++;
            /* bucket items[s..e): documents in input order (stable sort) */
            for (size_t x = s; x < e; x++)
                for (size_t y = x + 1; y < e; y++) {
                    uint64_t i = items[x].val, k = items[y].val;
                    if (side && side[i] == side[k]) continue;
                    if (pairvec_push(&pv, (i << 32) | k) != RETOLD_OK) goto out;
                }
            s = e;
        }
    }
    free(tmp);
    tmp = NULL;
    if (pv.n) {
        uint64_t *scratch = malloc(pv.n * sizeof *scratch);
        if (!scratch) goto out;
        retold__radix_u64(pv.v, scratch, pv.n);
        free(scratch);
        size_t u = 1;
        for (size_t i = 1; i < pv.n; i++)
            if (pv.v[i] != pv.v[u - 1]) pv.v[u++] = pv.v[i];
        pv.n = u;
    }
    *pairs = pv.v;
    *npairs = pv.n;
    pv.v = NULL;
    rc = RETOLD_OK;
out:
    free(items);
    free(tmp);
    free(pv.v);
    return rc;
}
