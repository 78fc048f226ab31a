/*
 * unicode.h - private: UTF-8 decoding and the per-code-point fold that the
 * normaliser and the tokeniser share, so that both see the same text.
 *
 * The fold of one code point is: compatibility decomposition + full case
 * folding (utf8proc: DECOMPOSE|COMPAT|CASEFOLD|IGNORE, i.e. NFKD_Casefold
 * without default-ignorables such as soft hyphen or ZWJ), then
 *   - combining diacritics of Latin/Greek/Cyrillic, Arabic harakat and Hebrew
 *     points are dropped (e -> e, e-acute -> e, Cyrillic short i -> i, as
 *     ICU's folding filter does);  marks that spell vowels in Indic and
 *     South-East Asian scripts are kept: dropping them would merge words;
 *   - decimal digits of other scripts become ASCII digits;
 *   - quotation-mark variants become '"' or '\'', dash variants '-', space
 *     variants ' '.
 * Tokens that keep combining marks or Hangul jamo are recomposed (NFC) by
 * the caller, so the result is NFKC_Casefold minus the dropped marks.
 */
#ifndef RETOLD_UNICODE_H
#define RETOLD_UNICODE_H

#include <stddef.h>
#include <stdint.h>

#define RETOLD__FOLD_MAX 32       /* longest fold of one code point */
#define RETOLD__REPLACEMENT 0xFFFD

/* Decode one code point from s[0..len), len >= 1.  Returns the bytes used
 * (>= 1).  On an ill-formed sequence stores U+FFFD, sets *bad = 1 and
 * consumes the maximal subpart (Unicode 15, section 3.9, "U+FFFD
 * Substitution of Maximal Subparts"), so one bad byte costs one U+FFFD. */
size_t retold__utf8_decode(const unsigned char *s, size_t len, int32_t *cp, int *bad);

/* Encode cp (valid scalar value) into out[0..4); returns bytes written. */
size_t retold__utf8_encode(int32_t cp, char *out);

/* Classes of folded code points. */
enum retold__cclass {
    RETOLD__C_SEP = 0,   /* punctuation, symbols, controls: ends a token */
    RETOLD__C_SPACE,     /* white space other than line breaks */
    RETOLD__C_NEWLINE,   /* line break */
    RETOLD__C_LETTER,    /* letter: part of a word */
    RETOLD__C_DIGIT,     /* ASCII digit 0-9 (after folding) */
    RETOLD__C_NUMBER,    /* other numbers (No, Nl): part of a word */
    RETOLD__C_MARK,      /* combining mark kept by the fold: joins a word */
    RETOLD__C_DENSE,     /* letter of a script written without spaces:
                            Han, Hiragana, Katakana, Thai, Lao, Khmer,
                            Myanmar, Hangul is NOT here (it uses spaces) */
    RETOLD__C_DQUOTE,    /* '"' after folding */
    RETOLD__C_SQUOTE,    /* '\'' after folding */
    RETOLD__C_DASH,      /* '-' after folding */
    RETOLD__C_STOP,      /* sentence end: . ! ? and their variants */
    RETOLD__C_GROUPSEP   /* digit group separator candidate: , . ' space */
};

/* Fold cp into out[0..RETOLD__FOLD_MAX); returns the count (0 when the code
 * point folds to nothing).  *upper is set when cp is an upper- or titlecase
 * letter.  *compose is set when the result keeps combining marks or
 * conjoining jamo, i.e. the token needs NFC recomposition. */
int retold__fold(int32_t cp, int32_t *out, int *upper, int *compose);

/* Class of a folded code point. */
int retold__cclass(int32_t cp);

/* NFC-compose buf[0..n) in place; returns the new length. */
size_t retold__compose(int32_t *buf, size_t n);

#endif
