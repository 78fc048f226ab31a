/*
 * retold/translit.h - non-Latin scripts to ASCII Latin, and a phonetic key
 * that folds the spelling variants of transliterated names.
 *
 * Both functions take normalised text (see normalize.h: NFKC, full case
 * folding, combining diacritics dropped) and are pure: no allocation, no
 * global state, safe from any number of threads.
 *
 * retold_translit() maps, letter by letter with a few context rules:
 *   Cyrillic    ISO 9:1995, rendered in ASCII with English-press values for
 *               the letters ISO 9 writes with diacritics (zh ch sh shch kh
 *               ts yu ya); Russian, Ukrainian, Belarusian, Serbian,
 *               Macedonian, Bulgarian and the common non-Slavic letters
 *   Greek       ELOT 743:2001 / ISO 843 type 2 (the Greek passport system)
 *   Devanagari  ISO 15919 in ASCII (ca -> ch, sha -> sh), inherent vowel,
 *               virama, matras, anusvara, nukta; Hindi word-final schwa
 *               deletion
 *   Armenian    ISO 9985 consonant values in ASCII
 *   Georgian    national system of 2002 (= BGN/PCGN 2009) without the
 *               ejective apostrophes
 *   Hebrew      Academy of the Hebrew Language 2006 (simple), consonants
 *   Arabic      BGN/PCGN 1956 consonants (Persian and Urdu letters too);
 *               short vowels are not written, so neither are they here
 *   Latin       letters with no decomposition: l-stroke -> l, o-slash -> o,
 *               ae, oe, d-stroke -> d, eth -> d, thorn -> th, dotless i -> i
 * ASCII and every other script pass through unchanged.  doc/translit.md has
 * the full tables and worked examples.
 *
 * Examples (input already normalised, so Cyrillic short i arrives as i):
 *   херсон -> kherson     зеленскии -> zelenskii    киив -> kiiv
 *   αθηνα  -> athina      नमस्ते -> namaste         भारत -> bharat
 */
#ifndef RETOLD_TRANSLIT_H
#define RETOLD_TRANSLIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Output bytes that always suffice for n input bytes, for both functions:
 * no table entry writes more than two bytes per input byte. */
#define RETOLD_TRANSLIT_MAX(n) (2 * (n))

/* Transliterate in[0..len) (UTF-8) into out[0..cap).
 *
 * On return *out_len holds the length of the whole result, even when it did
 * not fit.  The output is not NUL-terminated; it is ASCII when the input
 * holds only covered scripts.  Ill-formed UTF-8 bytes are copied unchanged.
 * out may be NULL when cap is 0 (to measure); in and out must not overlap.
 *
 * Returns RETOLD_OK, RETOLD_TOOBIG when cap < *out_len (out then holds the
 * first cap bytes; cap >= RETOLD_TRANSLIT_MAX(len) never fails), or
 * RETOLD_INVAL for a NULL pointer that is needed. */
int retold_translit(const char *in, size_t len, char *out, size_t cap,
                    size_t *out_len);

/* Phonetic key of Latin text in[0..len): each run of ASCII letters a-z is
 * replaced by its key, everything else is copied unchanged.  The key folds
 * the ways English, German, French and Polish newspapers spell the same
 * Slavic (or Greek, Hebrew, Arabic) name:
 *
 *   kherson, cherson, herson                       -> herson
 *   zelensky, zelenskyy, selenskyj, zelenskij      -> selenski
 *   shoigu, schoigu, choigou, szojgu               -> hoigu
 *   kyiv, kiev, kiew, kyjiw                        -> kiv
 *
 * while names that differ in a vowel or a consonant stay apart (biden and
 * putin, moscow and mexico, scholz and schulz, ivanov and ivanova).  Words of
 * at most 3 letters are copied as they are; the hushing-consonant digraphs
 * (kh ch sh zh sch tsch cz sz ...) fold only in words of 5 letters or more.
 * The rules and their known collisions are listed in doc/translit.md.
 *
 * Same buffer contract and return values as retold_translit(), except that
 * after RETOLD_TOOBIG the bytes in out are unspecified (only *out_len is).
 * The key is lower-case (upper-case ASCII letters are lowered first). */
int retold_translit_phonetic(const char *in, size_t len, char *out,
                             size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* RETOLD_TRANSLIT_H */
