/* check_tokenize.c - tokens, flags, offsets, scripts, and the ASCII fast
 * path against the general Unicode path. */
#include "testutil.h"
#include "retold.h"

#ifndef DATA_DIR
#define DATA_DIR "data"
#endif

/* Tokenise and join the normalised tokens with '|'. */
static char *joined(const char *in, size_t len, unsigned opts)
{
    retold_tokenizer *tk = retold_tokenizer_new(0, opts);
    const retold_token *t;
    size_t n;
    ck_assert_int_eq(retold_tokenize(tk, in, len, &t, &n), RETOLD_OK);
    size_t cap = 1;
    for (size_t i = 0; i < n; i++) cap += t[i].norm_len + 1;
    char *s = malloc(cap), *w = s;
    const char *norm = retold_tokenizer_norm(tk);
    for (size_t i = 0; i < n; i++) {
        if (i) *w++ = '|';
        memcpy(w, norm + t[i].norm, t[i].norm_len);
        w += t[i].norm_len;
    }
    *w = 0;
    retold_tokenizer_free(tk);
    return s;
}

static void expect_tokens(const char *in, const char *want)
{
    char *s = joined(in, strlen(in), 0);
    ck_assert_msg(strcmp(s, want) == 0, "tokens(\"%s\") = \"%s\", want \"%s\"", in, s, want);
    free(s);
    s = joined(in, strlen(in), RETOLD_TOKENIZER_NO_FASTPATH);
    ck_assert_msg(strcmp(s, want) == 0, "general path: tokens(\"%s\") = \"%s\"", in, s);
    free(s);
}

START_TEST(test_words)
{
    expect_tokens("Russia's retreat from Kherson, Nov. 2022!", "russia|s|retreat|from|kherson|nov|2022");
    expect_tokens("", "");
    expect_tokens("  ,,, !!! ", "");
    expect_tokens("G7 COVID-19", "g7|covid|19");
    expect_tokens("40,000 troops; 40.000 Soldaten; 40 000 soldats", "40000|troops|40000|soldaten|40000|soldats");
    expect_tokens("Зеленский и Шойгу", "зеленскии|и|шоигу");
    expect_tokens("Ελλάδα", "ελλαδα");
    expect_tokens("हिन्दी भाषा", "हिन्दी|भाषा");      /* marks kept, word intact */
    expect_tokens("emoji 😀 split", "emoji|split");
    /* words at and across the 16-byte blocks of the ASCII word loop */
    expect_tokens("ABCDEFGHIJKLMNOP abcdefghijklmnopq Q", "abcdefghijklmnop|abcdefghijklmnopq|q");
    expect_tokens("Antidisestablishmentarianism's", "antidisestablishmentarianism|s");
    expect_tokens("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    expect_tokens("Meteorologically café Populationsgeschichte naïve", "meteorologically|cafe|populationsgeschichte|naive");
    expect_tokens("In 2022 some 1,000,000 people and 30,000 troops left 1234567890123456789 a",
                  "in|2022|some|1000000|people|and|30000|troops|left|1234567890123456789|a");
    expect_tokens("[at]@[`{]Zz{Aa}", "at|zz|aa");
}
END_TEST

START_TEST(test_dense_scripts)
{
    /* Han/Kana as overlapping bigrams; a lone character as a unigram */
    expect_tokens("東京都", "東京|京都");
    expect_tokens("東 京", "東|京");
    expect_tokens("日本語のテキスト", "日本|本語|語の|のテ|テキ|キス|スト");
    expect_tokens("ภาษาไทย", "ภา|าษ|ษา|าไ|ไท|ทย");
    expect_tokens("中文abc中", "中文|abc|中");
}
END_TEST

START_TEST(test_flags_offsets)
{
    const char *in = "Putin said: “We will leave Kherson.” Then Shoigu agreed.";
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *t;
    size_t n;
    ck_assert_int_eq(retold_tokenize(tk, in, strlen(in), &t, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 9);
    ck_assert(t[0].flags & RETOLD_TOK_UPPER);
    ck_assert(t[0].flags & RETOLD_TOK_SENT);
    ck_assert(!(t[1].flags & RETOLD_TOK_QUOTED));
    ck_assert(t[2].flags & RETOLD_TOK_QUOTED);       /* we */
    ck_assert(t[5].flags & RETOLD_TOK_QUOTED);       /* kherson */
    ck_assert(t[5].flags & RETOLD_TOK_UPPER);
    ck_assert(!(t[5].flags & RETOLD_TOK_SENT));
    ck_assert(t[6].flags & RETOLD_TOK_SENT);         /* Then */
    ck_assert(!(t[6].flags & RETOLD_TOK_QUOTED));
    /* offsets point at the original bytes */
    ck_assert_int_eq(memcmp(in + t[5].start, "Kherson", 7), 0);
    ck_assert_uint_eq(t[5].end - t[5].start, 7);
    ck_assert_int_eq(memcmp(in + t[7].start, "Shoigu", 6), 0);
    retold_tokenizer_free(tk);

    tk = retold_tokenizer_new(0, 0);
    const char *num = "paid 40,000 dollars";
    ck_assert_int_eq(retold_tokenize(tk, num, strlen(num), &t, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert(t[1].flags & RETOLD_TOK_NUMERIC);
    ck_assert_uint_eq(t[1].start, 5);
    ck_assert_uint_eq(t[1].end, 11);
    retold_tokenizer_free(tk);
}
END_TEST

START_TEST(test_crlf_paragraphs)
{
    /* CR LF line ends mark paragraphs (and close quotes) as LF does */
    const char *lf = "\"An open quote\n\nNew paragraph here";
    const char *crlf = "\"An open quote\r\n\r\nNew paragraph here";
    retold_tokenizer *a = retold_tokenizer_new(0, 0), *b = retold_tokenizer_new(0, 0);
    const retold_token *ta, *tb;
    size_t na, nb;
    ck_assert_int_eq(retold_tokenize(a, lf, strlen(lf), &ta, &na), RETOLD_OK);
    ck_assert_int_eq(retold_tokenize(b, crlf, strlen(crlf), &tb, &nb), RETOLD_OK);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++) ck_assert_uint_eq(ta[i].flags, tb[i].flags);
    ck_assert(tb[3].flags & RETOLD_TOK_SENT);
    ck_assert(!(tb[3].flags & RETOLD_TOK_QUOTED));
    retold_tokenizer_free(a);
    retold_tokenizer_free(b);
}
END_TEST

START_TEST(test_invalid_bytes)
{
    const char in[] = "abc\xff\xfe" "def\xed\xa0\x80" "ghi";     /* surrogate encoded */
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *t;
    size_t n;
    ck_assert_int_eq(retold_tokenize(tk, in, sizeof in - 1, &t, &n), RETOLD_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(retold_tokenizer_invalid(tk), 5);
    retold_tokenizer_free(tk);
}
END_TEST

/* Compare the fast and the general path token for token. */
static void same_paths(const char *in, size_t len)
{
    retold_tokenizer *a = retold_tokenizer_new(42, 0);
    retold_tokenizer *b = retold_tokenizer_new(42, RETOLD_TOKENIZER_NO_FASTPATH);
    const retold_token *ta, *tb;
    size_t na, nb;
    ck_assert_int_eq(retold_tokenize(a, in, len, &ta, &na), RETOLD_OK);
    ck_assert_int_eq(retold_tokenize(b, in, len, &tb, &nb), RETOLD_OK);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++) {
        ck_assert_uint_eq(ta[i].hash, tb[i].hash);
        ck_assert_uint_eq(ta[i].start, tb[i].start);
        ck_assert_uint_eq(ta[i].end, tb[i].end);
        ck_assert_uint_eq(ta[i].flags, tb[i].flags);
        ck_assert_uint_eq(ta[i].norm_len, tb[i].norm_len);
        ck_assert_int_eq(memcmp(retold_tokenizer_norm(a) + ta[i].norm,
                                retold_tokenizer_norm(b) + tb[i].norm, ta[i].norm_len), 0);
    }
    ck_assert_uint_eq(retold_tokenizer_invalid(a), retold_tokenizer_invalid(b));
    retold_tokenizer_free(a);
    retold_tokenizer_free(b);
}

START_TEST(test_fastpath_random)
{
    /* random strings over an alphabet rich in the tricky cases */
    static const char *const pieces[] = {
        "a", "Z", "q", "0", "7", " ", "\n", "\n\n", "\r\n", ",", ".", "'", "\"", "-", "!",
        "?", "\t", "\x01", "é", "É", "“", "”", "—", "\xc2\xa0", "東", "京", "ё", "ß",
        "\xff", "\xe2\x82", "123", "4,567", "1 000", "ﬁ", "\xcc\x81", "Ä", "ภ", "ไ",
        /* long ASCII runs: the 16-byte word loop, its block edges, tails */
        "abcdefghijklmno", "ABCDEFGHIJKLMNOPQ", "0123456789012345", "x9Y8z7W6v5U4t3S2r1",
        "Internationalisation", "@[`{", "a b c d e f g h ",
        /* runs of short words (ascii_words): sentence and quote flags,
         * words ending in digits, a mark or a non-ASCII letter after one */
        "The quick brown fox ", "jumps over the lazy dog. ", "ab12 ", "12ab ", "abc\xcc\x81 ",
        "naïve ", "Dnipro\xc2\xa0river " };
    uint64_t seed = 1;
    char buf[4096];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0, parts = tu_rand(&seed) % 200;
        for (size_t i = 0; i < parts; i++) {
            const char *p = pieces[tu_rand(&seed) % (sizeof pieces / sizeof pieces[0])];
            size_t l = strlen(p);
            if (len + l >= sizeof buf) break;
            memcpy(buf + len, p, l);
            len += l;
        }
        same_paths(buf, len);
    }
    /* and raw random bytes */
    for (int iter = 0; iter < 2000; iter++) {
        size_t len = tu_rand(&seed) % 300;
        for (size_t i = 0; i < len; i++) {
            uint64_t r = tu_rand(&seed);
            buf[i] = (char)(r % 4 == 0 ? (r >> 8) : 32 + (r >> 8) % 95);
        }
        same_paths(buf, len);
    }
}
END_TEST

/* The 64-byte chunk path (ascii_span): each tricky piece at every offset
 * across two chunk boundaries of plain ASCII text, so that it falls on the
 * first, the last and every other byte of a chunk. */
START_TEST(test_fastpath_chunk_edges)
{
    static const char *const probes[] = {
        "2022", "40,000", "1 000 000", "ab12", "12ab", "x9", "caf\xc3\xa9", "\xc3\xa9t\xc3\xa9",
        "abc\xcc\x81", "\"quoted\"", "end.", "\n\n", "\r\n\r\n", "\n \n", "don't", "--",
        "\xe6\x9d\xb1\xe4\xba\xac", "\xff", "A", "Z9", "\t\v\f", "\x01",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",    /* 63 */
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",   /* 64 */
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm",  /* 65 */
        "0123456789012345678901234567890123456789012345678901234567890123456789" };
    static const char filler[] = "The quick Brown fox, jumps over the lazy dog. ";
    char buf[512];
    for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++)
        for (size_t off = 0; off < 140; off++) {
            size_t len = 0;
            while (len < off) {
                buf[len] = filler[len % (sizeof filler - 1)];
                len++;
            }
            size_t l = strlen(probes[k]);
            memcpy(buf + len, probes[k], l);
            len += l;
            for (size_t i = 0; i < 200; i++, len++) buf[len] = filler[(i + 3) % (sizeof filler - 1)];
            same_paths(buf, len);
            same_paths(buf, len - 150);     /* ending inside or near the probe */
        }
}
END_TEST

START_TEST(test_fastpath_real)
{
    static const char *const files[] = {
        DATA_DIR "/seeds/000_bb6e3753a67e3ff7.txt", DATA_DIR "/seeds/001_a434b754d65ded64.txt",
        DATA_DIR "/seeds/002_af5f1da342d86a3c.txt", DATA_DIR "/seeds/003_b3dfe6ad67eb7445.txt",
        DATA_DIR "/seeds/004_f44f56fad39cf0bc.txt" };
    for (size_t i = 0; i < 5; i++) {
        size_t len;
        char *t = tu_slurp(files[i], &len);
        ck_assert_msg(t != NULL, "missing %s", files[i]);
        same_paths(t, len);
        free(t);
    }
}
END_TEST

START_TEST(test_reuse_and_hash_seed)
{
    retold_tokenizer *a = retold_tokenizer_new(1, 0), *b = retold_tokenizer_new(2, 0);
    const retold_token *ta, *tb;
    size_t na, nb;
    ck_assert_int_eq(retold_tokenize(a, "word", 4, &ta, &na), RETOLD_OK);
    ck_assert_int_eq(retold_tokenize(b, "word", 4, &tb, &nb), RETOLD_OK);
    ck_assert_uint_ne(ta[0].hash, tb[0].hash);
    /* reuse after a long document */
    char *big = malloc(1 << 20);
    for (size_t i = 0; i < (1 << 20); i++) big[i] = (i % 7 == 6) ? ' ' : 'x';
    ck_assert_int_eq(retold_tokenize(a, big, 1 << 20, &ta, &na), RETOLD_OK);
    ck_assert_uint_eq(na, (1 << 20) / 7 + 1);   /* and a tail without space */
    ck_assert_int_eq(retold_tokenize(a, "WORD", 4, &ta, &na), RETOLD_OK);
    ck_assert_uint_eq(na, 1);
    free(big);
    retold_tokenizer_free(a);
    retold_tokenizer_free(b);
    retold_tokenizer_free(NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tokenize");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_words);
    tcase_add_test(tc, test_dense_scripts);
    tcase_add_test(tc, test_flags_offsets);
    tcase_add_test(tc, test_crlf_paragraphs);
    tcase_add_test(tc, test_invalid_bytes);
    tcase_add_test(tc, test_fastpath_random);
    tcase_add_test(tc, test_fastpath_chunk_edges);
    tcase_add_test(tc, test_fastpath_real);
    tcase_add_test(tc, test_reuse_and_hash_seed);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
