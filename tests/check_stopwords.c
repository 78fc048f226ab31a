/*
 * check_stopwords.c - language tags, the built-in lists (against the
 * committed data/stopwords/<lang>.txt), lookups through the tokeniser, and
 * sets loaded from files.
 *
 * The data files are read from $RETOLD_SRCDIR/data/stopwords (default: the
 * current directory, i.e. run from the top of the source tree).
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp, fdopen */
#include "retold/stopwords.h"
#include "retold/normalize.h"
#include "retold/tokenize.h"
#include "retold/error.h"

#include <check.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *lang_of(const char *tag)
{
    static char out[16];               /* >= RETOLD_LANG_MAX and "(inval)" */
    int rc = retold_stopwords_lang(tag, strlen(tag), out);
    return rc == RETOLD_OK ? out : "(inval)";
}

START_TEST(tag_parsing)
{
    static const char *const ok[][2] = {
        { "de", "de" }, { "DE", "de" }, { "de-1996", "de" }, { "pt_BR", "pt" },
        { "zh-Hant", "zh" }, { "sr-Latn-RS", "sr" }, { "de_DE.UTF-8", "de" },
        { "en@euro", "en" }, { "En-gb", "en" }, { "deu", "de" }, { "ger", "de" },
        { "fra", "fr" }, { "ell", "el" }, { "hin", "hi" }, { "iw", "he" },
        { "in", "id" }, { "nb", "no" }, { "nn-NO", "no" }, { "nob", "no" },
        { "cze", "cs" }, { "und", "und" }, { "yue-HK", "yue" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(strcmp(lang_of(ok[i][0]), ok[i][1]) == 0, "%s -> %s, want %s",
                      ok[i][0], lang_of(ok[i][0]), ok[i][1]);
    static const char *const bad[] = { "", "x-private", "i-klingon", "12", "a",
                                       "abcd", "de1", "-de", "d\xc3\xa9" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(strcmp(lang_of(bad[i]), "(inval)") == 0, "%s accepted", bad[i]);
    char out[RETOLD_LANG_MAX];
    ck_assert_int_eq(retold_stopwords_lang(NULL, 2, out), RETOLD_INVAL);
    ck_assert_int_eq(retold_stopwords_lang("de", 2, NULL), RETOLD_INVAL);
    /* only len bytes are read */
    ck_assert_int_eq(retold_stopwords_lang("dexyz", 2, out), RETOLD_OK);
    ck_assert_str_eq(out, "de");
}
END_TEST

START_TEST(new_by_tag)
{
    retold_stopwords *sw = NULL;
    ck_assert_int_eq(retold_stopwords_new("pt_BR", &sw), RETOLD_OK);
    ck_assert_str_eq(retold_stopwords_language(sw), "pt");
    retold_stopwords_free(sw);
    ck_assert_int_eq(retold_stopwords_new("nn-NO", &sw), RETOLD_OK);
    ck_assert_str_eq(retold_stopwords_language(sw), "no");
    retold_stopwords_free(sw);
    sw = (retold_stopwords *)&sw;               /* must be reset on failure */
    ck_assert_int_eq(retold_stopwords_new("zh-Hant", &sw), RETOLD_NOTFOUND);
    ck_assert_ptr_null(sw);
    ck_assert_int_eq(retold_stopwords_new("x-private", &sw), RETOLD_INVAL);
    ck_assert_ptr_null(sw);
    ck_assert_int_eq(retold_stopwords_new(NULL, &sw), RETOLD_INVAL);
    ck_assert_int_eq(retold_stopwords_new("de", NULL), RETOLD_INVAL);
    /* NULL set: contains nothing, frees as a no-op */
    ck_assert_int_eq(retold_stopwords_is(NULL, "the", 3), 0);
    ck_assert_uint_eq(retold_stopwords_count(NULL), 0);
    retold_stopwords_free(NULL);
}
END_TEST

/* Words that must be in (and out of) each list. */
static const struct {
    const char *lang;
    const char *in[6];
    const char *out[3];
} expect[] = {
    { "cs", { "a", "je", "ze", "nebo", "jako", "ktery" }, { "soubor", "clovek", "praha" } },
    { "da", { "og", "til", "er", "ikke", "det", "ogsa" }, { "fil", "ret", "kobenhavn" } },
    { "de", { "und", "der", "die", "fur", "uber", "nicht" }, { "datei", "recht", "berlin" } },
    { "el", { "και", "το", "να", "ειναι", "του", "τησ" }, { "δικαιωμα", "αρχειο", "αθηνα" } },
    { "en", { "the", "of", "and", "which", "would", "she" }, { "file", "right", "kherson" } },
    { "es", { "de", "la", "que", "el", "y", "tambien" }, { "archivo", "derecho", "madrid" } },
    { "fi", { "on", "ja", "ei", "etta", "myos", "kuin" }, { "tiedosto", "oikeus", "helsinki" } },
    { "fr", { "de", "la", "et", "etre", "qu", "l" }, { "fichier", "droit", "paris" } },
    { "hi", { "का", "है", "और", "में", "से", "नहीं" }, { "अधिकार", "व्यक्ति", "भारत" } },
    { "it", { "e", "di", "il", "che", "della", "piu" }, { "file", "legge", "roma" } },
    { "nl", { "de", "van", "een", "het", "niet", "zijn" }, { "bestand", "recht", "amsterdam" } },
    { "no", { "og", "i", "til", "er", "ikke", "ogsa" }, { "fil", "rett", "oslo" } },
    { "pl", { "w", "i", "do", "jest", "nie", "sie" }, { "plik", "prawo", "warszawa" } },
    { "pt", { "e", "de", "que", "nao", "um", "voce" }, { "arquivo", "direito", "lisboa" } },
    { "ru", { "в", "и", "не", "что", "это", "которыи" }, { "фаил", "право", "москва" } },
    { "sv", { "och", "for", "som", "i", "till", "ar" }, { "fil", "ratt", "stockholm" } },
    { "tr", { "ve", "bir", "bu", "icin", "ile", "gibi" }, { "dosya", "hak", "ankara" } },
    { "uk", { "і", "у", "до", "не", "що", "иого" }, { "фаил", "право", "киів" } },
};

START_TEST(builtin_lists)
{
    size_t n = 0;
    const char *const *langs = retold_stopwords_languages(&n);
    ck_assert_uint_eq(n, sizeof expect / sizeof expect[0]);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(langs[i], expect[i].lang);
        if (i > 0) ck_assert_int_lt(strcmp(langs[i - 1], langs[i]), 0);
        retold_stopwords *sw = NULL;
        ck_assert_int_eq(retold_stopwords_new(langs[i], &sw), RETOLD_OK);
        ck_assert_str_eq(retold_stopwords_language(sw), langs[i]);
        ck_assert_uint_ge(retold_stopwords_count(sw), 50);
        ck_assert_uint_le(retold_stopwords_count(sw), 250);
        for (size_t k = 0; k < 6; k++) {
            const char *w = expect[i].in[k];
            ck_assert_msg(retold_stopwords_is(sw, w, strlen(w)),
                          "%s: '%s' should be a stopword", langs[i], w);
            /* the pre-hashed lookup agrees, and a wrong hash misses */
            ck_assert(retold_stopwords_is_hashed(sw, w, strlen(w), XXH3_64bits(w, strlen(w))));
            ck_assert(!retold_stopwords_is_hashed(sw, w, strlen(w), XXH3_64bits(w, strlen(w)) ^ 1));
        }
        for (size_t k = 0; k < 3; k++) {
            const char *w = expect[i].out[k];
            ck_assert_msg(!retold_stopwords_is(sw, w, strlen(w)),
                          "%s: '%s' should not be a stopword", langs[i], w);
            ck_assert(!retold_stopwords_is_hashed(sw, w, strlen(w), XXH3_64bits(w, strlen(w))));
        }
        /* a stopword with a letter added is not one */
        char longer[64];
        int l = snprintf(longer, sizeof longer, "%sq", expect[i].in[0]);
        ck_assert(!retold_stopwords_is(sw, longer, (size_t)l));
        ck_assert_int_eq(retold_stopwords_is(sw, "", 0), 0);
        ck_assert_int_eq(retold_stopwords_is(sw, NULL, 3), 0);
        retold_stopwords_free(sw);
    }
}
END_TEST

/* The embedded lists equal the committed data files, and every word is in
 * the normalised form the tokeniser produces. */
START_TEST(builtin_matches_data_files)
{
    const char *src = getenv("RETOLD_SRCDIR");
    if (!src) src = ".";
    size_t n = 0;
    const char *const *langs = retold_stopwords_languages(&n);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/data/stopwords/%s.txt", src, langs[i]);
        FILE *f = fopen(path, "r");
        ck_assert_msg(f != NULL, "cannot open %s (set RETOLD_SRCDIR to the source tree)", path);
        retold_stopwords *sw = NULL;
        ck_assert_int_eq(retold_stopwords_new(langs[i], &sw), RETOLD_OK);
        char line[512];
        size_t words = 0;
        while (fgets(line, sizeof line, f)) {
            size_t len = strcspn(line, "\r\n");
            if (len == 0) continue;
            words++;
            ck_assert_msg(retold_stopwords_is(sw, line, len),
                          "%s: '%.*s' is in %s but not built in: run scripts/make-stopwords embed",
                          langs[i], (int)len, line, path);
            retold_text t = { 0 };
            ck_assert_int_eq(retold_normalize(line, len, &t), RETOLD_OK);
            ck_assert_msg(t.len == len && memcmp(t.data, line, len) == 0,
                          "%s: '%.*s' is not in normalised form ('%s'): fix "
                          "scripts/make-stopwords and rerun build + embed",
                          langs[i], (int)len, line, t.data);
            retold_text_release(&t);
        }
        fclose(f);
        ck_assert_msg(words == retold_stopwords_count(sw),
                      "%s: %zu words in %s, %zu built in: run scripts/make-stopwords embed",
                      langs[i], words, path, retold_stopwords_count(sw));
        retold_stopwords_free(sw);
    }
}
END_TEST

/* Tokens straight from the tokeniser are looked up as they are. */
START_TEST(through_tokenizer)
{
    static const struct { const char *lang, *text; size_t stop; } cases[] = {
        { "de", "Für die Stadt Cherson ist das über alles wichtig.", 6 },
        { "fr", "L'armée n'est pas entrée à Kherson, dit-il.", 6 },
        { "ru", "Это был первый визит Шойгу в Херсон, и он не последний.", 6 },
        { "el", "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.", 4 },
        { "tr", "Bu karar için Ankara ve Moskova görüştü.", 3 },
    };
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    ck_assert_ptr_nonnull(tk);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        retold_stopwords *sw = NULL;
        ck_assert_int_eq(retold_stopwords_new(cases[i].lang, &sw), RETOLD_OK);
        const retold_token *tok;
        size_t n, stop = 0;
        ck_assert_int_eq(retold_tokenize(tk, cases[i].text, strlen(cases[i].text), &tok, &n),
                         RETOLD_OK);
        const char *norm = retold_tokenizer_norm(tk);
        for (size_t k = 0; k < n; k++)
            stop += (size_t)retold_stopwords_is(sw, norm + tok[k].norm, tok[k].norm_len);
        ck_assert_msg(stop == cases[i].stop, "%s: %zu stopwords in \"%s\", want %zu",
                      cases[i].lang, stop, cases[i].text, cases[i].stop);
        retold_stopwords_free(sw);
    }
    retold_tokenizer_free(tk);
}
END_TEST

static char tmpl[] = "/tmp/check_stopwords_XXXXXX";

static const char *write_tmp(const char *text)
{
    strcpy(tmpl, "/tmp/check_stopwords_XXXXXX");
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return tmpl;
}

START_TEST(load_file)
{
    retold_stopwords *sw = NULL;
    const char *p = write_tmp("# my list\nFür\n\n\xc3\x9c" "BER\r\nthe\nthe\n");
    ck_assert_int_eq(retold_stopwords_load(p, &sw), RETOLD_OK);
    unlink(p);
    ck_assert_uint_eq(retold_stopwords_count(sw), 3);      /* duplicate once */
    ck_assert(retold_stopwords_is(sw, "fur", 3));
    ck_assert(retold_stopwords_is(sw, "uber", 4));
    ck_assert(retold_stopwords_is(sw, "the", 3));
    ck_assert(!retold_stopwords_is(sw, "Für", strlen("Für")));
    ck_assert(!retold_stopwords_is(sw, "my", 2));           /* comment */
    ck_assert_str_eq(retold_stopwords_language(sw), "");
    retold_stopwords_free(sw);

    /* empty file: an empty set */
    p = write_tmp("");
    ck_assert_int_eq(retold_stopwords_load(p, &sw), RETOLD_OK);
    unlink(p);
    ck_assert_uint_eq(retold_stopwords_count(sw), 0);
    ck_assert(!retold_stopwords_is(sw, "the", 3));
    retold_stopwords_free(sw);

    /* errors */
    ck_assert_int_eq(retold_stopwords_load("/nonexistent/stopwords.txt", &sw), RETOLD_IO);
    ck_assert_ptr_null(sw);
    char big[400];
    memset(big, 'x', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = '\0';
    p = write_tmp(big);
    ck_assert_int_eq(retold_stopwords_load(p, &sw), RETOLD_TOOBIG);
    unlink(p);
    ck_assert_ptr_null(sw);
    ck_assert_int_eq(retold_stopwords_load(NULL, &sw), RETOLD_INVAL);
}
END_TEST

/* A large set: every word found, no false hits (probing and growth). */
START_TEST(large_set)
{
    size_t n = 20000;
    char *text = malloc(n * 12);
    ck_assert_ptr_nonnull(text);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "w%zux\n", i * 7);
    const char *p = write_tmp(text);
    free(text);
    retold_stopwords *sw = NULL;
    ck_assert_int_eq(retold_stopwords_load(p, &sw), RETOLD_OK);
    unlink(p);
    ck_assert_uint_eq(retold_stopwords_count(sw), n);
    for (size_t i = 0; i < 7 * n; i++) {
        char w[32];
        int l = sprintf(w, "w%zux", i);
        ck_assert_int_eq(retold_stopwords_is(sw, w, (size_t)l), i % 7 == 0);
    }
    retold_stopwords_free(sw);
}
END_TEST

static Suite *stopwords_suite(void)
{
    Suite *s = suite_create("stopwords");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 30);
    tcase_add_test(t, tag_parsing);
    tcase_add_test(t, new_by_tag);
    tcase_add_test(t, builtin_lists);
    tcase_add_test(t, builtin_matches_data_files);
    tcase_add_test(t, through_tokenizer);
    tcase_add_test(t, load_file);
    tcase_add_test(t, large_set);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stopwords_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
