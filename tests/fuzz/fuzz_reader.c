/*
 * fuzz_reader.c - libFuzzer target: the input bytes as a whole JSONL file
 * (an in-memory file from memfd_create, opened by path through
 * /proc/self/fd), read to the end through retold_reader_open/next.
 *
 * Each input is read with skip_bad off and on, with default limits or (odd
 * first byte) tiny ones (64-byte documents, 256-byte lines) so the limit
 * paths run too; a quarter of the inputs also as one text document.  Every
 * reader is then rewound and read again.  Properties (abort() on violation):
 *   - records are well formed: non-empty id, text within max_doc_bytes,
 *     1-based line numbers that increase, index 0, 1, 2, ...; every byte of
 *     id, text, source, date, lang and raw is read (ASan checks bounds);
 *   - an error other than RETOLD_EOF comes with a non-empty message;
 *   - skip_bad on ends with RETOLD_EOF, or RETOLD_IO for a corrupt gzip
 *     stream, never a per-record error; the warnings received equal
 *     retold_reader_skipped();
 *   - the records read with skip_bad off are a prefix of those read with
 *     skip_bad on;
 *   - after rewind, the same records (by hash of id and text) in the same
 *     order, ending with the same status;
 *   - (JSONL, skip_bad on) rewound with a place filter that wants a subset
 *     and retold_reader_set_next naming where each wanted record starts
 *     (one offset in eight made wrong on purpose): exactly that subset,
 *     same places and contents.
 * Leaks are reported by LeakSanitizer at exit of each run.
 */
#include "retold.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_reader: %s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

#define MAXREC 4096

typedef struct pass {
    int status;
    size_t n;
    uint64_t h[MAXREC];       /* hash of id + text of each record */
    uint64_t line[MAXREC], off[MAXREC];   /* its place */
    uint64_t warnings;
} pass;

static void on_warn(void *ctx, const char *msg)
{
    pass *p = ctx;
    CHECK(msg != NULL && msg[0] != 0);
    p->warnings++;
}

static uint64_t touch(const char *s, size_t n, uint64_t seed)
{
    return n ? XXH3_64bits_withSeed(s, n, seed) : seed ^ 0x9e3779b97f4a7c15ULL;
}

static void read_pass(retold_reader *r, const retold_reader_opts *o, pass *p)
{
    retold_record rec;
    int rc;
    uint64_t last_line = 0;
    p->n = 0;
    while ((rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
        CHECK(rec.id != NULL && rec.id_len > 0);
        CHECK(rec.text != NULL && rec.text_len <= o->max_doc_bytes);
        CHECK(rec.index == p->n);
        CHECK(rec.path != NULL);
        if (rec.raw) {
            CHECK(rec.line > last_line);
            last_line = rec.line;
            touch(rec.raw, rec.raw_len, 0);
        }
        uint64_t h = touch(rec.id, rec.id_len, 1);
        h = touch(rec.text, rec.text_len, h);
        if (rec.source) touch(rec.source, rec.source_len, 0);
        if (rec.date) touch(rec.date, rec.date_len, 0);
        if (rec.lang) touch(rec.lang, rec.lang_len, 0);
        if (p->n < MAXREC) {
            p->h[p->n] = h;
            p->line[p->n] = rec.line;
            p->off[p->n] = rec.offset;
        }
        p->n++;
    }
    p->status = rc;
    if (rc != RETOLD_EOF) {
        const char *m = retold_reader_errmsg(r);
        CHECK(m != NULL && m[0] != 0);
    }
}

/* Pass 3: only some records, with the reader told where the next one is
 * (retold_reader_set_next, as the batch's verification pass does); one
 * offset in eight is off by one (a file changed since), which the reader
 * must notice and scan instead. */
struct want { const pass *p; const uint8_t *keep; size_t at; uint64_t salt; };

static int want_place(void *ctx, uint32_t file_no, uint64_t line)
{
    struct want *w = ctx;
    while (w->at < w->p->n && (!w->keep[w->at] || w->p->line[w->at] < line)) w->at++;
    return file_no == 0 && w->at < w->p->n && w->p->line[w->at] == line;
}

static int want_next(void *ctx, uint32_t file_no, uint64_t *line, uint64_t *off)
{
    struct want *w = ctx;
    size_t i = w->at;
    while (i < w->p->n && !w->keep[i]) i++;
    if (file_no != 0 || i >= w->p->n) return 0;
    *line = w->p->line[i];
    *off = w->p->off[i] + ((w->salt >> (i % 61)) & 1 && i % 8 == 3);
    return 1;
}

static void filtered_pass(retold_reader *r, const retold_reader_opts *o, const pass *first, uint64_t salt)
{
    static uint8_t keep[MAXREC];
    size_t want_n = 0;
    for (size_t i = 0; i < first->n; i++) {
        keep[i] = ((first->h[i] ^ salt) & 3) == 0 || i + 1 == first->n;
        want_n += keep[i];
    }
    struct want w = { first, keep, 0, salt };
    CHECK(retold_reader_rewind(r) == RETOLD_OK);
    retold_reader_set_filter(r, want_place, &w);
    retold_reader_set_next(r, want_next);
    retold_record rec;
    int rc;
    size_t got = 0, i = 0;
    while ((rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
        while (i < first->n && !keep[i]) i++;
        CHECK(i < first->n);
        CHECK(rec.line == first->line[i] && rec.offset == first->off[i]);
        CHECK(rec.text_len <= o->max_doc_bytes);
        uint64_t h = touch(rec.id, rec.id_len, 1);
        CHECK(touch(rec.text, rec.text_len, h) == first->h[i]);
        i++;
        got++;
    }
    if (first->status == RETOLD_EOF) {
        CHECK(rc == RETOLD_EOF);
        CHECK(got == want_n);
    }
    retold_reader_set_filter(r, NULL, NULL);
    retold_reader_set_next(r, NULL);
}

static void run(const char *path, int format, int skip, int tiny, pass *first)
{
    retold_reader_opts o;
    retold_reader_opts_default(&o);
    o.format = format;
    o.skip_bad = skip;
    if (tiny) { o.max_doc_bytes = 64; o.max_line_bytes = 256; }
    o.warn = on_warn;
    o.warn_ctx = first;
    first->warnings = 0;
    retold_reader *r;
    CHECK(retold_reader_open(&r, &path, 1, &o) == RETOLD_OK);
    read_pass(r, &o, first);
    if (skip) {
        CHECK(first->status == RETOLD_EOF || first->status == RETOLD_IO);
        CHECK(first->warnings == retold_reader_skipped(r));
    } else {
        CHECK(retold_reader_skipped(r) == 0);
    }
    /* the second pass gives the same records and warns no more */
    static pass again;
    uint64_t w = first->warnings;
    CHECK(retold_reader_rewind(r) == RETOLD_OK);
    read_pass(r, &o, &again);
    CHECK(first->warnings == w);
    CHECK(again.status == first->status);
    CHECK(again.n == first->n);
    for (size_t i = 0; i < first->n && i < MAXREC; i++) CHECK(again.h[i] == first->h[i]);
    if (format == RETOLD_INPUT_JSONL && skip && first->n <= MAXREC)
        filtered_pass(r, &o, first, first->n ? first->h[0] * 0x9e3779b97f4a7c15ULL : 0);
    retold_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz_reader.jsonl", 0);
        CHECK(fd >= 0);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    CHECK(ftruncate(fd, 0) == 0);
    CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);

    /* Byte 0 (still part of the file) picks the limits and whether to read
     * the bytes as a text document as well: each reader allocates a 2 MiB
     * window, and under ASan that, not the parsing, is what a run costs. */
    int tiny = size > 0 && (data[0] & 1);
    static pass strict, lenient;
    run(path, RETOLD_INPUT_JSONL, 0, tiny, &strict);
    run(path, RETOLD_INPUT_JSONL, 1, tiny, &lenient);
    CHECK(lenient.n >= strict.n);
    for (size_t i = 0; i < strict.n && i < MAXREC; i++) CHECK(strict.h[i] == lenient.h[i]);
    if (size > 0 && (data[0] & 6) == 0) {
        run(path, RETOLD_INPUT_TEXT, 0, 0, &strict);
        CHECK(strict.n <= 1);
    }
    return 0;
}
