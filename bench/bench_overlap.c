/* bench_overlap.c - the outlet x outlet aggregation at scale, on generated
 * data: D documents from O outlets (sizes Zipf-like), P related pairs (each
 * a copy of an earlier document, mostly from a few "wire" outlets, dates a
 * few days apart), then the heatmap matrix of the top 30 and its display
 * order.  Prints the time and peak memory of each step.
 *
 *   cc -O2 -Iinclude bench/bench_overlap.c build/libretold.a $(LIBS) -o build/bench_overlap
 *   build/bench_overlap [DOCS [OUTLETS [PAIRS]]]     (default 1000000 1000 3000000)
 */
#include "retold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng = 42;
static uint64_t next(void)          /* splitmix64 */
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

typedef struct corpus {
    uint32_t *outlet;
    char (*date)[16];
    char (*name)[32];
} corpus;

static void doc_of(void *ctx, size_t i, retold_overlap_doc *d)
{
    const corpus *c = ctx;
    d->source = c->name[c->outlet[i]];
    d->source_len = strlen(d->source);
    d->date = c->date[i];
    d->date_len = 10;
}

int main(int argc, char **argv)
{
    size_t docs = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    size_t outlets = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000;
    size_t npairs = argc > 3 ? strtoull(argv[3], NULL, 10) : 3000000;
    corpus c;
    c.outlet = malloc(docs * sizeof *c.outlet);
    c.date = malloc(docs * sizeof *c.date);
    c.name = malloc(outlets * sizeof *c.name);
    retold_pair *pairs = calloc(npairs, sizeof *pairs);
    if (!c.outlet || !c.date || !c.name || !pairs) return 1;
    for (size_t o = 0; o < outlets; o++) snprintf(c.name[o], sizeof c.name[o], "outlet-%04zu", o);
    for (size_t i = 0; i < docs; i++) {
        /* outlet ~ 1/rank: take the smaller of two uniforms, squared */
        double u = (double)(next() % 1000000) / 1e6;
        c.outlet[i] = (uint32_t)(u * u * (double)outlets);
        int day = (int)(i * 365 / docs);                 /* a year of news, in order */
        snprintf(c.date[i], sizeof c.date[i], "2022-%02d-%02d", 1 + day / 31 % 12, 1 + day % 28);
    }
    for (size_t k = 0; k < npairs; k++) {
        size_t b = 1 + next() % (docs - 1), a = b - 1 - next() % (b < 50 ? b : 50);   /* a copy of a recent doc */
        pairs[k].a = (uint32_t)a;
        pairs[k].b = (uint32_t)b;
        pairs[k].relation = (int)(RETOLD_REL_PARTIAL_COPY + next() % 3);
    }
    printf("%zu documents, %zu outlets, %zu pairs (generated; peak %ld MB)\n", docs, outlets, npairs, peak_mb());
    double t0 = now();
    retold_overlap *ov;
    if (retold_overlap_compute(&ov, docs, doc_of, &c, pairs, npairs, NULL) != RETOLD_OK) return 1;
    double t1 = now();
    size_t ncells;
    retold_overlap_cells(ov, &ncells);
    printf("compute: %.3f s, %zu non-zero cells, peak %ld MB\n", t1 - t0, ncells, peak_mb());
    uint32_t top[30], order[30];
    size_t k = retold_overlap_top(ov, 30, top);
    retold_overlap_cell *m = malloc((k + 1) * (k + 1) * sizeof *m);
    if (!m || retold_overlap_order(ov, top, k, order) != RETOLD_OK ||
        retold_overlap_matrix(ov, order, k, m) != RETOLD_OK) return 1;
    double t2 = now();
    printf("top %zu + order + matrix with 'other outlets': %.3f s (other row: %llu docs, %llu shared)\n",
           k, t2 - t1, (unsigned long long)m[k * (k + 1)].docs_a, (unsigned long long)m[k * (k + 1) + k].shared);
    free(m);
    retold_overlap_free(ov);
    free(c.outlet);
    free(c.date);
    free(c.name);
    free(pairs);
    return 0;
}
