/*
 * batch.c - the batch pipeline (see batch.h for the stages).
 *
 * Threads: workers take turns at one lock to (1) commit the results of
 * their previous chunk into the shared arrays and (2) read the next chunk of
 * records (about 1 MiB of text), giving each record the next document index.
 * Sketching happens outside the lock.  Because indexes are handed out in
 * reading order and every result lands at its index, the output does not
 * depend on the number of threads or on their timing.
 */
#include "retold/batch.h"
#include "retold/lsh.h"
#include "retold/minhash.h"
#include "retold/error.h"
#include "retold/shingle.h"
#include "radix.h"
#include "similarity.h"
#include "match.h"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK_BYTES ((size_t)1 << 20)
/* Count-min sketch (Cormode & Muthukrishnan 2005) of shingle document
 * frequencies: 4 rows of 2^22 counters, 64 MiB.  It never undercounts; with
 * N distinct shingles it overcounts by more than e * N / 2^22 with
 * probability <= e^-4 per row, so for corpora of up to ~10^7 distinct
 * shingles a rare shingle is wrongly taken for boilerplate only when the
 * limit is below ~7. */
#define CMS_DEPTH 4
#define CMS_BITS 22
#define CHUNK_DOCS  512
#define THREADS_MAX 256

typedef struct arena {
    char *data;
    size_t len, cap;
} arena;

struct retold_batch {
    retold_batch_opts o;
    retold_params p;
    char err[1200];
    /* per-document row widths: signatures of every view, band hashes of
     * every view (view v's at band_off[v]), distinct counts per view */
    size_t sigw, bandw, band_off[RETOLD_VIEW_COUNT];
    /* per document */
    size_t n, cap;
    size_t n0;                /* documents of side 0 (inputs) */
    uint32_t *sig;            /* n * k */
    uint64_t *bands;          /* n * b */
    uint32_t *distinct;       /* n * RETOLD_VIEW_COUNT */
    char *lang;               /* n * RETOLD_LANG_LEN */
    uint8_t *side;
    uint8_t *skip;            /* empty documents */
    uint64_t *id_off;         /* n + 1 offsets into ids */
    arena ids;
    uint64_t *meta_off;       /* offset into meta of source, date, lang */
    arena meta;               /* per document: 3 x (u32 length, bytes);
                                 length UINT32_MAX = absent */
    uint64_t *fingerprint;    /* hash of the token sequence: duplicates */
    uint64_t *place;          /* (file_no << 40) | line, for pass 2 */
    uint64_t *offset;         /* byte offset of the record's line, for pass 2 */
    /* duplicate-id detection: open addressing over doc index + 1 */
    uint32_t *idtab;
    size_t idcap;
    /* results */
    retold_pair *pairs;
    size_t npairs;
    uint32_t *cluster;
    retold_batch_stats st;
    /* boilerplate: count-min sketch of shingle document frequencies */
    uint32_t *cms;            /* CMS_DEPTH rows of 2^CMS_BITS counters */
    uint64_t df_limit;        /* shingles with DF > df_limit are left out */
    uint64_t df_docs;         /* documents counted */
    /* inputs, for re-reading */
    retold_reader *rd[2];
};

/* ---------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int set_err(retold_batch *b, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err, sizeof b->err, fmt, ap);
    va_end(ap);
    return code;
}

void retold_batch_opts_default(retold_batch_opts *o)
{
    memset(o, 0, sizeof *o);
    retold_params_default(&o->params);
    retold_reader_opts_default(&o->reader);
    o->threads = 1;
    o->verify = RETOLD_VERIFY_AUTO;
}

int retold_batch_new(retold_batch **out, const retold_batch_opts *o)
{
    retold_batch *b = calloc(1, sizeof *b);
    *out = b;
    if (!b) return RETOLD_NOMEM;
    b->o = *o;
    b->p = o->params;
    if (b->o.threads == 0) b->o.threads = 1;
    if (b->o.threads > THREADS_MAX) b->o.threads = THREADS_MAX;
    char msg[256];
    if (retold_params_resolve(&b->p, msg, sizeof msg) != RETOLD_OK)
        return set_err(b, RETOLD_INVAL, "%s", msg);
    b->o.params = b->p;
    b->sigw = (size_t)retold_params_nviews(&b->p) * b->p.perms;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        b->band_off[v] = b->bandw;
        b->bandw += b->p.view_bands[v];
    }
    return RETOLD_OK;
}

void retold_batch_free(retold_batch *b)
{
    if (!b) return;
    free(b->sig);
    free(b->bands);
    free(b->distinct);
    free(b->lang);
    free(b->side);
    free(b->skip);
    free(b->id_off);
    free(b->ids.data);
    free(b->meta_off);
    free(b->meta.data);
    free(b->fingerprint);
    free(b->place);
    free(b->offset);
    free(b->idtab);
    free(b->pairs);
    free(b->cluster);
    free(b->cms);
    retold_reader_close(b->rd[0]);
    retold_reader_close(b->rd[1]);
    free(b);
}

const char *retold_batch_errmsg(const retold_batch *b) { return b->err; }
const retold_params *retold_batch_params(const retold_batch *b) { return &b->p; }
size_t retold_batch_size(const retold_batch *b) { return b->n; }
int retold_batch_side(const retold_batch *b, size_t doc) { return b->side[doc]; }
uint32_t retold_batch_shingles(const retold_batch *b, size_t doc) { return b->distinct[doc * RETOLD_VIEW_COUNT]; }
const char *retold_batch_doc_lang(const retold_batch *b, size_t doc) { return b->lang + doc * RETOLD_LANG_LEN; }
const uint32_t *retold_batch_clusters(const retold_batch *b) { return b->cluster; }
void retold_batch_get_stats(const retold_batch *b, retold_batch_stats *s) { *s = b->st; }

const char *retold_batch_id(const retold_batch *b, size_t doc, size_t *len)
{
    *len = (size_t)(b->id_off[doc + 1] - b->id_off[doc]);
    return b->ids.data + b->id_off[doc];
}

static int arena_put(arena *a, const char *s, size_t n);

static const char *meta_field(const retold_batch *b, size_t doc, int field, size_t *len)
{
    const char *m = b->meta.data + b->meta_off[doc];
    for (int f = 0;; f++) {
        uint32_t l;
        memcpy(&l, m, 4);
        m += 4;
        if (f == field) {
            if (l == UINT32_MAX) { *len = 0; return NULL; }
            *len = l;
            return m;
        }
        if (l != UINT32_MAX) m += l;
    }
}

const char *retold_batch_source(const retold_batch *b, size_t doc, size_t *len) { return meta_field(b, doc, 0, len); }
const char *retold_batch_date(const retold_batch *b, size_t doc, size_t *len) { return meta_field(b, doc, 1, len); }
const char *retold_batch_lang(const retold_batch *b, size_t doc, size_t *len) { return meta_field(b, doc, 2, len); }

static int meta_put(arena *a, const char *s, size_t n)
{
    uint32_t l = s ? (uint32_t)(n > UINT32_MAX - 1 ? UINT32_MAX - 1 : n) : UINT32_MAX;
    int rc = arena_put(a, (const char *)&l, 4);
    if (rc == RETOLD_OK && s) rc = arena_put(a, s, l);
    return rc;
}

const retold_pair *retold_batch_pairs(const retold_batch *b, size_t *n)
{
    *n = b->npairs;
    return b->pairs;
}

/* ---------------------------------------------------------------------- */
/* document table (all calls under the lock)                               */

static int grow_docs(retold_batch *b)
{
    if (b->n < b->cap) return RETOLD_OK;
    size_t cap = b->cap ? b->cap * 2 : 4096;
    uint32_t *sig = realloc(b->sig, cap * b->sigw * sizeof *sig);
    if (!sig) return RETOLD_NOMEM;
    b->sig = sig;
    uint64_t *bands = realloc(b->bands, cap * b->bandw * sizeof *bands);
    if (!bands) return RETOLD_NOMEM;
    b->bands = bands;
    uint32_t *d = realloc(b->distinct, cap * RETOLD_VIEW_COUNT * sizeof *d);
    if (!d) return RETOLD_NOMEM;
    b->distinct = d;
    char *l = realloc(b->lang, cap * RETOLD_LANG_LEN);
    if (!l) return RETOLD_NOMEM;
    b->lang = l;
    uint8_t *s = realloc(b->side, cap);
    if (!s) return RETOLD_NOMEM;
    b->side = s;
    s = realloc(b->skip, cap);
    if (!s) return RETOLD_NOMEM;
    b->skip = s;
    uint64_t *io = realloc(b->id_off, (cap + 1) * sizeof *io);
    if (!io) return RETOLD_NOMEM;
    b->id_off = io;
    io = realloc(b->meta_off, cap * sizeof *io);
    if (!io) return RETOLD_NOMEM;
    b->meta_off = io;
    io = realloc(b->fingerprint, cap * sizeof *io);
    if (!io) return RETOLD_NOMEM;
    b->fingerprint = io;
    io = realloc(b->place, cap * sizeof *io);
    if (!io) return RETOLD_NOMEM;
    b->place = io;
    io = realloc(b->offset, cap * sizeof *io);
    if (!io) return RETOLD_NOMEM;
    b->offset = io;
    b->cap = cap;
    return RETOLD_OK;
}

static int arena_put(arena *a, const char *s, size_t n)
{
    if (n == 0) return RETOLD_OK;       /* s (an empty text) may be NULL */
    if (a->len + n > a->cap) {
        size_t cap = a->cap ? a->cap : 65536;
        while (cap < a->len + n) cap *= 2;
        char *d = realloc(a->data, cap);
        if (!d) return RETOLD_NOMEM;
        a->data = d;
        a->cap = cap;
    }
    memcpy(a->data + a->len, s, n);
    a->len += n;
    return RETOLD_OK;
}

/* Insert document `doc` (id already in the arena) into the id table;
 * returns the index of an earlier document of the same side with the same
 * id, or -1. */
static long id_insert(retold_batch *b, size_t doc)
{
    if (2 * (doc + 1) > b->idcap) {
        size_t cap = b->idcap ? b->idcap * 2 : 8192;
        uint32_t *t = calloc(cap, sizeof *t);
        if (!t) return -2;
        for (size_t i = 0; i < b->idcap; i++) {
            if (!b->idtab[i]) continue;
            size_t d = b->idtab[i] - 1, len;
            const char *id = retold_batch_id(b, d, &len);
            size_t j = (size_t)XXH3_64bits_withSeed(id, len, b->side[d]) & (cap - 1);
            while (t[j]) j = (j + 1) & (cap - 1);
            t[j] = (uint32_t)(d + 1);
        }
        free(b->idtab);
        b->idtab = t;
        b->idcap = cap;
    }
    size_t len;
    const char *id = retold_batch_id(b, doc, &len);
    size_t j = (size_t)XXH3_64bits_withSeed(id, len, b->side[doc]) & (b->idcap - 1);
    while (b->idtab[j]) {
        size_t d = b->idtab[j] - 1, l2;
        const char *other = retold_batch_id(b, d, &l2);
        if (b->side[d] == b->side[doc] && l2 == len && memcmp(other, id, len) == 0) return (long)d;
        j = (j + 1) & (b->idcap - 1);
    }
    b->idtab[j] = (uint32_t)(doc + 1);
    return -1;
}

/* ---------------------------------------------------------------------- */
/* boilerplate: document frequencies                                       */

static inline size_t cms_slot(uint64_t h, int row, int view)
{
    uint64_t x = (h ^ ((uint64_t)view << 56)) * (0x9E3779B97F4A7C15ULL + 2 * (uint64_t)row);
    return ((size_t)row << CMS_BITS) + (size_t)(x >> (64 - CMS_BITS));
}

static void cms_add(uint32_t *cms, int view, uint64_t h)
{
    for (int r = 0; r < CMS_DEPTH; r++)
        __atomic_fetch_add(&cms[cms_slot(h, r, view)], 1u, __ATOMIC_RELAXED);
}

static uint32_t cms_get(const uint32_t *cms, int view, uint64_t h)
{
    uint32_t m = UINT32_MAX;
    for (int r = 0; r < CMS_DEPTH; r++) {
        uint32_t c = cms[cms_slot(h, r, view)];
        m = c < m ? c : m;
    }
    return m;
}

/* Pass 2 reads only the records at the wanted places (in order, so a
 * cursor suffices). */
struct wanted {
    uint64_t *place;          /* places of the needed documents, in order */
    uint64_t *offset;         /* their byte offsets */
    uint32_t *doc;            /* their document indexes */
    size_t n, next, seek;     /* count; next record to map; filter cursor */
};

static int wanted_place(void *ctx, uint32_t file_no, uint64_t line)
{
    struct wanted *w = ctx;
    uint64_t key = ((uint64_t)file_no << 40) | (line & ((1ULL << 40) - 1));
    while (w->seek < w->n && w->place[w->seek] < key) w->seek++;
    return w->seek < w->n && w->place[w->seek] == key;
}

/* The next needed record of file file_no, for the reader to jump to. */
static int wanted_next(void *ctx, uint32_t file_no, uint64_t *line, uint64_t *offset)
{
    struct wanted *w = ctx;
    if (w->seek >= w->n || (uint32_t)(w->place[w->seek] >> 40) != file_no) return 0;
    *line = w->place[w->seek] & ((1ULL << 40) - 1);
    *offset = w->offset[w->seek];
    return 1;
}

static int boilerplate(void *ctx, int view, uint64_t h)
{
    const retold_batch *b = ctx;
    return cms_get(b->cms, view, h) > b->df_limit;
}

/* ---------------------------------------------------------------------- */
/* pass 1: read + sketch                                                   */

typedef struct job {
    size_t doc;
    size_t off, len;          /* text in the worker's buffer */
    size_t lang_off, lang_len;/* language tag in the worker's buffer */
} job;

typedef struct shared {
    retold_batch *b;
    pthread_mutex_t lock;
    int side;                 /* reader being read */
    int done;
    int rc;
    int pass;                 /* 1: sketch, 2: exact sets */
    /* pass 2 */
    const uint8_t *need;
    struct wanted want[2];
    uint32_t **sets;          /* per doc: [count, fingerprints...] per view */
} shared;

typedef struct worker {
    shared *sh;
    retold_sketcher *sk;
    arena text;
    job *jobs;
    size_t njobs, capjobs;
    uint32_t *sig;            /* CHUNK_DOCS * k */
    uint64_t *bands;
    uint32_t *distinct;
    char *lang;
    uint64_t *fingerprint;
    uint8_t *empty;
    uint32_t **sets;          /* pass 2 results */
    uint64_t *fpbuf;          /* pass 2 fingerprint sets (retold__fp_sets) */
    size_t fpcap;
    uint64_t tokens, bytes, invalid;
    int rc;
} worker;

/* Commit the worker's finished chunk into the shared arrays (under lock). */
static void commit(worker *w)
{
    retold_batch *b = w->sh->b;
    size_t sw = b->sigw, bw = b->bandw;
    for (size_t i = 0; i < w->njobs && w->sh->pass != 0; i++) {
        size_t d = w->jobs[i].doc;
        if (w->sh->pass == 1) {
            memcpy(b->sig + d * sw, w->sig + i * sw, sw * sizeof *b->sig);
            memcpy(b->bands + d * bw, w->bands + i * bw, bw * sizeof *b->bands);
            memcpy(b->distinct + d * RETOLD_VIEW_COUNT, w->distinct + i * RETOLD_VIEW_COUNT,
                   RETOLD_VIEW_COUNT * sizeof *b->distinct);
            memcpy(b->lang + d * RETOLD_LANG_LEN, w->lang + i * RETOLD_LANG_LEN, RETOLD_LANG_LEN);
            b->fingerprint[d] = w->fingerprint[i];
            b->skip[d] = w->empty[i];
            b->st.empty_docs += w->empty[i];
        } else {
            w->sh->sets[d] = w->sets[i];
            w->sets[i] = NULL;
        }
    }
    w->njobs = 0;
    if (w->sh->pass == 1) {
        b->st.tokens += w->tokens;
        b->st.invalid_utf8 += w->invalid;
        b->st.bytes += w->bytes;
    }
    w->tokens = w->invalid = w->bytes = 0;
}

static int add_job(worker *w, size_t doc, const char *text, size_t len,
                   const char *lang, size_t lang_len)
{
    if (w->njobs == w->capjobs) {
        size_t cap = w->capjobs ? w->capjobs * 2 : 64;
        job *j = realloc(w->jobs, cap * sizeof *j);
        if (!j) return RETOLD_NOMEM;
        w->jobs = j;
        w->capjobs = cap;
    }
    job *j = &w->jobs[w->njobs++];
    j->doc = doc;
    j->off = w->text.len;
    j->len = len;
    int rc = arena_put(&w->text, text, len);
    j->lang_off = w->text.len;
    j->lang_len = lang ? lang_len : 0;
    if (rc == RETOLD_OK && lang) rc = arena_put(&w->text, lang, lang_len);
    return rc;
}

/* Read the next chunk (under lock).  Returns RETOLD_OK (possibly with no
 * jobs: end of input) or an error. */
static int read_chunk(worker *w)
{
    shared *sh = w->sh;
    retold_batch *b = sh->b;
    w->text.len = 0;
    while (!sh->done && w->njobs < CHUNK_DOCS && w->text.len < CHUNK_BYTES) {
        retold_record rec;
        int rc = retold_reader_next(b->rd[sh->side], &rec);
        if (rc == RETOLD_EOF) {
            if (sh->side == 0 && b->rd[1]) { sh->side = 1; continue; }
            sh->done = 1;
            break;
        }
        if (rc != RETOLD_OK) {
            set_err(b, rc, "%s", retold_reader_errmsg(b->rd[sh->side]));
            return rc;
        }
        if (sh->pass == 0) {                         /* document frequencies */
            if ((rc = add_job(w, 0, rec.text, rec.text_len, rec.lang, rec.lang_len)) != RETOLD_OK) return rc;
            b->df_docs++;
            continue;
        }
        if (sh->pass == 2) {
            /* the reader returns only needed documents, in input order */
            size_t d = sh->want[sh->side].doc[sh->want[sh->side].next++];
            size_t len;
            const char *id = d < b->n ? retold_batch_id(b, d, &len) : NULL;
            if (!id || len != rec.id_len || memcmp(id, rec.id, len) != 0)
                return set_err(b, RETOLD_IO, "%s: input changed while it was being read (record %llu)",
                               rec.path, (unsigned long long)rec.index + 1);
            if ((rc = add_job(w, d, rec.text, rec.text_len, rec.lang, rec.lang_len)) != RETOLD_OK) return rc;
            continue;
        }
        if ((rc = grow_docs(b)) != RETOLD_OK) return rc;
        size_t d = b->n;
        if (d >= UINT32_MAX - 1) return set_err(b, RETOLD_TOOBIG, "more than 2^32 - 2 documents");
        b->id_off[d] = b->ids.len;
        if ((rc = arena_put(&b->ids, rec.id, rec.id_len)) != RETOLD_OK) return rc;
        b->id_off[d + 1] = b->ids.len;
        b->side[d] = (uint8_t)sh->side;
        b->place[d] = ((uint64_t)rec.file_no << 40) | (rec.line & ((1ULL << 40) - 1));
        b->offset[d] = rec.offset;
        b->meta_off[d] = b->meta.len;
        if ((rc = meta_put(&b->meta, rec.source, rec.source_len)) != RETOLD_OK ||
            (rc = meta_put(&b->meta, rec.date, rec.date_len)) != RETOLD_OK ||
            (rc = meta_put(&b->meta, rec.lang, rec.lang_len)) != RETOLD_OK) return rc;
        long dup = id_insert(b, d);
        if (dup == -2) return RETOLD_NOMEM;
        if (dup >= 0) {
            char at[32] = "";
            if (rec.line) snprintf(at, sizeof at, ":%llu", (unsigned long long)rec.line);
            return set_err(b, RETOLD_DUPID, "%s%s: duplicate id \"%.*s\" (also document %ld of this input)",
                           rec.path, at, (int)(rec.id_len > 200 ? 200 : rec.id_len), rec.id, dup + 1);
        }
        b->n++;
        b->st.docs++;
        if ((rc = add_job(w, d, rec.text, rec.text_len, rec.lang, rec.lang_len)) != RETOLD_OK) return rc;
    }
    return RETOLD_OK;
}

static int sketch_chunk(worker *w)
{
    retold_batch *b = w->sh->b;
    size_t sw = b->sigw, bw = b->bandw;
    for (size_t i = 0; i < w->njobs; i++) {
        const char *text = w->text.data + w->jobs[i].off;
        size_t len = w->jobs[i].len;
        retold_sketch_info info;
        uint32_t *sig = w->sig + i * sw;
        int rc = retold_sketch_lang(w->sk, text, len, w->text.data + w->jobs[i].lang_off,
                                    w->jobs[i].lang_len, sig, &info);
        if (rc != RETOLD_OK) return rc;
        w->tokens += info.tokens;
        w->invalid += info.invalid;
        w->bytes += len;
        if (w->sh->pass == 0) {
            for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
                const uint64_t *h;
                size_t n;
                if (retold_sketcher_view_shingles(w->sk, v, &h, &n) != RETOLD_OK) continue;
                for (size_t q = 0; q < n; q++) cms_add(b->cms, v, h[q]);
            }
        } else if (w->sh->pass == 1) {
            for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
                size_t vs = info.view_shingles[v];
                w->distinct[i * RETOLD_VIEW_COUNT + v] = (uint32_t)(vs > UINT32_MAX ? UINT32_MAX : vs);
                int slot = retold_params_slot(&b->p, v);
                if (slot < 0) continue;
                uint64_t *bh = w->bands + i * bw + b->band_off[v];
                if (info.view_signed[v] == 0) {
                    /* an empty signature agrees with every other empty one:
                     * give it band hashes of its own so it matches nothing */
                    for (unsigned j = 0; j < b->p.view_bands[v]; j++)
                        bh[j] = XXH3_64bits_withSeed(&w->jobs[i].doc, sizeof w->jobs[i].doc,
                                                     0x454d505459ULL + j + ((uint64_t)v << 32));
                    continue;
                }
                retold_lsh_band_hashes(sig + (size_t)slot * b->p.perms, b->p.view_bands[v],
                                       b->p.view_rows[v], b->p.seed + (uint64_t)v, bh);
            }
            memcpy(w->lang + i * RETOLD_LANG_LEN, info.lang, RETOLD_LANG_LEN);
            w->empty[i] = info.shingles == 0;
            w->fingerprint[i] = info.fingerprint;
        } else {
            /* all views' sets as sorted 32-bit fingerprints, [count, fp...]
             * per view: half the memory of the 64-bit hashes.  fp keeps bit
             * 0 (the cross view's key bit) and the high 31 bits of the hash;
             * two different shingles of a pair agree by chance with
             * probability 2^-31 each (a 700 x 700 pair: 2e-4 expected false
             * shared shingles, i.e. J off by < 0.002 once in 5,000 pairs). */
            retold__sets fs;
            int rc2 = retold__fp_sets(&b->p, w->sk, &w->fpbuf, &w->fpcap, &fs);
            if (rc2 != RETOLD_OK) return rc2;
            size_t total = 0;
            for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
                if (b->p.views & (1u << v)) total += fs.n[v] + 1;
            uint32_t *set = malloc((total ? total : 1) * sizeof *set), *q = set;
            if (!set) return RETOLD_NOMEM;
            for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
                if (!(b->p.views & (1u << v))) continue;
                *q++ = (uint32_t)fs.n[v];
                for (size_t x = 0; x < fs.n[v]; x++) *q++ = (uint32_t)fs.h[v][x];
            }
            w->sets[i] = set;
        }
    }
    return RETOLD_OK;
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        commit(w);
        int rc = sh->rc;
        if (rc == RETOLD_OK && !sh->done) {
            rc = read_chunk(w);
            if (rc != RETOLD_OK) sh->rc = rc;
        }
        int stop = rc != RETOLD_OK || (w->njobs == 0 && sh->done);
        pthread_mutex_unlock(&sh->lock);
        if (stop) break;
        rc = sketch_chunk(w);
        if (rc != RETOLD_OK) {
            pthread_mutex_lock(&sh->lock);
            if (sh->rc == RETOLD_OK) {
                sh->rc = rc;
                set_err(sh->b, rc, "sketching: %s", retold_strerror(rc));
            }
            pthread_mutex_unlock(&sh->lock);
            break;
        }
    }
    return NULL;
}

static int run_workers(retold_batch *b, shared *sh)
{
    unsigned nt = b->o.threads;
    size_t sw = b->sigw, bw = b->bandw;
    worker *ws = calloc(nt, sizeof *ws);
    pthread_t *tid = calloc(nt, sizeof *tid);
    int rc = RETOLD_NOMEM;
    unsigned started = 0;
    if (!ws || !tid) goto out;
    for (unsigned i = 0; i < nt; i++) {
        worker *w = &ws[i];
        w->sh = sh;
        w->sk = retold_sketcher_new(&b->p);
        if (w->sk && sh->pass == 1 && b->cms) retold_sketcher_set_filter(w->sk, boilerplate, b);
        if (w->sk && sh->pass != 1) retold_sketcher_set_sets_only(w->sk, 1);   /* passes 0 and 2: shingles only */
        w->sig = malloc((size_t)CHUNK_DOCS * sw * sizeof *w->sig);
        w->bands = malloc((size_t)CHUNK_DOCS * bw * sizeof *w->bands);
        w->distinct = malloc(CHUNK_DOCS * RETOLD_VIEW_COUNT * sizeof *w->distinct);
        w->lang = malloc(CHUNK_DOCS * RETOLD_LANG_LEN);
        w->fingerprint = malloc(CHUNK_DOCS * sizeof *w->fingerprint);
        w->empty = malloc(CHUNK_DOCS);
        w->sets = calloc(CHUNK_DOCS, sizeof *w->sets);
        if (!w->sk || !w->sig || !w->bands || !w->distinct || !w->lang || !w->fingerprint || !w->empty || !w->sets) goto out;
    }
    pthread_mutex_init(&sh->lock, NULL);
    if (nt == 1) {
        work(&ws[0]);
    } else {
        for (started = 0; started < nt; started++)
            if (pthread_create(&tid[started], NULL, work, &ws[started]) != 0) {
                pthread_mutex_lock(&sh->lock);
                if (sh->rc == RETOLD_OK && started == 0) sh->rc = set_err(b, RETOLD_NOMEM, "cannot start threads");
                pthread_mutex_unlock(&sh->lock);
                break;
            }
        for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
    }
    pthread_mutex_destroy(&sh->lock);
    rc = sh->rc;
out:
    if (rc == RETOLD_NOMEM && !b->err[0]) set_err(b, rc, "out of memory");
    for (unsigned i = 0; ws && i < nt; i++) {
        worker *w = &ws[i];
        retold_sketcher_free(w->sk);
        free(w->text.data);
        free(w->jobs);
        free(w->sig);
        free(w->bands);
        free(w->distinct);
        free(w->lang);
        free(w->fingerprint);
        free(w->fpbuf);
        free(w->empty);
        if (w->sets)
            for (size_t j = 0; j < CHUNK_DOCS; j++) free(w->sets[j]);
        free(w->sets);
    }
    free(ws);
    free(tid);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* verify + cluster                                                        */

static uint32_t find_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static int cluster(retold_batch *b)
{
    uint32_t *parent = malloc((b->n ? b->n : 1) * sizeof *parent);
    if (!parent) return RETOLD_NOMEM;
    for (size_t i = 0; i < b->n; i++) parent[i] = (uint32_t)i;
    for (size_t i = 0; i < b->npairs; i++) {
        if (b->pairs[i].relation == RETOLD_REL_RELATED) continue;   /* same event, other text */
        uint32_t x = find_root(parent, b->pairs[i].a), y = find_root(parent, b->pairs[i].b);
        if (x == y) continue;
        if (x < y) parent[y] = x;        /* the smaller index is the root */
        else parent[x] = y;
    }
    uint8_t *has = calloc(b->n ? b->n : 1, 1);
    if (!has) { free(parent); return RETOLD_NOMEM; }
    for (size_t i = 0; i < b->n; i++) {
        parent[i] = find_root(parent, (uint32_t)i);
        if (parent[i] != i) {
            b->st.clustered_docs++;
            if (!has[parent[i]]) { has[parent[i]] = 1; b->st.clusters++; }
        }
    }
    b->st.clustered_docs += b->st.clusters;
    free(has);
    b->cluster = parent;
    return RETOLD_OK;
}

/* A document's pass-2 record ([count, fingerprints...] per view present,
 * in view order) as sets for retold__similarity, in place. */
static void record_sets(const retold_batch *b, const uint32_t *rec, retold__sets *s)
{
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        s->h[v] = NULL;
        s->h32[v] = NULL;
        s->n[v] = 0;
        if (!(b->p.views & (1u << v))) continue;
        s->n[v] = rec[0];
        s->h32[v] = rec + 1;
        rec += 1 + rec[0];
    }
}

/* Keep each document's top_k pairs by (relation, score); with a reference
 * only the input side chooses. */
typedef struct rank_item { uint32_t doc; int relation; float score; uint32_t pair; } rank_item;

static int cmp_rank(const void *x, const void *y)
{
    const rank_item *a = x, *c = y;
    if (a->doc != c->doc) return a->doc < c->doc ? -1 : 1;
    if (a->relation != c->relation) return a->relation > c->relation ? -1 : 1;
    if (a->score != c->score) return a->score > c->score ? -1 : 1;
    return a->pair < c->pair ? -1 : a->pair > c->pair;
}

static int keep_top(retold_batch *b, unsigned k, int against)
{
    rank_item *it = malloc((2 * b->npairs + 1) * sizeof *it);
    uint8_t *keep = calloc(b->npairs + 1, 1);
    if (!it || !keep) { free(it); free(keep); return RETOLD_NOMEM; }
    size_t m = 0;
    for (size_t i = 0; i < b->npairs; i++) {
        const retold_pair *p = &b->pairs[i];
        it[m++] = (rank_item){ p->a, p->relation, p->score, (uint32_t)i };
        if (!against) it[m++] = (rank_item){ p->b, p->relation, p->score, (uint32_t)i };
    }
    qsort(it, m, sizeof *it, cmp_rank);
    for (size_t i = 0, rank = 0; i < m; i++) {
        rank = (i > 0 && it[i].doc == it[i - 1].doc) ? rank + 1 : 0;
        if (rank < k) keep[it[i].pair] = 1;
    }
    size_t w = 0;
    for (size_t i = 0; i < b->npairs; i++)
        if (keep[i]) b->pairs[w++] = b->pairs[i];
    b->npairs = w;
    free(it);
    free(keep);
    return RETOLD_OK;
}

int retold_batch_run(retold_batch *b, const char *const *inputs, size_t n,
                     const char *const *refs, size_t nref)
{
    int rc;
    if (b->err[0]) return RETOLD_INVAL;
    if ((rc = retold_reader_open(&b->rd[0], inputs, n, &b->o.reader)) != RETOLD_OK) return set_err(b, rc, "out of memory");
    if (nref && (rc = retold_reader_open(&b->rd[1], refs, nref, &b->o.reader)) != RETOLD_OK) return set_err(b, rc, "out of memory");

    shared sh;
    double t0 = now();
    if (b->o.max_df > 0) {
        /* pass 0: document frequencies of every view's shingles */
        b->cms = calloc((size_t)CMS_DEPTH << CMS_BITS, sizeof *b->cms);
        if (!b->cms) return set_err(b, RETOLD_NOMEM, "boilerplate control: out of memory (64 MiB)");
        memset(&sh, 0, sizeof sh);
        sh.b = b;
        sh.pass = 0;
        if ((rc = run_workers(b, &sh)) != RETOLD_OK) return rc;
        double limit = b->o.max_df >= 1.0 ? b->o.max_df : b->o.max_df * (double)b->df_docs;
        b->df_limit = limit < 1.0 ? 1 : (uint64_t)limit;
        b->st.boilerplate_limit = b->df_limit;
        retold_reader_rewind(b->rd[0]);
        if (b->rd[1]) retold_reader_rewind(b->rd[1]);
        b->st.sec_df = now() - t0;
        t0 = now();
    }

    /* pass 1 */
    memset(&sh, 0, sizeof sh);
    sh.b = b;
    sh.pass = 1;
    if ((rc = run_workers(b, &sh)) != RETOLD_OK) return rc;
    b->st.skipped = retold_reader_skipped(b->rd[0]) + (b->rd[1] ? retold_reader_skipped(b->rd[1]) : 0);
    b->st.skipped_binary = retold_reader_skipped_binary(b->rd[0]) + (b->rd[1] ? retold_reader_skipped_binary(b->rd[1]) : 0);
    while (b->n0 < b->n && b->side[b->n0] == 0) b->n0++;
    double t1 = now();
    b->st.sec_sketch = t1 - t0;

    /* LSH: candidates of every view, merged */
    uint64_t *cand = NULL;
    size_t ncand = 0;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        if (!(b->p.views & (1u << v))) continue;
        uint64_t *c;
        size_t nc;
        /* low-threshold views: at least RETOLD__LOW_MIN_BANDS agreeing bands, and
         * no bucket larger than LOW_MAX_BUCKET (see lsh.h) */
        int low = v != RETOLD_VIEW_SURFACE;
        rc = retold_lsh_candidates_ex(b->bands + b->band_off[v], b->n, b->p.view_bands[v], b->bandw,
                                      b->skip, nref ? b->side : NULL, low ? RETOLD__LOW_MIN_BANDS : 1,
                                      low ? retold__low_max_bucket(b->n) : 0, &b->st.skipped_buckets, &c, &nc);
        if (rc != RETOLD_OK) { free(cand); return set_err(b, rc, "finding candidates: %s", retold_strerror(rc)); }
        if (!cand) { cand = c; ncand = nc; continue; }
        uint64_t *all = realloc(cand, (ncand + nc + 1) * sizeof *all), *tmp = NULL;
        if (all) { cand = all; tmp = malloc((ncand + nc + 1) * sizeof *tmp); }
        if (!all || !tmp) { free(c); free(cand); free(tmp); return set_err(b, RETOLD_NOMEM, "finding candidates: out of memory"); }
        memcpy(cand + ncand, c, nc * sizeof *c);
        free(c);
        ncand += nc;
        retold__radix_u64(cand, tmp, ncand);
        free(tmp);
        size_t u = ncand ? 1 : 0;
        for (size_t i = 1; i < ncand; i++)
            if (cand[i] != cand[u - 1]) cand[u++] = cand[i];
        ncand = u;
    }
    b->st.candidates = ncand;
    double t2 = now();
    b->st.sec_lsh = t2 - t1;

    /* verify: decide from the surface estimate; every view needs exact sets */
    unsigned k = b->p.perms;
    size_t sw = b->sigw;
    uint8_t *decide = malloc(ncand ? ncand : 1);
    float *est = malloc((ncand ? ncand : 1) * sizeof *est);
    uint8_t *need = NULL;
    uint32_t **sets = NULL;
    if (!decide || !est) { rc = RETOLD_NOMEM; goto out; }
    size_t nexact = 0, nkeep = 0;
    for (size_t i = 0; i < ncand; i++) {
        size_t x = (size_t)(cand[i] >> 32), y = (size_t)(uint32_t)cand[i];
        double e = retold_minhash_jaccard(b->sig + x * sw, b->sig + y * sw, k);
        est[i] = (float)e;
        int d = retold__verify_decide(&b->p, b->o.verify, e, b->distinct[x * RETOLD_VIEW_COUNT],
                                      b->distinct[y * RETOLD_VIEW_COUNT]);
        decide[i] = (uint8_t)d;
        nexact += d == RETOLD__EXACT;
        nkeep += d != RETOLD__DROP;
    }
    b->st.verified_exact = nexact;

    /* exact sets for the documents that need them: a second pass */
    if (nexact) {
        need = calloc(b->n, 1);
        sets = calloc(b->n, sizeof *sets);
        if (!need || !sets) { rc = RETOLD_NOMEM; goto out; }
        for (size_t i = 0; i < ncand; i++)
            if (decide[i] == RETOLD__EXACT) {
                need[cand[i] >> 32] = 1;
                need[(uint32_t)cand[i]] = 1;
            }
        memset(&sh, 0, sizeof sh);
        for (int side = 0; side < 2; side++) {
            struct wanted *wt = &sh.want[side];
            size_t first = side ? b->n0 : 0, last = side ? b->n : b->n0, m = 0;
            for (size_t d = first; d < last; d++) m += need[d];
            wt->place = malloc((m ? m : 1) * sizeof *wt->place);
            wt->offset = malloc((m ? m : 1) * sizeof *wt->offset);
            wt->doc = malloc((m ? m : 1) * sizeof *wt->doc);
            if (!wt->place || !wt->offset || !wt->doc) { rc = RETOLD_NOMEM; goto out_want; }
            for (size_t d = first; d < last; d++)
                if (need[d]) {
                    wt->place[wt->n] = b->place[d];
                    wt->offset[wt->n] = b->offset[d];
                    wt->doc[wt->n++] = (uint32_t)d;
                }
            if (b->rd[side]) {
                retold_reader_rewind(b->rd[side]);
                retold_reader_set_filter(b->rd[side], wanted_place, wt);
                retold_reader_set_next(b->rd[side], wanted_next);
            }
        }
        sh.b = b;
        sh.pass = 2;
        sh.need = need;
        sh.sets = sets;
        rc = run_workers(b, &sh);
        for (int side = 0; side < 2; side++)
            if (b->rd[side]) {
                retold_reader_set_filter(b->rd[side], NULL, NULL);
                retold_reader_set_next(b->rd[side], NULL);
            }
        if (rc == RETOLD_OK)
            for (int side = 0; side < 2; side++)
                if (sh.want[side].next != sh.want[side].n)
                    rc = set_err(b, RETOLD_IO, "input changed while it was being read (%zu of %zu documents found again)",
                                 sh.want[side].next, sh.want[side].n);
out_want:
        for (int side = 0; side < 2; side++) {
            free(sh.want[side].place);
            free(sh.want[side].offset);
            free(sh.want[side].doc);
        }
        if (rc != RETOLD_OK) goto out;
    }
    b->pairs = malloc((nkeep ? nkeep : 1) * sizeof *b->pairs);
    if (!b->pairs) { rc = RETOLD_NOMEM; goto out; }
    for (size_t i = 0; i < ncand; i++) {
        if (decide[i] == RETOLD__DROP) continue;
        uint32_t x = (uint32_t)(cand[i] >> 32), y = (uint32_t)cand[i];
        retold_pair pr;
        memset(&pr, 0, sizeof pr);
        pr.a = x;
        pr.b = y;
        retold__doc dx = { .lang = b->lang + (size_t)x * RETOLD_LANG_LEN, .fingerprint = b->fingerprint[x],
                           .distinct = b->distinct[(size_t)x * RETOLD_VIEW_COUNT] };
        retold__doc dy = { .lang = b->lang + (size_t)y * RETOLD_LANG_LEN, .fingerprint = b->fingerprint[y],
                           .distinct = b->distinct[(size_t)y * RETOLD_VIEW_COUNT] };
        if (decide[i] == RETOLD__EXACT) {
            record_sets(b, sets[x], &dx.sets);
            record_sets(b, sets[y], &dy.sets);
        }
        if (!retold__verify_pair(&b->p, decide[i], est[i], &dx, &dy, &pr)) continue;
        if (b->o.relations && !(b->o.relations & (1u << pr.relation))) continue;
        b->pairs[b->npairs++] = pr;
    }
    if (b->o.top_k && (rc = keep_top(b, b->o.top_k, nref > 0)) != RETOLD_OK) goto out;
    b->st.pairs = b->npairs;
    rc = RETOLD_OK;
out:
    if (sets) {
        for (size_t i = 0; i < b->n; i++) free(sets[i]);
        free(sets);
    }
    free(decide);
    free(est);
    free(need);
    free(cand);

    if (rc != RETOLD_OK) {
        if (!b->err[0]) set_err(b, rc, "%s", retold_strerror(rc));
        return rc;
    }
    double t3 = now();
    b->st.sec_verify = t3 - t2;
    rc = cluster(b);
    if (rc != RETOLD_OK) return set_err(b, rc, "clustering: out of memory");
    b->st.sec_cluster = now() - t3;
    return RETOLD_OK;
}

int retold_batch_reread(retold_batch *b, int side, retold_record_fn fn, void *ctx)
{
    retold_reader *r = b->rd[side];
    if (!r) return RETOLD_OK;
    int rc = retold_reader_rewind(r);
    if (rc != RETOLD_OK) return rc;
    size_t base = side == 1 ? b->n0 : 0;
    for (;;) {
        retold_record rec;
        rc = retold_reader_next(r, &rec);
        if (rc == RETOLD_EOF) return RETOLD_OK;
        if (rc != RETOLD_OK) return set_err(b, rc, "%s", retold_reader_errmsg(r));
        size_t d = base + rec.index;
        size_t len;
        const char *id = d < b->n ? retold_batch_id(b, d, &len) : NULL;
        if (!id || len != rec.id_len || memcmp(id, rec.id, len) != 0)
            return set_err(b, RETOLD_IO, "%s: input changed while it was being read", rec.path);
        int r2 = fn(ctx, &rec, d);
        if (r2) return r2;
    }
}
