/* check_batch.c - the whole pipeline: planted copies against brute-force
 * exact Jaccard, determinism across thread counts, clusters, --against,
 * duplicate ids, empty documents. */
#include "testutil.h"
#include "retold.h"
#include "match.h"

#include <unistd.h>

static char dir[256];
static char corpus[512], truth_ids[512];

/* A vocabulary of made-up words; documents are 150-600 words. */
static void word(uint64_t *s, char *out)
{
    static const char *const syl[] = { "ka", "ro", "mi", "te", "su", "la", "vo", "ne", "pi", "da",
                                       "gor", "ban", "tel", "mus", "ri", "fo", "zen", "ul", "an", "ex" };
    int n = 1 + (int)(tu_rand(s) % 3);
    out[0] = 0;
    for (int i = 0; i < n; i++) strcat(out, syl[tu_rand(s) % 20]);
}

typedef struct doc { char *text; size_t len; } doc;

static doc make_base(uint64_t *s)
{
    size_t words = 150 + tu_rand(s) % 450;
    doc d = { malloc(words * 12 + 1), 0 };
    for (size_t i = 0; i < words; i++) {
        char w[16];
        word(s, w);
        d.len += (size_t)sprintf(d.text + d.len, "%s%s", i ? " " : "", w);
    }
    return d;
}

/* A variant: edit a fraction of words, or cut / add a paragraph. */
static doc make_variant(uint64_t *s, const doc *base, int kind)
{
    doc d = { malloc(base->len * 2 + 4096), 0 };
    char *copy = strdup(base->text), *save = NULL;
    size_t nw = 0;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) nw++;
    free(copy);
    copy = strdup(base->text);
    size_t i = 0, cut = nw;
    double edit = 0;
    switch (kind) {
    case 0: break;                                     /* identical */
    case 1: edit = 0.02; break;
    case 2: edit = 0.05; break;
    case 3: edit = 0.10; break;
    case 4: cut = nw * 85 / 100; break;                /* paragraph removed */
    case 5: d.len += (size_t)sprintf(d.text, "NEW LEDE written by another desk for this story. "); break;
    }
    for (char *w = strtok_r(copy, " ", &save); w && i < cut; w = strtok_r(NULL, " ", &save), i++) {
        char nwd[16];
        const char *out = w;
        if (edit > 0 && (double)(tu_rand(s) % 10000) < edit * 10000) { word(s, nwd); strcat(nwd, "q"); out = nwd; }
        d.len += (size_t)sprintf(d.text + d.len, "%s%s", d.len ? " " : "", out);
    }
    free(copy);
    return d;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/retold-batch-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", dir);
    snprintf(truth_ids, sizeof truth_ids, "%s/ref.jsonl", dir);
    uint64_t s = 2024;
    FILE *f = fopen(corpus, "w");
    enum { BASES = 300 };
    doc bases[BASES];
    int id = 0;
    for (int i = 0; i < BASES; i++) {
        bases[i] = make_base(&s);
        fprintf(f, "{\"id\":\"d%04d\",\"text\":\"%s\"}\n", id++, bases[i].text);
        if (i % 2 == 0) {                              /* plant variants of half of them */
            int nv = 1 + (int)(tu_rand(&s) % 3);
            for (int v = 0; v < nv; v++) {
                doc d = make_variant(&s, &bases[tu_rand(&s) % (size_t)(i + 1)], (int)(tu_rand(&s) % 6));
                fprintf(f, "{\"id\":\"d%04d\",\"text\":\"%s\"}\n", id++, d.text);
                free(d.text);
            }
        }
    }
    fprintf(f, "{\"id\":\"empty1\",\"text\":\"\"}\n{\"id\":\"empty2\",\"text\":\"  ...  \"}\n");
    fclose(f);
    f = fopen(truth_ids, "w");
    for (int i = 0; i < 20; i++)
        fprintf(f, "{\"id\":\"r%02d\",\"text\":\"%s\"}\n", i, bases[i * 7].text);
    fclose(f);
    for (int i = 0; i < BASES; i++) free(bases[i].text);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static retold_batch *run(unsigned threads, int verify, const char *ref)
{
    retold_batch_opts o;
    retold_batch_opts_default(&o);
    o.threads = threads;
    o.verify = verify;
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    const char *in = corpus;
    int rc = retold_batch_run(b, &in, 1, ref ? &ref : NULL, ref ? 1 : 0);
    ck_assert_msg(rc == RETOLD_OK, "%s", retold_batch_errmsg(b));
    return b;
}

/* Exact sets of every document, by re-sketching the corpus. */
typedef struct exact { uint64_t **set; size_t *n; size_t docs; retold_sketcher *sk; uint32_t sig[128]; } exact;

static int collect(void *ctx, const retold_record *rec, size_t d)
{
    exact *e = ctx;
    ck_assert_int_eq(retold_sketch(e->sk, rec->text, rec->text_len, e->sig, NULL), RETOLD_OK);
    const uint64_t *h;
    size_t n;
    retold_sketcher_shingles(e->sk, &h, &n);
    e->set[d] = malloc((n + 1) * sizeof *h);
    memcpy(e->set[d], h, n * sizeof *h);
    e->n[d] = n;
    return 0;
}

START_TEST(test_planted_recall_precision)
{
    const double t = 0.8;
    retold_batch *b = run(2, RETOLD_VERIFY_AUTO, NULL);
    size_t n = retold_batch_size(b), np;
    const retold_pair *pr = retold_batch_pairs(b, &np);
    exact e = { calloc(n, sizeof(uint64_t *)), calloc(n, sizeof(size_t)), n, NULL, {0} };
    retold_params p;
    retold_params_default(&p);
    e.sk = retold_sketcher_new(&p);
    ck_assert_int_eq(retold_batch_reread(b, 0, collect, &e), RETOLD_OK);
    uint8_t *found = calloc(n * n, 1);
    for (size_t i = 0; i < np; i++) {
        ck_assert_uint_lt(pr[i].a, pr[i].b);
        if (i) ck_assert(pr[i - 1].a < pr[i].a || (pr[i - 1].a == pr[i].a && pr[i - 1].b < pr[i].b));
        found[(size_t)pr[i].a * n + pr[i].b] = 1;
    }
    size_t high = 0, hit = 0, false_low = 0, reported_exact_wrong = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (!e.n[i] || !e.n[j]) { ck_assert(!found[i * n + j]); continue; }   /* empty docs match nothing */
            size_t in = retold_shingle_intersection(e.set[i], e.n[i], e.set[j], e.n[j]);
            double jac = (double)in / (double)(e.n[i] + e.n[j] - in);
            if (jac >= t + 0.1) { high++; hit += found[i * n + j]; }
            if (jac < t - 0.1 && found[i * n + j]) false_low++;
            if (found[i * n + j] && jac < t) reported_exact_wrong++;
        }
    ck_assert_uint_gt(high, 50);
    ck_assert_msg((double)hit >= 0.99 * (double)high, "recall %zu/%zu", hit, high);
    ck_assert_msg(false_low == 0, "%zu pairs reported with J < t - 0.1", false_low);
    ck_assert_msg(reported_exact_wrong == 0, "%zu pairs below t reported", reported_exact_wrong);
    /* exact values where flagged exact */
    for (size_t i = 0; i < np; i++) {
        if (!(pr[i].flags & RETOLD_PAIR_EXACT)) continue;
        size_t a = pr[i].a, c = pr[i].b;
        size_t in = retold_shingle_intersection(e.set[a], e.n[a], e.set[c], e.n[c]);
        ck_assert_double_eq_tol(pr[i].jaccard, (double)in / (double)(e.n[a] + e.n[c] - in), 1e-6);
    }
    for (size_t i = 0; i < n; i++) free(e.set[i]);
    free(e.set); free(e.n); free(found);
    retold_sketcher_free(e.sk);
    retold_batch_free(b);
}
END_TEST

START_TEST(test_threads_identical)
{
    retold_batch *a = run(1, RETOLD_VERIFY_AUTO, NULL), *b = run(3, RETOLD_VERIFY_AUTO, NULL);
    size_t na, nb;
    const retold_pair *pa = retold_batch_pairs(a, &na), *pb = retold_batch_pairs(b, &nb);
    ck_assert_uint_eq(na, nb);
    ck_assert_uint_gt(na, 0);
    ck_assert_int_eq(memcmp(pa, pb, na * sizeof *pa), 0);
    ck_assert_uint_eq(retold_batch_size(a), retold_batch_size(b));
    ck_assert_int_eq(memcmp(retold_batch_clusters(a), retold_batch_clusters(b),
                            retold_batch_size(a) * sizeof(uint32_t)), 0);
    retold_batch_free(a);
    retold_batch_free(b);
}
END_TEST

START_TEST(test_clusters_and_modes)
{
    retold_batch *b = run(1, RETOLD_VERIFY_EXACT, NULL);
    size_t np, n = retold_batch_size(b);
    const retold_pair *pr = retold_batch_pairs(b, &np);
    const uint32_t *c = retold_batch_clusters(b);
    for (size_t i = 0; i < np; i++) {
        ck_assert(pr[i].flags & RETOLD_PAIR_EXACT);
        ck_assert_uint_eq(c[pr[i].a], c[pr[i].b]);
        ck_assert_uint_le(c[pr[i].a], pr[i].a);
        ck_assert(pr[i].jaccard >= 0.8f);
        ck_assert(pr[i].containment >= pr[i].jaccard);
    }
    for (size_t i = 0; i < n; i++) ck_assert_uint_le(c[i], i);
    retold_batch_stats st;
    retold_batch_get_stats(b, &st);
    ck_assert_uint_eq(st.empty_docs, 2);
    ck_assert_uint_gt(st.clusters, 10);
    retold_batch_free(b);
}
END_TEST

START_TEST(test_against)
{
    retold_batch *b = run(2, RETOLD_VERIFY_AUTO, truth_ids);
    size_t np;
    const retold_pair *pr = retold_batch_pairs(b, &np);
    ck_assert_uint_ge(np, 20);                 /* each reference is a copy of a base */
    for (size_t i = 0; i < np; i++) {
        ck_assert_int_eq(retold_batch_side(b, pr[i].a), 0);
        ck_assert_int_eq(retold_batch_side(b, pr[i].b), 1);
    }
    retold_batch_free(b);
}
END_TEST

START_TEST(test_duplicate_ids)
{
    char p[600];
    snprintf(p, sizeof p, "%s/dup.jsonl", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "{\"id\":\"x\",\"text\":\"a b c\"}\n{\"id\":\"y\",\"text\":\"a b c\"}\n{\"id\":\"x\",\"text\":\"d\"}\n");
    fclose(f);
    retold_batch_opts o;
    retold_batch_opts_default(&o);
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    const char *in = p;
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_DUPID);
    ck_assert(strstr(retold_batch_errmsg(b), "dup.jsonl:3") != NULL);
    ck_assert(strstr(retold_batch_errmsg(b), "\"x\"") != NULL);
    retold_batch_free(b);
    /* bad parameters are refused with a message */
    o.params.perms = 64;
    o.params.bands = 10;
    o.params.rows = 10;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_INVAL);
    ck_assert(strstr(retold_batch_errmsg(b), "exceeds") != NULL);
    retold_batch_free(b);
}
END_TEST

START_TEST(test_boilerplate)
{
    /* 40 unrelated texts that all end with the same footer (a third of each
     * text): at threshold 0.15 the footer alone makes them pairs; --max-df
     * leaves it out of the signatures, and they stop matching */
    char p[600];
    snprintf(p, sizeof p, "%s/boiler.jsonl", dir);
    FILE *f = fopen(p, "w");
    uint64_t s = 77;
    const char *footer = "Copyright 2026 Example Wire Agency. All rights reserved. This material may not be "
                         "published, broadcast, rewritten or redistributed. Subscribe to our newsletter for "
                         "the latest news delivered to your inbox every morning and evening.";
    for (int i = 0; i < 40; i++) {
        doc d = { malloc(4096), 0 };
        for (int k = 0; k < 60; k++) { char w[16]; word(&s, w); d.len += (size_t)sprintf(d.text + d.len, "%s ", w); }
        fprintf(f, "{\"id\":\"b%02d\",\"text\":\"%s %s\"}\n", i, d.text, footer);
        free(d.text);
    }
    fclose(f);
    retold_batch_opts o;
    retold_batch_opts_default(&o);
    o.params.threshold = 0.15;
    const char *in = p;
    retold_batch *b;
    size_t n;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    retold_batch_pairs(b, &n);
    ck_assert_uint_gt(n, 100);                      /* the footer matches them */
    retold_batch_free(b);
    o.max_df = 0.5;                                 /* in more than half of them */
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    retold_batch_pairs(b, &n);
    ck_assert_uint_eq(n, 0);
    retold_batch_stats st;
    retold_batch_get_stats(b, &st);
    ck_assert_uint_eq(st.boilerplate_limit, 20);
    retold_batch_free(b);
    /* a document that is mostly "common" is a syndicated story, kept whole:
     * 40 copies of one text stay pairs at any limit */
    snprintf(p, sizeof p, "%s/syndicated.jsonl", dir);
    f = fopen(p, "w");
    for (int i = 0; i < 40; i++) fprintf(f, "{\"id\":\"s%02d\",\"text\":\"%s\"}\n", i, footer);
    fclose(f);
    in = p;
    o.max_df = 3;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    retold_batch_pairs(b, &n);
    ck_assert_uint_eq(n, 40 * 39 / 2);
    retold_batch_free(b);
    /* the planted corpus keeps its recall with a loose limit */
    o.max_df = 5;
    o.params.threshold = 0.8;
    in = corpus;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    retold_batch_pairs(b, &n);
    ck_assert_uint_gt(n, 50);
    retold_batch_free(b);
}
END_TEST

/* The decision rule (match.h): the 3-sigma band of AUTO, and the size
 * bound J <= min/max that drops a pair below t whatever its estimate (with
 * slack for 32-bit fingerprint collisions in very large documents). */
START_TEST(test_verify_decide)
{
    retold_params p;
    retold_params_default(&p);
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);   /* t 0.8, k 128 */
    /* sigma = 0.0354: the band is [0.694, 0.906] */
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.95, 500, 500), RETOLD__KEEP);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.85, 500, 480), RETOLD__EXACT);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.69, 500, 500), RETOLD__DROP);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_EXACT, 0.95, 500, 500), RETOLD__EXACT);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_ESTIMATE, 0.80, 500, 500), RETOLD__KEEP);
    /* sizes 500 and 390: J <= 0.78 < t, in every mode and at any estimate */
    for (int v = RETOLD_VERIFY_AUTO; v <= RETOLD_VERIFY_ESTIMATE; v++) {
        ck_assert_int_eq(retold__verify_decide(&p, v, 1.0, 500, 390), RETOLD__DROP);
        ck_assert_int_eq(retold__verify_decide(&p, v, 1.0, 390, 500), RETOLD__DROP);
    }
    /* 500 and 402: 0.804 >= t, the estimate decides */
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 1.0, 500, 402), RETOLD__KEEP);
    /* 400 / 500 exactly t, less the slack of two: kept for the exact check */
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.85, 500, 399), RETOLD__EXACT);
    /* a million shingles: ~930 of slack (8 x 1e12 / 2^33 + 2) */
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.85, 1000000, 799300), RETOLD__EXACT);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.85, 1000000, 799000), RETOLD__DROP);
    /* empty documents never reach here, but must not divide by zero */
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.0, 0, 0), RETOLD__DROP);
    /* more than one view: every candidate is checked exactly, sizes or not */
    p.views = RETOLD_VIEWS_ALL;
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);
    ck_assert_int_eq(retold__verify_decide(&p, RETOLD_VERIFY_AUTO, 0.1, 500, 100), RETOLD__EXACT);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_planted_recall_precision);
    tcase_add_test(tc, test_verify_decide);
    tcase_add_test(tc, test_threads_identical);
    tcase_add_test(tc, test_clusters_and_modes);
    tcase_add_test(tc, test_against);
    tcase_add_test(tc, test_duplicate_ids);
    tcase_add_test(tc, test_boilerplate);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
