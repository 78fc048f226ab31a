/*
 * overlap.c - outlet x outlet overlap (see overlap.h for the definitions).
 *
 * The pass, after the pairs are known:
 *
 *   1. outlets   intern every document's source in a hash table, then number
 *                the names in byte order (so outputs do not depend on input
 *                order); parse every date once into days
 *   2. links     keep the pairs whose relation is selected, as an adjacency
 *                list in both directions (CSR: offsets per document, then
 *                neighbours; 4 + 1 bytes per direction and pair)
 *   3. cells     walk the outlets in order and their documents in order; for
 *                a document a, one look at its neighbours gives, per outlet
 *                B it touches, the earliest related date in B and the
 *                strongest relation (a per-outlet stamp array makes that
 *                O(degree), with no clearing).  Each (a, B) becomes one entry
 *                {B, lag, direction}; when A's documents are done its entries
 *                are sorted by (B, lag) and every run of equal B is one cell,
 *                its median read off the middle of the run.  Cells therefore
 *                come out sorted by (A, B) and only non-zero ones exist.
 *
 * Numbers: 1,000,000 documents, 1,000 outlets, 3,000,000 pairs give at most
 * 6,000,000 entries in all but never more than one outlet's at a time (a
 * few MB), and at most 6,000,000 cells (942,946 in bench/bench_overlap.c:
 * a document touches few outlets).  Memory: 32 bytes per document (outlet,
 * day, adjacency offset, outlet grouping), 10 per pair (two adjacency
 * entries and their relations), 128 per non-zero cell; that bench: 2.2 s
 * and ~180 MB on a 2-core AMD EPYC VM (gcc 12 -O2), the time spent mostly
 * on cache misses following random pairs and in sorting the entries.  The
 * heatmap matrix re-runs step 3 with outlets mapped to n + 1 groups, which
 * is why the adjacency is kept (1.2 s there with 970 outlets folded).
 */
#include "retold/overlap.h"
#include "retold/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

struct retold_overlap {
    unsigned relations;
    size_t ndocs, nout;
    uint32_t *doc_outlet;         /* per document */
    double *doc_day;              /* per document, NaN = undated */
    char *names;                  /* outlet names, back to back */
    size_t *name_off;             /* nout + 1 */
    retold_overlap_outlet *outlet;
    size_t *adj_off;              /* ndocs + 1 */
    uint32_t *adj;                /* neighbours */
    uint8_t *adj_rel;             /* relation of each link */
    uint32_t *by_outlet;          /* documents grouped by outlet, in order */
    size_t *out_off;              /* nout + 1 offsets into by_outlet */
    retold_overlap_cell *cells;
    size_t ncells, capcells;
    retold_overlap_stats st;
};

void retold_overlap_opts_default(retold_overlap_opts *o)
{
    memset(o, 0, sizeof *o);
    o->relations = RETOLD_RELS_COPY;
}

int retold_overlap_parse_relations(const char *list, unsigned *mask)
{
    unsigned m = 0;
    const char *p = list;
    if (!list) return RETOLD_INVAL;
    for (;;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ',') e++;
        const char *q = e;
        while (q > p && q[-1] == ' ') q--;
        size_t n = (size_t)(q - p);
        char name[32];
        if (n == 0 || n >= sizeof name) return RETOLD_INVAL;
        memcpy(name, p, n);
        name[n] = 0;
        if (!strcmp(name, "copy")) m |= RETOLD_RELS_COPY;
        else if (!strcmp(name, "all")) m |= RETOLD_RELS_ALL;
        else {
            int r = retold_relation_parse(name);
            if (r <= RETOLD_REL_NONE) return RETOLD_INVAL;
            m |= RETOLD_REL_BIT(r);
        }
        if (!*e) break;
        p = e + 1;
    }
    *mask = m;
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */
/* dates                                                                   */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.  The
 * year is shifted to start in March, so that the leap day is the last day
 * of a "year" and the day of that year follows from the month by the line
 * (153 m + 2) / 5 (March = 0: 0, 31, 61, 92, 122, 153, ...); 400-year eras
 * of 146097 days take care of the century rules.  719468 is the day number
 * of 1970-01-01 counted from 0000-03-01. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* 0..399 */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* 0..365 */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, size_t len, size_t at, size_t n, unsigned *v)
{
    unsigned x = 0;
    if (at + n > len) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[at + i];
        if (c < '0' || c > '9') return -1;
        x = x * 10 + (unsigned)(c - '0');
    }
    *v = x;
    return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int retold_overlap_parse_date(const char *s, size_t len, double *days)
{
    static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (!s) return RETOLD_PARSE;
    while (len && is_blank(*s)) { s++; len--; }
    while (len && is_blank(s[len - 1])) len--;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0;
    double frac = 0, zone = 0;
    if (digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' || digits(s, len, 5, 2, &mo) ||
        s[7] != '-' || digits(s, len, 8, 2, &d))
        return RETOLD_PARSE;
    if (mo < 1 || mo > 12 || d < 1) return RETOLD_PARSE;
    unsigned leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] + (mo == 2 ? leap : 0)) return RETOLD_PARSE;
    size_t i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return RETOLD_PARSE;
        i++;
        if (digits(s, len, i, 2, &h) || i + 2 >= len || s[i + 2] != ':' || digits(s, len, i + 3, 2, &mi))
            return RETOLD_PARSE;
        i += 5;
        if (i < len && s[i] == ':') {
            if (digits(s, len, i + 1, 2, &sec)) return RETOLD_PARSE;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                double scale = 0.1;
                size_t n = 0;
                for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++, scale /= 10)
                    frac += (s[i] - '0') * scale;
                if (n == 0) return RETOLD_PARSE;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) return RETOLD_PARSE;   /* 60: a leap second */
        if (i < len) {
            if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                unsigned zh, zm = 0;
                int sign = s[i] == '-' ? -1 : 1;
                if (digits(s, len, i + 1, 2, &zh)) return RETOLD_PARSE;
                i += 3;
                if (i < len && s[i] == ':') i++;
                if (i < len && digits(s, len, i, 2, &zm)) return RETOLD_PARSE;
                if (i < len) i += 2;
                if (i != len || zh > 23 || zm > 59) return RETOLD_PARSE;
                zone = sign * ((double)zh * 60 + zm);
            } else {
                return RETOLD_PARSE;
            }
        }
    }
    if (i != len) return RETOLD_PARSE;
    double minutes = (double)h * 60 + mi - zone;
    *days = (double)days_from_civil((long)y, mo, d) + (minutes * 60 + sec + frac) / 86400.0;
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */
/* outlets                                                                 */

typedef struct interner {
    uint32_t *slot;               /* provisional id + 1, 0 = empty */
    size_t cap;
    char *names;
    size_t len, capnames;
    size_t *off;                  /* provisional id -> offset; n + 1 */
    size_t n, capoff;
} interner;

static const char *iname(const interner *t, size_t id, size_t *len)
{
    *len = t->off[id + 1] - t->off[id];
    return t->names + t->off[id];
}

static int intern_grow(interner *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot) return RETOLD_NOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t len;
        const char *s = iname(t, i, &len);
        size_t j = (size_t)XXH3_64bits(s, len) & (cap - 1);
        while (slot[j]) j = (j + 1) & (cap - 1);
        slot[j] = (uint32_t)(i + 1);
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return RETOLD_OK;
}

/* The provisional id of name s[0..len), added if new; -1 when out of memory. */
static long intern(interner *t, const char *s, size_t len)
{
    if (2 * (t->n + 1) > t->cap && intern_grow(t) != RETOLD_OK) return -1;
    size_t j = (size_t)XXH3_64bits(s, len) & (t->cap - 1);
    while (t->slot[j]) {
        size_t l2;
        const char *o = iname(t, t->slot[j] - 1, &l2);
        if (l2 == len && memcmp(o, s, len) == 0) return (long)t->slot[j] - 1;
        j = (j + 1) & (t->cap - 1);
    }
    if (t->n + 2 > t->capoff) {
        size_t cap = t->capoff ? t->capoff * 2 : 256;
        size_t *o = realloc(t->off, cap * sizeof *o);
        if (!o) return -1;
        t->off = o;
        t->capoff = cap;
    }
    if (t->len + len > t->capnames || !t->names) {      /* allocated even for "" only */
        size_t cap = t->capnames ? t->capnames : 4096;
        while (cap < t->len + len) cap *= 2;
        char *nm = realloc(t->names, cap);
        if (!nm) return -1;
        t->names = nm;
        t->capnames = cap;
    }
    if (len) memcpy(t->names + t->len, s, len);
    t->off[t->n] = t->len;
    t->len += len;
    t->off[t->n + 1] = t->len;
    t->slot[j] = (uint32_t)(t->n + 1);
    return (long)t->n++;
}

typedef struct named {             /* for sorting names (qsort has no context) */
    const char *s;
    size_t len;
    uint32_t id;
} named;

static int by_name(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* ---------------------------------------------------------------------- */
/* cells                                                                   */

enum { DIR_UNDATED = 0, DIR_A_FIRST, DIR_B_FIRST, DIR_TIE };

typedef struct entry {
    double lag;                   /* date(a) - earliest date in B */
    uint32_t key;                 /* B's group */
    uint8_t dir, rel;
} entry;

static int entry_cmp(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    int ua = a->dir == DIR_UNDATED, ub = b->dir == DIR_UNDATED;
    if (ua != ub) return ua - ub;                 /* dated first */
    if (ua) return 0;
    return (a->lag > b->lag) - (a->lag < b->lag);
}

typedef int (*emit_fn)(void *ctx, const retold_overlap_cell *c);   /* RETOLD_OK or NOMEM */

typedef struct scratch {
    uint32_t *stamp;              /* per group: document + 1 last seen */
    double *earliest;
    uint8_t *rel;
    uint32_t *touched;
    entry *e;
    size_t ne, cape;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->stamp);
    free(s->earliest);
    free(s->rel);
    free(s->touched);
    free(s->e);
}

static void cell_zero(retold_overlap_cell *c, uint32_t a, uint32_t b, uint64_t docs_a)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->b = b;
    c->docs_a = docs_a;
    c->median_lag = NAN;
}

/* Step 3 over groups: group[outlet] in [0, ngroups); members[] lists the
 * outlets group by group (moff[g]..moff[g+1]).  Self links of the group
 * `multi` (a group of several outlets) are skipped.  Calls emit for every
 * non-zero cell in (A, B) order; with `stats` (identity grouping only),
 * adds up its per-outlet and total shared counts. */
static int aggregate(const retold_overlap *ov, const uint32_t *group, size_t ngroups,
                     const uint32_t *members, const size_t *moff, size_t multi,
                     retold_overlap *stats, emit_fn emit, void *ctx)
{
    scratch s;
    memset(&s, 0, sizeof s);
    size_t ng = ngroups ? ngroups : 1;
    s.stamp = calloc(ng, sizeof *s.stamp);
    s.earliest = malloc(ng * sizeof *s.earliest);
    s.rel = malloc(ng);
    s.touched = malloc(ng * sizeof *s.touched);
    if (!s.stamp || !s.earliest || !s.rel || !s.touched) { scratch_free(&s); return RETOLD_NOMEM; }
    for (size_t g = 0; g < ngroups; g++) {
        uint64_t docs_g = 0;
        s.ne = 0;
        for (size_t m = moff[g]; m < moff[g + 1]; m++) {
            uint32_t A = members[m];
            docs_g += ov->outlet[A].docs;
            for (size_t k = ov->out_off[A]; k < ov->out_off[A + 1]; k++) {
                uint32_t a = ov->by_outlet[k];
                size_t nt = 0;
                int cross = 0, self = 0;
                for (size_t l = ov->adj_off[a]; l < ov->adj_off[a + 1]; l++) {
                    uint32_t b = ov->adj[l], B = ov->doc_outlet[b];
                    if (B == A) {
                        self = 1;
                        if (g == multi) continue;
                    } else {
                        cross = 1;
                    }
                    uint32_t key = group[B];
                    double day = ov->doc_day[b];
                    if (s.stamp[key] != a + 1) {
                        s.stamp[key] = a + 1;
                        s.earliest[key] = day;
                        s.rel[key] = ov->adj_rel[l];
                        s.touched[nt++] = key;
                    } else {
                        if (!isnan(day) && (isnan(s.earliest[key]) || day < s.earliest[key])) s.earliest[key] = day;
                        if (ov->adj_rel[l] > s.rel[key]) s.rel[key] = ov->adj_rel[l];
                    }
                }
                if (stats) {
                    stats->outlet[A].shared_cross += (uint64_t)cross;
                    stats->outlet[A].shared_self += (uint64_t)self;
                    stats->st.shared_cross += (uint64_t)cross;
                    stats->st.shared_self += (uint64_t)self;
                }
                if (s.ne + nt > s.cape) {
                    size_t cap = s.cape ? s.cape * 2 : 1024;
                    while (cap < s.ne + nt) cap *= 2;
                    entry *e = realloc(s.e, cap * sizeof *e);
                    if (!e) { scratch_free(&s); return RETOLD_NOMEM; }
                    s.e = e;
                    s.cape = cap;
                }
                double da = ov->doc_day[a];
                for (size_t t = 0; t < nt; t++) {
                    uint32_t key = s.touched[t];
                    entry *e = &s.e[s.ne++];
                    e->key = key;
                    e->rel = s.rel[key];
                    e->lag = 0;
                    if (isnan(da) || isnan(s.earliest[key])) {
                        e->dir = DIR_UNDATED;
                    } else {
                        e->lag = da - s.earliest[key];
                        e->dir = e->lag > 0 ? DIR_B_FIRST : e->lag < 0 ? DIR_A_FIRST : DIR_TIE;
                    }
                }
            }
        }
        if (s.ne > 1) qsort(s.e, s.ne, sizeof *s.e, entry_cmp);
        for (size_t i = 0; i < s.ne;) {
            size_t j = i;
            retold_overlap_cell c;
            cell_zero(&c, (uint32_t)g, s.e[i].key, docs_g);
            for (; j < s.ne && s.e[j].key == s.e[i].key; j++) {
                c.shared++;
                c.a_first += s.e[j].dir == DIR_A_FIRST;
                c.b_first += s.e[j].dir == DIR_B_FIRST;
                c.ties += s.e[j].dir == DIR_TIE;
                c.undated += s.e[j].dir == DIR_UNDATED;
                c.by_relation[s.e[j].rel]++;
            }
            size_t dated = (size_t)(c.shared - c.undated);   /* the first `dated` of the run, sorted */
            if (dated)
                c.median_lag = dated % 2 ? s.e[i + dated / 2].lag
                                         : (s.e[i + dated / 2 - 1].lag + s.e[i + dated / 2].lag) / 2;
            c.share = docs_g ? (double)c.shared / (double)docs_g : 0.0;
            if (emit(ctx, &c) != RETOLD_OK) { scratch_free(&s); return RETOLD_NOMEM; }
            i = j;
        }
    }
    scratch_free(&s);
    return RETOLD_OK;
}

static int emit_sparse(void *ctx, const retold_overlap_cell *c)
{
    retold_overlap *ov = ctx;
    if (ov->ncells == ov->capcells) {
        size_t cap = ov->capcells ? ov->capcells * 2 : 1024;
        retold_overlap_cell *cells = realloc(ov->cells, cap * sizeof *cells);
        if (!cells) return RETOLD_NOMEM;
        ov->cells = cells;
        ov->capcells = cap;
    }
    ov->cells[ov->ncells++] = *c;
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */

void retold_overlap_free(retold_overlap *ov)
{
    if (!ov) return;
    free(ov->doc_outlet);
    free(ov->doc_day);
    free(ov->names);
    free(ov->name_off);
    free(ov->outlet);
    free(ov->adj_off);
    free(ov->adj);
    free(ov->adj_rel);
    free(ov->by_outlet);
    free(ov->out_off);
    free(ov->cells);
    free(ov);
}

int retold_overlap_compute(retold_overlap **out, size_t ndocs, retold_overlap_doc_fn docs,
                           void *ctx, const retold_pair *pairs, size_t npairs,
                           const retold_overlap_opts *o)
{
    retold_overlap_opts def;
    if (!o) { retold_overlap_opts_default(&def); o = &def; }
    *out = NULL;
    if (ndocs >= UINT32_MAX - 1) return RETOLD_INVAL;
    for (size_t i = 0; i < npairs; i++)
        if (pairs[i].a >= ndocs || pairs[i].b >= ndocs) return RETOLD_INVAL;
    int rc = RETOLD_NOMEM;
    interner t;
    memset(&t, 0, sizeof t);
    uint32_t *rank = NULL, *ident = NULL;
    named *sorted = NULL;
    size_t *fill = NULL;
    retold_overlap *ov = calloc(1, sizeof *ov);
    if (!ov) goto out;
    ov->relations = o->relations;
    ov->ndocs = ndocs;
    size_t nd = ndocs ? ndocs : 1;
    ov->doc_outlet = malloc(nd * sizeof *ov->doc_outlet);
    ov->doc_day = malloc(nd * sizeof *ov->doc_day);
    if (!ov->doc_outlet || !ov->doc_day) goto out;

    /* 1. outlets and dates */
    ov->st.docs = ndocs;
    for (size_t i = 0; i < ndocs; i++) {
        retold_overlap_doc d;
        memset(&d, 0, sizeof d);
        docs(ctx, i, &d);
        if (!d.source) { d.source_len = 0; ov->st.no_source++; }
        long id = intern(&t, d.source ? d.source : "", d.source_len);
        if (id < 0) goto out;
        ov->doc_outlet[i] = (uint32_t)id;
        double day = NAN;
        if (!d.date) ov->st.missing_dates++;
        else if (retold_overlap_parse_date(d.date, d.date_len, &day) != RETOLD_OK) { ov->st.bad_dates++; day = NAN; }
        else ov->st.dated++;
        ov->doc_day[i] = day;
    }
    size_t nout = t.n;
    ov->nout = nout;
    ov->st.outlets = nout;
    size_t no = nout ? nout : 1;
    sorted = malloc(no * sizeof *sorted);
    rank = malloc(no * sizeof *rank);
    ov->name_off = malloc((no + 1) * sizeof *ov->name_off);
    ov->names = malloc(t.len ? t.len : 1);
    ov->outlet = calloc(no, sizeof *ov->outlet);
    ov->out_off = calloc(no + 1, sizeof *ov->out_off);
    ov->by_outlet = malloc(nd * sizeof *ov->by_outlet);
    if (!sorted || !rank || !ov->name_off || !ov->names || !ov->outlet || !ov->out_off || !ov->by_outlet) goto out;
    for (size_t i = 0; i < nout; i++) {
        sorted[i].s = iname(&t, i, &sorted[i].len);
        sorted[i].id = (uint32_t)i;
    }
    qsort(sorted, nout, sizeof *sorted, by_name);
    size_t pos = 0;
    ov->name_off[0] = 0;
    for (size_t r = 0; r < nout; r++) {
        if (sorted[r].len) memcpy(ov->names + pos, sorted[r].s, sorted[r].len);
        pos += sorted[r].len;
        ov->name_off[r + 1] = pos;
        rank[sorted[r].id] = (uint32_t)r;
    }
    for (size_t i = 0; i < ndocs; i++) {
        uint32_t A = rank[ov->doc_outlet[i]];
        ov->doc_outlet[i] = A;
        ov->outlet[A].docs++;
        ov->outlet[A].dated += !isnan(ov->doc_day[i]);
        ov->out_off[A + 1]++;
    }
    for (size_t r = 0; r < nout; r++) ov->out_off[r + 1] += ov->out_off[r];
    fill = malloc((nd > no ? nd : no) * sizeof *fill);
    if (!fill) goto out;
    memcpy(fill, ov->out_off, nout * sizeof *fill);
    for (size_t i = 0; i < ndocs; i++) ov->by_outlet[fill[ov->doc_outlet[i]]++] = (uint32_t)i;

    /* 2. links */
    ov->adj_off = calloc(nd + 1, sizeof *ov->adj_off);
    if (!ov->adj_off) goto out;
    size_t nlinks = 0;
    for (size_t i = 0; i < npairs; i++) {
        const retold_pair *p = &pairs[i];
        if (p->a == p->b || p->relation <= RETOLD_REL_NONE || p->relation >= RETOLD_OVERLAP_NREL ||
            !(o->relations & RETOLD_REL_BIT(p->relation))) { ov->st.pairs_ignored++; continue; }
        ov->adj_off[p->a + 1]++;
        ov->adj_off[p->b + 1]++;
        nlinks += 2;
    }
    ov->st.pairs = nlinks / 2;
    for (size_t i = 0; i < ndocs; i++) ov->adj_off[i + 1] += ov->adj_off[i];
    ov->adj = malloc((nlinks ? nlinks : 1) * sizeof *ov->adj);
    ov->adj_rel = malloc(nlinks ? nlinks : 1);
    if (!ov->adj || !ov->adj_rel) goto out;
    memcpy(fill, ov->adj_off, ndocs * sizeof *fill);
    for (size_t i = 0; i < npairs; i++) {
        const retold_pair *p = &pairs[i];
        if (p->a == p->b || p->relation <= RETOLD_REL_NONE || p->relation >= RETOLD_OVERLAP_NREL ||
            !(o->relations & RETOLD_REL_BIT(p->relation))) continue;
        ov->adj[fill[p->a]] = p->b;
        ov->adj_rel[fill[p->a]++] = (uint8_t)p->relation;
        ov->adj[fill[p->b]] = p->a;
        ov->adj_rel[fill[p->b]++] = (uint8_t)p->relation;
    }

    /* 3. cells (grown as they come: at most one per link direction, in
     * practice far fewer) */
    ident = malloc(no * sizeof *ident);
    size_t *moff = malloc((no + 1) * sizeof *moff);
    if (!ident || !moff) { free(moff); goto out; }
    for (size_t r = 0; r <= nout; r++) {
        if (r < nout) ident[r] = (uint32_t)r;
        moff[r] = r;
    }
    rc = aggregate(ov, ident, nout, ident, moff, SIZE_MAX, ov, emit_sparse, ov);
    free(moff);
    if (rc != RETOLD_OK) goto out;
    if (ov->ncells < ov->capcells) {
        retold_overlap_cell *c = realloc(ov->cells, (ov->ncells ? ov->ncells : 1) * sizeof *c);
        if (c) { ov->cells = c; ov->capcells = ov->ncells; }
    }
    rc = RETOLD_OK;
out:
    free(t.slot);
    free(t.names);
    free(t.off);
    free(rank);
    free(sorted);
    free(fill);
    free(ident);
    if (rc != RETOLD_OK) { retold_overlap_free(ov); ov = NULL; }
    *out = ov;
    return rc;
}

size_t retold_overlap_outlets(const retold_overlap *ov) { return ov->nout; }
unsigned retold_overlap_relations(const retold_overlap *ov) { return ov->relations; }
uint32_t retold_overlap_doc_outlet(const retold_overlap *ov, size_t doc) { return ov->doc_outlet[doc]; }
double retold_overlap_doc_day(const retold_overlap *ov, size_t doc) { return ov->doc_day[doc]; }
void retold_overlap_get_stats(const retold_overlap *ov, retold_overlap_stats *s) { *s = ov->st; }

const char *retold_overlap_outlet_name(const retold_overlap *ov, size_t outlet, size_t *len)
{
    *len = ov->name_off[outlet + 1] - ov->name_off[outlet];
    return ov->names + ov->name_off[outlet];
}

void retold_overlap_outlet_info(const retold_overlap *ov, size_t outlet, retold_overlap_outlet *info)
{
    *info = ov->outlet[outlet];
}

const retold_overlap_cell *retold_overlap_cells(const retold_overlap *ov, size_t *n)
{
    *n = ov->ncells;
    return ov->cells;
}

void retold_overlap_get(const retold_overlap *ov, size_t a, size_t b, retold_overlap_cell *cell)
{
    size_t lo = 0, hi = ov->ncells;
    uint64_t key = (uint64_t)a << 32 | b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k = (uint64_t)ov->cells[mid].a << 32 | ov->cells[mid].b;
        if (k == key) { *cell = ov->cells[mid]; return; }
        if (k < key) lo = mid + 1;
        else hi = mid;
    }
    cell_zero(cell, (uint32_t)a, (uint32_t)b, ov->outlet[a].docs);
}

/* ---------------------------------------------------------------------- */
/* top outlets, display order, heatmap                                     */

typedef struct ranked {
    uint64_t shared, docs;
    uint32_t id;
} ranked;

static int by_sharing(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->shared != b->shared) return a->shared > b->shared ? -1 : 1;
    if (a->docs != b->docs) return a->docs > b->docs ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

size_t retold_overlap_top(const retold_overlap *ov, size_t n, uint32_t *top)
{
    size_t m = n < ov->nout ? n : ov->nout;
    if (m == 0) return 0;
    ranked *all = malloc(ov->nout * sizeof *all);
    if (!all) {                                  /* degrade: name order */
        for (size_t i = 0; i < m; i++) top[i] = (uint32_t)i;
        return m;
    }
    for (size_t i = 0; i < ov->nout; i++) {
        all[i].shared = ov->outlet[i].shared_cross;
        all[i].docs = ov->outlet[i].docs;
        all[i].id = (uint32_t)i;
    }
    qsort(all, ov->nout, sizeof *all, by_sharing);
    for (size_t i = 0; i < m; i++) top[i] = all[i].id;
    free(all);
    return m;
}

static double share_of(const retold_overlap *ov, uint32_t a, uint32_t b)
{
    retold_overlap_cell c;
    retold_overlap_get(ov, a, b, &c);
    return c.share;
}

/* Agglomerative clustering with average linkage, in the textbook O(n^3)
 * form: n - 1 times, find the most similar pair of live clusters (the first
 * in scan order on ties, so the result is deterministic), merge the second
 * into the first, and update the first's similarities by the size-weighted
 * mean (Lance-Williams).  Each cluster keeps its leaves as a sequence;
 * merging X and Y picks, of XY, XY', X'Y, X'Y' (' = reversed), the one whose
 * two touching leaves are most similar, so neighbours in the final order are
 * similar wherever the tree allows it.  Example: A-B share 0.6, B-C 0.5,
 * A-C 0.1.  Merge {A,B} first (0.6), then C joins at sim (0.1 + 0.5) / 2 =
 * 0.3; of AB+C (B-C 0.5) and BA+C (A-C 0.1), AB+C wins: order A B C. */
int retold_overlap_order(const retold_overlap *ov, const uint32_t *outlets, size_t n, uint32_t *order)
{
    if (n == 0) return RETOLD_OK;
    double *leaf = malloc(n * n * sizeof *leaf), *sim = malloc(n * n * sizeof *sim);
    size_t *size = malloc(n * sizeof *size), *len = malloc(n * sizeof *len);
    uint32_t *seq = malloc(n * n * sizeof *seq), *tmp = malloc(n * sizeof *tmp);
    uint8_t *live = malloc(n);
    int rc = RETOLD_NOMEM;
    if (!leaf || !sim || !size || !len || !seq || !tmp || !live) goto out;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            leaf[i * n + j] = i == j ? 0.0
                                     : (share_of(ov, outlets[i], outlets[j]) + share_of(ov, outlets[j], outlets[i])) / 2;
        size[i] = 1;
        len[i] = 1;
        seq[i * n] = (uint32_t)i;
        live[i] = 1;
    }
    memcpy(sim, leaf, n * n * sizeof *sim);
    for (size_t step = 1; step < n; step++) {
        size_t bi = SIZE_MAX, bj = SIZE_MAX;
        double best = -1;
        for (size_t i = 0; i < n; i++) {
            if (!live[i]) continue;
            for (size_t j = i + 1; j < n; j++)
                if (live[j] && sim[i * n + j] > best) { best = sim[i * n + j]; bi = i; bj = j; }
        }
        uint32_t *x = seq + bi * n, *y = seq + bj * n;
        size_t lx = len[bi], ly = len[bj];
        /* the four ways to join: ends touching are (x end | x start) and (y start | y end) */
        double s[4] = { leaf[x[lx - 1] * n + y[0]], leaf[x[lx - 1] * n + y[ly - 1]],
                        leaf[x[0] * n + y[0]], leaf[x[0] * n + y[ly - 1]] };
        int way = 0;
        for (int w = 1; w < 4; w++) if (s[w] > s[way]) way = w;
        size_t k = 0;
        for (size_t i = 0; i < lx; i++) tmp[k++] = way < 2 ? x[i] : x[lx - 1 - i];
        for (size_t i = 0; i < ly; i++) tmp[k++] = way % 2 == 0 ? y[i] : y[ly - 1 - i];
        memcpy(x, tmp, k * sizeof *tmp);
        len[bi] = k;
        for (size_t m = 0; m < n; m++) {
            if (!live[m] || m == bi || m == bj) continue;
            double v = ((double)size[bi] * sim[bi * n + m] + (double)size[bj] * sim[bj * n + m]) /
                       (double)(size[bi] + size[bj]);
            sim[bi * n + m] = sim[m * n + bi] = v;
        }
        size[bi] += size[bj];
        live[bj] = 0;
    }
    for (size_t i = 0; i < n; i++)
        if (live[i]) {
            for (size_t k = 0; k < len[i]; k++) order[k] = outlets[seq[i * n + k]];
            break;
        }
    rc = RETOLD_OK;
out:
    free(leaf);
    free(sim);
    free(size);
    free(len);
    free(seq);
    free(tmp);
    free(live);
    return rc;
}

typedef struct dense {
    retold_overlap_cell *m;
    size_t dim;
} dense;

static int emit_dense(void *ctx, const retold_overlap_cell *c)
{
    dense *d = ctx;
    d->m[(size_t)c->a * d->dim + c->b] = *c;
    return RETOLD_OK;
}

int retold_overlap_matrix(const retold_overlap *ov, const uint32_t *keep, size_t n,
                          retold_overlap_cell *m)
{
    size_t dim = n + 1, no = ov->nout ? ov->nout : 1;
    uint32_t *group = malloc(no * sizeof *group), *members = malloc(no * sizeof *members);
    size_t *moff = calloc(dim + 1, sizeof *moff);
    uint64_t *docs = calloc(dim, sizeof *docs);
    int rc = RETOLD_NOMEM;
    if (!group || !members || !moff || !docs) goto out;
    for (size_t o = 0; o < ov->nout; o++) group[o] = (uint32_t)n;
    for (size_t i = 0; i < n; i++) group[keep[i]] = (uint32_t)i;
    for (size_t o = 0; o < ov->nout; o++) { moff[group[o] + 1]++; docs[group[o]] += ov->outlet[o].docs; }
    for (size_t g = 0; g < dim; g++) moff[g + 1] += moff[g];
    {
        size_t *fill = malloc(dim * sizeof *fill);
        if (!fill) goto out;
        memcpy(fill, moff, dim * sizeof *fill);
        for (size_t o = 0; o < ov->nout; o++) members[fill[group[o]]++] = (uint32_t)o;
        free(fill);
    }
    for (size_t i = 0; i < dim; i++)
        for (size_t j = 0; j < dim; j++) cell_zero(&m[i * dim + j], (uint32_t)i, (uint32_t)j, docs[i]);
    dense d = { m, dim };
    rc = aggregate(ov, group, dim, members, moff, n, NULL, emit_dense, &d);
out:
    free(group);
    free(members);
    free(moff);
    free(docs);
    return rc;
}
