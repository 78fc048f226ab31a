/* check_limits.c - hostile input at the library level: the input matrix of
 * tests/fuzz/README.md that check_reader.c and check_batch.c do not cover
 * yet (empty and blank files, line ends at the read-window edge, byte order
 * marks on text files and later inputs, UTF-16 in directories, the maximal
 * subparts of invalid UTF-8, NUL bytes, limits at exactly N and N + 1 bytes,
 * non-string ids, duplicate ids, symbolic link loops, unreadable and
 * truncated files), and in the "regressions" case one test per bug found
 * while building the matrix and fuzzing (tests/fuzz/README.md lists them;
 * they fail until the fix is in).  CLI-level items: tests/cli/matrix.sh. */
#include "testutil.h"
#include "retold.h"
#include "json.h"
#include "index_format.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char dir[256];

static const char *path_of(const char *name)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    ck_assert_msg(f != NULL, "%s: %s", path_of(name), strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_str(const char *name, const char *s) { write_file(name, s, strlen(s)); }

static void shell(const char *fmt, const char *arg)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg, arg, arg, arg);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/retold-limits-XXXXXX", t && *t ? t : "/tmp");
    ck_assert(mkdtemp(dir) != NULL);
}

static void teardown(void)
{
    shell("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir);
}

typedef struct warns { int n; char last[1024]; } warns;

static void on_warn(void *ctx, const char *m)
{
    warns *w = ctx;
    ck_assert(m != NULL && m[0] != 0);
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", m);
}

/* The result of reading some inputs to the end. */
typedef struct outcome {
    int rc;                 /* status that ended the reading */
    int count;              /* records before it */
    char err[1024];         /* retold_reader_errmsg */
    warns w;
    uint64_t skipped;
    char first_id[256];     /* NUL-terminated copies of the first record */
    size_t first_id_len, first_text_len;
    char first_text[256];
} outcome;

static void read_paths(const char *const *paths, size_t n, const retold_reader_opts *opts, outcome *o)
{
    retold_reader_opts ro;
    if (opts) ro = *opts; else retold_reader_opts_default(&ro);
    memset(o, 0, sizeof *o);
    ro.warn = on_warn;
    ro.warn_ctx = &o->w;
    retold_reader *r;
    ck_assert_int_eq(retold_reader_open(&r, paths, n, &ro), RETOLD_OK);
    retold_record rec;
    while ((o->rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
        ck_assert(rec.id != NULL && rec.text != NULL);
        if (o->count++ == 0) {
            o->first_id_len = rec.id_len;
            o->first_text_len = rec.text_len;
            snprintf(o->first_id, sizeof o->first_id, "%.*s", (int)(rec.id_len < 255 ? rec.id_len : 255), rec.id);
            size_t k = rec.text_len < 255 ? rec.text_len : 255;
            memcpy(o->first_text, rec.text, k);
            o->first_text[k] = 0;
        }
    }
    snprintf(o->err, sizeof o->err, "%s", retold_reader_errmsg(r));
    o->skipped = retold_reader_skipped(r);
    if (o->rc != RETOLD_EOF) ck_assert_msg(o->err[0] != 0, "status %d without a message", o->rc);
    retold_reader_close(r);
}

static void read_one(const char *name, int format, int skip, outcome *o)
{
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    ro.format = format;
    ro.skip_bad = skip;
    const char *p = path_of(name);
    read_paths(&p, 1, &ro, o);
}

#define EXPECT_ERR(o, code, part) do {                                               \
    ck_assert_msg((o).rc == (code), "status %d, want %d (%s)", (o).rc, (code), (o).err); \
    ck_assert_msg(strstr((o).err, (part)) != NULL, "'%s' lacks '%s'", (o).err, (part)); \
} while (0)

/* --- empty, blank, last lines ---------------------------------------------- */

START_TEST(test_empty_and_blank)
{
    outcome o;
    write_str("blank.jsonl", "\n\n \t \r\n\r\n\n");
    read_one("blank.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 0);
    write_file("bom-only.jsonl", "\xef\xbb\xbf", 3);          /* a BOM and nothing else */
    read_one("bom-only.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 0);
    /* an empty text file is one empty document, not an error */
    write_file("empty.txt", "", 0);
    read_one("empty.txt", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    ck_assert_uint_eq(o.first_text_len, 0);
    /* and so is an empty file in a directory */
    shell("mkdir '%s/d' && : > '%s/d/empty.txt'", dir);
    read_one("d", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    ck_assert_str_eq(o.first_id, "empty.txt");
}
END_TEST

START_TEST(test_last_line)
{
    outcome o;
    /* a final line ending in a bare CR: the CR is an end of line too */
    write_str("cr.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\r");
    read_one("cr.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 2);
    /* a bad final line without newline is reported with its line number */
    write_str("badlast.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\",\"text\":");
    read_one("badlast.jsonl", 0, 0, &o);
    EXPECT_ERR(o, RETOLD_PARSE, "badlast.jsonl:3: malformed JSON");
    ck_assert_int_eq(o.count, 1);
    /* CR CR LF: one CR is the line end, the other is JSON white space */
    write_str("crcr.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\r\r\n");
    read_one("crcr.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
}
END_TEST

/* Regression: tokens of a text with LF line ends and of the same text with
 * CRLF must be the same, flags included.  In process() (src/tokenize.c:273)
 * a '\r' does `break`, which falls through to `s->newline_seen = 0` at line
 * 285, so "\r\n\r\n" never counts as a blank line: no sentence start
 * (RETOLD_TOK_SENT) after it and an open quotation is not closed at the
 * paragraph end (RETOLD_TOK_QUOTED).  Both paths do it, so the fast-path
 * comparison cannot see it.  Fix: `return RETOLD_OK` for '\r'. */
START_TEST(test_crlf_tokens)
{
    const char *lf = "A b said.\n\nC d \"e\nf\" g\n\n\"Open quote\nnever closed\n\nH i";
    char crlf[256];
    size_t k = 0;
    for (const char *p = lf; *p; p++) {
        if (*p == '\n') crlf[k++] = '\r';
        crlf[k++] = *p;
    }
    crlf[k] = 0;
    retold_tokenizer *a = retold_tokenizer_new(1, 0), *b = retold_tokenizer_new(1, 0);
    const retold_token *ta, *tb;
    size_t na, nb;
    ck_assert_int_eq(retold_tokenize(a, lf, strlen(lf), &ta, &na), RETOLD_OK);
    ck_assert_int_eq(retold_tokenize(b, crlf, k, &tb, &nb), RETOLD_OK);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++) {
        ck_assert_uint_eq(ta[i].hash, tb[i].hash);
        ck_assert_uint_eq(ta[i].flags, tb[i].flags);
    }
    retold_tokenizer_free(a);
    retold_tokenizer_free(b);
}
END_TEST

/* Regression: a line of exactly max_line_bytes, ended by CR LF, whose CR is
 * the last byte of the reader's first 2 MiB window.  The window check in
 * next_line (src/reader.c:311) counts the CR and reports the line as too
 * long; the same line anywhere else in the file is accepted. */
START_TEST(test_crlf_at_window_edge)
{
    const char line[] = "{\"id\":\"a\",\"text\":\"0123456789abcdefghij\"}";   /* 40 bytes */
    const size_t n = sizeof line - 1, window = (size_t)2 << 20;
    ck_assert_uint_eq(n, 40);
    char *data = malloc(window + 2);
    size_t pad = window - (n + 1);                  /* blank lines up to the line */
    memset(data, '\n', pad);
    memcpy(data + pad, line, n);
    memcpy(data + pad + n, "\r\n", 2);
    write_file("edge.jsonl", data, window + 1);
    /* the same line well inside the window */
    write_file("inside.jsonl", data + pad - 100, n + 102);
    free(data);
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    ro.max_line_bytes = n;
    outcome o;
    const char *p = path_of("inside.jsonl");
    read_paths(&p, 1, &ro, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    p = path_of("edge.jsonl");
    read_paths(&p, 1, &ro, &o);
    ck_assert_msg(o.rc == RETOLD_EOF && o.count == 1,
                  "a %zu-byte CRLF line at the window edge was refused: %s", n, o.err);
}
END_TEST

/* --- encodings ------------------------------------------------------------- */

START_TEST(test_bom_and_utf16)
{
    outcome o;
    /* UTF-8 BOM on a text file: not part of the document */
    write_str("bom.txt", "\xef\xbb\xbfHello there");
    read_one("bom.txt", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_str_eq(o.first_text, "Hello there");
    /* on the second of two JSONL inputs, too */
    write_str("one.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n");
    write_str("two.jsonl", "\xef\xbb\xbf{\"id\":\"b\",\"text\":\"y\"}\n");
    const char *two[] = { path_of("one.jsonl"), path_of("two.jsonl") };
    read_paths(two, 2, NULL, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 2);
    /* UTF-16 big endian, as JSONL and as text: refused, with the remedy */
    write_file("be.jsonl", "\xfe\xff\0{\0\"", 5);
    read_one("be.jsonl", 0, 0, &o);
    EXPECT_ERR(o, RETOLD_ENCODING, "UTF-16");
    ck_assert(strstr(o.err, "iconv") != NULL);
    write_file("le.txt", "\xff\xfeH\0i\0", 6);
    read_one("le.txt", 0, 0, &o);
    EXPECT_ERR(o, RETOLD_ENCODING, "le.txt: UTF-16");
    /* a UTF-16 file in a directory stops the reading, or is skipped */
    shell("mkdir '%s/d' && printf 'plain text' > '%s/d/a.txt' && printf '\\377\\376H\\000' > '%s/d/b.txt'", dir);
    read_one("d", 0, 0, &o);
    EXPECT_ERR(o, RETOLD_ENCODING, "d/b.txt: UTF-16");
    ck_assert_int_eq(o.count, 1);
    read_one("d", 0, 1, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    ck_assert_uint_eq(o.skipped, 1);
    ck_assert(strstr(o.w.last, "UTF-16") != NULL);
}
END_TEST

/* Unicode 15, section 3.9, Table 3-8: one U+FFFD per maximal subpart. */
START_TEST(test_invalid_utf8_subparts)
{
    const char in[] = "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64";
    retold_text t;
    ck_assert_int_eq(retold_normalize(in, sizeof in - 1, &t), RETOLD_OK);
    ck_assert_uint_eq(t.invalid, 6);
    ck_assert_str_eq(t.data, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd" "d");
    retold_text_release(&t);
    /* overlong, surrogate, beyond U+10FFFF, 5- and 6-byte forms */
    static const struct { const char *s; size_t invalid; } cases[] = {
        { "\xc0\xaf", 2 }, { "\xe0\x80\xaf", 3 }, { "\xed\xa0\x80", 3 },
        { "\xf4\x90\x80\x80", 4 }, { "\xf8\x88\x80\x80\x80", 5 }, { "\xfc\x84\x80\x80\x80\x80", 6 },
        { "\xf0\x9f\x98", 1 }, { "\xe2\x82", 1 }, { "\xf0\x9f\x98\x80", 0 },
    };
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "x %s y", cases[i].s);
        const retold_token *tok;
        size_t m;
        ck_assert_int_eq(retold_tokenize(tk, buf, (size_t)n, &tok, &m), RETOLD_OK);
        ck_assert_msg(retold_tokenizer_invalid(tk) == cases[i].invalid, "case %zu: %zu replaced, want %zu",
                      i, retold_tokenizer_invalid(tk), cases[i].invalid);
        ck_assert_uint_ge(m, 2);
    }
    retold_tokenizer_free(tk);
}
END_TEST

START_TEST(test_nul_bytes)
{
    /* NUL separates tokens */
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    const retold_token *tok;
    size_t m;
    ck_assert_int_eq(retold_tokenize(tk, "ab\0cd", 5, &tok, &m), RETOLD_OK);
    ck_assert_uint_eq(m, 2);
    ck_assert_uint_eq(tok[1].start, 3);
    retold_tokenizer_free(tk);
    /* an escaped NUL in an id is kept, with its length */
    outcome o;
    write_str("nulid.jsonl", "{\"id\":\"a\\u0000b\",\"text\":\"x\"}\n");
    read_one("nulid.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_uint_eq(o.first_id_len, 3);
    /* a text file named on the command line is read even with NUL bytes
     * (only files found in directories are skipped as binary) */
    write_file("nul.txt", "one\0two", 7);
    read_one("nul.txt", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    ck_assert_uint_eq(o.first_text_len, 7);
}
END_TEST

/* --- limits at N and N + 1 ------------------------------------------------- */

START_TEST(test_limits_exact)
{
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    ro.max_doc_bytes = 100;
    ro.max_line_bytes = 150;
    outcome o;
    char text[200], line[300];
    memset(text, 'a', sizeof text);
    /* text files */
    write_file("100.txt", text, 100);
    write_file("101.txt", text, 101);
    const char *p = path_of("100.txt");
    read_paths(&p, 1, &ro, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_uint_eq(o.first_text_len, 100);
    p = path_of("101.txt");
    read_paths(&p, 1, &ro, &o);
    EXPECT_ERR(o, RETOLD_TOOBIG, "--max-doc-size");
    /* JSONL texts: 100 bytes after unescaping is fine, 101 is not */
    int k = snprintf(line, sizeof line, "{\"id\":\"a\",\"text\":\"%.99s\\n\"}\n", text);
    write_file("t100.jsonl", line, (size_t)k);
    p = path_of("t100.jsonl");
    read_paths(&p, 1, &ro, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_uint_eq(o.first_text_len, 100);
    k = snprintf(line, sizeof line, "{\"id\":\"a\",\"text\":\"%.100s\\n\"}\n", text);
    write_file("t101.jsonl", line, (size_t)k);
    p = path_of("t101.jsonl");
    read_paths(&p, 1, &ro, &o);
    EXPECT_ERR(o, RETOLD_TOOBIG, "t101.jsonl:1: text of 101 bytes exceeds the document limit");
    /* lines: 150 bytes (CR LF not counted) is fine, 151 is not */
    k = snprintf(line, sizeof line, "{\"id\":\"a\",\"text\":\"%.50s\",\"pad\":\"%.71s\"}\r\n", text, text);
    ck_assert_int_eq(k, 152);
    write_file("l150.jsonl", line, (size_t)k);
    p = path_of("l150.jsonl");
    read_paths(&p, 1, &ro, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    k = snprintf(line, sizeof line, "{\"id\":\"a\",\"text\":\"%.50s\",\"pad\":\"%.72s\"}\n", text, text);
    write_file("l151.jsonl", line, (size_t)k);
    p = path_of("l151.jsonl");
    read_paths(&p, 1, &ro, &o);
    EXPECT_ERR(o, RETOLD_TOOBIG, "l151.jsonl:1: line of 151 bytes exceeds the line limit");
    ck_assert(strstr(o.err, "--max-line") != NULL);
    /* a gzip bomb is stopped by the document limit, not by memory */
    gzFile gz = gzopen(path_of("bomb.txt.gz"), "wb9");
    char zeros[65536];
    memset(zeros, 'z', sizeof zeros);
    for (int i = 0; i < 64; i++) ck_assert_int_eq(gzwrite(gz, zeros, sizeof zeros), (int)sizeof zeros);
    gzclose(gz);
    ro.max_doc_bytes = 1000;
    p = path_of("bomb.txt.gz");
    read_paths(&p, 1, &ro, &o);
    EXPECT_ERR(o, RETOLD_TOOBIG, "bomb.txt.gz: document larger than the document limit");
}
END_TEST

/* Documents that are hard on the tokeniser: all finish, linear in size,
 * with the expected token counts. */
START_TEST(test_pathological_texts)
{
    static const struct { const char *unit; size_t len; long per_unit, plus; } cases[] = {
        { "a", 1, 0, 1 },                                /* one 64 Ki-letter token */
        { "\xe0\xa4\x95\xe0\xa5\x8d", 6, 0, 1 },        /* ka + virama: one token, recomposed */
        { "123,", 4, 0, 1 },                             /* one number of 192 Ki digits */
        { "\xe6\x9d\xb1", 3, 1, -1 },                    /* Han: n characters, n - 1 bigrams */
        { "\xef\xb7\xba", 3, 3, 1 },                     /* U+FDFA folds to 4 Arabic words; the
                                                            last and the next first join */
        { "\xff", 1, 0, 0 },                              /* all invalid: no tokens */
        { "\"", 1, 0, 0 },                                /* all quotes */
    };
    retold_params p;
    retold_params_default(&p);
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);
    retold_sketcher *s = retold_sketcher_new(&p);
    p.char_ngram = 4;
    retold_sketcher *c = retold_sketcher_new(&p);
    const size_t units = 1 << 16;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = units * cases[i].len;
        char *text = malloc(n);
        for (size_t u = 0; u < units; u++) memcpy(text + u * cases[i].len, cases[i].unit, cases[i].len);
        uint32_t sig[128];
        retold_sketch_info info;
        ck_assert_int_eq(retold_sketch(s, text, n, sig, &info), RETOLD_OK);
        size_t want = (size_t)((long)units * cases[i].per_unit + cases[i].plus);
        ck_assert_msg(info.tokens == want, "case %zu: %zu tokens, want %zu", i, info.tokens, want);
        ck_assert_int_eq(retold_sketch(c, text, n, sig, &info), RETOLD_OK);
        free(text);
    }
    retold_sketcher_free(s);
    retold_sketcher_free(c);
}
END_TEST

/* --- ids ------------------------------------------------------------------- */

START_TEST(test_ids)
{
    outcome o;
    /* numbers are ids, as written */
    static const char *const numbers[] = { "-1", "0", "1.5e3", "-0.0E-0", "12345678901234567890123" };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "{\"text\":\"x\",\"id\":%s}\n", numbers[i]);
        write_str("num.jsonl", line);
        read_one("num.jsonl", 0, 0, &o);
        ck_assert_int_eq(o.rc, RETOLD_EOF);
        ck_assert_str_eq(o.first_id, numbers[i]);
    }
    /* other types are refused, naming the field and the type */
    static const struct { const char *value, *msg; } bad[] = {
        { "[\"a\"]", "field \"id\" is an array, not a string" },
        { "null", "field \"id\" is a null, not a string" },
        { "false", "field \"id\" is a boolean, not a string" },
        { "{}", "field \"id\" is an object, not a string" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "{\"id\":%s,\"text\":\"x\"}\n", bad[i].value);
        write_str("bad.jsonl", line);
        read_one("bad.jsonl", 0, 0, &o);
        EXPECT_ERR(o, RETOLD_PARSE, bad[i].msg);
        ck_assert(strstr(o.err, "bad.jsonl:1:") != NULL);
    }
    /* keys are compared after unescaping; the last duplicate key wins */
    write_str("esc.jsonl", "{\"\\u0069d\":\"k\",\"te\\u0078t\":\"v\",\"id\":\"k2\"}\n");
    read_one("esc.jsonl", 0, 0, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_str_eq(o.first_id, "k2");
    ck_assert_str_eq(o.first_text, "v");
    /* custom field names */
    retold_reader_opts ro;
    retold_reader_opts_default(&ro);
    ro.id_field = "doc";
    ro.text_field = "body";
    write_str("custom.jsonl", "{\"id\":\"ignored\",\"doc\":\"d1\",\"body\":\"b\"}\n{\"id\":\"x\",\"text\":\"y\"}\n");
    const char *p = path_of("custom.jsonl");
    read_paths(&p, 1, &ro, &o);
    EXPECT_ERR(o, RETOLD_PARSE, "custom.jsonl:2: missing field \"doc\"");
    ck_assert_str_eq(o.first_id, "d1");
}
END_TEST

static int run_batch(const char *const *in, size_t n, char *err, size_t cap)
{
    retold_batch_opts bo;
    retold_batch_opts_default(&bo);
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &bo), RETOLD_OK);
    int rc = retold_batch_run(b, in, n, NULL, 0);
    snprintf(err, cap, "%s", retold_batch_errmsg(b));
    retold_batch_free(b);
    return rc;
}

START_TEST(test_duplicate_ids)
{
    char err[1024];
    /* across two JSONL files: the second file and line are named */
    write_str("a.jsonl", "{\"id\":\"x\",\"text\":\"one\"}\n");
    write_str("b.jsonl", "{\"id\":\"y\",\"text\":\"two\"}\n{\"id\":\"x\",\"text\":\"three\"}\n");
    const char *ab[] = { path_of("a.jsonl"), path_of("b.jsonl") };
    ck_assert_int_eq(run_batch(ab, 2, err, sizeof err), RETOLD_DUPID);
    ck_assert_msg(strstr(err, "b.jsonl:2: duplicate id \"x\"") != NULL, "%s", err);
    /* a number and a string with the same text are the same id */
    write_str("n.jsonl", "{\"id\":7,\"text\":\"one\"}\n{\"id\":\"7\",\"text\":\"two\"}\n");
    const char *n1 = path_of("n.jsonl");
    ck_assert_int_eq(run_batch(&n1, 1, err, sizeof err), RETOLD_DUPID);
    /* Regression: the same text file twice.  Text documents have line 0, and
     * the message's "%s%s%llu" (src/batch.c:388) printed "a.txt0". */
    write_str("a.txt", "some words here");
    const char *aa[] = { path_of("a.txt"), path_of("a.txt") };
    ck_assert_int_eq(run_batch(aa, 2, err, sizeof err), RETOLD_DUPID);
    char want[600];
    snprintf(want, sizeof want, "%s: duplicate id", path_of("a.txt"));
    ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}
END_TEST

/* --- directories, unreadable files ---------------------------------------- */

START_TEST(test_directory_links)
{
    outcome o;
    shell("mkdir -p '%s/d/sub' && printf 'text one' > '%s/d/a.txt' && ln -s . '%s/d/sub/up' "
          "&& ln -s self '%s/d/self' && ln -s nowhere '%s/d/zz-dangling' && mkfifo '%s/d/fifo'", dir);
    /* a link to itself stops the reading, naming it; the FIFO is not opened */
    read_one("d", 0, 0, &o);
    EXPECT_ERR(o, RETOLD_IO, "d/self: Too many levels of symbolic links");
    /* with skip_bad: warnings for both bad links, the loop not followed */
    read_one("d", 0, 1, &o);
    ck_assert_int_eq(o.rc, RETOLD_EOF);
    ck_assert_int_eq(o.count, 1);
    ck_assert_uint_eq(o.skipped, 2);
    ck_assert_int_eq(o.w.n, 3);                 /* self, zz-dangling, sub/up */
    /* a trailing slash does not change the ids */
    read_one("d/", 0, 1, &o);
    ck_assert_str_eq(o.first_id, "a.txt");
}
END_TEST

START_TEST(test_unreadable)
{
    outcome o;
    write_str("locked.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n");
    shell("chmod 000 '%s/locked.jsonl'", dir);
    if (access(path_of("locked.jsonl"), R_OK) == 0) {
        fprintf(stderr, "check_limits: running as root, permission bits do not apply; "
                        "using /proc/self/mem (EIO at offset 0) as the unreadable file\n");
        const char *p = "/proc/self/mem";
        retold_reader_opts ro;
        retold_reader_opts_default(&ro);
        ro.format = RETOLD_INPUT_JSONL;
        read_paths(&p, 1, &ro, &o);
        EXPECT_ERR(o, RETOLD_IO, "/proc/self/mem: read error");
        ro.format = RETOLD_INPUT_TEXT;
        ro.skip_bad = 1;                          /* skipped, with a warning */
        read_paths(&p, 1, &ro, &o);
        ck_assert_int_eq(o.rc, RETOLD_EOF);
        ck_assert_int_eq(o.w.n, 1);
    } else {
        read_one("locked.jsonl", 0, 0, &o);
        EXPECT_ERR(o, RETOLD_IO, "locked.jsonl: Permission denied");
    }
}
END_TEST

/* Write LINES JSONL records to a gzip file, flushing to a byte boundary
 * after `cut` records; returns the compressed offset of that boundary. */
static long gzip_with_cut(const char *name, int lines, int cut)
{
    gzFile gz = gzopen(path_of(name), "wb");
    ck_assert(gz != NULL);
    long at = -1;
    for (int i = 0; i < lines; i++) {
        if (i == cut) { ck_assert_int_eq(gzflush(gz, Z_FULL_FLUSH), Z_OK); at = (long)gzoffset(gz); }
        gzprintf(gz, "{\"id\":\"%d\",\"text\":\"words %d and more %d\"}\n", i, i * 7, i * 13);
    }
    gzclose(gz);
    return at;
}

START_TEST(test_gzip_cut_mid_line)
{
    /* damage inside a record: an error, never a clean end of input (the
     * partial last line is malformed JSON; see test_gzip_cut_at_record for
     * what happens when skip_bad skips it) */
    long at = gzip_with_cut("t.jsonl.gz", 2000, 1000);
    struct stat st;
    ck_assert_int_eq(stat(path_of("t.jsonl.gz"), &st), 0);
    ck_assert(truncate(path_of("t.jsonl.gz"), at + (st.st_size - at) / 2) == 0);
    outcome o;
    read_one("t.jsonl.gz", 0, 0, &o);
    ck_assert_msg(o.rc != RETOLD_EOF, "truncated gzip read as complete (%d records)", o.count);
    ck_assert(strstr(o.err, "t.jsonl.gz") != NULL);
}
END_TEST

/* Regression: a gzip file cut at a record boundary (an interrupted download
 * or copy) is read as if complete.  zlib's gzread returns 0 at the cut and
 * sets Z_BUF_ERROR, "unexpected end of file"; refill (src/reader.c:270)
 * and read_text_file (src/reader.c:426) take 0 as the end of input without
 * asking gzerror, so the missing records vanish without a message, with
 * skip_bad off as well as on.  Fix: on got == 0, if gzerror reports
 * Z_BUF_ERROR, fail with RETOLD_IO "FILE: truncated gzip stream". */
START_TEST(test_gzip_cut_at_record)
{
    long at = gzip_with_cut("t.jsonl.gz", 2000, 1000);
    ck_assert(truncate(path_of("t.jsonl.gz"), at) == 0);
    outcome o;
    read_one("t.jsonl.gz", 0, 0, &o);
    ck_assert_msg(o.rc == RETOLD_IO, "status %d after %d of 2000 records: the cut went unnoticed", o.rc, o.count);
    ck_assert(strstr(o.err, "t.jsonl.gz") != NULL);
    /* the same for a compressed text document */
    at = gzip_with_cut("t.txt.gz", 2000, 1000);
    ck_assert(truncate(path_of("t.txt.gz"), at) == 0);
    read_one("t.txt.gz", 0, 0, &o);
    ck_assert_msg(o.rc == RETOLD_IO, "status %d: a cut .txt.gz read as a complete document", o.rc);
}
END_TEST

/* Regression: with standard input closed, mkstemp() in spool_stdin
 * (src/reader.c:202) returns descriptor 0 itself, the spool reads back its
 * own empty file, and the input silently has no documents. */
START_TEST(test_closed_stdin)
{
    int saved = dup(0);
    ck_assert(saved >= 0);
    close(0);
    const char *p = "-";
    outcome o;
    read_paths(&p, 1, NULL, &o);
    dup2(saved, 0);
    close(saved);
    ck_assert_msg(o.rc != RETOLD_EOF, "closed standard input read as empty input");
    ck_assert(strstr(o.err, "standard input") != NULL);
}
END_TEST

/* Regression (found by fuzz_json): an empty member name compared with an
 * empty wanted field name while the scratch buffer is still unallocated:
 * memcmp(name, NULL + 0, 0) at src/json.c:260 is undefined behaviour, and
 * UBSan (make asan) aborts on it. */
START_TEST(test_json_empty_key_fresh_scratch)
{
    retold__json_field f[1] = { { .name = "" } };
    retold__buf scratch = { 0 };
    char err[128];
    ck_assert_int_eq(retold__json_fields("{\"\":1}", 6, f, 1, &scratch, err, sizeof err), 0);
    ck_assert_int_eq(f[0].type, RETOLD__JSON_NUMBER);
    free(scratch.data);
}
END_TEST

/* fuzz_index, regressions/fuzz_index/pieces-overflow: a document record
 * (checksum intact) with stored_len near 4 GiB and 0 text pieces passed
 * the pieces check, which wrapped in 32 bits; the text loader would then
 * allocate and decompress 4 GiB of nothing.  Every stored length up to
 * 2^32 - 1 must need exactly ceil(len / 990) pieces. */
START_TEST(test_index_doc_pieces_overflow)
{
    static const uint32_t lens[] = { 0, 1, 990, 991, 4294966306u, 4294967295u };
    unsigned char key[8] = { 0, 0, 0, 0, 0, 0, 0, 7 }, rec[RETOLD__IX_DOC_FIXED + 8 + 2];
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint64_t need = ((uint64_t)lens[i] + RETOLD__IX_PIECE - 1) / RETOLD__IX_PIECE;
        for (uint64_t pieces = need > 0 ? need - 1 : 0; pieces <= need + 1; pieces++) {
            retold__ix_doc d = { 0 }, out;
            d.id = "id";
            d.id_len = 2;
            d.stored_len = lens[i];
            d.text_len = 5;
            d.pieces = (uint32_t)pieces;
            ck_assert_uint_eq(retold__ix_doc_size(&d), sizeof rec);
            retold__ix_doc_encode(&d, NULL, key, rec);
            int rc = retold__ix_doc_decode(key, rec, sizeof rec, 0, &out);
            ck_assert_msg(rc == (pieces == need ? RETOLD_OK : RETOLD_CORRUPT),
                          "stored_len %u, %llu pieces: %d", lens[i], (unsigned long long)pieces, rc);
        }
    }
}
END_TEST

/* The distinct shingle count of a document too large for the hash table
 * (> 2^20 shingles: counted by sorting a copy, src/sketch.c) is exact:
 * words cycling with period P give exactly P distinct 5-grams. */
START_TEST(test_distinct_count_huge)
{
    const size_t period = 700001, words = 1300000;
    char *text = malloc(words * 9 + 1), *q = text;
    ck_assert(text != NULL);
    for (size_t i = 0; i < words; i++) q += sprintf(q, "w%zu ", i % period);
    retold_params p;
    retold_params_default(&p);
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);
    retold_sketcher *sk = retold_sketcher_new(&p);
    uint32_t *sig = malloc(p.perms * sizeof *sig);
    ck_assert(sk && sig);
    retold_sketch_info info;
    ck_assert_int_eq(retold_sketch(sk, text, (size_t)(q - text), sig, &info), RETOLD_OK);
    ck_assert_uint_eq(info.view_shingles[RETOLD_VIEW_SURFACE], period);
    /* and a small one after it still goes through the table */
    ck_assert_int_eq(retold_sketch(sk, "a b c d e f a b c d e f", 23, sig, &info), RETOLD_OK);
    ck_assert_uint_eq(info.view_shingles[RETOLD_VIEW_SURFACE], 6);
    retold_sketcher_free(sk);
    free(sig);
    free(text);
}
END_TEST

/* The distinct count of ordinary documents (two bitmaps, src/sketch.c)
 * equals the size of the sorted unique set, across sizes and repetition
 * rates: few repeats, many (a small vocabulary), one word over and over. */
START_TEST(test_distinct_count_exact)
{
    retold_params p;
    retold_params_default(&p);
    ck_assert_int_eq(retold_params_resolve(&p, NULL, 0), RETOLD_OK);
    retold_sketcher *sk = retold_sketcher_new(&p);
    uint32_t *sig = malloc(p.perms * sizeof *sig);
    char *text = malloc(40000 * 12 + 1);
    ck_assert(sk && sig && text);
    static const size_t sizes[] = { 1, 2, 5, 6, 7, 50, 300, 999, 4000, 40000 };
    static const unsigned vocab[] = { 1, 2, 3, 7, 50, 1000, 1000000 };
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
        for (size_t v = 0; v < sizeof vocab / sizeof *vocab; v++) {
            char *q = text;
            for (size_t i = 0; i < sizes[a]; i++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                q += sprintf(q, "w%u ", (unsigned)(x % vocab[v]));
            }
            retold_sketch_info info;
            ck_assert_int_eq(retold_sketch(sk, text, (size_t)(q - text), sig, &info), RETOLD_OK);
            const uint64_t *h;
            size_t n;
            ck_assert_int_eq(retold_sketcher_shingles(sk, &h, &n), RETOLD_OK);
            ck_assert_msg(info.view_shingles[RETOLD_VIEW_SURFACE] == n,
                          "%zu words, vocabulary %u: count %zu, set %zu", sizes[a], vocab[v],
                          info.view_shingles[RETOLD_VIEW_SURFACE], n);
        }
    retold_sketcher_free(sk);
    free(sig);
    free(text);
}
END_TEST

/* Character shingles join the text in buffers of their own; when those
 * cannot be had, the sketch says RETOLD_NOMEM (it used to sign the
 * document as empty).  In a child with an address-space limit just above
 * what the tokeniser needs; not under AddressSanitizer, whose shadow
 * memory does not fit any such limit. */
#if defined(__SANITIZE_ADDRESS__)
#define TU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_ASAN 1
#endif
#endif
START_TEST(test_char_shingles_nomem)
{
#ifdef TU_ASAN
    return;
#endif
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        const size_t words = 24000, wl = 999;          /* 24 MB of 1,000-byte words */
        char *text = malloc(words * (wl + 1));
        if (!text) _exit(10);
        for (size_t i = 0; i < words; i++) {
            memset(text + i * (wl + 1), 'a' + (int)(i % 26), wl);
            text[i * (wl + 1) + wl] = ' ';
        }
        retold_params p;
        retold_params_default(&p);
        p.char_ngram = 5;
        if (retold_params_resolve(&p, NULL, 0) != RETOLD_OK) _exit(11);
        retold_sketcher *sk = retold_sketcher_new(&p);
        uint32_t *sig = malloc(p.perms * sizeof *sig);
        if (!sk || !sig) _exit(12);
        /* the tokeniser's buffers first, at full size, on a short text */
        if (retold_sketch(sk, "warm up", 7, sig, NULL) != RETOLD_OK) _exit(13);
        FILE *f = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (!f || fscanf(f, "%lu", &pages) != 1) _exit(14);
        fclose(f);
        /* room for the tokeniser (text-sized norm buffer, 24k tokens) but
         * not for 24 M code point offsets (192 MB) */
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)120 << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(15);
        int rc = retold_sketch(sk, text, words * (wl + 1), sig, NULL);
        _exit(rc == RETOLD_NOMEM ? 0 : 20 + (rc < 0 ? -rc : rc));
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("matrix");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_empty_and_blank);
    tcase_add_test(tc, test_last_line);
    tcase_add_test(tc, test_bom_and_utf16);
    tcase_add_test(tc, test_invalid_utf8_subparts);
    tcase_add_test(tc, test_nul_bytes);
    tcase_add_test(tc, test_limits_exact);
    tcase_add_test(tc, test_pathological_texts);
    tcase_add_test(tc, test_ids);
    tcase_add_test(tc, test_directory_links);
    tcase_add_test(tc, test_unreadable);
    tcase_add_test(tc, test_gzip_cut_mid_line);
    suite_add_tcase(s, tc);
    TCase *reg = tcase_create("regressions");
    tcase_add_checked_fixture(reg, setup, teardown);
    tcase_add_test(reg, test_crlf_tokens);
    tcase_add_test(reg, test_crlf_at_window_edge);
    tcase_add_test(reg, test_gzip_cut_at_record);
    tcase_add_test(reg, test_duplicate_ids);
    tcase_add_test(reg, test_closed_stdin);
    tcase_add_test(reg, test_json_empty_key_fresh_scratch);
    tcase_add_test(reg, test_index_doc_pieces_overflow);
    tcase_add_test(tc, test_distinct_count_huge);
    tcase_add_test(tc, test_distinct_count_exact);
    tcase_add_test(tc, test_char_shingles_nomem);
    suite_add_tcase(s, reg);
    return s;
}

TU_MAIN(suite)
