/*
 * retold/shingle.h - token sequences to sets of 64-bit shingle hashes.
 *
 * Word n-gram shingle i of a document with token hashes t[0..m) is
 *     fmix64(P_i ^ seed),  P_i = t[i] B^(w-1) + t[i+1] B^(w-2) + ... + t[i+w-1]
 * modulo 2^64, w = min(n, m), B = 0x9E3779B97F4A7C15, fmix64 MurmurHash3's
 * 64-bit finaliser, and t[j] = XXH3_64bits_withSeed(normalised token bytes,
 * seed) (signature format 2, RETOLD_NORM_VERSION; format 1 hashed the 8w
 * bytes with XXH3).  P rolls from shingle to shingle: two multiplications
 * and the finaliser's two.  A document with 1 <= m < n tokens yields the one
 * shingle over all its tokens; an empty one yields none.
 *
 * Character n-grams (the option for short or unsegmented text) hash every
 * run of n code points of the token texts joined by one space:
 *     XXH3_64bits_withSeed(bytes of the run, seed).
 * doc/format-signature.md has test vectors for both.
 */
#ifndef RETOLD_SHINGLE_H
#define RETOLD_SHINGLE_H

#include <stddef.h>
#include <stdint.h>
#include "retold/tokenize.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How many word n-gram shingles m tokens give (with duplicates). */
size_t retold_shingle_count(size_t m, unsigned n);

/* Word n-gram shingles of tokens[0..m) into out[0..retold_shingle_count(m,n)).
 * out must have room for m values (so that a caller may size it by the
 * tokens).  Returns the number of shingles. n >= 1. */
size_t retold_shingle_words(const retold_token *tokens, size_t m, unsigned n,
                            uint64_t seed, uint64_t *out);

/* Character n-gram shingles (n code points) of the tokens' normalised text
 * joined by single spaces.  `norm` is retold_tokenizer_norm().  Writes at
 * most `cap` hashes and returns how many there are in all (so a caller can
 * size out[] with a first call of cap 0).  A text shorter than n gives one
 * shingle over all of it.  Out of memory (it joins the text in a buffer of
 * its own): returns RETOLD_SHINGLE_NOMEM. */
#define RETOLD_SHINGLE_NOMEM ((size_t)-1)
size_t retold_shingle_chars(const retold_token *tokens, size_t m, const char *norm,
                            unsigned n, uint64_t seed, uint64_t *out, size_t cap);

/* Sort h[0..n) and remove duplicates in place; returns the distinct count. */
size_t retold_shingle_unique(uint64_t *h, size_t n);

/* Exact |A ∩ B| of two sorted distinct hash arrays. */
size_t retold_shingle_intersection(const uint64_t *a, size_t na,
                                   const uint64_t *b, size_t nb);

#ifdef __cplusplus
}
#endif
#endif
