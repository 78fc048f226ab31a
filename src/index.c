/*
 * index.c - the standing index (index.h) on LMDB.
 *
 * Tables (LMDB named databases; doc/format-index.md has the byte layout):
 *   meta     "format": magic, format version, parameters; "state": counters
 *   docs     docno -> id, source, date, lang, signatures, distinct counts,
 *            fingerprint (~620 bytes at k = 128: six to a 4 KiB page)
 *   text     (docno, piece) -> zstd-compressed text in pieces of 990 bytes
 *   ids      (XXH3(id), docno) -> ·         lookup by id (any length)
 *   bands    (view/band, band hash, docno) -> ·     the LSH buckets
 *   dates    (date, docno) -> ·             forget --before, date range
 *   sources  source -> document count
 * Every value ends in a checksum of key and value (index_format.h).
 *
 * Why store the text rather than the shingle sets (measured on the datagen
 * corpus, 3,561-byte news texts): zstd level 1 stores a text in 1,872 bytes
 * (20 us to compress, 6 us to decompress), its delta-varint surface set
 * takes 4,819 bytes and all three views' sets 16,459.  Exact verification
 * then re-sketches the few candidates near the threshold (~80 us each), and
 * `retold compare` / evidence can later work from the index.
 *
 * Why these keys: documents get increasing numbers (never reused), so docs
 * and text are appended (MDB_APPEND, pages filled to the brim); the LSH
 * buckets are the only random inserts, ~14 per document at k = 128,
 * t = 0.8.
 */
#include "retold/index.h"
#include "retold/error.h"
#include "retold/lsh.h"
#include "retold/minhash.h"
#include "index_format.h"
#include "match.h"

#include <errno.h>
#include <dirent.h>
#include <lmdb.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define ZSTD_LEVEL   1
#define THREADS_MAX  64
#define MAP_DEFAULT  ((uint64_t)1 << 40)

enum { DB_META, DB_DOCS, DB_TEXT, DB_IDS, DB_BANDS, DB_DATES, DB_SOURCES, DB_COUNT };
static const char *const db_names[DB_COUNT] = { "meta", "docs", "text", "ids", "bands", "dates", "sources" };

/* One document sketched, ready to store or to query with. */
typedef struct sketched {
    const retold_record *rec;
    uint32_t *sig;                  /* nsig values (in the handle's slab) */
    uint64_t *bands;                /* nbands values */
    uint32_t distinct[RETOLD_VIEW_COUNT];
    uint8_t unsigned_view[RETOLD_VIEW_COUNT];   /* empty signature: no bands */
    uint64_t fingerprint;
    char lang[RETOLD_LANG_LEN];
    int empty;
    unsigned char *z;               /* compressed text (malloc'd) */
    size_t zlen, zcap;
    int rc;
} sketched;

typedef struct arena { char *data; size_t len, cap; } arena;

/* Shingle sets of stored documents, re-made from their texts for exact
 * verification, kept by docno (a docno's text never changes, so entries
 * never go stale).  Multi-view indexes verify every candidate, and in a
 * stream of queries the same documents come back again and again: without
 * the cache 3,000 datagen documents took minutes, with it seconds.  When
 * the cache passes its byte budget it is emptied and refilled. */
#define CACHE_BYTES ((size_t)256 << 20)
typedef struct setcache {
    uint64_t *key;                  /* docno + 1; 0 = free */
    uint64_t **val;                 /* per view present: count, hashes */
    size_t cap, used, bytes;
} setcache;

struct retold_index {
    retold_index_opts o;
    char *dir;
    char err[1400];
    MDB_env *env;
    uint64_t map;                   /* map size asked for */
    MDB_dbi db[DB_COUNT];
    MDB_txn *wtxn, *rtxn;
    int rtxn_live;
    retold__ix_format fmt;
    retold_params p;
    retold__ix_state st;            /* as of wtxn when there is one */
    size_t nsig, nbands, band_off[RETOLD_VIEW_COUNT];
    retold_index_progress prog, cur;/* committed / uncommitted deltas */
    size_t pending;
    unsigned threads;
    retold_sketcher *sk[THREADS_MAX];   /* sk[0] doubles as the query's */
    ZSTD_CCtx *zc[THREADS_MAX];
    retold_sketcher *skc;           /* candidates' texts */
    ZSTD_DCtx *zd;
    /* scratch */
    sketched *slots;
    size_t nslots;
    uint32_t *slab_sig;
    uint64_t *slab_bands;
    uint64_t *cand;
    size_t ncand, capcand;
    uint32_t *csig;
    char *text;                     /* decompressed candidate text */
    size_t textcap;
    unsigned char *zbuf, *rec;      /* stored text; encoded record */
    size_t zbufcap, reccap;
    retold_index_match *m;
    size_t nm, capm;
    arena strings;
    setcache cache;
    uint64_t *qfp, *cfp;            /* fingerprint sets: query, candidate */
    size_t qfpcap, cfpcap;
};

static void cache_free(setcache *c);

/* ---------------------------------------------------------------------- */
/* errors                                                                  */

static int fail(retold_index *ix, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->err, sizeof ix->err, fmt, ap);
    va_end(ap);
    return code;
}

static void drop_write(retold_index *ix)
{
    if (ix->wtxn) mdb_txn_abort(ix->wtxn);
    ix->wtxn = NULL;
    memset(&ix->cur, 0, sizeof ix->cur);
    ix->pending = 0;
}

/* Map an LMDB or errno code to a status with a message; a failed write
 * transaction is rolled back (LMDB cannot go on with it). */
static int lmdb_fail(retold_index *ix, int rc, const char *what)
{
    int code;
    const char *why = mdb_strerror(rc);
    switch (rc) {
    case MDB_MAP_FULL: case ENOSPC: case EFBIG: case EDQUOT:
        code = RETOLD_NOSPACE;
        why = rc == MDB_MAP_FULL ? "the index reached its map size" : strerror(rc);
        break;
    case MDB_CORRUPTED: case MDB_PAGE_NOTFOUND: case MDB_INVALID: case MDB_PANIC:
    case MDB_BAD_TXN: case MDB_VERSION_MISMATCH:
        code = RETOLD_CORRUPT; break;
    case ENOMEM: code = RETOLD_NOMEM; break;
    case MDB_NOTFOUND: code = RETOLD_NOTFOUND; break;
    case MDB_READERS_FULL: case EAGAIN: code = RETOLD_BUSY; break;
    case EIO: code = RETOLD_IO; why = "write failed (input/output error or a full disk)"; break;
    default: code = RETOLD_IO; break;
    }
    int had = ix->wtxn != NULL && code != RETOLD_NOTFOUND;
    if (had) drop_write(ix);
    return fail(ix, code, "%s: %s: %s%s", ix->dir, what, why,
                had ? " (uncommitted changes were rolled back; the index is as of its last commit)" : "");
}

#define LMDB_TRY(ix, call, what) do { int rc_ = (call); if (rc_ != MDB_SUCCESS) return lmdb_fail((ix), rc_, (what)); } while (0)

const char *retold_index_errmsg(const retold_index *ix) { return ix ? ix->err : "out of memory"; }
const retold_params *retold_index_params(const retold_index *ix) { return &ix->p; }

void retold_index_opts_default(retold_index_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 1;
}

void retold_index_query_opts_default(retold_index_query_opts *q)
{
    memset(q, 0, sizeof *q);
    q->verify = RETOLD_VERIFY_AUTO;
}

/* ---------------------------------------------------------------------- */
/* buffers                                                                 */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int arena_put(arena *a, const char *s, size_t n, size_t *off)
{
    if (grow((void **)&a->data, &a->cap, a->len + n + 1, 1)) return -1;
    *off = a->len;
    if (n) memcpy(a->data + a->len, s, n);
    a->len += n;
    a->data[a->len++] = 0;              /* NUL-terminated for convenience */
    return 0;
}

/* ---------------------------------------------------------------------- */
/* transactions                                                            */

static int get_state(retold_index *ix, MDB_txn *txn, retold__ix_state *s)
{
    MDB_val k = { 5, (void *)"state" }, v;
    int rc = mdb_get(txn, ix->db[DB_META], &k, &v);
    if (rc != MDB_SUCCESS) return rc == MDB_NOTFOUND ? fail(ix, RETOLD_CORRUPT, "%s: the state record is missing", ix->dir)
                                                    : lmdb_fail(ix, rc, "reading the state record");
    if (retold__ix_state_decode(v.mv_data, v.mv_size, s) != RETOLD_OK)
        return fail(ix, RETOLD_CORRUPT, "%s: the state record is corrupt (checksum or length)", ix->dir);
    return RETOLD_OK;
}

static int wbegin(retold_index *ix)
{
    if (ix->wtxn) return RETOLD_OK;
    if (ix->o.flags & RETOLD_INDEX_READONLY) return fail(ix, RETOLD_INVAL, "%s: opened read-only", ix->dir);
    if (ix->rtxn_live) { mdb_txn_reset(ix->rtxn); ix->rtxn_live = 0; }
    int dead;
    mdb_reader_check(ix->env, &dead);   /* free the snapshots of killed readers,
                                           or the file grows while they pin
                                           old pages */
    LMDB_TRY(ix, mdb_txn_begin(ix->env, NULL, 0, &ix->wtxn), "starting a write transaction");
    int rc = get_state(ix, ix->wtxn, &ix->st);
    if (rc != RETOLD_OK) drop_write(ix);
    return rc;
}

/* A transaction to read from: the write transaction if there is one (a
 * handle sees its own writes), else a fresh snapshot. */
static int rbegin(retold_index *ix, MDB_txn **txn)
{
    if (ix->wtxn) { *txn = ix->wtxn; return RETOLD_OK; }
    if (ix->rtxn_live) mdb_txn_reset(ix->rtxn);
    ix->rtxn_live = 0;
    int rc = ix->rtxn ? mdb_txn_renew(ix->rtxn) : mdb_txn_begin(ix->env, NULL, MDB_RDONLY, &ix->rtxn);
    if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "starting a read transaction");
    ix->rtxn_live = 1;
    *txn = ix->rtxn;
    return RETOLD_OK;
}

static void rend(retold_index *ix)
{
    if (ix->rtxn_live) mdb_txn_reset(ix->rtxn);
    ix->rtxn_live = 0;
}

static int put_state(retold_index *ix)
{
    unsigned char buf[RETOLD__IX_STATE_LEN];
    retold__ix_state_encode(&ix->st, buf);
    MDB_val k = { 5, (void *)"state" }, v = { sizeof buf, buf };
    LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[DB_META], &k, &v, 0), "writing the state record");
    return RETOLD_OK;
}

int retold_index_commit(retold_index *ix)
{
    if (!ix->wtxn) return RETOLD_OK;
    int rc = put_state(ix);
    if (rc != RETOLD_OK) return rc;
    MDB_stat ms;
    LMDB_TRY(ix, mdb_stat(ix->wtxn, ix->db[DB_DOCS], &ms), "counting documents");
    rc = mdb_txn_commit(ix->wtxn);        /* frees the txn, even on failure */
    ix->wtxn = NULL;
    if (rc != MDB_SUCCESS) {
        memset(&ix->cur, 0, sizeof ix->cur);
        ix->pending = 0;
        int code = lmdb_fail(ix, rc, "committing");
        size_t n = strlen(ix->err);
        snprintf(ix->err + n, sizeof ix->err - n, " (the transaction was rolled back; the index is as of its last commit)");
        return code;
    }
    ix->prog.added += ix->cur.added;
    ix->prog.replaced += ix->cur.replaced;
    ix->prog.skipped += ix->cur.skipped;
    ix->prog.removed += ix->cur.removed;
    ix->prog.docs = ms.ms_entries;
    ix->prog.commits++;
    memset(&ix->cur, 0, sizeof ix->cur);
    ix->pending = 0;
    if (ix->o.on_commit) ix->o.on_commit(ix->o.commit_ctx, &ix->prog);
    return RETOLD_OK;
}

void retold_index_rollback(retold_index *ix)
{
    drop_write(ix);
}

static int maybe_commit(retold_index *ix)
{
    if (ix->o.batch_docs && ix->pending >= ix->o.batch_docs) return retold_index_commit(ix);
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */
/* opening                                                                 */

static int setup(retold_index *ix)
{
    const retold_params *p = &ix->p;
    ix->nsig = (size_t)retold_params_nviews(p) * p->perms;
    ix->nbands = 0;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        ix->band_off[v] = ix->nbands;
        ix->nbands += p->view_bands[v];
    }
    ix->threads = ix->o.threads ? ix->o.threads : 1;
    if (ix->threads > THREADS_MAX) ix->threads = THREADS_MAX;
    for (unsigned t = 0; t < ix->threads; t++) {
        ix->sk[t] = retold_sketcher_new(p);
        ix->zc[t] = ZSTD_createCCtx();
        if (!ix->sk[t] || !ix->zc[t]) return fail(ix, RETOLD_NOMEM, "out of memory");
    }
    ix->skc = retold_sketcher_new(p);
    ix->zd = ZSTD_createDCtx();
    ix->csig = malloc(ix->nsig * sizeof *ix->csig);
    if (!ix->skc || !ix->zd || !ix->csig) return fail(ix, RETOLD_NOMEM, "out of memory");
    return RETOLD_OK;
}

static int new_handle(retold_index **out, const char *dir, const retold_index_opts *o)
{
    retold_index *ix = calloc(1, sizeof *ix);
    *out = ix;
    if (!ix) return RETOLD_NOMEM;
    if (o) ix->o = *o;
    else retold_index_opts_default(&ix->o);
    ix->dir = strdup(dir);
    if (!ix->dir) return fail(ix, RETOLD_NOMEM, "out of memory");
    ix->map = ix->o.map_size ? ix->o.map_size : MAP_DEFAULT;
    if (sizeof(size_t) < 8 && ix->map > ((uint64_t)1 << 30)) ix->map = (uint64_t)1 << 30;
    return RETOLD_OK;
}

static int env_new(retold_index *ix)
{
    if (mdb_env_create(&ix->env) != MDB_SUCCESS) return fail(ix, RETOLD_NOMEM, "out of memory");
    mdb_env_set_maxdbs(ix->env, DB_COUNT + 1);
    if (mdb_env_set_mapsize(ix->env, (size_t)ix->map) != MDB_SUCCESS) return fail(ix, RETOLD_INVAL, "bad map size");
    return RETOLD_OK;
}

static int env_open(retold_index *ix, int create)
{
    unsigned flags = MDB_NOTLS;
    if (ix->o.flags & RETOLD_INDEX_READONLY) flags |= MDB_RDONLY;
    if (ix->o.flags & RETOLD_INDEX_NOSYNC) flags |= MDB_NOSYNC;
    int rc;
    for (;;) {
        if ((rc = env_new(ix)) != RETOLD_OK) return rc;
        rc = mdb_env_open(ix->env, ix->dir, flags, 0644);
        /* the default map (1 TiB of address space) may exceed a limit on
         * virtual memory (ulimit -v: ENOMEM; valgrind: EINVAL): halve it,
         * down to 1 GiB, before giving up */
        if ((rc != ENOMEM && rc != EINVAL) || ix->o.map_size || ix->map <= ((uint64_t)1 << 30)) break;
        mdb_env_close(ix->env);
        ix->env = NULL;
        ix->map /= 2;
    }
    if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
        return fail(ix, RETOLD_CORRUPT, "%s: not a retold index: data.mdb or lock.mdb is not an LMDB file "
                    "(foreign, truncated or damaged)", ix->dir);
    if (rc == EACCES || rc == EROFS || rc == EPERM)
        return fail(ix, RETOLD_IO, "%s: %s (%s)", ix->dir, strerror(rc),
                    create ? "cannot create the index files" :
                    (ix->o.flags & RETOLD_INDEX_READONLY) ? "reading needs write access to lock.mdb"
                                                          : "the index directory is read-only");
    if (rc == ENOSPC || rc == EDQUOT) return fail(ix, RETOLD_NOSPACE, "%s: %s", ix->dir, strerror(rc));
    if (rc != MDB_SUCCESS) return fail(ix, rc == ENOMEM ? RETOLD_NOMEM : create ? RETOLD_IO : RETOLD_CORRUPT,
                                       "%s: cannot open the index: %s", ix->dir, mdb_strerror(rc));
    if (!(ix->o.flags & RETOLD_INDEX_READONLY)) {
        int dead;
        mdb_reader_check(ix->env, &dead);     /* slots of killed readers */
    }
    /* A truncated data.mdb would make LMDB read past the end of the file
     * (SIGBUS): refuse it before touching any page. */
    MDB_envinfo info;
    MDB_stat st;
    mdb_env_info(ix->env, &info);
    mdb_env_stat(ix->env, &st);
    char path[4200];
    struct stat fs;
    snprintf(path, sizeof path, "%s/data.mdb", ix->dir);
    if (stat(path, &fs) != 0) return fail(ix, RETOLD_IO, "%s: %s", path, strerror(errno));
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
    if ((uint64_t)fs.st_size < need)
        return fail(ix, RETOLD_CORRUPT, "%s: truncated: the file has %llu bytes, its pages need %llu",
                    path, (unsigned long long)fs.st_size, (unsigned long long)need);
    return RETOLD_OK;
}

static int open_tables(retold_index *ix, MDB_txn *txn, int create)
{
    for (int i = 0; i < DB_COUNT; i++) {
        int rc = mdb_dbi_open(txn, db_names[i], create ? MDB_CREATE : 0, &ix->db[i]);
        if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE)
            return fail(ix, RETOLD_CORRUPT, "%s: not a retold index: an LMDB database without the '%s' table",
                        ix->dir, db_names[i]);
        if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "opening the tables");
    }
    return RETOLD_OK;
}

int retold_index_create(retold_index **out, const char *dir, const retold_params *params,
                        const retold_index_opts *o)
{
    int rc = new_handle(out, dir, o);
    retold_index *ix = *out;
    if (rc != RETOLD_OK) return rc;
    if (ix->o.flags & RETOLD_INDEX_READONLY) return fail(ix, RETOLD_INVAL, "cannot create a read-only index");
    ix->p = *params;
    char msg[256];
    if (retold_params_resolve(&ix->p, msg, sizeof msg) != RETOLD_OK) return fail(ix, RETOLD_INVAL, "%s", msg);
    if (mkdir(dir, 0777) != 0) {
        if (errno != EEXIST) return fail(ix, errno == ENOSPC ? RETOLD_NOSPACE : RETOLD_IO, "%s: %s", dir, strerror(errno));
        DIR *d = opendir(dir);
        if (!d) return fail(ix, RETOLD_IO, "%s: %s", dir, strerror(errno));
        struct dirent *e;
        int has_index = 0, other = 0;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (!strcmp(e->d_name, "data.mdb")) has_index = 1;
            else other = 1;
        }
        closedir(d);
        if (has_index) return fail(ix, RETOLD_EXISTS, "%s: already holds an index", dir);
        if (other) return fail(ix, RETOLD_EXISTS, "%s: the directory is not empty", dir);
    }
    if ((rc = env_open(ix, 1)) != RETOLD_OK) return rc;
    LMDB_TRY(ix, mdb_txn_begin(ix->env, NULL, 0, &ix->wtxn), "starting the first transaction");
    if ((rc = open_tables(ix, ix->wtxn, 1)) != RETOLD_OK) return rc;
    ix->fmt.version = RETOLD_INDEX_FORMAT_VERSION;
    ix->fmt.norm_version = RETOLD_NORM_VERSION;
    ix->fmt.codec = RETOLD__IX_CODEC_ZSTD;
    ix->fmt.piece = RETOLD__IX_PIECE;
    ix->fmt.params = ix->p;
    ix->fmt.created = (uint64_t)time(NULL);
    snprintf(ix->fmt.creator, sizeof ix->fmt.creator, "retold");
    unsigned char buf[RETOLD__IX_FORMAT_LEN];
    retold__ix_format_encode(&ix->fmt, buf);
    MDB_val k = { 6, (void *)"format" }, v = { sizeof buf, buf };
    LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[DB_META], &k, &v, MDB_NOOVERWRITE), "writing the format record");
    memset(&ix->st, 0, sizeof ix->st);
    ix->st.next_docno = 1;
    if ((rc = put_state(ix)) != RETOLD_OK) return rc;
    rc = mdb_txn_commit(ix->wtxn);
    ix->wtxn = NULL;
    if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "writing the new index");
    if (ix->o.flags & RETOLD_INDEX_NOSYNC) mdb_env_sync(ix->env, 1);
    return setup(ix);
}

int retold_index_open(retold_index **out, const char *dir, const retold_index_opts *o)
{
    int rc = new_handle(out, dir, o);
    retold_index *ix = *out;
    if (rc != RETOLD_OK) return rc;
    struct stat ds;
    char path[4200];
    if (stat(dir, &ds) != 0) return fail(ix, errno == ENOENT ? RETOLD_NOTFOUND : RETOLD_IO, "%s: %s", dir,
                                         errno == ENOENT ? "no such index (create one with 'retold index create')" : strerror(errno));
    if (!S_ISDIR(ds.st_mode)) return fail(ix, RETOLD_CORRUPT, "%s: not a retold index (not a directory)", dir);
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (stat(path, &ds) != 0)
        return fail(ix, errno == ENOENT ? RETOLD_NOTFOUND : RETOLD_IO, "%s: %s", dir,
                    errno == ENOENT ? "not a retold index (no data.mdb)" : strerror(errno));
    if (!S_ISREG(ds.st_mode)) return fail(ix, RETOLD_CORRUPT, "%s: not a retold index (data.mdb is not a file)", dir);
    if (ds.st_size < 2 * 4096)          /* LMDB's two meta pages at least */
        return fail(ix, RETOLD_CORRUPT, "%s: not a retold index: data.mdb is truncated (%lld bytes)", dir,
                    (long long)ds.st_size);
    if ((rc = env_open(ix, 0)) != RETOLD_OK) return rc;
    MDB_txn *txn;
    LMDB_TRY(ix, mdb_txn_begin(ix->env, NULL, MDB_RDONLY, &txn), "starting a read transaction");
    if ((rc = open_tables(ix, txn, 0)) != RETOLD_OK) { mdb_txn_abort(txn); return rc; }
    MDB_val k = { 6, (void *)"format" }, v;
    rc = mdb_get(txn, ix->db[DB_META], &k, &v);
    if (rc != MDB_SUCCESS) {
        mdb_txn_abort(txn);
        if (rc == MDB_NOTFOUND) return fail(ix, RETOLD_CORRUPT, "%s: not a retold index (no format record)", dir);
        return lmdb_fail(ix, rc, "reading the format record");
    }
    char msg[256];
    rc = retold__ix_format_decode(v.mv_data, v.mv_size, &ix->fmt, msg, sizeof msg);
    if (rc == RETOLD_OK) rc = retold__ix_format_check(&ix->fmt, msg, sizeof msg);
    if (rc == RETOLD_OK) ix->p = ix->fmt.params;
    if (rc == RETOLD_OK) {
        retold__ix_state s;
        rc = get_state(ix, txn, &s);
        if (rc != RETOLD_OK) { mdb_txn_abort(txn); return rc; }
        ix->prog.docs = 0;
    }
    mdb_txn_commit(txn);                  /* keeps the table handles */
    if (rc != RETOLD_OK) return fail(ix, rc, "%s: %s", dir, msg);
    return setup(ix);
}

void retold_index_close(retold_index *ix)
{
    if (!ix) return;
    drop_write(ix);
    if (ix->rtxn) mdb_txn_abort(ix->rtxn);
    if (ix->env) {
        if ((ix->o.flags & RETOLD_INDEX_NOSYNC) && !(ix->o.flags & RETOLD_INDEX_READONLY)) mdb_env_sync(ix->env, 1);
        mdb_env_close(ix->env);
    }
    for (unsigned t = 0; t < THREADS_MAX; t++) {
        retold_sketcher_free(ix->sk[t]);
        ZSTD_freeCCtx(ix->zc[t]);
    }
    retold_sketcher_free(ix->skc);
    ZSTD_freeDCtx(ix->zd);
    for (size_t i = 0; i < ix->nslots; i++) free(ix->slots[i].z);
    free(ix->slots);
    free(ix->slab_sig);
    free(ix->slab_bands);
    free(ix->cand);
    free(ix->csig);
    free(ix->text);
    free(ix->zbuf);
    free(ix->rec);
    free(ix->m);
    free(ix->strings.data);
    cache_free(&ix->cache);
    free(ix->qfp);
    free(ix->cfp);
    free(ix->dir);
    free(ix);
}

int retold_index_check_params(retold_index *ix, const retold_params *want, unsigned fields)
{
    const retold_params *h = &ix->p;
    retold_params w = *want;
    char msg[256];
    if (retold_params_resolve(&w, msg, sizeof msg) != RETOLD_OK) return fail(ix, RETOLD_INVAL, "%s", msg);
#define DIFF(name, fmt, a, b) \
    return fail(ix, RETOLD_PARAMS, "%s: the index was made with %s " fmt ", this run asks for %s " fmt \
                " (signatures made with other parameters cannot be compared; create a new index)", \
                ix->dir, name, a, name, b)
    if ((fields & RETOLD_PARAM_NGRAM) && h->ngram != w.ngram) DIFF("--ngram", "%u", h->ngram, w.ngram);
    if ((fields & RETOLD_PARAM_CHAR_NGRAM) && h->char_ngram != w.char_ngram) DIFF("--char-ngram", "%u", h->char_ngram, w.char_ngram);
    if ((fields & RETOLD_PARAM_PERMS) && h->perms != w.perms) DIFF("--perms", "%u", h->perms, w.perms);
    if ((fields & RETOLD_PARAM_SEED) && h->seed != w.seed)
        DIFF("--seed", "%llu", (unsigned long long)h->seed, (unsigned long long)w.seed);
    if ((fields & RETOLD_PARAM_THRESHOLD) && h->threshold != w.threshold) DIFF("--threshold", "%g", h->threshold, w.threshold);
    if ((fields & RETOLD_PARAM_BANDS) && (h->bands != w.bands || h->rows != w.rows))
        return fail(ix, RETOLD_PARAMS, "%s: the index was made with --bands %u --rows %u, this run asks for "
                    "--bands %u --rows %u (create a new index)", ix->dir, h->bands, h->rows, w.bands, w.rows);
    if ((fields & RETOLD_PARAM_VIEWS) && h->views != w.views) {
        char a[64] = "", b[64] = "";
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            if (h->views & (1u << v)) { strcat(a, *a ? "," : ""); strcat(a, retold_view_name(v)); }
            if (w.views & (1u << v)) { strcat(b, *b ? "," : ""); strcat(b, retold_view_name(v)); }
        }
        DIFF("--views", "%s", a, b);
    }
#undef DIFF
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */
/* records                                                                 */

static void doc_key(unsigned char k[8], uint64_t docno) { retold__be64(k, docno); }

static int get_doc(retold_index *ix, MDB_txn *txn, uint64_t docno, retold__ix_doc *d)
{
    unsigned char kb[8];
    doc_key(kb, docno);
    MDB_val k = { 8, kb }, v;
    int rc = mdb_get(txn, ix->db[DB_DOCS], &k, &v);
    if (rc == MDB_NOTFOUND) return fail(ix, RETOLD_CORRUPT, "%s: document %llu is referenced but missing",
                                        ix->dir, (unsigned long long)docno);
    if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "reading a document");
    if (retold__ix_doc_decode(kb, v.mv_data, v.mv_size, (uint32_t)ix->nsig, d) != RETOLD_OK)
        return fail(ix, RETOLD_CORRUPT, "%s: document %llu is corrupt (checksum or encoding)",
                    ix->dir, (unsigned long long)docno);
    return RETOLD_OK;
}

/* The document with this id: RETOLD_OK and *docno, RETOLD_NOTFOUND, or an error. */
static int find_id(retold_index *ix, MDB_txn *txn, const char *id, size_t len, uint64_t *docno)
{
    unsigned char kb[RETOLD__KEY_ID];
    uint64_t h = retold__ix_id_hash(id, len);
    retold__be64(kb, h);
    retold__be64(kb + 8, 0);
    MDB_cursor *c;
    LMDB_TRY(ix, mdb_cursor_open(txn, ix->db[DB_IDS], &c), "opening a cursor");
    MDB_val k = { sizeof kb, kb }, v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE), out = RETOLD_NOTFOUND;
    for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const unsigned char *kp = k.mv_data;
        if (k.mv_size != RETOLD__KEY_ID || retold__get_be64(kp) != h) break;
        if (v.mv_size != 4 || retold__get_le32(v.mv_data) != (uint32_t)retold__ix_sum(kp, k.mv_size, NULL, 0)) {
            out = fail(ix, RETOLD_CORRUPT, "%s: an id entry is corrupt (checksum)", ix->dir);
            break;
        }
        uint64_t d = retold__get_be64(kp + 8);
        retold__ix_doc doc;
        if ((out = get_doc(ix, txn, d, &doc)) != RETOLD_OK) break;
        out = RETOLD_NOTFOUND;
        if (doc.id_len == len && memcmp(doc.id, id, len) == 0) { *docno = d; out = RETOLD_OK; break; }
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) { mdb_cursor_close(c); return lmdb_fail(ix, rc, "looking up an id"); }
    mdb_cursor_close(c);
    return out;
}

static void band_key(unsigned char *k, int view, unsigned band, uint64_t hash, uint64_t docno)
{
    retold__be16(k, (uint16_t)(view * 1024 + (int)band));
    retold__be64(k + 2, hash);
    retold__be64(k + 10, docno);
}

static size_t date_key(unsigned char *k, const char *date, size_t len, uint64_t docno)
{
    if (len > RETOLD__IX_DATE_MAX) len = RETOLD__IX_DATE_MAX;
    memcpy(k, date, len);
    retold__be64(k + len, docno);
    return len + 8;
}

/* Put key -> 4-byte checksum (the index tables whose key is the content). */
static int put_sum(retold_index *ix, int db, const unsigned char *key, size_t klen, unsigned flags)
{
    unsigned char s[4];
    retold__le32(s, (uint32_t)retold__ix_sum(key, klen, NULL, 0));
    MDB_val k = { klen, (void *)key }, v = { 4, s };
    LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[db], &k, &v, flags), "writing an index entry");
    return RETOLD_OK;
}

static int del_key(retold_index *ix, int db, const unsigned char *key, size_t klen)
{
    MDB_val k = { klen, (void *)key };
    int rc = mdb_del(ix->wtxn, ix->db[db], &k, NULL);
    if (rc == MDB_NOTFOUND) return fail(ix, RETOLD_CORRUPT, "%s: the %s table lacks an entry of a stored document "
                                        "(run 'retold index check')", ix->dir, db_names[db]);
    if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "deleting an entry");
    return RETOLD_OK;
}

static int source_count(retold_index *ix, const char *src, size_t len, int delta)
{
    if (len > RETOLD__IX_SOURCE_MAX) len = RETOLD__IX_SOURCE_MAX;
    if (len == 0) { src = ""; }
    MDB_val k = { len ? len : 1, (void *)(len ? src : "\0") }, v;
    uint64_t n = 0;
    int rc = mdb_get(ix->wtxn, ix->db[DB_SOURCES], &k, &v);
    if (rc == MDB_SUCCESS) {
        if (v.mv_size != 12 || retold__get_le32((const unsigned char *)v.mv_data + 8) !=
                                   (uint32_t)retold__ix_sum(k.mv_data, k.mv_size, v.mv_data, 8))
            return fail(ix, RETOLD_CORRUPT, "%s: a source count is corrupt (checksum)", ix->dir);
        n = retold__get_le64(v.mv_data);
    } else if (rc != MDB_NOTFOUND) {
        return lmdb_fail(ix, rc, "reading a source count");
    }
    if (delta < 0 && n == 0) return fail(ix, RETOLD_CORRUPT, "%s: a source count is missing", ix->dir);
    n = delta < 0 ? n - 1 : n + 1;
    if (n == 0) {
        LMDB_TRY(ix, mdb_del(ix->wtxn, ix->db[DB_SOURCES], &k, NULL), "updating a source count");
        return RETOLD_OK;
    }
    unsigned char b[12];
    retold__le64(b, n);
    retold__le32(b + 8, (uint32_t)retold__ix_sum(k.mv_data, k.mv_size, b, 8));
    v.mv_size = 12;
    v.mv_data = b;
    LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[DB_SOURCES], &k, &v, 0), "updating a source count");
    return RETOLD_OK;
}

/* Remove document docno and everything that points to it (write txn). */
static int remove_docno(retold_index *ix, uint64_t docno)
{
    retold__ix_doc d;
    int rc = get_doc(ix, ix->wtxn, docno, &d);
    if (rc != RETOLD_OK) return rc;
    /* copy what we need: pages change under the deletes below */
    uint32_t *sig = ix->csig;
    retold__ix_sig_get(&d, sig);
    char small[RETOLD__IX_DATE_MAX + RETOLD__IX_SOURCE_MAX];
    size_t date_len = d.date ? (d.date_len > RETOLD__IX_DATE_MAX ? RETOLD__IX_DATE_MAX : d.date_len) : 0;
    size_t src_len = d.source ? (d.source_len > RETOLD__IX_SOURCE_MAX ? RETOLD__IX_SOURCE_MAX : d.source_len) : 0;
    int has_date = d.date != NULL, has_src = d.source != NULL, empty = (d.flags & RETOLD__DOC_EMPTY) != 0;
    uint32_t flags = d.flags;
    if (has_date) memcpy(small, d.date, date_len);
    if (has_src) memcpy(small + RETOLD__IX_DATE_MAX, d.source, src_len);
    uint64_t idh = retold__ix_id_hash(d.id, d.id_len);
    uint32_t pieces = d.pieces, text_len = d.text_len, stored = d.stored_len;

    unsigned char k[RETOLD__KEY_BAND + RETOLD__IX_DATE_MAX];
    for (uint32_t i = 0; i < pieces; i++) {
        retold__be64(k, docno);
        retold__be32(k + 8, i);
        if ((rc = del_key(ix, DB_TEXT, k, RETOLD__KEY_TEXT)) != RETOLD_OK) return rc;
    }
    if (!empty) {
        uint64_t bands[RETOLD_PERMS_MAX];
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            int slot = retold_params_slot(&ix->p, v);
            if (slot < 0 || (flags & RETOLD__DOC_UNSIGNED(v))) continue;
            retold_lsh_band_hashes(sig + (size_t)slot * ix->p.perms, ix->p.view_bands[v], ix->p.view_rows[v],
                                   ix->p.seed + (uint64_t)v, bands);
            for (unsigned j = 0; j < ix->p.view_bands[v]; j++) {
                band_key(k, v, j, bands[j], docno);
                if ((rc = del_key(ix, DB_BANDS, k, RETOLD__KEY_BAND)) != RETOLD_OK) return rc;
            }
        }
    }
    retold__be64(k, idh);
    retold__be64(k + 8, docno);
    if ((rc = del_key(ix, DB_IDS, k, RETOLD__KEY_ID)) != RETOLD_OK) return rc;
    if (has_date && (rc = del_key(ix, DB_DATES, k, date_key(k, small, date_len, docno))) != RETOLD_OK) return rc;
    if (has_src && (rc = source_count(ix, small + RETOLD__IX_DATE_MAX, src_len, -1)) != RETOLD_OK) return rc;
    doc_key(k, docno);
    if ((rc = del_key(ix, DB_DOCS, k, 8)) != RETOLD_OK) return rc;
    ix->st.empty_docs -= empty;
    ix->st.text_bytes -= text_len;
    ix->st.stored_bytes -= stored;
    ix->st.removes++;
    return RETOLD_OK;
}

/* ---------------------------------------------------------------------- */
/* sketching                                                               */

static int slots_reserve(retold_index *ix, size_t n)
{
    if (n <= ix->nslots) return RETOLD_OK;
    sketched *s = realloc(ix->slots, n * sizeof *s);
    if (!s) return RETOLD_NOMEM;
    ix->slots = s;
    memset(s + ix->nslots, 0, (n - ix->nslots) * sizeof *s);
    uint32_t *sig = realloc(ix->slab_sig, n * ix->nsig * sizeof *sig);
    if (!sig) return RETOLD_NOMEM;
    ix->slab_sig = sig;
    uint64_t *b = realloc(ix->slab_bands, n * (ix->nbands ? ix->nbands : 1) * sizeof *b);
    if (!b) return RETOLD_NOMEM;
    ix->slab_bands = b;
    ix->nslots = n;
    return RETOLD_OK;
}

static int sketch_one(retold_index *ix, unsigned t, sketched *s, int compress)
{
    const retold_record *r = s->rec;
    retold_sketch_info info;
    if (r->text_len > UINT32_MAX - 1 || r->id_len > UINT32_MAX - 1) return RETOLD_TOOBIG;
    int rc = retold_sketch_lang(ix->sk[t], r->text, r->text_len, r->lang, r->lang ? r->lang_len : 0, s->sig, &info);
    if (rc != RETOLD_OK) return rc;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        size_t vs = info.view_shingles[v];
        s->distinct[v] = (uint32_t)(vs > UINT32_MAX ? UINT32_MAX : vs);
        int slot = retold_params_slot(&ix->p, v);
        s->unsigned_view[v] = slot >= 0 && info.view_signed[v] == 0;
        if (slot < 0) continue;
        retold_lsh_band_hashes(s->sig + (size_t)slot * ix->p.perms, ix->p.view_bands[v], ix->p.view_rows[v],
                               ix->p.seed + (uint64_t)v, s->bands + ix->band_off[v]);
    }
    s->fingerprint = info.fingerprint;
    memcpy(s->lang, info.lang, RETOLD_LANG_LEN);
    s->empty = info.shingles == 0;
    s->zlen = 0;
    if (compress) {
        size_t bound = ZSTD_compressBound(r->text_len);
        if (grow((void **)&s->z, &s->zcap, bound, 1)) return RETOLD_NOMEM;
        size_t z = ZSTD_compressCCtx(ix->zc[t], s->z, s->zcap, r->text, r->text_len, ZSTD_LEVEL);
        if (ZSTD_isError(z)) return RETOLD_NOMEM;
        s->zlen = z;
    }
    return RETOLD_OK;
}

/* Sketching runs ahead of storing: worker threads 1..T-1 take documents in
 * order and sketch them; the calling thread stores (or queries) document i
 * as soon as it is ready, and while it waits it sketches the next unclaimed
 * document itself.  So on two cores one sketches while the other writes
 * LMDB pages, and the order of the stores is the input order. */
typedef struct sketch_job {
    retold_index *ix;
    size_t n;
    int compress;
    atomic_size_t next;              /* next document to claim */
    atomic_uchar *ready;             /* per document: sketched */
    pthread_t tid[THREADS_MAX];
    unsigned started;
    struct sketch_arg { struct sketch_job *job; unsigned t; } args[THREADS_MAX];
} sketch_job;

static void sketch_claimed(sketch_job *j, unsigned t, size_t i)
{
    sketched *s = &j->ix->slots[i];
    s->rc = sketch_one(j->ix, t, s, j->compress);
    atomic_store_explicit(&j->ready[i], 1, memory_order_release);
}

static void *sketch_worker(void *arg)
{
    struct sketch_arg *a = arg;
    sketch_job *j = a->job;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n) break;
        sketch_claimed(j, a->t, i);
    }
    return NULL;
}

/* Start sketching docs[0..n) into slots[0..n). */
static int sketch_start(retold_index *ix, const retold_record *docs, size_t n, int compress, sketch_job *j)
{
    memset(j, 0, sizeof *j);
    if (slots_reserve(ix, n) != RETOLD_OK || !(j->ready = calloc(n ? n : 1, sizeof *j->ready)))
        return fail(ix, RETOLD_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        sketched *s = &ix->slots[i];
        s->rec = &docs[i];
        s->sig = ix->slab_sig + i * ix->nsig;
        s->bands = ix->slab_bands + i * ix->nbands;
        s->rc = RETOLD_OK;
        atomic_init(&j->ready[i], 0);
    }
    j->ix = ix;
    j->n = n;
    j->compress = compress;
    atomic_init(&j->next, 0);
    unsigned nt = ix->threads;
    if (nt > n) nt = (unsigned)n;
    for (unsigned t = 1; t < nt; t++) {
        j->args[t].job = j;
        j->args[t].t = t;
        if (pthread_create(&j->tid[t], NULL, sketch_worker, &j->args[t]) != 0) break;
        j->started = t;
    }
    return RETOLD_OK;
}

/* Slot i, sketched (the calling thread helps while it waits). */
static sketched *sketch_wait(sketch_job *j, size_t i)
{
    while (!atomic_load_explicit(&j->ready[i], memory_order_acquire)) {
        size_t k = atomic_fetch_add(&j->next, 1);
        if (k < j->n) sketch_claimed(j, 0, k);
        else sched_yield();
    }
    return &j->ix->slots[i];
}

/* Let the workers finish (they never outlive the call) and free the job. */
static int sketch_end(sketch_job *j, int rc)
{
    atomic_store(&j->next, j->n);        /* claim nothing more */
    for (unsigned t = 1; t <= j->started; t++) pthread_join(j->tid[t], NULL);
    free(j->ready);
    return rc;
}

static int sketch_error(retold_index *ix, const sketched *s)
{
    const retold_record *r = s->rec;
    return fail(ix, s->rc, "%s%s%llu: document \"%.*s\": %s", r->path ? r->path : "", r->line ? ":" : "",
                (unsigned long long)r->line, (int)(r->id_len > 200 ? 200 : r->id_len), r->id,
                s->rc == RETOLD_TOOBIG ? "too large for the index (4 GiB)" : retold_strerror(s->rc));
}

/* ---------------------------------------------------------------------- */
/* adding                                                                  */

/* A write that failed half-way must not be committed later: roll back
 * (RETOLD_EXISTS and RETOLD_NOTFOUND are refused before any write). */
static int write_failed(retold_index *ix, int rc)
{
    if (rc == RETOLD_OK || rc == RETOLD_EXISTS || rc == RETOLD_NOTFOUND || !ix->wtxn) return rc;
    drop_write(ix);
    size_t n = strlen(ix->err);
    snprintf(ix->err + n, sizeof ix->err - n, " (uncommitted changes were rolled back)");
    return rc;
}

static int store(retold_index *ix, sketched *s, int on_exists, int *outcome)
{
    const retold_record *r = s->rec;
    int rc = wbegin(ix);
    if (rc != RETOLD_OK) return rc;
    uint64_t old;
    rc = find_id(ix, ix->wtxn, r->id, r->id_len, &old);
    int what = RETOLD_INDEX_ADDED;
    if (rc == RETOLD_OK) {
        if (on_exists == RETOLD_INDEX_SKIP_EXISTING) {
            ix->cur.skipped++;
            if (outcome) *outcome = RETOLD_INDEX_SKIPPED;
            return RETOLD_OK;
        }
        if (on_exists != RETOLD_INDEX_REPLACE)
            return fail(ix, RETOLD_EXISTS, "%s%s%llu: id \"%.*s\" is already in the index "
                        "(--replace to overwrite it, --skip-existing to keep it)",
                        r->path ? r->path : "", r->line ? ":" : "", (unsigned long long)r->line,
                        (int)(r->id_len > 200 ? 200 : r->id_len), r->id);
        if ((rc = remove_docno(ix, old)) != RETOLD_OK) return rc;
        what = RETOLD_INDEX_REPLACED;
    } else if (rc != RETOLD_NOTFOUND) {
        return rc;
    }
    uint64_t docno = ix->st.next_docno;
    retold__ix_doc d;
    memset(&d, 0, sizeof d);
    d.flags = (s->empty ? RETOLD__DOC_EMPTY : 0) | (r->source ? RETOLD__DOC_SOURCE : 0) |
              (r->date ? RETOLD__DOC_DATE : 0) | (r->lang ? RETOLD__DOC_LANG : 0);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
        if (s->unsigned_view[v]) d.flags |= RETOLD__DOC_UNSIGNED(v);
    d.nsig = (uint32_t)ix->nsig;
    d.text_len = (uint32_t)r->text_len;
    d.stored_len = (uint32_t)s->zlen;
    d.pieces = (uint32_t)((s->zlen + RETOLD__IX_PIECE - 1) / RETOLD__IX_PIECE);
    d.fingerprint = s->fingerprint;
    memcpy(d.distinct, s->distinct, sizeof d.distinct);
    memcpy(d.lang_used, s->lang, RETOLD_LANG_LEN);
    d.id = r->id; d.id_len = (uint32_t)r->id_len;
    d.source = r->source; d.source_len = r->source ? (uint32_t)r->source_len : 0;
    d.date = r->date; d.date_len = r->date ? (uint32_t)r->date_len : 0;
    d.lang = r->lang; d.lang_len = r->lang ? (uint32_t)r->lang_len : 0;
    size_t size = retold__ix_doc_size(&d);
    if (grow((void **)&ix->rec, &ix->reccap, size, 1)) return fail(ix, RETOLD_NOMEM, "out of memory");
    unsigned char k[RETOLD__KEY_BAND + RETOLD__IX_DATE_MAX];
    doc_key(k, docno);
    retold__ix_doc_encode(&d, s->sig, k, ix->rec);
    MDB_val key = { 8, k }, val = { size, ix->rec };
    LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[DB_DOCS], &key, &val, MDB_APPEND), "writing a document");

    unsigned char piece[RETOLD__IX_PIECE + 4];
    for (uint32_t i = 0; i < d.pieces; i++) {
        size_t off = (size_t)i * RETOLD__IX_PIECE, len = s->zlen - off < RETOLD__IX_PIECE ? s->zlen - off : RETOLD__IX_PIECE;
        retold__be64(k, docno);
        retold__be32(k + 8, i);
        memcpy(piece, s->z + off, len);
        retold__le32(piece + len, (uint32_t)retold__ix_sum(k, RETOLD__KEY_TEXT, piece, len));
        MDB_val pk = { RETOLD__KEY_TEXT, k }, pv = { len + 4, piece };
        LMDB_TRY(ix, mdb_put(ix->wtxn, ix->db[DB_TEXT], &pk, &pv, MDB_APPEND), "writing a text");
    }
    retold__be64(k, retold__ix_id_hash(r->id, r->id_len));
    retold__be64(k + 8, docno);
    if ((rc = put_sum(ix, DB_IDS, k, RETOLD__KEY_ID, 0)) != RETOLD_OK) return rc;
    if (!s->empty) {
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            if (!(ix->p.views & (1u << v)) || s->unsigned_view[v]) continue;
            for (unsigned j = 0; j < ix->p.view_bands[v]; j++) {
                band_key(k, v, j, s->bands[ix->band_off[v] + j], docno);
                if ((rc = put_sum(ix, DB_BANDS, k, RETOLD__KEY_BAND, 0)) != RETOLD_OK) return rc;
            }
        }
    }
    if (r->date && (rc = put_sum(ix, DB_DATES, k, date_key(k, r->date, r->date_len, docno), 0)) != RETOLD_OK) return rc;
    if (r->source && (rc = source_count(ix, r->source, r->source_len, +1)) != RETOLD_OK) return rc;
    ix->st.next_docno++;
    ix->st.empty_docs += (uint64_t)s->empty;
    ix->st.text_bytes += r->text_len;
    ix->st.stored_bytes += s->zlen;
    ix->st.adds++;
    if (what == RETOLD_INDEX_REPLACED) ix->cur.replaced++;
    else ix->cur.added++;
    ix->pending++;
    if (outcome) *outcome = what;
    return RETOLD_OK;
}

int retold_index_add_many(retold_index *ix, const retold_record *docs, size_t n,
                          int on_exists, int *outcomes, size_t *done)
{
    if (done) *done = 0;
    if (ix->o.flags & RETOLD_INDEX_READONLY) return fail(ix, RETOLD_INVAL, "%s: opened read-only", ix->dir);
    sketch_job job;
    int rc = sketch_start(ix, docs, n, 1, &job);
    if (rc != RETOLD_OK) return sketch_end(&job, rc);
    for (size_t i = 0; i < n; i++) {
        sketched *s = sketch_wait(&job, i);
        if (s->rc != RETOLD_OK) return sketch_end(&job, sketch_error(ix, s));
        if ((rc = store(ix, s, on_exists, outcomes ? &outcomes[i] : NULL)) != RETOLD_OK)
            return sketch_end(&job, write_failed(ix, rc));
        if (done) *done = i + 1;
        if ((rc = maybe_commit(ix)) != RETOLD_OK) return sketch_end(&job, rc);
    }
    return sketch_end(&job, RETOLD_OK);
}

int retold_index_add(retold_index *ix, const retold_record *doc, int on_exists, int *outcome)
{
    return retold_index_add_many(ix, doc, 1, on_exists, outcome, NULL);
}

int retold_index_remove(retold_index *ix, const char *id, size_t id_len)
{
    int rc = wbegin(ix);
    if (rc != RETOLD_OK) return rc;
    uint64_t docno;
    rc = find_id(ix, ix->wtxn, id, id_len, &docno);
    if (rc == RETOLD_NOTFOUND)
        return fail(ix, RETOLD_NOTFOUND, "%s: no document with id \"%.*s\"", ix->dir,
                    (int)(id_len > 200 ? 200 : id_len), id);
    if (rc != RETOLD_OK) return rc;
    if ((rc = remove_docno(ix, docno)) != RETOLD_OK) return write_failed(ix, rc);
    ix->cur.removed++;
    ix->pending++;
    return maybe_commit(ix);
}

static int date_before(const unsigned char *key, size_t klen, const char *date, size_t len)
{
    size_t dl = klen - 8;
    if (len > RETOLD__IX_DATE_MAX) len = RETOLD__IX_DATE_MAX;
    size_t m = dl < len ? dl : len;
    int c = memcmp(key, date, m);
    return c < 0 || (c == 0 && dl < len);
}

int retold_index_forget(retold_index *ix, const char *date, size_t date_len, uint64_t *removed)
{
    *removed = 0;
    uint64_t batch[1024];
    for (;;) {
        int rc = wbegin(ix);
        if (rc != RETOLD_OK) return rc;
        MDB_cursor *c;
        LMDB_TRY(ix, mdb_cursor_open(ix->wtxn, ix->db[DB_DATES], &c), "opening a cursor");
        MDB_val k, v;
        size_t n = 0;
        rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
        for (; rc == MDB_SUCCESS && n < 1024; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (k.mv_size < 8) { mdb_cursor_close(c); return fail(ix, RETOLD_CORRUPT, "%s: a date entry is corrupt", ix->dir); }
            if (!date_before(k.mv_data, k.mv_size, date, date_len)) break;
            batch[n++] = retold__get_be64((const unsigned char *)k.mv_data + k.mv_size - 8);
        }
        mdb_cursor_close(c);
        if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) return lmdb_fail(ix, rc, "reading the dates");
        if (n == 0) return RETOLD_OK;
        for (size_t i = 0; i < n; i++) {
            if ((rc = remove_docno(ix, batch[i])) != RETOLD_OK) return write_failed(ix, rc);
            ix->cur.removed++;
            ix->pending++;
            (*removed)++;
            if ((rc = maybe_commit(ix)) != RETOLD_OK) return rc;
            if (!ix->wtxn && (rc = wbegin(ix)) != RETOLD_OK) return rc;
        }
    }
}

/* ---------------------------------------------------------------------- */
/* querying                                                                */

static void cache_clear(setcache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->key[i]) { free(c->val[i]); c->key[i] = 0; }
    c->used = c->bytes = 0;
}

static void cache_free(setcache *c)
{
    cache_clear(c);
    free(c->key);
    free(c->val);
}

static const uint64_t *cache_get(const setcache *c, uint64_t docno)
{
    if (!c->cap) return NULL;
    size_t i = (size_t)(docno * 0x9E3779B97F4A7C15ull) & (c->cap - 1);
    while (c->key[i]) {
        if (c->key[i] == docno + 1) return c->val[i];
        i = (i + 1) & (c->cap - 1);
    }
    return NULL;
}

/* Keep a copy of sets s for docno (best effort: no room, no copy). */
static void cache_put(setcache *c, const retold_params *p, uint64_t docno, const retold__sets *s)
{
    size_t words = 0;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
        if (p->views & (1u << v)) words += 1 + s->n[v];
    if (c->bytes + words * 8 > CACHE_BYTES) cache_clear(c);
    if (2 * (c->used + 1) > c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4096;
        uint64_t *k = calloc(cap, sizeof *k);
        uint64_t **v = calloc(cap, sizeof *v);
        if (!k || !v) { free(k); free(v); return; }
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->key[i]) continue;
            size_t j = (size_t)((c->key[i] - 1) * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (k[j]) j = (j + 1) & (cap - 1);
            k[j] = c->key[i];
            v[j] = c->val[i];
        }
        free(c->key);
        free(c->val);
        c->key = k;
        c->val = v;
        c->cap = cap;
    }
    uint64_t *blob = malloc((words ? words : 1) * sizeof *blob), *q = blob;
    if (!blob) return;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        if (!(p->views & (1u << v))) continue;
        *q++ = s->n[v];
        if (s->n[v]) memcpy(q, s->h[v], s->n[v] * sizeof *q);
        q += s->n[v];
    }
    size_t i = (size_t)(docno * 0x9E3779B97F4A7C15ull) & (c->cap - 1);
    while (c->key[i]) i = (i + 1) & (c->cap - 1);
    c->key[i] = docno + 1;
    c->val[i] = blob;
    c->used++;
    c->bytes += words * 8;
}

static void blob_sets(const retold_params *p, const uint64_t *blob, retold__sets *s)
{
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        s->h[v] = NULL;
        s->h32[v] = NULL;
        s->n[v] = 0;
        if (!(p->views & (1u << v))) continue;
        s->n[v] = (size_t)blob[0];
        s->h[v] = blob + 1;
        blob += 1 + blob[0];
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Documents in the bucket of one band (view v, band j, hash h) into
 * ix->cand from position ix->ncand on; with max > 0 a bucket of more than
 * max documents is dropped (and counted in *skipped). */
static int read_bucket(retold_index *ix, MDB_cursor *c, int v, unsigned j, uint64_t h, size_t max, uint64_t *skipped)
{
    unsigned char kb[RETOLD__KEY_BAND];
    band_key(kb, v, j, h, 0);
    MDB_val k = { sizeof kb, kb }, val;
    size_t start = ix->ncand;
    int rc = mdb_cursor_get(c, &k, &val, MDB_SET_RANGE);
    for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
        if (k.mv_size != RETOLD__KEY_BAND || memcmp(k.mv_data, kb, 10) != 0) break;
        if (val.mv_size != 4 || retold__get_le32(val.mv_data) != (uint32_t)retold__ix_sum(k.mv_data, k.mv_size, NULL, 0))
            return fail(ix, RETOLD_CORRUPT, "%s: an LSH entry is corrupt (checksum)", ix->dir);
        if (grow((void **)&ix->cand, &ix->capcand, ix->ncand + 1, sizeof *ix->cand))
            return fail(ix, RETOLD_NOMEM, "out of memory");
        ix->cand[ix->ncand++] = retold__get_be64((const unsigned char *)k.mv_data + 10);
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) return lmdb_fail(ix, rc, "reading LSH buckets");
    if (max && ix->ncand - start > max) {
        ix->ncand = start;
        (*skipped)++;
    }
    return RETOLD_OK;
}

/* Sort and make unique cand[from..ncand); with min > 1 keep only documents
 * that occur at least min times. */
static void unique_from(retold_index *ix, size_t from, unsigned min)
{
    size_t n = ix->ncand - from, u = 0;
    if (n == 0) return;
    uint64_t *a = ix->cand + from;
    qsort(a, n, sizeof *a, cmp_u64);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && a[e] == a[i]) e++;
        if (e - i >= (min ? min : 1)) a[u++] = a[i];
        i = e;
    }
    ix->ncand = from + u;
}

/* The LSH candidates of q, as the batch finds them: any agreeing band of
 * the surface view; at least RETOLD__LOW_MIN_BANDS agreeing bands of a
 * low-threshold view, whose buckets of more than retold__low_max_bucket(n)
 * of the n stored documents are skipped (the same rule as batch.c, with the
 * index standing in for the corpus). */
static int collect_candidates(retold_index *ix, MDB_txn *txn, const sketched *q, uint64_t *skipped)
{
    ix->ncand = 0;
    MDB_cursor *c;
    size_t max_bucket = 0;
    if (ix->p.views & ~RETOLD_VIEWS_SURFACE) {
        MDB_stat ms;
        LMDB_TRY(ix, mdb_stat(txn, ix->db[DB_DOCS], &ms), "counting documents");
        max_bucket = retold__low_max_bucket(ms.ms_entries);
    }
    LMDB_TRY(ix, mdb_cursor_open(txn, ix->db[DB_BANDS], &c), "opening a cursor");
    int rc = RETOLD_OK;
    for (int v = 0; v < RETOLD_VIEW_COUNT && rc == RETOLD_OK; v++) {
        if (!(ix->p.views & (1u << v)) || q->unsigned_view[v]) continue;
        int low = v != RETOLD_VIEW_SURFACE;
        size_t from = ix->ncand;
        for (unsigned j = 0; j < ix->p.view_bands[v] && rc == RETOLD_OK; j++)
            rc = read_bucket(ix, c, v, j, q->bands[ix->band_off[v] + j], low ? max_bucket : 0, skipped);
        if (rc == RETOLD_OK) unique_from(ix, from, low ? RETOLD__LOW_MIN_BANDS : 1);
    }
    mdb_cursor_close(c);
    if (rc != RETOLD_OK) return rc;
    unique_from(ix, 0, 1);
    return RETOLD_OK;
}

/* Decompress document d's text into ix->text. */
static int load_text(retold_index *ix, MDB_txn *txn, uint64_t docno, const retold__ix_doc *d)
{
    if (grow((void **)&ix->zbuf, &ix->zbufcap, (size_t)d->stored_len + 1, 1) ||
        grow((void **)&ix->text, &ix->textcap, (size_t)d->text_len + 1, 1))
        return fail(ix, RETOLD_NOMEM, "out of memory");
    unsigned char k[RETOLD__KEY_TEXT];
    size_t off = 0;
    for (uint32_t i = 0; i < d->pieces; i++) {
        retold__be64(k, docno);
        retold__be32(k + 8, i);
        MDB_val key = { sizeof k, k }, v;
        int rc = mdb_get(txn, ix->db[DB_TEXT], &key, &v);
        if (rc == MDB_NOTFOUND) return fail(ix, RETOLD_CORRUPT, "%s: the text of document %llu is missing a piece",
                                            ix->dir, (unsigned long long)docno);
        if (rc != MDB_SUCCESS) return lmdb_fail(ix, rc, "reading a text");
        size_t want = d->stored_len - off < RETOLD__IX_PIECE ? d->stored_len - off : RETOLD__IX_PIECE;
        const unsigned char *pv = v.mv_data;
        if (v.mv_size != want + 4 || retold__get_le32(pv + want) != (uint32_t)retold__ix_sum(k, sizeof k, pv, want))
            return fail(ix, RETOLD_CORRUPT, "%s: the text of document %llu is corrupt (checksum)",
                        ix->dir, (unsigned long long)docno);
        memcpy(ix->zbuf + off, pv, want);
        off += want;
    }
    size_t got = ZSTD_decompressDCtx(ix->zd, ix->text, ix->textcap, ix->zbuf, d->stored_len);
    if (ZSTD_isError(got) || got != d->text_len)
        return fail(ix, RETOLD_CORRUPT, "%s: the text of document %llu does not decompress to its recorded length",
                    ix->dir, (unsigned long long)docno);
    return RETOLD_OK;
}

static int cmp_match(const void *x, const void *y)
{
    const retold_index_match *a = x, *b = y;
    if (a->relation != b->relation) return a->relation > b->relation ? -1 : 1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return a->docno < b->docno ? -1 : a->docno > b->docno;
}

static int add_match(retold_index *ix, uint64_t docno, const retold__ix_doc *d, const retold_pair *pr)
{
    if (grow((void **)&ix->m, &ix->capm, ix->nm + 1, sizeof *ix->m)) return fail(ix, RETOLD_NOMEM, "out of memory");
    retold_index_match *m = &ix->m[ix->nm++];
    memset(m, 0, sizeof *m);
    m->docno = docno;
    size_t off;
    /* strings are stored as offsets now and turned into pointers at the end */
    if (arena_put(&ix->strings, d->id, d->id_len, &off)) return fail(ix, RETOLD_NOMEM, "out of memory");
    m->id = (const char *)(uintptr_t)off; m->id_len = d->id_len;
    m->source_len = m->date_len = m->lang_len = SIZE_MAX;
    if (d->source) { if (arena_put(&ix->strings, d->source, d->source_len, &off)) return RETOLD_NOMEM; m->source = (const char *)(uintptr_t)off; m->source_len = d->source_len; }
    if (d->date) { if (arena_put(&ix->strings, d->date, d->date_len, &off)) return RETOLD_NOMEM; m->date = (const char *)(uintptr_t)off; m->date_len = d->date_len; }
    if (d->lang) { if (arena_put(&ix->strings, d->lang, d->lang_len, &off)) return RETOLD_NOMEM; m->lang = (const char *)(uintptr_t)off; m->lang_len = d->lang_len; }
    memcpy(m->doc_lang, d->lang_used, RETOLD_LANG_LEN);
    m->relation = pr->relation;
    m->score = pr->score;
    m->jaccard = pr->jaccard;
    m->containment = pr->containment;
    memcpy(m->view_jaccard, pr->view_jaccard, sizeof m->view_jaccard);
    memcpy(m->view_containment, pr->view_containment, sizeof m->view_containment);
    m->flags = pr->flags;
    return RETOLD_OK;
}

static void fix_strings(retold_index *ix)
{
    for (size_t i = 0; i < ix->nm; i++) {
        retold_index_match *m = &ix->m[i];
        m->id = ix->strings.data + (uintptr_t)m->id;
        if (m->source_len == SIZE_MAX) { m->source = NULL; m->source_len = 0; } else m->source = ix->strings.data + (uintptr_t)m->source;
        if (m->date_len == SIZE_MAX) { m->date = NULL; m->date_len = 0; } else m->date = ix->strings.data + (uintptr_t)m->date;
        if (m->lang_len == SIZE_MAX) { m->lang = NULL; m->lang_len = 0; } else m->lang = ix->strings.data + (uintptr_t)m->lang;
    }
}

/* Matches of a sketched document (slot q) in txn; results in ix->m. */
static int query_sketched(retold_index *ix, MDB_txn *txn, sketched *q, const retold_index_query_opts *o,
                          int sets_ready, retold_index_query_info *info)
{
    ix->nm = 0;
    ix->strings.len = 0;
    memset(info, 0, sizeof *info);
    memcpy(info->lang, q->lang, RETOLD_LANG_LEN);
    info->shingles = q->distinct[RETOLD_VIEW_SURFACE];
    if (q->empty) return RETOLD_OK;
    uint64_t skipped = 0;
    int rc = collect_candidates(ix, txn, q, &skipped);
    if (rc != RETOLD_OK) return rc;
    info->candidates = ix->ncand;
    info->skipped_buckets = skipped;
    const retold_record *r = q->rec;
    const unsigned k = ix->p.perms;
    retold__doc qd = { .lang = q->lang, .fingerprint = q->fingerprint, .distinct = q->distinct[0] };
    for (size_t i = 0; i < ix->ncand; i++) {
        uint64_t docno = ix->cand[i];
        retold__ix_doc d;
        if ((rc = get_doc(ix, txn, docno, &d)) != RETOLD_OK) return rc;
        if (!o->include_self && d.id_len == r->id_len && memcmp(d.id, r->id, r->id_len) == 0) continue;
        if (d.flags & RETOLD__DOC_EMPTY) continue;
        retold__ix_sig_get(&d, ix->csig);
        double e = retold_minhash_jaccard(q->sig, ix->csig, k);
        int dec = retold__verify_decide(&ix->p, o->verify, e, q->distinct[0], d.distinct[0]);
        if (dec == RETOLD__DROP) continue;
        retold__doc cd = { .lang = d.lang_used, .fingerprint = d.fingerprint, .distinct = d.distinct[0] };
        char lang_used[RETOLD_LANG_LEN];
        memcpy(lang_used, d.lang_used, sizeof lang_used);
        cd.lang = lang_used;
        if (dec == RETOLD__EXACT) {
            if (!sets_ready) {
                uint32_t *tmp = ix->csig;   /* the signature is not needed again */
                if ((rc = retold_sketch_lang(ix->sk[0], r->text, r->text_len, r->lang, r->lang ? r->lang_len : 0,
                                             tmp, NULL)) != RETOLD_OK)
                    return fail(ix, rc, "sketching the query: %s", retold_strerror(rc));
                sets_ready = 1;
            }
            if (sets_ready == 1) {
                if ((rc = retold__fp_sets(&ix->p, ix->sk[0], &ix->qfp, &ix->qfpcap, &qd.sets)) != RETOLD_OK)
                    return fail(ix, rc, "out of memory");
                sets_ready = 2;
            }
            /* the record's strings live in LMDB pages, valid for this txn;
             * load_text only reads */
            const uint64_t *blob = cache_get(&ix->cache, docno);
            if (blob) {
                blob_sets(&ix->p, blob, &cd.sets);
            } else {
                if ((rc = load_text(ix, txn, docno, &d)) != RETOLD_OK) return rc;
                if ((rc = retold_sketch_lang(ix->skc, ix->text, d.text_len, d.lang, d.lang ? d.lang_len : 0,
                                             ix->csig, NULL)) != RETOLD_OK)
                    return fail(ix, rc, "re-sketching document %llu: %s", (unsigned long long)docno, retold_strerror(rc));
                if ((rc = retold__fp_sets(&ix->p, ix->skc, &ix->cfp, &ix->cfpcap, &cd.sets)) != RETOLD_OK)
                    return fail(ix, rc, "out of memory");
                cache_put(&ix->cache, &ix->p, docno, &cd.sets);
            }
            info->verified_exact++;
        }
        retold_pair pr;
        memset(&pr, 0, sizeof pr);
        if (!retold__verify_pair(&ix->p, dec, (float)e, &qd, &cd, &pr)) continue;
        if (o->relations && !(o->relations & (1u << pr.relation))) continue;
        if ((rc = add_match(ix, docno, &d, &pr)) != RETOLD_OK) return rc;
    }
    fix_strings(ix);
    if (ix->nm > 1) qsort(ix->m, ix->nm, sizeof *ix->m, cmp_match);
    if (o->top_k && ix->nm > o->top_k) ix->nm = o->top_k;
    return RETOLD_OK;
}

int retold_index_query(retold_index *ix, const retold_record *doc, const retold_index_query_opts *o,
                       const retold_index_match **m, size_t *n, retold_index_query_info *info)
{
    retold_index_query_opts def;
    retold_index_query_info tmp;
    if (!o) { retold_index_query_opts_default(&def); o = &def; }
    if (!info) info = &tmp;
    *m = NULL;
    *n = 0;
    int rc = slots_reserve(ix, 1);
    if (rc != RETOLD_OK) return fail(ix, rc, "out of memory");
    sketched *s = &ix->slots[0];
    s->rec = doc;
    s->sig = ix->slab_sig;
    s->bands = ix->slab_bands;
    if ((rc = sketch_one(ix, 0, s, 0)) != RETOLD_OK) { s->rc = rc; return sketch_error(ix, s); }
    MDB_txn *txn;
    if ((rc = rbegin(ix, &txn)) != RETOLD_OK) return rc;
    rc = query_sketched(ix, txn, s, o, 1, info);
    rend(ix);
    if (rc != RETOLD_OK) return rc;
    *m = ix->m;
    *n = ix->nm;
    return RETOLD_OK;
}

int retold_index_query_many(retold_index *ix, const retold_record *docs, size_t n,
                            const retold_index_query_opts *o, retold_index_match_fn fn, void *ctx,
                            size_t *done)
{
    if (done) *done = 0;
    if (o->add && (ix->o.flags & RETOLD_INDEX_READONLY)) return fail(ix, RETOLD_INVAL, "%s: opened read-only", ix->dir);
    sketch_job job;
    int rc = sketch_start(ix, docs, n, o->add, &job);
    if (rc != RETOLD_OK) return sketch_end(&job, rc);
    for (size_t i = 0; i < n; i++) {
        sketched *s = sketch_wait(&job, i);
        if (s->rc != RETOLD_OK) return sketch_end(&job, sketch_error(ix, s));
        retold_index_query_info info;
        MDB_txn *txn;
        if (o->add && (rc = wbegin(ix)) != RETOLD_OK) return sketch_end(&job, rc);
        if ((rc = rbegin(ix, &txn)) != RETOLD_OK) return sketch_end(&job, rc);
        rc = query_sketched(ix, txn, s, o, 0, &info);
        rend(ix);
        if (rc != RETOLD_OK) return sketch_end(&job, rc);
        if (o->add && (rc = store(ix, s, o->on_exists, &info.outcome)) != RETOLD_OK)
            return sketch_end(&job, write_failed(ix, rc));
        if (fn && (rc = fn(ctx, i, ix->m, ix->nm, &info)) != 0) return sketch_end(&job, rc);
        if (done) *done = i + 1;
        if (o->add && (rc = maybe_commit(ix)) != RETOLD_OK) return sketch_end(&job, rc);
    }
    return sketch_end(&job, RETOLD_OK);
}

int retold_index_get(retold_index *ix, const char *id, size_t id_len, retold_index_match *m,
                     char **text, size_t *text_len)
{
    if (text) { *text = NULL; *text_len = 0; }
    MDB_txn *txn;
    int rc = rbegin(ix, &txn);
    if (rc != RETOLD_OK) return rc;
    uint64_t docno;
    retold__ix_doc d;
    rc = find_id(ix, txn, id, id_len, &docno);
    if (rc == RETOLD_NOTFOUND) fail(ix, rc, "%s: no document with id \"%.*s\"", ix->dir, (int)(id_len > 200 ? 200 : id_len), id);
    if (rc == RETOLD_OK) rc = get_doc(ix, txn, docno, &d);
    if (rc == RETOLD_OK && text) {
        rc = load_text(ix, txn, docno, &d);
        if (rc == RETOLD_OK) {
            *text = malloc((size_t)d.text_len + 1);
            if (!*text) rc = fail(ix, RETOLD_NOMEM, "out of memory");
            else { memcpy(*text, ix->text, d.text_len); (*text)[d.text_len] = 0; *text_len = d.text_len; }
        }
    }
    if (rc == RETOLD_OK) {
        retold_pair pr;
        memset(&pr, 0, sizeof pr);
        ix->nm = 0;
        ix->strings.len = 0;
        rc = add_match(ix, docno, &d, &pr);
        if (rc == RETOLD_OK) { fix_strings(ix); *m = ix->m[0]; }
    }
    rend(ix);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* stats and check                                                         */

static void key_date(const MDB_val *k, char *out)
{
    size_t n = k->mv_size >= 8 ? k->mv_size - 8 : 0;
    if (n > 64) n = 64;
    memcpy(out, k->mv_data, n);
    out[n] = 0;
}

int retold_index_get_stats(retold_index *ix, retold_index_stats *s)
{
    memset(s, 0, sizeof *s);
    MDB_txn *txn;
    int rc = rbegin(ix, &txn);
    if (rc != RETOLD_OK) return rc;
    MDB_stat ms;
    retold__ix_state st;
    rc = get_state(ix, txn, &st);
    if (rc != RETOLD_OK) { rend(ix); return rc; }
    s->format_version = ix->fmt.version;
    s->created = ix->fmt.created;
    s->empty_docs = st.empty_docs;
    s->text_bytes = st.text_bytes;
    s->stored_text_bytes = st.stored_bytes;
    s->next_docno = st.next_docno;
    uint64_t *dst[] = { &s->docs, &s->postings, &s->dated_docs, &s->sources };
    int dbs[] = { DB_DOCS, DB_BANDS, DB_DATES, DB_SOURCES };
    for (int i = 0; i < 4; i++) {
        if ((rc = mdb_stat(txn, ix->db[dbs[i]], &ms)) != MDB_SUCCESS) { rend(ix); return lmdb_fail(ix, rc, "reading table sizes"); }
        *dst[i] = ms.ms_entries;
    }
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, ix->db[DB_DATES], &c)) != MDB_SUCCESS) { rend(ix); return lmdb_fail(ix, rc, "opening a cursor"); }
    MDB_val k, v;
    if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == MDB_SUCCESS) key_date(&k, s->first_date);
    if (mdb_cursor_get(c, &k, &v, MDB_LAST) == MDB_SUCCESS) key_date(&k, s->last_date);
    mdb_cursor_close(c);
    rend(ix);
    MDB_envinfo info;
    mdb_env_info(ix->env, &info);
    mdb_env_stat(ix->env, &ms);
    s->page_size = ms.ms_psize;
    s->map_size = info.me_mapsize;
    s->used_bytes = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
    char path[4200];
    struct stat fs;
    snprintf(path, sizeof path, "%s/data.mdb", ix->dir);
    if (stat(path, &fs) == 0) s->file_bytes = (uint64_t)fs.st_blocks * 512;
    return RETOLD_OK;
}

typedef struct checker {
    retold_index *ix;
    retold_index_problem_fn fn;
    void *ctx;
    uint64_t problems;
} checker;

static void problem(checker *ck, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ck->problems++;
    if (ck->fn && ck->problems <= 1000) ck->fn(ck->ctx, buf);
}

/* Every entry of an index table (ids, bands, dates): checksum, key shape,
 * and that it points to a stored document; returns the count. */
static int check_table(checker *ck, MDB_txn *txn, int db, uint64_t *count)
{
    retold_index *ix = ck->ix;
    MDB_cursor *c;
    *count = 0;
    LMDB_TRY(ix, mdb_cursor_open(txn, ix->db[db], &c), "opening a cursor");
    MDB_val k, v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        (*count)++;
        const unsigned char *kp = k.mv_data;
        int bad_shape = db == DB_IDS ? k.mv_size != RETOLD__KEY_ID
                      : db == DB_BANDS ? k.mv_size != RETOLD__KEY_BAND
                      : k.mv_size < 8 || k.mv_size > 8 + RETOLD__IX_DATE_MAX;
        if (bad_shape || v.mv_size != 4 || retold__get_le32(v.mv_data) != (uint32_t)retold__ix_sum(kp, k.mv_size, NULL, 0)) {
            problem(ck, "%s: entry %llu fails its checksum or has a bad key", db_names[db], (unsigned long long)*count);
            continue;
        }
        uint64_t docno = retold__get_be64(kp + k.mv_size - 8);
        unsigned char kb[8];
        doc_key(kb, docno);
        MDB_val dk = { 8, kb }, dv;
        if (mdb_get(txn, ix->db[DB_DOCS], &dk, &dv) != MDB_SUCCESS)
            problem(ck, "%s: entry %llu points to missing document %llu", db_names[db],
                    (unsigned long long)*count, (unsigned long long)docno);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return lmdb_fail(ix, rc, "walking a table");
    return RETOLD_OK;
}

int retold_index_check(retold_index *ix, int deep, retold_index_problem_fn fn, void *ctx, uint64_t *problems)
{
    checker ck = { ix, fn, ctx, 0 };
    *problems = 0;
    MDB_txn *txn;
    int rc = rbegin(ix, &txn);
    if (rc != RETOLD_OK) return rc;
    retold__ix_state st;
    rc = get_state(ix, txn, &st);
    if (rc != RETOLD_OK) { problem(&ck, "%s", ix->err); rend(ix); *problems = ck.problems; return RETOLD_CORRUPT; }
    uint64_t docs = 0, empty = 0, text_bytes = 0, stored = 0, want_bands = 0, want_pieces = 0, dated = 0, last = 0;
    uint64_t *sig_bands = malloc((ix->nbands ? ix->nbands : 1) * sizeof *sig_bands);
    uint32_t *sig = malloc(ix->nsig * sizeof *sig);
    uint32_t *sig2 = malloc(ix->nsig * sizeof *sig2);
    if (!sig_bands || !sig || !sig2) { free(sig_bands); free(sig); free(sig2); rend(ix); return fail(ix, RETOLD_NOMEM, "out of memory"); }
    MDB_cursor *c = NULL;
    rc = mdb_cursor_open(txn, ix->db[DB_DOCS], &c);
    if (rc != MDB_SUCCESS) { rc = lmdb_fail(ix, rc, "opening a cursor"); goto out; }
    MDB_val k, v;
    int mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    for (; mrc == MDB_SUCCESS; mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        docs++;
        if (k.mv_size != 8) { problem(&ck, "docs: entry %llu has a bad key", (unsigned long long)docs); continue; }
        uint64_t docno = retold__get_be64(k.mv_data);
        if (docno <= last && docs > 1) problem(&ck, "docs: keys out of order at %llu", (unsigned long long)docno);
        last = docno;
        retold__ix_doc d;
        if (retold__ix_doc_decode(k.mv_data, v.mv_data, v.mv_size, (uint32_t)ix->nsig, &d) != RETOLD_OK) {
            problem(&ck, "docs: document %llu fails its checksum or encoding", (unsigned long long)docno);
            continue;
        }
        if (docno >= st.next_docno) problem(&ck, "docs: document %llu is beyond the next number %llu",
                                            (unsigned long long)docno, (unsigned long long)st.next_docno);
        empty += (d.flags & RETOLD__DOC_EMPTY) != 0;
        text_bytes += d.text_len;
        stored += d.stored_len;
        want_pieces += d.pieces;
        dated += d.date != NULL;
        /* its id entry */
        uint64_t found;
        char idcopy[512];
        size_t idl = d.id_len < sizeof idcopy ? d.id_len : sizeof idcopy;
        memcpy(idcopy, d.id, idl);
        int frc = find_id(ix, txn, d.id, d.id_len, &found);
        if (frc != RETOLD_OK || found != docno)
            problem(&ck, "ids: document %llu (\"%.*s\") cannot be found by its id", (unsigned long long)docno, (int)(idl > 200 ? 200 : idl), idcopy);
        if ((frc = get_doc(ix, txn, docno, &d)) != RETOLD_OK) { problem(&ck, "%s", ix->err); continue; }
        /* its text */
        uint32_t text_len = d.text_len;
        if ((frc = load_text(ix, txn, docno, &d)) != RETOLD_OK) { problem(&ck, "%s", ix->err); continue; }
        if ((frc = get_doc(ix, txn, docno, &d)) != RETOLD_OK) { problem(&ck, "%s", ix->err); continue; }
        retold__ix_sig_get(&d, sig);
        if (deep) {
            retold_sketch_info info;
            if (retold_sketch_lang(ix->skc, ix->text, text_len, d.lang, d.lang ? d.lang_len : 0, sig2, &info) != RETOLD_OK ||
                memcmp(sig, sig2, ix->nsig * sizeof *sig) != 0 || info.fingerprint != d.fingerprint)
                problem(&ck, "docs: document %llu's signature does not match its text", (unsigned long long)docno);
        }
        /* its LSH entries */
        if (!(d.flags & RETOLD__DOC_EMPTY)) {
            for (int view = 0; view < RETOLD_VIEW_COUNT; view++) {
                int slot = retold_params_slot(&ix->p, view);
                if (slot < 0 || (d.flags & RETOLD__DOC_UNSIGNED(view))) continue;
                retold_lsh_band_hashes(sig + (size_t)slot * ix->p.perms, ix->p.view_bands[view], ix->p.view_rows[view],
                                       ix->p.seed + (uint64_t)view, sig_bands);
                for (unsigned j = 0; j < ix->p.view_bands[view]; j++) {
                    unsigned char kb[RETOLD__KEY_BAND];
                    band_key(kb, view, j, sig_bands[j], docno);
                    MDB_val bk = { sizeof kb, kb }, bv;
                    want_bands++;
                    if (mdb_get(txn, ix->db[DB_BANDS], &bk, &bv) != MDB_SUCCESS) {
                        problem(&ck, "bands: document %llu lacks its %s band %u", (unsigned long long)docno, retold_view_name(view), j);
                    }
                }
            }
        }
    }
    if (mrc != MDB_NOTFOUND) { rc = lmdb_fail(ix, mrc, "walking the documents"); goto out; }
    if (empty != st.empty_docs || text_bytes != st.text_bytes || stored != st.stored_bytes)
        problem(&ck, "state: counters disagree with the documents (empty %llu/%llu, text bytes %llu/%llu)",
                (unsigned long long)empty, (unsigned long long)st.empty_docs,
                (unsigned long long)text_bytes, (unsigned long long)st.text_bytes);
    uint64_t n;
    if ((rc = check_table(&ck, txn, DB_IDS, &n)) != RETOLD_OK) goto out;
    if (n != docs) problem(&ck, "ids: %llu entries for %llu documents", (unsigned long long)n, (unsigned long long)docs);
    if ((rc = check_table(&ck, txn, DB_BANDS, &n)) != RETOLD_OK) goto out;
    if (n != want_bands) problem(&ck, "bands: %llu entries, the documents need %llu", (unsigned long long)n, (unsigned long long)want_bands);
    if ((rc = check_table(&ck, txn, DB_DATES, &n)) != RETOLD_OK) goto out;
    if (n != dated) problem(&ck, "dates: %llu entries for %llu dated documents", (unsigned long long)n, (unsigned long long)dated);
    /* text pieces: every one belongs to a document (counted against pieces) */
    {
        MDB_cursor *tc;
        if ((rc = mdb_cursor_open(txn, ix->db[DB_TEXT], &tc)) != MDB_SUCCESS) { rc = lmdb_fail(ix, rc, "opening a cursor"); goto out; }
        uint64_t pieces = 0;
        for (mrc = mdb_cursor_get(tc, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS; mrc = mdb_cursor_get(tc, &k, &v, MDB_NEXT)) {
            pieces++;
            if (k.mv_size != RETOLD__KEY_TEXT) { problem(&ck, "text: entry %llu has a bad key", (unsigned long long)pieces); continue; }
            unsigned char kb[8];
            memcpy(kb, k.mv_data, 8);
            MDB_val dk = { 8, kb }, dv;
            if (mdb_get(txn, ix->db[DB_DOCS], &dk, &dv) != MDB_SUCCESS)
                problem(&ck, "text: a piece of missing document %llu", (unsigned long long)retold__get_be64(kb));
        }
        mdb_cursor_close(tc);
        if (pieces != want_pieces) problem(&ck, "text: %llu pieces, the documents need %llu",
                                           (unsigned long long)pieces, (unsigned long long)want_pieces);
    }
    /* sources: checksums and counts */
    {
        MDB_cursor *sc;
        if ((rc = mdb_cursor_open(txn, ix->db[DB_SOURCES], &sc)) != MDB_SUCCESS) { rc = lmdb_fail(ix, rc, "opening a cursor"); goto out; }
        for (mrc = mdb_cursor_get(sc, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS; mrc = mdb_cursor_get(sc, &k, &v, MDB_NEXT))
            if (v.mv_size != 12 || retold__get_le32((const unsigned char *)v.mv_data + 8) !=
                                       (uint32_t)retold__ix_sum(k.mv_data, k.mv_size, v.mv_data, 8))
                problem(&ck, "sources: an entry fails its checksum");
        mdb_cursor_close(sc);
    }
    rc = ck.problems ? RETOLD_CORRUPT : RETOLD_OK;
    if (rc) fail(ix, rc, "%s: %llu problem(s) found", ix->dir, (unsigned long long)ck.problems);
out:
    if (c) mdb_cursor_close(c);
    free(sig_bands);
    free(sig);
    free(sig2);
    rend(ix);
    *problems = ck.problems;
    return rc;
}
