/*
 * retold/normalize.h - the normalised form of a text, with a map back to the
 * original bytes.
 *
 * Normalisation (shared with the tokeniser, which applies it on the fly):
 *   - UTF-8 decoded strictly; each ill-formed sequence becomes U+FFFD and is
 *     counted (never a crash, never a silent truncation);
 *   - NFKC with full case folding (utf8proc), default-ignorable code points
 *     (soft hyphen, zero-width joiners) removed;
 *   - combining diacritics dropped (e-acute -> e, u-umlaut -> u), spelling
 *     marks of Indic and South-East Asian scripts kept;
 *   - quotation marks folded to '"' and '\'', dashes to '-', decimal digits
 *     of every script to ASCII;
 *   - digit groups joined: 40,000 / 40.000 / 40 000 -> 40000;
 *   - runs of white space collapsed to one ' ', leading/trailing removed.
 */
#ifndef RETOLD_NORMALIZE_H
#define RETOLD_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retold_text {
    char     *data;     /* normalised UTF-8, NUL-terminated */
    size_t    len;      /* bytes in data, without the NUL */
    uint32_t *src;      /* src[i]: offset in the original of the code point
                           that produced data[i]; src[len] = original length */
    size_t    invalid;  /* ill-formed UTF-8 sequences replaced */
} retold_text;

/* Normalise in[0..len) into *out (caller-owned struct; the arrays it points
 * to are allocated here and freed by retold_text_release).  Returns RETOLD_OK,
 * RETOLD_TOOBIG (len > RETOLD_DOC_MAX) or RETOLD_NOMEM (then *out is empty). */
int retold_normalize(const char *in, size_t len, retold_text *out);

/* Free what retold_normalize allocated; safe on a zeroed or released struct. */
void retold_text_release(retold_text *t);

#ifdef __cplusplus
}
#endif
#endif
