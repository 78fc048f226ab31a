/* check_normalize.c - Unicode normalisation and its offset map. */
#include "testutil.h"
#include "retold.h"

static void expect_norm(const char *in, const char *want)
{
    retold_text t;
    ck_assert_int_eq(retold_normalize(in, strlen(in), &t), RETOLD_OK);
    ck_assert_msg(strcmp(t.data, want) == 0, "normalise(\"%s\") = \"%s\", want \"%s\"", in, t.data, want);
    ck_assert_uint_eq(t.len, strlen(want));
    retold_text_release(&t);
}

START_TEST(test_case_and_accents)
{
    expect_norm("Café Déjà-vu", "cafe deja-vu");
    expect_norm("NAÏVE Ångström", "naive angstrom");
    expect_norm("Straße", "strasse");                  /* full case folding */
    expect_norm("ΑΘΉΝΑ", "αθηνα");                      /* Greek: tonos dropped */
    expect_norm("Ёлка Йошкар", "елка иошкар");          /* Cyrillic breve/diaeresis */
    expect_norm("ＫＨＥＲＳＯＮ", "kherson");           /* fullwidth: NFKC */
    expect_norm("ﬁnal", "final");                       /* ligature */
}
END_TEST

START_TEST(test_quotes_dashes_space)
{
    expect_norm("\xe2\x80\x9cHe said\xe2\x80\x9d \xe2\x80\x94 \xc2\xabnon\xc2\xbb", "\"he said\" - \"non\"");
    expect_norm("it\xe2\x80\x99s", "it's");
    expect_norm("  a \t\n\n b  ", "a b");
    expect_norm("co\xc2\xadoperate", "cooperate");       /* soft hyphen is ignorable */
}
END_TEST

START_TEST(test_digit_groups)
{
    expect_norm("40,000 troops", "40000 troops");
    expect_norm("40.000 Soldaten", "40000 soldaten");
    expect_norm("40 000 soldats", "40000 soldats");
    expect_norm("40\xc2\xa0" "000", "40000");            /* no-break space */
    expect_norm("1,234,567", "1234567");
    expect_norm("3.5 km", "3.5 km");                   /* not a group of 3 */
    expect_norm("2022, 100", "2022, 100");             /* separator + space */
    expect_norm("in 2022 100 men", "in 2022 100 men"); /* first group > 3 digits */
    expect_norm("\xd9\xa1\xd9\xa2\xd9\xa3", "123");       /* Arabic-Indic digits */
}
END_TEST

START_TEST(test_invalid_utf8)
{
    const char in[] = "ab\xff" "cd\xe2\x82" "ef\xc0\xaf";
    retold_text t;
    ck_assert_int_eq(retold_normalize(in, sizeof in - 1, &t), RETOLD_OK);
    ck_assert_str_eq(t.data, "ab\xef\xbf\xbd" "cd\xef\xbf\xbd" "ef\xef\xbf\xbd\xef\xbf\xbd");
    ck_assert_uint_eq(t.invalid, 4);        /* FF, E2 82 (one subpart), C0, AF */
    retold_text_release(&t);
}
END_TEST

START_TEST(test_offsets)
{
    const char *in = "Café  “Kherson”";
    retold_text t;
    ck_assert_int_eq(retold_normalize(in, strlen(in), &t), RETOLD_OK);
    ck_assert_str_eq(t.data, "cafe \"kherson\"");
    ck_assert_uint_eq(t.src[3], 3);              /* 'e' from the 2-byte é at 3 */
    ck_assert_uint_eq(t.src[5], 7);              /* '"' from the 3-byte quote at 7 */
    ck_assert_uint_eq(t.src[6], 10);             /* 'k' */
    ck_assert_uint_eq(t.src[t.len], strlen(in));
    for (size_t i = 1; i < t.len; i++) ck_assert_uint_ge(t.src[i], t.src[i - 1]);
    retold_text_release(&t);
}
END_TEST

START_TEST(test_empty_and_idempotent)
{
    expect_norm("", "");
    expect_norm("   ", "");
    /* normalising twice changes nothing */
    const char *in = "Sergey Surovikin — “military necessity”, 40,000 troops; Ёж, ΑΘΉΝΑ, 東京";
    retold_text a, b;
    ck_assert_int_eq(retold_normalize(in, strlen(in), &a), RETOLD_OK);
    ck_assert_int_eq(retold_normalize(a.data, a.len, &b), RETOLD_OK);
    ck_assert_str_eq(a.data, b.data);
    retold_text_release(&a);
    retold_text_release(&b);
    retold_text_release(&b);             /* release twice is safe */
}
END_TEST

START_TEST(test_tokens_of_normalised_text)
{
    /* tokenising the normalised text gives the same token strings */
    const char *in = "The “Kherson” retreat: 40,000 Soldaten — ΑΘΉΝΑ Ёлка naïve ﬁnal 東京都";
    retold_text t;
    ck_assert_int_eq(retold_normalize(in, strlen(in), &t), RETOLD_OK);
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *a, *b;
    size_t na, nb;
    ck_assert_int_eq(retold_tokenize(tk, in, strlen(in), &a, &na), RETOLD_OK);
    uint64_t ha[64];
    ck_assert_uint_le(na, 64);
    for (size_t i = 0; i < na; i++) ha[i] = a[i].hash;
    ck_assert_int_eq(retold_tokenize(tk, t.data, t.len, &b, &nb), RETOLD_OK);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < nb; i++) ck_assert_uint_eq(ha[i], b[i].hash);
    retold_tokenizer_free(tk);
    retold_text_release(&t);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_case_and_accents);
    tcase_add_test(tc, test_quotes_dashes_space);
    tcase_add_test(tc, test_digit_groups);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_offsets);
    tcase_add_test(tc, test_empty_and_idempotent);
    tcase_add_test(tc, test_tokens_of_normalised_text);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
