/*
 * pivot.c - FreeDict dictd dictionaries to a word -> English hash map.
 *
 * A dictd dictionary is two files.  The .index has one line per headword,
 *     headword TAB offset TAB length
 * with offset and length in dictd's base-64 digits (A-Z a-z 0-9 + /, most
 * significant first: "B0" = 1*64 + 52 = 116), pointing into the .dict; the
 * .dict.dz is the .dict compressed by dictzip, which is gzip with a table of
 * chunk sizes in the header, so zlib's gzread() reads it (and an
 * uncompressed .dict) from start to end.  Entries look like this (FreeDict
 * deu-eng, Ding-derived: one sense per entry, several entries per headword,
 * and fra-eng, spa-eng, pol-eng...: numbered senses in one entry):
 *
 *     Würde /vˈyɾdə/ <fem, n, sg>          fra-eng:   droit /dʀwa/
 *     dignity <n>                                     1. right, righthand
 *           "in Würde sterben"  - die ...             2. jurisprudence, law
 *        Synonym: {Erhabenheit}                       3. faithful, loyal
 *
 * Line 1 is the headword; the senses are the line after it (unnumbered) or
 * every line that starts with "N." (numbered; unnumbered lines between them
 * are definitions in the source language, as in pol-eng, and are skipped).
 * Indented lines after the sense (examples, Note:, Synonym:, see:) are
 * never read.  A sense's English words are its tokens after dropping <...>
 * [...] (...) {...} notes: lower-case ASCII letters, two or more, not an
 * English stopword, not a dictionary abbreviation (sth, sb, ...).
 *
 * Which English words a key keeps (at most RETOLD_PIVOT_MAX).  Entry order
 * says little in deu-eng ("Würde" lists elevation, gravitas, dignity,
 * laureateship, portliness; "Haus" establishment before house), so each
 * candidate word w of a key is ranked by
 *   1. its weight: over the key's senses that contain w, the sum of 1/k for
 *      w in the k-th comma-separated phrase of the sense, shared among the
 *      phrase's content words ("Recht": "right, law" and "right, quite" give
 *      right 2, law 1/2, quite 1/2; "Oh, Golly, Good golly": good 1/6);
 *   2. the bytes of the entries those senses come from: in Ding-derived
 *      dictionaries a headword's main senses carry the examples, synonyms
 *      and cross-references and its rare senses are one line ("Würde": the
 *      dignity entry is 356 bytes, elevation 84, gravitas 70); this ties
 *      where the senses are numbered inside one entry;
 *   3. df(w): the number of senses in the whole dictionary that contain w
 *      (an ordinary English word translates many headwords);
 *   4. first appearance (index order, then position in the sense).
 * UDHR, German articles: P@1 0.77 ranked by 1, 3, 4; 0.83 with 2 added.
 *
 * Sizes (doc/pivot.md has the measurements): deu-eng is 519k index lines,
 * 100 MB of entries once inflated, 281k single-word headwords; the others
 * are 1k-36k headwords.  Loading streams the .dict once through a window
 * the size of the largest entry (entries are read in offset order), so the
 * inflated text is never held whole.  The result is three string maps
 * (exact keys, stem keys, English words) of 16-byte items and 4-byte slots
 * at load <= 0.5, plus 13 bytes per key for its English word ids.
 */
#include "retold/pivot.h"
#include "retold/stopwords.h"
#include "retold/tokenize.h"
#include "retold/error.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define KEY_MAX        255              /* longest key or English word kept */
#define ENTRY_MAX      (16u << 20)      /* longest entry accepted */
#define INDEX_MAX      ((size_t)1 << 30)
#define SENSES_MAX     8                /* senses read per entry */
#define WORDS_MAX      8                /* English words read per sense */
#define NONE           UINT32_MAX
#define PHRASE_WEIGHT  5040u            /* divisible by 1..8 and 1..8 squared-ish */
#define DEFAULT_DIR    "/usr/share/dictd"

#define TRY(expr) do { if ((rc = (expr)) != RETOLD_OK) goto out; } while (0)

/* ---- string maps: interned strings with O(1) lookup ------------------- */

typedef struct sm_item {
    uint64_t hash;
    uint32_t off, len;              /* bytes in the arena (NUL follows) */
} sm_item;

typedef struct strmap {
    char *arena;
    size_t alen, acap;
    sm_item *item;
    uint32_t n, icap;
    uint32_t *slot;                 /* item index + 1; 0 = empty */
    uint32_t mask;                  /* slots - 1 (0: no table yet) */
} strmap;

static void sm_release(strmap *m)
{
    free(m->arena);
    free(m->item);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

static uint32_t sm_find_h(const strmap *m, const char *s, size_t len, uint64_t h)
{
    if (!m->mask) return NONE;
    for (uint32_t i = (uint32_t)h & m->mask;; i = (i + 1) & m->mask) {
        uint32_t e = m->slot[i];
        if (!e) return NONE;
        const sm_item *it = &m->item[e - 1];
        if (it->hash == h && it->len == len && memcmp(m->arena + it->off, s, len) == 0)
            return e - 1;
    }
}

static uint32_t sm_find(const strmap *m, const char *s, size_t len)
{
    return sm_find_h(m, s, len, XXH3_64bits(s, len));
}

static int sm_rehash(strmap *m, uint32_t slots)
{
    uint32_t *t = calloc(slots, sizeof *t);
    if (!t) return RETOLD_NOMEM;
    for (uint32_t k = 0; k < m->n; k++) {
        uint32_t i = (uint32_t)m->item[k].hash & (slots - 1);
        while (t[i]) i = (i + 1) & (slots - 1);
        t[i] = k + 1;
    }
    free(m->slot);
    m->slot = t;
    m->mask = slots - 1;
    return RETOLD_OK;
}

/* Intern s[0..len): *id is its index, new or old. */
static int sm_intern(strmap *m, const char *s, size_t len, uint32_t *id)
{
    uint64_t h = XXH3_64bits(s, len);
    uint32_t got = sm_find_h(m, s, len, h);
    if (got != NONE) { *id = got; return RETOLD_OK; }
    if (m->n >= (1u << 30) || len > KEY_MAX) return RETOLD_TOOBIG;
    if (2 * ((size_t)m->n + 1) > (size_t)m->mask + 1) {
        int rc = sm_rehash(m, m->mask ? 2 * (m->mask + 1) : 64);
        if (rc) return rc;
    }
    if (m->n == m->icap) {
        uint32_t c = m->icap ? 2 * m->icap : 64;
        sm_item *q = realloc(m->item, c * sizeof *q);
        if (!q) return RETOLD_NOMEM;
        m->item = q;
        m->icap = c;
    }
    if (m->alen + len + 1 > m->acap) {
        size_t c = m->acap ? m->acap : 4096;
        while (c < m->alen + len + 1) c *= 2;
        char *q = realloc(m->arena, c);
        if (!q) return RETOLD_NOMEM;
        m->arena = q;
        m->acap = c;
    }
    memcpy(m->arena + m->alen, s, len);
    m->arena[m->alen + len] = 0;
    m->item[m->n] = (sm_item){ h, (uint32_t)m->alen, (uint32_t)len };
    m->alen += len + 1;
    uint32_t i = (uint32_t)h & m->mask;
    while (m->slot[i]) i = (i + 1) & m->mask;
    m->slot[i] = ++m->n;
    *id = m->n - 1;
    return RETOLD_OK;
}

/* Give back the growth slack (a pivot lives as long as the process). */
static void sm_shrink(strmap *m)
{
    if (m->alen && m->alen < m->acap) {
        char *q = realloc(m->arena, m->alen);
        if (q) { m->arena = q; m->acap = m->alen; }
    }
    if (m->n && m->n < m->icap) {
        sm_item *q = realloc(m->item, m->n * sizeof *q);
        if (q) { m->item = q; m->icap = m->n; }
    }
}

static size_t sm_memory(const strmap *m)
{
    return m->acap + (size_t)m->icap * sizeof(sm_item) + (m->mask ? ((size_t)m->mask + 1) * 4 : 0);
}

/* ---- the pivot ------------------------------------------------------- */

typedef struct keytable {
    strmap keys;
    uint32_t (*eng)[RETOLD_PIVOT_MAX];  /* English word ids per key */
    uint8_t *neng;
} keytable;

struct retold_pivot {
    keytable exact, stem;
    strmap english;
    const char *stemmer;               /* Snowball name or NULL */
};

static void kt_release(keytable *t)
{
    sm_release(&t->keys);
    free(t->eng);
    free(t->neng);
}

void retold_pivot_free(retold_pivot *p)
{
    if (!p) return;
    kt_release(&p->exact);
    kt_release(&p->stem);
    sm_release(&p->english);
    free(p);
}

static size_t kt_lookup(const retold_pivot *p, const keytable *t, const char *w, size_t len,
                        const char **english, size_t *english_len, size_t max)
{
    if (!p || !w) return 0;
    uint32_t id = sm_find(&t->keys, w, len);
    if (id == NONE) return 0;
    size_t n = t->neng[id] < max ? t->neng[id] : max;
    for (size_t i = 0; i < n; i++) {
        const sm_item *it = &p->english.item[t->eng[id][i]];
        english[i] = p->english.arena + it->off;
        if (english_len) english_len[i] = it->len;
    }
    return n;
}

size_t retold_pivot_lookup(const retold_pivot *p, const char *word, size_t len,
                           const char **english, size_t *english_len, size_t max)
{
    return p ? kt_lookup(p, &p->exact, word, len, english, english_len, max) : 0;
}

size_t retold_pivot_lookup_stem(const retold_pivot *p, const char *stem, size_t len,
                                const char **english, size_t *english_len, size_t max)
{
    return p ? kt_lookup(p, &p->stem, stem, len, english, english_len, max) : 0;
}

const char *retold_pivot_stemmer(const retold_pivot *p) { return p ? p->stemmer : NULL; }
size_t retold_pivot_count(const retold_pivot *p) { return p ? p->exact.keys.n : 0; }
size_t retold_pivot_stem_count(const retold_pivot *p) { return p ? p->stem.keys.n : 0; }

size_t retold_pivot_memory(const retold_pivot *p)
{
    if (!p) return 0;
    size_t per = sizeof(uint32_t[RETOLD_PIVOT_MAX]) + 1;
    return sizeof *p + sm_memory(&p->exact.keys) + sm_memory(&p->stem.keys) + sm_memory(&p->english)
           + ((size_t)p->exact.keys.n + p->stem.keys.n) * per;
}

/* ---- languages ------------------------------------------------------- */

/* ISO 639-1, FreeDict's ISO 639-3 code, Snowball algorithm (NULL: none). */
static const struct { const char *iso1, *fd, *snowball; } languages[] = {
    { "af", "afr", NULL }, { "ar", "ara", "arabic" }, { "bg", "bul", NULL },
    { "cs", "ces", NULL }, { "cy", "cym", NULL }, { "da", "dan", "danish" },
    { "de", "deu", "german" }, { "el", "ell", "greek" }, { "eo", "epo", NULL },
    { "es", "spa", "spanish" }, { "fi", "fin", "finnish" }, { "fr", "fra", "french" },
    { "ga", "gle", "irish" }, { "hr", "hrv", NULL }, { "hu", "hun", "hungarian" },
    { "is", "isl", NULL }, { "it", "ita", "italian" }, { "ja", "jpn", NULL },
    { "ku", "kur", NULL }, { "la", "lat", NULL }, { "lt", "lit", "lithuanian" },
    { "nl", "nld", "dutch" }, { "no", "nob", "norwegian" }, { "pl", "pol", NULL },
    { "pt", "por", "portuguese" }, { "ro", "ron", "romanian" }, { "ru", "rus", "russian" },
    { "sk", "slk", NULL }, { "sl", "slv", NULL }, { "sr", "srp", "serbian" },
    { "sv", "swe", "swedish" }, { "sw", "swh", NULL }, { "tr", "tur", "turkish" },
    { "uk", "ukr", NULL },
};
#define NLANG (sizeof languages / sizeof languages[0])

static size_t lang_row(const char *code)
{
    for (size_t i = 0; i < NLANG; i++)
        if (strcmp(languages[i].iso1, code) == 0 || strcmp(languages[i].fd, code) == 0) return i;
    return NLANG;
}

/* ---- reading the index ----------------------------------------------- */

typedef struct record {
    uint64_t off;
    uint32_t len;
    uint32_t line;                  /* index line: sense order within a key */
    uint32_t key;                   /* exact key id, NONE if none */
} record;

/* dictd base 64: A-Z a-z 0-9 + /, most significant digit first. */
static int b64_value(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 10) return RETOLD_PARSE;       /* 10 digits = 60 bits */
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned d;
        if (c >= 'A' && c <= 'Z') d = c - 'A';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
        else if (c >= '0' && c <= '9') d = c - '0' + 52;
        else if (c == '+') d = 62;
        else if (c == '/') d = 63;
        else return RETOLD_PARSE;
        v = v * 64 + d;
    }
    *out = v;
    return RETOLD_OK;
}

static int slurp(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return RETOLD_IO;
    int rc = RETOLD_OK;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    if (!b) { rc = RETOLD_NOMEM; goto out; }
    for (;;) {
        if (n == cap) {
            if (cap >= INDEX_MAX) { rc = RETOLD_TOOBIG; goto out; }
            char *q = realloc(b, cap * 2);
            if (!q) { rc = RETOLD_NOMEM; goto out; }
            b = q;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) rc = RETOLD_IO;
out:
    fclose(f);
    if (rc) { free(b); return rc; }
    *buf = b;
    *len = n;
    return RETOLD_OK;
}

typedef struct builder {
    retold_pivot *p;
    retold_tokenizer *tk;
    struct sb_stemmer *st;
    retold_stopwords *en_stop;
    record *rec;
    size_t nrec, caprec;
    /* English words of the entry being read: id, sense, position */
    struct { uint32_t word; uint16_t sense, pos, weight; } *ew;
    size_t nw, capew;
    uint32_t *df;                   /* per English word id */
    size_t capdf;
    /* candidates: (key, English word, line, sense, position) */
    struct cand { uint32_t key, word, line, elen; uint16_t sense, pos, weight; } *cand;
    size_t ncand, capcand;
    uint32_t *stem_of;              /* per exact key: its stem key, NONE if none */
    size_t capstem;
    char *clean;
    size_t capclean;
} builder;

/* The key for a headword: its one token's normalised bytes (NULL if the
 * headword is not exactly one token). */
static const char *headword_key(builder *b, const char *h, size_t len, size_t *klen)
{
    const retold_token *t;
    size_t n;
    if (retold_tokenize(b->tk, h, len, &t, &n) != RETOLD_OK || n != 1) return NULL;
    if (t[0].start != 0 || t[0].end != len) return NULL;     /* "Haus…", "e-mail" */
    if (t[0].flags & (RETOLD_TOK_NUMERIC | RETOLD_TOK_DENSE)) return NULL;
    if (t[0].norm_len > KEY_MAX) return NULL;
    *klen = t[0].norm_len;
    return retold_tokenizer_norm(b->tk) + t[0].norm;
}

static int add_record(builder *b, const record *r)
{
    if (b->nrec == b->caprec) {
        size_t c = b->caprec ? 2 * b->caprec : 1024;
        record *q = realloc(b->rec, c * sizeof *q);
        if (!q) return RETOLD_NOMEM;
        b->rec = q;
        b->caprec = c;
    }
    b->rec[b->nrec++] = *r;
    return RETOLD_OK;
}

static int parse_index(builder *b, const char *text, size_t len)
{
    int rc = RETOLD_OK;
    uint32_t line = 0;
    for (size_t i = 0; i < len;) {
        const char *s = text + i;
        const char *nl = memchr(s, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - s) : len - i;
        i += ll + 1;
        if (ll && s[ll - 1] == '\r') ll--;
        if (ll == 0) continue;
        if (line == UINT32_MAX) return RETOLD_TOOBIG;
        line++;
        const char *t1 = memchr(s, '\t', ll);
        const char *t2 = t1 ? memchr(t1 + 1, '\t', ll - (size_t)(t1 + 1 - s)) : NULL;
        if (!t2) return RETOLD_PARSE;
        uint64_t off, elen;
        TRY(b64_value(t1 + 1, (size_t)(t2 - t1 - 1), &off));
        TRY(b64_value(t2 + 1, ll - (size_t)(t2 + 1 - s), &elen));
        if (elen > ENTRY_MAX) return RETOLD_TOOBIG;
        size_t hl = (size_t)(t1 - s);
        if (hl == 0 || (hl >= 10 && memcmp(s, "00database", 10) == 0) ||
            (hl >= 11 && memcmp(s, "00-database", 11) == 0))
            continue;                        /* dictd's own metadata entries */
        record r = { off, (uint32_t)elen, line, NONE };
        uint32_t stem = NONE;
        size_t kl;
        const char *k = headword_key(b, s, hl, &kl);
        if (k) {
            TRY(sm_intern(&b->p->exact.keys, k, kl, &r.key));
            if (b->st) {
                const sb_symbol *st = sb_stemmer_stem(b->st, (const sb_symbol *)k, (int)kl);
                int sl = st ? sb_stemmer_length(b->st) : 0;
                if (st && sl > 0 && sl <= KEY_MAX)
                    TRY(sm_intern(&b->p->stem.keys, (const char *)st, (size_t)sl, &stem));
            }
            if (r.key >= b->capstem) {
                size_t c = b->capstem ? 2 * b->capstem : 1024;
                uint32_t *q = realloc(b->stem_of, c * sizeof *q);
                if (!q) { rc = RETOLD_NOMEM; goto out; }
                b->stem_of = q;
                b->capstem = c;
            }
            b->stem_of[r.key] = stem;
        }
        TRY(add_record(b, &r));
    }
out:
    return rc;
}

/* ---- reading the entries --------------------------------------------- */

static int by_offset(const void *x, const void *y)
{
    const record *a = x, *b = y;
    if (a->off != b->off) return a->off < b->off ? -1 : 1;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Dictionary abbreviations that are not translations. */
static int is_abbreviation(const char *w, size_t len)
{
    static const char abbr[] = " sth sb smth sby smb sthg etc esp eg ie one oneself someone"
                               " something somebody fig coll ";
    if (len > 9) return 0;
    char key[12];
    key[0] = ' ';
    memcpy(key + 1, w, len);
    key[len + 1] = ' ';
    key[len + 2] = 0;
    return strstr(abbr, key) != NULL;
}

static int add_english(builder *b, uint32_t word, unsigned sense, unsigned pos, unsigned weight)
{
    for (size_t i = b->nw; i-- > 0 && b->ew[i].sense == sense;)
        if (b->ew[i].word == word) return RETOLD_OK;      /* once per sense */
    if (b->nw == b->capew) {
        size_t c = b->capew ? 2 * b->capew : 64;
        void *q = realloc(b->ew, c * sizeof *b->ew);
        if (!q) return RETOLD_NOMEM;
        b->ew = q;
        b->capew = c;
    }
    b->ew[b->nw].word = word;
    b->ew[b->nw].sense = (uint16_t)sense;
    b->ew[b->nw].pos = (uint16_t)pos;
    b->ew[b->nw].weight = (uint16_t)weight;
    b->nw++;
    return RETOLD_OK;
}

/* The English words of one sense line s[0..len), notes removed. */
static int read_sense(builder *b, const char *s, size_t len, unsigned sense)
{
    if (len + 1 > b->capclean) {
        char *q = realloc(b->clean, len + 1);
        if (!q) return RETOLD_NOMEM;
        b->clean = q;
        b->capclean = len + 1;
    }
    size_t n = 0;
    char close = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (close) {                             /* inside a note: skip to its end */
            if (c == close) close = 0;
            continue;
        }
        switch (c) {
        case '<': close = '>'; break;
        case '[': close = ']'; break;
        case '(': close = ')'; break;
        case '{': close = '}'; break;
        default: b->clean[n++] = c; continue;
        }
        b->clean[n++] = ' ';
    }
    const retold_token *t;
    size_t nt;
    int rc = retold_tokenize(b->tk, b->clean, n, &t, &nt);
    if (rc) return rc;
    const char *norm = retold_tokenizer_norm(b->tk);
    struct { uint32_t id; unsigned phrase; } kept[WORDS_MAX];
    unsigned nkept = 0, phrase = 0, in_phrase[WORDS_MAX] = { 0 };
    size_t at = 0;
    for (size_t i = 0; i < nt && nkept < WORDS_MAX; i++) {
        for (; at < t[i].start; at++)          /* phrases: "house, home / dwelling" */
            phrase += b->clean[at] == ',' || b->clean[at] == ';' || b->clean[at] == '/';
        const char *w = norm + t[i].norm;
        size_t wl = t[i].norm_len;
        if (wl < 2 || wl > KEY_MAX) continue;
        size_t j = 0;
        while (j < wl && w[j] >= 'a' && w[j] <= 'z') j++;
        if (j < wl) continue;                    /* IPA, digits, other scripts */
        if (retold_stopwords_is(b->en_stop, w, wl) || is_abbreviation(w, wl)) continue;
        if ((rc = sm_intern(&b->p->english, w, wl, &kept[nkept].id))) return rc;
        kept[nkept].phrase = phrase < WORDS_MAX ? phrase : WORDS_MAX - 1;
        in_phrase[kept[nkept].phrase]++;
        nkept++;
    }
    /* weight: 1/k for a word of the k-th phrase, shared among its words */
    for (unsigned i = 0; i < nkept; i++) {
        unsigned ph = kept[i].phrase;
        if ((rc = add_english(b, kept[i].id, sense, i, PHRASE_WEIGHT / (ph + 1) / in_phrase[ph])))
            return rc;
    }
    return RETOLD_OK;
}

/* Senses of the entry e[0..len): see the file head. */
static int read_entry(builder *b, const char *e, size_t len)
{
    b->nw = 0;
    const char *end = e + len, *p = memchr(e, '\n', len);
    if (!p) return RETOLD_OK;                    /* headword only */
    int numbered = -1;
    unsigned sense = 0;
    for (p++; p < end && sense < SENSES_MAX;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *q = p;
        p = le + 1;
        while (q < le && (*q == ' ' || *q == '\t')) q++;
        if (q == le) continue;
        const char *d = q;
        while (d < le && *d >= '0' && *d <= '9') d++;
        int has_number = d > q && d < le && *d == '.' && (d + 1 == le || d[1] == ' ');
        if (numbered < 0) numbered = has_number;
        if (numbered && !has_number) continue;   /* a definition between senses */
        const char *body = numbered ? d + 1 : q;
        int rc = read_sense(b, body, (size_t)(le - body), sense++);
        if (rc) return rc;
        if (!numbered) break;                    /* one sense; notes follow */
    }
    return RETOLD_OK;
}

static int add_cand(builder *b, uint32_t key, uint32_t line, uint32_t elen, size_t i)
{
    if (b->ncand == b->capcand) {
        size_t c = b->capcand ? 2 * b->capcand : 4096;
        struct cand *q = realloc(b->cand, c * sizeof *q);
        if (!q) return RETOLD_NOMEM;
        b->cand = q;
        b->capcand = c;
    }
    b->cand[b->ncand++] =
        (struct cand){ key, b->ew[i].word, line, elen, b->ew[i].sense, b->ew[i].pos, b->ew[i].weight };
    return RETOLD_OK;
}

/* Stream the .dict once, in offset order, through a window buffer. */
static int read_entries(builder *b, const char *dict_path)
{
    int rc = RETOLD_OK;
    char *win = NULL;
    size_t cap = 0, fill = 0;
    uint64_t base = 0;                           /* file offset of win[0] */
    gzFile f = gzopen(dict_path, "rb");
    if (!f) return RETOLD_IO;
    gzbuffer(f, 1u << 17);
    if (b->nrec) qsort(b->rec, b->nrec, sizeof *b->rec, by_offset);
    for (size_t r = 0; r < b->nrec; r++) {
        const record *rec = &b->rec[r];
        int same = r > 0 && rec->off == rec[-1].off && rec->len == rec[-1].len;
        if (!same && rec->len == 0) {
            b->nw = 0;                           /* an empty entry */
        } else if (!same) {
            while (base + fill < rec->off + rec->len) {
                if (rec->off > base) {           /* drop what is behind us */
                    size_t drop = rec->off - base < fill ? (size_t)(rec->off - base) : fill;
                    if (fill > drop) memmove(win, win + drop, fill - drop);
                    fill -= drop;
                    base += drop;
                }
                if (cap - fill < (1u << 16)) {
                    size_t c = cap ? 2 * cap : (1u << 18);
                    char *q = realloc(win, c);
                    if (!q) { rc = RETOLD_NOMEM; goto out; }
                    win = q;
                    cap = c;
                }
                int got = gzread(f, win + fill, (unsigned)(cap - fill));
                if (got < 0) { rc = RETOLD_IO; goto out; }
                if (got == 0) { rc = RETOLD_PARSE; goto out; }   /* entry past the end */
                fill += (size_t)got;
            }
            size_t at = (size_t)(rec->off - base);
            TRY(read_entry(b, win + at, rec->len));
            for (size_t i = 0; i < b->nw; i++) {       /* df: once per sense */
                uint32_t w = b->ew[i].word;
                if (w >= b->capdf) {
                    size_t c = b->capdf ? b->capdf : 1024;
                    while (c <= w) c *= 2;
                    uint32_t *q = realloc(b->df, c * sizeof *q);
                    if (!q) { rc = RETOLD_NOMEM; goto out; }
                    memset(q + b->capdf, 0, (c - b->capdf) * sizeof *q);
                    b->df = q;
                    b->capdf = c;
                }
                b->df[w]++;
            }
        }
        for (size_t i = 0; i < b->nw; i++) {
            if (rec->key != NONE) TRY(add_cand(b, rec->key, rec->line, rec->len, i));
        }
    }
out:
    free(win);
    gzclose(f);
    return rc;
}

/* ---- ranking ----------------------------------------------------------- */

static int by_word_then_order(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->word != b->word) return a->word < b->word ? -1 : 1;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->sense != b->sense) return a->sense < b->sense ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

typedef struct ranked {
    uint32_t word, score, df;
    uint64_t rich;                  /* bytes of the entries it comes from */
    uint64_t first;                 /* line << 32 | sense << 16 | pos */
} ranked;

static int better(const ranked *a, const ranked *b)
{
    if (a->score != b->score) return a->score > b->score;
    if (a->rich != b->rich) return a->rich > b->rich;
    if (a->df != b->df) return a->df > b->df;
    return a->first < b->first;
}

/* Pick each key's English words from its candidates (see the file head).
 * The candidates are the exact keys'; map[] sends each exact key to the key
 * of table t it counts for (NULL: itself). */
static int rank_keys(builder *b, keytable *t, const uint32_t *map)
{
    uint32_t nk = t->keys.n;
    const struct cand *c = b->cand;
    size_t n = b->ncand, gcap = 0;
    int rc = RETOLD_OK;
    size_t *start = calloc((size_t)nk + 1, sizeof *start);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    struct cand *g = NULL;
    t->eng = calloc(nk ? nk : 1, sizeof *t->eng);
    t->neng = calloc(nk ? nk : 1, 1);
    if (!start || !order || !t->eng || !t->neng) { rc = RETOLD_NOMEM; goto out; }
#define KEY_OF(i) (map ? map[c[i].key] : c[i].key)
    for (size_t i = 0; i < n; i++)                      /* counting sort by key */
        if (KEY_OF(i) != NONE) start[KEY_OF(i) + 1]++;
    for (uint32_t k = 0; k < nk; k++) start[k + 1] += start[k];
    for (size_t i = 0; i < n; i++)
        if (KEY_OF(i) != NONE) order[start[KEY_OF(i)]++] = (uint32_t)i;
#undef KEY_OF
    for (uint32_t k = nk; k > 0; k--) start[k] = start[k - 1];
    start[0] = 0;
    for (uint32_t k = 0; k < nk; k++) {
        size_t gn = start[k + 1] - start[k];
        if (gn > gcap) {
            struct cand *q = realloc(g, gn * sizeof *q);
            if (!q) { rc = RETOLD_NOMEM; goto out; }
            g = q;
            gcap = gn;
        }
        for (size_t i = 0; i < gn; i++) g[i] = c[order[start[k] + i]];
        if (gn > 1) qsort(g, gn, sizeof *g, by_word_then_order);
        ranked best[RETOLD_PIVOT_MAX];
        size_t nb = 0;
        for (size_t i = 0; i < gn;) {
            ranked r = { g[i].word, 0, b->df[g[i].word], 0,
                         (uint64_t)g[i].line << 32 | (uint64_t)g[i].sense << 16 | g[i].pos };
            size_t j = i;
            for (; j < gn && g[j].word == r.word; j++)
                if (j == i || g[j].line != g[j - 1].line || g[j].sense != g[j - 1].sense)
                {                                 /* once per sense, its heaviest */
                    r.score += g[j].weight;
                    r.rich += g[j].elen;
                }
            i = j;
            size_t at = nb;                       /* insertion into the top list */
            while (at > 0 && better(&r, &best[at - 1])) at--;
            if (at >= RETOLD_PIVOT_MAX) continue;
            if (nb < RETOLD_PIVOT_MAX) nb++;
            memmove(best + at + 1, best + at, (nb - 1 - at) * sizeof *best);
            best[at] = r;
        }
        for (size_t i = 0; i < nb; i++) t->eng[k][i] = best[i].word;
        t->neng[k] = (uint8_t)nb;
    }
out:
    free(start);
    free(order);
    free(g);
    return rc;
}

/* Keep only the English words some key refers to, and renumber them. */
static int compact_english(retold_pivot *p)
{
    strmap keep = { 0 };
    int rc = RETOLD_OK;
    keytable *tables[2] = { &p->exact, &p->stem };
    uint32_t *map = malloc((p->english.n ? p->english.n : 1) * sizeof *map);
    if (!map) return RETOLD_NOMEM;
    for (uint32_t i = 0; i < p->english.n; i++) map[i] = NONE;
    for (int t = 0; t < 2; t++)
        for (uint32_t k = 0; k < tables[t]->keys.n; k++)
            for (unsigned i = 0; i < tables[t]->neng[k]; i++) {
                uint32_t *w = &tables[t]->eng[k][i];
                if (map[*w] == NONE) {
                    const sm_item *it = &p->english.item[*w];
                    TRY(sm_intern(&keep, p->english.arena + it->off, it->len, &map[*w]));
                }
                *w = map[*w];
            }
    sm_release(&p->english);
    p->english = keep;
    keep = (strmap){ 0 };
out:
    sm_release(&keep);
    free(map);
    return rc;
}

int retold_pivot_open(const char *index_path, const char *dict_path,
                      const char *lang, retold_pivot **out)
{
    if (!out) return RETOLD_INVAL;
    *out = NULL;
    if (!index_path || !dict_path) return RETOLD_INVAL;
    struct stat sb;
    if (stat(index_path, &sb) != 0) return RETOLD_NOTFOUND;
    int rc = RETOLD_OK;
    char *index = NULL;
    size_t index_len = 0;
    builder b = { 0 };
    b.p = calloc(1, sizeof *b.p);
    b.tk = retold_tokenizer_new(0, 0);
    if (!b.p || !b.tk) { rc = RETOLD_NOMEM; goto out; }
    rc = retold_stopwords_new("en", &b.en_stop);
    if (rc) goto out;
    if (lang) {
        char code[RETOLD_LANG_MAX];
        size_t row = retold_stopwords_lang(lang, strlen(lang), code) == RETOLD_OK
                     ? lang_row(code) : NLANG;
        if (row < NLANG && languages[row].snowball) {
            b.st = sb_stemmer_new(languages[row].snowball, "UTF_8");
            if (b.st) b.p->stemmer = languages[row].snowball;
        }
    }
    TRY(slurp(index_path, &index, &index_len));
    TRY(parse_index(&b, index, index_len));
    free(index);
    index = NULL;
    TRY(read_entries(&b, dict_path));
    free(b.rec);
    b.rec = NULL;
    TRY(rank_keys(&b, &b.p->exact, NULL));
    TRY(rank_keys(&b, &b.p->stem, b.stem_of));      /* a stem's: its headwords' */
    TRY(compact_english(b.p));
    sm_shrink(&b.p->exact.keys);
    sm_shrink(&b.p->stem.keys);
    sm_shrink(&b.p->english);
    *out = b.p;
    b.p = NULL;
out:
    free(index);
    retold_pivot_free(b.p);
    retold_tokenizer_free(b.tk);
    if (b.st) sb_stemmer_delete(b.st);
    retold_stopwords_free(b.en_stop);
    free(b.rec);
    free(b.ew);
    free(b.df);
    free(b.cand);
    free(b.stem_of);
    free(b.clean);
    return rc;
}

/* ---- the process-wide registry ------------------------------------------ */

#define REGISTRY 64

static struct {
    char code[RETOLD_LANG_MAX];
    int status;
    retold_pivot *p;
} registry[REGISTRY];
static size_t nregistry;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int load_language(const char *fd, const char *snowball_lang, retold_pivot **out)
{
    const char *dir = getenv("RETOLD_DICT_DIR");
    if (!dir || !*dir) dir = DEFAULT_DIR;
    size_t need = strlen(dir) + sizeof "/freedict-xxx-eng.dict.dz" + 8;
    char *index = malloc(need), *dict = malloc(need);
    int rc = RETOLD_NOMEM;
    if (!index || !dict) goto out;
    snprintf(index, need, "%s/freedict-%s-eng.index", dir, fd);
    snprintf(dict, need, "%s/freedict-%s-eng.dict.dz", dir, fd);
    if (!file_exists(dict)) snprintf(dict, need, "%s/freedict-%s-eng.dict", dir, fd);
    rc = (file_exists(index) && file_exists(dict))
         ? retold_pivot_open(index, dict, snowball_lang, out) : RETOLD_NOTFOUND;
out:
    free(index);
    free(dict);
    return rc;
}

int retold_pivot_get(const char *lang, const retold_pivot **out)
{
    if (!out) return RETOLD_INVAL;
    *out = NULL;
    char code[RETOLD_LANG_MAX];
    if (!lang || retold_stopwords_lang(lang, strlen(lang), code) != RETOLD_OK) return RETOLD_INVAL;
    if (strcmp(code, "en") == 0 || strcmp(code, "eng") == 0) return RETOLD_NOTFOUND;
    size_t row = lang_row(code);
    const char *fd = row < NLANG ? languages[row].fd : code;
    if (strlen(fd) != 3) return RETOLD_NOTFOUND;    /* a 2-letter code we cannot map */
    int rc;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < nregistry; i++)
        if (strcmp(registry[i].code, fd) == 0) {
            rc = registry[i].status;
            *out = registry[i].p;
            goto out;
        }
    retold_pivot *p = NULL;
    rc = load_language(fd, row < NLANG ? languages[row].iso1 : NULL, &p);
    if (rc == RETOLD_NOMEM) goto out;               /* not remembered */
    if (nregistry == REGISTRY) {
        retold_pivot_free(p);
        rc = RETOLD_TOOBIG;
        goto out;
    }
    strcpy(registry[nregistry].code, fd);
    registry[nregistry].status = rc;
    registry[nregistry].p = p;
    nregistry++;
    *out = p;
out:
    pthread_mutex_unlock(&registry_lock);
    return rc;
}
