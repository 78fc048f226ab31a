/*
 * json.c - a strict, single-pass JSON scanner for JSONL records (RFC 8259):
 * rejects trailing commas, bare control characters in strings, bad escapes,
 * leading zeros, unpaired text after the object; nesting is limited to
 * RETOLD_JSON_DEPTH_MAX.  \u escapes combine surrogate pairs; a lone
 * surrogate becomes U+FFFD.
 *
 * Why not jansson: building a tree for a 5 KB record to read two fields
 * costs several allocations per value; this scanner copies only the text it
 * returns (and runs at memory speed over the rest).
 */
#include "json.h"
#include "retold/reader.h"
#include "unicode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    retold__buf *out;
    char *err;
    size_t errcap;
    int nomem;
} parser;

int retold__buf_reserve(retold__buf *b, size_t extra)
{
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

static int fail(parser *p, const char *what)
{
    if (p->err && p->errcap)
        snprintf(p->err, p->errcap, "column %zu: %s", p->pos + 1, what);
    return -1;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static int hex4(parser *p, unsigned *v)
{
    if (p->pos + 4 > p->len) return fail(p, "truncated \\u escape");
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p->s[p->pos + i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return fail(p, "invalid \\u escape");
        x = x * 16 + d;
    }
    p->pos += 4;
    *v = x;
    return 0;
}

/* Scan a string at p->pos (the opening quote).  With keep, append its
 * unescaped bytes to p->out. */
static int string(parser *p, int keep)
{
    p->pos++;                                           /* opening quote */
    for (;;) {
        size_t run = p->pos;
        /* Eight bytes at a time until one may be '"', '\\' or a control
         * character (the "has less than" / "has zero byte" tricks of Sean
         * Anderson's Bit Twiddling Hacks; a false alarm only ends the fast
         * loop early, the byte loop below decides). */
#if defined(__SSE2__)
        /* Sixteen at a time with SSE2 (every x86-64): '"', '\\' or <= 0x1F */
        {
            const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
            const __m128i ctl = _mm_set1_epi8(0x1F);
            while (p->pos + 16 <= p->len) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p->s + p->pos));
                __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                           _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
                unsigned m = (unsigned)_mm_movemask_epi8(hit);
                if (m) { p->pos += (size_t)__builtin_ctz(m); break; }
                p->pos += 16;
            }
        }
#endif
        while (p->pos + 8 <= p->len) {
            uint64_t v;
            memcpy(&v, p->s + p->pos, 8);
            const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
            uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((v - ones * 0x20) & ~v);
            if (hit & high) break;
            p->pos += 8;
        }
        while (p->pos < p->len) {
            unsigned char c = p->s[p->pos];
            if (c == '"' || c == '\\' || c < 0x20) break;
            p->pos++;
        }
        if (keep && p->pos > run) {
            size_t n = p->pos - run;
            if (retold__buf_reserve(p->out, n)) { p->nomem = 1; return -1; }
            memcpy(p->out->data + p->out->len, p->s + run, n);
            p->out->len += n;
        }
        if (p->pos >= p->len) return fail(p, "unterminated string");
        unsigned char c = p->s[p->pos];
        if (c == '"') { p->pos++; return 0; }
        if (c < 0x20) return fail(p, "control character in string (must be escaped)");
        /* escape */
        if (++p->pos >= p->len) return fail(p, "unterminated escape");
        char one = 0;
        unsigned cp = 0;
        switch (p->s[p->pos++]) {
        case '"': one = '"'; break;
        case '\\': one = '\\'; break;
        case '/': one = '/'; break;
        case 'b': one = '\b'; break;
        case 'f': one = '\f'; break;
        case 'n': one = '\n'; break;
        case 'r': one = '\r'; break;
        case 't': one = '\t'; break;
        case 'u':
            if (hex4(p, &cp)) return -1;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p->pos + 6 <= p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
                    size_t save = p->pos;
                    p->pos += 2;
                    if (hex4(p, &lo)) return -1;
                    if (lo >= 0xDC00 && lo <= 0xDFFF)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else { cp = RETOLD__REPLACEMENT; p->pos = save; }
                } else {
                    cp = RETOLD__REPLACEMENT;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = RETOLD__REPLACEMENT;
            }
            break;
        default:
            p->pos--;
            return fail(p, "invalid escape");
        }
        if (keep) {
            if (retold__buf_reserve(p->out, 4)) { p->nomem = 1; return -1; }
            if (one) p->out->data[p->out->len++] = one;
            else p->out->len += retold__utf8_encode((int32_t)cp, p->out->data + p->out->len);
        }
    }
}

static int number(parser *p)
{
    size_t start = p->pos;
    if (p->pos < p->len && p->s[p->pos] == '-') p->pos++;
    if (p->pos >= p->len) return fail(p, "invalid number");
    if (p->s[p->pos] == '0') p->pos++;
    else if (p->s[p->pos] >= '1' && p->s[p->pos] <= '9')
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
    else return fail(p, "invalid number");
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        size_t d = p->pos;
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
        if (p->pos == d) return fail(p, "invalid number");
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-')) p->pos++;
        size_t d = p->pos;
        while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') p->pos++;
        if (p->pos == d) return fail(p, "invalid number");
    }
    return p->pos > start ? 0 : fail(p, "invalid number");
}

static int literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->pos + n > p->len || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, "invalid value");
    p->pos += n;
    return 0;
}

static int value(parser *p, int depth);

static int container(parser *p, int depth, char close)
{
    if (depth >= RETOLD_JSON_DEPTH_MAX) return fail(p, "nesting too deep");
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == (unsigned char)close) { p->pos++; return 0; }
    for (;;) {
        skip_ws(p);
        if (close == '}') {
            if (p->pos >= p->len || p->s[p->pos] != '"') return fail(p, "expected a member name");
            if (string(p, 0)) return -1;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') return fail(p, "expected ':'");
            p->pos++;
        }
        if (value(p, depth + 1)) return -1;
        skip_ws(p);
        if (p->pos >= p->len) return fail(p, "unterminated object or array");
        if (p->s[p->pos] == ',') { p->pos++; continue; }
        if (p->s[p->pos] == (unsigned char)close) { p->pos++; return 0; }
        return fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int value(parser *p, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len) return fail(p, "expected a value");
    switch (p->s[p->pos]) {
    case '"': return string(p, 0);
    case '{': return container(p, depth, '}');
    case '[': return container(p, depth, ']');
    case 't': return literal(p, "true");
    case 'f': return literal(p, "false");
    case 'n': return literal(p, "null");
    default: return number(p);
    }
}

static const char *kind_name(unsigned char c)
{
    switch (c) {
    case '{': return "object";
    case '[': return "array";
    case 't': case 'f': return "boolean";
    case 'n': return "null";
    default: return "number";
    }
}

int retold__json_fields(const char *line, size_t len, retold__json_field *fields,
                        size_t nf, retold__buf *scratch, char *err, size_t errcap)
{
    parser p = { (const unsigned char *)line, len, 0, scratch, err, errcap, 0 };
    scratch->len = 0;
    for (size_t i = 0; i < nf; i++) fields[i].type = RETOLD__JSON_ABSENT;
    skip_ws(&p);
    if (p.pos >= p.len || p.s[p.pos] != '{') return fail(&p, "expected a JSON object");
    p.pos++;
    skip_ws(&p);
    if (p.pos < p.len && p.s[p.pos] == '}') { p.pos++; goto tail; }
    for (;;) {
        skip_ws(&p);
        if (p.pos >= p.len || p.s[p.pos] != '"') return fail(&p, "expected a member name");
        /* unescape the key into scratch, compare, then drop it */
        size_t key_off = scratch->len;
        if (string(&p, 1)) return p.nomem ? -2 : -1;
        size_t key_len = scratch->len - key_off;
        retold__json_field *f = NULL;
        for (size_t i = 0; i < nf; i++)
            if (strlen(fields[i].name) == key_len &&
                (key_len == 0 || memcmp(fields[i].name, scratch->data + key_off, key_len) == 0)) {
                f = &fields[i];             /* an empty key may leave scratch unallocated */
                break;
            }
        scratch->len = key_off;
        skip_ws(&p);
        if (p.pos >= p.len || p.s[p.pos] != ':') return fail(&p, "expected ':'");
        p.pos++;
        skip_ws(&p);
        if (p.pos >= p.len) return fail(&p, "expected a value");
        unsigned char c = p.s[p.pos];
        if (f && c == '"') {
            f->type = RETOLD__JSON_STRING;
            f->off = scratch->len;
            if (string(&p, 1)) return p.nomem ? -2 : -1;
            f->len = scratch->len - f->off;
        } else if (f && (c == '-' || (c >= '0' && c <= '9'))) {
            size_t start = p.pos;
            if (number(&p)) return -1;
            f->type = RETOLD__JSON_NUMBER;
            f->off = start;
            f->len = p.pos - start;
        } else {
            if (f) { f->type = RETOLD__JSON_OTHER; f->other = kind_name(c); }
            if (value(&p, 1)) return p.nomem ? -2 : -1;
        }
        skip_ws(&p);
        if (p.pos >= p.len) return fail(&p, "unterminated object");
        if (p.s[p.pos] == ',') { p.pos++; continue; }
        if (p.s[p.pos] == '}') { p.pos++; break; }
        return fail(&p, "expected ',' or '}'");
    }
tail:
    skip_ws(&p);
    if (p.pos != p.len) return fail(&p, "text after the JSON object");
    return 0;
}

int retold__json_quote(retold__buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (retold__buf_reserve(b, n + 2)) return -1;
    b->data[b->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (retold__buf_reserve(b, 7)) return -1;
        if (c == '"' || c == '\\') {
            b->data[b->len++] = '\\';
            b->data[b->len++] = (char)c;
        } else if (c < 0x20) {
            const char *e = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            if (e) { memcpy(b->data + b->len, e, 2); b->len += 2; }
            else {
                memcpy(b->data + b->len, "\\u00", 4);
                b->data[b->len + 4] = hex[c >> 4];
                b->data[b->len + 5] = hex[c & 15];
                b->len += 6;
            }
        } else {
            b->data[b->len++] = (char)c;
        }
    }
    if (retold__buf_reserve(b, 1)) return -1;
    b->data[b->len++] = '"';
    return 0;
}
