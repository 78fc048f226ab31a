/*
 * check_pivot.c - the FreeDict pivot on the fixture dictionaries in
 * tests/data/pivot (written by tests/data/pivot/make-fixture): index and
 * entry parsing, the ranking of translations, exact and stem keys, the
 * registry with RETOLD_DICT_DIR, gzip input, malformed dictionaries, and
 * concurrent first use.  When a real FreeDict package is installed, a smoke
 * test reads it too (it passes trivially otherwise).
 *
 * The fixture is read from $RETOLD_SRCDIR/tests/data/pivot (default: the
 * current directory, i.e. run from the top of the source tree).
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp, setenv */
#include "retold/pivot.h"
#include "retold/error.h"

#include <check.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define REGEN "(fixture: python3 tests/data/pivot/make-fixture)"

static char fixture_dir[4096];

static const char *fixture(const char *name)
{
    static char path[8192];
    const char *src = getenv("RETOLD_SRCDIR");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/data/pivot", src && *src ? src : ".");
    snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
    return path;
}

static const char *fixture_directory(void)
{
    fixture("x");
    return fixture_dir;
}

static retold_pivot *open_fixture(const char *lang)
{
    char index[8192], dict[8192];
    snprintf(index, sizeof index, "%s", fixture(strcmp(lang, "fr") == 0 ? "freedict-fra-eng.index"
                                                                       : "freedict-deu-eng.index"));
    snprintf(dict, sizeof dict, "%s", fixture(strcmp(lang, "fr") == 0 ? "freedict-fra-eng.dict"
                                                                     : "freedict-deu-eng.dict"));
    retold_pivot *p = NULL;
    int rc = retold_pivot_open(index, dict, lang, &p);
    ck_assert_msg(rc == RETOLD_OK, "open %s: %s (set RETOLD_SRCDIR to the source tree)", index,
                  retold_strerror(rc));
    return p;
}

/* The English words of word, space-separated ("" if none). */
static const char *words(const retold_pivot *p, const char *word, int stem)
{
    static char out[256];
    const char *e[RETOLD_PIVOT_MAX];
    size_t el[RETOLD_PIVOT_MAX];
    size_t n = stem ? retold_pivot_lookup_stem(p, word, strlen(word), e, el, RETOLD_PIVOT_MAX)
                    : retold_pivot_lookup(p, word, strlen(word), e, el, RETOLD_PIVOT_MAX);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(el[i], strlen(e[i]));       /* NUL-terminated, length agrees */
        if (i) strcat(out, " ");
        strncat(out, e[i], sizeof out - strlen(out) - 1);
    }
    return out;
}

#define EXPECT(p, word, want) \
    ck_assert_msg(strcmp(words(p, word, 0), want) == 0, "%s -> \"%s\", want \"%s\" " REGEN, \
                  word, words(p, word, 0), want)
#define EXPECT_STEM(p, word, want) \
    ck_assert_msg(strcmp(words(p, word, 1), want) == 0, "stem %s -> \"%s\", want \"%s\" " REGEN, \
                  word, words(p, word, 1), want)

START_TEST(ranking_deu)
{
    retold_pivot *p = open_fixture("de");
    /* establishment, house, home each lead a sense (weight 1); the bytes of
     * their entries order them: home's has two examples, house's one */
    EXPECT(p, "haus", "home house establishment");
    /* keys are normalised like tokens: wurde, not würde */
    EXPECT(p, "wurde", "dignity gravitas");
    EXPECT(p, "w\xc3\xbcrde", "");
    /* Recht + recht: right in two senses (weight 2) beats law and quite
     * (second phrases, 1/2 each); law's entry is the longer */
    EXPECT(p, "recht", "right law quite");
    /* "human being", "human": once per sense; "member of the human race"
     * shares 1/3 among three words; Oh (1) ties with human and its entry is
     * the longer; Golly (1/2) before good (1/6) and member (1/9) */
    EXPECT(p, "mensch", "oh human golly");
    EXPECT(p, "menschen", "people persons");
    /* one entry, two headwords */
    EXPECT(p, "anstand", "dignity decency");
    EXPECT(p, "wurdigkeit", "dignity decency");
    /* notes, IPA and abbreviations dropped: "section <n>s.,  /ˈɛs/" */
    EXPECT(p, "paragraph", "section");
    /* not keys: multi-word headwords, "haus…", metadata, an empty headword */
    EXPECT(p, "etw", "");
    EXPECT(p, "tun", "");
    EXPECT(p, "00databaseinfo", "");
    EXPECT(p, "smiley", "");
    EXPECT(p, "", "");
    ck_assert_msg(strstr(words(p, "haus", 0), "domestic") == NULL, "haus… leaked into haus");
    ck_assert_uint_eq(retold_pivot_count(p), 15);
    ck_assert_str_eq(retold_pivot_stemmer(p), "german");
    ck_assert_uint_gt(retold_pivot_memory(p), 0);
    retold_pivot_free(p);
}
END_TEST

START_TEST(numbered_senses)
{
    retold_pivot *p = open_fixture("fr");
    /* right, jurisprudence, faithful lead senses 1-3 of one entry (same
     * bytes); right has df 2 (droit, prawo), the others 1 */
    EXPECT(p, "droit", "right jurisprudence faithful");
    EXPECT(p, "homme", "man fellow human");
    EXPECT(p, "liberte", "freedom");
    /* the Polish definitions under each sense are not translations */
    EXPECT(p, "prawo", "law right");
    ck_assert_str_eq(retold_pivot_stemmer(p), "french");
    retold_pivot_free(p);
}
END_TEST

START_TEST(stem_keys)
{
    retold_pivot *p = open_fixture("de");
    /* every headword with the stem contributes: Recht, recht, Rechte */
    EXPECT_STEM(p, "recht", "right rights law");
    EXPECT_STEM(p, "wurd", "dignity gravitas");
    EXPECT(p, "rechten", "");            /* not a headword ... */
    struct sb_stemmer *st = sb_stemmer_new("german", "UTF_8");
    ck_assert_ptr_nonnull(st);
    const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)"rechten", 7);
    char stem[64];
    snprintf(stem, sizeof stem, "%.*s", sb_stemmer_length(st), (const char *)s);
    EXPECT_STEM(p, stem, "right rights law");   /* ... but its stem finds the entry */
    sb_stemmer_delete(st);
    ck_assert_uint_eq(retold_pivot_stem_count(p), 13);
    retold_pivot_free(p);

    /* no language, no stems */
    retold_pivot *q = NULL;
    char index[8192];
    snprintf(index, sizeof index, "%s", fixture("freedict-deu-eng.index"));
    ck_assert_int_eq(retold_pivot_open(index, fixture("freedict-deu-eng.dict"), NULL, &q), RETOLD_OK);
    ck_assert_ptr_null(retold_pivot_stemmer(q));
    ck_assert_uint_eq(retold_pivot_stem_count(q), 0);
    EXPECT_STEM(q, "recht", "");
    EXPECT(q, "recht", "right law quite");
    retold_pivot_free(q);
}
END_TEST

START_TEST(lookup_contract)
{
    retold_pivot *p = open_fixture("de");
    const char *e[RETOLD_PIVOT_MAX] = { 0 };
    ck_assert_uint_eq(retold_pivot_lookup(p, "haus", 4, e, NULL, 1), 1);   /* max, no lengths */
    ck_assert_str_eq(e[0], "home");
    ck_assert_ptr_null(e[1]);
    ck_assert_uint_eq(retold_pivot_lookup(p, "haus", 4, e, NULL, 0), 0);
    ck_assert_uint_eq(retold_pivot_lookup(p, "hausboot", 4, e, NULL, 3), 3);   /* len bytes only */
    ck_assert_uint_eq(retold_pivot_lookup(NULL, "haus", 4, e, NULL, 3), 0);
    ck_assert_uint_eq(retold_pivot_lookup_stem(NULL, "haus", 4, e, NULL, 3), 0);
    ck_assert_uint_eq(retold_pivot_count(NULL), 0);
    ck_assert_uint_eq(retold_pivot_memory(NULL), 0);
    ck_assert_ptr_null(retold_pivot_stemmer(NULL));
    retold_pivot_free(p);
    retold_pivot_free(NULL);
}
END_TEST

/* A scratch directory holding the fixture as a gzip-compressed .dict.dz. */
static void make_gzip_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/retold-pivot-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[8192], buf[4096];
    FILE *in = fopen(fixture("freedict-deu-eng.dict"), "rb");
    ck_assert_ptr_nonnull(in);
    snprintf(path, sizeof path, "%s/freedict-deu-eng.dict.dz", dir);
    gzFile out = gzopen(path, "wb9");
    ck_assert_ptr_nonnull(out);
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) ck_assert_int_eq(gzwrite(out, buf, (unsigned)n), (int)n);
    fclose(in);
    ck_assert_int_eq(gzclose(out), Z_OK);
    in = fopen(fixture("freedict-deu-eng.index"), "rb");
    snprintf(path, sizeof path, "%s/freedict-deu-eng.index", dir);
    FILE *o = fopen(path, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(o);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) ck_assert_uint_eq(fwrite(buf, 1, n, o), n);
    fclose(in);
    fclose(o);
}

static void remove_dir(const char *dir)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/freedict-deu-eng.dict.dz", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/freedict-deu-eng.index", dir);
    unlink(path);
    rmdir(dir);
}

START_TEST(registry_gzip)
{
    char dir[64];
    make_gzip_dir(dir, sizeof dir);
    setenv("RETOLD_DICT_DIR", dir, 1);
    const retold_pivot *a = NULL, *b = NULL;
    ck_assert_int_eq(retold_pivot_get("de", &a), RETOLD_OK);
    ck_assert_ptr_nonnull(a);
    /* the same shared pivot for every spelling of the language */
    ck_assert_int_eq(retold_pivot_get("de_DE.UTF-8", &b), RETOLD_OK);
    ck_assert_ptr_eq(a, b);
    ck_assert_int_eq(retold_pivot_get("deu", &b), RETOLD_OK);
    ck_assert_ptr_eq(a, b);
    /* gzip input gives what the plain .dict gives */
    retold_pivot *plain = open_fixture("de");
    const char *const probe[] = { "haus", "wurde", "recht", "mensch", "menschen", "anstand", "paragraph" };
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        char want[256];
        snprintf(want, sizeof want, "%s", words(plain, probe[i], 0));
        ck_assert_str_eq(words(a, probe[i], 0), want);
    }
    ck_assert_uint_eq(retold_pivot_count(a), retold_pivot_count(plain));
    retold_pivot_free(plain);
    /* no dictionary: not an error, and remembered */
    ck_assert_int_eq(retold_pivot_get("fr", &b), RETOLD_NOTFOUND);
    ck_assert_ptr_null(b);
    remove_dir(dir);
    ck_assert_int_eq(retold_pivot_get("de", &b), RETOLD_OK);      /* loaded once */
    ck_assert_ptr_eq(a, b);
}
END_TEST

START_TEST(registry_answers)
{
    setenv("RETOLD_DICT_DIR", "/nonexistent/retold", 1);
    const retold_pivot *p = (const retold_pivot *)&p;
    ck_assert_int_eq(retold_pivot_get("de", &p), RETOLD_NOTFOUND);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(retold_pivot_get("en", &p), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_pivot_get("en-GB", &p), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_pivot_get("xx", &p), RETOLD_NOTFOUND);   /* no FreeDict code */
    ck_assert_int_eq(retold_pivot_get("", &p), RETOLD_INVAL);
    ck_assert_int_eq(retold_pivot_get("x-private", &p), RETOLD_INVAL);
    ck_assert_int_eq(retold_pivot_get(NULL, &p), RETOLD_INVAL);
    ck_assert_int_eq(retold_pivot_get("de", NULL), RETOLD_INVAL);
    /* the fixture directory is used for languages first asked for later */
    setenv("RETOLD_DICT_DIR", fixture_directory(), 1);
    ck_assert_int_eq(retold_pivot_get("fr", &p), RETOLD_OK);
    ck_assert_str_eq(words(p, "liberte", 0), "freedom");
    ck_assert_int_eq(retold_pivot_get("de", &p), RETOLD_NOTFOUND);   /* remembered */
}
END_TEST

/* Write index and dict text to a scratch directory and open them. */
static int open_text(const char *index_text, const char *dict_text, size_t dict_len)
{
    char dir[64] = "/tmp/retold-pivot-XXXXXX", ip[128], dp[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(ip, sizeof ip, "%s/x.index", dir);
    snprintf(dp, sizeof dp, "%s/x.dict", dir);
    FILE *f = fopen(ip, "wb");
    fputs(index_text, f);
    fclose(f);
    f = fopen(dp, "wb");
    fwrite(dict_text, 1, dict_len, f);
    fclose(f);
    retold_pivot *p = NULL;
    int rc = retold_pivot_open(ip, dp, "de", &p);
    ck_assert_int_eq(rc == RETOLD_OK, p != NULL);
    retold_pivot_free(p);
    unlink(ip);
    unlink(dp);
    rmdir(dir);
    return rc;
}

START_TEST(malformed)
{
    static const char dict[] = "Haus\nhouse\n";          /* 11 bytes: "L" */
    ck_assert_int_eq(open_text("haus\tA\tL\n", dict, 11), RETOLD_OK);
    ck_assert_int_eq(open_text("haus\tA\tL", dict, 11), RETOLD_OK);          /* no final newline */
    ck_assert_int_eq(open_text("haus\tA\tL\r\n\n", dict, 11), RETOLD_OK);   /* CRLF, blank line */
    ck_assert_int_eq(open_text("", dict, 11), RETOLD_OK);                   /* empty: no keys */
    ck_assert_int_eq(open_text("haus A L\n", dict, 11), RETOLD_PARSE);       /* no tabs */
    ck_assert_int_eq(open_text("haus\tA\n", dict, 11), RETOLD_PARSE);        /* one field short */
    ck_assert_int_eq(open_text("haus\tA-\tL\n", dict, 11), RETOLD_PARSE);    /* not base 64 */
    ck_assert_int_eq(open_text("haus\t\tL\n", dict, 11), RETOLD_PARSE);      /* empty number */
    ck_assert_int_eq(open_text("haus\tAAAAAAAAAAA\tL\n", dict, 11), RETOLD_PARSE);   /* > 60 bits */
    ck_assert_int_eq(open_text("haus\tA\tM\n", dict, 11), RETOLD_PARSE);     /* past the end */
    ck_assert_int_eq(open_text("haus\tB\tL\n", dict, 11), RETOLD_PARSE);
    ck_assert_int_eq(open_text("haus\tZZZZ\tB\n", dict, 11), RETOLD_PARSE);  /* far past the end */
    ck_assert_int_eq(open_text("haus\tA\tBAAAB\n", dict, 11), RETOLD_TOOBIG); /* over 16 MiB */
    ck_assert_int_eq(open_text("haus\tA\tA\n", dict, 11), RETOLD_OK);          /* empty entry */
    ck_assert_int_eq(open_text("haus\tA\tA\n", "", 0), RETOLD_OK);             /* ... of an empty file */
    /* a gap before the entry is skipped */
    ck_assert_int_eq(open_text("haus\tF\tG\n", "xxxxxHaus\nhouse\n", 16), RETOLD_OK);
    /* missing files */
    retold_pivot *p = (retold_pivot *)&p;
    ck_assert_int_eq(retold_pivot_open("/nonexistent/x.index", "/nonexistent/x.dict", "de", &p),
                     RETOLD_NOTFOUND);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(retold_pivot_open(fixture("freedict-deu-eng.index"), "/nonexistent/x.dict", "de", &p),
                     RETOLD_IO);
    ck_assert_int_eq(retold_pivot_open(NULL, "x", "de", &p), RETOLD_INVAL);
    ck_assert_int_eq(retold_pivot_open("x", NULL, "de", &p), RETOLD_INVAL);
    ck_assert_int_eq(retold_pivot_open("x", "x", "de", NULL), RETOLD_INVAL);
}
END_TEST

/* Many headwords: the hash tables grow and every key stays findable. */
START_TEST(many_keys)
{
    enum { N = 20000 };
    size_t cap = (size_t)N * 64;
    char *idx = malloc(cap), *dict = malloc(cap);
    size_t il = 0, dl = 0;
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < N; i++) {
        char entry[64], num[16], len[16];
        int n = snprintf(entry, sizeof entry, "wort%d\nword%c%c\n", i, 'a' + i % 26, 'a' + i / 26 % 26);
        size_t v = dl, k = 0;
        char tmp[16];
        do { tmp[k++] = B64[v % 64]; v /= 64; } while (v);
        for (size_t j = 0; j < k; j++) num[j] = tmp[k - 1 - j];
        num[k] = 0;
        v = (size_t)n; k = 0;
        do { tmp[k++] = B64[v % 64]; v /= 64; } while (v);
        for (size_t j = 0; j < k; j++) len[j] = tmp[k - 1 - j];
        len[k] = 0;
        memcpy(dict + dl, entry, (size_t)n);
        dl += (size_t)n;
        il += (size_t)snprintf(idx + il, cap - il, "wort%d\t%s\t%s\n", i, num, len);
    }
    char dir[64] = "/tmp/retold-pivot-XXXXXX", ip[128], dp[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(ip, sizeof ip, "%s/x.index", dir);
    snprintf(dp, sizeof dp, "%s/x.dict", dir);
    FILE *f = fopen(ip, "wb");
    fwrite(idx, 1, il, f);
    fclose(f);
    f = fopen(dp, "wb");
    fwrite(dict, 1, dl, f);
    fclose(f);
    retold_pivot *p = NULL;
    ck_assert_int_eq(retold_pivot_open(ip, dp, NULL, &p), RETOLD_OK);
    ck_assert_uint_eq(retold_pivot_count(p), N);
    for (int i = 0; i < N; i++) {
        char w[32], want[8];
        snprintf(w, sizeof w, "wort%d", i);
        snprintf(want, sizeof want, "word%c%c", 'a' + i % 26, 'a' + i / 26 % 26);
        ck_assert_str_eq(words(p, w, 0), want);
    }
    EXPECT(p, "wort20000", "");
    retold_pivot_free(p);
    unlink(ip);
    unlink(dp);
    rmdir(dir);
    free(idx);
    free(dict);
}
END_TEST

static const retold_pivot *seen[8];

static void *first_use(void *arg)
{
    size_t i = (size_t)arg;
    if (retold_pivot_get("de", &seen[i]) != RETOLD_OK) seen[i] = NULL;
    return NULL;
}

START_TEST(concurrent_first_use)
{
    setenv("RETOLD_DICT_DIR", fixture_directory(), 1);
    pthread_t th[8];
    for (size_t i = 0; i < 8; i++) ck_assert_int_eq(pthread_create(&th[i], NULL, first_use, (void *)i), 0);
    for (size_t i = 0; i < 8; i++) pthread_join(th[i], NULL);
    ck_assert_ptr_nonnull(seen[0]);
    for (size_t i = 1; i < 8; i++) ck_assert_ptr_eq(seen[i], seen[0]);
    EXPECT(seen[0], "haus", "home house establishment");
}
END_TEST

/* A real FreeDict dictionary, when one is installed (nothing to check
 * otherwise): its senses parse into the expected everyday words. */
START_TEST(installed_freedict)
{
    static const struct { const char *lang, *fd, *word, *want; } real[] = {
        { "fr", "fra", "liberte", "freedom" },
        { "es", "spa", "libertad", "freedom" },
        { "de", "deu", "freiheit", "freedom" },
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        char ip[128], dp[128];
        snprintf(ip, sizeof ip, "/usr/share/dictd/freedict-%s-eng.index", real[i].fd);
        snprintf(dp, sizeof dp, "/usr/share/dictd/freedict-%s-eng.dict.dz", real[i].fd);
        if (access(ip, R_OK) || access(dp, R_OK)) continue;
        retold_pivot *p = NULL;
        ck_assert_int_eq(retold_pivot_open(ip, dp, real[i].lang, &p), RETOLD_OK);
        ck_assert_uint_gt(retold_pivot_count(p), 500);
        ck_assert_msg(strstr(words(p, real[i].word, 0), real[i].want) != NULL, "%s: %s -> %s",
                      real[i].fd, real[i].word, words(p, real[i].word, 0));
        retold_pivot_free(p);
        break;                               /* one is enough: keep the suite fast */
    }
}
END_TEST

static Suite *pivot_suite(void)
{
    Suite *s = suite_create("pivot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ranking_deu);
    tcase_add_test(tc, numbered_senses);
    tcase_add_test(tc, stem_keys);
    tcase_add_test(tc, lookup_contract);
    tcase_add_test(tc, registry_gzip);
    tcase_add_test(tc, registry_answers);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, many_keys);
    tcase_add_test(tc, concurrent_first_use);
    tcase_add_test(tc, installed_freedict);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pivot_suite());
    srunner_set_fork_status(sr, CK_FORK);    /* the registry is per process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
