/* check_vectors.c - golden test vectors for tokens, shingles and
 * signatures (doc/format-signature.md).  Signatures stored by one version
 * of retold must mean the same in the next; if a change here is deliberate,
 * bump RETOLD_NORM_VERSION and regenerate:
 *     build/tests/check_vectors --regenerate > tests/vectors.txt
 */
#include "testutil.h"
#include "retold.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

static const char *const inputs[] = {
    "",
    "Hello, world!",
    "On November 9, Sergey Surovikin recommended a retreat from the right bank of the Dnipro River.",
    "Café “Kherson” — 40,000 troops; ΑΘΉΝΑ; Зеленский; 東京都; naïve ﬁnal",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
};

/* One line per input and k: tokens, the first token hash, the first
 * shingle hash, and XXH3-64 of the signature encoded LE32. */
static void vector_line(char *out, size_t cap, const char *in, unsigned k)
{
    retold_params p;
    retold_params_default(&p);
    p.perms = k;
    retold_params_resolve(&p, NULL, 0);
    retold_sketcher *s = retold_sketcher_new(&p);
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    uint32_t sig[256];
    retold_sketch_info info;
    if (retold_sketch(s, in, strlen(in), sig, &info) != RETOLD_OK) {
        snprintf(out, cap, "sketch failed");
        retold_sketcher_free(s);
        retold_tokenizer_free(tk);
        return;
    }
    const retold_token *t;
    size_t n;
    retold_tokenize(tk, in, strlen(in), &t, &n);
    uint64_t first_shingle = 0;
    const uint64_t *h;
    size_t nh;
    retold_sketcher_shingles(s, &h, &nh);
    uint64_t sh[64];
    if (n && n <= 64) first_shingle = (retold_shingle_words(t, n, 5, 0, sh), sh[0]);
    unsigned char le[1024];
    for (unsigned i = 0; i < k; i++)
        for (int b = 0; b < 4; b++) le[4 * i + b] = (unsigned char)(sig[i] >> (8 * b));
    snprintf(out, cap, "k=%u tokens=%zu distinct=%zu tok0=%016llx sh0=%016llx sig=%016llx",
             k, n, info.shingles, n ? (unsigned long long)t[0].hash : 0ULL,
             (unsigned long long)first_shingle, (unsigned long long)XXH3_64bits(le, 4 * (size_t)k));
    retold_tokenizer_free(tk);
    retold_sketcher_free(s);
}

START_TEST(test_vectors)
{
    size_t len;
    char *want = tu_slurp("tests/vectors.txt", &len);
    ck_assert_msg(want != NULL, "tests/vectors.txt missing: run build/tests/check_vectors --regenerate > tests/vectors.txt");
    char *line = want, got[256];
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        for (unsigned k = 128; k <= 256; k += 128) {
            char *nl = strchr(line, '\n');
            ck_assert(nl != NULL);
            *nl = 0;
            vector_line(got, sizeof got, inputs[i], k);
            ck_assert_msg(strcmp(line, got) == 0,
                          "input %zu: got\n  %s\nwant\n  %s\nTokens, shingles or signatures changed. If deliberate, bump "
                          "RETOLD_NORM_VERSION and run: build/tests/check_vectors --regenerate > tests/vectors.txt",
                          i, got, line);
            line = nl + 1;
        }
    free(want);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("vectors");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_vectors);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--regenerate") == 0) {
        char got[256];
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
            for (unsigned k = 128; k <= 256; k += 128) {
                vector_line(got, sizeof got, inputs[i], k);
                puts(got);
            }
        return 0;
    }
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
