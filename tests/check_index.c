/* check_index.c - the standing index: answers equal the batch's (the
 * oracle), duplicate ids / replace / skip, remove, forget, stats numbers,
 * refusal of foreign, truncated, corrupt, newer-version and
 * other-parameter indexes, disk full and read-only directories, and
 * snapshot isolation between a writer and a reader. */
#include "testutil.h"
#include "retold.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

static char dir[256], ixdir[300], corpus[300];

/* ---- a corpus: made-up words, planted variants ------------------------ */

static void word(uint64_t *s, char *out)
{
    static const char *const syl[] = { "ka", "ro", "mi", "te", "su", "la", "vo", "ne", "pi", "da",
                                       "gor", "ban", "tel", "mus", "ri", "fo", "zen", "ul", "an", "ex" };
    int n = 1 + (int)(tu_rand(s) % 3);
    out[0] = 0;
    for (int i = 0; i < n; i++) strcat(out, syl[tu_rand(s) % 20]);
}

typedef struct doc { char id[32], src[16], date[16]; char *text; } doc;

enum { NDOCS = 240 };
static doc docs[NDOCS];

static char *make_text(uint64_t *s, const char *base, double edit)
{
    char *t = malloc(8192);
    size_t len = 0;
    if (!base) {
        size_t words = 80 + tu_rand(s) % 200;
        for (size_t i = 0; i < words; i++) {
            char w[16];
            word(s, w);
            len += (size_t)sprintf(t + len, "%s%s", i ? " " : "", w);
        }
        return t;
    }
    char *copy = strdup(base), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char nw[16];
        if ((double)(tu_rand(s) % 10000) < edit * 10000) { word(s, nw); strcat(nw, "q"); w = nw; }
        len += (size_t)sprintf(t + len, "%s%s", len ? " " : "", w);
    }
    free(copy);
    return t;
}

static void make_corpus(void)
{
    uint64_t s = 77;
    FILE *f = fopen(corpus, "w");
    ck_assert(f != NULL);
    for (int i = 0; i < NDOCS; i++) {
        doc *d = &docs[i];
        snprintf(d->id, sizeof d->id, "doc%03d", i);
        snprintf(d->src, sizeof d->src, "outlet-%d", i % 7);
        snprintf(d->date, sizeof d->date, "2024-01-%02d", 1 + i % 28);
        if (i % 3 == 2) d->text = make_text(&s, docs[i - 1 - (int)(tu_rand(&s) % 2)].text, (double)(i % 5) * 0.03);
        else d->text = make_text(&s, NULL, 0);
        if (i == 5) d->text[0] = 0;                           /* one empty document */
        fprintf(f, "{\"id\":\"%s\",\"source\":\"%s\",\"date\":\"%s\",\"text\":\"%s\"}\n", d->id, d->src, d->date, d->text);
    }
    fclose(f);
}

static retold_record rec_of(const doc *d)
{
    retold_record r;
    memset(&r, 0, sizeof r);
    r.id = d->id; r.id_len = strlen(d->id);
    r.text = d->text; r.text_len = strlen(d->text);
    r.source = d->src; r.source_len = strlen(d->src);
    r.date = d->date; r.date_len = strlen(d->date);
    r.path = "test";
    return r;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/retold-index-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(ixdir, sizeof ixdir, "%s/ix", dir);
    snprintf(corpus, sizeof corpus, "%s/corpus.jsonl", dir);
    make_corpus();
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
    for (int i = 0; i < NDOCS; i++) free(docs[i].text);
}

static retold_index *make_index(const retold_params *p, size_t n)
{
    retold_params q;
    if (!p) { retold_params_default(&q); p = &q; }
    retold_index *ix;
    int rc = retold_index_create(&ix, ixdir, p, NULL);
    ck_assert_msg(rc == RETOLD_OK, "create: %s", retold_index_errmsg(ix));
    retold_record *r = calloc(n, sizeof *r);
    for (size_t i = 0; i < n; i++) r[i] = rec_of(&docs[i]);
    rc = retold_index_add_many(ix, r, n, RETOLD_INDEX_ERROR_IF_EXISTS, NULL, NULL);
    ck_assert_msg(rc == RETOLD_OK, "add: %s", retold_index_errmsg(ix));
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    free(r);
    return ix;
}

static int open_rc(unsigned flags, char *msg, size_t cap)
{
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.flags = flags;
    retold_index *ix;
    int rc = retold_index_open(&ix, ixdir, &o);
    if (msg) snprintf(msg, cap, "%s", retold_index_errmsg(ix));
    retold_index_close(ix);
    return rc;
}

static uint64_t check_problems(void)
{
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.flags = RETOLD_INDEX_READONLY;
    retold_index *ix;
    ck_assert_int_eq(retold_index_open(&ix, ixdir, &o), RETOLD_OK);
    uint64_t problems = 0;
    retold_index_check(ix, 1, NULL, NULL, &problems);
    retold_index_close(ix);
    return problems;
}

/* ---- answers equal the batch's ---------------------------------------- */

static void oracle(unsigned views, int verify)
{
    retold_batch_opts bo;
    retold_batch_opts_default(&bo);
    bo.params.views = views;
    bo.params.threshold = 0.7;
    bo.verify = verify;
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &bo), RETOLD_OK);
    const char *in[] = { corpus };
    ck_assert_int_eq(retold_batch_run(b, in, 1, NULL, 0), RETOLD_OK);
    size_t np;
    const retold_pair *bp = retold_batch_pairs(b, &np);
    ck_assert_uint_gt(np, 20);

    /* query --add over the corpus: each document against all before it */
    retold_index *ix;
    ck_assert_int_eq(retold_index_create(&ix, ixdir, &bo.params, NULL), RETOLD_OK);
    retold_index_query_opts q;
    retold_index_query_opts_default(&q);
    q.verify = verify;
    q.add = 1;
    size_t found = 0;
    for (int i = 0; i < NDOCS; i++) {
        retold_record r = rec_of(&docs[i]);
        const retold_index_match *m;
        size_t n;
        ck_assert_int_eq(retold_index_query(ix, &r, &q, &m, &n, NULL), RETOLD_OK);
        for (size_t j = 0; j < n; j++) {
            /* the batch pair (match, i) with the same relation and scores */
            size_t k;
            for (k = 0; k < np; k++) {
                size_t la, lb;
                const char *a = retold_batch_id(b, bp[k].a, &la), *c = retold_batch_id(b, bp[k].b, &lb);
                if (bp[k].b == (uint32_t)i && la == m[j].id_len && !memcmp(a, m[j].id, la)) { (void)c; (void)lb; break; }
            }
            ck_assert_msg(k < np, "index match %s -> %.*s not in the batch", docs[i].id, (int)m[j].id_len, m[j].id);
            ck_assert_int_eq(m[j].relation, bp[k].relation);
            ck_assert_float_eq_tol(m[j].score, bp[k].score, 1e-6);
            ck_assert_float_eq_tol(m[j].jaccard, bp[k].jaccard, 1e-6);
            ck_assert_float_eq_tol(m[j].containment, bp[k].containment, 1e-6);
            for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
                ck_assert_float_eq_tol(m[j].view_jaccard[v], bp[k].view_jaccard[v], 1e-6);
            if (j) ck_assert(m[j].relation < m[j - 1].relation ||
                             (m[j].relation == m[j - 1].relation && m[j].score <= m[j - 1].score));
            found++;
        }
        ck_assert_int_eq(retold_index_add(ix, &r, RETOLD_INDEX_ERROR_IF_EXISTS, NULL), RETOLD_OK);
    }
    ck_assert_uint_eq(found, np);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    retold_index_close(ix);
    retold_batch_free(b);
}

START_TEST(test_oracle_surface_auto) { oracle(RETOLD_VIEWS_SURFACE, RETOLD_VERIFY_AUTO); }
END_TEST
START_TEST(test_oracle_surface_exact) { oracle(RETOLD_VIEWS_SURFACE, RETOLD_VERIFY_EXACT); }
END_TEST
START_TEST(test_oracle_all_views) { oracle(RETOLD_VIEWS_ALL, RETOLD_VERIFY_AUTO); }
END_TEST

/* query_many with threads and add gives the same as one at a time */
START_TEST(test_query_many_threads)
{
    retold_params p;
    retold_params_default(&p);
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.threads = 3;
    o.batch_docs = 17;
    retold_index *ix;
    ck_assert_int_eq(retold_index_create(&ix, ixdir, &p, &o), RETOLD_OK);
    retold_record *r = calloc(NDOCS, sizeof *r);
    for (int i = 0; i < NDOCS; i++) r[i] = rec_of(&docs[i]);
    retold_index_query_opts q;
    retold_index_query_opts_default(&q);
    q.add = 1;
    size_t done;
    ck_assert_int_eq(retold_index_query_many(ix, r, NDOCS, &q, NULL, NULL, &done), RETOLD_OK);
    ck_assert_uint_eq(done, NDOCS);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    retold_index_stats st;
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, NDOCS);
    /* every variant finds its base among the documents before it */
    q.add = 0;
    for (int i = 2; i < NDOCS; i += 3) {
        const retold_index_match *m;
        size_t n;
        ck_assert_int_eq(retold_index_query(ix, &r[i], &q, &m, &n, NULL), RETOLD_OK);
        if (i % 5 == 0 && i != 5) ck_assert_msg(n >= 1, "%s found nothing", docs[i].id);
        for (size_t j = 0; j < n; j++) ck_assert(!(m[j].id_len == r[i].id_len && !memcmp(m[j].id, r[i].id, r[i].id_len)));
    }
    q.include_self = 1;
    const retold_index_match *m;
    size_t n;
    ck_assert_int_eq(retold_index_query(ix, &r[0], &q, &m, &n, NULL), RETOLD_OK);
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(m[0].relation, RETOLD_REL_DUPLICATE);
    ck_assert_str_eq(m[0].source, "outlet-0");
    free(r);
    retold_index_close(ix);
    ck_assert_uint_eq(check_problems(), 0);
}
END_TEST

/* ---- ids: exists, replace, skip; remove; forget; stats ---------------- */

START_TEST(test_ids_replace_skip)
{
    retold_index *ix = make_index(NULL, 50);
    retold_record r = rec_of(&docs[10]);
    int outcome = -1;
    ck_assert_int_eq(retold_index_add(ix, &r, RETOLD_INDEX_ERROR_IF_EXISTS, &outcome), RETOLD_EXISTS);
    ck_assert(strstr(retold_index_errmsg(ix), "doc010") != NULL);
    ck_assert(strstr(retold_index_errmsg(ix), "already in the index") != NULL);
    ck_assert_int_eq(retold_index_add(ix, &r, RETOLD_INDEX_SKIP_EXISTING, &outcome), RETOLD_OK);
    ck_assert_int_eq(outcome, RETOLD_INDEX_SKIPPED);
    /* replace doc010 by the text of doc100: a query with doc100's text now
     * finds doc010 as a duplicate */
    r.text = docs[100].text;
    r.text_len = strlen(docs[100].text);
    ck_assert_int_eq(retold_index_add(ix, &r, RETOLD_INDEX_REPLACE, &outcome), RETOLD_OK);
    ck_assert_int_eq(outcome, RETOLD_INDEX_REPLACED);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    retold_record qr = rec_of(&docs[100]);
    const retold_index_match *m;
    size_t n;
    ck_assert_int_eq(retold_index_query(ix, &qr, NULL, &m, &n, NULL), RETOLD_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(m[0].relation, RETOLD_REL_DUPLICATE);
    ck_assert_uint_eq(m[0].id_len, 6);
    ck_assert(!memcmp(m[0].id, "doc010", 6));
    retold_index_stats st;
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, 50);
    /* get returns the new text */
    retold_index_match g;
    char *text;
    size_t tl;
    ck_assert_int_eq(retold_index_get(ix, "doc010", 6, &g, &text, &tl), RETOLD_OK);
    ck_assert_uint_eq(tl, strlen(docs[100].text));
    ck_assert(!memcmp(text, docs[100].text, tl));
    free(text);
    ck_assert_int_eq(retold_index_get(ix, "nope", 4, &g, NULL, NULL), RETOLD_NOTFOUND);
    retold_index_close(ix);
    ck_assert_uint_eq(check_problems(), 0);
}
END_TEST

START_TEST(test_remove_forget_stats)
{
    retold_index *ix = make_index(NULL, NDOCS);
    retold_index_stats st;
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, NDOCS);
    ck_assert_uint_eq(st.empty_docs, 1);
    ck_assert_uint_eq(st.dated_docs, NDOCS);
    ck_assert_uint_eq(st.sources, 7);
    ck_assert_str_eq(st.first_date, "2024-01-01");
    ck_assert_str_eq(st.last_date, "2024-01-28");
    ck_assert_uint_eq(st.postings, (uint64_t)(NDOCS - 1) * retold_index_params(ix)->bands);
    size_t text = 0;
    for (int i = 0; i < NDOCS; i++) text += strlen(docs[i].text);
    ck_assert_uint_eq(st.text_bytes, text);
    ck_assert(st.stored_text_bytes < text);
    ck_assert(st.file_bytes > 0 && st.used_bytes > 0);

    /* remove: gone from queries, ids, stats */
    ck_assert_int_eq(retold_index_remove(ix, "doc001", 6), RETOLD_OK);
    ck_assert_int_eq(retold_index_remove(ix, "doc001", 6), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    retold_record r = rec_of(&docs[1]);
    r.id = "other"; r.id_len = 5;
    const retold_index_match *m;
    size_t n;
    ck_assert_int_eq(retold_index_query(ix, &r, NULL, &m, &n, NULL), RETOLD_OK);
    for (size_t j = 0; j < n; j++) ck_assert(!(m[j].id_len == 6 && !memcmp(m[j].id, "doc001", 6)));
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, NDOCS - 1);

    /* forget: dates 01..09 go (9 of every 28 days), undated ones stay */
    retold_record undated = rec_of(&docs[3]);
    undated.id = "undated"; undated.id_len = 7; undated.date = NULL; undated.date_len = 0;
    ck_assert_int_eq(retold_index_add(ix, &undated, 0, NULL), RETOLD_OK);
    uint64_t removed;
    ck_assert_int_eq(retold_index_forget(ix, "2024-01-10", 10, &removed), RETOLD_OK);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    uint64_t want = 0;
    for (int i = 0; i < NDOCS; i++) want += i != 1 && 1 + i % 28 < 10;
    ck_assert_uint_eq(removed, want);
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, NDOCS - 1 - want + 1);
    ck_assert_uint_eq(st.dated_docs, NDOCS - 1 - want);
    ck_assert_str_eq(st.first_date, "2024-01-10");
    retold_index_match g;
    ck_assert_int_eq(retold_index_get(ix, "undated", 7, &g, NULL, NULL), RETOLD_OK);
    ck_assert_int_eq(retold_index_get(ix, "doc008", 6, &g, NULL, NULL), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_index_get(ix, "doc009", 6, &g, NULL, NULL), RETOLD_OK);
    ck_assert_str_eq(g.date, "2024-01-10");
    /* forget everything dated */
    ck_assert_int_eq(retold_index_forget(ix, "9999", 4, &removed), RETOLD_OK);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    ck_assert_int_eq(retold_index_get_stats(ix, &st), RETOLD_OK);
    ck_assert_uint_eq(st.docs, 1);
    ck_assert_uint_eq(st.sources, 1);
    ck_assert_str_eq(st.first_date, "");
    retold_index_close(ix);
    ck_assert_uint_eq(check_problems(), 0);
}
END_TEST

START_TEST(test_rollback_and_snapshots)
{
    retold_index *w = make_index(NULL, 20);
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.flags = RETOLD_INDEX_READONLY;
    retold_index *r;
    ck_assert_int_eq(retold_index_open(&r, ixdir, &o), RETOLD_OK);
    /* an uncommitted add is seen by its own handle, not by the reader */
    retold_record x = rec_of(&docs[30]);
    ck_assert_int_eq(retold_index_add(w, &x, 0, NULL), RETOLD_OK);
    retold_index_match g;
    ck_assert_int_eq(retold_index_get(w, "doc030", 6, &g, NULL, NULL), RETOLD_OK);
    ck_assert_int_eq(retold_index_get(r, "doc030", 6, &g, NULL, NULL), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_index_commit(w), RETOLD_OK);
    ck_assert_int_eq(retold_index_get(r, "doc030", 6, &g, NULL, NULL), RETOLD_OK);
    /* rollback and close without commit drop writes */
    x = rec_of(&docs[31]);
    ck_assert_int_eq(retold_index_add(w, &x, 0, NULL), RETOLD_OK);
    retold_index_rollback(w);
    ck_assert_int_eq(retold_index_get(w, "doc031", 6, &g, NULL, NULL), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_index_add(w, &x, 0, NULL), RETOLD_OK);
    /* writing through a read-only handle is refused */
    ck_assert_int_eq(retold_index_add(r, &x, 0, NULL), RETOLD_INVAL);
    /* (one handle per index per process: LMDB's rule, so close the reader
     * before the writer) */
    retold_index_close(r);
    retold_index_close(w);
    ck_assert_int_eq(retold_index_open(&r, ixdir, &o), RETOLD_OK);
    ck_assert_int_eq(retold_index_get(r, "doc031", 6, &g, NULL, NULL), RETOLD_NOTFOUND);
    ck_assert_int_eq(retold_index_get(r, "doc030", 6, &g, NULL, NULL), RETOLD_OK);
    retold_index_close(r);
}
END_TEST

/* ---- refusals --------------------------------------------------------- */

START_TEST(test_params_mismatch)
{
    retold_params p;
    retold_params_default(&p);
    p.perms = 64;
    retold_index *ix = make_index(&p, 10);
    retold_params want;
    retold_params_default(&want);
    ck_assert_int_eq(retold_index_check_params(ix, &want, RETOLD_PARAM_NGRAM | RETOLD_PARAM_SEED), RETOLD_OK);
    ck_assert_int_eq(retold_index_check_params(ix, &want, RETOLD_PARAM_PERMS), RETOLD_PARAMS);
    ck_assert_msg(strstr(retold_index_errmsg(ix), "--perms 64") && strstr(retold_index_errmsg(ix), "--perms 128"),
                  "%s", retold_index_errmsg(ix));
    want.perms = 64;
    want.threshold = 0.5;
    ck_assert_int_eq(retold_index_check_params(ix, &want, RETOLD_PARAM_ALL), RETOLD_PARAMS);
    ck_assert(strstr(retold_index_errmsg(ix), "--threshold") != NULL);
    want.threshold = 0.8;
    want.views = RETOLD_VIEWS_ALL;
    ck_assert_int_eq(retold_index_check_params(ix, &want, RETOLD_PARAM_VIEWS), RETOLD_PARAMS);
    ck_assert(strstr(retold_index_errmsg(ix), "surface,rewrite,cross") != NULL);
    ck_assert_int_eq(retold_index_params(ix)->perms, 64);
    retold_index_close(ix);
    /* create over an existing index or a non-empty directory */
    ck_assert_int_eq(retold_index_create(&ix, ixdir, &p, NULL), RETOLD_EXISTS);
    retold_index_close(ix);
    ck_assert_int_eq(retold_index_create(&ix, dir, &p, NULL), RETOLD_EXISTS);
    ck_assert(strstr(retold_index_errmsg(ix), "not empty") != NULL);
    retold_index_close(ix);
}
END_TEST

/* Rewrite the format record through LMDB (the way a newer program would). */
static void poke_format(uint32_t offset, uint32_t value, int fix_checksum)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    ck_assert_int_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    ck_assert_int_eq(mdb_env_open(env, ixdir, 0, 0644), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    MDB_val k = { 6, "format" }, v;
    ck_assert_int_eq(mdb_get(txn, dbi, &k, &v), 0);
    unsigned char buf[256];
    ck_assert_uint_le(v.mv_size, sizeof buf);
    memcpy(buf, v.mv_data, v.mv_size);
    for (int i = 0; i < 4; i++) buf[offset + i] = (unsigned char)(value >> (8 * i));
    if (fix_checksum) {
        uint64_t sum = XXH3_64bits_withSeed(buf, v.mv_size - 8, XXH3_64bits("format", 6));
        for (int i = 0; i < 8; i++) buf[v.mv_size - 8 + i] = (unsigned char)(sum >> (8 * i));
    }
    MDB_val nv = { v.mv_size, buf };
    ck_assert_int_eq(mdb_put(txn, dbi, &k, &nv, 0), 0);
    ck_assert_int_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

START_TEST(test_version_refused)
{
    retold_index_close(make_index(NULL, 5));
    char msg[1400];
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_OK);
    poke_format(8, RETOLD_INDEX_FORMAT_VERSION + 1, 1);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_VERSION);
    ck_assert_msg(strstr(msg, "format version 2 is newer"), "%s", msg);
    poke_format(8, RETOLD_INDEX_FORMAT_VERSION, 1);
    ck_assert_int_eq(open_rc(RETOLD_INDEX_READONLY, msg, sizeof msg), RETOLD_OK);
    poke_format(12, RETOLD_NORM_VERSION + 1, 1);                 /* normalisation */
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_VERSION);
    ck_assert_msg(strstr(msg, "normalisation version"), "%s", msg);
    poke_format(12, RETOLD_NORM_VERSION, 1);
    /* a well-formed record whose stored LSH shape does not fit the
     * signature (found by fuzz_index): refused, never used to band */
    poke_format(48 + 16 * RETOLD_VIEW_REWRITE + 8, 3, 1);       /* bands of an absent view */
    ck_assert_int_eq(open_rc(RETOLD_INDEX_READONLY, msg, sizeof msg), RETOLD_CORRUPT);
    ck_assert_msg(strstr(msg, "LSH shape of the rewrite view"), "%s", msg);
    poke_format(48 + 16 * RETOLD_VIEW_REWRITE + 8, 0, 1);
    ck_assert_int_eq(open_rc(RETOLD_INDEX_READONLY, msg, sizeof msg), RETOLD_OK);
    poke_format(48 + 12, 1000, 1);                               /* surface rows: b x r > k */
    ck_assert_int_eq(open_rc(RETOLD_INDEX_READONLY, msg, sizeof msg), RETOLD_CORRUPT);
    ck_assert_msg(strstr(msg, "stored parameters are invalid"), "%s", msg);
    poke_format(12, RETOLD_NORM_VERSION + 7, 0);                 /* bad checksum */
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_CORRUPT);
    ck_assert_msg(strstr(msg, "checksum"), "%s", msg);
}
END_TEST

static void copy_file(const char *from, const char *to, long keep)
{
    size_t len;
    char *b = tu_slurp(from, &len);
    ck_assert(b != NULL);
    if (keep >= 0 && (size_t)keep < len) len = (size_t)keep;
    FILE *f = fopen(to, "wb");
    ck_assert(f != NULL);
    ck_assert_uint_eq(fwrite(b, 1, len, f), len);
    fclose(f);
    free(b);
}

START_TEST(test_foreign_truncated_missing)
{
    char msg[1400], path[400], saved[400];
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_NOTFOUND);        /* no directory */
    ck_assert_msg(strstr(msg, "no such index"), "%s", msg);
    mkdir(ixdir, 0755);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_NOTFOUND);        /* empty directory */
    ck_assert_msg(strstr(msg, "not a retold index"), "%s", msg);
    rmdir(ixdir);
    retold_index_close(make_index(NULL, 100));
    snprintf(path, sizeof path, "%s/data.mdb", ixdir);
    snprintf(saved, sizeof saved, "%s/saved.mdb", dir);
    copy_file(path, saved, -1);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    /* truncated at several points */
    long cuts[] = { 0, 100, 4096, 8192 + 17, st.st_size / 2, st.st_size - 4096 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        copy_file(saved, path, cuts[i]);
        int rc = open_rc(RETOLD_INDEX_READONLY, msg, sizeof msg);
        ck_assert_msg(rc == RETOLD_CORRUPT, "cut at %ld: rc %d (%s)", cuts[i], rc, msg);
        ck_assert_msg(strstr(msg, "truncated") || strstr(msg, "not a retold index") || strstr(msg, "LMDB"), "%s", msg);
    }
    /* foreign: text, random bytes, another LMDB database */
    FILE *f = fopen(path, "w");
    fputs("{\"id\":\"not an index\"}\n", f);
    fclose(f);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_CORRUPT);
    f = fopen(path, "w");
    uint64_t s = 5;
    for (int i = 0; i < 40000; i++) putc((int)(tu_rand(&s) & 255), f);
    fclose(f);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_CORRUPT);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -f '%s'/*.mdb", ixdir);
    ck_assert_int_eq(system(cmd), 0);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    ck_assert_int_eq(mdb_env_open(env, ixdir, 0, 0644), 0);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, NULL, 0, &dbi);
    MDB_val k = { 3, "key" }, v = { 5, "value" };
    mdb_put(txn, dbi, &k, &v, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_CORRUPT);
    ck_assert_msg(strstr(msg, "not a retold index"), "%s", msg);
    /* a directory where data.mdb should be a file */
    snprintf(cmd, sizeof cmd, "rm -f '%s'/*.mdb && mkdir '%s'/data.mdb", ixdir, ixdir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(open_rc(0, msg, sizeof msg), RETOLD_CORRUPT);
}
END_TEST

/* Flip bytes inside stored records: queries and check report corruption,
 * never a crash or a silently wrong answer. */
START_TEST(test_corrupt_records)
{
    retold_index_close(make_index(NULL, 60));
    char path[400];
    snprintf(path, sizeof path, "%s/data.mdb", ixdir);
    size_t len;
    char *b = tu_slurp(path, &len);
    ck_assert(b != NULL);
    /* doc003's id sits in its document record; doc004 is a variant of it
     * (or of doc002) and will find it */
    char *at = memmem(b, len, "doc003", 6);
    ck_assert(at != NULL);
    long off = at - b;
    free(b);
    int fd = open(path, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pwrite(fd, "X", 1, off + 3), 1);
    close(fd);
    ck_assert_uint_gt(check_problems(), 0);
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.flags = RETOLD_INDEX_READONLY;
    retold_index *ix;
    ck_assert_int_eq(retold_index_open(&ix, ixdir, &o), RETOLD_OK);
    retold_record r = rec_of(&docs[3]);
    r.id = "probe"; r.id_len = 5;
    const retold_index_match *m;
    size_t n;
    int rc = retold_index_query(ix, &r, NULL, &m, &n, NULL);
    ck_assert_int_eq(rc, RETOLD_CORRUPT);
    ck_assert_msg(strstr(retold_index_errmsg(ix), "corrupt"), "%s", retold_index_errmsg(ix));
    retold_index_close(ix);
}
END_TEST

/* A random byte of retold's own record bytes in data.mdb: the data of a
 * plain node on a leaf page, or an overflow page's contents.  LMDB's
 * structure (page headers, node headers and offsets, branch pages) is left
 * alone: LMDB trusts it, and damage there can crash LMDB itself
 * (doc/format-index.md; `retold index check` reports that case as
 * corruption, tests/cli/index.sh).  Returns the offset, or 0 when the page
 * picked holds no record bytes.  Layout of LMDB 0.9 pages: a 16-byte
 * header (flags at 10: 1 branch, 2 leaf, 4 overflow; lower at 12), then
 * 16-bit node offsets; a node is lo, hi (data size), flags, key size (16
 * bits each), the key, the data. */
static size_t record_byte(const unsigned char *b, size_t len, uint64_t *s)
{
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);      /* LMDB's page is the system's */
    size_t page = 2 + tu_rand(s) % (len / ps - 2);
    const unsigned char *pg = b + page * ps;
    unsigned flags = pg[10] | (unsigned)pg[11] << 8;
    if (flags & 0x04)                                            /* overflow */
        return page * ps + 16 + tu_rand(s) % (ps - 16);
    if ((flags & 0x63) != 0x02) return 0;                       /* plain leaf only */
    unsigned lower = pg[12] | (unsigned)pg[13] << 8;
    if (lower < 18 || lower > ps) return 0;
    unsigned nkeys = (lower - 16) / 2, i = (unsigned)(tu_rand(s) % nkeys);
    unsigned node = pg[16 + 2 * i] | (unsigned)pg[17 + 2 * i] << 8;
    if (node < lower || node + 8 > ps) return 0;
    const unsigned char *nd = pg + node;
    size_t dsize = nd[0] | (size_t)nd[1] << 8 | (size_t)nd[2] << 16 | (size_t)nd[3] << 24;
    unsigned nflags = nd[4] | (unsigned)nd[5] << 8, ksize = nd[6] | (unsigned)nd[7] << 8;
    if (nflags != 0 || dsize == 0 || node + 8 + ksize + dsize > ps) return 0;   /* big, dup or odd */
    return page * ps + node + 8 + ksize + tu_rand(s) % dsize;
}

/* Random damage to record bytes of data.mdb: open/query/check in a child
 * must end in a status, not a signal. */
START_TEST(test_fuzz_damage)
{
    retold_index_close(make_index(NULL, 80));
    char path[400], saved[400];
    snprintf(path, sizeof path, "%s/data.mdb", ixdir);
    snprintf(saved, sizeof saved, "%s/saved.mdb", dir);
    copy_file(path, saved, -1);
    size_t len = 0;
    char *orig = tu_slurp(saved, &len);
    ck_assert(orig != NULL && len > 4 * 4096);
    uint64_t s = 99;
    int crashes = 0, runs = 0;
    for (int round = 0; round < 60; round++) {
        char *b = malloc(len);
        memcpy(b, orig, len);
        for (int k = 0; k < 4; k++) {
            size_t at;
            while ((at = record_byte((const unsigned char *)orig, len, &s)) == 0) {}
            b[at] ^= (char)(1 + tu_rand(&s) % 255);
        }
        FILE *f = fopen(path, "wb");
        fwrite(b, 1, len, f);
        fclose(f);
        free(b);
        pid_t pid = fork();
        if (pid == 0) {
            retold_index_opts o;
            retold_index_opts_default(&o);
            o.flags = RETOLD_INDEX_READONLY;
            retold_index *ix;
            if (retold_index_open(&ix, ixdir, &o) == RETOLD_OK) {
                uint64_t p;
                retold_index_check(ix, 0, NULL, NULL, &p);
                for (int i = 0; i < 80; i += 7) {
                    retold_record r = rec_of(&docs[i]);
                    const retold_index_match *m;
                    size_t n;
                    retold_index_query(ix, &r, NULL, &m, &n, NULL);
                }
            }
            retold_index_close(ix);
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        runs++;
        if (WIFSIGNALED(status)) crashes++;
    }
    free(orig);
    ck_assert_msg(crashes == 0, "%d of %d damaged indexes crashed a reader", crashes, runs);
}
END_TEST

/* ---- disk full, read-only --------------------------------------------- */

START_TEST(test_disk_full)
{
    retold_index_close(make_index(NULL, 20));
    struct stat st;
    char path[400];
    snprintf(path, sizeof path, "%s/data.mdb", ixdir);
    ck_assert_int_eq(stat(path, &st), 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* the file may not grow past 64 KiB more than it is */
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { (rlim_t)st.st_size + 65536, (rlim_t)st.st_size + 65536 };
        setrlimit(RLIMIT_FSIZE, &rl);
        retold_index *ix;
        if (retold_index_open(&ix, ixdir, NULL) != RETOLD_OK) _exit(10);
        int rc = RETOLD_OK;
        for (int i = 20; i < NDOCS && rc == RETOLD_OK; i++) {
            retold_record r = rec_of(&docs[i]);
            rc = retold_index_add(ix, &r, 0, NULL);
            if (rc == RETOLD_OK && i % 10 == 9) rc = retold_index_commit(ix);
        }
        if (rc == RETOLD_OK) rc = retold_index_commit(ix);
        /* a short write is EIO to LMDB, a full disk ENOSPC: either way a
         * clear error and a rollback */
        int ok = (rc == RETOLD_NOSPACE || rc == RETOLD_IO) && strstr(retold_index_errmsg(ix), "rolled back") != NULL;
        if (!ok) fprintf(stderr, "disk full: rc %d: %s\n", rc, retold_index_errmsg(ix));
        retold_index_close(ix);
        _exit(ok ? 0 : 11);
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    /* consistent, and holds whole commits only */
    ck_assert_uint_eq(check_problems(), 0);
    retold_index *ix;
    ck_assert_int_eq(retold_index_open(&ix, ixdir, NULL), RETOLD_OK);
    retold_index_stats s;
    ck_assert_int_eq(retold_index_get_stats(ix, &s), RETOLD_OK);
    ck_assert_uint_eq(s.docs % 10, 0);
    ck_assert_uint_lt(s.docs, NDOCS);
    /* and takes more once there is room again */
    retold_record r = rec_of(&docs[NDOCS - 1]);
    ck_assert_int_eq(retold_index_add(ix, &r, RETOLD_INDEX_SKIP_EXISTING, NULL), RETOLD_OK);
    ck_assert_int_eq(retold_index_commit(ix), RETOLD_OK);
    retold_index_close(ix);
}
END_TEST

START_TEST(test_map_full)
{
    retold_params p;
    retold_params_default(&p);
    retold_index_opts o;
    retold_index_opts_default(&o);
    o.map_size = 256 * 1024;
    retold_index *ix;
    ck_assert_int_eq(retold_index_create(&ix, ixdir, &p, &o), RETOLD_OK);
    int rc = RETOLD_OK;
    int i;
    for (i = 0; i < NDOCS && rc == RETOLD_OK; i++) {
        retold_record r = rec_of(&docs[i]);
        rc = retold_index_add(ix, &r, 0, NULL);
        if (rc == RETOLD_OK) rc = retold_index_commit(ix);
    }
    ck_assert_int_eq(rc, RETOLD_NOSPACE);
    ck_assert_msg(strstr(retold_index_errmsg(ix), "map size"), "%s", retold_index_errmsg(ix));
    retold_index_close(ix);
    ck_assert_uint_eq(check_problems(), 0);
}
END_TEST

START_TEST(test_read_only_dir)
{
    retold_index_close(make_index(NULL, 10));
    pid_t pid = fork();
    if (pid == 0) {
        /* as an unprivileged user that may not write the directory */
        if (geteuid() == 0) {
            char cmd[400];
            snprintf(cmd, sizeof cmd, "chmod -R a+rX '%s'", dir);
            if (system(cmd) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(0);   /* cannot test */
        } else {
            chmod(ixdir, 0555);
        }
        retold_index *ix;
        int rc = retold_index_open(&ix, ixdir, NULL);
        int ok = rc == RETOLD_IO && strstr(retold_index_errmsg(ix), "ermission") != NULL;
        if (!ok) fprintf(stderr, "read-only: rc %d: %s\n", rc, retold_index_errmsg(ix));
        retold_index_close(ix);
        _exit(ok ? 0 : 12);
    }
    int status;
    waitpid(pid, &status, 0);
    chmod(ixdir, 0755);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    ck_assert_uint_eq(check_problems(), 0);
}
END_TEST

static Suite *index_suite(void)
{
    Suite *s = suite_create("index");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_oracle_surface_auto);
    tcase_add_test(tc, test_oracle_surface_exact);
    tcase_add_test(tc, test_oracle_all_views);
    tcase_add_test(tc, test_query_many_threads);
    tcase_add_test(tc, test_ids_replace_skip);
    tcase_add_test(tc, test_remove_forget_stats);
    tcase_add_test(tc, test_rollback_and_snapshots);
    tcase_add_test(tc, test_params_mismatch);
    tcase_add_test(tc, test_version_refused);
    tcase_add_test(tc, test_foreign_truncated_missing);
    tcase_add_test(tc, test_corrupt_records);
    tcase_add_test(tc, test_fuzz_damage);
    tcase_add_test(tc, test_disk_full);
    tcase_add_test(tc, test_map_full);
    tcase_add_test(tc, test_read_only_dir);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(index_suite)
