/*
 * reader.c - corpus input: JSONL, text files, directories, stdin, gzip.
 *
 * Files are read through zlib's gzread, which passes uncompressed files
 * through unchanged, in 1 MiB blocks; lines are found with memchr and only
 * the wanted fields of each JSON line are unescaped (json.c).  A directory
 * is expanded when the reader reaches it: regular files below it, sorted by
 * path bytes, symbolic links followed but never into a directory already on
 * the current path (no loops).
 */
#include "retold/reader.h"
#include "retold/error.h"
#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK ((size_t)1 << 20)
#define NFIELDS 5

enum { KIND_JSONL, KIND_TEXT, KIND_DIR, KIND_STDIN };

typedef struct input {
    char *path;
    int kind;
} input;

typedef struct pathvec {
    char **v;
    size_t n, cap;
} pathvec;

struct retold_reader {
    retold_reader_opts o;
    input *in;
    size_t nin, cur;           /* current input */
    int pass;                  /* 0 = first pass (warnings on) */
    /* current JSONL stream */
    gzFile gz;
    int open;                  /* current input opened */
    char *path;                /* path of the open file (for messages/records) */
    uint64_t line;
    char *buf;                 /* read buffer window [beg, end) */
    size_t beg, end, cap;
    size_t chunk;              /* bytes read at a time: BLOCK, or less for
                                  a small regular file (see open_stream) */
    uint64_t wpos;             /* stream offset of buf[0] */
    uint64_t line_off;         /* stream offset of the last line returned */
    int eof;
    /* directory expansion of the current input */
    pathvec files;
    size_t file_cur;
    size_t dir_prefix;         /* bytes of "DIR/" to strip for ids */
    /* stdin spool */
    int spool_fd;
    /* output */
    retold__buf scratch;       /* unescaped JSON strings */
    retold__buf text;          /* text documents */
    char *file_path;           /* path of a text document */
    uint64_t index;
    uint32_t file_no;          /* files opened so far in this pass */
    retold_place_filter filter;
    retold_place_next filter_next;
    void *filter_ctx;
    uint64_t skipped, skipped_binary;
    char err[1024];
};

void retold_reader_opts_default(retold_reader_opts *o)
{
    memset(o, 0, sizeof *o);
    o->id_field = "id";
    o->text_field = "text";
    o->source_field = "source";
    o->date_field = "date";
    o->lang_field = "lang";
    o->format = RETOLD_INPUT_AUTO;
    o->spool_stdin = 1;
    o->max_doc_bytes = RETOLD_MAX_DOC_DEFAULT;
    o->max_line_bytes = 0;      /* derived at open */
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int jsonl_name(const char *p)
{
    static const char *const ext[] = { ".jsonl", ".ndjson", ".json", ".jsonl.gz",
                                       ".ndjson.gz", ".json.gz", ".jsonl.zst" };
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (ends_with(p, ext[i])) return 1;
    return 0;
}

int retold_reader_open(retold_reader **out, const char *const *paths, size_t n,
                       const retold_reader_opts *opts)
{
    *out = NULL;
    retold_reader *r = calloc(1, sizeof *r);
    if (!r) return RETOLD_NOMEM;
    if (opts) r->o = *opts;
    else retold_reader_opts_default(&r->o);
    if (!r->o.max_doc_bytes) r->o.max_doc_bytes = RETOLD_MAX_DOC_DEFAULT;
    if (!r->o.max_line_bytes) r->o.max_line_bytes = 2 * r->o.max_doc_bytes + ((size_t)1 << 20);
    r->spool_fd = -1;
    r->in = calloc(n ? n : 1, sizeof *r->in);
    if (!r->in) { free(r); return RETOLD_NOMEM; }
    for (size_t i = 0; i < n; i++) {
        r->in[i].path = strdup(paths[i]);
        if (!r->in[i].path) { r->nin = i; retold_reader_close(r); return RETOLD_NOMEM; }
        struct stat st;
        if (strcmp(paths[i], "-") == 0) r->in[i].kind = KIND_STDIN;
        else if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) r->in[i].kind = KIND_DIR;
        else if (r->o.format == RETOLD_INPUT_JSONL) r->in[i].kind = KIND_JSONL;
        else if (r->o.format == RETOLD_INPUT_TEXT) r->in[i].kind = KIND_TEXT;
        else r->in[i].kind = jsonl_name(paths[i]) ? KIND_JSONL : KIND_TEXT;
    }
    r->nin = n;
    *out = r;
    return RETOLD_OK;
}

const char *retold_reader_errmsg(const retold_reader *r) { return r->err; }

void retold_reader_set_filter(retold_reader *r, retold_place_filter fn, void *ctx)
{
    r->filter = fn;
    r->filter_ctx = ctx;
}

void retold_reader_set_next(retold_reader *r, retold_place_next fn)
{
    r->filter_next = fn;
}
uint64_t retold_reader_skipped(const retold_reader *r) { return r->skipped; }
uint64_t retold_reader_skipped_binary(const retold_reader *r) { return r->skipped_binary; }

static void pathvec_free(pathvec *pv)
{
    for (size_t i = 0; i < pv->n; i++) free(pv->v[i]);
    free(pv->v);
    memset(pv, 0, sizeof *pv);
}

static void close_current(retold_reader *r)
{
    if (r->gz) gzclose(r->gz);
    r->gz = NULL;
    r->open = 0;
    r->beg = r->end = 0;
    r->eof = 0;
    r->line = 0;
    pathvec_free(&r->files);
    r->file_cur = 0;
}

void retold_reader_close(retold_reader *r)
{
    if (!r) return;
    close_current(r);
    for (size_t i = 0; i < r->nin; i++) free(r->in[i].path);
    free(r->in);
    free(r->buf);
    free(r->scratch.data);
    free(r->text.data);
    free(r->file_path);
    if (r->spool_fd >= 0) close(r->spool_fd);
    free(r);
}

int retold_reader_rewind(retold_reader *r)
{
    close_current(r);
    r->cur = 0;
    r->pass++;
    r->index = 0;
    r->file_no = 0;
    r->err[0] = 0;
    return RETOLD_OK;
}

static int set_err(retold_reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return code;
}

/* A bad record: with skip_bad, warn (first pass only), count, return 1
 * (skip); else return 0 (the caller fails with r->err). */
static int skip_bad(retold_reader *r)
{
    if (!r->o.skip_bad) return 0;
    if (r->pass == 0) {
        r->skipped++;
        if (r->o.warn) r->o.warn(r->o.warn_ctx, r->err);
    }
    r->err[0] = 0;
    return 1;
}

/* Copy all of standard input to an unlinked temporary file (once). */
static int stdin_closed(retold_reader *r)
{
    if (fcntl(0, F_GETFD) == -1)
        return set_err(r, RETOLD_IO, "standard input is closed (give a file, or pipe JSONL into -)");
    return RETOLD_OK;
}

static int spool_stdin(retold_reader *r)
{
    if (r->spool_fd >= 0) return RETOLD_OK;
    int rc = stdin_closed(r);            /* before mkstemp, which would take fd 0 */
    if (rc != RETOLD_OK) return rc;
    const char *dir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/retold-stdin-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    if (fd < 0) return set_err(r, RETOLD_IO, "cannot create a temporary file for standard input in %s: %s",
                               dir && *dir ? dir : "/tmp", strerror(errno));
    unlink(tmpl);
    char *b = malloc(BLOCK);
    if (!b) { close(fd); return RETOLD_NOMEM; }
    for (;;) {
        ssize_t got = read(0, b, BLOCK);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { free(b); close(fd); return set_err(r, RETOLD_IO, "standard input: %s", strerror(errno)); }
        if (got == 0) break;
        for (ssize_t w = 0; w < got;) {
            ssize_t put = write(fd, b + w, (size_t)(got - w));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0) {
                int e = errno;
                free(b); close(fd);
                return set_err(r, e == ENOSPC ? RETOLD_NOSPACE : RETOLD_IO,
                               "spooling standard input to %s: %s", tmpl, strerror(e));
            }
            w += put;
        }
    }
    free(b);
    r->spool_fd = fd;
    return RETOLD_OK;
}

static int open_stream(retold_reader *r, const char *path, int fd)
{
    r->file_no++;                      /* counted whether or not it opens */
    r->gz = fd >= 0 ? gzdopen(fd, "rb") : gzopen(path, "rb");
    if (!r->gz) {
        if (fd >= 0) close(fd);
        int e = errno ? errno : ENOMEM;
        return set_err(r, e == ENOMEM ? RETOLD_NOMEM : RETOLD_IO, "%s: %s", path, strerror(e));
    }
    /* A small regular file gets small buffers: zlib's (in + 2 x out) and
     * the window grow from the file's size instead of starting at 768 KiB
     * and 2 MiB, which matters for many small files (a directory of
     * articles; the fuzzer, where each large block is an mmap).  A gzip
     * file that inflates to more just reads in more rounds. */
    struct stat st;
    int sr = fd >= 0 ? fstat(fd, &st) : stat(path, &st);
    r->chunk = BLOCK;
    if (sr == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size < BLOCK) {
        r->chunk = 4096;
        while (r->chunk <= (size_t)st.st_size) r->chunk *= 2;
    }
    gzbuffer(r->gz, r->chunk < 256 * 1024 ? (unsigned)r->chunk : 256 * 1024);
    r->path = (char *)path;
    r->line = 0;
    r->beg = r->end = 0;
    r->wpos = 0;
    r->eof = 0;
    return RETOLD_OK;
}

/* Fill the window so that it holds a complete line or the end of input.
 * Returns the length of the next line (without '\n') in *n, and sets *more
 * = 0 at the end of input. */
static int refill(retold_reader *r)
{
    if (r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->end -= r->beg;
        r->wpos += r->beg;
        r->beg = 0;
    }
    if (r->cap - r->end < r->chunk) {
        size_t cap = r->cap ? r->cap * 2 : 2 * r->chunk;
        while (cap - r->end < r->chunk) cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) return RETOLD_NOMEM;
        r->buf = b;
        r->cap = cap;
    }
    int got = gzread(r->gz, r->buf + r->end, (unsigned)(r->cap - r->end > (1u << 30) ? (1u << 30) : r->cap - r->end));
    if (got < 0) {
        int zerr;
        const char *m = gzerror(r->gz, &zerr);
        return set_err(r, RETOLD_IO, "%s: read error: %s", r->path,
                       zerr == Z_ERRNO ? strerror(errno) : m);
    }
    if (got == 0) {
        int zerr;
        const char *m = gzerror(r->gz, &zerr);
        if (zerr != Z_OK && zerr != Z_STREAM_END)          /* e.g. a cut gzip file */
            return set_err(r, RETOLD_IO, "%s: read error after line %llu: %s", r->path,
                           (unsigned long long)r->line, zerr == Z_ERRNO ? strerror(errno) : m);
        r->eof = 1;
    }
    r->end += (size_t)got;
    return RETOLD_OK;
}

/* Check the first bytes of a stream for byte order marks. */
static int check_bom(retold_reader *r, const unsigned char *b, size_t n, size_t *skip)
{
    *skip = 0;
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return set_err(r, RETOLD_ENCODING,
                       "%s: UTF-16 text (byte order mark %02X %02X); retold reads UTF-8: "
                       "convert it first, e.g. iconv -f UTF-16 -t UTF-8", r->path, b[0], b[1]);
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) *skip = 3;
    return RETOLD_OK;
}

static int next_line(retold_reader *r, const char **line, size_t *len)
{
    for (;;) {
        char *nl = r->end > r->beg ? memchr(r->buf + r->beg, '\n', r->end - r->beg) : NULL;
        if (nl || (r->eof && r->end > r->beg)) {
            size_t n = nl ? (size_t)(nl - (r->buf + r->beg)) : r->end - r->beg;
            *line = r->buf + r->beg;
            r->line_off = r->wpos + r->beg;
            r->beg += n + (nl ? 1 : 0);
            r->line++;
            if (r->line == 1) {
                size_t skip;
                int rc = check_bom(r, (const unsigned char *)*line, n, &skip);
                if (rc != RETOLD_OK) return rc;
                *line += skip;
                n -= skip;
            }
            if (n > 0 && (*line)[n - 1] == '\r') n--;
            *len = n;
            if (n > r->o.max_line_bytes)
                return set_err(r, RETOLD_TOOBIG, "%s:%llu: line of %zu bytes exceeds the line limit (%zu bytes; --max-line)",
                               r->path, (unsigned long long)r->line, n, r->o.max_line_bytes);
            return RETOLD_OK;
        }
        if (r->eof) return RETOLD_EOF;
        if (r->end - r->beg > r->o.max_line_bytes + 4) {   /* room for a CR and a first-line BOM */
            /* An over-long line: report it, then discard up to its end. */
            uint64_t at = r->line + 1;
            for (;;) {
                r->beg = r->end;
                int rc = refill(r);
                if (rc != RETOLD_OK) return rc;
                nl = memchr(r->buf + r->beg, '\n', r->end - r->beg);
                if (nl) { r->beg = (size_t)(nl - r->buf) + 1; break; }
                if (r->eof) { r->beg = r->end; break; }
            }
            r->line++;
            return set_err(r, RETOLD_TOOBIG, "%s:%llu: line longer than the line limit (%zu bytes; --max-line)",
                           r->path, (unsigned long long)at, r->o.max_line_bytes);
        }
        int rc = refill(r);
        if (rc != RETOLD_OK) return rc;
    }
}

static int field_string(retold_reader *r, retold__json_field *f, const char *line,
                        const char **s, size_t *n, int required, int number_ok)
{
    *s = NULL;
    *n = 0;
    switch (f->type) {
    case RETOLD__JSON_STRING:
        *s = r->scratch.data + f->off;
        *n = f->len;
        return RETOLD_OK;
    case RETOLD__JSON_NUMBER:
        if (number_ok) { *s = line + f->off; *n = f->len; return RETOLD_OK; }
        return set_err(r, RETOLD_PARSE, "%s:%llu: field \"%s\" is a number, not a string",
                       r->path, (unsigned long long)r->line, f->name);
    case RETOLD__JSON_OTHER:
        if (!required && strcmp(f->other, "null") == 0) return RETOLD_OK;
        return set_err(r, RETOLD_PARSE, "%s:%llu: field \"%s\" is %s %s, not a string",
                       r->path, (unsigned long long)r->line, f->name,
                       f->other[0] == 'a' || f->other[0] == 'o' ? "an" : "a", f->other);
    default:
        if (!required) return RETOLD_OK;
        return set_err(r, RETOLD_PARSE, "%s:%llu: missing field \"%s\"",
                       r->path, (unsigned long long)r->line, f->name);
    }
}

/* After a record passed over: go straight to the next wanted one of this
 * file, within the window or, in an uncompressed file, by seeking.  Only
 * forward, and only to a line start past the current line; anything odd
 * and the reader just goes on scanning (which is always correct). */
static int jump(retold_reader *r)
{
    uint64_t line, off;
    if (!r->filter_next(r->filter_ctx, r->file_no - 1, &line, &off)) return RETOLD_OK;
    uint64_t here = r->wpos + r->beg;         /* start of the next line */
    if (line <= r->line + 1 || off <= here) return RETOLD_OK;
    if (off <= r->wpos + r->end) {
        if (r->buf[off - 1 - r->wpos] != '\n') return RETOLD_OK;   /* not a line start */
        r->beg = (size_t)(off - r->wpos);
    } else {
        /* seek to the byte before and check that it ends a line (a file
         * changed since the offsets were taken); if not, come back */
        if (!gzdirect(r->gz) || off > INT64_MAX || here > INT64_MAX) return RETOLD_OK;
        if (gzseek(r->gz, (z_off_t)(off - 1), SEEK_SET) != (z_off_t)(off - 1) || gzgetc(r->gz) != '\n') {
            gzclearerr(r->gz);
            if (gzseek(r->gz, (z_off_t)here, SEEK_SET) != (z_off_t)here)
                return set_err(r, RETOLD_IO, "%s: cannot seek back to line %llu", r->path,
                               (unsigned long long)r->line + 1);
            r->wpos = here;
            r->beg = r->end = 0;
            r->eof = 0;
            return RETOLD_OK;
        }
        r->wpos = off;
        r->beg = r->end = 0;
        r->eof = 0;
    }
    r->line = line - 1;
    return RETOLD_OK;
}

/* Next record of the open JSONL stream: RETOLD_OK, RETOLD_EOF or an error. */
static int next_jsonl(retold_reader *r, retold_record *rec)
{
    for (;;) {
        const char *line = NULL;
        size_t len = 0;
        int rc = next_line(r, &line, &len);
        if (rc == RETOLD_EOF || rc == RETOLD_NOMEM || rc == RETOLD_IO || rc == RETOLD_ENCODING) return rc;
        if (rc != RETOLD_OK) { if (skip_bad(r)) continue; return rc; }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == len) continue;                         /* blank line */
        if (r->filter && !r->filter(r->filter_ctx, r->file_no - 1, r->line)) {
            if (r->filter_next && (rc = jump(r)) != RETOLD_OK) return rc;
            continue;
        }
        retold__json_field f[NFIELDS] = {
            { .name = r->o.id_field }, { .name = r->o.text_field },
            { .name = r->o.source_field }, { .name = r->o.date_field },
            { .name = r->o.lang_field } };
        char msg[256];
        int jr = retold__json_fields(line, len, f, NFIELDS, &r->scratch, msg, sizeof msg);
        if (jr == -2) return RETOLD_NOMEM;
        if (jr != 0) {
            set_err(r, RETOLD_PARSE, "%s:%llu: malformed JSON: %s", r->path,
                    (unsigned long long)r->line, msg);
            if (skip_bad(r)) continue;
            return RETOLD_PARSE;
        }
        memset(rec, 0, sizeof *rec);
        if ((rc = field_string(r, &f[0], line, &rec->id, &rec->id_len, 1, 1)) != RETOLD_OK ||
            (rc = field_string(r, &f[1], line, &rec->text, &rec->text_len, 1, 0)) != RETOLD_OK ||
            (rc = field_string(r, &f[2], line, &rec->source, &rec->source_len, 0, 0)) != RETOLD_OK ||
            (rc = field_string(r, &f[3], line, &rec->date, &rec->date_len, 0, 0)) != RETOLD_OK ||
            (rc = field_string(r, &f[4], line, &rec->lang, &rec->lang_len, 0, 0)) != RETOLD_OK) {
            if (skip_bad(r)) continue;
            return rc;
        }
        if (rec->id_len == 0) {
            set_err(r, RETOLD_PARSE, "%s:%llu: empty id", r->path, (unsigned long long)r->line);
            if (skip_bad(r)) continue;
            return RETOLD_PARSE;
        }
        if (rec->text_len > r->o.max_doc_bytes) {
            set_err(r, RETOLD_TOOBIG, "%s:%llu: text of %zu bytes exceeds the document limit (%zu bytes; --max-doc-size)",
                    r->path, (unsigned long long)r->line, rec->text_len, r->o.max_doc_bytes);
            if (skip_bad(r)) continue;
            return RETOLD_TOOBIG;
        }
        rec->raw = line;
        rec->raw_len = len;
        rec->path = r->path;
        rec->line = r->line;
        rec->offset = r->line_off;
        rec->file_no = r->file_no - 1;
        return RETOLD_OK;
    }
}

/* Read a whole file as one document into r->text.  Returns RETOLD_OK, an
 * error, or 1 for a binary file (NUL bytes) that is skipped. */
static int read_text_file(retold_reader *r, const char *path, int in_dir)
{
    if (r->filter && !r->filter(r->filter_ctx, r->file_no, 0)) {
        r->file_no++;                  /* the same numbering as a full pass */
        return 2;                      /* passed over */
    }
    int rc = open_stream(r, path, -1);
    if (rc != RETOLD_OK) return rc;
    r->text.len = 0;
    for (;;) {
        if (retold__buf_reserve(&r->text, r->chunk)) { rc = RETOLD_NOMEM; goto out; }
        int got = gzread(r->gz, r->text.data + r->text.len, (unsigned)r->chunk);
        if (got < 0) {
            int zerr;
            const char *m = gzerror(r->gz, &zerr);
            rc = set_err(r, RETOLD_IO, "%s: read error: %s", path, zerr == Z_ERRNO ? strerror(errno) : m);
            goto out;
        }
        if (got == 0) {
            int zerr;
            const char *m = gzerror(r->gz, &zerr);
            if (zerr != Z_OK && zerr != Z_STREAM_END) {
                rc = set_err(r, RETOLD_IO, "%s: read error: %s", path, zerr == Z_ERRNO ? strerror(errno) : m);
                goto out;
            }
            break;
        }
        r->text.len += (size_t)got;
        if (r->text.len > r->o.max_doc_bytes) {
            rc = set_err(r, RETOLD_TOOBIG, "%s: document larger than the document limit (%zu bytes; --max-doc-size)",
                         path, r->o.max_doc_bytes);
            goto out;
        }
    }
    size_t skip;
    if ((rc = check_bom(r, (const unsigned char *)r->text.data, r->text.len, &skip)) != RETOLD_OK) goto out;
    if (skip) {
        memmove(r->text.data, r->text.data + skip, r->text.len - skip);
        r->text.len -= skip;
    }
    if (in_dir && memchr(r->text.data, 0, r->text.len < 65536 ? r->text.len : 65536)) {
        rc = 1;
        if (r->pass == 0) {
            r->skipped_binary++;
            if (r->o.warn) {
                char msg[4200];
                snprintf(msg, sizeof msg, "%s: binary file (NUL bytes), skipped", path);
                r->o.warn(r->o.warn_ctx, msg);
            }
        }
    }
out:
    gzclose(r->gz);
    r->gz = NULL;
    return rc;
}

/* --- directories --------------------------------------------------------- */

typedef struct dev_ino { dev_t dev; ino_t ino; } dev_ino;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(retold_reader *r, const char *dir, dev_ino *stack, int depth)
{
    if (depth >= 64) return set_err(r, RETOLD_IO, "%s: directories nested too deep", dir);
    DIR *d = opendir(dir);
    if (!d) return set_err(r, RETOLD_IO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    int rc = RETOLD_OK;
    pathvec sub = {0};
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (sub.n == sub.cap) {
            size_t cap = sub.cap ? sub.cap * 2 : 64;
            char **v = realloc(sub.v, cap * sizeof *v);
            if (!v) { rc = RETOLD_NOMEM; goto out; }
            sub.v = v;
            sub.cap = cap;
        }
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(need);
        if (!p) { rc = RETOLD_NOMEM; goto out; }
        snprintf(p, need, "%s/%s", dir, e->d_name);
        sub.v[sub.n++] = p;
    }
    if (sub.n > 1) qsort(sub.v, sub.n, sizeof *sub.v, cmp_str);   /* sub.v is NULL when empty */
    for (size_t i = 0; i < sub.n; i++) {
        struct stat st;
        if (stat(sub.v[i], &st) != 0) {
            set_err(r, RETOLD_IO, "%s: %s", sub.v[i], strerror(errno));
            if (skip_bad(r)) continue;
            rc = RETOLD_IO;
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            int loop = 0;
            for (int k = 0; k <= depth; k++)
                if (stack[k].dev == st.st_dev && stack[k].ino == st.st_ino) loop = 1;
            if (loop) {
                if (r->pass == 0 && r->o.warn) {
                    char msg[4200];
                    snprintf(msg, sizeof msg, "%s: symbolic link loop, not followed", sub.v[i]);
                    r->o.warn(r->o.warn_ctx, msg);
                }
                continue;
            }
            stack[depth + 1].dev = st.st_dev;
            stack[depth + 1].ino = st.st_ino;
            if ((rc = walk(r, sub.v[i], stack, depth + 1)) != RETOLD_OK) goto out;
        } else if (S_ISREG(st.st_mode)) {
            pathvec *f = &r->files;
            if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 256;
                char **v = realloc(f->v, cap * sizeof *v);
                if (!v) { rc = RETOLD_NOMEM; goto out; }
                f->v = v;
                f->cap = cap;
            }
            f->v[f->n++] = sub.v[i];
            sub.v[i] = NULL;
        }
    }
out:
    closedir(d);
    pathvec_free(&sub);
    return rc;
}

static int open_input(retold_reader *r)
{
    input *in = &r->in[r->cur];
    r->open = 1;
    switch (in->kind) {
    case KIND_STDIN: {
        int fd;
        if (r->o.spool_stdin) {
            int rc = spool_stdin(r);
            if (rc != RETOLD_OK) return rc;
            if (lseek(r->spool_fd, 0, SEEK_SET) < 0)
                return set_err(r, RETOLD_IO, "standard input spool: %s", strerror(errno));
            fd = dup(r->spool_fd);
        } else {
            if (r->pass > 0) return set_err(r, RETOLD_INVAL, "standard input cannot be read twice");
            int rc = stdin_closed(r);
            if (rc != RETOLD_OK) return rc;
            fd = dup(0);
        }
        if (fd < 0) return set_err(r, RETOLD_IO, "standard input: %s", strerror(errno));
        return open_stream(r, "(stdin)", fd);
    }
    case KIND_JSONL: {
        struct stat st;
        if (stat(in->path, &st) != 0)
            return set_err(r, errno == ENOMEM ? RETOLD_NOMEM : RETOLD_IO, "%s: %s", in->path, strerror(errno));
        return open_stream(r, in->path, -1);
    }
    case KIND_DIR: {
        dev_ino stack[65];
        struct stat st;
        if (stat(in->path, &st) != 0) return set_err(r, RETOLD_IO, "%s: %s", in->path, strerror(errno));
        stack[0].dev = st.st_dev;
        stack[0].ino = st.st_ino;
        size_t plen = strlen(in->path);
        while (plen > 1 && in->path[plen - 1] == '/') in->path[--plen] = 0;
        r->dir_prefix = plen + 1;
        r->file_cur = 0;
        return walk(r, in->path, stack, 0);
    }
    default:
        return RETOLD_OK;
    }
}

static int text_record(retold_reader *r, const char *path, const char *id, retold_record *rec)
{
    free(r->file_path);
    r->file_path = strdup(path);
    if (!r->file_path) return RETOLD_NOMEM;
    memset(rec, 0, sizeof *rec);
    rec->id = id;
    rec->id_len = strlen(id);
    rec->text = r->text.data ? r->text.data : "";
    rec->text_len = r->text.len;
    rec->path = r->file_path;
    rec->file_no = r->file_no - 1;
    return RETOLD_OK;
}

int retold_reader_next(retold_reader *r, retold_record *rec)
{
    while (r->cur < r->nin) {
        input *in = &r->in[r->cur];
        if (!r->open) {
            int rc = open_input(r);
            if (rc != RETOLD_OK) {
                if (rc != RETOLD_NOMEM && skip_bad(r)) { close_current(r); r->cur++; continue; }
                return rc;
            }
        }
        int rc;
        switch (in->kind) {
        case KIND_JSONL:
        case KIND_STDIN:
            rc = next_jsonl(r, rec);
            if (rc == RETOLD_OK) { rec->index = r->index++; return RETOLD_OK; }
            if (rc != RETOLD_EOF) {
                if (rc == RETOLD_ENCODING && skip_bad(r)) break;
                return rc;
            }
            break;
        case KIND_TEXT:
            rc = read_text_file(r, in->path, 0);
            if (rc == 2) break;                             /* filtered */
            if (rc == RETOLD_OK) {
                close_current(r);
                r->cur++;
                if ((rc = text_record(r, in->path, in->path, rec)) != RETOLD_OK) return rc;
                rec->id = r->file_path;
                rec->index = r->index++;
                return RETOLD_OK;
            }
            if (rc == RETOLD_NOMEM || !skip_bad(r)) return rc;
            break;
        case KIND_DIR:
            while (r->file_cur < r->files.n) {
                const char *p = r->files.v[r->file_cur++];
                rc = read_text_file(r, p, 1);
                if (rc == 1 || rc == 2) continue;           /* binary, filtered */
                if (rc != RETOLD_OK) {
                    if (rc == RETOLD_NOMEM || !skip_bad(r)) return rc;
                    continue;
                }
                if ((rc = text_record(r, p, p, rec)) != RETOLD_OK) return rc;
                rec->id = r->file_path + r->dir_prefix;
                rec->id_len = strlen(rec->id);
                rec->index = r->index++;
                return RETOLD_OK;
            }
            break;
        }
        close_current(r);
        r->cur++;
    }
    return RETOLD_EOF;
}
