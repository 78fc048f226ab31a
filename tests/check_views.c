/* check_views.c - language detection, the rewrite and cross views, the
 * relation rule, and passage alignment with byte offsets. */
#include "testutil.h"
#include "retold.h"
#include "similarity.h"

static const char *seed(int i)
{
    static const char *const f[] = {
        "data/seeds/000_bb6e3753a67e3ff7.txt", "data/seeds/001_a434b754d65ded64.txt",
        "data/seeds/002_af5f1da342d86a3c.txt", "data/seeds/003_b3dfe6ad67eb7445.txt",
        "data/seeds/004_f44f56fad39cf0bc.txt" };
    return f[i];
}

static void detect(const char *text, const char *want)
{
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *t;
    size_t n;
    char lang[RETOLD_LANG_LEN];
    ck_assert_int_eq(retold_tokenize(tk, text, strlen(text), &t, &n), RETOLD_OK);
    retold_lang_detect(t, n, retold_tokenizer_norm(tk), lang);
    ck_assert_msg(strcmp(lang, want) == 0, "detected %s, want %s for \"%.40s\"", lang, want, text);
    retold_tokenizer_free(tk);
}

START_TEST(test_language)
{
    detect("The retreat from the city was announced on television by the commander of the forces.", "en");
    detect("Der Rückzug aus der Stadt wurde im Fernsehen von dem Kommandeur der Truppen angekündigt.", "de");
    detect("Le retrait de la ville a été annoncé à la télévision par le commandant des forces.", "fr");
    detect("Отступление из города было объявлено по телевидению командующим войсками, и это не первый раз.", "ru");
    detect("Η υποχώρηση από την πόλη ανακοινώθηκε στην τηλεόραση.", "el");
    detect("東京都は日本の首都です。", "ja");
    detect("北京是中国的首都。", "zh");
    detect("12345 67890", "und");
    char lang[RETOLD_LANG_LEN];
    retold_lang_primary("pt_BR", 5, lang);
    ck_assert_str_eq(lang, "pt");
    retold_lang_primary("de-1996", 7, lang);
    ck_assert_str_eq(lang, "de");
    retold_lang_primary("zh-Hant", 7, lang);
    ck_assert_str_eq(lang, "zh");
    retold_lang_primary("", 0, lang);
    ck_assert_str_eq(lang, "und");
    size_t len;
    char *s = tu_slurp(seed(0), &len);
    detect(s, "en");
    free(s);
}
END_TEST

/* Views of one text with params for all views. */
static retold_comparison cmp_texts(const char *a, const char *la, const char *b, const char *lb)
{
    retold_params p;
    retold_params_default(&p);
    retold_comparison c;
    ck_assert_int_eq(retold_compare(&p, a, strlen(a), la, b, strlen(b), lb, &c), RETOLD_OK);
    return c;
}

START_TEST(test_cross_view_names)
{
    /* Cyrillic and Latin spellings of the same names share cross keys */
    retold_comparison c = cmp_texts("В пятницу Зеленский прибыл в Херсон вместе с Шойгу и Суровикиным.", "ru",
                                    "On Friday Zelenskyy arrived in Kherson with Shoigu and Surovikin.", "en");
    ck_assert_uint_ge(c.nkeys, 3);
    ck_assert(c.pair.view_jaccard[RETOLD_VIEW_CROSS] > 0.15f);
    ck_assert(c.pair.view_jaccard[RETOLD_VIEW_SURFACE] == 0.0f);
    ck_assert_str_eq(c.lang_a, "ru");
    retold_comparison_release(&c);
    /* but different names do not */
    c = cmp_texts("Biden met Scholz in Berlin.", "en", "Putin met Schulz in Moscow.", "en");
    ck_assert_uint_eq(c.nkeys, 0);
    retold_comparison_release(&c);
}
END_TEST

START_TEST(test_rewrite_view_stems_and_quotes)
{
    /* stemming makes inflections agree; stopwords do not count */
    retold_comparison c = cmp_texts("The generals announced retreats from the occupied cities.", "en",
                                    "A general announcing the retreat from an occupied city.", "en");
    ck_assert(c.pair.view_jaccard[RETOLD_VIEW_REWRITE] > 0.3f);
    ck_assert(c.pair.view_jaccard[RETOLD_VIEW_SURFACE] < 0.01f);
    retold_comparison_release(&c);
    /* a shared quotation is evidence even when the rest differs */
    c = cmp_texts("Officials said: \"we are leaving the right bank\" at noon yesterday.", "en",
                  "He told reporters \"We are leaving the right bank\" in a statement.", "en");
    ck_assert(c.pair.view_jaccard[RETOLD_VIEW_REWRITE] > 0.2f);
    retold_comparison_release(&c);
}
END_TEST

START_TEST(test_stemming_per_language)
{
    /* inflected forms share rewrite shingles once stemmed in their language */
    static const char *const pairs[][3] = {
        { "en", "The soldiers were leaving the occupied cities quickly", "A soldier leaves the occupied city quickly" },
        { "de", "Die russischen Soldaten verlassen die besetzten Gebiete schnell", "Der russische Soldat verlässt das besetzte Gebiet schnell" },
        { "fr", "Les soldats russes quittent rapidement les villes occupées", "Le soldat russe quitte rapidement la ville occupée" },
        { "es", "Los soldados rusos abandonan rápidamente las ciudades ocupadas", "El soldado ruso abandona rápidamente la ciudad ocupada" },
        { "ru", "Российские солдаты быстро покидают оккупированные города", "Российский солдат быстро покидает оккупированный город" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        retold_comparison c = cmp_texts(pairs[i][1], pairs[i][0], pairs[i][2], pairs[i][0]);
        ck_assert_msg(c.pair.view_jaccard[RETOLD_VIEW_REWRITE] >= 0.3f, "%s: rewrite J %.3f",
                      pairs[i][0], c.pair.view_jaccard[RETOLD_VIEW_REWRITE]);
        ck_assert_msg(c.pair.view_jaccard[RETOLD_VIEW_SURFACE] < 0.2f, "%s: surface J %.3f",
                      pairs[i][0], c.pair.view_jaccard[RETOLD_VIEW_SURFACE]);
        retold_comparison_release(&c);
    }
}
END_TEST

START_TEST(test_seed_relations)
{
    /* 000 and 001 are one story rewritten through translation; every other
     * pair of seeds is an independent report of the same event */
    char *t[5];
    size_t len[5];
    for (int i = 0; i < 5; i++) ck_assert((t[i] = tu_slurp(seed(i), &len[i])) != NULL);
    retold_params p;
    retold_params_default(&p);
    float rewrite01 = 0, rewrite_max_other = 0;
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) {
            retold_comparison c;
            ck_assert_int_eq(retold_compare(&p, t[i], len[i], NULL, t[j], len[j], NULL, &c), RETOLD_OK);
            int r = c.pair.relation;
            ck_assert_msg(!retold_relation_is_copy(r), "seeds %d-%d labelled %s", i, j, retold_relation_name(r));
            if (i == 0 && j == 1) {
                ck_assert_msg(r == RETOLD_REL_REWRITE || r == RETOLD_REL_TRANSLATION, "000-001 is %s", retold_relation_name(r));
                rewrite01 = c.pair.view_jaccard[RETOLD_VIEW_REWRITE];
            } else {
                ck_assert_msg(r == RETOLD_REL_RELATED || r == RETOLD_REL_NONE, "seeds %d-%d labelled %s", i, j, retold_relation_name(r));
                if (c.pair.view_jaccard[RETOLD_VIEW_REWRITE] > rewrite_max_other)
                    rewrite_max_other = c.pair.view_jaccard[RETOLD_VIEW_REWRITE];
            }
            retold_comparison_release(&c);
        }
    /* DESIGN.md: the rewrite pair stands well above same-event pairs */
    ck_assert_msg(rewrite01 > 1.4f * rewrite_max_other, "rewrite J %.3f vs %.3f", rewrite01, rewrite_max_other);
    for (int i = 0; i < 5; i++) free(t[i]);
}
END_TEST

static int classify(float sj, float sc, float rc, float xj, float kj, unsigned keys, int same, int identical)
{
    retold_similarity s;
    memset(&s, 0, sizeof s);
    s.jaccard[0] = sj; s.containment[0] = sc;
    s.jaccard[1] = rc / 3; s.containment[1] = rc;
    s.jaccard[2] = xj; s.containment[2] = xj * 2;
    s.key_jaccard = kj;
    s.key_shared = keys;
    s.surface_distinct_min = 100;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) s.shared[v] = 50;
    s.same_lang = same;
    s.identical = identical;
    float score;
    return retold_relation_classify(&s, 0.8, &score);
}

START_TEST(test_relation_rule)
{
    ck_assert_int_eq(classify(1, 1, 1, 1, 1, 9, 1, 1), RETOLD_REL_DUPLICATE);
    ck_assert_int_eq(classify(0.85f, 0.9f, 0.9f, 0.9f, 1, 9, 1, 0), RETOLD_REL_NEAR_COPY);
    ck_assert_int_eq(classify(0.5f, 0.95f, 0.6f, 0.6f, 1, 9, 1, 0), RETOLD_REL_PARTIAL_COPY);
    ck_assert_int_eq(classify(0.02f, 0.05f, 0.25f, 0.3f, 0.5f, 9, 1, 0), RETOLD_REL_REWRITE);
    ck_assert_int_eq(classify(0.0f, 0.0f, 0.01f, 0.3f, 0.5f, 9, 0, 0), RETOLD_REL_TRANSLATION);
    ck_assert_int_eq(classify(0.0f, 0.0f, 0.01f, 0.05f, 0.3f, 5, 1, 0), RETOLD_REL_RELATED);
    ck_assert_int_eq(classify(0.0f, 0.0f, 0.01f, 0.05f, 0.3f, 2, 1, 0), RETOLD_REL_NONE);
    ck_assert_int_eq(classify(0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0, 0, 0), RETOLD_REL_NONE);
    /* a rewrite needs the same (or unknown) language; translation a different one */
    ck_assert_int_ne(classify(0.02f, 0.05f, 0.25f, 0.01f, 0.0f, 0, 0, 0), RETOLD_REL_REWRITE);
    ck_assert_int_ne(classify(0.0f, 0.0f, 0.01f, 0.3f, 0.0f, 0, 1, 0), RETOLD_REL_TRANSLATION);
    for (int r = 0; r <= RETOLD_REL_DUPLICATE; r++)
        ck_assert_int_eq(retold_relation_parse(retold_relation_name(r)), r);
    ck_assert_int_eq(retold_relation_parse("cousin"), -1);
}
END_TEST

START_TEST(test_alignment_offsets)
{
    /* multibyte characters before and inside the passage */
    const char *a = "Вступление. Café «Kherson» — the Russian army left the right bank of the Dnipro on Friday, said Ёлкин.";
    const char *b = "Report: THE RUSSIAN ARMY LEFT THE RIGHT BANK OF THE DNIPRO ON FRIDAY. Nothing else.";
    retold_passage *p;
    size_t n;
    ck_assert_int_eq(retold_align(a, strlen(a), b, strlen(b), 5, &p, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(p[0].tokens, 12);
    const char *want_a = "the Russian army left the right bank of the Dnipro on Friday";
    ck_assert_uint_eq(p[0].a_end - p[0].a_start, strlen(want_a));
    ck_assert_int_eq(memcmp(a + p[0].a_start, want_a, strlen(want_a)), 0);
    ck_assert_int_eq(memcmp(b + p[0].b_start, "THE RUSSIAN ARMY", 16), 0);
    ck_assert_uint_eq(p[0].b_end, (uint32_t)(strstr(b, "FRIDAY") - b + 6));
    free(p);
    /* nothing shorter than the minimum; empty inputs */
    ck_assert_int_eq(retold_align(a, strlen(a), b, strlen(b), 13, &p, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 0);
    free(p);
    ck_assert_int_eq(retold_align("", 0, b, strlen(b), 5, &p, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 0);
    free(p);
}
END_TEST

START_TEST(test_batch_views_match_compare)
{
    /* the batch with all views labels the seeds as compare does */
    retold_batch_opts o;
    retold_batch_opts_default(&o);
    o.params.views = RETOLD_VIEWS_ALL;
    o.threads = 2;
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    const char *in = "data/seeds";
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    size_t n;
    const retold_pair *pr = retold_batch_pairs(b, &n);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(pr[0].a, 0);
    ck_assert_uint_eq(pr[0].b, 1);
    ck_assert_int_eq(pr[0].relation, RETOLD_REL_REWRITE);
    ck_assert_str_eq(retold_batch_doc_lang(b, 0), "en");
    for (size_t i = 1; i < n; i++) ck_assert_int_eq(pr[i].relation, RETOLD_REL_RELATED);
    /* related pairs do not merge clusters */
    const uint32_t *cl = retold_batch_clusters(b);
    ck_assert_uint_eq(cl[1], 0);
    ck_assert_uint_eq(cl[2], 2);
    retold_batch_free(b);
}
END_TEST

/* retold__similarity on 32-bit sets (the SIMD block intersection) equals
 * the same sets widened to 64 bits (the scalar merge) and a count by
 * brute force: random sorted sets of 0..70 elements (sizes not multiples
 * of 4 included), overlaps from none to all, key bits set at random. */
START_TEST(test_similarity_32_equals_64)
{
    uint64_t seed = 11;
    static uint32_t xa[RETOLD_VIEW_COUNT][80], xb[RETOLD_VIEW_COUNT][80];
    static uint64_t wa[RETOLD_VIEW_COUNT][80], wb[RETOLD_VIEW_COUNT][80];
    for (int round = 0; round < 20000; round++) {
        retold__sets a32, b32, a64, b64;
        memset(&a32, 0, sizeof a32); memset(&b32, 0, sizeof b32);
        memset(&a64, 0, sizeof a64); memset(&b64, 0, sizeof b64);
        size_t want[RETOLD_VIEW_COUNT], wantk = 0;
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            /* draw from a small universe so that sets overlap */
            uint32_t universe = 8 + (uint32_t)(tu_rand(&seed) % 200);
            unsigned pa = (unsigned)(tu_rand(&seed) % 101), pb = (unsigned)(tu_rand(&seed) % 101);
            size_t na = 0, nb = 0;
            uint32_t step = 1 + (uint32_t)(tu_rand(&seed) % 3);
            for (uint32_t u = 0; u < universe; u++) {
                uint32_t e = u * 37u * step + (uint32_t)(tu_rand(&seed) % 2);   /* increasing; low bit random */
                int ina = (unsigned)(tu_rand(&seed) % 100) < pa && na < 70;
                int inb = (unsigned)(tu_rand(&seed) % 100) < pb && nb < 70;
                if (ina) xa[v][na++] = e;
                if (inb) xb[v][nb++] = e;
            }
            /* brute force */
            size_t in = 0;
            for (size_t p = 0; p < na; p++)
                for (size_t q = 0; q < nb; q++)
                    if (xa[v][p] == xb[v][q]) { in++; if (v == RETOLD_VIEW_CROSS) wantk += xa[v][p] & 1u; }
            want[v] = in;
            for (size_t p = 0; p < na; p++) wa[v][p] = xa[v][p];
            for (size_t q = 0; q < nb; q++) wb[v][q] = xb[v][q];
            a32.h32[v] = xa[v]; b32.h32[v] = xb[v]; a64.h[v] = wa[v]; b64.h[v] = wb[v];
            a32.n[v] = a64.n[v] = na;
            b32.n[v] = b64.n[v] = nb;
        }
        retold_similarity s32, s64;
        float j32[RETOLD_VIEW_COUNT], c32[RETOLD_VIEW_COUNT], j64[RETOLD_VIEW_COUNT], c64[RETOLD_VIEW_COUNT];
        retold__similarity(&a32, &b32, &s32, j32, c32);
        retold__similarity(&a64, &b64, &s64, j64, c64);
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            ck_assert_uint_eq(s32.shared[v], want[v]);
            ck_assert_uint_eq(s64.shared[v], want[v]);
            ck_assert(j32[v] == j64[v] && c32[v] == c64[v]);
        }
        ck_assert_uint_eq(s32.key_shared, wantk);
        ck_assert_uint_eq(s64.key_shared, wantk);
        ck_assert(s32.key_jaccard == s64.key_jaccard);
        ck_assert_uint_eq(s32.surface_distinct_min, s64.surface_distinct_min);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("views");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_language);
    tcase_add_test(tc, test_cross_view_names);
    tcase_add_test(tc, test_rewrite_view_stems_and_quotes);
    tcase_add_test(tc, test_stemming_per_language);
    tcase_add_test(tc, test_seed_relations);
    tcase_add_test(tc, test_relation_rule);
    tcase_add_test(tc, test_alignment_offsets);
    tcase_add_test(tc, test_batch_views_match_compare);
    tcase_add_test(tc, test_similarity_32_equals_64);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
