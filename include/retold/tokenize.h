/*
 * retold/tokenize.h - text to normalised tokens, with offsets into the
 * original bytes.
 *
 * A token is a run of letters, digits and kept combining marks after the
 * fold described in normalize.h (NFKC + case fold + diacritics dropped).
 * Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
 * Myanmar) become overlapping character bigrams, so a Chinese or Japanese
 * text still yields word-like units; a run of one such character is a
 * unigram.  Digit groups are joined: "40,000", "40.000", "40 000" and
 * "40'000" all give the token "40000" (first group of 1-3 digits, then
 * groups of exactly 3 ASCII digits after one separator).
 *
 * Every token carries [start, end) byte offsets into the original text, the
 * normalised bytes, a seeded XXH3-64 hash of those bytes, and flags used by
 * the views (capitalised, sentence-initial, inside double quotes, numeric).
 *
 * Invalid UTF-8 is replaced by U+FFFD (a separator) and counted; it never
 * stops tokenising.  Documents are limited to RETOLD_DOC_MAX bytes.
 */
#ifndef RETOLD_TOKENIZE_H
#define RETOLD_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest document a tokeniser accepts (offsets are 32-bit). */
#define RETOLD_DOC_MAX ((size_t)UINT32_MAX - 1)

/* Token flags. */
#define RETOLD_TOK_UPPER   0x01u  /* first letter was upper/titlecase */
#define RETOLD_TOK_SENT    0x02u  /* first token of a sentence or paragraph */
#define RETOLD_TOK_QUOTED  0x04u  /* inside double quotation marks */
#define RETOLD_TOK_NUMERIC 0x08u  /* only digits (after group joining) */
#define RETOLD_TOK_DENSE   0x10u  /* bigram/unigram of a script without spaces */

typedef struct retold_token {
    uint64_t hash;      /* XXH3_64bits_withSeed(normalised bytes, seed) */
    uint32_t start;     /* byte offset of the token in the original text */
    uint32_t end;       /* one past its last original byte */
    uint32_t norm;      /* offset of its normalised bytes in the norm buffer */
    uint32_t norm_len;  /* length of its normalised bytes */
    uint32_t flags;     /* RETOLD_TOK_* */
    uint32_t reserved;
} retold_token;

/* Options for retold_tokenizer_new(). */
#define RETOLD_TOKENIZER_NO_FASTPATH 0x1u  /* send ASCII through the general
                                              Unicode path (for tests) */

typedef struct retold_tokenizer retold_tokenizer;

/* Create a tokeniser whose token hashes use `seed`.  Returns NULL when out of
 * memory.  A tokeniser is not thread-safe; use one per thread.  Its buffers
 * grow to the largest document seen and are reused. */
retold_tokenizer *retold_tokenizer_new(uint64_t seed, unsigned options);
void retold_tokenizer_free(retold_tokenizer *tk);   /* NULL is a no-op */

/* Tokenise text[0..len).  On success *tokens points to *count tokens owned
 * by the tokeniser and valid until its next call or free.  Returns RETOLD_OK,
 * RETOLD_TOOBIG (len > RETOLD_DOC_MAX) or RETOLD_NOMEM. */
int retold_tokenize(retold_tokenizer *tk, const char *text, size_t len,
                    const retold_token **tokens, size_t *count);

/* The normalised bytes of the last call's tokens (token.norm indexes it).
 * Owned by the tokeniser, valid as the tokens are. */
const char *retold_tokenizer_norm(const retold_tokenizer *tk);

/* How many ill-formed UTF-8 sequences the last call replaced. */
size_t retold_tokenizer_invalid(const retold_tokenizer *tk);

#ifdef __cplusplus
}
#endif
#endif
