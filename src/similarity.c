/* similarity.c - exact Jaccard and containment per view, and the shared
 * names/numbers of the cross view (its hashes with RETOLD_CROSS_KEY_BIT). */
#include "similarity.h"
#include "retold/views.h"

#include <string.h>

static float ratio(size_t num, size_t den)
{
    return den ? (float)((double)num / (double)den) : 0.0f;
}

void retold__similarity(const retold__sets *a, const retold__sets *b, retold_similarity *sim,
                        float jaccard[RETOLD_VIEW_COUNT], float containment[RETOLD_VIEW_COUNT])
{
    memset(sim, 0, sizeof *sim);
    sim->same_lang = -1;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        jaccard[v] = containment[v] = sim->jaccard[v] = sim->containment[v] = -1.0f;
        if (!a->h[v] || !b->h[v]) continue;
        const uint64_t *x = a->h[v], *y = b->h[v];
        size_t nx = a->n[v], ny = b->n[v], i = 0, j = 0, in = 0, kx = 0, ky = 0, ki = 0;
        if (v == RETOLD_VIEW_CROSS) {
            for (size_t q = 0; q < nx; q++) kx += x[q] & RETOLD_CROSS_KEY_BIT;
            for (size_t q = 0; q < ny; q++) ky += y[q] & RETOLD_CROSS_KEY_BIT;
        }
        /* A branch-free merge: which side advances is data, not a jump
         * (the sets interleave at random, so a branch would mispredict
         * about every other step). */
        while (i < nx && j < ny) {
            uint64_t p = x[i], q = y[j];
            size_t eq = p == q;
            in += eq;
            ki += eq & (size_t)(p & RETOLD_CROSS_KEY_BIT);
            i += p <= q;
            j += q <= p;
        }
        sim->shared[v] = (unsigned)in;
        jaccard[v] = sim->jaccard[v] = ratio(in, nx + ny - in);
        containment[v] = sim->containment[v] = ratio(in, nx < ny ? nx : ny);
        if (v == RETOLD_VIEW_CROSS) {
            sim->key_jaccard = ratio(ki, kx + ky - ki);
            sim->key_shared = (unsigned)ki;
        }
        if (v == RETOLD_VIEW_SURFACE) sim->surface_distinct_min = (unsigned)(nx < ny ? nx : ny);
    }
}
