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
