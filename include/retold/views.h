/*
 * retold/views.h - the rewrite and cross-language views, and language
 * detection.  (The surface view is shingle.h's word n-grams.)
 *
 * Content words: tokens that are not stopwords of the document's language
 * and are longer than one character (numbers and dense-script bigrams are
 * always content).
 *
 * REWRITE view: content words stemmed with Snowball (libstemmer) for the
 * document's language, hashed, and combined into ordered skip-pairs
 * (w_i, w_j) for 0 < j - i <= RETOLD_REWRITE_WINDOW; plus pairs of adjacent
 * tokens that both stand inside double quotation marks (quotes survive a
 * rewrite word for word).  Measured on the seed articles: the rewrite pair
 * 000-001 shares ~4x more of these than any unrelated same-event pair;
 * single words or character n-grams do not separate it at all.
 *
 * CROSS view (language-independent): content words transliterated to Latin
 * (translit.h) and cut to their first RETOLD_CROSS_PREFIX characters
 * ("retreat" and "retraite" -> "retra"); plus keys for names (capitalised
 * tokens not at a sentence start, folded by retold_translit_phonetic so that
 * Kherson/Cherson/Херсон agree) and numbers of two or more digits.  Name and
 * number keys have the low bit of their hash set (RETOLD_CROSS_KEY_BIT),
 * content prefixes have it clear, so verification can measure shared names
 * alone ("related": the same event, no textual relation).  In a text that
 * is not English, a content word found in the language's FreeDict
 * dictionary (pivot.h; where installed) also adds the content prefixes of
 * its first two English translations ("wurde" -> dignity -> "digni"), which
 * the English original has among its own prefixes; English texts are
 * unchanged, so their features never depend on the dictionaries installed.
 *
 * Language: the document's `lang` field when given (its primary subtag:
 * "pt_BR" -> "pt"), else detected from the script and from stopword counts
 * (retold_lang_detect).
 */
#ifndef RETOLD_VIEWS_H
#define RETOLD_VIEWS_H

#include <stddef.h>
#include <stdint.h>
#include "retold/tokenize.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RETOLD_REWRITE_WINDOW 3
#define RETOLD_CROSS_PREFIX   5
#define RETOLD_CROSS_KEY_BIT  1u
#define RETOLD_LANG_LEN       4      /* "en" + NUL, room for 3-letter codes */

/* Detect the language of a tokenised text: writes an ISO 639-1 code (or
 * "und" when unsure) to lang.  Thread-safe. */
void retold_lang_detect(const retold_token *tokens, size_t n, const char *norm,
                        char lang[RETOLD_LANG_LEN]);

/* The primary subtag of a language tag ("pt_BR" -> "pt", "deu" -> "de");
 * "und" when it has none. */
void retold_lang_primary(const char *tag, size_t len, char lang[RETOLD_LANG_LEN]);

typedef struct retold_views retold_views;

/* Per-thread state: stemmers by language, scratch buffers.  NULL on OOM. */
retold_views *retold_views_new(uint64_t seed);
void retold_views_free(retold_views *v);          /* NULL is a no-op */

/* Rewrite-view shingle hashes of the tokens, for language lang.  *out is
 * owned by v and valid until its next call.  Returns the count, or
 * (size_t)-1 when out of memory. */
size_t retold_views_rewrite(retold_views *v, const retold_token *tokens, size_t n,
                            const char *norm, const char *lang, const uint64_t **out);

/* Cross-view shingle hashes (see above).  Same contract. */
size_t retold_views_cross(retold_views *v, const retold_token *tokens, size_t n,
                          const char *norm, const char *lang, const uint64_t **out);

/* The name/number key of every token (0 where a token has none), into
 * keys[0..n): the cross view's RETOLD_CROSS_KEY_BIT hashes, token by
 * token, so evidence can point at the shared names in both texts. */
int retold_views_keys(retold_views *v, const retold_token *tokens, size_t n,
                      const char *norm, const char *lang, uint64_t *keys);

#ifdef __cplusplus
}
#endif
#endif
