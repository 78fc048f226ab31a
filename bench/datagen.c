/*
 * datagen - benchmark corpus generator for retold.
 *
 * Builds a stream of news-like JSONL documents from real English prose and
 * plants near-duplicates of known provenance in it, so that a deduplicator's
 * recall, precision and speed can be measured.  See bench/README-datagen.md.
 *
 *   datagen --source FILE... [--docs N] [--seed S] [-o OUT] [--truth TSV]
 *
 * How it works
 *   1. The source files are read once (plain UTF-8 text, or JSONL whose
 *      objects carry a "text" string).  Text is cleaned (invalid UTF-8,
 *      control characters, Reuters-style <Company> markers and &lt; entities,
 *      ALL-CAPS headlines and "CITY, Mon D -" datelines), split into
 *      paragraphs and sentences, and sentences that look like prose are kept.
 *      Sentences that repeat (compared on lowercase letters and digits) are
 *      kept once.  A source "record" is one JSONL line, or one part of a text
 *      file between form-feed characters.
 *   2. Base documents are built from "chunks" of 1-4 consecutive sentences
 *      of one record; each chunk is a paragraph.  In one epoch the sentence
 *      pool is cut into chunks and the chunks are shuffled, and base documents
 *      take chunks in that order, so within an epoch no two base documents
 *      share a sentence; the next epoch cuts and shuffles afresh.  A base doc
 *      has a target length drawn from a triangular distribution on
 *      [min-bytes, max-bytes] whose mean is mean-bytes.
 *   3. Each output document is, with probability --variants, a variant of a
 *      base document taken from a bounded set of earlier bases: the most
 *      recent --pool bases (often the last 64) plus a --reservoir uniform
 *      sample of all earlier bases (so some variants land far later than
 *      their base).  Memory stays constant whatever --docs is.
 *   4. Variant kinds: exact, reformat, edit02, edit05, edit10, edit20,
 *      truncate, lede, boilerplate, reorder, mix:<a>+<b>.
 *
 * Output: one JSON object per line,
 *   {"id":"d0000001","text":"...","source":"outlet-17","date":"2026-01-05"}
 * and, with --truth, a TSV "id<TAB>origin<TAB>kind" with one row per variant.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Wshadow -Wconversion \
 *            -o bench/out/datagen bench/datagen.c -lxxhash
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* small utilities                                                     */

static const char *g_prog = "datagen";

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", g_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory (%zu bytes)", n);
    return q;
}

typedef struct {
    char *p;
    size_t n, cap;
} buf_t;

static void buf_grow(buf_t *b, size_t extra)
{
    size_t c = b->cap ? b->cap : 256;
    while (c < b->n + extra)
        c *= 2;
    b->p = xrealloc(b->p, c);
    b->cap = c;
}

static inline void buf_reserve(buf_t *b, size_t extra)
{
    if (b->n + extra > b->cap)
        buf_grow(b, extra);
}

static inline void buf_add(buf_t *b, const void *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static inline void buf_addc(buf_t *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->n++] = c;
}

static inline void buf_adds(buf_t *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_free(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

static inline bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_alpha(unsigned char c) { return is_upper(c) || is_lower(c); }
static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_alnum(unsigned char c) { return is_alpha(c) || is_digit(c); }
static inline bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline char to_lower(char c) { return is_upper((unsigned char)c) ? (char)(c + 32) : c; }
static inline char to_upper(char c) { return is_lower((unsigned char)c) ? (char)(c - 32) : c; }

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64 to seed, xoshiro256** to draw                      */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return out;
}

/* uniform integer in [0, n) (n > 0) */
static inline uint64_t rng_below(rng_t *r, uint64_t n)
{
    /* high 64 bits of the 128-bit product rng * n, in portable C */
    uint64_t x = rng_next(r);
    uint64_t xl = x & 0xffffffffu, xh = x >> 32, nl = n & 0xffffffffu, nh = n >> 32;
    uint64_t ll = xl * nl, lh = xl * nh, hl = xh * nl, hh = xh * nh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static inline size_t rng_idx(rng_t *r, size_t n) { return (size_t)rng_below(r, (uint64_t)n); }

static inline double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

static inline bool rng_chance(rng_t *r, double p) { return rng_unif(r) < p; }

/* ------------------------------------------------------------------ */
/* hash set of 64-bit keys (0 is reserved for "empty")                 */

typedef struct {
    uint64_t *k;
    size_t cap, n;
} hset_t;

static bool hset_add(hset_t *h, uint64_t key)
{
    if (key == 0)
        key = 1;
    if ((h->n + 1) * 2 > h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 1024;
        uint64_t *nk = calloc(nc, sizeof *nk);
        if (!nk)
            die("out of memory");
        for (size_t i = 0; i < h->cap; i++) {
            if (!h->k[i])
                continue;
            size_t j = (size_t)(h->k[i] & (nc - 1));
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = h->k[i];
        }
        free(h->k);
        h->k = nk;
        h->cap = nc;
    }
    size_t j = (size_t)(key & (h->cap - 1));
    while (h->k[j]) {
        if (h->k[j] == key)
            return false;
        j = (j + 1) & (h->cap - 1);
    }
    h->k[j] = key;
    h->n++;
    return true;
}

static void hset_free(hset_t *h)
{
    free(h->k);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------------ */
/* source text: sentence store and vocabulary                          */

typedef struct {
    uint32_t off;  /* into g_text */
    uint32_t len;
    uint32_t rec;  /* source record number */
    uint32_t ev;   /* its first "renewal" event in g_ev */
} sent_t;

/* renewal events of the sentences: numbers to redraw, names to replace */
typedef struct {
    uint16_t pos;
    uint8_t len;
    uint8_t name; /* 0 = digits, 1 = capitalised word */
    uint64_t key; /* hash of the word */
} event_t;

static event_t *g_ev;
static size_t g_nev, g_capev;

static buf_t g_text;          /* kept sentences, back to back */
static sent_t *g_sent;
static size_t g_nsent, g_capsent;
static uint32_t g_nrec;       /* records seen */
static hset_t g_sent_seen;    /* dedupe of sentences */
static size_t g_sent_dups, g_sent_dropped;

/* vocabulary: distinct lowercase words (for edits) and distinct
 * capitalised mid-sentence words, mostly names (for renewing text) */
typedef struct {
    uint32_t *off;
    uint8_t *len;
    size_t n, cap;
    hset_t seen;
} wordlist_t;

static buf_t g_vtext; /* the words of both lists, back to back */
static wordlist_t g_vocab, g_names;

static void wordlist_add(wordlist_t *wl, const char *w, size_t n)
{
    if (!hset_add(&wl->seen, XXH3_64bits(w, n)))
        return;
    if (wl->n == wl->cap) {
        wl->cap = wl->cap ? wl->cap * 2 : 4096;
        wl->off = xrealloc(wl->off, wl->cap * sizeof *wl->off);
        wl->len = xrealloc(wl->len, wl->cap);
    }
    wl->off[wl->n] = (uint32_t)g_vtext.n;
    wl->len[wl->n] = (uint8_t)n;
    wl->n++;
    buf_add(&g_vtext, w, n);
}

static void wordlist_free(wordlist_t *wl)
{
    free(wl->off);
    free(wl->len);
    hset_free(&wl->seen);
}

static bool g_rec_has_sent;   /* current record kept at least one sentence */

static void vocab_add_words(const char *s, size_t n)
{
    size_t i = 0;
    bool first = true;
    while (i < n) {
        if (!is_alpha((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_alpha((unsigned char)s[j]))
            j++;
        /* whole word of 3..16 letters, not glued to digits etc. */
        bool ok = j - i >= 3 && j - i <= 16;
        if (ok && i > 0 && !is_space((unsigned char)s[i - 1]) && s[i - 1] != '"')
            ok = false;
        if (ok && j < n && !(is_space((unsigned char)s[j]) || s[j] == ',' || s[j] == '.' ||
                             s[j] == ';' || s[j] == ':'))
            ok = false;
        size_t up = 0;
        for (size_t k = i; k < j; k++)
            up += is_upper((unsigned char)s[k]);
        if (ok && up == 0)
            wordlist_add(&g_vocab, s + i, j - i);
        else if (ok && up == 1 && is_upper((unsigned char)s[i]) && !first && i >= 2 &&
                 s[i - 1] == ' ' && s[i - 2] != '.' && s[i - 2] != ':')
            wordlist_add(&g_names, s + i, j - i);
        first = false;
        i = j;
    }
}

static const char *const k_abbrev[] = {
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Co", "Corp", "Inc", "Ltd", "Bros",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Gen", "Gov", "Sen", "Rep", "Rev", "Prof", "No", "Nos", "Mt", "Ft", "Lt", "Col",
    "Capt", "Sgt", "Maj", "Cmdr", "Adm", "vs", "etc", "Fig", "Dept", "Univ", "Assn",
    "Ave", "Blvd", "approx", "Ph", "ca", "cf", "al", "viz", "Messrs", "Mme", "Op", "Vol",
    NULL};

static bool is_abbrev(const char *w, size_t n)
{
    if (n == 0)
        return false;
    if (n == 1 && is_alpha((unsigned char)w[0]))
        return true; /* initial: "J." */
    for (size_t i = 0; i < n; i++)
        if (w[i] == '.')
            return true; /* "U.S", "e.g" */
    for (int i = 0; k_abbrev[i]; i++)
        if (strlen(k_abbrev[i]) == n && memcmp(k_abbrev[i], w, n) == 0)
            return true;
    return false;
}

static bool has_sub(const char *s, size_t n, const char *t, size_t tn)
{
    if (tn == 0 || tn > n)
        return tn == 0;
    for (const char *p = s; (p = memchr(p, t[0], (size_t)(s + n - p))) && p + tn <= s + n; p++)
        if (memcmp(p, t, tn) == 0)
            return true;
    return false;
}

/* does the sentence look like running prose? */
static bool sentence_ok(const char *s, size_t n)
{
    if (n < 25 || n > 600)
        return false;
    size_t words = 1, letters = 0, upper = 0, digits = 0, nonspace = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ') {
            words++;
            continue;
        }
        nonspace++;
        if (is_alpha(c)) {
            letters++;
            if (is_upper(c))
                upper++;
        } else if (is_digit(c)) {
            digits++;
        } else if (c >= 0x80) {
            letters++; /* count non-ASCII as letters */
        } else if (strchr("<>{}|\\=#*_`~^[]@$", c)) {
            return false; /* code, markup, tables, addresses */
        }
    }
    if (words < 5 || words > 70)
        return false;
    if (letters * 10 < nonspace * 7 || digits * 100 > nonspace * 15)
        return false;
    if (upper * 100 > letters * 35)
        return false;
    if (has_sub(s, n, "...", 3) || has_sub(s, n, ". . .", 5) || has_sub(s, n, "--", 2) ||
        has_sub(s, n, "http", 4) || has_sub(s, n, "www.", 4))
        return false;
    /* starts like a sentence */
    size_t i = 0;
    while (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '(' ||
                     (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                      ((unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x98))))
        i += (unsigned char)s[i] == 0xE2 ? 3 : 1;
    if (i >= n || !(is_upper((unsigned char)s[i]) || is_digit((unsigned char)s[i])))
        return false;
    /* ends like a sentence */
    size_t e = n;
    while (e > 0 && (s[e - 1] == '"' || s[e - 1] == '\'' || s[e - 1] == ')' ||
                     (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
                      ((unsigned char)s[e - 1] == 0x9D || (unsigned char)s[e - 1] == 0x99))))
        e -= ((unsigned char)s[e - 1] == 0x9D || (unsigned char)s[e - 1] == 0x99) ? 3 : 1;
    if (e == 0 || !(s[e - 1] == '.' || s[e - 1] == '!' || s[e - 1] == '?'))
        return false;
    /* balanced straight double quotes */
    size_t q = 0;
    for (size_t k = 0; k < n; k++)
        q += s[k] == '"';
    if (q & 1)
        return false;
    return true;
}

static void push_event(size_t pos, size_t len, bool name, uint64_t key)
{
    if (g_nev == g_capev) {
        g_capev = g_capev ? g_capev * 2 : 65536;
        g_ev = xrealloc(g_ev, g_capev * sizeof *g_ev);
    }
    g_ev[g_nev].pos = (uint16_t)pos;
    g_ev[g_nev].len = (uint8_t)len;
    g_ev[g_nev].name = name;
    g_ev[g_nev].key = key;
    g_nev++;
}

/* Record where a sentence has numbers (not years 19xx/20xx, not glued to
 * letters or '/') and capitalised mid-sentence words of 3..16 letters. */
static void find_events(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit(c)) {
            size_t j = i;
            while (j < n && is_digit((unsigned char)s[j]))
                j++;
            bool year = j - i == 4 && ((s[i] == '1' && s[i + 1] == '9') ||
                                       (s[i] == '2' && s[i + 1] == '0'));
            bool glued = (i > 0 && (is_alpha((unsigned char)s[i - 1]) || s[i - 1] == '/')) ||
                         (j < n && (is_alpha((unsigned char)s[j]) || s[j] == '/'));
            if (!year && !glued && j - i <= 12)
                push_event(i, j - i, false, 0);
            i = j;
            continue;
        }
        if (is_upper(c) && i >= 2 && s[i - 1] == ' ' && s[i - 2] != '.' && s[i - 2] != ':') {
            size_t j = i + 1;
            while (j < n && is_lower((unsigned char)s[j]))
                j++;
            bool cand = j - i >= 3 && j - i <= 16 &&
                        !(j < n && (is_alnum((unsigned char)s[j]) || s[j] == '-' ||
                                    (unsigned char)s[j] >= 0x80 ||
                                    (s[j] == '.' && j + 1 < n && s[j + 1] != ' ')));
            if (cand)
                push_event(i, j - i, true, XXH3_64bits(s + i, j - i));
            i = j;
            continue;
        }
        i++;
    }
}

static void add_sentence(const char *s, size_t n)
{
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (!sentence_ok(s, n)) {
        g_sent_dropped++;
        return;
    }
    /* dedupe on lowercase letters and digits only */
    char key[640];
    size_t kn = 0;
    for (size_t i = 0; i < n && kn < sizeof key; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_alnum(c) || c >= 0x80)
            key[kn++] = to_lower((char)c);
    }
    if (!hset_add(&g_sent_seen, XXH3_64bits(key, kn))) {
        g_sent_dups++;
        return;
    }
    if (g_text.n + n > UINT32_MAX)
        die("source text too large (more than 4 GB of sentences)");
    if (g_nsent == g_capsent) {
        g_capsent = g_capsent ? g_capsent * 2 : 4096;
        g_sent = xrealloc(g_sent, g_capsent * sizeof *g_sent);
    }
    g_sent[g_nsent].off = (uint32_t)g_text.n;
    g_sent[g_nsent].len = (uint32_t)n;
    g_sent[g_nsent].rec = g_nrec;
    g_sent[g_nsent].ev = (uint32_t)g_nev;
    g_nsent++;
    g_rec_has_sent = true;
    buf_add(&g_text, s, n);
    vocab_add_words(s, n);
    find_events(s, n);
}

static bool is_month_word(const char *w, size_t n)
{
    static const char *const months[] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
        "Dec", "January", "February", "March", "April", "June", "July", "August",
        "September", "October", "November", "December", NULL};
    while (n && (w[n - 1] == '.' || w[n - 1] == ','))
        n--;
    for (int i = 0; months[i]; i++) {
        if (strlen(months[i]) != n)
            continue;
        size_t k = 0;
        while (k < n && to_lower(months[i][k]) == to_lower(w[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/* length of a "NEW YORK, March 2 - " dateline at the start of p, or 0:
 * a short prefix ending in "<month> <day>" before " - " */
static size_t dateline_len(const char *p, size_t n)
{
    size_t lim = n < 80 ? n : 80;
    size_t dash = 0;
    for (size_t i = 1; i + 2 < lim; i++)
        if (p[i] == ' ' && p[i + 1] == '-' && (p[i + 2] == ' ' || p[i + 2] == '-')) {
            dash = i;
            break;
        }
    if (!dash)
        return 0;
    size_t caps = 0, lows = 0;
    for (size_t i = 0; i < dash; i++) {
        caps += is_upper((unsigned char)p[i]);
        lows += is_lower((unsigned char)p[i]);
    }
    if (caps >= 3 && lows == 0) { /* "NEW YORK - " */
        size_t k = dash + 2;
        while (k < n && (p[k] == '-' || p[k] == ' '))
            k++;
        return k;
    }
    size_t e = dash; /* day number */
    size_t b = e;
    while (b > 0 && is_digit((unsigned char)p[b - 1]))
        b--;
    if (b == e || e - b > 2 || b < 2 || p[b - 1] != ' ')
        return 0;
    size_t me = b - 1, mb = me; /* month word */
    while (mb > 0 && p[mb - 1] != ' ')
        mb--;
    if (!is_month_word(p + mb, me - mb))
        return 0;
    if (mb > 0 && p[mb - 1] != ' ')
        return 0;
    size_t k = dash + 2;
    while (k < n && (p[k] == '-' || p[k] == ' '))
        k++;
    return k;
}

static inline bool is_close_quote(const char *p, size_t n, size_t j, size_t *len)
{
    unsigned char c = (unsigned char)p[j];
    if (c == '"' || c == '\'' || c == ')') {
        *len = 1;
        return true;
    }
    if (c == 0xE2 && j + 2 < n && (unsigned char)p[j + 1] == 0x80 &&
        ((unsigned char)p[j + 2] == 0x9D || (unsigned char)p[j + 2] == 0x99)) {
        *len = 3;
        return true;
    }
    return false;
}

static void add_paragraph(const char *p, size_t n)
{
    if (n == 0)
        return;
    size_t d = dateline_len(p, n);
    p += d;
    n -= d;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c != '.' && c != '!' && c != '?')
            continue;
        size_t j = i + 1, ql;
        while (j < n && is_close_quote(p, n, j, &ql))
            j += ql;
        if (j >= n)
            break;
        if (p[j] != ' ' || j + 1 >= n)
            continue;
        size_t k = j + 1;
        while (k < n && (p[k] == '"' || p[k] == '\'' || p[k] == '(' ||
                         ((unsigned char)p[k] == 0xE2 && k + 2 < n)))
            k += (unsigned char)p[k] == 0xE2 ? 3 : 1;
        if (k >= n || !(is_upper((unsigned char)p[k]) || is_digit((unsigned char)p[k])))
            continue;
        if (c == '.') {
            size_t w = i;
            while (w > start && p[w - 1] != ' ' && p[w - 1] != '(' && p[w - 1] != '"')
                w--;
            if (is_abbrev(p + w, i - w))
                continue;
        }
        add_sentence(p + start, j - start);
        start = j + 1;
        i = j;
    }
    if (start < n)
        add_sentence(p + start, n - start);
}

/* Clean one record: valid UTF-8 only, \r and controls handled, &lt; &gt;
 * &amp; &quot; decoded, "<Company Name>" markers unwrapped. */
static void clean_text(const char *s, size_t n, buf_t *out)
{
    out->n = 0;
    buf_reserve(out, n + 16);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '\r') {
                if (i + 1 < n && s[i + 1] == '\n')
                    i++;
                buf_addc(out, '\n');
                i++;
                continue;
            }
            if (c == '&') {
                static const struct {
                    const char *ent;
                    char ch;
                } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'},
                            {"&#39;", '\''}, {"&#3;", ' '}, {"&#2;", ' '}};
                bool hit = false;
                for (size_t e = 0; e < sizeof ents / sizeof ents[0]; e++) {
                    size_t el = strlen(ents[e].ent);
                    if (i + el <= n && memcmp(s + i, ents[e].ent, el) == 0) {
                        buf_addc(out, ents[e].ch);
                        i += el;
                        hit = true;
                        break;
                    }
                }
                if (hit)
                    continue;
            }
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\f')
                c = ' ';
            if (c == 0x7f)
                c = ' ';
            buf_addc(out, (char)c);
            i++;
            continue;
        }
        size_t len = 0;
        uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        }
        bool ok = len && i + len <= n;
        for (size_t k = 1; ok && k < len; k++) {
            unsigned char cc = (unsigned char)s[i + k];
            if ((cc & 0xC0) != 0x80)
                ok = false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            buf_add(out, "\xEF\xBF\xBD", 3);
            i++;
            continue;
        }
        if (cp == 0xA0 || cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp < 0xA0)) {
            buf_addc(out, cp == 0x2029 ? '\n' : ' ');
        } else {
            buf_add(out, s + i, len);
        }
        i += len;
    }
    /* unwrap <Name> markers (Reuters marks company names so) */
    size_t w = 0;
    for (size_t r = 0; r < out->n; r++) {
        char c = out->p[r];
        if (c == '<') {
            size_t k = r + 1;
            while (k < out->n && k < r + 80 && out->p[k] != '>' && out->p[k] != '<' &&
                   out->p[k] != '\n')
                k++;
            if (k < out->n && out->p[k] == '>' && k > r + 1) {
                memmove(out->p + w, out->p + r + 1, k - r - 1);
                w += k - r - 1;
                r = k;
                continue;
            }
        }
        out->p[w++] = c;
    }
    out->n = w;
}

static void add_record(const char *s, size_t n)
{
    static buf_t clean, para;
    clean_text(s, n, &clean);
    para.n = 0;
    const char *p = clean.p, *end = clean.p + clean.n;
    g_rec_has_sent = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *a = p, *b = le;
        while (a < b && is_space((unsigned char)*a))
            a++;
        while (b > a && is_space((unsigned char)b[-1]))
            b--;
        bool indented = a > p;
        if (a == b) { /* blank line */
            add_paragraph(para.p, para.n);
            para.n = 0;
        } else {
            bool low = false, up = false;
            for (const char *q = a; q < b; q++) {
                if (is_lower((unsigned char)*q))
                    low = true;
                else if (is_upper((unsigned char)*q))
                    up = true;
            }
            if (up && !low && b - a < 120) { /* ALL-CAPS heading line */
                add_paragraph(para.p, para.n);
                para.n = 0;
            } else {
                if (indented) {
                    add_paragraph(para.p, para.n);
                    para.n = 0;
                }
                if (para.n)
                    buf_addc(&para, ' ');
                bool sp = false;
                for (const char *q = a; q < b; q++) {
                    if (*q == ' ' || *q == '\t' || *q == '\f' || *q == '\v') {
                        sp = true;
                        continue;
                    }
                    if (sp)
                        buf_addc(&para, ' ');
                    sp = false;
                    buf_addc(&para, *q);
                }
            }
        }
        p = le + (nl ? 1 : 0);
    }
    add_paragraph(para.p, para.n);
    if (g_rec_has_sent)
        g_nrec++;
}

/* ---- minimal JSON reading for .jsonl sources ---- */

static void put_utf8(buf_t *b, uint32_t cp)
{
    char t[4];
    if (cp < 0x80) {
        buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 4);
    }
}

static int hex4(const char *p, const char *end, uint32_t *v)
{
    if (end - p < 4)
        return -1;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)p[i];
        uint32_t d;
        if (is_digit(c))
            d = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            return -1;
        x = x * 16 + d;
    }
    *v = x;
    return 0;
}

/* parse a JSON string at *pp (pointing at the opening quote); decoded UTF-8
 * goes to out when out != NULL.  Returns 0 on success. */
static int json_string(const char **pp, const char *end, buf_t *out)
{
    const char *p = *pp;
    if (p >= end || *p != '"')
        return -1;
    p++;
    while (p < end) {
        const char *run = p;
        while (p < end && *p != '"' && *p != '\\')
            p++;
        if (out)
            buf_add(out, run, (size_t)(p - run));
        if (p >= end)
            return -1;
        if (*p == '"') {
            *pp = p + 1;
            return 0;
        }
        p++; /* backslash */
        if (p >= end)
            return -1;
        char e = *p++;
        char ch;
        switch (e) {
        case 'n': ch = '\n'; break;
        case 't': ch = '\t'; break;
        case 'r': ch = '\r'; break;
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case '/': ch = '/'; break;
        case '"': ch = '"'; break;
        case '\\': ch = '\\'; break;
        case 'u': {
            uint32_t cp;
            if (hex4(p, end, &cp))
                return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && !hex4(p + 2, end, &lo) &&
                    lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            if (out)
                put_utf8(out, cp);
            continue;
        }
        default:
            return -1;
        }
        if (out)
            buf_addc(out, ch);
    }
    return -1;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_space((unsigned char)*p))
        p++;
    return p;
}

static int json_skip_value(const char **pp, const char *end)
{
    const char *p = *pp;
    if (p >= end)
        return -1;
    if (*p == '"')
        return json_string(pp, end, NULL);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (p < end) {
            if (*p == '"') {
                if (json_string(&p, end, NULL))
                    return -1;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if (*p == '}' || *p == ']') {
                if (--depth == 0) {
                    *pp = p + 1;
                    return 0;
                }
            }
            p++;
        }
        return -1;
    }
    while (p < end && *p != ',' && *p != '}' && *p != ']' && !is_space((unsigned char)*p))
        p++;
    if (p == *pp)
        return -1;
    *pp = p;
    return 0;
}

/* extract the top-level "text" string of one JSON object line */
static int json_text_field(const char *p, const char *end, buf_t *out)
{
    static buf_t key;
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return -1;
    p++;
    for (;;) {
        p = skip_ws(p, end);
        if (p < end && *p == '}')
            return -1;
        key.n = 0;
        if (json_string(&p, end, &key))
            return -1;
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return -1;
        p = skip_ws(p + 1, end);
        if (key.n == 4 && memcmp(key.p, "text", 4) == 0 && p < end && *p == '"') {
            out->n = 0;
            return json_string(&p, end, out);
        }
        if (json_skip_value(&p, end))
            return -1;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        return -1;
    }
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void read_all(const char *path, buf_t *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    b->n = 0;
    for (;;) {
        buf_reserve(b, 1 << 20);
        size_t got = fread(b->p + b->n, 1, b->cap - b->n, f);
        b->n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("error reading %s", path);
    if (f != stdin)
        fclose(f);
}

static void load_source(const char *path)
{
    buf_t raw = {0}, txt = {0};
    read_all(path, &raw);
    const char *p = raw.p, *end = raw.p + raw.n;
    if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson") || has_suffix(path, ".json")) {
        size_t bad = 0, lineno = 0;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            lineno++;
            const char *a = skip_ws(p, le);
            if (a < le) {
                if (json_text_field(a, le, &txt) == 0)
                    add_record(txt.p, txt.n);
                else
                    bad++;
            }
            p = le + (nl ? 1 : 0);
        }
        if (bad)
            fprintf(stderr, "%s: %s: %zu of %zu lines had no readable \"text\" string\n", g_prog,
                    path, bad, lineno);
    } else {
        /* a form feed separates records */
        while (p < end) {
            const char *ff = memchr(p, '\f', (size_t)(end - p));
            const char *re = ff ? ff : end;
            add_record(p, (size_t)(re - p));
            p = re + (ff ? 1 : 0);
        }
    }
    buf_free(&raw);
    buf_free(&txt);
}

/* ------------------------------------------------------------------ */
/* chunks and base documents                                           */

typedef struct {
    uint32_t first;
    uint32_t count;
} chunk_t;

static chunk_t *g_chunks;
static size_t g_nchunks, g_chunk_pos;
static uint64_t g_epochs;

static void new_epoch(rng_t *r)
{
    if (!g_chunks)
        g_chunks = xrealloc(NULL, (g_nsent + 1) * sizeof *g_chunks);
    g_nchunks = 0;
    size_t i = 0;
    while (i < g_nsent) {
        uint64_t u = rng_below(r, 100);
        uint32_t want = u < 30 ? 1 : u < 65 ? 2 : u < 90 ? 3 : 4;
        uint32_t c = 1;
        while (c < want && i + c < g_nsent && g_sent[i + c].rec == g_sent[i].rec)
            c++;
        g_chunks[g_nchunks].first = (uint32_t)i;
        g_chunks[g_nchunks].count = c;
        g_nchunks++;
        i += c;
    }
    for (size_t k = g_nchunks; k > 1; k--) {
        size_t j = rng_idx(r, k);
        chunk_t t = g_chunks[k - 1];
        g_chunks[k - 1] = g_chunks[j];
        g_chunks[j] = t;
    }
    g_chunk_pos = 0;
    g_epochs++;
}

static const chunk_t *next_chunk(rng_t *r)
{
    if (g_chunk_pos >= g_nchunks)
        new_epoch(r);
    return &g_chunks[g_chunk_pos++];
}

static size_t chunk_bytes(const chunk_t *c)
{
    size_t n = 0;
    for (uint32_t k = 0; k < c->count; k++)
        n += g_sent[c->first + k].len + 1;
    return n - 1;
}

static void append_sentences(buf_t *b, size_t first, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        const sent_t *s = &g_sent[first + k];
        if (k)
            buf_addc(b, ' ');
        buf_add(b, g_text.p + s->off, s->len);
    }
}

/* After the first epoch every sentence has been used already, so the text
 * of a base document is "renewed" as it is copied: numbers get new digits
 * (years 19xx/20xx are kept) and 60 % of the capitalised mid-sentence words
 * (mostly names) are replaced by other such words from the source, the same
 * replacement throughout one document.  Sentences come back in new
 * combinations and with new details, so base documents stay far apart even
 * when the source is small next to the output. */
typedef struct {
    uint64_t key;
    uint32_t name; /* index into g_names, or UINT32_MAX = keep */
} rename_t;

static rename_t *g_ren;
static size_t g_nren, g_capren;

static uint32_t rename_of(rng_t *r, uint64_t key)
{
    for (size_t m = 0; m < g_nren; m++)
        if (g_ren[m].key == key)
            return g_ren[m].name;
    if (g_nren == g_capren) {
        g_capren = g_capren ? g_capren * 2 : 256;
        g_ren = xrealloc(g_ren, g_capren * sizeof *g_ren);
    }
    g_ren[g_nren].key = key;
    g_ren[g_nren].name = rng_chance(r, 0.6) ? (uint32_t)rng_idx(r, g_names.n) : UINT32_MAX;
    return g_ren[g_nren++].name;
}

static void append_renewed(rng_t *r, buf_t *b, size_t first, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t si = first + k;
        const sent_t *st = &g_sent[si];
        const char *s = g_text.p + st->off;
        size_t n = st->len, run = 0; /* s[run..event) still to copy */
        size_t e0 = st->ev, e1 = si + 1 < g_nsent ? g_sent[si + 1].ev : g_nev;
        if (k)
            buf_addc(b, ' ');
        buf_reserve(b, n + 64);
        for (size_t e = e0; e < e1; e++) {
            const event_t *ev = &g_ev[e];
            if (ev->name) {
                if (!g_names.n)
                    continue;
                uint32_t nm = rename_of(r, ev->key);
                if (nm == UINT32_MAX)
                    continue;
                buf_add(b, s + run, ev->pos - run);
                buf_add(b, g_vtext.p + g_names.off[nm], g_names.len[nm]);
            } else {
                buf_add(b, s + run, ev->pos - run);
                buf_reserve(b, ev->len);
                char *o = b->p + b->n;
                uint64_t x = rng_next(r);
                for (size_t q = 0; q < ev->len; q++) {
                    if (q == 0 && ev->len > 1 && s[ev->pos] != '0') {
                        o[q] = (char)('1' + rng_below(r, 9));
                    } else {
                        o[q] = (char)('0' + x % 10);
                        x /= 10;
                    }
                }
                b->n += ev->len;
            }
            run = (size_t)ev->pos + ev->len;
        }
        buf_add(b, s + run, n - run);
    }
}

typedef struct {
    size_t minb, meanb, maxb;
    double mode;
} lenspec_t;

static size_t draw_length(rng_t *r, const lenspec_t *L)
{
    /* triangular on [min, max] with mode c: (1-c)*min(U1,U2) + c*max(U1,U2)
     * for c in [0,1] is triangular on [0,1] with mode c */
    double span = (double)(L->maxb - L->minb);
    double c = (L->mode - (double)L->minb) / span;
    double u1 = rng_unif(r), u2 = rng_unif(r);
    double lo = u1 < u2 ? u1 : u2, hi = u1 < u2 ? u2 : u1;
    return L->minb + (size_t)(span * ((1 - c) * lo + c * hi));
}

static void append_chunk(rng_t *r, buf_t *doc, const chunk_t *c)
{
    if (g_epochs > 1)
        append_renewed(r, doc, c->first, c->count);
    else
        append_sentences(doc, c->first, c->count);
}

/* Base documents are kept in canonical form: paragraphs separated by one
 * '\n', sentences inside a paragraph by one space. */
static void make_base(rng_t *r, const lenspec_t *L, buf_t *doc)
{
    doc->n = 0;
    g_nren = 0;
    size_t target = draw_length(r, L);
    for (;;) {
        const chunk_t *c = next_chunk(r);
        size_t add = chunk_bytes(c) + (doc->n ? 1 : 0);
        if (doc->n && doc->n + add > target) {
            size_t over = doc->n + add - target, under = target - doc->n;
            if (doc->n >= L->minb && (over > under || doc->n + add > L->maxb)) {
                g_chunk_pos--; /* leave the chunk for the next document */
                break;
            }
            buf_addc(doc, '\n');
            append_chunk(r, doc, c);
            break;
        }
        if (doc->n)
            buf_addc(doc, '\n');
        append_chunk(r, doc, c);
        if (doc->n >= target)
            break;
    }
}

/* ------------------------------------------------------------------ */
/* pool of earlier base documents                                      */

typedef struct {
    buf_t text;
    uint64_t num;
    int64_t day;
    uint32_t outlet;
} base_t;

static base_t *g_ring, *g_resv;
static size_t g_ring_cap, g_ring_n, g_ring_next, g_resv_cap, g_resv_n;
static uint64_t g_bases;

static void base_set(base_t *d, const buf_t *text, uint64_t num, int64_t day, uint32_t outlet)
{
    d->text.n = 0;
    buf_add(&d->text, text->p, text->n);
    d->num = num;
    d->day = day;
    d->outlet = outlet;
}

static void remember_base(rng_t *r, const buf_t *text, uint64_t num, int64_t day, uint32_t outlet)
{
    if (g_ring_cap) {
        base_set(&g_ring[g_ring_next], text, num, day, outlet);
        g_ring_next = (g_ring_next + 1) % g_ring_cap;
        if (g_ring_n < g_ring_cap)
            g_ring_n++;
    }
    if (g_resv_cap) { /* reservoir sample of all bases so far */
        if (g_resv_n < g_resv_cap) {
            base_set(&g_resv[g_resv_n++], text, num, day, outlet);
        } else {
            uint64_t j = rng_below(r, g_bases + 1);
            if (j < g_resv_cap)
                base_set(&g_resv[j], text, num, day, outlet);
        }
    }
    g_bases++;
}

#define RECENT 64

static const base_t *pick_origin(rng_t *r)
{
    double u = rng_unif(r);
    if (g_resv_n && (u < 0.15 || g_ring_n == 0))
        return &g_resv[rng_idx(r, g_resv_n)];
    if (!g_ring_n)
        return NULL;
    size_t span = u < 0.45 ? g_ring_n : (g_ring_n < RECENT ? g_ring_n : RECENT);
    size_t back = rng_idx(r, span);
    return &g_ring[(g_ring_next + g_ring_cap - 1 - back) % g_ring_cap];
}

/* ------------------------------------------------------------------ */
/* variant kinds                                                       */

enum {
    K_EXACT,
    K_REFORMAT,
    K_EDIT02,
    K_EDIT05,
    K_EDIT10,
    K_EDIT20,
    K_TRUNCATE,
    K_LEDE,
    K_BOILER,
    K_REORDER,
    K_MIX,
    NKIND
};

static const char *const k_kind_name[NKIND] = {
    "exact", "reformat", "edit02", "edit05", "edit10", "edit20",
    "truncate", "lede", "boilerplate", "reorder", "mix"};

/* kinds that a mix combines (at most one edit kind per mix) */
static const int k_mixable[] = {K_REFORMAT, K_EDIT02, K_EDIT05, K_EDIT10,
                                K_TRUNCATE, K_LEDE, K_BOILER, K_REORDER};
#define NMIXABLE ((int)(sizeof k_mixable / sizeof k_mixable[0]))

static bool is_edit(int k) { return k >= K_EDIT02 && k <= K_EDIT20; }

static double edit_rate(int k)
{
    switch (k) {
    case K_EDIT02: return 0.02;
    case K_EDIT05: return 0.05;
    case K_EDIT10: return 0.10;
    default: return 0.20;
    }
}

/* a replacement word: half the time any vocabulary word, half the time a
 * word at a random place in the source (so frequent words come often) */
static void pick_word(rng_t *r, const char **w, size_t *n)
{
    if (g_vocab.n && rng_chance(r, 0.5)) {
        size_t k = rng_idx(r, g_vocab.n);
        *w = g_vtext.p + g_vocab.off[k];
        *n = g_vocab.len[k];
        return;
    }
    for (int tries = 0; tries < 16; tries++) {
        const sent_t *s = &g_sent[rng_idx(r, g_nsent)];
        const char *t = g_text.p + s->off;
        size_t pos = rng_idx(r, s->len);
        while (pos > 0 && is_alpha((unsigned char)t[pos - 1]))
            pos--;
        if (!is_alpha((unsigned char)t[pos]))
            continue;
        size_t e = pos;
        while (e < s->len && is_alpha((unsigned char)t[e]))
            e++;
        if (e - pos > 20)
            continue;
        *w = t + pos;
        *n = e - pos;
        return;
    }
    if (g_vocab.n) {
        *w = g_vtext.p + g_vocab.off[0];
        *n = g_vocab.len[0];
    } else {
        *w = "the";
        *n = 3;
    }
}

static void add_word_cased(buf_t *b, const char *w, size_t n, const char *like, size_t ln)
{
    bool cap = ln && is_upper((unsigned char)like[0]);
    bool all = cap && ln > 1;
    for (size_t i = 0; all && i < ln; i++)
        if (is_lower((unsigned char)like[i]))
            all = false;
    for (size_t i = 0; i < n; i++)
        buf_addc(b, all || (cap && i == 0) ? to_upper(w[i]) : w[i]);
}

static inline bool is_wordch(unsigned char c) { return is_alnum(c) || c >= 0x80; }

/* substitute / insert / delete words, each token with probability p */
static void op_edit(rng_t *r, const buf_t *in, buf_t *out, double p)
{
    out->n = 0;
    buf_reserve(out, in->n + in->n / 2 + 64);
    const char *s = in->p;
    size_t n = in->n, i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != ' ' && s[e] != '\n')
            e++;
        char sep = e < n ? s[e] : 0;
        const char *tok = s + i;
        size_t tn = e - i;
        i = e + (sep ? 1 : 0);
        if (tn && rng_chance(r, p)) {
            size_t a = 0, b = tn;
            while (a < tn && !is_wordch((unsigned char)tok[a]))
                a++;
            while (b > a && !is_wordch((unsigned char)tok[b - 1]))
                b--;
            if (a < b) {
                uint64_t op = rng_below(r, 4); /* 0,1 substitute; 2 insert; 3 delete */
                const char *w;
                size_t wn;
                if (op == 3 && a == 0 && b == tn && out->n && out->p[out->n - 1] == ' ') {
                    if (sep == '\n')
                        out->p[out->n - 1] = '\n';
                    else if (!sep)
                        out->n--;
                    continue;
                }
                pick_word(r, &w, &wn);
                if (op == 2) {
                    if (b == tn) { /* after the token */
                        buf_add(out, tok, tn);
                        buf_addc(out, ' ');
                        buf_add(out, w, wn);
                    } else { /* before it */
                        buf_add(out, w, wn);
                        buf_addc(out, ' ');
                        buf_add(out, tok, tn);
                    }
                } else {
                    buf_add(out, tok, a);
                    add_word_cased(out, w, wn, tok + a, b - a);
                    buf_add(out, tok + b, tn - b);
                }
                if (sep)
                    buf_addc(out, sep);
                continue;
            }
        }
        buf_add(out, tok, tn);
        if (sep)
            buf_addc(out, sep);
    }
}

static bool sentence_end_before(const char *s, size_t k)
{
    /* s[k] is a space or newline; does a sentence end just before it? */
    if (k == 0)
        return false;
    unsigned char c = (unsigned char)s[k - 1];
    if (c == '.' || c == '!' || c == '?')
        return true;
    if ((c == '"' || c == '\'' || c == ')') && k >= 2)
        return s[k - 2] == '.' || s[k - 2] == '!' || s[k - 2] == '?';
    if ((c == 0x9D || c == 0x99) && k >= 4 && (unsigned char)s[k - 3] == 0xE2)
        return s[k - 4] == '.' || s[k - 4] == '!' || s[k - 4] == '?';
    return false;
}

/* cut the last 10-40 % at a sentence boundary near the target */
static void op_truncate(rng_t *r, const buf_t *in, buf_t *out)
{
    const char *s = in->p;
    size_t n = in->n;
    double f = 0.10 + 0.30 * rng_unif(r);
    size_t target = (size_t)((double)n * (1.0 - f));
    size_t cut = 0;
    for (size_t k = target; k > 0 && k + 600 > target; k--)
        if ((s[k] == ' ' || s[k] == '\n') && sentence_end_before(s, k)) {
            cut = k;
            break;
        }
    if (!cut)
        for (size_t k = target; k < n && k < target + 600; k++)
            if ((s[k] == ' ' || s[k] == '\n') && sentence_end_before(s, k)) {
                cut = k;
                break;
            }
    if (!cut)
        for (size_t k = target; k > 0; k--)
            if (s[k] == ' ' || s[k] == '\n') {
                cut = k;
                break;
            }
    if (!cut)
        cut = target ? target : n;
    out->n = 0;
    buf_add(out, s, cut);
}

/* prepend a new first paragraph of 1-3 source sentences */
static void op_lede(rng_t *r, const buf_t *in, buf_t *out)
{
    out->n = 0;
    size_t want = 1 + rng_idx(r, 3), s0 = rng_idx(r, g_nsent), c = 1;
    while (c < want && s0 + c < g_nsent && g_sent[s0 + c].rec == g_sent[s0].rec)
        c++;
    append_sentences(out, s0, c);
    buf_addc(out, '\n');
    buf_add(out, in->p, in->n);
}

static const char *const k_first[] = {
    "Anna", "David", "Maria", "James", "Sarah", "Michael", "Laura", "Daniel", "Elena",
    "Thomas", "Priya", "Kevin", "Sofia", "Peter", "Hannah", "Omar", "Julia", "Lucas",
    "Grace", "Victor", "Nadia", "Samuel", "Irene", "Paul", "Chloe", "Martin", "Yuki",
    "Carlos", "Fatima", "Robert", "Ingrid", "Tom", "Leila", "Andrew", "Marta", "Jon"};
static const char *const k_last[] = {
    "Smith", "Garcia", "Muller", "Rossi", "Novak", "Kowalski", "Tanaka", "Okafor",
    "Johansson", "Dubois", "Silva", "Kim", "Chen", "Patel", "Murphy", "Schmidt",
    "Ivanova", "Nguyen", "Haddad", "Larsen", "Moreau", "Costa", "Brennan", "Fischer",
    "Romano", "Walsh", "Horvath", "Yilmaz", "Andersen", "Reyes", "Baker", "Lindqvist"};
static const char *const k_city[] = {
    "LONDON", "NEW YORK", "PARIS", "TOKYO", "FRANKFURT", "SINGAPORE", "WASHINGTON",
    "BRUSSELS", "SYDNEY", "TORONTO", "MUMBAI", "SAO PAULO", "JOHANNESBURG", "MADRID",
    "SEOUL", "CHICAGO", "ZURICH", "HONG KONG", "MEXICO CITY", "STOCKHOLM", "NAIROBI",
    "DUBAI", "OSLO", "WARSAW"};
static const char *const k_ag1[] = {
    "Northern", "Global", "Pacific", "Atlantic", "Capital", "Union", "Metro",
    "Continental", "Eastern", "Western", "National", "Harbor", "Summit", "Meridian",
    "Liberty", "Coastal", "Central"};
static const char *const k_ag2[] = {"Press", "News", "Wire", "Media", "Herald",
                                    "Newswire", "Dispatch", "Report", "Times", "Bulletin"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *agency_part(uint32_t outlet, int part)
{
    if (part == 0)
        return k_ag1[(outlet * 7u + 3u) % NELEM(k_ag1)];
    return k_ag2[(outlet / NELEM(k_ag1) + outlet * 3u) % NELEM(k_ag2)];
}

static void add_agency(buf_t *b, uint32_t outlet)
{
    buf_adds(b, agency_part(outlet, 0));
    buf_addc(b, ' ');
    buf_adds(b, agency_part(outlet, 1));
}

static void add_person(rng_t *r, buf_t *b)
{
    buf_adds(b, k_first[rng_idx(r, NELEM(k_first))]);
    buf_addc(b, ' ');
    buf_adds(b, k_last[rng_idx(r, NELEM(k_last))]);
}

static void add_city_title(buf_t *b, const char *city)
{
    for (size_t i = 0; city[i]; i++)
        buf_addc(b, i == 0 || city[i - 1] == ' ' ? city[i] : to_lower(city[i]));
}

/* syndication boilerplate: dateline, credit line, copyright, trailers */
static void op_boiler(rng_t *r, const buf_t *in, buf_t *out, uint32_t outlet, int year)
{
    out->n = 0;
    bool dateline = rng_chance(r, 0.5), credit = rng_chance(r, 0.7),
         copyright = rng_chance(r, 0.6), trailer = rng_chance(r, 0.35);
    if (!credit && !copyright)
    {
        if (rng_chance(r, 0.5))
            credit = true;
        else
            copyright = true;
    }
    const char *city = k_city[rng_idx(r, NELEM(k_city))];
    if (dateline) {
        buf_adds(out, city);
        buf_adds(out, " (");
        add_agency(out, outlet);
        buf_adds(out, ") - ");
    }
    buf_add(out, in->p, in->n);
    if (credit) {
        uint64_t v = rng_below(r, 3);
        buf_adds(out, v == 2 ? "\n(Writing by " : "\n(Reporting by ");
        add_person(r, out);
        if (v == 1) {
            buf_adds(out, " in ");
            add_city_title(out, city);
            buf_adds(out, "; Additional reporting by ");
            add_person(r, out);
        }
        buf_adds(out, "; Editing by ");
        add_person(r, out);
        if (rng_chance(r, 0.5)) {
            buf_adds(out, " and ");
            add_person(r, out);
        }
        buf_addc(out, ')');
    }
    if (copyright) {
        char y[16];
        snprintf(y, sizeof y, "%d ", year);
        if (rng_chance(r, 0.5)) {
            buf_adds(out, "\nCopyright ");
            buf_adds(out, y);
            add_agency(out, outlet);
            buf_adds(out, ". All rights reserved.");
        } else {
            buf_adds(out, "\n\xC2\xA9 ");
            buf_adds(out, y);
            add_agency(out, outlet);
            buf_adds(out, ". All rights reserved. This material may not be published, "
                          "broadcast, rewritten or redistributed.");
        }
    }
    if (trailer) {
        static const char *const pre[] = {
            "Sign up for the ", "Follow ", "This story was first published by ",
            "Have a news tip? Contact the ", "More coverage of this story is on the "};
        static const char *const post[] = {
            " morning briefing to get the day's top stories in your inbox.",
            " for the latest updates on this story.",
            " and is republished with permission.", " newsroom.", " website."};
        size_t t = rng_idx(r, NELEM(pre));
        buf_addc(out, '\n');
        buf_adds(out, pre[t]);
        add_agency(out, outlet);
        buf_adds(out, post[t]);
    }
}

/* reorder paragraphs (keeping the lede in place half the time) */
static void op_reorder(rng_t *r, const buf_t *in, buf_t *out)
{
    static size_t *st, *ln, *perm, cap;
    size_t np = 0;
    for (size_t i = 0; i <= in->n;) {
        const char *nl = i < in->n ? memchr(in->p + i, '\n', in->n - i) : NULL;
        size_t e = nl ? (size_t)(nl - in->p) : in->n;
        if (np == cap) {
            cap = cap ? cap * 2 : 64;
            st = xrealloc(st, cap * sizeof *st);
            ln = xrealloc(ln, cap * sizeof *ln);
            perm = xrealloc(perm, cap * sizeof *perm);
        }
        st[np] = i;
        ln[np] = e - i;
        perm[np] = np;
        np++;
        i = e + 1;
    }
    out->n = 0;
    if (np >= 2) {
        size_t from = np >= 3 && rng_chance(r, 0.5) ? 1 : 0;
        for (size_t k = np; k > from + 1; k--) {
            size_t j = from + rng_idx(r, k - from);
            size_t t = perm[k - 1];
            perm[k - 1] = perm[j];
            perm[j] = t;
        }
        bool same = true;
        for (size_t k = 0; k < np; k++)
            if (perm[k] != k)
                same = false;
        if (same) {
            size_t t = perm[np - 1];
            perm[np - 1] = perm[np - 2];
            perm[np - 2] = t;
        }
    }
    for (size_t k = 0; k < np; k++) {
        if (k)
            buf_addc(out, '\n');
        buf_add(out, in->p + st[perm[k]], ln[perm[k]]);
    }
}

/* ------------------------------------------------------------------ */
/* rendering: canonical form -> output text                            */

typedef struct {
    bool on;      /* false: the plain house style */
    int par;      /* paragraph break: 0 "\n\n", 1 "\n", 2 "\n\n\n", 3 "\n    " indent, 4 "\r\n\r\n" */
    int wrap;     /* hard-wrap lines at this column, 0 = no */
    int quotes;   /* 0 keep, 1 straight -> curly, 2 curly -> straight */
    int casing;   /* 0 keep, 1 lede paragraph upper case, 2 all lower, 3 all upper */
    bool dspace;  /* two spaces between sentences */
    bool dashes;  /* " - " <-> " \u2014 " */
} style_t;

static void style_random(rng_t *r, style_t *st)
{
    memset(st, 0, sizeof *st);
    st->on = true;
    st->par = rng_chance(r, 0.6) ? 1 + (int)rng_below(r, 4) : 0;
    st->wrap = rng_chance(r, 0.5) ? 60 + (int)rng_below(r, 21) : 0;
    if (!st->par && !st->wrap)
        st->par = 1 + (int)rng_below(r, 4);
    st->quotes = (int)rng_below(r, 3);
    double u = rng_unif(r);
    st->casing = u < 0.20 ? 1 : u < 0.30 ? 2 : u < 0.35 ? 3 : 0;
    st->dspace = rng_chance(r, 0.3);
    st->dashes = rng_chance(r, 0.3);
}

static void render_chars(const style_t *st, const buf_t *in, buf_t *out)
{
    const char *s = in->p;
    size_t n = in->n;
    out->n = 0;
    buf_reserve(out, n + n / 4 + 64);
    bool lede = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
        if (c == '\n')
            lede = false;
        if (st->quotes == 1 && c == '"') {
            bool open = prev == ' ' || prev == '\n' || prev == '(' || i == 0;
            buf_add(out, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D", 3);
            continue;
        }
        if (st->quotes == 1 && c == '\'') {
            bool open = prev == ' ' || prev == '\n' || prev == '(' || i == 0;
            buf_add(out, open ? "\xE2\x80\x98" : "\xE2\x80\x99", 3);
            continue;
        }
        if (st->quotes == 2 && c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
            unsigned char d = (unsigned char)s[i + 2];
            if (d == 0x9C || d == 0x9D || d == 0x98 || d == 0x99) {
                buf_addc(out, d <= 0x9D && d >= 0x9C ? '"' : '\'');
                i += 2;
                continue;
            }
        }
        if (st->dashes && c == ' ' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == ' ') {
            buf_add(out, " \xE2\x80\x94 ", 5);
            i += 2;
            continue;
        }
        if (st->dashes && c == ' ' && i + 4 < n && (unsigned char)s[i + 1] == 0xE2 &&
            (unsigned char)s[i + 2] == 0x80 && (unsigned char)s[i + 3] == 0x94 && s[i + 4] == ' ') {
            buf_add(out, " - ", 3);
            i += 4;
            continue;
        }
        if (st->dspace && c == ' ' && sentence_end_before(s, i) && i + 1 < n &&
            is_upper((unsigned char)s[i + 1])) {
            buf_add(out, "  ", 2);
            continue;
        }
        char o = (char)c;
        if (st->casing == 2)
            o = to_lower(o);
        else if (st->casing == 3 || (st->casing == 1 && lede))
            o = to_upper(o);
        buf_addc(out, o);
    }
}

static void render(const style_t *st, const buf_t *in, buf_t *tmp, buf_t *out)
{
    out->n = 0;
    if (!st->on) { /* house style: blank line between paragraphs */
        buf_reserve(out, in->n + in->n / 64 + 16);
        const char *p = in->p, *end = in->p + in->n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl : end;
            buf_add(out, p, (size_t)(e - p));
            if (nl)
                buf_add(out, "\n\n", 2);
            p = e + (nl ? 1 : 0);
        }
        return;
    }
    render_chars(st, in, tmp);
    const char *nlstr = st->par == 4 ? "\r\n" : "\n";
    size_t nllen = strlen(nlstr);
    const char *s = tmp->p;
    size_t n = tmp->n, i = 0;
    bool first_par = true;
    while (i <= n) {
        const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
        size_t e = nl ? (size_t)(nl - s) : n;
        if (!first_par) {
            switch (st->par) {
            case 0: buf_add(out, "\n\n", 2); break;
            case 1: buf_addc(out, '\n'); break;
            case 2: buf_add(out, "\n\n\n", 3); break;
            case 3: buf_add(out, "\n    ", 5); break;
            default: buf_add(out, "\r\n\r\n", 4); break;
            }
        }
        first_par = false;
        if (!st->wrap) {
            buf_add(out, s + i, e - i);
        } else {
            size_t col = 0, k = i;
            while (k < e) {
                size_t sp = k;
                while (sp < e && s[sp] == ' ')
                    sp++;
                size_t we = sp;
                while (we < e && s[we] != ' ')
                    we++;
                size_t wl = we - sp;
                if (col && col + (sp - k) + wl > (size_t)st->wrap) {
                    buf_add(out, nlstr, nllen);
                    col = 0;
                } else if (col) {
                    buf_add(out, s + k, sp - k);
                    col += sp - k;
                }
                buf_add(out, s + sp, wl);
                col += wl;
                k = we;
            }
        }
        if (!nl)
            break;
        i = e + 1;
    }
}

/* ------------------------------------------------------------------ */
/* dates                                                               */

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int64_t y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* days since 1970-01-01 (years 1970..9999) */
static int64_t ymd_to_days(int64_t y, int m, int d)
{
    int64_t days = 0;
    for (int64_t yy = 1970; yy < y; yy++)
        days += is_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        days += month_days(y, mm);
    return days + d - 1;
}

static void days_to_str(int64_t days, char out[11])
{
    static int64_t last = -1;
    static char cache[11];
    if (days != last) {
        int64_t y = 1970, left = days;
        while (left >= (is_leap(y) ? 366 : 365)) {
            left -= is_leap(y) ? 366 : 365;
            y++;
        }
        int m = 1;
        while (left >= month_days(y, m)) {
            left -= month_days(y, m);
            m++;
        }
        int yy = (int)(y % 10000), dd = (int)left + 1;
        cache[0] = (char)('0' + yy / 1000);
        cache[1] = (char)('0' + yy / 100 % 10);
        cache[2] = (char)('0' + yy / 10 % 10);
        cache[3] = (char)('0' + yy % 10);
        cache[4] = '-';
        cache[5] = (char)('0' + m / 10);
        cache[6] = (char)('0' + m % 10);
        cache[7] = '-';
        cache[8] = (char)('0' + dd / 10);
        cache[9] = (char)('0' + dd % 10);
        cache[10] = 0;
        last = days;
    }
    memcpy(out, cache, 11);
}

static int days_year(int64_t days)
{
    char s[11];
    days_to_str(days, s);
    return atoi(s);
}

/* ------------------------------------------------------------------ */
/* output                                                              */

static FILE *g_outf;
static buf_t g_out;
static uint64_t g_out_bytes;

static void out_flush(void)
{
    if (g_out.n && fwrite(g_out.p, 1, g_out.n, g_outf) != g_out.n)
        die("write error: %s", strerror(errno));
    g_out_bytes += g_out.n;
    g_out.n = 0;
}

/* any byte of v below 0x20, or equal to '"' or '\\'? (SWAR) */
static inline bool word_needs_escape(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t lt = (v - ones * 0x20) & ~v;
    uint64_t q = v ^ (ones * (uint64_t)'"');
    uint64_t bs = v ^ (ones * (uint64_t)'\\');
    uint64_t zq = (q - ones) & ~q;
    uint64_t zb = (bs - ones) & ~bs;
    return ((lt | zq | zb) & high) != 0;
}

static void json_escape(buf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_reserve(b, n * 6);
    char *o = b->p + b->n;
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (word_needs_escape(v))
                break;
            memcpy(o, &v, 8);
            o += 8;
            i += 8;
        }
        size_t stop = i + 8 < n ? i + 8 : n;
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
        }
    }
    b->n = (size_t)(o - b->p);
}

static int g_idw = 7;

static void fmt_id(char *dst, uint64_t num)
{
    char t[24];
    int k = 0;
    do {
        t[k++] = (char)('0' + num % 10);
        num /= 10;
    } while (num);
    int w = 0;
    dst[w++] = 'd';
    for (int pad = g_idw - k; pad > 0; pad--)
        dst[w++] = '0';
    while (k)
        dst[w++] = t[--k];
    dst[w] = 0;
}

static void emit_doc(uint64_t num, const buf_t *text, uint32_t outlet, int64_t day)
{
    char id[32], date[11], src[24];
    fmt_id(id, num);
    days_to_str(day, date);
    snprintf(src, sizeof src, "outlet-%u", outlet);
    buf_adds(&g_out, "{\"id\":\"");
    buf_adds(&g_out, id);
    buf_adds(&g_out, "\",\"text\":\"");
    json_escape(&g_out, text->p, text->n);
    buf_adds(&g_out, "\",\"source\":\"");
    buf_adds(&g_out, src);
    buf_adds(&g_out, "\",\"date\":\"");
    buf_add(&g_out, date, 10);
    buf_adds(&g_out, "\"}\n");
    if (g_out.n >= (1u << 20))
        out_flush();
}

/* ------------------------------------------------------------------ */
/* options                                                             */

static void usage(FILE *f)
{
    fprintf(f,
"Usage: datagen --source FILE... [options]\n"
"\n"
"Generate a benchmark corpus of news-like documents from real text, with\n"
"planted near-duplicates of known provenance (for retold's recall/precision\n"
"and speed benchmarks).  Output is deterministic for a given seed, options\n"
"and source; memory stays constant whatever the number of documents.\n"
"\n"
"Input\n"
"  -s, --source FILE...  real English prose to draw sentences from (required;\n"
"                        repeatable; takes every following non-option word).\n"
"                        FILE ending in .jsonl/.ndjson/.json: one JSON object a\n"
"                        line, its \"text\" string is read; any other FILE: plain\n"
"                        UTF-8 text, a form feed separates records; \"-\" = stdin\n"
"                        (plain text).  Blank or indented lines start paragraphs.\n"
"      --dump-source     write the cleaned sentences (one a line, a form feed\n"
"                        between records) to the output and exit\n"
"\n"
"Output\n"
"  -n, --docs N          number of documents, 1 .. 10G (default 1000; k/M/G\n"
"                        suffixes allowed: 100k, 1M)\n"
"  -o, --output FILE     JSONL output, \"-\" = stdout (default stdout); one line a\n"
"                        document: {\"id\",\"text\",\"source\",\"date\"}\n"
"  -t, --truth FILE      ground truth TSV, header \"id<TAB>origin<TAB>kind\", one\n"
"                        row a variant: its id, the id of its base document, kind\n"
"      --seed S          PRNG seed, an unsigned integer (default 1)\n"
"  -q, --quiet           no summary line on stderr\n"
"\n"
"Shape of the corpus\n"
"      --variants F      share of documents that are planted variants, 0..0.95\n"
"                        (default 0.30)\n"
"      --kinds LIST      variant kinds and their weights, comma separated, e.g.\n"
"                        \"exact=1,edit05=2,mix=1\"; a bare name weighs 1; kinds\n"
"                        left out get 0.  Kinds: exact reformat edit02 edit05\n"
"                        edit10 edit20 truncate lede boilerplate reorder mix.\n"
"                        Default: every kind 1, mix 2.\n"
"      --outlets M       number of outlets, source \"outlet-1\" .. \"outlet-M\"\n"
"                        (default 50)\n"
"      --pool P          recent base documents kept to derive variants from\n"
"                        (default 1000)\n"
"      --reservoir R     uniform sample of all earlier bases also kept, so some\n"
"                        variants come far later than their base (default 1000;\n"
"                        0 = off)\n"
"      --min-bytes B     shortest base document target (default 1500)\n"
"      --mean-bytes B    mean base document target (default 3550)\n"
"      --max-bytes B     longest base document target (default 6000)\n"
"      --per-day D       documents per day for the dates (default 1000)\n"
"      --start-date D    date of the first documents, YYYY-MM-DD (default\n"
"                        2026-01-01)\n"
"  -h, --help            this text\n"
"\n"
"Variant kinds (each derived from one earlier base document)\n"
"  exact        identical text (another outlet, a later or equal date)\n"
"  reformat     same words; paragraph breaks, hard line wrapping, straight or\n"
"               curly quotes, dashes, sentence spacing and letter case changed\n"
"  editNN       about NN %% of the words substituted, inserted or deleted, with\n"
"               words from the source vocabulary\n"
"  truncate     the last 10-40 %% cut off (at a sentence end where possible)\n"
"  lede         a new first paragraph of 1-3 other source sentences\n"
"  boilerplate  syndication lines: dateline \"CITY (Agency) - \", \"(Reporting by\n"
"               ...; Editing by ...)\", copyright line, newsletter trailer\n"
"  reorder      paragraphs shuffled (lede kept in place half the time)\n"
"  mix:A+B      two of reformat edit02 edit05 edit10 truncate lede boilerplate\n"
"               reorder applied in that order (at most one edit)\n"
"\n"
"Base documents are runs of 1-4 consecutive source sentences (one paragraph\n"
"each) taken in a shuffled order, so unrelated documents share little text.\n"
"Variants of one base are near-duplicates of each other too.\n");
}

static uint64_t parse_u64(const char *opt, const char *v, bool suffix)
{
    char *end;
    errno = 0;
    if (!v || !*v || *v == '-')
        die("%s needs an unsigned number", opt);
    unsigned long long x = strtoull(v, &end, 10);
    if (errno)
        die("%s: bad number '%s'", opt, v);
    if (suffix && *end) {
        unsigned long long mul = 1;
        switch (*end) {
        case 'k': case 'K': mul = 1000ULL; break;
        case 'm': case 'M': mul = 1000000ULL; break;
        case 'g': case 'G': mul = 1000000000ULL; break;
        default: die("%s: bad number '%s'", opt, v);
        }
        end++;
        x *= mul;
    }
    if (*end)
        die("%s: bad number '%s'", opt, v);
    return (uint64_t)x;
}

static double parse_double(const char *opt, const char *v)
{
    char *end;
    if (!v || !*v)
        die("%s needs a number", opt);
    double x = strtod(v, &end);
    if (*end || x != x)
        die("%s: bad number '%s'", opt, v);
    return x;
}

static void parse_kinds(const char *spec, double w[NKIND])
{
    for (int k = 0; k < NKIND; k++)
        w[k] = 0;
    const char *p = spec;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t nl = eq ? (size_t)(eq - p) : len;
        int k;
        for (k = 0; k < NKIND; k++)
            if (strlen(k_kind_name[k]) == nl && memcmp(k_kind_name[k], p, nl) == 0)
                break;
        if (k == NKIND)
            die("--kinds: unknown kind '%.*s'", (int)nl, p);
        double x = 1;
        if (eq) {
            char t[64];
            size_t vl = len - nl - 1;
            if (vl == 0 || vl >= sizeof t)
                die("--kinds: bad weight for %s", k_kind_name[k]);
            memcpy(t, eq + 1, vl);
            t[vl] = 0;
            x = parse_double("--kinds", t);
            if (x < 0)
                die("--kinds: negative weight for %s", k_kind_name[k]);
        }
        w[k] = x;
        p += len + (e ? 1 : 0);
    }
}

typedef struct {
    const char **sources;
    size_t nsources;
    uint64_t docs, seed, pool, reservoir, per_day, outlets;
    double variants;
    double kind_w[NKIND];
    lenspec_t len;
    int64_t start_day;
    const char *out_path, *truth_path;
    bool quiet, dump;
} opts_t;

static void parse_args(int argc, char **argv, opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->sources = xrealloc(NULL, (size_t)argc * sizeof *o->sources);
    o->docs = 1000;
    o->seed = 1;
    o->pool = 1000;
    o->reservoir = 1000;
    o->per_day = 1000;
    o->outlets = 50;
    o->variants = 0.30;
    for (int k = 0; k < NKIND; k++)
        o->kind_w[k] = k == K_MIX ? 2 : 1;
    size_t minb = 1500, meanb = 3550, maxb = 6000;
    o->start_day = ymd_to_days(2026, 1, 1);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[64];
        /* --opt=value */
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (eq) {
            size_t nl = (size_t)(eq - a);
            if (nl >= sizeof name)
                die("unknown option %s", a);
            memcpy(name, a, nl);
            name[nl] = 0;
            val = eq + 1;
            a = name;
        }
#define ARG() (val ? val : (i + 1 < argc ? argv[++i] : (die("%s needs a value", a), "")))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "-s") || !strcmp(a, "--source")) {
            if (val) {
                o->sources[o->nsources++] = val;
            } else {
                int n0 = i;
                while (i + 1 < argc && (argv[i + 1][0] != '-' || !strcmp(argv[i + 1], "-")))
                    o->sources[o->nsources++] = argv[++i];
                if (i == n0)
                    die("%s needs at least one file", a);
            }
        } else if (!strcmp(a, "-n") || !strcmp(a, "--docs")) {
            o->docs = parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--seed")) {
            o->seed = parse_u64(a, ARG(), false);
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->out_path = ARG();
        } else if (!strcmp(a, "-t") || !strcmp(a, "--truth")) {
            o->truth_path = ARG();
        } else if (!strcmp(a, "--variants")) {
            o->variants = parse_double(a, ARG());
        } else if (!strcmp(a, "--kinds")) {
            parse_kinds(ARG(), o->kind_w);
        } else if (!strcmp(a, "--outlets")) {
            o->outlets = parse_u64(a, ARG(), false);
        } else if (!strcmp(a, "--pool")) {
            o->pool = parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--reservoir")) {
            o->reservoir = parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--per-day")) {
            o->per_day = parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--min-bytes")) {
            minb = (size_t)parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--mean-bytes")) {
            meanb = (size_t)parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--max-bytes")) {
            maxb = (size_t)parse_u64(a, ARG(), true);
        } else if (!strcmp(a, "--start-date")) {
            const char *v = ARG();
            int y, m, d;
            char extra;
            if (sscanf(v, "%d-%d-%d%c", &y, &m, &d, &extra) != 3 || y < 1970 || y > 9000 ||
                m < 1 || m > 12 || d < 1 || d > month_days(y, m))
                die("--start-date: want YYYY-MM-DD (1970..9000), got '%s'", v);
            o->start_day = ymd_to_days(y, m, d);
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (!strcmp(a, "--dump-source")) {
            o->dump = true;
        } else {
            die("unknown option '%s' (try --help)", argv[i]);
        }
#undef ARG
    }
    if (!o->nsources)
        die("no --source given (try --help)");
    if (o->docs < 1 || o->docs > 10000000000ULL)
        die("--docs must be 1 .. 10G");
    if (o->outlets < 1 || o->outlets > 1000000)
        die("--outlets must be 1 .. 1000000");
    if (o->per_day < 1)
        die("--per-day must be at least 1");
    if (!(o->variants >= 0 && o->variants <= 0.95))
        die("--variants must be within 0 .. 0.95");
    if (o->pool > 1000000 || o->reservoir > 1000000)
        die("--pool and --reservoir must be at most 1000000");
    if (o->variants > 0 && o->pool == 0 && o->reservoir == 0)
        die("--variants > 0 needs --pool or --reservoir > 0");
    double wsum = 0;
    for (int k = 0; k < NKIND; k++)
        wsum += o->kind_w[k];
    if (o->variants > 0 && wsum <= 0)
        die("--kinds: all weights are 0");
    if (minb < 200 || minb > meanb || meanb > maxb || maxb > 1000000 || minb == maxb)
        die("need 200 <= --min-bytes <= --mean-bytes <= --max-bytes <= 1000000, min < max");
    o->len.minb = minb;
    o->len.meanb = meanb;
    o->len.maxb = maxb;
    double mode = 3.0 * (double)meanb - (double)minb - (double)maxb;
    if (mode < (double)minb || mode > (double)maxb)
        die("--mean-bytes must lie between (2*min+max)/3 and (min+2*max)/3 (here %zu .. %zu)",
            (2 * minb + maxb) / 3, (minb + 2 * maxb) / 3);
    o->len.mode = mode;
}

/* ------------------------------------------------------------------ */
/* main                                                                */

static int pick_kind(rng_t *r, const double w[NKIND], double wsum)
{
    double u = rng_unif(r) * wsum;
    for (int k = 0; k < NKIND; k++) {
        if (w[k] <= 0)
            continue;
        if (u < w[k])
            return k;
        u -= w[k];
    }
    for (int k = NKIND - 1; k >= 0; k--)
        if (w[k] > 0)
            return k;
    return K_EXACT;
}

static uint32_t pick_outlet(rng_t *r, uint64_t m, uint32_t not_this)
{
    for (;;) {
        /* mildly skewed: low-numbered outlets publish more */
        double u = rng_unif(r);
        uint32_t o = 1 + (uint32_t)((double)m * u * (0.5 + 0.5 * u));
        if (o > m)
            o = (uint32_t)m;
        if (o != not_this || m == 1)
            return o;
    }
}

static int64_t day_noise(rng_t *r)
{
    uint64_t u = rng_below(r, 10);
    return u == 0 ? -1 : u == 9 ? 1 : 0;
}

/* apply one content operation (reformat only chooses a style) */
static void apply_op(int k, rng_t *r, buf_t **cur, buf_t **tmp, style_t *st, uint32_t outlet,
                     int year)
{
    switch (k) {
    case K_EXACT:
        return;
    case K_REFORMAT:
        style_random(r, st);
        return;
    case K_EDIT02: case K_EDIT05: case K_EDIT10: case K_EDIT20:
        op_edit(r, *cur, *tmp, edit_rate(k));
        break;
    case K_TRUNCATE:
        op_truncate(r, *cur, *tmp);
        break;
    case K_LEDE:
        op_lede(r, *cur, *tmp);
        break;
    case K_BOILER:
        op_boiler(r, *cur, *tmp, outlet, year);
        break;
    case K_REORDER:
        op_reorder(r, *cur, *tmp);
        break;
    default:
        return;
    }
    buf_t *t = *cur;
    *cur = *tmp;
    *tmp = t;
}

static void free_source(void)
{
    buf_free(&g_out);
    buf_free(&g_text);
    buf_free(&g_vtext);
    free(g_sent);
    wordlist_free(&g_vocab);
    wordlist_free(&g_names);
    free(g_chunks);
    free(g_ren);
    free(g_ev);
}

static void dump_source(const opts_t *o)
{
    g_outf = stdout;
    if (o->out_path && strcmp(o->out_path, "-") != 0 && !(g_outf = fopen(o->out_path, "wb")))
        die("cannot create %s: %s", o->out_path, strerror(errno));
    for (size_t i = 0; i < g_nsent; i++) {
        if (i && g_sent[i].rec != g_sent[i - 1].rec)
            buf_add(&g_out, "\f\n", 2);
        buf_add(&g_out, g_text.p + g_sent[i].off, g_sent[i].len);
        buf_addc(&g_out, '\n');
        if (g_out.n >= (1u << 20))
            out_flush();
    }
    out_flush();
    if (g_outf != stdout ? fclose(g_outf) : fflush(g_outf))
        die("write error: %s", strerror(errno));
}

int main(int argc, char **argv)
{
    opts_t o;
    parse_args(argc, argv, &o);
    double t0 = now_sec();
    size_t src_bytes = 0;
    for (size_t i = 0; i < o.nsources; i++)
        load_source(o.sources[i]);
    src_bytes = g_text.n;
    hset_free(&g_sent_seen);
    hset_free(&g_vocab.seen);
    hset_free(&g_names.seen);
    if (o.dump) {
        dump_source(&o);
        if (!o.quiet)
            fprintf(stderr, "%s: %zu records, %zu sentences (%zu duplicates, %zu non-prose dropped), %zu bytes\n",
                    g_prog, (size_t)g_nrec, g_nsent, g_sent_dups, g_sent_dropped, src_bytes);
        free_source();
        free(o.sources);
        return 0;
    }
    if (g_nsent < 200 || src_bytes < 4 * o.len.maxb)
        die("source too small: %zu usable sentences, %zu bytes (want at least 200 sentences and %zu bytes)",
            g_nsent, src_bytes, 4 * o.len.maxb);
    if (src_bytes < 50 * o.len.meanb && !o.quiet)
        fprintf(stderr, "%s: warning: small source (%zu bytes); base documents will repeat sentences often\n",
                g_prog, src_bytes);
    double t1 = now_sec();

    g_outf = stdout;
    if (o.out_path && strcmp(o.out_path, "-") != 0 && !(g_outf = fopen(o.out_path, "wb")))
        die("cannot create %s: %s", o.out_path, strerror(errno));
    FILE *truth = NULL;
    if (o.truth_path && !(truth = fopen(o.truth_path, "wb")))
        die("cannot create %s: %s", o.truth_path, strerror(errno));
    if (truth)
        fputs("id\torigin\tkind\n", truth);
    {
        uint64_t d = o.docs;
        int w = 0;
        while (d) {
            w++;
            d /= 10;
        }
        g_idw = w > 7 ? w : 7;
    }
    g_ring_cap = (size_t)o.pool;
    g_resv_cap = (size_t)o.reservoir;
    g_ring = calloc(g_ring_cap ? g_ring_cap : 1, sizeof *g_ring);
    g_resv = calloc(g_resv_cap ? g_resv_cap : 1, sizeof *g_resv);
    if (!g_ring || !g_resv)
        die("out of memory");

    rng_t rb, rv;
    rng_seed(&rb, o.seed, 1); /* base documents */
    rng_seed(&rv, o.seed, 2); /* everything else */
    double wsum = 0;
    for (int k = 0; k < NKIND; k++)
        wsum += o.kind_w[k];

    buf_t A = {0}, B = {0}, rendered = {0}, scratch = {0};
    uint64_t nbase = 0, nvar = 0, kind_count[NKIND] = {0};
    uint64_t text_bytes = 0;
    for (uint64_t num = 1; num <= o.docs; num++) {
        int64_t nominal = o.start_day + (int64_t)((num - 1) / o.per_day);
        bool variant = o.variants > 0 && (g_ring_n || g_resv_n) && rng_chance(&rv, o.variants);
        style_t st;
        memset(&st, 0, sizeof st);
        buf_t *cur = &A, *tmp = &B;
        if (!variant) {
            make_base(&rb, &o.len, cur);
            int64_t day = nominal + day_noise(&rv);
            if (day < o.start_day)
                day = o.start_day;
            uint32_t outlet = pick_outlet(&rv, o.outlets, 0);
            render(&st, cur, &scratch, &rendered);
            emit_doc(num, &rendered, outlet, day);
            remember_base(&rv, cur, num, day, outlet);
            nbase++;
        } else {
            const base_t *b = pick_origin(&rv);
            int kind = pick_kind(&rv, o.kind_w, wsum);
            int ops[2] = {kind, -1};
            if (kind == K_MIX) {
                ops[0] = k_mixable[rng_idx(&rv, NMIXABLE)];
                do
                    ops[1] = k_mixable[rng_idx(&rv, NMIXABLE)];
                while (ops[1] == ops[0] || (is_edit(ops[0]) && is_edit(ops[1])));
            }
            int64_t day = nominal + day_noise(&rv);
            if (day < b->day)
                day = b->day;
            if (rng_chance(&rv, 0.25))
                day += 1 + (int64_t)rng_below(&rv, 2);
            uint32_t outlet = pick_outlet(&rv, o.outlets, b->outlet);
            cur->n = 0;
            buf_add(cur, b->text.p, b->text.n);
            for (int k = 0; k < 2 && ops[k] >= 0; k++)
                apply_op(ops[k], &rv, &cur, &tmp, &st, outlet, days_year(day));
            render(&st, cur, &scratch, &rendered);
            emit_doc(num, &rendered, outlet, day);
            if (truth) {
                char id[32], oid[32];
                fmt_id(id, num);
                fmt_id(oid, b->num);
                if (kind == K_MIX)
                    fprintf(truth, "%s\t%s\tmix:%s+%s\n", id, oid, k_kind_name[ops[0]],
                            k_kind_name[ops[1]]);
                else
                    fprintf(truth, "%s\t%s\t%s\n", id, oid, k_kind_name[kind]);
            }
            kind_count[kind]++;
            nvar++;
        }
        text_bytes += rendered.n;
    }
    out_flush();
    if (g_outf != stdout ? fclose(g_outf) : fflush(g_outf))
        die("write error: %s", strerror(errno));
    if (truth && fclose(truth))
        die("write error on %s: %s", o.truth_path, strerror(errno));
    double t2 = now_sec();

    if (!o.quiet) {
        double gen = t2 - t1 > 1e-9 ? t2 - t1 : 1e-9;
        fprintf(stderr,
                "%s: %llu docs (%llu base, %llu variant), %.1f MB (text %.1f MB, mean %.0f B/doc) "
                "in %.2f s (%.0f docs/s, %.0f MB/s; source load %.2f s: %u records, %zu sentences, "
                "%.1f MB, %llu epochs); variants:",
                g_prog, (unsigned long long)o.docs, (unsigned long long)nbase,
                (unsigned long long)nvar, (double)g_out_bytes / 1e6, (double)text_bytes / 1e6,
                (double)text_bytes / (double)o.docs, gen, (double)o.docs / gen,
                (double)g_out_bytes / 1e6 / gen, t1 - t0, g_nrec, g_nsent, (double)src_bytes / 1e6,
                (unsigned long long)g_epochs);
        for (int k = 0; k < NKIND; k++)
            if (kind_count[k])
                fprintf(stderr, " %s=%llu", k_kind_name[k], (unsigned long long)kind_count[k]);
        if (!nvar)
            fputs(" none", stderr);
        fputc('\n', stderr);
    }
    /* tidy up (helps leak checkers) */
    for (size_t i = 0; i < g_ring_cap; i++)
        buf_free(&g_ring[i].text);
    for (size_t i = 0; i < g_resv_cap; i++)
        buf_free(&g_resv[i].text);
    free(g_ring);
    free(g_resv);
    buf_free(&A);
    buf_free(&B);
    buf_free(&rendered);
    buf_free(&scratch);
    free_source();
    free(o.sources);
    return 0;
}
