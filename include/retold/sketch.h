/*
 * retold/sketch.h - parameters, and one document to its MinHash signature:
 * tokenise -> shingle -> MinHash, reusing buffers between documents.
 */
#ifndef RETOLD_SKETCH_H
#define RETOLD_SKETCH_H

#include <stddef.h>
#include <stdint.h>
#include "retold/relation.h"
#include "retold/views.h"

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
    unsigned views;        /* RETOLD_VIEWS_* mask (default surface only) */
    double view_threshold[RETOLD_VIEW_COUNT];
                           /* LSH threshold of each view; [SURFACE] is
                              `threshold`; rewrite and cross default to
                              RETOLD_LOW_THRESHOLD */
    unsigned view_bands[RETOLD_VIEW_COUNT], view_rows[RETOLD_VIEW_COUNT];
                           /* filled by retold_params_resolve */
} retold_params;

/* LSH threshold of the rewrite and cross views: their true pairs sit at
 * Jaccard 0.04-0.3 (DESIGN.md), so banding only gathers candidates (any
 * shared band of 1-2 rows); exact re-ranking decides. */
#define RETOLD_LOW_THRESHOLD 0.05

/* Number of views in p->views, and the slot of view v in a signature
 * (signatures hold the views present, in view order, k values each). */
unsigned retold_params_nviews(const retold_params *p);
int retold_params_slot(const retold_params *p, int view);

#define RETOLD_NORM_VERSION 2   /* bump when tokens or shingles change
                                   (2: word shingles by a rolling polynomial) */

void retold_params_default(retold_params *p);

/* Check ranges and fill bands/rows when 0.  On RETOLD_INVAL writes why to
 * msg (may be NULL). */
int retold_params_resolve(retold_params *p, char *msg, size_t cap);

typedef struct retold_sketch_info {
    size_t tokens;      /* tokens in the document */
    size_t shingles;    /* distinct surface shingles (0: empty document) */
    size_t view_shingles[RETOLD_VIEW_COUNT];  /* distinct, per view */
    size_t view_signed[RETOLD_VIEW_COUNT];    /* shingles that entered the
                                                 signature (after the filter;
                                                 0: an empty signature) */
    char lang[RETOLD_LANG_LEN];   /* language used by the views ("und") */
    size_t invalid;     /* ill-formed UTF-8 sequences replaced */
    uint64_t fingerprint; /* XXH3 of the shingle sequence: equal for texts
                             identical after normalisation (0 if empty) */
} retold_sketch_info;

typedef struct retold_sketcher retold_sketcher;

/* A sketcher for params p (copied; must be resolved or at least have valid
 * ngram/perms).  Not thread-safe: one per thread.  NULL when out of memory. */
retold_sketcher *retold_sketcher_new(const retold_params *p);
void retold_sketcher_free(retold_sketcher *s);     /* NULL is a no-op */

/* Signature of text[0..len) into sig[0..nviews * perms).  Returns RETOLD_OK,
 * RETOLD_TOOBIG or RETOLD_NOMEM. */
int retold_sketch(retold_sketcher *s, const char *text, size_t len,
                  uint32_t *sig, retold_sketch_info *info);

/* The same for a document whose language tag is lang[0..lang_len) (any
 * form: "de", "pt_BR"; NULL or empty: detected when a view needs it). */
int retold_sketch_lang(retold_sketcher *s, const char *text, size_t len,
                       const char *lang, size_t lang_len,
                       uint32_t *sig, retold_sketch_info *info);

/* A filter on the shingles that enter the signatures: return non-zero to
 * leave shingle h of view `view` out (boilerplate).  It applies only when
 * it leaves at least half of a view's shingles: a document that is mostly
 * "common" is a widely copied story, not boilerplate.  Distinct counts and
 * retold_sketcher_view_shingles still see every shingle. */
typedef int (*retold_shingle_filter)(void *ctx, int view, uint64_t h);
void retold_sketcher_set_filter(retold_sketcher *s, retold_shingle_filter fn, void *ctx);

/* Sets only (on != 0): retold_sketch and retold_sketch_lang make every
 * view's shingle hashes (for retold_sketcher_view_hashes and _shingles)
 * and skip the MinHash signatures, the distinct counts and the fingerprint
 * (sig is not written and may be NULL; info has tokens, invalid and lang,
 * and the shingle counts with repeats).  For a second pass that needs only
 * the exact sets.  on = 0 restores the full sketch. */
void retold_sketcher_set_sets_only(retold_sketcher *s, int on);

/* The sorted distinct shingle hashes of the last document sketched.  Owned
 * by the sketcher, valid until its next call. */
int retold_sketcher_shingles(retold_sketcher *s, const uint64_t **h, size_t *n);

/* The same for one view (which must be in the sketcher's params.views). */
int retold_sketcher_view_shingles(retold_sketcher *s, int view, const uint64_t **h, size_t *n);

/* The shingle hashes of one view of the last document as they were made:
 * in text order, with repeats, unless retold_sketcher_view_shingles already
 * sorted them in place (then sorted and distinct).  For callers that map the
 * hashes before sorting them (the exact sets of verification) and so need
 * not pay for a sort of the hashes themselves. */
int retold_sketcher_view_hashes(retold_sketcher *s, int view, const uint64_t **h, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
