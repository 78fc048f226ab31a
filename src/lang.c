/*
 * lang.c - language of a document: from its script, then from stopwords.
 *
 * Scripts that name their language well enough decide alone (Greek -> el,
 * Hangul -> ko, Thai -> th, Hebrew -> he, Devanagari -> hi, Arabic -> ar,
 * Han with kana -> ja, Han alone -> zh).  Latin and Cyrillic text is scored
 * against every built-in stopword list of that script: the language whose
 * list covers most of the first 400 tokens wins if it covers at least 10 %
 * of them and at least 3 tokens; otherwise "und".  Stopwords are 30-50 % of
 * running text in the languages we list, so the margin is wide: on the UDHR
 * articles and the seed articles this picks the right language for every
 * document with more than ~20 words (tests/check_views.c).
 */
#include "retold/views.h"
#include "retold/stopwords.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define SAMPLE 400      /* tokens scored: enough for a clear winner */

static retold_stopwords **all_sets;
static size_t all_count;
static pthread_once_t all_once = PTHREAD_ONCE_INIT;

/* Which languages may have a stopword with given top 16 hash bits: one
 * load per token tells which (usually none or one or two) of the 18 sets
 * to look the word up in. */
#define MAYBE_BITS 16
static uint32_t *maybe;              /* 2^MAYBE_BITS language masks */

void retold__stopwords_hashes(const retold_stopwords *sw, void (*fn)(void *ctx, uint64_t h), void *ctx);

typedef struct mark_ctx { uint32_t bit; } mark_ctx;
static void mark(void *ctx, uint64_t h)
{
    maybe[h >> (64 - MAYBE_BITS)] |= ((mark_ctx *)ctx)->bit;
}

static void load_all(void)
{
    size_t n;
    const char *const *langs = retold_stopwords_languages(&n);
    all_sets = calloc(n, sizeof *all_sets);
    if (!all_sets) return;
    for (size_t i = 0; i < n; i++)
        if (retold_stopwords_new(langs[i], &all_sets[i]) != 0) all_sets[i] = NULL;
    all_count = n;
    if (n <= 32 && (maybe = calloc((size_t)1 << MAYBE_BITS, sizeof *maybe)) != NULL)
        for (size_t i = 0; i < n; i++) {
            mark_ctx c = { (uint32_t)1 << i };
            retold__stopwords_hashes(all_sets[i], mark, &c);
        }
}

/* Process-wide stopword sets, built once; NULL entries for failures. */
const retold_stopwords *retold__stopwords_for(const char *lang)
{
    pthread_once(&all_once, load_all);
    for (size_t i = 0; i < all_count; i++)
        if (all_sets[i] && strcmp(retold_stopwords_language(all_sets[i]), lang) == 0) return all_sets[i];
    return NULL;
}

void retold_lang_primary(const char *tag, size_t len, char lang[RETOLD_LANG_LEN])
{
    char out[RETOLD_LANG_MAX];
    if (tag && len && retold_stopwords_lang(tag, len, out) == 0) {
        memcpy(lang, out, RETOLD_LANG_LEN < RETOLD_LANG_MAX ? RETOLD_LANG_LEN : RETOLD_LANG_MAX);
        lang[RETOLD_LANG_LEN - 1] = 0;
    } else {
        strcpy(lang, "und");
    }
}

enum { S_LATIN, S_CYRILLIC, S_GREEK, S_ARABIC, S_HEBREW, S_DEVANAGARI, S_HAN,
       S_KANA, S_HANGUL, S_THAI, S_OTHER, S_COUNT };

static int script_of(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80) return (c >= 'a' && c <= 'z') ? S_LATIN : S_OTHER;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    else if ((c & 0xF0) == 0xE0) cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    else cp = 0x20000;
    if (cp < 0x250) return S_LATIN;
    if (cp >= 0x370 && cp < 0x400) return S_GREEK;
    if (cp >= 0x400 && cp < 0x530) return S_CYRILLIC;
    if (cp >= 0x590 && cp < 0x600) return S_HEBREW;
    if (cp >= 0x600 && cp < 0x700) return S_ARABIC;
    if (cp >= 0x900 && cp < 0x980) return S_DEVANAGARI;
    if (cp >= 0xE00 && cp < 0xE80) return S_THAI;
    if (cp >= 0x3040 && cp < 0x3100) return S_KANA;
    if (cp >= 0xAC00 && cp < 0xD7B0) return S_HANGUL;
    if ((cp >= 0x4E00 && cp < 0xA000) || cp >= 0x20000) return S_HAN;
    return S_OTHER;
}

void retold_lang_detect(const retold_token *t, size_t n, const char *norm,
                        char lang[RETOLD_LANG_LEN])
{
    size_t count[S_COUNT] = {0};
    size_t m = n < SAMPLE ? n : SAMPLE;
    for (size_t i = 0; i < m; i++)
        count[script_of((const unsigned char *)norm + t[i].norm)]++;
    int best = S_OTHER;
    for (int s = 0; s < S_COUNT; s++)
        if (count[s] > count[best] || (best == S_OTHER && count[s] > 0)) best = s;
    strcpy(lang, "und");
    switch (best) {
    case S_GREEK: strcpy(lang, "el"); return;
    case S_HEBREW: strcpy(lang, "he"); return;
    case S_ARABIC: strcpy(lang, "ar"); return;
    case S_DEVANAGARI: strcpy(lang, "hi"); return;
    case S_THAI: strcpy(lang, "th"); return;
    case S_HANGUL: strcpy(lang, "ko"); return;
    case S_KANA: strcpy(lang, "ja"); return;
    case S_HAN: strcpy(lang, count[S_KANA] * 20 > count[S_HAN] ? "ja" : "zh"); return;
    case S_LATIN: case S_CYRILLIC: break;
    default: return;
    }
    pthread_once(&all_once, load_all);
    size_t best_hits = 0;
    const char *best_lang = NULL;
    size_t hits[32] = {0};
    if (maybe) {
        /* each word hashed once and looked up only where it may be */
        for (size_t i = 0; i < m; i++) {
            const char *w = norm + t[i].norm;
            uint64_t h = XXH3_64bits(w, t[i].norm_len);
            for (uint32_t c = maybe[h >> (64 - MAYBE_BITS)]; c; c &= c - 1) {
                int k = __builtin_ctz(c);
                hits[k] += (size_t)retold_stopwords_is_hashed(all_sets[k], w, t[i].norm_len, h);
            }
        }
    }
    for (size_t k = 0; k < all_count; k++) {
        if (!all_sets[k]) continue;
        size_t hk = 0;
        if (maybe) hk = hits[k];
        else
            for (size_t i = 0; i < m; i++)
                hk += (size_t)retold_stopwords_is(all_sets[k], norm + t[i].norm, t[i].norm_len);
        if (hk > best_hits) { best_hits = hk; best_lang = retold_stopwords_language(all_sets[k]); }
    }
    if (best_lang && best_hits >= 3 && best_hits * 10 >= count[best]) {
        strncpy(lang, best_lang, RETOLD_LANG_LEN - 1);
        lang[RETOLD_LANG_LEN - 1] = 0;
    }
}
