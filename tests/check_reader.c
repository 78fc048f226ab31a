/* check_reader.c - the corpus reader on good and bad input. */
#include "testutil.h"
#include "retold.h"

#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

static char dir[256];

static const char *path_of(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *name, const char *data, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    ck_assert(f != NULL);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/retold-test-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

typedef struct warns { int n; char last[1024]; } warns;
static void on_warn(void *ctx, const char *m)
{
    warns *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", m);
}

/* Read all records of one file; returns the status that ended the reading. */
static int read_all(const char *name, int skip, int *count, char *err, warns *w)
{
    retold_reader_opts o;
    retold_reader_opts_default(&o);
    o.skip_bad = skip;
    o.warn = on_warn;
    o.warn_ctx = w;
    const char *p = path_of(name);
    retold_reader *r;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, &o), RETOLD_OK);
    retold_record rec;
    int rc;
    *count = 0;
    while ((rc = retold_reader_next(r, &rec)) == RETOLD_OK) (*count)++;
    if (err) snprintf(err, 1024, "%s", retold_reader_errmsg(r));
    retold_reader_close(r);
    return rc;
}

START_TEST(test_jsonl_fields)
{
    const char *data =
        "{\"id\":\"a\",\"text\":\"Hello \\\"world\\\"\\n\\u00e9\\ud83d\\ude00\",\"source\":\"x\",\"lang\":\"de-1996\",\"n\":[1,{\"d\":null}]}\r\n"
        "\n"
        "   \n"
        "{\"text\":\"t2\",\"id\":42,\"date\":\"2022-11-10\",\"source\":null}\n"
        "{\"id\":\"c\",\"text\":\"no newline at end\"}";
    write_file("a.jsonl", data, strlen(data));
    retold_reader_opts o;
    retold_reader_opts_default(&o);
    const char *p = path_of("a.jsonl");
    retold_reader *r;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, &o), RETOLD_OK);
    retold_record rec;
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_uint_eq(rec.id_len, 1);
    ck_assert_int_eq(rec.id[0], 'a');
    const char want[] = "Hello \"world\"\n\xc3\xa9\xf0\x9f\x98\x80";
    ck_assert_uint_eq(rec.text_len, sizeof want - 1);
    ck_assert_int_eq(memcmp(rec.text, want, sizeof want - 1), 0);
    ck_assert_uint_eq(rec.lang_len, 7);
    ck_assert_uint_eq(rec.line, 1);
    ck_assert(rec.raw[rec.raw_len - 1] == '}');          /* CR stripped */
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_uint_eq(rec.line, 4);
    ck_assert_int_eq(memcmp(rec.id, "42", 2), 0);          /* numeric id */
    ck_assert(rec.source == NULL);                          /* null = absent */
    ck_assert_uint_eq(rec.date_len, 10);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_uint_eq(rec.text_len, 17);
    ck_assert_uint_eq(rec.index, 2);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_EOF);
    /* rewind gives the same records */
    ck_assert_int_eq(retold_reader_rewind(r), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(rec.id[0], 'a');
    retold_reader_close(r);
    retold_reader_close(NULL);
}
END_TEST

static void expect_bad(const char *line, const char *msg_part)
{
    char data[2048];
    snprintf(data, sizeof data, "{\"id\":\"ok\",\"text\":\"fine\"}\n%s\n{\"id\":\"ok2\",\"text\":\"fine\"}\n", line);
    write_file("bad.jsonl", data, strlen(data));
    int count;
    char err[1024];
    warns w = {0};
    int rc = read_all("bad.jsonl", 0, &count, err, &w);
    ck_assert_msg(rc != RETOLD_OK && rc != RETOLD_EOF, "accepted: %s", line);
    ck_assert_int_eq(count, 1);
    ck_assert_msg(strstr(err, "bad.jsonl:2:") != NULL, "no file:line in '%s'", err);
    ck_assert_msg(strstr(err, msg_part) != NULL, "'%s' lacks '%s'", err, msg_part);
    /* with skip_bad: the bad line is skipped, counted and reported */
    rc = read_all("bad.jsonl", 1, &count, err, &w);
    ck_assert_int_eq(rc, RETOLD_EOF);
    ck_assert_int_eq(count, 2);
    ck_assert_int_eq(w.n, 1);
    ck_assert(strstr(w.last, "bad.jsonl:2:") != NULL);
}

START_TEST(test_bad_lines)
{
    expect_bad("{\"id\":\"x\",\"text\":\"unterminated}", "unterminated");
    expect_bad("{\"id\":\"x\" \"text\":\"a\"}", "expected");
    expect_bad("{\"id\":\"x\",\"text\":\"a\",}", "member name");
    expect_bad("[1,2]", "JSON object");
    expect_bad("{\"id\":\"x\"}", "missing field \"text\"");
    expect_bad("{\"text\":\"a\"}", "missing field \"id\"");
    expect_bad("{\"id\":\"x\",\"text\":5}", "is a number");
    expect_bad("{\"id\":{\"a\":1},\"text\":\"t\"}", "is an object");
    expect_bad("{\"id\":true,\"text\":\"t\"}", "boolean");
    expect_bad("{\"id\":\"x\",\"text\":\"a\\q\"}", "invalid escape");
    expect_bad("{\"id\":\"x\",\"text\":\"a\\u12G4\"}", "\\u escape");
    expect_bad("{\"id\":\"x\",\"text\":\"a\tb\"}", "control character");
    expect_bad("{\"id\":\"x\",\"text\":\"a\"} trailing", "after the JSON object");
    expect_bad("{\"id\":\"x\",\"text\":\"a\",\"n\":01}", "expected");
    expect_bad("{\"id\":\"\",\"text\":\"a\"}", "empty id");
    /* nesting bomb */
    char deep[1200];
    size_t k = 0;
    k += (size_t)sprintf(deep, "{\"id\":\"x\",\"text\":\"a\",\"n\":");
    for (int i = 0; i < 500; i++) deep[k++] = '[';
    for (int i = 0; i < 500; i++) deep[k++] = ']';
    deep[k++] = '}';
    deep[k] = 0;
    expect_bad(deep, "too deep");
}
END_TEST

START_TEST(test_nul_and_invalid_utf8_in_text)
{
    /* \u0000 is a NUL byte in the text; raw invalid UTF-8 passes through */
    const char data[] = "{\"id\":\"n\",\"text\":\"a\\u0000b \xff z\"}\n";
    write_file("n.jsonl", data, sizeof data - 1);
    const char *p = path_of("n.jsonl");
    retold_reader *r;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, NULL), RETOLD_OK);
    retold_record rec;
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_uint_eq(rec.text_len, 7);
    ck_assert_int_eq(rec.text[1], 0);
    retold_reader_close(r);
    /* a raw NUL byte in the line is malformed JSON, reported with its line */
    const char raw[] = "{\"id\":\"n\",\"text\":\"a\0b\"}\n";
    write_file("raw.jsonl", raw, sizeof raw - 1);
    int count;
    char err[1024];
    warns w = {0};
    ck_assert_int_eq(read_all("raw.jsonl", 0, &count, err, &w), RETOLD_PARSE);
    ck_assert(strstr(err, "raw.jsonl:1:") != NULL);
}
END_TEST

START_TEST(test_encodings_and_files)
{
    int count;
    char err[1024];
    warns w = {0};
    /* UTF-8 BOM skipped */
    const char bom[] = "\xef\xbb\xbf{\"id\":\"a\",\"text\":\"x\"}\n";
    write_file("bom.jsonl", bom, sizeof bom - 1);
    ck_assert_int_eq(read_all("bom.jsonl", 0, &count, err, &w), RETOLD_EOF);
    ck_assert_int_eq(count, 1);
    /* UTF-16 refused with a message that says how to convert */
    const char u16[] = "\xff\xfe{\0\"\0";
    write_file("u16.jsonl", u16, sizeof u16 - 1);
    ck_assert_int_eq(read_all("u16.jsonl", 0, &count, err, &w), RETOLD_ENCODING);
    ck_assert(strstr(err, "UTF-16") != NULL && strstr(err, "iconv") != NULL);
    /* missing file */
    ck_assert_int_eq(read_all("missing.jsonl", 0, &count, err, &w), RETOLD_IO);
    ck_assert(strstr(err, "missing.jsonl") != NULL && strstr(err, "No such file") != NULL);
    /* empty file: no records, no error */
    write_file("empty.jsonl", "", 0);
    ck_assert_int_eq(read_all("empty.jsonl", 0, &count, err, &w), RETOLD_EOF);
    ck_assert_int_eq(count, 0);
    /* gzip */
    gzFile gz = gzopen(path_of("z.jsonl.gz"), "wb");
    gzputs(gz, "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n");
    gzclose(gz);
    ck_assert_int_eq(read_all("z.jsonl.gz", 0, &count, err, &w), RETOLD_EOF);
    ck_assert_int_eq(count, 2);
    /* a plain text file is one document */
    write_file("story.txt", "Just text.", 10);
    ck_assert_int_eq(read_all("story.txt", 0, &count, err, &w), RETOLD_EOF);
    ck_assert_int_eq(count, 1);
}
END_TEST

START_TEST(test_limits)
{
    char line[300];
    snprintf(line, sizeof line, "{\"id\":\"a\",\"text\":\"%0200d\"}\n{\"id\":\"b\",\"text\":\"short\"}\n", 0);
    write_file("long.jsonl", line, strlen(line));
    const char *p = path_of("long.jsonl");
    retold_reader_opts o;
    retold_reader_opts_default(&o);
    o.max_doc_bytes = 100;
    retold_reader *r;
    retold_record rec;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, &o), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_TOOBIG);
    ck_assert(strstr(retold_reader_errmsg(r), "long.jsonl:1:") != NULL);
    retold_reader_close(r);
    o.max_line_bytes = 50;                       /* the line limit first */
    o.skip_bad = 1;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, &o), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(rec.id[0], 'b');
    ck_assert_uint_eq(rec.line, 2);
    ck_assert_uint_eq(retold_reader_skipped(r), 1);
    retold_reader_close(r);
}
END_TEST

START_TEST(test_directory)
{
    char sub[600], cmd[4000];
    snprintf(sub, sizeof sub, "%s/corpus", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/b %s/a && printf 'one' > %s/b/x.txt && printf 'two' > %s/a/y.txt "
             "&& printf 'bin\\000ary' > %s/a/z.bin && ln -s .. %s/a/loop", sub, sub, sub, sub, sub, sub);
    ck_assert_int_eq(system(cmd), 0);
    retold_reader_opts o;
    retold_reader_opts_default(&o);
    warns w = {0};
    o.warn = on_warn;
    o.warn_ctx = &w;
    const char *p = sub;
    retold_reader *r;
    retold_record rec;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, &o), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_uint_eq(rec.id_len, 7);
    ck_assert_int_eq(memcmp(rec.id, "a/y.txt", 7), 0);          /* sorted, relative */
    ck_assert_int_eq(memcmp(rec.text, "two", 3), 0);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(memcmp(rec.id, "b/x.txt", 7), 0);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_EOF);
    ck_assert_uint_eq(retold_reader_skipped_binary(r), 1);
    ck_assert_int_eq(w.n, 2);                                  /* binary + loop */
    retold_reader_close(r);
}
END_TEST

static int keep_even_lines(void *ctx, uint32_t file_no, uint64_t line)
{
    (void)ctx;
    return file_no == 0 && line % 2 == 0;
}

START_TEST(test_place_filter)
{
    const char *data = "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n"
                       "{broken\n{\"id\":\"d\",\"text\":\"w\"}\n";
    write_file("f.jsonl", data, strlen(data));
    const char *p = path_of("f.jsonl");
    retold_reader *r;
    retold_record rec;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, NULL), RETOLD_OK);
    retold_reader_set_filter(r, keep_even_lines, NULL);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(rec.id[0], 'b');
    ck_assert_uint_eq(rec.line, 2);
    ck_assert_uint_eq(rec.file_no, 0);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);   /* line 3 never parsed */
    ck_assert_int_eq(rec.id[0], 'd');
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_EOF);
    /* without the filter the broken line stops the reader */
    retold_reader_set_filter(r, NULL, NULL);
    ck_assert_int_eq(retold_reader_rewind(r), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_PARSE);
    retold_reader_close(r);
}
END_TEST

/* Jumping to wanted records (retold_reader_set_next): pass 1 takes every
 * record's line and offset; pass 2 wants some of them and must get exactly
 * those, by seeking in a plain file (4 MB: past the 2 MiB window) and by
 * scanning in a gzip copy; a wrong offset (a changed file) is not
 * followed. */
struct want_list { uint64_t line[4096], off[4096]; size_t n, at; };

static int want_filter(void *ctx, uint32_t file_no, uint64_t line)
{
    struct want_list *w = ctx;
    while (w->at < w->n && w->line[w->at] < line) w->at++;
    return file_no == 0 && w->at < w->n && w->line[w->at] == line;
}

static int want_next(void *ctx, uint32_t file_no, uint64_t *line, uint64_t *off)
{
    struct want_list *w = ctx;
    if (file_no != 0 || w->at >= w->n) return 0;
    *line = w->line[w->at];
    *off = w->off[w->at];
    return 1;
}

START_TEST(test_place_jump)
{
    enum { N = 6000 };
    size_t cap = (size_t)N * 1400, len = 0;
    char *data = malloc(cap);
    ck_assert(data != NULL);
    uint64_t seed = 7;
    for (int i = 0; i < N; i++) {
        len += (size_t)sprintf(data + len, "{\"id\":\"r%d\",\"text\":\"", i);
        size_t words = 50 + tu_rand(&seed) % 200;
        for (size_t k = 0; k < words; k++) len += (size_t)sprintf(data + len, "w%d ", (int)(tu_rand(&seed) % 1000));
        len += (size_t)sprintf(data + len, "\"}%s", i % 3 ? "\n" : "\r\n");
        if (i % 500 == 7) len += (size_t)sprintf(data + len, "\n");          /* blank lines */
    }
    write_file("big.jsonl", data, len);
    gzFile gz = gzopen(path_of("big.jsonl.gz"), "wb");
    ck_assert(gz != NULL);
    ck_assert_int_eq(gzwrite(gz, data, (unsigned)len), (int)len);
    gzclose(gz);

    static uint64_t all_line[N], all_off[N];
    const char *p = path_of("big.jsonl");
    retold_reader *r;
    retold_record rec;
    ck_assert_int_eq(retold_reader_open(&r, &p, 1, NULL), RETOLD_OK);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_OK);
        all_line[i] = rec.line;
        all_off[i] = rec.offset;
        ck_assert(rec.offset < len && (rec.offset == 0 || data[rec.offset - 1] == '\n'));
        ck_assert(memcmp(data + rec.offset, "{\"id\":\"r", 8) == 0);
    }
    ck_assert_int_eq(retold_reader_next(r, &rec), RETOLD_EOF);
    retold_reader_close(r);

    static struct want_list w;
    for (int pass = 0; pass < 3; pass++) {
        const char *q = path_of(pass == 1 ? "big.jsonl.gz" : "big.jsonl");
        w.n = w.at = 0;
        for (int i = 0; i < N; i++)
            if ((i % 97 == 3 && i < 1500) || (i > 2000 && i < 2010) || i == 2020 || i == 3500 || i == 5990 || i == N - 1) {
                w.line[w.n] = all_line[i];
                w.off[w.n++] = all_off[i] + (pass == 2 && (i == 2020 || i == 3500 || i == 5990) ? 1 : 0);
            }
        ck_assert_int_eq(retold_reader_open(&r, &q, 1, NULL), RETOLD_OK);
        retold_reader_set_filter(r, want_filter, &w);
        retold_reader_set_next(r, want_next);
        size_t got = 0;
        int rc;
        while ((rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
            ck_assert_uint_lt(got, w.n);
            ck_assert_uint_eq(rec.line, w.line[got]);
            char id[16];
            int i = 0;
            while (all_line[i] != rec.line) i++;
            snprintf(id, sizeof id, "r%d", i);
            ck_assert_uint_eq(rec.id_len, strlen(id));
            ck_assert(memcmp(rec.id, id, rec.id_len) == 0);
            ck_assert_uint_eq(rec.offset, all_off[i]);
            got++;
        }
        ck_assert_int_eq(rc, RETOLD_EOF);
        ck_assert_uint_eq(got, w.n);
        retold_reader_close(r);
    }
    free(data);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_jsonl_fields);
    tcase_add_test(tc, test_bad_lines);
    tcase_add_test(tc, test_nul_and_invalid_utf8_in_text);
    tcase_add_test(tc, test_encodings_and_files);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_directory);
    tcase_add_test(tc, test_place_filter);
    tcase_add_test(tc, test_place_jump);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
