/*
 * exact_pairs - the exact ground truth for retold's benchmark: every pair of
 * documents whose word n-gram sets have Jaccard >= tau, with the exact
 * value, found by prefix filtering (AllPairs, Bayardo, Ma, Srikant, WWW
 * 2007), or by brute force for checking.
 *
 *   exact_pairs [-t T] [--tau X] [-n N] [--seed S] [--brute] [-o OUT] INPUT...
 *
 * The sets are the library's own: retold_sketch + retold_sketcher_shingles
 * give the sorted distinct surface shingle hashes of a document, exactly the
 * sets retold's exact verification intersects.  The default tau is
 * t - 0.15, so every pair at J >= t - 0.1 (the precision bar) is known
 * exactly, with 0.05 to spare.
 *
 * Output: TSV with a header,
 *     id_a  id_b  jaccard  containment  common  size_a  size_b
 * one row per pair, a before b in input order, rows sorted by (a, b).
 * Empty documents (no shingles) take no part, as in retold.
 *
 * Why prefix filtering is exact.  Fix a global order of all shingles and
 * write each set in that order.  If |x n y| >= o, then the first |x| - o + 1
 * elements of x and the first |y| - o + 1 elements of y share an element
 * (otherwise x n y lies in the last o - 1 of x).  For J(x, y) >= tau with
 * |y| <= |x|:  |x n y| >= tau |x u y| >= tau |x|, and also
 * |x n y| >= tau / (1 + tau) (|x| + |y|) >= 2 tau / (1 + tau) |y|.
 * So documents are processed by increasing size; document x probes the
 * index with its first |x| - ceil(tau |x|) + 1 elements, and is then
 * indexed under its first |x| - ceil(2 tau / (1 + tau) |x|) + 1 elements.
 * J <= |y| / |x| gives the size filter |y| >= tau |x|.  Every candidate is
 * verified by merging the two hash-sorted sets, so the output is exact;
 * filtering only decides what is looked at.
 *
 * Worked example, tau = 0.65, |x| = 600: probe prefix 600 - 390 + 1 = 211,
 * index prefix 600 - ceil(0.788 * 600) + 1 = 128.  A pair with J = 0.65 and
 * |y| = |x| = 600 shares >= 473 shingles, so at most 127 of x's elements lie
 * outside y: the 128-element prefixes must meet.
 *
 * The global order puts rare shingles first (the order of (approximate
 * document frequency, hash)), which keeps the index lists short: a
 * shingle that only a document and its variants contain is a perfect
 * filter.  Frequencies are counted in a fixed table of saturating 8-bit
 * counters; collisions only blur the order, which stays a total order
 * because the count is a function of the hash.
 *
 * Memory: 8 bytes per shingle of the corpus (~4.6 KB per 3.5 KB document),
 * plus the index (12 bytes a slot, ~2 slots per indexed element, ~21 % of
 * the shingles at tau = 0.65) and a 64 MB count table.  100k documents of
 * the benchmark corpus: ~1 GB.
 */
#include "retold/error.h"
#include "retold/reader.h"
#include "retold/sketch.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT_BITS 26
#define NONE UINT32_MAX

typedef struct corpus {
    size_t n;                 /* documents read, empty ones included */
    uint64_t *id_off;         /* n + 1 offsets into ids */
    char *ids;
    size_t ids_len, ids_cap;
    uint64_t *set_off;        /* n + 1 offsets into sets */
    uint64_t *sets;           /* each document's sorted distinct hashes */
    size_t sets_len, sets_cap;
    size_t cap;
} corpus;

typedef struct result {
    uint32_t a, b;            /* document indexes, a < b */
    uint32_t common;
} result;

typedef struct results {
    result *v;
    size_t n, cap;
} results;

static const char *prog = "exact_pairs";

static void die(const char *msg, const char *detail)
{
    fprintf(stderr, "%s: %s%s%s\n", prog, msg, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------------- */
/* reading                                                                 */

static void corpus_add(corpus *c, const char *id, size_t id_len, const uint64_t *h, size_t nh)
{
    if (c->n + 1 >= c->cap) {
        c->cap = c->cap ? 2 * c->cap : 4096;
        c->id_off = xrealloc(c->id_off, (c->cap + 1) * sizeof *c->id_off);
        c->set_off = xrealloc(c->set_off, (c->cap + 1) * sizeof *c->set_off);
    }
    if (c->ids_len + id_len > c->ids_cap) {
        while (c->ids_len + id_len > c->ids_cap) c->ids_cap = c->ids_cap ? 2 * c->ids_cap : 1 << 20;
        c->ids = xrealloc(c->ids, c->ids_cap);
    }
    if (c->sets_len + nh > c->sets_cap) {
        while (c->sets_len + nh > c->sets_cap) c->sets_cap = c->sets_cap ? 2 * c->sets_cap : 1 << 20;
        c->sets = xrealloc(c->sets, c->sets_cap * sizeof *c->sets);
    }
    c->id_off[c->n] = c->ids_len;
    memcpy(c->ids + c->ids_len, id, id_len);
    c->ids_len += id_len;
    c->set_off[c->n] = c->sets_len;
    if (nh) memcpy(c->sets + c->sets_len, h, nh * sizeof *h);
    c->sets_len += nh;
    c->n++;
    c->id_off[c->n] = c->ids_len;
    c->set_off[c->n] = c->sets_len;
}

static void corpus_read(corpus *c, char **paths, size_t npaths, const retold_params *p)
{
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    retold_reader *rd;
    if (retold_reader_open(&rd, (const char *const *)paths, npaths, &ro) != RETOLD_OK) die("out of memory", NULL);
    retold_params sp = *p;
    sp.perms = 1;                     /* only the shingle set is wanted */
    retold_sketcher *sk = retold_sketcher_new(&sp);
    if (!sk) die("out of memory", NULL);
    uint32_t sig[RETOLD_VIEW_COUNT];
    for (;;) {
        retold_record rec;
        int rc = retold_reader_next(rd, &rec);
        if (rc == RETOLD_EOF) break;
        if (rc != RETOLD_OK) die(retold_reader_errmsg(rd), NULL);
        rc = retold_sketch(sk, rec.text, rec.text_len, sig, NULL);
        if (rc != RETOLD_OK) die("sketching", retold_strerror(rc));
        const uint64_t *h;
        size_t nh;
        if (retold_sketcher_shingles(sk, &h, &nh) != RETOLD_OK) die("shingles", NULL);
        if (nh >= NONE) die("document too large", NULL);
        corpus_add(c, rec.id, rec.id_len, h, nh);
    }
    retold_sketcher_free(sk);
    retold_reader_close(rd);
}

static size_t doc_size(const corpus *c, size_t d) { return (size_t)(c->set_off[d + 1] - c->set_off[d]); }
static const uint64_t *doc_set(const corpus *c, size_t d) { return c->sets + c->set_off[d]; }

/* ---------------------------------------------------------------------- */
/* verification (shared by both joins, so they agree on every value)       */

static size_t intersect(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        uint64_t x = a[i], y = b[j];
        common += x == y;
        i += x <= y;
        j += y <= x;
    }
    return common;
}

static int passes(size_t common, size_t na, size_t nb, double tau)
{
    return (double)common / (double)(na + nb - common) >= tau;
}

static void results_push(results *r, uint32_t a, uint32_t b, uint32_t common)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 4096;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (result){ a < b ? a : b, a < b ? b : a, common };
}

/* ---------------------------------------------------------------------- */
/* brute force: every pair, no filter at all                               */

static size_t join_brute(const corpus *c, double tau, results *out)
{
    size_t compared = 0;
    for (size_t a = 0; a < c->n; a++) {
        size_t na = doc_size(c, a);
        if (!na) continue;
        for (size_t b = a + 1; b < c->n; b++) {
            size_t nb = doc_size(c, b);
            if (!nb) continue;
            size_t common = intersect(doc_set(c, a), na, doc_set(c, b), nb);
            compared++;
            if (passes(common, na, nb, tau)) results_push(out, (uint32_t)a, (uint32_t)b, (uint32_t)common);
        }
    }
    return compared;
}

/* ---------------------------------------------------------------------- */
/* prefix filtering                                                        */

static inline size_t count_slot(uint64_t h)
{
    return (size_t)((h * 0x9E3779B97F4A7C15ULL) >> (64 - COUNT_BITS));
}

/* Length of the prefix that must hold one of `need_fraction * n` common
 * elements, rounded up: shorter prefixes could miss a pair, longer ones
 * only cost time, so floating-point doubt goes to the longer side. */
static size_t prefix_len(size_t n, double need_fraction)
{
    double o = ceil(need_fraction * (double)n - 1e-9);
    if (o < 1) o = 1;
    size_t p = n - (size_t)o + 1;
    return p > n ? n : p;
}

typedef struct index {
    uint64_t *key;
    uint32_t *head;           /* NONE = free slot */
    size_t mask;
    uint32_t *node_doc, *node_next;
    size_t nodes;
} index_t;

static uint32_t *index_slot(index_t *ix, uint64_t h, int insert)
{
    size_t j = (size_t)(h ^ (h >> 29)) & ix->mask;
    while (ix->head[j] != NONE) {
        if (ix->key[j] == h) return &ix->head[j];
        j = (j + 1) & ix->mask;
    }
    if (!insert) return NULL;
    ix->key[j] = h;
    return &ix->head[j];
}

static const corpus *sort_corpus;
static int by_size(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    size_t na = doc_size(sort_corpus, a), nb = doc_size(sort_corpus, b);
    if (na != nb) return na < nb ? -1 : 1;
    return a < b ? -1 : a > b;
}

static size_t join_prefix(const corpus *c, double tau, results *out, size_t *candidates)
{
    /* 1. approximate document frequencies */
    uint8_t *count = calloc((size_t)1 << COUNT_BITS, 1);
    if (!count) die("out of memory", NULL);
    for (size_t i = 0; i < c->sets_len; i++) {
        uint8_t *x = &count[count_slot(c->sets[i])];
        if (*x < 255) (*x)++;
    }

    /* 2. documents by size; index capacity from the index prefix lengths */
    double idx_frac = 2.0 * tau / (1.0 + tau);
    uint32_t *order = xrealloc(NULL, (c->n ? c->n : 1) * sizeof *order);
    size_t m = 0, entries = 0, maxsize = 0;
    for (size_t d = 0; d < c->n; d++) {
        size_t nd = doc_size(c, d);
        if (!nd) continue;
        order[m++] = (uint32_t)d;
        entries += prefix_len(nd, idx_frac);
        if (nd > maxsize) maxsize = nd;
    }
    sort_corpus = c;
    qsort(order, m, sizeof *order, by_size);
    index_t ix;
    size_t cap = 1024;
    while (cap < 2 * entries) cap *= 2;
    ix.mask = cap - 1;
    ix.key = xrealloc(NULL, cap * sizeof *ix.key);
    ix.head = xrealloc(NULL, cap * sizeof *ix.head);
    memset(ix.head, 0xFF, cap * sizeof *ix.head);
    ix.node_doc = xrealloc(NULL, (entries ? entries : 1) * sizeof *ix.node_doc);
    ix.node_next = xrealloc(NULL, (entries ? entries : 1) * sizeof *ix.node_next);
    ix.nodes = 0;
    if (entries >= NONE) die("corpus too large for a 32-bit index", NULL);

    /* 3. probe, verify, index */
    uint64_t *ordered = xrealloc(NULL, (maxsize ? maxsize : 1) * sizeof *ordered);
    uint32_t *stamp = xrealloc(NULL, (c->n ? c->n : 1) * sizeof *stamp);
    memset(stamp, 0xFF, (c->n ? c->n : 1) * sizeof *stamp);
    uint32_t *cand = xrealloc(NULL, (c->n ? c->n : 1) * sizeof *cand);
    size_t compared = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t x = order[i];
        size_t nx = doc_size(c, x);
        const uint64_t *sx = doc_set(c, x);
        /* x in global order (count, hash): a stable counting sort by count
         * of the hash-sorted set */
        size_t bucket[257] = {0};
        for (size_t e = 0; e < nx; e++) bucket[count[count_slot(sx[e])] + 1]++;
        for (int b = 1; b <= 256; b++) bucket[b] += bucket[b - 1];
        for (size_t e = 0; e < nx; e++) ordered[bucket[count[count_slot(sx[e])]]++] = sx[e];

        size_t probe = prefix_len(nx, tau), ncand = 0;
        double min_size = tau * (double)nx - 1e-9;
        for (size_t e = 0; e < probe; e++) {
            uint32_t *slot = index_slot(&ix, ordered[e], 0);
            if (!slot) continue;
            /* newest first: sizes never increase along a list */
            for (uint32_t nd = *slot; nd != NONE; nd = ix.node_next[nd]) {
                uint32_t y = ix.node_doc[nd];
                if ((double)doc_size(c, y) < min_size) break;
                if (stamp[y] == x) continue;
                stamp[y] = x;
                cand[ncand++] = y;
            }
        }
        for (size_t k = 0; k < ncand; k++) {
            uint32_t y = cand[k];
            size_t ny = doc_size(c, y);
            size_t common = intersect(sx, nx, doc_set(c, y), ny);
            if (passes(common, nx, ny, tau)) results_push(out, x, y, (uint32_t)common);
        }
        compared += ncand;
        size_t ip = prefix_len(nx, idx_frac);
        for (size_t e = 0; e < ip; e++) {
            uint32_t *slot = index_slot(&ix, ordered[e], 1);
            uint32_t nd = (uint32_t)ix.nodes++;
            ix.node_doc[nd] = x;
            ix.node_next[nd] = *slot;
            *slot = nd;
        }
    }
    *candidates = compared;
    free(count);
    free(order);
    free(ordered);
    free(stamp);
    free(cand);
    free(ix.key);
    free(ix.head);
    free(ix.node_doc);
    free(ix.node_next);
    return compared;
}

/* ---------------------------------------------------------------------- */

static int by_pair(const void *x, const void *y)
{
    const result *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static void put_id(FILE *f, const corpus *c, size_t d)
{
    const char *s = c->ids + c->id_off[d];
    size_t n = (size_t)(c->id_off[d + 1] - c->id_off[d]);
    for (size_t i = 0; i < n; i++) {       /* escaped as retold pairs does */
        switch (s[i]) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: putc(s[i], f);
        }
    }
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: %s [options] INPUT...\n"
"Every pair of documents with exact word n-gram Jaccard >= tau (retold's own\n"
"shingles), by prefix filtering; TSV on stdout:\n"
"  id_a id_b jaccard containment common size_a size_b\n"
"  -t T          threshold t (default 0.8)\n"
"      --tau X   join threshold (default t - 0.15)\n"
"  -n N          words per shingle (default 5)\n"
"      --char-ngram N  character n-grams instead\n"
"      --seed S  hash seed (default 0)\n"
"      --brute   compare every pair (slow; to check the prefix filter)\n"
"  -o FILE       output file (default stdout)\n"
"  -q            no summary on stderr\n", prog);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "tau", required_argument, 0, 'T' },
        { "char-ngram", required_argument, 0, 'c' },
        { "seed", required_argument, 0, 's' },
        { "brute", no_argument, 0, 'B' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    retold_params p;
    retold_params_default(&p);
    double tau = -1;
    int brute = 0, quiet = 0, ch;
    const char *outpath = NULL;
    while ((ch = getopt_long(argc, argv, "t:n:o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 't': p.threshold = atof(optarg); break;
        case 'T': tau = atof(optarg); break;
        case 'n': p.ngram = (unsigned)atoi(optarg); break;
        case 'c': p.char_ngram = (unsigned)atoi(optarg); break;
        case 's': p.seed = strtoull(optarg, NULL, 10); break;
        case 'B': brute = 1; break;
        case 'o': outpath = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind >= argc) { usage(stderr); return 1; }
    if (tau < 0) tau = p.threshold - 0.15;
    if (!(tau > 0 && tau <= 1)) die("tau must be in (0, 1]", NULL);
    char msg[256];
    if (retold_params_resolve(&p, msg, sizeof msg) != RETOLD_OK) die(msg, NULL);

    double t0 = now();
    corpus c;
    memset(&c, 0, sizeof c);
    corpus_read(&c, argv + optind, (size_t)(argc - optind), &p);
    double t1 = now();
    results r = {0};
    size_t compared, candidates = 0;
    if (brute) compared = join_brute(&c, tau, &r);
    else compared = join_prefix(&c, tau, &r, &candidates);
    qsort(r.v, r.n, sizeof *r.v, by_pair);
    double t2 = now();

    FILE *f = outpath ? fopen(outpath, "w") : stdout;
    if (!f) die(outpath, strerror(errno));
    fputs("id_a\tid_b\tjaccard\tcontainment\tcommon\tsize_a\tsize_b\n", f);
    for (size_t i = 0; i < r.n; i++) {
        const result *x = &r.v[i];
        size_t na = doc_size(&c, x->a), nb = doc_size(&c, x->b);
        put_id(f, &c, x->a);
        putc('\t', f);
        put_id(f, &c, x->b);
        fprintf(f, "\t%.6f\t%.6f\t%u\t%zu\t%zu\n", (double)x->common / (double)(na + nb - x->common),
                (double)x->common / (double)(na < nb ? na : nb), x->common, na, nb);
    }
    if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0)) die("writing output", strerror(errno));
    if (!quiet)
        fprintf(stderr, "%s: %zu documents, %zu shingles; %s join at tau %.3f: %zu pairs compared, "
                "%zu pairs; read %.2f s, join %.2f s\n", prog, c.n, c.sets_len,
                brute ? "brute-force" : "prefix-filter", tau, compared, r.n, t1 - t0, t2 - t1);
    free(r.v);
    free(c.id_off);
    free(c.ids);
    free(c.set_off);
    free(c.sets);
    return 0;
}
