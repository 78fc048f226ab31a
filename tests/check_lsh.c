/* check_lsh.c - LSH parameters and candidates against a brute-force
 * all-pairs pass (the oracle). */
#include "testutil.h"
#include "retold.h"

#include <math.h>

START_TEST(test_choose)
{
    unsigned b, r;
    ck_assert_int_eq(retold_lsh_choose(0.8, 128, RETOLD_LSH_WEIGHT_FN, &b, &r), RETOLD_OK);
    ck_assert_uint_le(b * r, 128);
    ck_assert_uint_eq(b, 14);
    ck_assert_uint_eq(r, 9);
    ck_assert(retold_lsh_probability(0.9, b, r) > 0.99);
    ck_assert(retold_lsh_probability(0.5, b, r) < 0.05);
    for (double t = 0.3; t < 0.96; t += 0.1) {
        ck_assert_int_eq(retold_lsh_choose(t, 256, RETOLD_LSH_WEIGHT_FN, &b, &r), RETOLD_OK);
        ck_assert_uint_le(b * r, 256);
        double tp = t + 0.1 > 1 ? 1 : t + 0.1;
        ck_assert_msg(retold_lsh_probability(tp, b, r) > 0.98, "t=%.1f: P(t+0.1)=%.3f", t, retold_lsh_probability(tp, b, r));
    }
    ck_assert_int_eq(retold_lsh_choose(0.0, 128, 0.5, &b, &r), RETOLD_INVAL);
    ck_assert_int_eq(retold_lsh_choose(1.5, 128, 0.5, &b, &r), RETOLD_INVAL);
    ck_assert_int_eq(retold_lsh_choose(0.5, 0, 0.5, &b, &r), RETOLD_INVAL);
    ck_assert_double_eq_tol(retold_lsh_probability(1.0, 3, 4), 1.0, 1e-12);
    ck_assert_double_eq_tol(retold_lsh_probability(0.0, 3, 4), 0.0, 1e-12);
}
END_TEST

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = retold_shingle_intersection(a, na, b, nb);
    return (double)i / (double)(na + nb - i);
}

START_TEST(test_candidates_vs_brute_force)
{
    /* 200 base sets and 400 variants of them at Jaccard spread over [0.2, 1] */
    enum { NB = 200, NV = 400, N = NB + NV, K = 128 };
    const double t = 0.8;
    uint64_t seed = 99;
    uint64_t *sets[N];
    size_t sizes[N];
    for (int i = 0; i < NB; i++) {
        sizes[i] = 100 + tu_rand(&seed) % 400;
        sets[i] = malloc(sizes[i] * sizeof(uint64_t));
        for (size_t j = 0; j < sizes[i]; j++) sets[i][j] = tu_rand(&seed);
    }
    for (int v = 0; v < NV; v++) {
        int i = NB + v, base = (int)(tu_rand(&seed) % NB);
        double keep = 0.2 + 0.8 * (double)(tu_rand(&seed) % 1001) / 1000.0;
        size_t n = sizes[base];
        sets[i] = malloc(2 * n * sizeof(uint64_t));
        size_t m = 0;
        for (size_t j = 0; j < n; j++) {
            if ((double)(tu_rand(&seed) % 10000) / 10000.0 < keep) sets[i][m++] = sets[base][j];
            else sets[i][m++] = tu_rand(&seed);               /* replaced */
        }
        sizes[i] = m;
    }
    uint32_t *sig = malloc((size_t)N * K * sizeof *sig);
    unsigned b, r;
    retold_lsh_choose(t, K, RETOLD_LSH_WEIGHT_FN, &b, &r);
    uint64_t *bands = malloc((size_t)N * b * sizeof *bands);
    for (int i = 0; i < N; i++) {
        retold_minhash(sets[i], sizes[i], K, 0, sig + (size_t)i * K);
        retold_lsh_band_hashes(sig + (size_t)i * K, b, r, 0, bands + (size_t)i * b);
        qsort(sets[i], sizes[i], sizeof(uint64_t), cmp_u64);
        sizes[i] = retold_shingle_unique(sets[i], sizes[i]);
    }
    uint64_t *cand;
    size_t ncand;
    ck_assert_int_eq(retold_lsh_candidates(bands, N, b, b, NULL, NULL, &cand, &ncand), RETOLD_OK);
    for (size_t i = 1; i < ncand; i++) ck_assert_uint_gt(cand[i], cand[i - 1]);   /* sorted, distinct */
    size_t high = 0, found = 0, low_cands = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            double jac = jaccard(sets[i], sizes[i], sets[j], sizes[j]);
            uint64_t key = ((uint64_t)i << 32) | (uint64_t)j;
            int is_cand = bsearch(&key, cand, ncand, sizeof key, cmp_u64) != NULL;
            if (jac >= t + 0.1) { high++; found += is_cand; }
            if (jac < 0.3) low_cands += is_cand;
        }
    ck_assert_uint_gt(high, 20);
    ck_assert_msg((double)found >= 0.99 * (double)high, "recall %zu/%zu", found, high);
    ck_assert_msg(low_cands == 0, "%zu candidates below J=0.3", low_cands);

    /* skip and side filters */
    uint8_t *skip = calloc(N, 1), *side = calloc(N, 1);
    skip[NB] = 1;
    for (int i = NB; i < N; i++) side[i] = 1;
    uint64_t *c2;
    size_t n2;
    ck_assert_int_eq(retold_lsh_candidates(bands, N, b, b, skip, side, &c2, &n2), RETOLD_OK);
    for (size_t i = 0; i < n2; i++) {
        uint32_t x = (uint32_t)(c2[i] >> 32), y = (uint32_t)c2[i];
        ck_assert(x != NB && y != NB);
        ck_assert(side[x] != side[y]);
    }
    ck_assert_uint_gt(n2, 0);
    free(c2); free(skip); free(side);
    free(cand); free(bands); free(sig);
    for (int i = 0; i < N; i++) free(sets[i]);
}
END_TEST

START_TEST(test_bucket_of_identical)
{
    /* 50 identical signatures: every pair once */
    enum { N = 50 };
    uint64_t bands[N * 3];
    for (int i = 0; i < N * 3; i++) bands[i] = (uint64_t)(i % 3) * 77 + 5;
    uint64_t *c;
    size_t n;
    ck_assert_int_eq(retold_lsh_candidates(bands, N, 3, 3, NULL, NULL, &c, &n), RETOLD_OK);
    ck_assert_uint_eq(n, N * (N - 1) / 2);
    free(c);
    ck_assert_int_eq(retold_lsh_candidates(bands, 0, 3, 3, NULL, NULL, &c, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 0);
    free(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lsh");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_choose);
    tcase_add_test(tc, test_candidates_vs_brute_force);
    tcase_add_test(tc, test_bucket_of_identical);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
