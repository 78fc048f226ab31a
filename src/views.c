/*
 * views.c - rewrite and cross-language shingles (see views.h).
 *
 * Cost per document, beyond tokenising: one stopword lookup per token, one
 * Snowball stem per content word (rewrite; cached per language stemmer),
 * RETOLD_REWRITE_WINDOW pair hashes per content word; one transliteration
 * per non-ASCII content word (cross).  These views are computed only when
 * asked for, so the copy channel's hot path never pays for them.
 */
#include "retold/views.h"
#include "retold/stopwords.h"
#include "retold/translit.h"
#include "retold/pivot.h"
#include "retold/error.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

const retold_stopwords *retold__stopwords_for(const char *lang);   /* lang.c */

/* Salts keep the views' hash spaces apart. */
#define SALT_STEM   0x5245575249544531ULL   /* "REWRITE1" */
#define SALT_PAIR   0x5041495253303031ULL
#define SALT_QUOTE  0x51554f5445533031ULL
#define SALT_PREFIX 0x43524f5353303031ULL
#define SALT_NAME   0x4e414d4553303031ULL
#define SALT_NUMBER 0x4e554d4245523031ULL

#define PIVOT_WORDS 2       /* English words added per foreign content word */

#define STEMMERS 16

typedef struct stemmer_slot {
    char lang[RETOLD_LANG_LEN];
    struct sb_stemmer *st;          /* NULL: no Snowball algorithm */
} stemmer_slot;

struct retold_views {
    uint64_t seed;
    stemmer_slot stem[STEMMERS];
    size_t nstem;
    uint64_t *out, *words;
    size_t cap, capwords;
    char buf[1024];
    char pivot_lang[RETOLD_LANG_LEN];   /* language of `pivot` ("" : none yet) */
    const retold_pivot *pivot;          /* shared, process lifetime; NULL: none */
};

static const struct { const char *iso, *snowball; } algorithms[] = {
    { "ar", "arabic" }, { "hy", "armenian" }, { "eu", "basque" }, { "ca", "catalan" },
    { "da", "danish" }, { "nl", "dutch" }, { "en", "english" }, { "fi", "finnish" },
    { "fr", "french" }, { "de", "german" }, { "el", "greek" }, { "hi", "hindi" },
    { "hu", "hungarian" }, { "id", "indonesian" }, { "ga", "irish" }, { "it", "italian" },
    { "lt", "lithuanian" }, { "ne", "nepali" }, { "no", "norwegian" }, { "pt", "portuguese" },
    { "ro", "romanian" }, { "ru", "russian" }, { "sr", "serbian" }, { "es", "spanish" },
    { "sv", "swedish" }, { "ta", "tamil" }, { "tr", "turkish" }, { "yi", "yiddish" },
};

retold_views *retold_views_new(uint64_t seed)
{
    retold_views *v = calloc(1, sizeof *v);
    if (v) v->seed = seed;
    return v;
}

void retold_views_free(retold_views *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->nstem; i++)
        if (v->stem[i].st) sb_stemmer_delete(v->stem[i].st);
    free(v->out);
    free(v->words);
    free(v);
}

static struct sb_stemmer *stemmer_for(retold_views *v, const char *lang)
{
    for (size_t i = 0; i < v->nstem; i++)
        if (strcmp(v->stem[i].lang, lang) == 0) return v->stem[i].st;
    struct sb_stemmer *st = NULL;
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
        if (strcmp(algorithms[i].iso, lang) == 0) { st = sb_stemmer_new(algorithms[i].snowball, "UTF_8"); break; }
    if (v->nstem < STEMMERS) {
        strcpy(v->stem[v->nstem].lang, lang);
        v->stem[v->nstem++].st = st;
    } else if (st) {
        sb_stemmer_delete(st);          /* too many languages in one thread */
        st = NULL;
    }
    return st;
}

static int reserve(uint64_t **p, size_t *cap, size_t n)
{
    if (n <= *cap) return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < n) c *= 2;
    uint64_t *q = realloc(*p, c * sizeof *q);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int is_content(const retold_token *t, const char *norm, const retold_stopwords *sw)
{
    if (t->flags & (RETOLD_TOK_NUMERIC | RETOLD_TOK_DENSE)) return 1;
    const char *w = norm + t->norm;
    if (utf8_chars(w, t->norm_len) < 2) return 0;
    return !retold_stopwords_is(sw, w, t->norm_len);
}

static inline uint64_t pair_hash(uint64_t a, uint64_t b, uint64_t seed)
{
    uint64_t two[2] = { a, b };
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    two[0] = __builtin_bswap64(a);
    two[1] = __builtin_bswap64(b);
#endif
    return XXH3_64bits_withSeed(two, sizeof two, seed);
}

size_t retold_views_rewrite(retold_views *v, const retold_token *t, size_t n,
                            const char *norm, const char *lang, const uint64_t **out)
{
    const retold_stopwords *sw = retold__stopwords_for(lang);
    struct sb_stemmer *st = stemmer_for(v, lang);
    const size_t W = RETOLD_REWRITE_WINDOW;
    if (reserve(&v->words, &v->capwords, n + 1) || reserve(&v->out, &v->cap, (W + 1) * n + 1))
        return (size_t)-1;
    size_t m = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_content(&t[i], norm, sw)) continue;
        const char *w = norm + t[i].norm;
        size_t len = t[i].norm_len;
        if (st && !(t[i].flags & (RETOLD_TOK_NUMERIC | RETOLD_TOK_DENSE))) {
            const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len);
            if (s) { w = (const char *)s; len = (size_t)sb_stemmer_length(st); }
        }
        v->words[m++] = XXH3_64bits_withSeed(w, len, v->seed ^ SALT_STEM);
    }
    for (size_t i = 0; i < m; i++)
        for (size_t d = 1; d <= W && i + d < m; d++)
            v->out[k++] = pair_hash(v->words[i], v->words[i + d], v->seed ^ SALT_PAIR);
    for (size_t i = 0; i + 1 < n; i++)
        if ((t[i].flags & t[i + 1].flags & RETOLD_TOK_QUOTED))
            v->out[k++] = pair_hash(t[i].hash, t[i + 1].hash, v->seed ^ SALT_QUOTE);
    if (m == 1) v->out[k++] = v->words[0];     /* a one-word text still has a shingle */
    *out = v->out;
    return k;
}

/* Transliterate w[0..len) into v->buf; returns the length (0 on failure). */
static size_t latin(retold_views *v, const char *w, size_t len)
{
    size_t ascii = 1;
    for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)w[i] < 0x80;
    if (ascii) {
        if (len > sizeof v->buf) return 0;
        memcpy(v->buf, w, len);
        return len;
    }
    size_t got;
    if (RETOLD_TRANSLIT_MAX(len) > sizeof v->buf ||
        retold_translit(w, len, v->buf, sizeof v->buf, &got) != RETOLD_OK) return 0;
    return got;
}

/* First p characters (code points) of s[0..len). */
static size_t prefix_bytes(const char *s, size_t len, size_t p)
{
    size_t i = 0, chars = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == p) break;
            chars++;
        }
        i++;
    }
    return i;
}

/* The content prefix of Latin text s[0..l) (l <= sizeof v->buf); its
 * phonetic key is left in k[0..*kl) (k has sizeof v->buf bytes).  The
 * phonetic key folds spelling conventions (c/k, ts/s, kh/h, y/i), so
 * cognates agree before they are cut: deklaratsiya, declaration and
 * Deklaration all give "dekla", sotsialnyi and social "sosia". */
static uint64_t content_prefix(retold_views *v, const char *s, size_t l, char *k, size_t *kl)
{
    if (retold_translit_phonetic(s, l, k, sizeof v->buf, kl) != RETOLD_OK || !*kl) {
        memcpy(k, s, l);
        *kl = l;
    }
    size_t p = prefix_bytes(k, *kl, RETOLD_CROSS_PREFIX);
    return XXH3_64bits_withSeed(k, p, v->seed ^ SALT_PREFIX) & ~(uint64_t)RETOLD_CROSS_KEY_BIT;
}

/* The cross-view features of token t: its content prefix (0 if none) and
 * its name/number key (0 if none). */
static void cross_features(retold_views *v, const retold_token *t, const char *norm,
                           const retold_stopwords *sw, uint64_t *prefix, uint64_t *key)
{
    const char *w = norm + t->norm;
    size_t len = t->norm_len;
    *prefix = *key = 0;
    if (t->flags & RETOLD_TOK_NUMERIC) {
        if (len >= 2) *key = XXH3_64bits_withSeed(w, len, v->seed ^ SALT_NUMBER) | RETOLD_CROSS_KEY_BIT;
        return;
    }
    if (!is_content(t, norm, sw)) return;
    if (t->flags & RETOLD_TOK_DENSE) {
        *prefix = XXH3_64bits_withSeed(w, len, v->seed ^ SALT_PREFIX) & ~(uint64_t)RETOLD_CROSS_KEY_BIT;
        return;
    }
    size_t l = latin(v, w, len);
    if (l == 0) return;
    char k[sizeof v->buf];
    size_t kl;
    *prefix = content_prefix(v, v->buf, l, k, &kl);
    if ((t->flags & RETOLD_TOK_UPPER) && !(t->flags & RETOLD_TOK_SENT) && l >= 3)
        *key = XXH3_64bits_withSeed(k, kl, v->seed ^ SALT_NAME) | RETOLD_CROSS_KEY_BIT;
}

/* Pivot features of content word w[0..len) of a non-English text into out
 * (at most PIVOT_WORDS): the content prefixes (as cross_features makes them)
 * of the word's first English translations (pivot.h), found by the word or,
 * in a small dictionary without that form, by its Snowball stem.  "wurde"
 * -> "dignity" -> "digni", the prefix the English original has; English
 * texts get nothing new, so their signatures do not depend on what
 * dictionaries are installed. */
static size_t pivot_features(retold_views *v, const char *w, size_t len, const char *lang,
                             uint64_t *out)
{
    if (!v->pivot) return 0;
    const char *e[PIVOT_WORDS];
    size_t el[PIVOT_WORDS];
    size_t m = retold_pivot_lookup(v->pivot, w, len, e, el, PIVOT_WORDS);
    if (m == 0 && retold_pivot_stemmer(v->pivot)) {
        struct sb_stemmer *st = stemmer_for(v, lang);
        const sb_symbol *s = st ? sb_stemmer_stem(st, (const sb_symbol *)w, (int)len) : NULL;
        if (s) m = retold_pivot_lookup_stem(v->pivot, (const char *)s, (size_t)sb_stemmer_length(st),
                                            e, el, PIVOT_WORDS);
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        char key[sizeof v->buf];
        size_t kl;
        if (RETOLD_TRANSLIT_MAX(el[i]) <= sizeof v->buf)   /* English words are short */
            out[k++] = content_prefix(v, e[i], el[i], key, &kl);
    }
    return k;
}

size_t retold_views_cross(retold_views *v, const retold_token *t, size_t n,
                          const char *norm, const char *lang, const uint64_t **out)
{
    const retold_stopwords *sw = retold__stopwords_for(lang);
    if (reserve(&v->out, &v->cap, (2 + PIVOT_WORDS) * n + 1)) return (size_t)-1;
    if (strncmp(v->pivot_lang, lang, RETOLD_LANG_LEN) != 0) {   /* language changed */
        if (retold_pivot_get(lang, &v->pivot) != RETOLD_OK) v->pivot = NULL;   /* none */
        strncpy(v->pivot_lang, lang, RETOLD_LANG_LEN - 1);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t prefix, key;
        cross_features(v, &t[i], norm, sw, &prefix, &key);
        if (prefix) v->out[k++] = prefix;
        if (key) v->out[k++] = key;
        if (prefix && !(t[i].flags & RETOLD_TOK_DENSE))
            k += pivot_features(v, norm + t[i].norm, t[i].norm_len, lang, v->out + k);
    }
    *out = v->out;
    return k;
}

int retold_views_keys(retold_views *v, const retold_token *t, size_t n,
                      const char *norm, const char *lang, uint64_t *keys)
{
    const retold_stopwords *sw = retold__stopwords_for(lang);
    for (size_t i = 0; i < n; i++) {
        uint64_t prefix;
        cross_features(v, &t[i], norm, sw, &prefix, &keys[i]);
    }
    return RETOLD_OK;
}
