/*
 * retold/relation.h - how two documents are related, from their per-view
 * similarities.
 *
 * Views (each its own shingle set and signature):
 *   SURFACE  word n-grams of the normalised text: copies, syndication, trims
 *   REWRITE  stemmed content words in ordered pairs within a small window,
 *            plus word pairs inside quotation marks: paraphrase, round-trip
 *            translation
 *   CROSS    language-independent keys: transliterated 5-letter prefixes of
 *            content words, names and numbers: translations
 *
 * Relations, strongest first (the rule and its calibration: doc/relations.md):
 *   duplicate     identical after normalisation (surface Jaccard 1)
 *   near-copy     surface Jaccard >= the copy threshold
 *   partial-copy  one contained in the other (surface containment high,
 *                 Jaccard lower): a new lede, a cut ending, an excerpt
 *   rewrite       same language, little surface overlap, rewrite view high
 *   translation   different languages, cross view high
 *   related       same event: shared names/numbers, no textual relation
 *   none          nothing of the above (not reported)
 */
#ifndef RETOLD_RELATION_H
#define RETOLD_RELATION_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
    RETOLD_VIEW_SURFACE = 0,
    RETOLD_VIEW_REWRITE = 1,
    RETOLD_VIEW_CROSS = 2,
    RETOLD_VIEW_COUNT = 3
};

#define RETOLD_VIEWS_SURFACE (1u << RETOLD_VIEW_SURFACE)
#define RETOLD_VIEWS_ALL     ((1u << RETOLD_VIEW_COUNT) - 1)

typedef enum retold_relation {
    RETOLD_REL_NONE = 0,
    RETOLD_REL_RELATED,
    RETOLD_REL_TRANSLATION,
    RETOLD_REL_REWRITE,
    RETOLD_REL_PARTIAL_COPY,
    RETOLD_REL_NEAR_COPY,
    RETOLD_REL_DUPLICATE
} retold_relation;

/* What the relation rule looks at (exact values; -1 where not computed). */
typedef struct retold_similarity {
    float jaccard[RETOLD_VIEW_COUNT];
    float containment[RETOLD_VIEW_COUNT];
    float key_jaccard;        /* cross view, names and numbers only */
    unsigned key_shared;      /* names and numbers shared */
    unsigned surface_distinct_min;  /* shingles of the shorter document */
    int same_lang;            /* 1 same primary language, 0 different,
                                 -1 unknown */
    int identical;            /* identical after normalisation */
} retold_similarity;

/* The relation of a pair (RETOLD_REL_NONE: nothing to report), and in
 * *score the similarity that decided it.  copy_threshold is the surface
 * Jaccard of a near-copy (the run's threshold).  The rule and how its
 * thresholds were calibrated: doc/relations.md. */
int retold_relation_classify(const retold_similarity *s, double copy_threshold, float *score);

/* "duplicate", "near-copy", ... ; "none" for RETOLD_REL_NONE.  Static. */
const char *retold_relation_name(int relation);

/* Parse a name as above; returns -1 if unknown. */
int retold_relation_parse(const char *name);

/* "surface", "rewrite", "cross".  Static. */
const char *retold_view_name(int view);

/* Is the relation one of the copy family (duplicate, near-copy, partial)? */
int retold_relation_is_copy(int relation);

#ifdef __cplusplus
}
#endif
#endif
