/* relation.c - relation and view names. The classification rule lives with
 * the views (views.c); see doc/relations.md. */
#include "retold/relation.h"

#include <string.h>

static const char *const rel_names[] = {
    "none", "related", "translation", "rewrite", "partial-copy", "near-copy", "duplicate"
};

const char *retold_relation_name(int r)
{
    return r >= 0 && r <= RETOLD_REL_DUPLICATE ? rel_names[r] : "none";
}

int retold_relation_parse(const char *name)
{
    for (int r = 0; r <= RETOLD_REL_DUPLICATE; r++)
        if (strcmp(name, rel_names[r]) == 0) return r;
    return -1;
}

const char *retold_view_name(int v)
{
    static const char *const names[] = { "surface", "rewrite", "cross" };
    return v >= 0 && v < RETOLD_VIEW_COUNT ? names[v] : "?";
}

int retold_relation_is_copy(int r)
{
    return r == RETOLD_REL_DUPLICATE || r == RETOLD_REL_NEAR_COPY || r == RETOLD_REL_PARTIAL_COPY;
}

/*
 * The relation rule.  First match wins:
 *
 *   duplicate     identical after normalisation
 *   near-copy     surface J >= copy threshold (the run's -t, default 0.8)
 *   partial-copy  surface containment >= PARTIAL_MIN (one text largely
 *                 inside the other) and the shorter has >= 10 shingles
 *   rewrite       same or unknown language, and rewrite-view containment
 *                 >= REWRITE_MIN_C or surface containment >= SURFACE_REUSE
 *                 (text reused with edits)
 *   translation   different languages and cross-view Jaccard >= CROSS_MIN_J
 *   related       >= KEY_MIN_SHARED names/numbers shared and key Jaccard
 *                 >= KEY_MIN_J (the same event reported independently)
 *
 * Calibration (doc/relations.md has the tables): Clough & Stevenson's
 * plagiarised short answers (cut / light / heavy revisions of a Wikipedia
 * source vs answers written independently), the seed articles (000-001 a
 * rewrite through translation; 002, 003, 004 independent reports), and
 * UDHR articles in 8 languages against English.
 */
#define PARTIAL_MIN     0.60f
#define SURFACE_REUSE   0.20f
#define REWRITE_MIN_C   0.12f
#define CROSS_MIN_J     0.10f
#define KEY_MIN_SHARED  3u
#define KEY_MIN_J       0.10f

int retold_relation_classify(const retold_similarity *s, double copy_threshold, float *score)
{
    const float sj = s->jaccard[RETOLD_VIEW_SURFACE], sc = s->containment[RETOLD_VIEW_SURFACE];
    const float rc = s->containment[RETOLD_VIEW_REWRITE];
    const float xj = s->jaccard[RETOLD_VIEW_CROSS];
    *score = 0.0f;
    if (s->identical) { *score = 1.0f; return RETOLD_REL_DUPLICATE; }
    if (sj >= (float)copy_threshold) { *score = sj; return RETOLD_REL_NEAR_COPY; }
    if (sc >= PARTIAL_MIN && s->surface_distinct_min >= 10) { *score = sc; return RETOLD_REL_PARTIAL_COPY; }
    if (s->same_lang != 0) {
        if (rc >= REWRITE_MIN_C) { *score = rc; return RETOLD_REL_REWRITE; }
        if (sc >= SURFACE_REUSE) { *score = sc; return RETOLD_REL_REWRITE; }
    }
    if (s->same_lang == 0 && xj >= CROSS_MIN_J) { *score = xj; return RETOLD_REL_TRANSLATION; }
    if (s->key_shared >= KEY_MIN_SHARED && s->key_jaccard >= KEY_MIN_J) {
        *score = s->key_jaccard;
        return RETOLD_REL_RELATED;
    }
    return RETOLD_REL_NONE;
}
