/*
 * retold/reader.h - documents from JSONL files, text files, directories and
 * standard input, one at a time.
 *
 * Inputs, by argument:
 *   FILE.jsonl / .ndjson / .json (optionally .gz)  one JSON object per line
 *   DIR                                            every regular file below it
 *                                                  is one document, id = the
 *                                                  path relative to DIR, in
 *                                                  byte order of the paths
 *   -                                              JSONL on standard input
 *   any other FILE                                 one document, id = FILE
 * (RETOLD_INPUT_JSONL / _TEXT force a format for files.)  Gzip-compressed
 * files are read transparently.  A UTF-8 byte order mark is skipped; UTF-16
 * input is refused with RETOLD_ENCODING.
 *
 * Bad records - malformed JSON, a missing or non-string id/text field, a
 * line or document over its limit, an unreadable file - stop the reader
 * with an error whose message names file and line (retold_reader_errmsg),
 * unless skip_bad is set: then they are reported through the warning
 * callback, counted, and skipped.  Empty lines are ignored.  A number is
 * accepted as an id (its JSON text is the id).
 *
 * The reader can rewind to read the same inputs again in the same order
 * (standard input is spooled to an unlinked temporary file for that).  The
 * k-th record of every pass is the same document.
 */
#ifndef RETOLD_READER_H
#define RETOLD_READER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { RETOLD_INPUT_AUTO = 0, RETOLD_INPUT_JSONL, RETOLD_INPUT_TEXT };

#define RETOLD_MAX_DOC_DEFAULT  ((size_t)64 << 20)   /* 64 MiB */
#define RETOLD_JSON_DEPTH_MAX   256

typedef void (*retold_warn_fn)(void *ctx, const char *message);

typedef struct retold_reader_opts {
    const char *id_field;       /* default "id" */
    const char *text_field;     /* default "text" */
    const char *source_field;   /* default "source" (optional in input) */
    const char *date_field;     /* default "date" (optional) */
    const char *lang_field;     /* default "lang" (optional) */
    int format;                 /* RETOLD_INPUT_* */
    int skip_bad;               /* skip bad records instead of failing */
    int spool_stdin;            /* keep stdin for rewind (default 1) */
    size_t max_doc_bytes;       /* longest text accepted */
    size_t max_line_bytes;      /* longest JSONL line accepted */
    retold_warn_fn warn;        /* receives one message per skipped record */
    void *warn_ctx;
} retold_reader_opts;

/* Defaults as documented above; max_line_bytes = 2 * max_doc_bytes + 1 MiB
 * (escapes can double a text's size). */
void retold_reader_opts_default(retold_reader_opts *o);

/* One document.  Every pointer is owned by the reader and valid until the
 * next call on it.  Strings are not NUL-terminated unless said. */
typedef struct retold_record {
    const char *id;      size_t id_len;
    const char *text;    size_t text_len;
    const char *source;  size_t source_len;   /* NULL when absent */
    const char *date;    size_t date_len;     /* NULL when absent */
    const char *lang;    size_t lang_len;     /* NULL when absent */
    const char *raw;     size_t raw_len;      /* the JSONL line without its
                                                 end of line; NULL for text */
    const char *path;    /* NUL-terminated: the input file's path */
    uint64_t line;       /* 1-based line of a JSONL record, 0 for text */
    uint64_t index;      /* 0-based position among the records returned */
    uint32_t file_no;    /* 0-based number of the file (or stream) in the
                            order the reader opens them: with `line`, a
                            record's place, the same in every pass */
    uint64_t offset;     /* byte offset of a JSONL record's line in its
                            (decompressed) file; 0 for text */
} retold_record;

typedef struct retold_reader retold_reader;

/* Open a reader over paths[0..n).  Nothing is read yet; a missing file is
 * reported when the reader reaches it.  Returns RETOLD_OK or RETOLD_NOMEM. */
int retold_reader_open(retold_reader **out, const char *const *paths, size_t n,
                       const retold_reader_opts *opts);

/* Next record: RETOLD_OK, RETOLD_EOF at the end, or an error (the reader is
 * then finished; retold_reader_errmsg says what and where). */
int retold_reader_next(retold_reader *r, retold_record *rec);

/* A filter on places: return non-zero to read the record at (file_no,
 * line) (line 0: a whole text file), zero to pass over it without parsing
 * or reading it.  Records passed over do not count in rec.index.  NULL
 * reads everything (the default). */
typedef int (*retold_place_filter)(void *ctx, uint32_t file_no, uint64_t line);
void retold_reader_set_filter(retold_reader *r, retold_place_filter fn, void *ctx);

/* Optional, with a filter: after passing over a record of file file_no,
 * the reader asks where the next wanted record of that file is: return
 * non-zero and its line and byte offset (rec.line and rec.offset from an
 * earlier pass over the same file), or zero if there is none.  Where the
 * file is not compressed the reader then jumps there instead of scanning
 * the lines in between.  NULL (the default) scans. */
typedef int (*retold_place_next)(void *ctx, uint32_t file_no, uint64_t *line, uint64_t *offset);
void retold_reader_set_next(retold_reader *r, retold_place_next fn);

/* Start again from the first input.  Warnings are not repeated. */
int retold_reader_rewind(retold_reader *r);

/* Detail of the last error, NUL-terminated, owned by the reader ("" if none). */
const char *retold_reader_errmsg(const retold_reader *r);

/* Records skipped (skip_bad) so far in the first pass; binary files skipped
 * in directories are counted separately. */
uint64_t retold_reader_skipped(const retold_reader *r);
uint64_t retold_reader_skipped_binary(const retold_reader *r);

void retold_reader_close(retold_reader *r);   /* NULL is a no-op */

#ifdef __cplusplus
}
#endif
#endif
