/*
 * stages - where retold's time goes, stage by stage, on a corpus held in
 * memory; and the classic MinHash as the in-run reference.
 *
 *   stages [-t T] [-k K] [-n N] [--seed S] [--max-docs N] INPUT...
 *   stages --naive-pairs [-j J] [-t T] [-k K] INPUT... > pairs.tsv
 *
 * Stage mode runs the pipeline of retold pairs on one thread through the
 * public API and times each step separately:
 *
 *   read      retold_reader over the input (JSONL parsed, texts copied out)
 *   tokenize  retold_tokenize: UTF-8 decode, NFKC + case fold, split, hash
 *             each token (normalisation is fused into the tokeniser; there
 *             is no separate pass to time)
 *   shingle   retold_shingle_words: a rolling polynomial of the token hashes per word 5-gram
 *   minhash   retold_minhash: one-permutation MinHash, k bins, densified
 *   sketch    retold_sketch, the three above plus the distinct count and the
 *             duplicate fingerprint, as the pipeline calls it
 *   bands     retold_lsh_band_hashes
 *   lsh       retold_lsh_candidates
 *   verify    estimate every candidate; exact Jaccard of those within 3
 *             sigma of t (their shingle sets recomputed from memory, where
 *             the pipeline re-reads the file), as --verify auto does
 *   cluster   union-find over the kept pairs
 *   write     the pairs as retold pairs prints them, to /dev/null
 *   naive     the classic MinHash over the same shingles: k independent
 *             hash functions h_i(x) = (a_i x + b_i) mod (2^61 - 1), the
 *             minimum of each over all shingles: O(shingles x k)
 *
 * Documents go through tokenize, shingle, minhash, naive and bands in
 * blocks of 32 (a block's tokens and shingles stay in L2), with a wall and
 * a thread-CPU clock read around each step of a block, so a stage's time
 * does not include time the thread spent preempted by other jobs.
 *
 * Output (stdout): TSV with a header,
 *   stage  wall_s  cpu_s  mb_per_cpu_s  docs_per_cpu_s  ns_per_doc  note
 * MB are 10^6 bytes of the input files (as in the benchmark table); the
 * rates are per CPU second, i.e. per core.  The last lines compare the
 * sketch (tokenize + shingle + minhash) with the naive sketch (tokenize +
 * shingle + naive).
 *
 * Naive-pairs mode is the baseline pipeline end to end: the classic
 * signatures on J threads, the same banding (retold's b and r for t and k),
 * the estimate matches/k >= t deciding (no exact verification, as the
 * classic MinHash-LSH deduplicators do).  Output as retold pairs:
 * TSV id_a id_b jaccard, with a header.
 */
#include "retold/error.h"
#include "retold/lsh.h"
#include "retold/minhash.h"
#include "retold/reader.h"
#include "retold/shingle.h"
#include "retold/sketch.h"
#include "retold/tokenize.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BLOCK 32
#define P61 ((UINT64_C(1) << 61) - 1)

static const char *prog = "stages";

static void die(const char *msg, const char *detail)
{
    fprintf(stderr, "%s: %s%s%s\n", prog, msg, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A stage's accumulated wall and thread-CPU seconds. */
typedef struct timer {
    double wall, cpu, w0, c0;
} timer;

static void timer_start(timer *t)
{
    t->w0 = clock_s(CLOCK_MONOTONIC);
    t->c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static void timer_stop(timer *t)
{
    t->wall += clock_s(CLOCK_MONOTONIC) - t->w0;
    t->cpu += clock_s(CLOCK_THREAD_CPUTIME_ID) - t->c0;
}

/* ---------------------------------------------------------------------- */
/* the corpus in memory                                                    */

typedef struct corpus {
    size_t n, cap;
    uint64_t *id_off, *text_off;   /* n + 1 offsets */
    char *ids, *text;
    size_t ids_len, ids_cap, text_len, text_cap;
} corpus;

static void put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : (size_t)1 << 20;
        while (c < *len + n) c *= 2;
        *buf = xrealloc(*buf, c);
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
}

static void corpus_read(corpus *c, char **paths, size_t npaths, size_t max_docs)
{
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    retold_reader *rd;
    if (retold_reader_open(&rd, (const char *const *)paths, npaths, &ro) != RETOLD_OK) die("out of memory", NULL);
    while (!max_docs || c->n < max_docs) {
        retold_record rec;
        int rc = retold_reader_next(rd, &rec);
        if (rc == RETOLD_EOF) break;
        if (rc != RETOLD_OK) die(retold_reader_errmsg(rd), NULL);
        if (c->n + 1 >= c->cap) {
            c->cap = c->cap ? 2 * c->cap : 4096;
            c->id_off = xrealloc(c->id_off, (c->cap + 1) * sizeof *c->id_off);
            c->text_off = xrealloc(c->text_off, (c->cap + 1) * sizeof *c->text_off);
        }
        c->id_off[c->n] = c->ids_len;
        c->text_off[c->n] = c->text_len;
        put(&c->ids, &c->ids_len, &c->ids_cap, rec.id, rec.id_len);
        put(&c->text, &c->text_len, &c->text_cap, rec.text, rec.text_len);
        c->n++;
        c->id_off[c->n] = c->ids_len;
        c->text_off[c->n] = c->text_len;
    }
    retold_reader_close(rd);
}

static const char *doc_text(const corpus *c, size_t d, size_t *len)
{
    *len = (size_t)(c->text_off[d + 1] - c->text_off[d]);
    return c->text + c->text_off[d];
}

static void corpus_free(corpus *c)
{
    free(c->id_off);
    free(c->text_off);
    free(c->ids);
    free(c->text);
}

/* ---------------------------------------------------------------------- */
/* the classic MinHash: k universal hash functions mod the Mersenne prime  */

typedef struct naive {
    unsigned k;
    uint64_t a[RETOLD_PERMS_MAX], b[RETOLD_PERMS_MAX];
} naive;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void naive_init(naive *nv, unsigned k, uint64_t seed)
{
    uint64_t s = seed ^ 0x5DEECE66DULL;
    nv->k = k;
    for (unsigned i = 0; i < k; i++) {
        do nv->a[i] = splitmix(&s) & P61; while (nv->a[i] == 0 || nv->a[i] == P61);
        do nv->b[i] = splitmix(&s) & P61; while (nv->b[i] == P61);
    }
}

static inline uint64_t mod61(unsigned __int128 x)
{
    uint64_t r = ((uint64_t)x & P61) + (uint64_t)(x >> 61);
    r = (r & P61) + (r >> 61);
    return r >= P61 ? r - P61 : r;
}

/* sig[i] = low 32 bits of min over shingles of h_i(x); all ones if n = 0. */
static void naive_minhash(const naive *nv, const uint64_t *h, size_t n, uint32_t *sig)
{
    uint64_t mins[RETOLD_PERMS_MAX];
    for (unsigned i = 0; i < nv->k; i++) mins[i] = UINT64_MAX;
    for (size_t s = 0; s < n; s++) {
        uint64_t x = (h[s] & P61) + (h[s] >> 61);
        if (x >= P61) x -= P61;
        for (unsigned i = 0; i < nv->k; i++) {
            uint64_t v = mod61((unsigned __int128)nv->a[i] * x + nv->b[i]);
            mins[i] = v < mins[i] ? v : mins[i];
        }
    }
    for (unsigned i = 0; i < nv->k; i++) sig[i] = n ? (uint32_t)mins[i] : UINT32_MAX;
}

/* ---------------------------------------------------------------------- */
/* stage mode                                                              */

typedef struct pair {
    uint32_t a, b;
    float j;
} pair;

static uint32_t find_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void put_tsv(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: putc(s[i], f);
        }
    }
}

static void put_id(FILE *f, const corpus *c, size_t d)
{
    put_tsv(f, c->ids + c->id_off[d], (size_t)(c->id_off[d + 1] - c->id_off[d]));
}

static double mb;          /* MB of input, for rates */
static size_t ndocs;

static void row(const char *name, const timer *t, const char *note)
{
    double cpu = t->cpu > 0 ? t->cpu : 1e-9;
    printf("%s\t%.3f\t%.3f\t%.1f\t%.0f\t%.0f\t%s\n", name, t->wall, t->cpu, mb / cpu,
           (double)ndocs / cpu, ndocs ? t->cpu * 1e9 / (double)ndocs : 0.0, note ? note : "");
}

static int run_stages(char **paths, size_t npaths, const retold_params *p, size_t max_docs)
{
    corpus c;
    memset(&c, 0, sizeof c);
    timer t_read = {0}, t_tok = {0}, t_shingle = {0}, t_minhash = {0}, t_naive = {0},
          t_bands = {0}, t_sketch = {0}, t_lsh = {0}, t_verify = {0}, t_cluster = {0}, t_write = {0};

    timer_start(&t_read);
    corpus_read(&c, paths, npaths, max_docs);
    timer_stop(&t_read);
    ndocs = c.n;
    if (mb <= 0) mb = (double)c.text_len / 1e6;

    const unsigned k = p->perms, nb = p->bands;
    uint32_t *sig = xmalloc(c.n * k * sizeof *sig);
    uint32_t *nsig = xmalloc(c.n * k * sizeof *nsig);
    uint64_t *bands = xmalloc(c.n * nb * sizeof *bands);
    uint8_t *skip = xmalloc(c.n);
    naive nv;
    naive_init(&nv, k, p->seed);
    retold_tokenizer *tk = retold_tokenizer_new(p->seed, 0);
    if (!tk) die("out of memory", NULL);

    /* tokenize | shingle | minhash | naive | bands, a block at a time */
    retold_token *tok = NULL;
    uint64_t *sh = NULL;
    size_t tok_cap = 0, tokens = 0, shingles = 0;
    size_t tok_off[BLOCK + 1], sh_n[BLOCK];
    for (size_t d0 = 0; d0 < c.n; d0 += BLOCK) {
        size_t nd = c.n - d0 < BLOCK ? c.n - d0 : BLOCK;
        /* the block's tokens, copied out of the tokeniser */
        timer_start(&t_tok);
        tok_off[0] = 0;
        for (size_t i = 0; i < nd; i++) {
            size_t len, m;
            const char *text = doc_text(&c, d0 + i, &len);
            const retold_token *t;
            if (retold_tokenize(tk, text, len, &t, &m) != RETOLD_OK) die("tokenize failed", NULL);
            if (tok_off[i] + m > tok_cap) {
                while (tok_off[i] + m > tok_cap) tok_cap = tok_cap ? 2 * tok_cap : 65536;
                tok = xrealloc(tok, tok_cap * sizeof *tok);
                sh = xrealloc(sh, tok_cap * sizeof *sh);
            }
            memcpy(tok + tok_off[i], t, m * sizeof *t);
            tok_off[i + 1] = tok_off[i] + m;
        }
        timer_stop(&t_tok);
        tokens += tok_off[nd];

        timer_start(&t_shingle);
        for (size_t i = 0; i < nd; i++)
            sh_n[i] = retold_shingle_words(tok + tok_off[i], tok_off[i + 1] - tok_off[i], p->ngram,
                                           p->seed, sh + tok_off[i]);
        timer_stop(&t_shingle);

        timer_start(&t_minhash);
        for (size_t i = 0; i < nd; i++)
            retold_minhash(sh + tok_off[i], sh_n[i], k, p->seed, sig + (d0 + i) * k);
        timer_stop(&t_minhash);

        timer_start(&t_naive);
        for (size_t i = 0; i < nd; i++)
            naive_minhash(&nv, sh + tok_off[i], sh_n[i], nsig + (d0 + i) * k);
        timer_stop(&t_naive);

        timer_start(&t_bands);
        for (size_t i = 0; i < nd; i++)
            retold_lsh_band_hashes(sig + (d0 + i) * k, nb, p->rows, p->seed, bands + (d0 + i) * nb);
        timer_stop(&t_bands);
        for (size_t i = 0; i < nd; i++) {
            skip[d0 + i] = sh_n[i] == 0;
            shingles += sh_n[i];
        }
    }
    free(tok);
    free(sh);
    retold_tokenizer_free(tk);

    /* the whole sketch as the pipeline calls it; must agree with minhash */
    retold_sketcher *sk = retold_sketcher_new(p);
    if (!sk) die("out of memory", NULL);
    uint32_t one[RETOLD_PERMS_MAX];
    size_t disagree = 0;
    timer_start(&t_sketch);
    for (size_t d = 0; d < c.n; d++) {
        size_t len;
        const char *text = doc_text(&c, d, &len);
        retold_sketch_info info;
        if (retold_sketch(sk, text, len, one, &info) != RETOLD_OK) die("sketch failed", NULL);
        disagree += memcmp(one, sig + d * k, k * sizeof *one) != 0;
    }
    timer_stop(&t_sketch);
    if (disagree) fprintf(stderr, "%s: warning: retold_sketch and the staged minhash differ on %zu documents\n", prog, disagree);

    /* LSH */
    uint64_t *cand;
    size_t ncand;
    timer_start(&t_lsh);
    if (retold_lsh_candidates(bands, c.n, nb, nb, skip, NULL, &cand, &ncand) != RETOLD_OK) die("lsh failed", NULL);
    timer_stop(&t_lsh);

    /* verify, as --verify auto */
    timer_start(&t_verify);
    double t = p->threshold, sigma = sqrt(t * (1.0 - t) / k), lo = t - 3 * sigma, hi = t + 3 * sigma;
    pair *kept = xmalloc((ncand ? ncand : 1) * sizeof *kept);
    uint8_t *need = calloc(c.n ? c.n : 1, 1);
    uint64_t **sets = calloc(c.n ? c.n : 1, sizeof *sets);
    size_t *set_n = calloc(c.n ? c.n : 1, sizeof *set_n);
    float *est = xmalloc((ncand ? ncand : 1) * sizeof *est);
    if (!need || !sets || !set_n) die("out of memory", NULL);
    size_t nkept = 0, nexact = 0, nneed = 0;
    for (size_t i = 0; i < ncand; i++) {
        size_t x = (size_t)(cand[i] >> 32), y = (size_t)(uint32_t)cand[i];
        est[i] = (float)retold_minhash_jaccard(sig + x * k, sig + y * k, k);
        if (est[i] >= lo && est[i] < hi) need[x] = need[y] = 1;
    }
    for (size_t d = 0; d < c.n; d++) {
        if (!need[d]) continue;
        nneed++;
        size_t len, n;
        const uint64_t *h;
        const char *text = doc_text(&c, d, &len);
        if (retold_sketch(sk, text, len, one, NULL) != RETOLD_OK ||
            retold_sketcher_shingles(sk, &h, &n) != RETOLD_OK) die("sketch failed", NULL);
        sets[d] = xmalloc(n * sizeof *h);
        memcpy(sets[d], h, n * sizeof *h);
        set_n[d] = n;
    }
    for (size_t i = 0; i < ncand; i++) {
        uint32_t x = (uint32_t)(cand[i] >> 32), y = (uint32_t)cand[i];
        double j = est[i];
        if (j < lo) continue;
        if (j < hi) {
            size_t common = retold_shingle_intersection(sets[x], set_n[x], sets[y], set_n[y]);
            j = (double)common / (double)(set_n[x] + set_n[y] - common);
            nexact++;
        }
        if (j >= t) kept[nkept++] = (pair){ x, y, (float)j };
    }
    timer_stop(&t_verify);
    retold_sketcher_free(sk);

    /* cluster */
    timer_start(&t_cluster);
    uint32_t *parent = xmalloc(c.n * sizeof *parent);
    for (size_t d = 0; d < c.n; d++) parent[d] = (uint32_t)d;
    for (size_t i = 0; i < nkept; i++) {
        uint32_t x = find_root(parent, kept[i].a), y = find_root(parent, kept[i].b);
        if (x < y) parent[y] = x;
        else if (y < x) parent[x] = y;
    }
    size_t clusters = 0;
    for (size_t d = 0; d < c.n; d++) {
        parent[d] = find_root(parent, (uint32_t)d);
        clusters += parent[d] == d;
    }
    timer_stop(&t_cluster);

    /* write */
    FILE *f = fopen("/dev/null", "w");
    if (!f) die("/dev/null", strerror(errno));
    timer_start(&t_write);
    fputs("id_a\tid_b\tjaccard\tcontainment\n", f);
    for (size_t i = 0; i < nkept; i++) {
        put_id(f, &c, kept[i].a);
        putc('\t', f);
        put_id(f, &c, kept[i].b);
        fprintf(f, "\t%.4f\t%.4f\n", kept[i].j, kept[i].j);
    }
    fclose(f);
    timer_stop(&t_write);

    char note[160];
    printf("stage\twall_s\tcpu_s\tmb_per_cpu_s\tdocs_per_cpu_s\tns_per_doc\tnote\n");
    row("read", &t_read, "retold_reader: JSONL parsed, texts copied to memory");
    snprintf(note, sizeof note, "%zu tokens", tokens);
    row("tokenize", &t_tok, note);
    snprintf(note, sizeof note, "%zu shingles", shingles);
    row("shingle", &t_shingle, note);
    snprintf(note, sizeof note, "k = %u", k);
    row("minhash", &t_minhash, note);
    row("sketch", &t_sketch, "retold_sketch: tokenize+shingle+minhash+distinct+fingerprint");
    snprintf(note, sizeof note, "b = %u, r = %u", nb, p->rows);
    row("bands", &t_bands, note);
    snprintf(note, sizeof note, "%zu candidates", ncand);
    row("lsh", &t_lsh, note);
    snprintf(note, sizeof note, "%zu exact (%zu documents re-sketched), %zu pairs", nexact, nneed, nkept);
    row("verify", &t_verify, note);
    snprintf(note, sizeof note, "%zu clusters", clusters);
    row("cluster", &t_cluster, note);
    row("write", &t_write, "TSV to /dev/null");
    snprintf(note, sizeof note, "classic k = %u hash functions mod 2^61-1", k);
    row("naive_minhash", &t_naive, note);
    timer naive_sketch = { t_tok.wall + t_shingle.wall + t_naive.wall, t_tok.cpu + t_shingle.cpu + t_naive.cpu, 0, 0 };
    timer staged = { t_tok.wall + t_shingle.wall + t_minhash.wall, t_tok.cpu + t_shingle.cpu + t_minhash.cpu, 0, 0 };
    row("naive_sketch", &naive_sketch, "tokenize+shingle+naive_minhash");
    snprintf(note, sizeof note, "minhash %.1fx naive_minhash; sketch %.2fx naive_sketch (CPU)",
             t_naive.cpu / (t_minhash.cpu > 0 ? t_minhash.cpu : 1e-9),
             naive_sketch.cpu / (t_sketch.cpu > 0 ? t_sketch.cpu : 1e-9));
    row("staged_sketch", &staged, note);

    for (size_t d = 0; d < c.n; d++) free(sets[d]);
    free(sets);
    free(set_n);
    free(need);
    free(est);
    free(kept);
    free(parent);
    free(cand);
    free(sig);
    free(nsig);
    free(bands);
    free(skip);
    corpus_free(&c);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* naive-pairs mode                                                        */

typedef struct naive_job {
    const corpus *c;
    const retold_params *p;
    const naive *nv;
    uint32_t *sig;
    uint64_t *bands;
    uint8_t *skip;
    size_t next;                  /* next block, shared */
    pthread_mutex_t lock;
} naive_job;

static void *naive_worker(void *arg)
{
    naive_job *job = arg;
    const retold_params *p = job->p;
    unsigned k = p->perms;
    retold_tokenizer *tk = retold_tokenizer_new(p->seed, 0);
    uint64_t *sh = NULL;
    size_t cap = 0;
    if (!tk) die("out of memory", NULL);
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t d0 = job->next;
        job->next += 256;
        pthread_mutex_unlock(&job->lock);
        if (d0 >= job->c->n) break;
        size_t d1 = d0 + 256 < job->c->n ? d0 + 256 : job->c->n;
        for (size_t d = d0; d < d1; d++) {
            size_t len, m;
            const char *text = doc_text(job->c, d, &len);
            const retold_token *t;
            if (retold_tokenize(tk, text, len, &t, &m) != RETOLD_OK) die("tokenize failed", NULL);
            if (m > cap) {
                cap = m;
                sh = xrealloc(sh, cap * sizeof *sh);
            }
            size_t n = retold_shingle_words(t, m, p->ngram, p->seed, sh);
            naive_minhash(job->nv, sh, n, job->sig + d * k);
            retold_lsh_band_hashes(job->sig + d * k, p->bands, p->rows, p->seed, job->bands + d * p->bands);
            job->skip[d] = n == 0;
        }
    }
    free(sh);
    retold_tokenizer_free(tk);
    return NULL;
}

static int run_naive_pairs(char **paths, size_t npaths, const retold_params *p, size_t max_docs, unsigned threads)
{
    double w0 = clock_s(CLOCK_MONOTONIC);
    corpus c;
    memset(&c, 0, sizeof c);
    corpus_read(&c, paths, npaths, max_docs);
    double w1 = clock_s(CLOCK_MONOTONIC);
    unsigned k = p->perms;
    naive nv;
    naive_init(&nv, k, p->seed);
    naive_job job = { &c, p, &nv, xmalloc(c.n * k * sizeof(uint32_t)),
                      xmalloc(c.n * p->bands * sizeof(uint64_t)), xmalloc(c.n), 0,
                      PTHREAD_MUTEX_INITIALIZER };
    pthread_t tid[64];
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    for (unsigned i = 0; i < threads; i++)
        if (pthread_create(&tid[i], NULL, naive_worker, &job) != 0) die("cannot start threads", NULL);
    for (unsigned i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    double w2 = clock_s(CLOCK_MONOTONIC);
    uint64_t *cand;
    size_t ncand;
    if (retold_lsh_candidates(job.bands, c.n, p->bands, p->bands, job.skip, NULL, &cand, &ncand) != RETOLD_OK)
        die("lsh failed", NULL);
    double w3 = clock_s(CLOCK_MONOTONIC);
    size_t npairs = 0;
    fputs("id_a\tid_b\tjaccard\n", stdout);
    for (size_t i = 0; i < ncand; i++) {
        size_t x = (size_t)(cand[i] >> 32), y = (size_t)(uint32_t)cand[i];
        double j = retold_minhash_jaccard(job.sig + x * k, job.sig + y * k, k);
        if (j < p->threshold) continue;
        put_id(stdout, &c, x);
        putc('\t', stdout);
        put_id(stdout, &c, y);
        printf("\t%.4f\n", j);
        npairs++;
    }
    if (fflush(stdout) != 0) die("writing output", strerror(errno));
    double w4 = clock_s(CLOCK_MONOTONIC);
    fprintf(stderr, "%s: naive: %zu documents, %.1f MB; %zu candidates, %zu pairs\n", prog, c.n,
            (double)c.text_len / 1e6, ncand, npairs);
    fprintf(stderr, "%s: naive: read %.3f s, sketch %.3f s (%u threads), lsh %.3f s, verify+write %.3f s\n",
            prog, w1 - w0, w2 - w1, threads, w3 - w2, w4 - w3);
    free(cand);
    free(job.sig);
    free(job.bands);
    free(job.skip);
    corpus_free(&c);
    return 0;
}

/* ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
"usage: %s [options] INPUT...            per-stage timing (one thread, in memory)\n"
"       %s --naive-pairs [options] INPUT...  the classic MinHash-LSH pipeline\n"
"  -t T            threshold (default 0.8)\n"
"  -k K            permutations (default 128)\n"
"  -n N            words per shingle (default 5)\n"
"      --seed S    hash seed (default 0)\n"
"      --max-docs N  only the first N documents\n"
"      --mb X      MB of input for the rates (default: size of the inputs)\n"
"  -j J            threads for --naive-pairs (default 1)\n", prog, prog);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "seed", required_argument, 0, 's' },
        { "max-docs", required_argument, 0, 'm' },
        { "mb", required_argument, 0, 'M' },
        { "naive-pairs", no_argument, 0, 'N' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    retold_params p;
    retold_params_default(&p);
    size_t max_docs = 0;
    unsigned threads = 1;
    int naive_pairs = 0, ch;
    while ((ch = getopt_long(argc, argv, "t:k:n:j:h", opts, NULL)) != -1) {
        switch (ch) {
        case 't': p.threshold = atof(optarg); break;
        case 'k': p.perms = (unsigned)atoi(optarg); break;
        case 'n': p.ngram = (unsigned)atoi(optarg); break;
        case 'j': threads = (unsigned)atoi(optarg); break;
        case 's': p.seed = strtoull(optarg, NULL, 10); break;
        case 'm': max_docs = (size_t)strtoull(optarg, NULL, 10); break;
        case 'M': mb = atof(optarg); break;
        case 'N': naive_pairs = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind >= argc) { usage(stderr); return 1; }
    char msg[256];
    if (retold_params_resolve(&p, msg, sizeof msg) != RETOLD_OK) die(msg, NULL);
    char **paths = argv + optind;
    size_t npaths = (size_t)(argc - optind);
    if (naive_pairs) return run_naive_pairs(paths, npaths, &p, max_docs, threads);
    if (mb <= 0 && !max_docs) {
        for (size_t i = 0; i < npaths; i++) {
            struct stat st;
            if (stat(paths[i], &st) == 0) mb += (double)st.st_size / 1e6;
        }
    }
    return run_stages(paths, npaths, &p, max_docs);
}
