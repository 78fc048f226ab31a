/* check_minhash.c - shingles and the MinHash oracle: estimates against
 * exact Jaccard on many random set pairs. */
#include "testutil.h"
#include "retold.h"
#include "densify.h"

#include <math.h>

START_TEST(test_shingle_words)
{
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *t;
    size_t n;
    const char *in = "a b c d e f g";
    ck_assert_int_eq(retold_tokenize(tk, in, strlen(in), &t, &n), RETOLD_OK);
    uint64_t h[8], h2[8];
    ck_assert_uint_eq(retold_shingle_words(t, n, 5, 0, h), 3);
    ck_assert_uint_eq(retold_shingle_count(7, 5), 3);
    ck_assert_uint_eq(retold_shingle_count(3, 5), 1);
    ck_assert_uint_eq(retold_shingle_count(0, 5), 0);
    /* shingle 1 ("b c d e f") equals shingle 0 of "b c d e f" */
    const char *in2 = "B, C; D. E! F?";
    ck_assert_int_eq(retold_tokenize(tk, in2, strlen(in2), &t, &n), RETOLD_OK);
    ck_assert_uint_eq(retold_shingle_words(t, n, 5, 0, h2), 1);
    ck_assert_uint_eq(h[1], h2[0]);
    ck_assert_uint_ne(h[0], h[1]);
    /* shorter than n: one shingle */
    ck_assert_int_eq(retold_tokenize(tk, "x y", 3, &t, &n), RETOLD_OK);
    ck_assert_uint_eq(retold_shingle_words(t, n, 5, 0, h2), 1);
    ck_assert_int_eq(retold_tokenize(tk, "", 0, &t, &n), RETOLD_OK);
    ck_assert_uint_eq(retold_shingle_words(t, n, 5, 0, h2), 0);
    /* character n-grams: "ab cd" has 5 code points -> 3 trigrams */
    ck_assert_int_eq(retold_tokenize(tk, "Ab  CD", 6, &t, &n), RETOLD_OK);
    ck_assert_uint_eq(retold_shingle_chars(t, n, retold_tokenizer_norm(tk), 3, 0, NULL, 0), 3);
    ck_assert_uint_eq(retold_shingle_chars(t, n, retold_tokenizer_norm(tk), 3, 0, h2, 8), 3);
    retold_tokenizer_free(tk);
}
END_TEST

/* Signature format 2's word shingle, straight from its definition
 * (doc/format-signature.md): each window's polynomial computed afresh, not
 * rolled, against the library for n = 1..8, lengths 0..40 and two seeds. */
static uint64_t ref_fmix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

START_TEST(test_shingle_words_definition)
{
    retold_token tok[40];
    uint64_t got[40], s = 3;
    memset(tok, 0, sizeof tok);
    for (size_t i = 0; i < 40; i++) tok[i].hash = tu_rand(&s);
    tok[7].hash = tok[3].hash;                     /* a repeated token */
    for (uint64_t seed = 0; seed < 2; seed++)
        for (unsigned n = 1; n <= 8; n++)
            for (size_t m = 0; m <= 40; m++) {
                size_t c = retold_shingle_words(tok, m, n, seed * 0x1234567ULL, got);
                ck_assert_uint_eq(c, retold_shingle_count(m, n));
                size_t w = m < n ? m : n;
                for (size_t i = 0; i < c; i++) {
                    uint64_t p = 0;
                    for (size_t j = 0; j < w; j++) p = p * 0x9E3779B97F4A7C15ULL + tok[i + j].hash;
                    ck_assert_uint_eq(got[i], ref_fmix64(p ^ (seed * 0x1234567ULL)));
                }
            }
}
END_TEST

/* private sorts (src/radix.h), checked against qsort */
void retold__sort_u64(uint64_t *a, uint64_t *tmp, size_t n);
void retold__radix_u64(uint64_t *a, uint64_t *tmp, size_t n);
void retold__sort_hashes(uint64_t *a, uint64_t *tmp, size_t n, unsigned keybits);

static int cmp64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

START_TEST(test_sorts)
{
    uint64_t seed = 5;
    static uint64_t a[10000], b[10000], c[10000], tmp[10000];
    for (int iter = 0; iter < 300; iter++) {
        size_t n = tu_rand(&seed) % (iter < 250 ? 300 : 10000);
        uint64_t mod = iter % 3 == 0 ? 7 : UINT64_MAX;      /* many duplicates */
        for (size_t i = 0; i < n; i++) a[i] = b[i] = c[i] = tu_rand(&seed) % mod;
        if (iter % 5 == 0) for (size_t i = 0; i < n; i++) a[i] = b[i] = c[i] = i;       /* sorted */
        if (iter % 7 == 0) for (size_t i = 0; i < n; i++) a[i] = b[i] = c[i] = n - i;   /* reversed */
        qsort(a, n, sizeof a[0], cmp64);
        retold__sort_u64(b, tmp, n);
        retold__radix_u64(c, tmp, n);
        ck_assert_int_eq(memcmp(a, b, n * sizeof a[0]), 0);
        ck_assert_int_eq(memcmp(a, c, n * sizeof a[0]), 0);
    }
}
END_TEST

/* the bucket sort for hash keys: uniform keys of 32 and 64 bits, skewed
 * keys (one bucket, the fallback), keys wider than promised, duplicates */
START_TEST(test_sort_hashes)
{
    uint64_t seed = 9;
    static uint64_t a[10000], b[10000], tmp[10000];
    for (int iter = 0; iter < 400; iter++) {
        size_t n = tu_rand(&seed) % (iter < 300 ? 2000 : 10000);
        unsigned bits = iter % 2 ? 32 : 64;
        for (size_t i = 0; i < n; i++) {
            uint64_t x = tu_rand(&seed);
            if (bits == 32) x >>= 32;
            if (iter % 5 == 1) x &= 0xFFFF;              /* all in bucket 0 */
            if (iter % 5 == 2) x = x % 50;               /* duplicates */
            if (iter % 7 == 3 && bits == 32) x |= (uint64_t)1 << 40;   /* wider than 32 bits */
            a[i] = b[i] = x;
        }
        qsort(a, n, sizeof a[0], cmp64);
        retold__sort_hashes(b, tmp, n, bits);
        ck_assert_msg(memcmp(a, b, n * sizeof a[0]) == 0, "iter %d n %zu bits %u", iter, n, bits);
    }
}
END_TEST

START_TEST(test_unique_intersection)
{
    uint64_t a[] = { 5, 1, 5, 3, 9, 1 }, b[] = { 3, 4, 9, 9 };
    size_t na = retold_shingle_unique(a, 6), nb = retold_shingle_unique(b, 4);
    ck_assert_uint_eq(na, 4);
    ck_assert_uint_eq(nb, 3);
    ck_assert_uint_eq(a[0], 1);
    ck_assert_uint_eq(a[3], 9);
    ck_assert_uint_eq(retold_shingle_intersection(a, na, b, nb), 2);
}
END_TEST

/* Build A, B with |A n B| = c, |A \ B| = x, |B \ A| = y from random hashes. */
static void make_pair(uint64_t *seed, size_t c, size_t x, size_t y, uint64_t *a, uint64_t *b)
{
    for (size_t i = 0; i < c; i++) a[i] = b[i] = tu_rand(seed);
    for (size_t i = 0; i < x; i++) a[c + i] = tu_rand(seed);
    for (size_t i = 0; i < y; i++) b[c + i] = tu_rand(seed);
}

static void oracle(unsigned k, size_t max_size)
{
    static const double js[] = { 0.05, 0.2, 0.5, 0.8, 0.95 };
    const int trials = 400;
    uint64_t seed = 12345 + k + max_size;
    uint64_t *a = malloc(2 * max_size * sizeof *a), *b = malloc(2 * max_size * sizeof *b);
    uint32_t *sa = malloc(k * sizeof *sa), *sb = malloc(k * sizeof *sb);
    for (size_t q = 0; q < sizeof js / sizeof js[0]; q++) {
        double sum = 0, sumsq = 0, jsum = 0;
        for (int tr = 0; tr < trials; tr++) {
            size_t uni = 20 + tu_rand(&seed) % max_size;     /* |A u B| */
            size_t c = (size_t)llround(js[q] * (double)uni);
            size_t rest = uni - c, x = rest ? tu_rand(&seed) % (rest + 1) : 0, y = rest - x;
            double j = (double)c / (double)uni;
            make_pair(&seed, c, x, y, a, b);
            retold_minhash(a, c + x, k, 7, sa);
            retold_minhash(b, c + y, k, 7, sb);
            double e = retold_minhash_jaccard(sa, sb, k) - j;
            sum += e;
            sumsq += e * e;
            jsum += j;
        }
        double mean = sum / trials, jm = jsum / trials;
        double sd = sqrt(sumsq / trials - mean * mean);
        double binom = sqrt(jm * (1 - jm) / k);
        /* unbiased: the mean error is within 4 standard errors of 0 */
        ck_assert_msg(fabs(mean) < 4 * binom / sqrt(trials) + 1e-3,
                      "k=%u J=%.2f: mean error %.4f (bound %.4f)", k, js[q], mean, 4 * binom / sqrt(trials));
        /* spread near the binomial bound (densification adds a little) */
        ck_assert_msg(sd < 1.35 * binom + 0.005, "k=%u J=%.2f: sd %.4f vs binomial %.4f", k, js[q], sd, binom);
    }
    free(a); free(b); free(sa); free(sb);
}

START_TEST(test_oracle_128) { oracle(128, 2000); }
END_TEST
START_TEST(test_oracle_256) { oracle(256, 3000); }
END_TEST
START_TEST(test_oracle_small_sets) { oracle(128, 60); }   /* most bins densified */
END_TEST

START_TEST(test_signature_properties)
{
    uint64_t h[3] = { 1, 2, 3 }, h2[3] = { 3, 1, 2 };
    uint32_t s1[128], s2[128];
    retold_minhash(h, 3, 128, 0, s1);
    retold_minhash(h2, 3, 128, 0, s2);              /* order does not matter */
    ck_assert_int_eq(memcmp(s1, s2, sizeof s1), 0);
    uint64_t dup[6] = { 1, 2, 3, 3, 2, 1 };
    retold_minhash(dup, 6, 128, 0, s2);             /* duplicates do not matter */
    ck_assert_int_eq(memcmp(s1, s2, sizeof s1), 0);
    ck_assert_uint_eq(retold_minhash_matches(s1, s2, 128), 128);
    retold_minhash(h, 0, 128, 0, s2);
    for (int i = 0; i < 128; i++) ck_assert_uint_eq(s2[i], 0xFFFFFFFFu);
}
END_TEST

/* Densification by rank table (src/densify.h) gives the probing's
 * signature bit for bit, for every k it serves and any number of full
 * bins (the table is used below 2 sqrt(k) of them, probing above). */
START_TEST(test_ranked_densification)
{
    static const unsigned ks[] = { 1, 2, 3, 4, 7, 16, 64, 100, 128, 256 };
    uint64_t rng = 5, h[64];
    uint32_t a[256], b[256];
    for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
        unsigned k = ks[ki];
        for (uint64_t seed = 0; seed < 3; seed++) {
            uint32_t *ranks = retold__minhash_ranks(k, seed * 0x9E3779B97F4A7C15ull);
            ck_assert(ranks != NULL);
            for (int round = 0; round < 400; round++) {
                size_t n = (size_t)(tu_rand(&rng) % 64);
                for (size_t x = 0; x < n; x++) h[x] = tu_rand(&rng);
                retold_minhash(h, n, k, seed * 0x9E3779B97F4A7C15ull, a);
                retold__minhash_ranked(h, n, k, seed * 0x9E3779B97F4A7C15ull, ranks, b);
                ck_assert_msg(memcmp(a, b, k * sizeof *a) == 0, "k %u, n %zu, round %d", k, n, round);
            }
            free(ranks);
        }
    }
    ck_assert(retold__minhash_ranks(RETOLD__RANK_K_MAX + 1, 0) == NULL);
}
END_TEST

/* Sets only (the batch's passes 0 and 2): every view's shingles exactly as
 * the full sketch makes them; the signature buffer is not touched; off
 * again, the sketcher signs as before. */
START_TEST(test_sets_only)
{
    static const char *texts[] = {
        "", "one", "Die Stadt Cherson wurde am Freitag von ukrainischen Truppen befreit, sagte der Sprecher.",
        "Russia announced its withdrawal from Kherson on Wednesday; the retreat across the Dnipro river took two days.",
    };
    retold_params p;
    retold_params_default(&p);
    p.views = RETOLD_VIEWS_ALL;
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);
    retold_sketcher *full = retold_sketcher_new(&p), *sets = retold_sketcher_new(&p);
    ck_assert(full && sets);
    retold_sketcher_set_sets_only(sets, 1);
    size_t k = (size_t)p.perms * retold_params_nviews(&p);
    uint32_t *a = malloc(k * sizeof *a), *b = malloc(k * sizeof *b);
    ck_assert(a && b);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        retold_sketch_info fi, si;
        memset(b, 0xAB, k * sizeof *b);
        ck_assert_int_eq(retold_sketch(full, texts[t], strlen(texts[t]), a, &fi), RETOLD_OK);
        ck_assert_int_eq(retold_sketch(sets, texts[t], strlen(texts[t]), b, &si), RETOLD_OK);
        for (size_t i = 0; i < k; i++) ck_assert_uint_eq(b[i], 0xABABABABu);
        ck_assert_uint_eq(fi.tokens, si.tokens);
        ck_assert_str_eq(fi.lang, si.lang);
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            const uint64_t *h1, *h2;
            size_t n1, n2;
            ck_assert_int_eq(retold_sketcher_view_shingles(full, v, &h1, &n1), RETOLD_OK);
            ck_assert_int_eq(retold_sketcher_view_shingles(sets, v, &h2, &n2), RETOLD_OK);
            ck_assert_uint_eq(n1, n2);
            ck_assert_uint_eq(n1, fi.view_shingles[v]);
            ck_assert(n1 == 0 || memcmp(h1, h2, n1 * sizeof *h1) == 0);
        }
        ck_assert(retold_sketch(sets, texts[t], strlen(texts[t]), NULL, NULL) == RETOLD_OK);
    }
    retold_sketcher_set_sets_only(sets, 0);
    ck_assert_int_eq(retold_sketch(sets, texts[3], strlen(texts[3]), b, NULL), RETOLD_OK);
    ck_assert_int_eq(retold_sketch(full, texts[3], strlen(texts[3]), a, NULL), RETOLD_OK);
    ck_assert(memcmp(a, b, k * sizeof *a) == 0);
    retold_sketcher_free(full);
    retold_sketcher_free(sets);
    free(a);
    free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("minhash");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_shingle_words);
    tcase_add_test(tc, test_shingle_words_definition);
    tcase_add_test(tc, test_sorts);
    tcase_add_test(tc, test_sort_hashes);
    tcase_add_test(tc, test_unique_intersection);
    tcase_add_test(tc, test_oracle_128);
    tcase_add_test(tc, test_oracle_256);
    tcase_add_test(tc, test_oracle_small_sets);
    tcase_add_test(tc, test_signature_properties);
    tcase_add_test(tc, test_ranked_densification);
    tcase_add_test(tc, test_sets_only);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
