/* match.c - the verification of one candidate pair (see match.h), moved
 * out of batch.c unchanged so the index answers exactly as the batch. */
#include "match.h"
#include "retold/relation.h"

#include "retold/error.h"
#include "radix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t retold__low_max_bucket(size_t n)
{
    size_t m = (size_t)(4.0 * sqrt((double)n));
    return m < 64 ? 64 : m;
}

int retold__fp_sets(const retold_params *p, retold_sketcher *sk, uint64_t **buf, size_t *cap,
                    retold__sets *s)
{
    const uint64_t *h[RETOLD_VIEW_COUNT];
    size_t n[RETOLD_VIEW_COUNT], total = 0, most = 0;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        n[v] = 0;
        h[v] = NULL;
        if (!(p->views & (1u << v))) continue;
        if (retold_sketcher_view_hashes(sk, v, &h[v], &n[v]) != RETOLD_OK) return RETOLD_INVAL;
        total += n[v];
        most = n[v] > most ? n[v] : most;
    }
    /* The hashes come unsorted and with repeats: map them to fingerprints,
     * then sort and deduplicate those once (not the hashes first). */
    size_t need = total + most + 1;        /* the sets, then sort scratch */
    if (need > *cap) {
        uint64_t *t = realloc(*buf, need * sizeof *t);
        if (!t) return RETOLD_NOMEM;
        *buf = t;
        *cap = need;
    }
    uint64_t *q = *buf, *scratch = *buf + total;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        s->h[v] = NULL;
        s->h32[v] = NULL;
        s->n[v] = 0;
        if (!(p->views & (1u << v))) continue;
        for (size_t x = 0; x < n[v]; x++) q[x] = retold__set_fp(h[v][x]);
        retold__sort_hashes(q, scratch, n[v], 32);
        size_t u = 0;
        for (size_t x = 0; x < n[v]; x++)
            if (u == 0 || q[x] != q[u - 1]) q[u++] = q[x];
        s->h[v] = q;
        s->n[v] = u;
        q += n[v];
    }
    return RETOLD_OK;
}

int retold__verify_decide(const retold_params *p, int verify, double e,
                          uint32_t na, uint32_t nb)
{
    if (retold_params_nviews(p) > 1) return RETOLD__EXACT;
    double t = p->threshold;
    /* The size bound.  The exact check compares 32-bit fingerprints
     * (match.h), and shingles of the larger document that share one shrink
     * its set: ~max^2 / 2^33 of them are expected (1e-4 for a news article,
     * 1.2 at 10^5 shingles).  Allow eight times that and two more, so the
     * bound never drops a pair the exact check would keep. */
    uint32_t mn = na < nb ? na : nb, mx = na < nb ? nb : na;
    double slack = 2.0 + (double)mx * (double)mx / 1073741824.0;
    if ((double)mn < t * ((double)mx - slack)) return RETOLD__DROP;
    double sigma = sqrt(t * (1.0 - t) / p->perms), lo = t - 3 * sigma, hi = t + 3 * sigma;
    switch (verify) {
    case RETOLD_VERIFY_ESTIMATE: return e >= t ? RETOLD__KEEP : RETOLD__DROP;
    case RETOLD_VERIFY_EXACT: return e >= lo ? RETOLD__EXACT : RETOLD__DROP;
    default: return e >= hi ? RETOLD__KEEP : e >= lo ? RETOLD__EXACT : RETOLD__DROP;
    }
}

static float containment_estimate(double j, uint32_t na, uint32_t nb)
{
    double inter = j * ((double)na + nb) / (1.0 + j);
    uint32_t mn = na < nb ? na : nb;
    double c = mn ? inter / mn : 0.0;
    return (float)(c > 1.0 ? 1.0 : c);
}

int retold__verify_pair(const retold_params *p, int d, float est,
                        const retold__doc *x, const retold__doc *y, retold_pair *pr)
{
    const int multi = retold_params_nviews(p) > 1;
    const int same = x->fingerprint == y->fingerprint;
    pr->flags = 0;
    pr->jaccard = est;
    if (d == RETOLD__EXACT) {
        retold_similarity sim;
        retold__similarity(&x->sets, &y->sets, &sim, pr->view_jaccard, pr->view_containment);
        sim.same_lang = (!strcmp(x->lang, "und") || !strcmp(y->lang, "und")) ? -1 : !strcmp(x->lang, y->lang);
        sim.identical = same;
        pr->jaccard = pr->view_jaccard[RETOLD_VIEW_SURFACE];
        pr->containment = pr->view_containment[RETOLD_VIEW_SURFACE];
        pr->relation = retold_relation_classify(&sim, p->threshold, &pr->score);
        pr->flags |= RETOLD_PAIR_EXACT;
        if (pr->relation == RETOLD_REL_NONE) return 0;
    } else {
        pr->containment = containment_estimate(pr->jaccard, x->distinct, y->distinct);
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) pr->view_jaccard[v] = pr->view_containment[v] = -1.0f;
        pr->view_jaccard[RETOLD_VIEW_SURFACE] = pr->jaccard;
        pr->view_containment[RETOLD_VIEW_SURFACE] = pr->containment;
        pr->relation = same ? RETOLD_REL_DUPLICATE : RETOLD_REL_NEAR_COPY;
        pr->score = pr->jaccard;
    }
    if (!multi) {
        /* the copy channel: only the copy threshold decides */
        if (pr->jaccard < p->threshold) return 0;
        if (same) {
            pr->relation = RETOLD_REL_DUPLICATE;
            pr->jaccard = pr->containment = pr->score = 1.0f;
            pr->view_jaccard[0] = pr->view_containment[0] = 1.0f;
        } else {
            pr->relation = RETOLD_REL_NEAR_COPY;
            pr->score = pr->jaccard;
        }
    }
    return 1;
}
