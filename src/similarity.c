/* similarity.c - exact Jaccard and containment per view, and the shared
 * names/numbers of the cross view (its hashes with RETOLD_CROSS_KEY_BIT). */
#include "similarity.h"
#include "retold/views.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static float ratio(size_t num, size_t den)
{
    return den ? (float)((double)num / (double)den) : 0.0f;
}

/* Shared elements of two sorted sets x[i..nx), y[j..ny) (i and j advance),
 * and how many of them carry the cross view's key bit.  A branch-free
 * merge: which side advances is data, not a jump (the sets interleave at
 * random, so a branch would mispredict about every other step). */
#define MERGE(T, x, nx, y, ny, i, j, in, ki) do {                   \
        while ((i) < (nx) && (j) < (ny)) {                          \
            T p_ = (x)[i], q_ = (y)[j];                             \
            size_t eq_ = p_ == q_;                                  \
            (in) += eq_;                                            \
            (ki) += eq_ & (size_t)(p_ & RETOLD_CROSS_KEY_BIT);      \
            (i) += p_ <= q_;                                        \
            (j) += q_ <= p_;                                        \
        }                                                           \
    } while (0)

#define KEYS(x, n, k) do {                                          \
        for (size_t q_ = 0; q_ < (n); q_++) (k) += (x)[q_] & RETOLD_CROSS_KEY_BIT; \
    } while (0)

/* The 32-bit sets (verification in batch runs, where most of a
 * multi-view run's time goes): four elements of each side at a time, each
 * of x's four against all of y's four (y rotated three times), then the
 * block with the smaller last element moves on (both if equal).  Every
 * pair of blocks that can share an element meets once, so each shared
 * element is counted once; what is left after the last whole block of
 * either side is merged one by one. */
static void inter32(const uint32_t *x, size_t nx, const uint32_t *y, size_t ny, size_t *in_out, size_t *ki_out)
{
    size_t i = 0, j = 0, in = 0, ki = 0;
#if defined(__SSE2__)
    /* set bits of a 4-bit mask (no POPCNT in the x86-64 baseline) */
    static const unsigned char bits4[16] = { 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4 };
    _Static_assert(RETOLD_CROSS_KEY_BIT == 1u, "the key bit is bit 0: shifted to the sign bit below");
    size_t nx4 = nx & ~(size_t)3, ny4 = ny & ~(size_t)3;
    while (i < nx4 && j < ny4) {
        __m128i a = _mm_loadu_si128((const __m128i *)(x + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(y + j));
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi32(a, b), _mm_cmpeq_epi32(a, _mm_shuffle_epi32(b, 0x39))),
            _mm_or_si128(_mm_cmpeq_epi32(a, _mm_shuffle_epi32(b, 0x4E)), _mm_cmpeq_epi32(a, _mm_shuffle_epi32(b, 0x93))));
        unsigned hit = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(m));
        unsigned key = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_slli_epi32(a, 31)));
        in += bits4[hit];
        ki += bits4[hit & key];
        uint32_t xa = x[i + 3], yb = y[j + 3];
        i += (size_t)(xa <= yb) * 4;
        j += (size_t)(yb <= xa) * 4;
    }
#endif
    MERGE(uint32_t, x, nx, y, ny, i, j, in, ki);
    *in_out += in;
    *ki_out += ki;
}

void retold__similarity(const retold__sets *a, const retold__sets *b, retold_similarity *sim,
                        float jaccard[RETOLD_VIEW_COUNT], float containment[RETOLD_VIEW_COUNT])
{
    memset(sim, 0, sizeof *sim);
    sim->same_lang = -1;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        jaccard[v] = containment[v] = sim->jaccard[v] = sim->containment[v] = -1.0f;
        size_t nx = a->n[v], ny = b->n[v], in = 0, kx = 0, ky = 0, ki = 0;
        if (a->h[v] && b->h[v]) {
            const uint64_t *x = a->h[v], *y = b->h[v];
            if (v == RETOLD_VIEW_CROSS) { KEYS(x, nx, kx); KEYS(y, ny, ky); }
            size_t i = 0, j = 0;
            MERGE(uint64_t, x, nx, y, ny, i, j, in, ki);
        } else if (!a->h[v] && !b->h[v] && a->h32[v] && b->h32[v]) {
            const uint32_t *x = a->h32[v], *y = b->h32[v];
            if (v == RETOLD_VIEW_CROSS) { KEYS(x, nx, kx); KEYS(y, ny, ky); }
            inter32(x, nx, y, ny, &in, &ki);
        } else {
            continue;
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
