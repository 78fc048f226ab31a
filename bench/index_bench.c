/*
 * index_bench.c - the standing index at scale: bulk add throughput (docs/s,
 * also per stretch of the load, to show how it holds up as the index
 * grows), single-document query latency (median, p99, max) for documents
 * already indexed (they find their planted copies) and for new ones, index
 * size on disk, and peak memory.
 *
 *   index_bench CORPUS.jsonl INDEX_DIR [--queries FILE.jsonl] [--nq N]
 *               [--batch N] [--threads N] [--nosync] [--skip-add]
 *
 * bench/index-bench.sh makes the corpus with datagen and runs this under
 * /usr/bin/time -v.
 */
#include "retold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A chunk of records copied out of the reader. */
enum { CHUNK = 512 };
typedef struct chunk { retold_record r[CHUNK]; char *data; size_t len, cap; size_t n; } chunk;

static const char *put(chunk *c, const char *s, size_t n)
{
    if (!s) return NULL;
    if (c->len + n + 1 > c->cap) return NULL;
    char *d = c->data + c->len;
    memcpy(d, s, n);
    d[n] = 0;
    c->len += n + 1;
    return d;
}

/* Fill c from r; returns records read (0 at the end), -1 on error. */
static long fill(chunk *c, retold_reader *r)
{
    c->n = c->len = 0;
    while (c->n < CHUNK) {
        retold_record rec;
        int rc = retold_reader_next(r, &rec);
        if (rc == RETOLD_EOF) break;
        if (rc != RETOLD_OK) { fprintf(stderr, "%s\n", retold_reader_errmsg(r)); return -1; }
        size_t need = rec.id_len + rec.text_len + rec.source_len + rec.date_len + rec.lang_len + 8;
        if (c->len + need > c->cap) {          /* 256 MiB holds any chunk of news */
            if (c->n) { fprintf(stderr, "a chunk exceeds the buffer\n"); return -1; }
            size_t cap = c->cap ? c->cap * 2 : (size_t)64 << 20;
            while (cap < c->len + need) cap *= 2;
            char *d = realloc(c->data, cap);
            if (!d) return -1;
            c->data = d;
            c->cap = cap;
        }
        retold_record *d = &c->r[c->n++];
        *d = rec;
        d->id = put(c, rec.id, rec.id_len);
        d->text = put(c, rec.text, rec.text_len);
        d->source = put(c, rec.source, rec.source_len);
        d->date = put(c, rec.date, rec.date_len);
        d->lang = put(c, rec.lang, rec.lang_len);
        d->path = "corpus";
    }
    return (long)c->n;
}

/* Anonymous (heap) resident memory now, in MB: RssAnon of /proc/self/status.
 * Peak RSS also counts the pages of the memory-mapped index file. */
static double rss_anon_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "RssAnon:", 8)) kb = strtod(line + 8, NULL);
    if (f) fclose(f);
    return kb / 1024.0;
}

static double max_anon;

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void latency(const char *what, double *t, size_t n, size_t matches, size_t cands)
{
    if (!n) return;
    qsort(t, n, sizeof *t, cmp_d);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += t[i];
    printf("query %-8s %zu queries: median %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms; "
           "%.2f matches and %.1f candidates per query\n", what, n, t[n / 2] * 1e3,
           t[(size_t)((double)n * 0.99)] * 1e3, t[n - 1] * 1e3, sum / (double)n * 1e3,
           (double)matches / (double)n, (double)cands / (double)n);
}

/* Query every stride-th record of path, one at a time. */
static int run_queries(retold_index *ix, const char *path, size_t nq, size_t total, const char *what)
{
    retold_reader *r;
    if (retold_reader_open(&r, &path, 1, NULL) != RETOLD_OK) return 1;
    size_t stride = total > nq ? total / nq : 1, i = 0, n = 0, matches = 0, cands = 0;
    double *t = malloc(nq * sizeof *t);
    retold_record rec;
    while (n < nq && retold_reader_next(r, &rec) == RETOLD_OK) {
        if (i++ % stride) continue;
        const retold_index_match *m;
        size_t nm;
        retold_index_query_info info;
        double t0 = now();
        int rc = retold_index_query(ix, &rec, NULL, &m, &nm, &info);
        t[n++] = now() - t0;
        if (rc != RETOLD_OK) { fprintf(stderr, "query: %s\n", retold_index_errmsg(ix)); return 1; }
        if (n % 1000 == 0) { double anon = rss_anon_mb(); if (anon > max_anon) max_anon = anon; }
        matches += nm;
        cands += info.candidates;
    }
    latency(what, t, n, matches, cands);
    free(t);
    retold_reader_close(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: index_bench CORPUS.jsonl INDEX_DIR [--queries FILE] [--nq N] [--batch N] "
                        "[--threads N] [--nosync] [--skip-add]\n");
        return 1;
    }
    const char *corpus = argv[1], *dir = argv[2], *queries = NULL;
    size_t nq = 10000, batch = 50000;
    unsigned threads = 2;
    int nosync = 0, skip_add = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) queries = argv[++i];
        else if (!strcmp(argv[i], "--nq") && i + 1 < argc) nq = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--nosync")) nosync = 1;
        else if (!strcmp(argv[i], "--skip-add")) skip_add = 1;
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 1; }
    }
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.threads = threads;
    o.batch_docs = batch;
    if (nosync) o.flags |= RETOLD_INDEX_NOSYNC;
    retold_index *ix;
    size_t total = 0;
    if (!skip_add) {
        retold_params p;
        retold_params_default(&p);
        if (retold_index_create(&ix, dir, &p, &o) != RETOLD_OK) { fprintf(stderr, "%s\n", retold_index_errmsg(ix)); return 1; }
        retold_reader *r;
        if (retold_reader_open(&r, &corpus, 1, NULL) != RETOLD_OK) return 1;
        chunk *c = calloc(1, sizeof *c);
        c->cap = (size_t)256 << 20;
        c->data = malloc(c->cap);
        double t0 = now(), tmark = t0;
        size_t mark = 0;
        long got;
        while ((got = fill(c, r)) > 0) {
            if (retold_index_add_many(ix, c->r, c->n, RETOLD_INDEX_ERROR_IF_EXISTS, NULL, NULL) != RETOLD_OK) {
                fprintf(stderr, "add: %s\n", retold_index_errmsg(ix));
                return 1;
            }
            total += c->n;
            double anon = rss_anon_mb();
            if (anon > max_anon) max_anon = anon;
            if (total - mark >= 100000) {
                double t1 = now();
                printf("add: %zu documents, %.1f s, last %zu at %.0f docs/s\n", total, t1 - t0, total - mark,
                       (double)(total - mark) / (t1 - tmark));
                fflush(stdout);
                mark = total;
                tmark = t1;
            }
        }
        if (got < 0 || retold_index_commit(ix) != RETOLD_OK) { fprintf(stderr, "add failed: %s\n", retold_index_errmsg(ix)); return 1; }
        double sec = now() - t0;
        printf("add: %zu documents in %.1f s: %.0f docs/s (batch %zu, %u threads%s)\n", total, sec,
               (double)total / sec, batch, threads, nosync ? ", nosync" : "");
        retold_reader_close(r);
        free(c->data);
        free(c);
        retold_index_close(ix);
    }
    o.flags = RETOLD_INDEX_READONLY;
    if (retold_index_open(&ix, dir, &o) != RETOLD_OK) { fprintf(stderr, "%s\n", retold_index_errmsg(ix)); return 1; }
    retold_index_stats st;
    retold_index_get_stats(ix, &st);
    if (!total) total = st.docs;
    printf("index: %llu documents, %.1f MB text stored as %.1f MB, %llu LSH entries; "
           "data.mdb %.1f MB on disk (%.0f bytes per document)\n", (unsigned long long)st.docs,
           (double)st.text_bytes / 1e6, (double)st.stored_text_bytes / 1e6, (unsigned long long)st.postings,
           (double)st.file_bytes / 1e6, (double)st.file_bytes / (double)(st.docs ? st.docs : 1));
    if (run_queries(ix, corpus, nq, total, "indexed") != 0) return 1;
    if (queries && run_queries(ix, queries, nq, nq, "new") != 0) return 1;
    retold_index_close(ix);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double anon = rss_anon_mb();
    if (anon > max_anon) max_anon = anon;
    printf("peak RSS %.0f MB (with the mapped index file); heap (RssAnon) at most %.0f MB\n",
           (double)ru.ru_maxrss / 1024.0, max_anon);
    return 0;
}
