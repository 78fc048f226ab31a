/* check_overlap.c - the outlet x outlet aggregation: shares, directions,
 * lags, ties, missing and bad dates, self-reuse, one outlet only, the
 * grouped heatmap matrix, the display order, date parsing. */
#include "testutil.h"
#include "retold.h"

#include <math.h>

typedef struct tdoc { const char *source, *date; } tdoc;

static void doc_of(void *ctx, size_t i, retold_overlap_doc *d)
{
    const tdoc *docs = ctx;
    d->source = docs[i].source;
    d->source_len = docs[i].source ? strlen(docs[i].source) : 0;
    d->date = docs[i].date;
    d->date_len = docs[i].date ? strlen(docs[i].date) : 0;
}

static retold_pair P(uint32_t a, uint32_t b, int rel)
{
    retold_pair p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.b = b;
    p.relation = rel;
    return p;
}

static retold_overlap *compute(const tdoc *docs, size_t n, const retold_pair *pairs, size_t np, unsigned rels)
{
    retold_overlap_opts o;
    retold_overlap_opts_default(&o);
    if (rels) o.relations = rels;
    retold_overlap *ov;
    ck_assert_int_eq(retold_overlap_compute(&ov, n, doc_of, (void *)docs, pairs, np, &o), RETOLD_OK);
    return ov;
}

/* outlet index by name */
static size_t outlet(const retold_overlap *ov, const char *name)
{
    for (size_t i = 0; i < retold_overlap_outlets(ov); i++) {
        size_t len;
        const char *s = retold_overlap_outlet_name(ov, i, &len);
        if (len == strlen(name) && !memcmp(s, name, len)) return i;
    }
    ck_abort_msg("no outlet %s", name);
    return 0;
}

static retold_overlap_cell cell(const retold_overlap *ov, const char *a, const char *b)
{
    retold_overlap_cell c;
    retold_overlap_get(ov, outlet(ov, a), outlet(ov, b), &c);
    return c;
}

enum { N = RETOLD_REL_NEAR_COPY, PC = RETOLD_REL_PARTIAL_COPY, D = RETOLD_REL_DUPLICATE, RW = RETOLD_REL_REWRITE };

/* Y publishes y1..y5; X copies four of them (one earlier than Y, one the
 * same day); Z is unrelated (but has one rewrite of X, not counted by
 * default). */
static const tdoc world[] = {
    /* 0 */ { "Y", "2022-11-01" }, /* 1 */ { "Y", "2022-11-02" }, /* 2 */ { "Y", "2022-11-03" },
    /* 3 */ { "Y", "2022-11-04" }, /* 4 */ { "Y", "2022-11-06" },
    /* 5 */ { "X", "2022-11-02" }, /* 6 */ { "X", "2022-11-05" }, /* 7 */ { "X", "2022-11-03" },
    /* 8 */ { "X", "2022-10-30" }, /* 9 */ { "X", "2022-11-07" },
    /* 10 */ { "Z", "2022-11-01" }, /* 11 */ { "Z", "2022-11-02" },
};

static retold_pair world_pairs[8];
static size_t world_np;

static void make_world(void)
{
    world_np = 0;
    world_pairs[world_np++] = P(0, 5, N);      /* x1 <- y1: B first, lag 1 */
    world_pairs[world_np++] = P(4, 5, N);      /* x1 also ~ y5 (later): earliest counts */
    world_pairs[world_np++] = P(1, 6, PC);     /* x2 <- y2: lag 3 */
    world_pairs[world_np++] = P(2, 7, D);      /* same day: tie */
    world_pairs[world_np++] = P(8, 3, N);      /* x4 before y4: A first, lag -5 */
    world_pairs[world_np++] = P(9, 10, RW);    /* a rewrite: ignored by default */
}

START_TEST(test_shares_directions_lags)
{
    make_world();
    retold_overlap *ov = compute(world, 12, world_pairs, world_np, 0);
    ck_assert_uint_eq(retold_overlap_outlets(ov), 3);
    ck_assert_uint_eq(outlet(ov, "X"), 0);                 /* name order */
    ck_assert_uint_eq(outlet(ov, "Z"), 2);

    retold_overlap_cell c = cell(ov, "X", "Y");
    ck_assert_uint_eq(c.docs_a, 5);
    ck_assert_uint_eq(c.shared, 4);
    ck_assert_double_eq_tol(c.share, 0.8, 1e-12);
    ck_assert_uint_eq(c.a_first, 1);
    ck_assert_uint_eq(c.b_first, 2);
    ck_assert_uint_eq(c.ties, 1);
    ck_assert_uint_eq(c.undated, 0);
    ck_assert_double_eq_tol(c.median_lag, 0.5, 1e-9);      /* lags -5, 0, 1, 3 */
    ck_assert_uint_eq(c.by_relation[N], 2);
    ck_assert_uint_eq(c.by_relation[PC], 1);
    ck_assert_uint_eq(c.by_relation[D], 1);

    c = cell(ov, "Y", "X");
    ck_assert_uint_eq(c.docs_a, 5);
    ck_assert_uint_eq(c.shared, 5);
    ck_assert_double_eq_tol(c.share, 1.0, 1e-12);
    ck_assert_uint_eq(c.a_first, 2);                       /* y1, y2 */
    ck_assert_uint_eq(c.b_first, 2);                       /* y4 (x4 earlier), y5 (x1 earlier) */
    ck_assert_uint_eq(c.ties, 1);
    ck_assert_double_eq_tol(c.median_lag, 0.0, 1e-9);      /* lags -3, -1, 0, 4, 5 */

    /* unrelated outlet: zero cells, no lag */
    c = cell(ov, "Z", "X");
    ck_assert_uint_eq(c.docs_a, 2);
    ck_assert_uint_eq(c.shared, 0);
    ck_assert(isnan(c.median_lag));
    c = cell(ov, "X", "Z");
    ck_assert_uint_eq(c.shared, 0);

    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    ck_assert_uint_eq(st.docs, 12);
    ck_assert_uint_eq(st.outlets, 3);
    ck_assert_uint_eq(st.pairs, 5);
    ck_assert_uint_eq(st.pairs_ignored, 1);
    ck_assert_uint_eq(st.dated, 12);
    ck_assert_uint_eq(st.shared_cross, 9);
    ck_assert_uint_eq(st.shared_self, 0);
    retold_overlap_outlet info;
    retold_overlap_outlet_info(ov, outlet(ov, "X"), &info);
    ck_assert_uint_eq(info.docs, 5);
    ck_assert_uint_eq(info.shared_cross, 4);

    /* non-zero cells only, sorted */
    size_t nc;
    const retold_overlap_cell *cells = retold_overlap_cells(ov, &nc);
    ck_assert_uint_eq(nc, 2);
    ck_assert_uint_eq(cells[0].a, 0);
    ck_assert_uint_eq(cells[0].b, 1);
    ck_assert_uint_eq(cells[1].a, 1);
    ck_assert_uint_eq(cells[1].b, 0);

    /* top: by documents shared with other outlets */
    uint32_t top[5];
    ck_assert_uint_eq(retold_overlap_top(ov, 5, top), 3);
    ck_assert_uint_eq(top[0], outlet(ov, "Y"));            /* 5 shared */
    ck_assert_uint_eq(top[1], outlet(ov, "X"));            /* 4 shared */
    ck_assert_uint_eq(top[2], outlet(ov, "Z"));
    retold_overlap_free(ov);

    /* with rewrites selected, X-Z appears */
    ov = compute(world, 12, world_pairs, world_np, RETOLD_RELS_COPY | RETOLD_REL_BIT(RW));
    c = cell(ov, "X", "Z");
    ck_assert_uint_eq(c.shared, 1);
    ck_assert_uint_eq(c.b_first, 1);
    ck_assert_double_eq_tol(c.median_lag, 6.0, 1e-9);
    ck_assert_uint_eq(c.by_relation[RW], 1);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_missing_and_bad_dates)
{
    static const tdoc docs[] = {
        { "A", "2022-11-02" }, { "A", NULL }, { "A", "yesterday" }, { "A", "2023-02-29" },
        { "B", "2022-11-01" }, { "B", NULL }, { "B", "2022-11-01T12:00:00Z" },
    };
    retold_pair pr[] = {
        P(0, 4, N),     /* dated both: B first by 1 day */
        P(1, 4, N),     /* a undated */
        P(2, 6, N),     /* a unparsable */
        P(3, 5, N),     /* both missing */
        P(0, 5, N),     /* doc 0 also ~ an undated B doc: the dated one counts */
    };
    retold_overlap *ov = compute(docs, 7, pr, 5, 0);
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    ck_assert_uint_eq(st.dated, 3);
    ck_assert_uint_eq(st.missing_dates, 2);
    ck_assert_uint_eq(st.bad_dates, 2);
    retold_overlap_cell c = cell(ov, "A", "B");
    ck_assert_uint_eq(c.shared, 4);
    ck_assert_uint_eq(c.b_first, 1);
    ck_assert_uint_eq(c.a_first + c.ties, 0);
    ck_assert_uint_eq(c.undated, 3);
    ck_assert_double_eq_tol(c.median_lag, 1.0, 1e-9);
    c = cell(ov, "B", "A");
    ck_assert_uint_eq(c.shared, 3);                    /* 4, 5, 6 */
    /* doc 4 (11-01) ~ doc 0 (11-02) and undated doc 1: A first by 1 day;
     * doc 5 undated; doc 6 ~ doc 2, whose date is unparsable: undated */
    ck_assert_uint_eq(c.a_first, 1);
    ck_assert_uint_eq(c.undated, 2);
    ck_assert_double_eq_tol(c.median_lag, -1.0, 1e-9);
    retold_overlap_free(ov);

    /* nothing dated at all: no lag */
    static const tdoc nodates[] = { { "A", NULL }, { "B", "" } };
    retold_pair one = P(0, 1, N);
    ov = compute(nodates, 2, &one, 1, 0);
    c = cell(ov, "A", "B");
    ck_assert_uint_eq(c.shared, 1);
    ck_assert_uint_eq(c.undated, 1);
    ck_assert(isnan(c.median_lag));
    retold_overlap_get_stats(ov, &st);
    ck_assert_uint_eq(st.bad_dates, 1);                /* "" is present but not a date */
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_ties_and_even_median)
{
    /* four A docs, each copied from B: lags 0, 0, 2, 3 -> median 1, 2 ties */
    static const tdoc docs[] = {
        { "A", "2022-01-10" }, { "A", "2022-01-10" }, { "A", "2022-01-12" }, { "A", "2022-01-13T00:00:00+00:00" },
        { "B", "2022-01-10" }, { "B", "2022-01-10T00:00Z" }, { "B", "2022-01-10" }, { "B", "2022-01-10" },
    };
    retold_pair pr[] = { P(0, 4, N), P(1, 5, D), P(2, 6, PC), P(3, 7, N) };
    retold_overlap *ov = compute(docs, 8, pr, 4, 0);
    retold_overlap_cell c = cell(ov, "A", "B");
    ck_assert_uint_eq(c.shared, 4);
    ck_assert_uint_eq(c.ties, 2);
    ck_assert_uint_eq(c.b_first, 2);
    ck_assert_uint_eq(c.a_first, 0);
    ck_assert_double_eq_tol(c.median_lag, 1.0, 1e-9);
    c = cell(ov, "B", "A");
    ck_assert_uint_eq(c.ties, 2);
    ck_assert_uint_eq(c.a_first, 2);
    ck_assert_double_eq_tol(c.median_lag, -1.0, 1e-9);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_self_reuse)
{
    /* Y re-runs its own story (y0 ~ y1) and X copies y0 */
    static const tdoc docs[] = {
        { "Y", "2022-11-01" }, { "Y", "2022-11-03" }, { "Y", "2022-11-04" }, { "X", "2022-11-02" },
    };
    retold_pair pr[] = { P(0, 1, N), P(0, 3, N) };
    retold_overlap *ov = compute(docs, 4, pr, 2, 0);
    retold_overlap_cell c = cell(ov, "Y", "Y");
    ck_assert_uint_eq(c.docs_a, 3);
    ck_assert_uint_eq(c.shared, 2);
    ck_assert_uint_eq(c.a_first, 1);                   /* y0 before y1 */
    ck_assert_uint_eq(c.b_first, 1);                   /* y1 after y0 */
    ck_assert_double_eq_tol(c.median_lag, 0.0, 1e-9);  /* -2, +2 */
    c = cell(ov, "Y", "X");
    ck_assert_uint_eq(c.shared, 1);                    /* self pairs excluded */
    ck_assert_double_eq_tol(c.share, 1.0 / 3, 1e-12);
    retold_overlap_outlet info;
    retold_overlap_outlet_info(ov, outlet(ov, "Y"), &info);
    ck_assert_uint_eq(info.shared_cross, 1);
    ck_assert_uint_eq(info.shared_self, 2);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_one_outlet_only)
{
    static const tdoc docs[] = { { "only", "2022-11-01" }, { "only", "2022-11-02" }, { "only", NULL } };
    retold_pair pr[] = { P(0, 1, D) };
    retold_overlap *ov = compute(docs, 3, pr, 1, 0);
    ck_assert_uint_eq(retold_overlap_outlets(ov), 1);
    size_t nc;
    const retold_overlap_cell *cells = retold_overlap_cells(ov, &nc);
    ck_assert_uint_eq(nc, 1);
    ck_assert_uint_eq(cells[0].a, 0);
    ck_assert_uint_eq(cells[0].b, 0);
    ck_assert_uint_eq(cells[0].shared, 2);
    ck_assert_double_eq_tol(cells[0].share, 2.0 / 3, 1e-12);
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    ck_assert_uint_eq(st.shared_cross, 0);
    ck_assert_uint_eq(st.shared_self, 2);
    uint32_t top[4], order[1];
    ck_assert_uint_eq(retold_overlap_top(ov, 4, top), 1);
    ck_assert_int_eq(retold_overlap_order(ov, top, 1, order), RETOLD_OK);
    ck_assert_uint_eq(order[0], 0);
    retold_overlap_cell m[4];
    ck_assert_int_eq(retold_overlap_matrix(ov, top, 1, m), RETOLD_OK);
    ck_assert_uint_eq(m[0].shared, 2);                 /* self cell of a kept outlet */
    ck_assert_uint_eq(m[1].shared, 0);
    ck_assert_uint_eq(m[3].docs_a, 0);                 /* no other outlets */
    retold_overlap_free(ov);

    /* no documents at all */
    ck_assert_int_eq(retold_overlap_compute(&ov, 0, doc_of, NULL, NULL, 0, NULL), RETOLD_OK);
    ck_assert_uint_eq(retold_overlap_outlets(ov), 0);
    ck_assert_uint_eq(retold_overlap_top(ov, 3, top), 0);
    retold_overlap_free(ov);
    /* pairs out of range */
    retold_pair bad = P(0, 7, N);
    ck_assert_int_eq(retold_overlap_compute(&ov, 3, doc_of, (void *)docs, &bad, 1, NULL), RETOLD_INVAL);
    ck_assert_ptr_null(ov);
    retold_overlap_free(NULL);
}
END_TEST

START_TEST(test_no_source)
{
    static const tdoc docs[] = { { NULL, "2022-11-01" }, { "B", "2022-11-02" } };
    retold_pair pr = P(0, 1, N);
    retold_overlap *ov = compute(docs, 2, &pr, 1, 0);
    size_t len;
    retold_overlap_outlet_name(ov, 0, &len);
    ck_assert_uint_eq(len, 0);                         /* "" sorts first */
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    ck_assert_uint_eq(st.no_source, 1);
    retold_overlap_cell c;
    retold_overlap_get(ov, 1, 0, &c);
    ck_assert_uint_eq(c.b_first, 1);
    retold_overlap_free(ov);

    /* no source anywhere: one outlet with the empty name */
    static const tdoc none[] = { { NULL, NULL }, { NULL, "2022-11-02" } };
    ov = compute(none, 2, &pr, 1, 0);
    ck_assert_uint_eq(retold_overlap_outlets(ov), 1);
    retold_overlap_get(ov, 0, 0, &c);
    ck_assert_uint_eq(c.shared, 2);
    ck_assert_uint_eq(c.undated, 2);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_matrix_groups)
{
    /* A, B kept; C, D, E aggregated as "other" */
    static const tdoc docs[] = {
        { "A", "2022-01-01" }, { "A", "2022-01-01" },                          /* 0 1 */
        { "B", "2022-01-02" },                                                 /* 2 */
        { "C", "2022-01-03" }, { "C", "2022-01-04" },                          /* 3 4 */
        { "D", "2022-01-05" },                                                 /* 5 */
        { "E", "2022-01-06" },                                                 /* 6 */
        { "A", "2022-01-01" }, { "B", "2022-01-01" },                          /* 7 8 */
    };
    retold_pair pr[] = {
        P(0, 3, N), P(0, 5, N),   /* a0 in C and D: counts once for (A, other) */
        P(1, 2, N),               /* A-B */
        P(3, 4, N),               /* C self-reuse: not in (other, other) */
        P(5, 6, N),               /* D-E: (other, other) cross */
        P(2, 8, D),               /* B self */
        P(7, 8, N),               /* A-B */
    };
    retold_overlap *ov = compute(docs, 9, pr, 7, 0);
    uint32_t keep[2] = { (uint32_t)outlet(ov, "A"), (uint32_t)outlet(ov, "B") };
    retold_overlap_cell m[9];
    ck_assert_int_eq(retold_overlap_matrix(ov, keep, 2, m), RETOLD_OK);
    ck_assert_uint_eq(m[0 * 3 + 2].shared, 1);          /* (A, other) */
    ck_assert_double_eq_tol(m[0 * 3 + 2].median_lag, -2.0, 1e-9);
    ck_assert_uint_eq(m[0 * 3 + 1].shared, 2);          /* (A, B) */
    ck_assert_uint_eq(m[1 * 3 + 1].shared, 2);          /* B self */
    ck_assert_uint_eq(m[2 * 3 + 0].docs_a, 4);
    ck_assert_uint_eq(m[2 * 3 + 0].shared, 2);          /* c3 and d5 ~ a0 */
    ck_assert_uint_eq(m[2 * 3 + 2].shared, 2);          /* d5, e6: not c3/c4's self pair */
    ck_assert_uint_eq(m[2 * 3 + 2].a, 2);
    /* the kept cells equal the full cells */
    retold_overlap_cell c = cell(ov, "A", "B");
    ck_assert_uint_eq(c.shared, m[1].shared);
    ck_assert_double_eq_tol(c.median_lag, m[1].median_lag, 1e-12);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_order)
{
    /* A~C and B~D share a lot, nothing across: the order keeps them adjacent */
    static const tdoc docs[] = {
        { "A", NULL }, { "A", NULL }, { "B", NULL }, { "B", NULL },
        { "C", NULL }, { "C", NULL }, { "D", NULL }, { "D", NULL }, { "E", NULL },
    };
    retold_pair pr[] = { P(0, 4, N), P(1, 5, N), P(2, 6, N), P(3, 7, N), P(0, 8, N) };
    retold_overlap *ov = compute(docs, 9, pr, 5, 0);
    uint32_t all[5] = { 0, 1, 2, 3, 4 }, order[5];
    ck_assert_int_eq(retold_overlap_order(ov, all, 5, order), RETOLD_OK);
    int pos[5];
    for (int i = 0; i < 5; i++) pos[order[i]] = i;
    ck_assert_int_eq(abs(pos[0] - pos[2]), 1);          /* A next to C */
    ck_assert_int_eq(abs(pos[1] - pos[3]), 1);          /* B next to D */
    ck_assert_int_eq(abs(pos[0] - pos[4]), 1);          /* E (shares with A only) next to A */
    uint32_t seen = 0;
    for (int i = 0; i < 5; i++) seen |= 1u << order[i];
    ck_assert_uint_eq(seen, 31);
    retold_overlap_free(ov);
}
END_TEST

START_TEST(test_parse_date)
{
    double d;
    ck_assert_int_eq(retold_overlap_parse_date("2022-11-10", 10, &d), RETOLD_OK);
    ck_assert_double_eq(d, 19306.0);
    ck_assert_int_eq(retold_overlap_parse_date("1970-01-01", 10, &d), RETOLD_OK);
    ck_assert_double_eq(d, 0.0);
    ck_assert_int_eq(retold_overlap_parse_date("1969-12-31", 10, &d), RETOLD_OK);
    ck_assert_double_eq(d, -1.0);
    ck_assert_int_eq(retold_overlap_parse_date("1600-03-01", 10, &d), RETOLD_OK);
    ck_assert_double_eq(d, -135080.0);
    const char *s = "2022-11-10T12:00:00+02:00";
    ck_assert_int_eq(retold_overlap_parse_date(s, strlen(s), &d), RETOLD_OK);
    ck_assert_double_eq_tol(d, 19306.0 + 10.0 / 24, 1e-9);
    s = " 2022-11-10 06:00Z\n";
    ck_assert_int_eq(retold_overlap_parse_date(s, strlen(s), &d), RETOLD_OK);
    ck_assert_double_eq_tol(d, 19306.25, 1e-9);
    s = "2022-11-10T06:00:30.5-0130";
    ck_assert_int_eq(retold_overlap_parse_date(s, strlen(s), &d), RETOLD_OK);
    ck_assert_double_eq_tol(d, 19306.0 + (7.5 * 3600 + 30.5) / 86400, 1e-9);
    s = "2024-02-29T23:59:59-05";
    ck_assert_int_eq(retold_overlap_parse_date(s, strlen(s), &d), RETOLD_OK);
    ck_assert_int_eq(retold_overlap_parse_date("2000-02-29", 10, &d), RETOLD_OK);
    static const char *const bad[] = {
        "", "2022", "2022-11", "2022/11/10", "22-11-10", "2022-13-01", "2022-00-10", "2022-11-31",
        "2023-02-29", "1900-02-29", "2022-11-10T25:00", "2022-11-10T10", "2022-11-10T10:61",
        "2022-11-10x", "2022-11-10T10:00:00.", "2022-11-10T10:00+2", "2022-11-10T10:00Zulu",
        "10 Nov 2022", "2022-11-1O",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(retold_overlap_parse_date(bad[i], strlen(bad[i]), &d) == RETOLD_PARSE, "accepted '%s'", bad[i]);
    ck_assert_int_eq(retold_overlap_parse_date(NULL, 0, &d), RETOLD_PARSE);
}
END_TEST

START_TEST(test_parse_relations)
{
    unsigned m;
    ck_assert_int_eq(retold_overlap_parse_relations("copy", &m), RETOLD_OK);
    ck_assert_uint_eq(m, RETOLD_RELS_COPY);
    ck_assert_int_eq(retold_overlap_parse_relations("near-copy, rewrite,translation", &m), RETOLD_OK);
    ck_assert_uint_eq(m, RETOLD_REL_BIT(RETOLD_REL_NEAR_COPY) | RETOLD_REL_BIT(RETOLD_REL_REWRITE) |
                         RETOLD_REL_BIT(RETOLD_REL_TRANSLATION));
    ck_assert_int_eq(retold_overlap_parse_relations("all", &m), RETOLD_OK);
    ck_assert_uint_eq(m, RETOLD_RELS_ALL);
    ck_assert(!(m & RETOLD_REL_BIT(RETOLD_REL_NONE)));
    ck_assert_int_eq(retold_overlap_parse_relations("copy,bogus", &m), RETOLD_INVAL);
    ck_assert_int_eq(retold_overlap_parse_relations("", &m), RETOLD_INVAL);
    ck_assert_int_eq(retold_overlap_parse_relations("none", &m), RETOLD_INVAL);
    ck_assert_int_eq(retold_overlap_parse_relations("copy,", &m), RETOLD_INVAL);
}
END_TEST

/* Order and grouping do not change the numbers: the same corpus with its
 * documents shuffled gives the same cells. */
START_TEST(test_input_order_invariant)
{
    make_world();
    retold_overlap *a = compute(world, 12, world_pairs, world_np, 0);
    tdoc rev[12];
    retold_pair rp[8];
    for (size_t i = 0; i < 12; i++) rev[i] = world[11 - i];
    for (size_t i = 0; i < world_np; i++) {
        rp[i] = world_pairs[world_np - 1 - i];
        rp[i].a = 11 - rp[i].a;
        rp[i].b = 11 - rp[i].b;
    }
    retold_overlap *b = compute(rev, 12, rp, world_np, 0);
    size_t na, nb;
    const retold_overlap_cell *ca = retold_overlap_cells(a, &na), *cb = retold_overlap_cells(b, &nb);
    ck_assert_uint_eq(na, nb);
    for (size_t i = 0; i < na; i++) {
        ck_assert_uint_eq(ca[i].a, cb[i].a);
        ck_assert_uint_eq(ca[i].b, cb[i].b);
        ck_assert_uint_eq(ca[i].shared, cb[i].shared);
        ck_assert_uint_eq(ca[i].b_first, cb[i].b_first);
        ck_assert_double_eq(ca[i].median_lag, cb[i].median_lag);
    }
    retold_overlap_free(a);
    retold_overlap_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("overlap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_shares_directions_lags);
    tcase_add_test(tc, test_missing_and_bad_dates);
    tcase_add_test(tc, test_ties_and_even_median);
    tcase_add_test(tc, test_self_reuse);
    tcase_add_test(tc, test_one_outlet_only);
    tcase_add_test(tc, test_no_source);
    tcase_add_test(tc, test_matrix_groups);
    tcase_add_test(tc, test_order);
    tcase_add_test(tc, test_parse_date);
    tcase_add_test(tc, test_parse_relations);
    tcase_add_test(tc, test_input_order_invariant);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
