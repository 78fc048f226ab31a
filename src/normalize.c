/*
 * normalize.c - the normalised text with its offset map (see normalize.h).
 *
 * This is the readable form of what the tokeniser computes on the fly; the
 * tokeniser does not call it (that would cost a second pass and the offset
 * array, 4 bytes per byte).  tests/check_normalize.c checks that tokenising
 * the normalised text gives the same tokens as tokenising the original.
 */
#include "retold/normalize.h"
#include "retold/tokenize.h"
#include "retold/error.h"
#include "unicode.h"

#include <stdlib.h>
#include <string.h>

typedef struct out_buf {
    char *data;
    uint32_t *src;
    size_t len, cap;
} out_buf;

static int put(out_buf *o, int32_t cp, uint32_t src)
{
    if (o->len + 5 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        char *d = realloc(o->data, cap);
        if (!d) return RETOLD_NOMEM;
        o->data = d;
        uint32_t *s = realloc(o->src, (cap + 1) * sizeof *s);
        if (!s) return RETOLD_NOMEM;
        o->src = s;
        o->cap = cap;
    }
    size_t n = retold__utf8_encode(cp, o->data + o->len);
    for (size_t i = 0; i < n; i++) o->src[o->len + i] = src;
    o->len += n;
    return RETOLD_OK;
}

static int digits3_then_nondigit(const unsigned char *t, size_t len, size_t p)
{
    if (p + 3 > len) return 0;
    for (int i = 0; i < 3; i++)
        if (t[p + i] < '0' || t[p + i] > '9') return 0;
    return p + 3 == len || t[p + 3] < '0' || t[p + 3] > '9';
}

int retold_normalize(const char *in, size_t len, retold_text *out)
{
    memset(out, 0, sizeof *out);
    if (len > RETOLD_DOC_MAX) return RETOLD_TOOBIG;
    out_buf o = {0};
    const unsigned char *t = (const unsigned char *)in;
    size_t p = 0, invalid = 0;
    int space_pending = 0, rc = RETOLD_OK;
    /* digit-group state, as in tokenize.c */
    int in_number = 0;
    unsigned group_len = 0, groups = 0;
    int32_t folded[RETOLD__FOLD_MAX];

    while (p < len) {
        int32_t cp;
        int bad, upper, compose;
        size_t used = retold__utf8_decode(t + p, len - p, &cp, &bad);
        invalid += (size_t)bad;
        int n = retold__fold(cp, folded, &upper, &compose);
        for (int i = 0; i < n; i++) {
            int32_t c = folded[i];
            int cl = retold__cclass(c);
            if (cl == RETOLD__C_DIGIT) {
                if (!in_number) { in_number = 1; group_len = 0; groups = 0; }
                group_len++;
            } else if (in_number && (c == ',' || c == '.' || c == ' ' || c == '\'') &&
                       group_len >= 1 && group_len <= 3 &&
                       (groups == 0 || group_len == 3) &&
                       digits3_then_nondigit(t, len, p + used)) {
                groups++;
                group_len = 0;
                continue;                      /* drop the group separator */
            } else {
                in_number = 0;
            }
            if (cl == RETOLD__C_SPACE || cl == RETOLD__C_NEWLINE) {
                space_pending = o.len > 0;
                continue;
            }
            if (space_pending) {
                if ((rc = put(&o, ' ', (uint32_t)p)) != RETOLD_OK) goto out;
                space_pending = 0;
            }
            if ((rc = put(&o, c, (uint32_t)p)) != RETOLD_OK) goto out;
        }
        p += used;
    }
    if ((rc = put(&o, 0, (uint32_t)len)) != RETOLD_OK) goto out;  /* room for NUL */
    o.len--;
    o.src[o.len] = (uint32_t)len;
    out->data = o.data;
    out->src = o.src;
    out->len = o.len;
    out->invalid = invalid;
    return RETOLD_OK;
out:
    free(o.data);
    free(o.src);
    return rc;
}

void retold_text_release(retold_text *t)
{
    if (!t) return;
    free(t->data);
    free(t->src);
    memset(t, 0, sizeof *t);
}
