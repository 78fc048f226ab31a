/*
 * retold/pivot.h - word-to-English pivot from FreeDict dictionaries.
 *
 * A pivot maps a normalised foreign word ("wurde", "liberte": lower case,
 * diacritics dropped, exactly as the tokeniser emits it) to at most
 * RETOLD_PIVOT_MAX English words ("dignity"), so the cross-language view can
 * give a German text and its English original features in common beyond
 * shared spellings.
 *
 * The words come from Debian's FreeDict packages (dict-freedict-deu-eng,
 * -fra-eng, -spa-eng, ...), read at run time from
 *     $RETOLD_DICT_DIR/freedict-XXX-eng.index      (default /usr/share/dictd)
 *     $RETOLD_DICT_DIR/freedict-XXX-eng.dict.dz    (or .dict, uncompressed)
 * A missing dictionary is not an error: retold_pivot_get() answers
 * RETOLD_NOTFOUND and the caller carries on without a pivot.
 * doc/pivot.md describes the dictd format, how translations are picked from
 * an entry and ranked, and the measured load time and memory.
 *
 * Two kinds of key are looked up:
 *   exact  the headword as a single token (multi-word headwords are skipped);
 *   stem   the Snowball stem of the headword, for the languages Snowball
 *          covers, so that inflected forms missing from a small dictionary
 *          ("derechos") still find the entry ("derecho"): every headword with
 *          that stem contributes to the stem's translations.
 *
 * A pivot is immutable once made: any number of threads may look words up
 * in one pivot without locking.
 */
#ifndef RETOLD_PIVOT_H
#define RETOLD_PIVOT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retold_pivot retold_pivot;

/* Most English words kept per key. */
#define RETOLD_PIVOT_MAX 3

/* The shared pivot for language tag `lang` ("de", "deu", "de_DE.UTF-8",
 * "pt_BR"; see retold_stopwords_lang), loaded on the first call for that
 * language in the process and kept until the process ends.
 *
 * On RETOLD_OK *out is the pivot, owned by the library: never free it; it
 * stays valid for the life of the process.  Other returns set *out = NULL:
 *   RETOLD_NOTFOUND  no dictionary for that language (not installed, no
 *                    FreeDict code known for the tag, or English itself);
 *   RETOLD_INVAL     a NULL argument or a tag that is not a language;
 *   RETOLD_IO, RETOLD_PARSE, RETOLD_TOOBIG  the dictionary is unreadable or
 *                    malformed (remembered: later calls give the same answer);
 *   RETOLD_NOMEM     out of memory (not remembered: a later call retries).
 * Thread-safe.  A first call for a language loads it while holding a
 * process-wide lock (deu-eng, the largest FreeDict dictionary, takes about a
 * second; the others a few milliseconds), so concurrent first calls wait.
 * RETOLD_DICT_DIR is read when a language is first loaded. */
int retold_pivot_get(const char *lang, const retold_pivot **out);

/* Load one dictionary from explicit paths: index_path is the dictd .index,
 * dict_path the .dict or .dict.dz (gzip or dictzip; read sequentially once).
 * lang names the language for stem keys ("de"; NULL or an unknown language:
 * exact keys only).  On RETOLD_OK *out is a new pivot owned by the caller,
 * freed with retold_pivot_free.  Returns RETOLD_OK, RETOLD_INVAL,
 * RETOLD_NOTFOUND (index_path does not exist), RETOLD_IO, RETOLD_PARSE (a
 * malformed index line, or an entry outside the .dict), RETOLD_TOOBIG (an
 * entry over 16 MiB or an index over 4 Gi lines) or RETOLD_NOMEM. */
int retold_pivot_open(const char *index_path, const char *dict_path,
                      const char *lang, retold_pivot **out);

/* Free a pivot made by retold_pivot_open; NULL is a no-op.  Never call it on
 * a pivot from retold_pivot_get. */
void retold_pivot_free(retold_pivot *p);

/* English words for the exact key word[0..len) (normalised bytes, as in a
 * token).  Writes up to max (at most RETOLD_PIVOT_MAX) words, best first:
 * english[i] points to english_len[i] bytes, NUL-terminated, lower-case
 * ASCII letters, owned by p and valid as long as p is.  english_len may be
 * NULL.  Returns the number written; 0 when p is NULL or the word unknown.
 * One XXH3 hash; a memcmp on a hash match. */
size_t retold_pivot_lookup(const retold_pivot *p, const char *word, size_t len,
                           const char **english, size_t *english_len, size_t max);

/* The same for a stem key: stem[0..len) is the Snowball stem (for the
 * pivot's language, of the normalised word) that the caller computed with
 * its own stemmer (libstemmer handles are not thread-safe, so the pivot
 * keeps none).  0 when the pivot has no stem keys. */
size_t retold_pivot_lookup_stem(const retold_pivot *p, const char *stem, size_t len,
                                const char **english, size_t *english_len, size_t max);

/* The Snowball algorithm name used for the stem keys ("german"), or NULL
 * when the pivot has none.  Static storage. */
const char *retold_pivot_stemmer(const retold_pivot *p);

/* Exact keys and stem keys held (0 for NULL). */
size_t retold_pivot_count(const retold_pivot *p);
size_t retold_pivot_stem_count(const retold_pivot *p);

/* Bytes of memory the pivot holds (tables and strings). */
size_t retold_pivot_memory(const retold_pivot *p);

#ifdef __cplusplus
}
#endif
#endif /* RETOLD_PIVOT_H */
