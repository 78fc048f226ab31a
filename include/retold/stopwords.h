/*
 * retold/stopwords.h - per-language stopword sets with O(1) lookup.
 *
 * The lists are made by the project from word frequencies in freely
 * licensed corpora (scripts/make-stopwords; provenance and method in
 * data/stopwords/README.md) and are compiled into the library, so an
 * installed retold needs no data files.  Words are stored in normalised
 * form (lower case, diacritics dropped: "fur", "uber", "etre"), the form
 * the tokeniser produces, so a token's bytes can be looked up as they are.
 *
 * Languages (ISO 639-1): cs da de el en es fi fr hi it nl no pl pt ru sv tr
 * uk; retold_stopwords_languages() lists them at run time.
 *
 * A set is immutable once made: any number of threads may query one set.
 */
#ifndef RETOLD_STOPWORDS_H
#define RETOLD_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retold_stopwords retold_stopwords;

/* Longest primary language subtag retold_stopwords_lang() writes, with NUL. */
#define RETOLD_LANG_MAX 4

/* The primary language subtag of a language tag, lower case, in out[]
 * (NUL-terminated).  Accepts BCP 47 tags and POSIX locale names as people
 * write them: "de", "DE", "de-1996", "pt_BR", "zh-Hant", "sr-Latn-RS",
 * "de_DE.UTF-8", "en@euro".  ISO 639-2/3 codes of the languages we have
 * lists for map to their ISO 639-1 code ("deu", "ger" -> "de"), as do the
 * deprecated "iw" -> "he", "in" -> "id", "ji" -> "yi", and Norwegian "nb",
 * "nn" -> "no" (one list serves both written standards).
 * Returns RETOLD_OK, or RETOLD_INVAL when the primary subtag is not 2 or 3
 * ASCII letters (empty, "x-private", "12"). */
int retold_stopwords_lang(const char *tag, size_t len, char out[RETOLD_LANG_MAX]);

/* Make the built-in set for language tag `tag` (any form accepted by
 * retold_stopwords_lang).  On success *out is a new set owned by the caller
 * (free it with retold_stopwords_free).  Returns RETOLD_OK, RETOLD_INVAL,
 * RETOLD_NOTFOUND (no list for that language; *out = NULL) or RETOLD_NOMEM. */
int retold_stopwords_new(const char *tag, retold_stopwords **out);

/* Make a set from a file of one word per line (UTF-8; blank lines and lines
 * starting with '#' are skipped).  Each word is normalised as the tokeniser
 * would (retold_normalize), so the file may be written in ordinary
 * spelling.  Returns RETOLD_OK, RETOLD_IO (file cannot be read), RETOLD_TOOBIG
 * (a line over 255 bytes or more than 1,000,000 words) or RETOLD_NOMEM. */
int retold_stopwords_load(const char *path, retold_stopwords **out);

/* Free a set; NULL is a no-op. */
void retold_stopwords_free(retold_stopwords *sw);

/* 1 if word[0..len) (normalised bytes) is in the set, else 0.  A NULL set
 * contains nothing.  One XXH3 hash and, on a hit, one memcmp. */
int retold_stopwords_is(const retold_stopwords *sw, const char *word, size_t len);

/* The same, given h = XXH3_64bits(word, len) (seed 0): for looking one word
 * up in several sets with one hash. */
int retold_stopwords_is_hashed(const retold_stopwords *sw, const char *word, size_t len, uint64_t h);

/* Number of words in the set (0 for NULL). */
size_t retold_stopwords_count(const retold_stopwords *sw);

/* The language of the set ("de"; "" for a set loaded from a file).  Static
 * or owned by the set; valid until it is freed. */
const char *retold_stopwords_language(const retold_stopwords *sw);

/* The languages with a built-in list, sorted: *count codes in static
 * storage.  Never fails. */
const char *const *retold_stopwords_languages(size_t *count);

#ifdef __cplusplus
}
#endif
#endif /* RETOLD_STOPWORDS_H */
