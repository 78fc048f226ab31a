/*
 * fuzz_json.c - libFuzzer target: one arbitrary line through
 * retold__json_fields (src/json.c), the JSONL record scanner.
 *
 * Properties checked (abort() on violation):
 *   - it returns 0 or -1 (never -2 here: inputs are small), and on -1 the
 *     message is "column N: ..." with 1 <= N <= len + 1;
 *   - accept/reject agrees with an independent, deliberately simple
 *     recursive validator written below (RFC 8259 grammar, top level an
 *     object, the same nesting limit; bytes >= 0x80 inside strings are
 *     passed through unchecked, as json.c documents);
 *   - every extracted field lies inside its buffer; a string field
 *     re-quoted with retold__json_quote and parsed again gives the same
 *     bytes; a number field parses again as the same number; OTHER fields
 *     name a JSON type.
 * Seeds: tests/fuzz/corpus/fuzz_json/ (records cut from data/crafted.jsonl,
 * escapes, surrogates, deep nesting).
 */
#include "json.h"
#include "retold/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_json: %s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

/* --- the reference validator: returns 1 if s[*i..] starts with a value --- */

typedef struct ref { const unsigned char *s; size_t n, i; } ref;

static void ref_ws(ref *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
                           r->s[r->i] == '\n' || r->s[r->i] == '\r')) r->i++;
}

static int ref_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int ref_string(ref *r)
{
    if (r->i >= r->n || r->s[r->i] != '"') return 0;
    r->i++;
    while (r->i < r->n) {
        unsigned char c = r->s[r->i++];
        if (c == '"') return 1;
        if (c < 0x20) return 0;
        if (c != '\\') continue;
        if (r->i >= r->n) return 0;
        c = r->s[r->i++];
        if (c == 'u') {
            for (int k = 0; k < 4; k++)
                if (r->i >= r->n || !ref_hex(r->s[r->i++])) return 0;
        } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
            return 0;
        }
    }
    return 0;
}

static int ref_digits(ref *r)
{
    size_t start = r->i;
    while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9') r->i++;
    return r->i > start;
}

static int ref_number(ref *r)
{
    if (r->i < r->n && r->s[r->i] == '-') r->i++;
    if (r->i < r->n && r->s[r->i] == '0') r->i++;
    else if (!(r->i < r->n && r->s[r->i] >= '1' && r->s[r->i] <= '9') || !ref_digits(r)) return 0;
    if (r->i < r->n && r->s[r->i] == '.') { r->i++; if (!ref_digits(r)) return 0; }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-')) r->i++;
        if (!ref_digits(r)) return 0;
    }
    return 1;
}

static int ref_word(ref *r, const char *w)
{
    size_t k = strlen(w);
    if (r->n - r->i < k || memcmp(r->s + r->i, w, k)) return 0;
    r->i += k;
    return 1;
}

static int ref_value(ref *r, int depth);

/* An object or array; `depth` counts the containers around it. */
static int ref_container(ref *r, int depth)
{
    char close = r->s[r->i] == '{' ? '}' : ']';
    if (depth >= RETOLD_JSON_DEPTH_MAX) return 0;
    r->i++;
    ref_ws(r);
    if (r->i < r->n && r->s[r->i] == (unsigned char)close) { r->i++; return 1; }
    for (;;) {
        ref_ws(r);
        if (close == '}') {
            if (!ref_string(r)) return 0;
            ref_ws(r);
            if (r->i >= r->n || r->s[r->i] != ':') return 0;
            r->i++;
        }
        if (!ref_value(r, depth + 1)) return 0;
        ref_ws(r);
        if (r->i >= r->n) return 0;
        if (r->s[r->i] == ',') { r->i++; continue; }
        if (r->s[r->i] == (unsigned char)close) { r->i++; return 1; }
        return 0;
    }
}

static int ref_value(ref *r, int depth)
{
    ref_ws(r);
    if (r->i >= r->n) return 0;
    switch (r->s[r->i]) {
    case '"': return ref_string(r);
    case '{': case '[': return ref_container(r, depth);
    case 't': return ref_word(r, "true");
    case 'f': return ref_word(r, "false");
    case 'n': return ref_word(r, "null");
    default: return ref_number(r);
    }
}

static int ref_line(const unsigned char *s, size_t n)
{
    ref r = { s, n, 0 };
    ref_ws(&r);
    if (r.i >= r.n || r.s[r.i] != '{') return 0;
    if (!ref_container(&r, 0)) return 0;
    ref_ws(&r);
    return r.i == r.n;
}

/* --- the target ------------------------------------------------------- */

static const char *const names[] = { "id", "text", "a", "", "\xc3\xa9" };
#define NF (sizeof names / sizeof names[0])

static void fields_init(retold__json_field *f)
{
    for (size_t i = 0; i < NF; i++) { memset(&f[i], 0, sizeof f[i]); f[i].name = names[i]; }
}

/* The scratch buffers live as long as the process, as the reader's lives as
 * long as the reader (json.c appends to it and clears it per line).  A
 * fresh, never-allocated scratch (data == NULL) at the first call is the
 * case of tests/fuzz/regressions/fuzz_json/empty-key-null-scratch.json. */
static retold__buf scratch, scratch2;

/* Re-quote a string field as {"name": value} and parse it again. */
static void round_trip_string(const char *name, const char *s, size_t n)
{
    retold__buf line = {0};
    CHECK(retold__buf_reserve(&scratch2, 1) == 0);     /* see above */
    CHECK(retold__buf_reserve(&line, 1) == 0);
    line.data[line.len++] = '{';
    CHECK(retold__json_quote(&line, name, strlen(name)) == 0);
    CHECK(retold__buf_reserve(&line, 1) == 0);
    line.data[line.len++] = ':';
    CHECK(retold__json_quote(&line, s, n) == 0);
    CHECK(retold__buf_reserve(&line, 1) == 0);
    line.data[line.len++] = '}';
    retold__json_field f[NF];
    fields_init(f);
    char err[128] = "";
    int rc = retold__json_fields(line.data, line.len, f, NF, &scratch2, err, sizeof err);
    if (rc != 0) fprintf(stderr, "re-parse failed: %s\n", err);
    CHECK(rc == 0);
    CHECK(ref_line((const unsigned char *)line.data, line.len));
    int hit = 0;
    for (size_t i = 0; i < NF; i++)
        if (!strcmp(names[i], name)) {
            hit = 1;
            CHECK(f[i].type == RETOLD__JSON_STRING);
            CHECK(f[i].len == n);
            CHECK(n == 0 || memcmp(scratch2.data + f[i].off, s, n) == 0);
        }
    CHECK(hit);
    free(line.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exact-size copy: ASan catches any read past the line */
    char *line = malloc(size ? size : 1);
    if (!line) return 0;
    memcpy(line, data, size);
    retold__json_field f[NF];
    fields_init(f);
    char err[256];
    err[0] = 0;
    int rc = retold__json_fields(line, size, f, NF, &scratch, err, sizeof err);
    int want = ref_line((const unsigned char *)line, size);
    if ((rc == 0) != want)
        fprintf(stderr, "json.c says %d (%s), reference says %s\n", rc, err, want ? "valid" : "invalid");
    CHECK(rc == 0 || rc == -1);
    CHECK((rc == 0) == want);
    if (rc == -1) {
        unsigned long col = 0;
        CHECK(sscanf(err, "column %lu: ", &col) == 1);
        CHECK(col >= 1 && col <= size + 1);
        CHECK(strlen(err) > strlen("column 1: "));
    } else {
        for (size_t i = 0; i < NF; i++) {
            switch (f[i].type) {
            case RETOLD__JSON_ABSENT:
                break;
            case RETOLD__JSON_STRING:
                CHECK(f[i].off + f[i].len <= scratch.len);
                round_trip_string(names[i], scratch.data ? scratch.data + f[i].off : "", f[i].len);
                break;
            case RETOLD__JSON_NUMBER: {
                CHECK(f[i].off + f[i].len <= size && f[i].len > 0);
                ref r = { (const unsigned char *)line + f[i].off, f[i].len, 0 };
                CHECK(ref_number(&r) && r.i == f[i].len);
                break;
            }
            case RETOLD__JSON_OTHER:
                CHECK(f[i].other != NULL);
                CHECK(!strcmp(f[i].other, "object") || !strcmp(f[i].other, "array") ||
                      !strcmp(f[i].other, "boolean") || !strcmp(f[i].other, "null"));
                break;
            default:
                CHECK(!"unknown field type");
            }
        }
    }
    free(line);
    return 0;
}
