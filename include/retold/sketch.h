/*
 * retold/sketch.h - parameters, and one document to its MinHash signature:
 * tokenise -> shingle -> MinHash, reusing buffers between documents.
 */
#ifndef RETOLD_SKETCH_H
#define RETOLD_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RETOLD_NGRAM_MAX 64

/* Everything that shapes a signature or a candidate.  Fill with
 * retold_params_default() and change fields; a stored signature is
 * comparable only with one made with the same ngram, char_ngram, perms and
 * seed (and normalisation version, RETOLD_NORM_VERSION). */
typedef struct retold_params {
    unsigned ngram;        /* words per shingle (default 5) */
    unsigned char_ngram;   /* > 0: character n-grams of this length instead */
    unsigned perms;        /* k, signature length (default 128) */
    uint64_t seed;         /* hash seed (default 0) */
    double threshold;      /* Jaccard threshold t (default 0.8) */
    unsigned bands, rows;  /* LSH shape; 0 = choose from threshold */
} retold_params;

#define RETOLD_NORM_VERSION 1   /* bump when tokens or shingles change */

void retold_params_default(retold_params *p);

/* Check ranges and fill bands/rows when 0.  On RETOLD_INVAL writes why to
 * msg (may be NULL). */
int retold_params_resolve(retold_params *p, char *msg, size_t cap);

typedef struct retold_sketch_info {
    size_t tokens;      /* tokens in the document */
    size_t shingles;    /* distinct shingles (0: empty document) */
    size_t invalid;     /* ill-formed UTF-8 sequences replaced */
    uint64_t fingerprint; /* XXH3 of the shingle sequence: equal for texts
                             identical after normalisation (0 if empty) */
} retold_sketch_info;

typedef struct retold_sketcher retold_sketcher;

/* A sketcher for params p (copied; must be resolved or at least have valid
 * ngram/perms).  Not thread-safe: one per thread.  NULL when out of memory. */
retold_sketcher *retold_sketcher_new(const retold_params *p);
void retold_sketcher_free(retold_sketcher *s);     /* NULL is a no-op */

/* Signature of text[0..len) into sig[0..perms).  Returns RETOLD_OK,
 * RETOLD_TOOBIG or RETOLD_NOMEM. */
int retold_sketch(retold_sketcher *s, const char *text, size_t len,
                  uint32_t *sig, retold_sketch_info *info);

/* The sorted distinct shingle hashes of the last document sketched.  Owned
 * by the sketcher, valid until its next call. */
int retold_sketcher_shingles(retold_sketcher *s, const uint64_t **h, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
