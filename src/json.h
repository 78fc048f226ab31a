/* json.h - private: strict JSON validation of one JSONL line, extracting a
 * few top-level fields.  No tree is built: the line is scanned once and only
 * the wanted string values are unescaped. */
#ifndef RETOLD_JSON_H
#define RETOLD_JSON_H

#include <stddef.h>

enum { RETOLD__JSON_ABSENT = 0, RETOLD__JSON_STRING, RETOLD__JSON_NUMBER,
       RETOLD__JSON_OTHER };

typedef struct retold__json_field {
    const char *name;     /* in: field name (NUL-terminated) */
    int type;             /* out: RETOLD__JSON_* */
    const char *other;    /* out: type name when OTHER ("object", "null", ...) */
    size_t off, len;      /* out: value bytes at scratch + off (strings,
                             unescaped) or line + off (numbers) */
} retold__json_field;

typedef struct retold__buf {
    char *data;
    size_t len, cap;
} retold__buf;

/* Parse line[0..len) as one JSON object.  Fills fields[0..nf).  Unescaped
 * strings are appended to *scratch (cleared first).  Invalid UTF-8 inside
 * strings is passed through (the tokeniser replaces and counts it).
 * Returns 0, -1 on a syntax error (message in err, with the byte column), or
 * -2 when out of memory. */
int retold__json_fields(const char *line, size_t len, retold__json_field *fields,
                        size_t nf, retold__buf *scratch, char *err, size_t errcap);

int retold__buf_reserve(retold__buf *b, size_t extra);

/* Append s[0..n) to b as a JSON string literal with quotes. */
int retold__json_quote(retold__buf *b, const char *s, size_t n);

#endif
