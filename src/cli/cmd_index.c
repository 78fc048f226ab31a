/* cmd_index.c - `retold index ...`: a standing on-disk index, a thin client
 * of retold/index.h (create, add, query, remove, forget, stats, check). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
"Usage: retold index COMMAND DIR [options] ...\n"
"A standing index of documents on disk (LMDB): add articles as they arrive\n"
"and query each new one against everything stored.\n"
"  create DIR [signature options]   a new, empty index\n"
"  add DIR INPUT...                 sketch and store documents\n"
"      --replace | --skip-existing  when an id is already stored (default: error)\n"
"  query DIR INPUT...               each document's matches, best first\n"
"      --top K, --relation LIST, --verify MODE, --include-self,\n"
"      -f tsv|jsonl, --add (store each document after its query)\n"
"  remove DIR ID...                 remove documents by id\n"
"  forget DIR --before DATE         remove documents dated before DATE\n"
"  stats DIR [-f text|json]         documents, sources, dates, size, parameters\n"
"  check DIR [--deep]               verify structure and checksums\n"
"Signature options (create; elsewhere they must match the index):\n"
"  -t, --threshold T  -n, --ngram N  --char-ngram N  -k, --perms K  --seed S\n"
"  --bands B --rows R  --views LIST  --explain-params\n"
"Writing: --batch N (documents per transaction, default 10000), -j N (threads),\n"
"  --nosync (bulk loads: no fsync per commit; a killed process loses nothing\n"
"  committed, an OS crash may lose the last commits), --progress (a line on\n"
"  stderr after each commit).\n"
"Input: --id-field F --text-field F --source-field F --date-field F\n"
"  --lang-field F --input-format auto|jsonl|text --skip-bad --max-doc-size N\n"
"Output: -o FILE, -q (no summary).  Exit status: 0 ok, 1 usage, 2 input or\n"
"index error (missing, corrupt, incompatible, id exists), 3 other failure.\n";

enum {
    O_SEED = 300, O_BANDS, O_ROWS, O_CHAR, O_VIEWS, O_EXPLAIN, O_ID_FIELD, O_TEXT_FIELD,
    O_SOURCE_FIELD, O_DATE_FIELD, O_LANG_FIELD, O_INPUT_FORMAT, O_SKIP_BAD, O_MAX_DOC,
    O_REPLACE, O_SKIP_EXISTING, O_BATCH, O_NOSYNC, O_PROGRESS, O_TOP, O_RELATION, O_VERIFY,
    O_INCLUDE_SELF, O_ADD, O_BEFORE, O_DEEP
};

static const struct option long_opts[] = {
    { "threshold", required_argument, 0, 't' }, { "ngram", required_argument, 0, 'n' },
    { "perms", required_argument, 0, 'k' }, { "seed", required_argument, 0, O_SEED },
    { "bands", required_argument, 0, O_BANDS }, { "rows", required_argument, 0, O_ROWS },
    { "char-ngram", required_argument, 0, O_CHAR }, { "views", required_argument, 0, O_VIEWS },
    { "explain-params", no_argument, 0, O_EXPLAIN },
    { "id-field", required_argument, 0, O_ID_FIELD }, { "text-field", required_argument, 0, O_TEXT_FIELD },
    { "source-field", required_argument, 0, O_SOURCE_FIELD }, { "date-field", required_argument, 0, O_DATE_FIELD },
    { "lang-field", required_argument, 0, O_LANG_FIELD }, { "input-format", required_argument, 0, O_INPUT_FORMAT },
    { "skip-bad", no_argument, 0, O_SKIP_BAD }, { "max-doc-size", required_argument, 0, O_MAX_DOC },
    { "replace", no_argument, 0, O_REPLACE }, { "skip-existing", no_argument, 0, O_SKIP_EXISTING },
    { "batch", required_argument, 0, O_BATCH }, { "nosync", no_argument, 0, O_NOSYNC },
    { "progress", no_argument, 0, O_PROGRESS }, { "threads", required_argument, 0, 'j' },
    { "top", required_argument, 0, O_TOP }, { "relation", required_argument, 0, O_RELATION },
    { "verify", required_argument, 0, O_VERIFY }, { "include-self", no_argument, 0, O_INCLUDE_SELF },
    { "add", no_argument, 0, O_ADD }, { "before", required_argument, 0, O_BEFORE },
    { "deep", no_argument, 0, O_DEEP }, { "format", required_argument, 0, 'f' },
    { "output", required_argument, 0, 'o' }, { "quiet", no_argument, 0, 'q' },
    { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 }
};

typedef struct ix_cli {
    const char *cmd;              /* "add", "query", ... */
    retold_params params;
    unsigned given;               /* RETOLD_PARAM_* set on the command line */
    int explain;
    retold_reader_opts reader;
    retold_index_opts io;
    retold_index_query_opts q;
    int on_exists, progress, quiet, deep;
    const char *format, *output, *before;
    const char *dir;
    char **args;                  /* after DIR */
    int nargs;
    /* run state */
    FILE *out;
    int jsonl;
    const retold_record *queries;  /* the chunk being queried */
    uint64_t read, matches;
    double t0;
} ix_cli;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bad_usage(const ix_cli *c, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s index %s: ", cli_prog, c->cmd ? c->cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s index --help'.\n", cli_prog);
    return EXIT_USAGE;
}

/* Exit code for a library status. */
static int exit_for(int rc)
{
    switch (rc) {
    case RETOLD_OK: return EXIT_OK;
    case RETOLD_INVAL: return EXIT_USAGE;
    case RETOLD_NOMEM: case RETOLD_NOSPACE: case RETOLD_IO: case RETOLD_BUSY: return EXIT_FAILURE_INTERNAL;
    default: return EXIT_INPUT;
    }
}

static int parse(ix_cli *c, int argc, char **argv)
{
    unsigned long long v;
    int ch;
    retold_params_default(&c->params);
    retold_reader_opts_default(&c->reader);
    retold_index_opts_default(&c->io);
    retold_index_query_opts_default(&c->q);
    c->io.batch_docs = 10000;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":t:n:k:j:f:o:qh", long_opts, NULL)) != -1) {
        switch (ch) {
        case 't': {
            char *end;
            errno = 0;
            double t = strtod(optarg, &end);
            if (errno || *end || !(t > 0 && t <= 1)) return bad_usage(c, "--threshold must be a number in (0, 1], not '%s'", optarg);
            c->params.threshold = t;
            c->given |= RETOLD_PARAM_THRESHOLD;
            break;
        }
        case 'n':
            if (cli_parse_uint(optarg, RETOLD_NGRAM_MAX, &v, 0) || !v) return bad_usage(c, "--ngram must be 1..64, not '%s'", optarg);
            c->params.ngram = (unsigned)v; c->given |= RETOLD_PARAM_NGRAM; break;
        case 'k':
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || !v) return bad_usage(c, "--perms must be 1..1024, not '%s'", optarg);
            c->params.perms = (unsigned)v; c->given |= RETOLD_PARAM_PERMS; break;
        case O_SEED:
            if (cli_parse_uint(optarg, UINT64_MAX, &v, 0)) return bad_usage(c, "--seed must be a non-negative integer, not '%s'", optarg);
            c->params.seed = v; c->given |= RETOLD_PARAM_SEED; break;
        case O_BANDS:
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || !v) return bad_usage(c, "--bands must be 1..1024, not '%s'", optarg);
            c->params.bands = (unsigned)v; c->given |= RETOLD_PARAM_BANDS; break;
        case O_ROWS:
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || !v) return bad_usage(c, "--rows must be 1..1024, not '%s'", optarg);
            c->params.rows = (unsigned)v; c->given |= RETOLD_PARAM_BANDS; break;
        case O_CHAR:
            if (cli_parse_uint(optarg, 256, &v, 0) || !v) return bad_usage(c, "--char-ngram must be 1..256, not '%s'", optarg);
            c->params.char_ngram = (unsigned)v; c->given |= RETOLD_PARAM_CHAR_NGRAM; break;
        case O_VIEWS:
            if (cli_parse_views(optarg, &c->params.views)) return bad_usage(c, "--views takes surface, rewrite, cross or all, not '%s'", optarg);
            c->given |= RETOLD_PARAM_VIEWS;
            break;
        case O_EXPLAIN: c->explain = 1; break;
        case O_ID_FIELD: c->reader.id_field = optarg; break;
        case O_TEXT_FIELD: c->reader.text_field = optarg; break;
        case O_SOURCE_FIELD: c->reader.source_field = optarg; break;
        case O_DATE_FIELD: c->reader.date_field = optarg; break;
        case O_LANG_FIELD: c->reader.lang_field = optarg; break;
        case O_INPUT_FORMAT:
            if (!strcmp(optarg, "auto")) c->reader.format = RETOLD_INPUT_AUTO;
            else if (!strcmp(optarg, "jsonl")) c->reader.format = RETOLD_INPUT_JSONL;
            else if (!strcmp(optarg, "text")) c->reader.format = RETOLD_INPUT_TEXT;
            else return bad_usage(c, "--input-format takes auto, jsonl or text, not '%s'", optarg);
            break;
        case O_SKIP_BAD: c->reader.skip_bad = 1; break;
        case O_MAX_DOC:
            if (cli_parse_uint(optarg, (unsigned long long)UINT32_MAX - 1, &v, 1) || !v) return bad_usage(c, "--max-doc-size must be 1..4G, not '%s'", optarg);
            c->reader.max_doc_bytes = (size_t)v; break;
        case O_REPLACE: c->on_exists = RETOLD_INDEX_REPLACE; break;
        case O_SKIP_EXISTING: c->on_exists = RETOLD_INDEX_SKIP_EXISTING; break;
        case O_BATCH:
            if (cli_parse_uint(optarg, 100000000, &v, 1) || !v) return bad_usage(c, "--batch must be a positive number of documents, not '%s'", optarg);
            c->io.batch_docs = (size_t)v; break;
        case O_NOSYNC: c->io.flags |= RETOLD_INDEX_NOSYNC; break;
        case O_PROGRESS: c->progress = 1; break;
        case 'j':
            if (cli_parse_uint(optarg, 64, &v, 0) || !v) return bad_usage(c, "--threads must be 1..64, not '%s'", optarg);
            c->io.threads = (unsigned)v; break;
        case O_TOP:
            if (cli_parse_uint(optarg, 1000000, &v, 0) || !v) return bad_usage(c, "--top must be 1..1000000, not '%s'", optarg);
            c->q.top_k = (unsigned)v; break;
        case O_RELATION: {
            unsigned mask = 0;
            char *list = strdup(optarg), *save = NULL;
            if (!list) return EXIT_FAILURE_INTERNAL;
            for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                int rel = retold_relation_parse(w);
                if (rel <= 0) { free(list); return bad_usage(c, "unknown relation in --relation '%s'", optarg); }
                mask |= 1u << rel;
            }
            free(list);
            c->q.relations = mask;
            break;
        }
        case O_VERIFY:
            if (!strcmp(optarg, "auto")) c->q.verify = RETOLD_VERIFY_AUTO;
            else if (!strcmp(optarg, "exact")) c->q.verify = RETOLD_VERIFY_EXACT;
            else if (!strcmp(optarg, "estimate")) c->q.verify = RETOLD_VERIFY_ESTIMATE;
            else return bad_usage(c, "--verify takes auto, exact or estimate, not '%s'", optarg);
            break;
        case O_INCLUDE_SELF: c->q.include_self = 1; break;
        case O_ADD: c->q.add = 1; break;
        case O_BEFORE: c->before = optarg; break;
        case O_DEEP: c->deep = 1; break;
        case 'f': c->format = optarg; break;
        case 'o': c->output = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case ':': return bad_usage(c, "option '%s' needs a value", argv[optind - 1]);
        default: return bad_usage(c, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) return bad_usage(c, "%s", "no index directory given");
    c->dir = argv[optind];
    c->args = argv + optind + 1;
    c->nargs = argc - optind - 1;
    return -1;
}

static void on_commit(void *ctx, const retold_index_progress *p)
{
    ix_cli *c = ctx;
    if (c->progress)
        fprintf(stderr, "%s index %s: committed %llu documents (%llu added, %llu replaced, %llu skipped); %llu in the index\n",
                cli_prog, c->cmd, (unsigned long long)(p->added + p->replaced + p->skipped),
                (unsigned long long)p->added, (unsigned long long)p->replaced, (unsigned long long)p->skipped,
                (unsigned long long)p->docs);
}

/* Open the index for c (read-only unless writing) and check any parameters
 * the command line gave.  Returns -1 with *ix open, or an exit code. */
static int open_index(ix_cli *c, retold_index **ix, int write)
{
    if (!write) c->io.flags |= RETOLD_INDEX_READONLY;
    c->io.on_commit = on_commit;
    c->io.commit_ctx = c;
    int rc = retold_index_open(ix, c->dir, &c->io);
    if (rc == RETOLD_OK && c->given) rc = retold_index_check_params(*ix, &c->params, c->given);
    if (rc != RETOLD_OK) {
        fprintf(stderr, "%s index %s: %s\n", cli_prog, c->cmd, retold_index_errmsg(*ix));
        retold_index_close(*ix);
        *ix = NULL;
        return exit_for(rc);
    }
    return -1;
}

static void warn_cb(void *ctx, const char *msg)
{
    ix_cli *c = ctx;
    if (!c->quiet) fprintf(stderr, "%s: warning: %s\n", cli_prog, msg);
}

/* ---- reading chunks of records ---------------------------------------- */

#define CHUNK_DOCS  256
#define CHUNK_BYTES ((size_t)4 << 20)

typedef struct chunk {
    retold_record rec[CHUNK_DOCS];
    size_t n;
    char *data;
    size_t len, cap;
} chunk;

static int chunk_put(chunk *ch, const char *s, size_t n, size_t *off)
{
    if (ch->len + n + 1 > ch->cap) {
        size_t cap = ch->cap ? ch->cap : (size_t)1 << 20;
        while (cap < ch->len + n + 1) cap *= 2;
        char *d = realloc(ch->data, cap);
        if (!d) return -1;
        ch->data = d;
        ch->cap = cap;
    }
    *off = ch->len;
    if (n) memcpy(ch->data + ch->len, s, n);
    ch->len += n;
    ch->data[ch->len++] = 0;
    return 0;
}

/* Fill ch from r: RETOLD_OK (ch->n may be 0 at the end) or an error. */
static int chunk_fill(chunk *ch, retold_reader *r)
{
    size_t off[6];
    ch->n = 0;
    ch->len = 0;
    while (ch->n < CHUNK_DOCS && ch->len < CHUNK_BYTES) {
        retold_record rec;
        int rc = retold_reader_next(r, &rec);
        if (rc == RETOLD_EOF) break;
        if (rc != RETOLD_OK) return rc;
        const char *f[6] = { rec.id, rec.text, rec.source, rec.date, rec.lang, rec.path };
        size_t l[6] = { rec.id_len, rec.text_len, rec.source_len, rec.date_len, rec.lang_len, strlen(rec.path) };
        for (int i = 0; i < 6; i++)
            if (f[i] && chunk_put(ch, f[i], l[i], &off[i])) return RETOLD_NOMEM;
        retold_record *d = &ch->rec[ch->n++];
        *d = rec;
        d->raw = NULL;
        d->raw_len = 0;
        /* offsets for now; pointers once the chunk is full (data may move) */
        d->id = (const char *)(uintptr_t)off[0];
        d->text = (const char *)(uintptr_t)off[1];
        d->source = rec.source ? (const char *)(uintptr_t)off[2] : NULL;
        d->date = rec.date ? (const char *)(uintptr_t)off[3] : NULL;
        d->lang = rec.lang ? (const char *)(uintptr_t)off[4] : NULL;
        d->path = (const char *)(uintptr_t)off[5];
    }
    for (size_t i = 0; i < ch->n; i++) {
        retold_record *d = &ch->rec[i];
        d->id = ch->data + (uintptr_t)d->id;
        d->text = ch->data + (uintptr_t)d->text;
        if (d->source) d->source = ch->data + (uintptr_t)d->source;
        if (d->date) d->date = ch->data + (uintptr_t)d->date;
        if (d->lang) d->lang = ch->data + (uintptr_t)d->lang;
        d->path = ch->data + (uintptr_t)d->path;
    }
    return RETOLD_OK;
}

/* ---- output --------------------------------------------------------- */

static void put_score(FILE *f, float x)
{
    if (x < 0) fputs("null", f);
    else fprintf(f, "%.4f", x);
}

static int print_matches(void *ctx, size_t i, const retold_index_match *m, size_t n,
                         const retold_index_query_info *info)
{
    ix_cli *c = ctx;
    const retold_record *q = &c->queries[i];
    (void)info;
    FILE *f = c->out;
    for (size_t j = 0; j < n; j++) {
        const retold_index_match *x = &m[j];
        if (!c->jsonl) {
            cli_put_tsv(f, q->id, q->id_len); putc('\t', f);
            cli_put_tsv(f, x->id, x->id_len);
            fprintf(f, "\t%s\t%.4f\t%.4f\t%.4f\n", retold_relation_name(x->relation), x->score, x->jaccard, x->containment);
            continue;
        }
        fputs("{\"query\":", f); cli_put_json(f, q->id, q->id_len);
        fputs(",\"match\":", f); cli_put_json(f, x->id, x->id_len);
        fprintf(f, ",\"relation\":\"%s\",\"score\":%.4f,\"jaccard\":%.4f,\"containment\":%.4f",
                retold_relation_name(x->relation), x->score, x->jaccard, x->containment);
        fputs(",\"source\":", f); if (x->source) cli_put_json(f, x->source, x->source_len); else fputs("null", f);
        fputs(",\"date\":", f); if (x->date) cli_put_json(f, x->date, x->date_len); else fputs("null", f);
        fputs(",\"views\":{", f);
        int first = 1;
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            if (x->view_jaccard[v] < 0 && v != RETOLD_VIEW_SURFACE) continue;
            fprintf(f, "%s\"%s\":{\"jaccard\":", first ? "" : ",", retold_view_name(v));
            put_score(f, x->view_jaccard[v]);
            fputs(",\"containment\":", f);
            put_score(f, x->view_containment[v]);
            putc('}', f);
            first = 0;
        }
        fprintf(f, "},\"exact\":%s}\n", x->flags & RETOLD_PAIR_EXACT ? "true" : "false");
    }
    c->matches += n;
    return ferror(f) ? RETOLD_IO : 0;
}

/* ---- add / query ------------------------------------------------------ */

static int run_stream(ix_cli *c, int query)
{
    if (c->nargs < 1) return bad_usage(c, "%s", "no input given (a file, a directory, or - for standard input)");
    int write = !query || c->q.add;
    if (query && c->on_exists) c->q.on_exists = c->on_exists;
    c->jsonl = 0;
    if (query) {
        if (c->format && !strcmp(c->format, "jsonl")) c->jsonl = 1;
        else if (c->format && strcmp(c->format, "tsv")) return bad_usage(c, "--format takes tsv or jsonl, not '%s'", c->format);
    }
    retold_index *ix;
    int ec = open_index(c, &ix, write);
    if (ec >= 0) return ec;
    c->reader.warn = warn_cb;
    c->reader.warn_ctx = c;
    c->reader.spool_stdin = 0;
    retold_reader *r = NULL;
    chunk *ch = calloc(1, sizeof *ch);
    int rc = ch ? retold_reader_open(&r, (const char *const *)c->args, (size_t)c->nargs, &c->reader) : RETOLD_NOMEM;
    if (rc != RETOLD_OK) { retold_index_close(ix); free(ch); fprintf(stderr, "%s: out of memory\n", cli_prog); return EXIT_FAILURE_INTERNAL; }
    if (query) {
        c->out = cli_open_output(c->output);
        if (!c->out) { retold_reader_close(r); retold_index_close(ix); free(ch); return EXIT_FAILURE_INTERNAL; }
        if (!c->jsonl) fputs("query\tmatch\trelation\tscore\tjaccard\tcontainment\n", c->out);
    }
    c->t0 = now();
    const char *where = NULL;
    for (;;) {
        rc = chunk_fill(ch, r);
        if (rc != RETOLD_OK) { where = retold_reader_errmsg(r); break; }
        if (ch->n == 0) break;
        size_t done = 0;
        if (query) {
            c->queries = ch->rec;
            rc = retold_index_query_many(ix, ch->rec, ch->n, &c->q, print_matches, c, &done);
        } else {
            rc = retold_index_add_many(ix, ch->rec, ch->n, c->on_exists, NULL, &done);
        }
        c->read += done;
        if (rc != RETOLD_OK) break;
    }
    int commit_rc = RETOLD_OK;
    if (write && (rc == RETOLD_OK || rc == RETOLD_EXISTS || where)) {
        /* what was handled before an error is kept */
        char saved[1400];
        snprintf(saved, sizeof saved, "%s", retold_index_errmsg(ix));
        commit_rc = retold_index_commit(ix);
        if (commit_rc != RETOLD_OK) {
            fprintf(stderr, "%s index %s: %s\n", cli_prog, c->cmd, retold_index_errmsg(ix));
        }
        if (rc != RETOLD_OK && !where) fprintf(stderr, "%s index %s: %s\n", cli_prog, c->cmd, saved);
    } else if (rc != RETOLD_OK && !where) {
        fprintf(stderr, "%s index %s: %s\n", cli_prog, c->cmd, retold_index_errmsg(ix));
    }
    if (where) fprintf(stderr, "%s: %s\n", cli_prog, where);
    int out_rc = EXIT_OK;
    if (query) out_rc = cli_close_output(c->out, c->output);
    double sec = now() - c->t0;
    if (!c->quiet) {
        retold_index_progress p;
        memset(&p, 0, sizeof p);
        retold_index_stats st;
        uint64_t docs = retold_index_get_stats(ix, &st) == RETOLD_OK ? st.docs : 0;
        if (query)
            fprintf(stderr, "%s index query: %llu documents queried, %llu matches; %.2f s (%.0f docs/s)%s\n", cli_prog,
                    (unsigned long long)c->read, (unsigned long long)c->matches, sec, sec > 0 ? (double)c->read / sec : 0.0,
                    c->q.add ? "; each then added" : "");
        else
            fprintf(stderr, "%s index add: %llu documents read; %.2f s (%.0f docs/s); %llu in the index\n", cli_prog,
                    (unsigned long long)c->read, sec, sec > 0 ? (double)c->read / sec : 0.0, (unsigned long long)docs);
    }
    retold_reader_close(r);
    free(ch->data);
    free(ch);
    retold_index_close(ix);
    if (where) return EXIT_INPUT;
    if (rc > 0) return EXIT_FAILURE_INTERNAL;   /* output error from the callback */
    if (rc != RETOLD_OK) return exit_for(rc);
    if (commit_rc != RETOLD_OK) return exit_for(commit_rc);
    return out_rc;
}

/* ---- the other commands ------------------------------------------------ */

static int run_create(ix_cli *c)
{
    if (c->nargs) return bad_usage(c, "unexpected argument '%s'", c->args[0]);
    char msg[256];
    retold_params q = c->params;
    if (retold_params_resolve(&q, msg, sizeof msg) != RETOLD_OK) return bad_usage(c, "%s", msg);
    if (c->explain) cli_explain_params(stderr, &q);
    retold_index *ix;
    int rc = retold_index_create(&ix, c->dir, &q, &c->io);
    if (rc != RETOLD_OK) fprintf(stderr, "%s index create: %s\n", cli_prog, retold_index_errmsg(ix));
    else if (!c->quiet) fprintf(stderr, "%s index create: %s: empty index, %u bands x %u rows over %u permutations\n",
                                cli_prog, c->dir, q.bands, q.rows, q.perms);
    retold_index_close(ix);
    return rc == RETOLD_EXISTS ? EXIT_INPUT : exit_for(rc);
}

static int run_remove(ix_cli *c)
{
    if (c->nargs < 1) return bad_usage(c, "%s", "no id given");
    retold_index *ix;
    int ec = open_index(c, &ix, 1);
    if (ec >= 0) return ec;
    int rc = RETOLD_OK, missing = 0;
    unsigned long removed = 0;
    for (int i = 0; i < c->nargs && rc == RETOLD_OK; i++) {
        rc = retold_index_remove(ix, c->args[i], strlen(c->args[i]));
        if (rc == RETOLD_NOTFOUND) {
            fprintf(stderr, "%s index remove: %s\n", cli_prog, retold_index_errmsg(ix));
            missing++;
            rc = RETOLD_OK;
        } else if (rc == RETOLD_OK) {
            removed++;
        }
    }
    if (rc == RETOLD_OK) rc = retold_index_commit(ix);
    if (rc != RETOLD_OK) fprintf(stderr, "%s index remove: %s\n", cli_prog, retold_index_errmsg(ix));
    else if (!c->quiet) fprintf(stderr, "%s index remove: %lu removed, %d not found\n", cli_prog, removed, missing);
    retold_index_close(ix);
    if (rc != RETOLD_OK) return exit_for(rc);
    return missing ? EXIT_INPUT : EXIT_OK;
}

static int run_forget(ix_cli *c)
{
    if (!c->before) return bad_usage(c, "%s", "forget needs --before DATE");
    if (c->nargs) return bad_usage(c, "unexpected argument '%s'", c->args[0]);
    retold_index *ix;
    int ec = open_index(c, &ix, 1);
    if (ec >= 0) return ec;
    uint64_t n = 0;
    int rc = retold_index_forget(ix, c->before, strlen(c->before), &n);
    if (rc == RETOLD_OK) rc = retold_index_commit(ix);
    if (rc != RETOLD_OK) fprintf(stderr, "%s index forget: %s\n", cli_prog, retold_index_errmsg(ix));
    else if (!c->quiet) fprintf(stderr, "%s index forget: %llu documents dated before %s removed\n", cli_prog,
                                (unsigned long long)n, c->before);
    retold_index_close(ix);
    return exit_for(rc);
}

static void json_str(FILE *f, const char *s) { cli_put_json(f, s, strlen(s)); }

static int run_stats(ix_cli *c)
{
    if (c->nargs) return bad_usage(c, "unexpected argument '%s'", c->args[0]);
    int json = 0;
    if (c->format && !strcmp(c->format, "json")) json = 1;
    else if (c->format && strcmp(c->format, "text")) return bad_usage(c, "--format takes text or json, not '%s'", c->format);
    retold_index *ix;
    int ec = open_index(c, &ix, 0);
    if (ec >= 0) return ec;
    retold_index_stats s;
    int rc = retold_index_get_stats(ix, &s);
    if (rc != RETOLD_OK) {
        fprintf(stderr, "%s index stats: %s\n", cli_prog, retold_index_errmsg(ix));
        retold_index_close(ix);
        return exit_for(rc);
    }
    const retold_params *p = retold_index_params(ix);
    FILE *f = cli_open_output(c->output);
    if (!f) { retold_index_close(ix); return EXIT_FAILURE_INTERNAL; }
    double t = p->threshold;
    double pts[] = { 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 };
    if (json) {
        fprintf(f, "{\"index\":"); json_str(f, c->dir);
        fprintf(f, ",\"format_version\":%u,\"created\":%llu,\"documents\":%llu,\"empty_documents\":%llu,"
                "\"dated_documents\":%llu,\"sources\":%llu,\"first_date\":",
                s.format_version, (unsigned long long)s.created, (unsigned long long)s.docs,
                (unsigned long long)s.empty_docs, (unsigned long long)s.dated_docs, (unsigned long long)s.sources);
        if (*s.first_date) json_str(f, s.first_date); else fputs("null", f);
        fputs(",\"last_date\":", f);
        if (*s.last_date) json_str(f, s.last_date); else fputs("null", f);
        fprintf(f, ",\"text_bytes\":%llu,\"stored_text_bytes\":%llu,\"postings\":%llu,\"file_bytes\":%llu,"
                "\"used_bytes\":%llu,\"page_size\":%llu,\"map_size\":%llu,",
                (unsigned long long)s.text_bytes, (unsigned long long)s.stored_text_bytes,
                (unsigned long long)s.postings, (unsigned long long)s.file_bytes, (unsigned long long)s.used_bytes,
                (unsigned long long)s.page_size, (unsigned long long)s.map_size);
        fprintf(f, "\"params\":{\"ngram\":%u,\"char_ngram\":%u,\"perms\":%u,\"seed\":%llu,\"threshold\":%g,"
                "\"norm_version\":%d,\"views\":{", p->ngram, p->char_ngram, p->perms, (unsigned long long)p->seed,
                t, RETOLD_NORM_VERSION);
        int first = 1;
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            if (!(p->views & (1u << v))) continue;
            unsigned b = p->view_bands[v], r = p->view_rows[v];
            fprintf(f, "%s\"%s\":{\"threshold\":%g,\"bands\":%u,\"rows\":%u,\"s_curve_threshold\":%.4f,\"p_candidate\":{",
                    first ? "" : ",", retold_view_name(v), p->view_threshold[v], b, r, pow(1.0 / b, 1.0 / r));
            for (int i = 0; i < 6; i++)
                fprintf(f, "%s\"%.1f\":%.4f", i ? "," : "", pts[i], retold_lsh_probability(pts[i], b, r));
            fputs("}}", f);
            first = 0;
        }
        fputs("}}}\n", f);
    } else {
        fprintf(f, "index        %s (format version %u)\n", c->dir, s.format_version);
        fprintf(f, "documents    %llu (%llu empty, %llu dated)\n", (unsigned long long)s.docs,
                (unsigned long long)s.empty_docs, (unsigned long long)s.dated_docs);
        fprintf(f, "sources      %llu\n", (unsigned long long)s.sources);
        fprintf(f, "dates        %s .. %s\n", *s.first_date ? s.first_date : "-", *s.last_date ? s.last_date : "-");
        fprintf(f, "text         %.1f MB, stored as %.1f MB (zstd)\n", (double)s.text_bytes / 1e6, (double)s.stored_text_bytes / 1e6);
        fprintf(f, "LSH entries  %llu\n", (unsigned long long)s.postings);
        fprintf(f, "size         %.1f MB on disk (%.1f MB in use, %.0f bytes per document)\n", (double)s.file_bytes / 1e6,
                (double)s.used_bytes / 1e6, s.docs ? (double)s.file_bytes / (double)s.docs : 0.0);
        fprintf(f, "parameters   ngram %u, char-ngram %u, perms %u, seed %llu, threshold %g, normalisation %d\n",
                p->ngram, p->char_ngram, p->perms, (unsigned long long)p->seed, t, RETOLD_NORM_VERSION);
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
            if (!(p->views & (1u << v))) continue;
            unsigned b = p->view_bands[v], r = p->view_rows[v];
            fprintf(f, "view %-7s %u bands x %u rows, S-curve threshold (1/b)^(1/r) = %.3f\n", retold_view_name(v), b, r,
                    pow(1.0 / b, 1.0 / r));
            fprintf(f, "             P(candidate | Jaccard s):");
            for (int i = 0; i < 6; i++) fprintf(f, " s=%.1f: %.4f", pts[i], retold_lsh_probability(pts[i], b, r));
            putc('\n', f);
        }
    }
    retold_index_close(ix);
    return cli_close_output(f, c->output);
}

static void problem_cb(void *ctx, const char *msg)
{
    ix_cli *c = ctx;
    fprintf(stderr, "%s index check: %s: %s\n", cli_prog, c->dir, msg);
}

static int check_here(ix_cli *c)
{
    retold_index *ix;
    int ec = open_index(c, &ix, 0);
    if (ec >= 0) return ec;
    uint64_t problems = 0;
    int rc = retold_index_check(ix, c->deep, problem_cb, c, &problems);
    retold_index_stats s;
    if (rc == RETOLD_OK && retold_index_get_stats(ix, &s) == RETOLD_OK) {
        if (!c->quiet) fprintf(stderr, "%s index check: %s: ok, %llu documents, %llu LSH entries, every checksum and table agrees%s\n",
                               cli_prog, c->dir, (unsigned long long)s.docs, (unsigned long long)s.postings,
                               c->deep ? ", every signature matches its text" : "");
    } else if (rc == RETOLD_CORRUPT) {
        fprintf(stderr, "%s index check: %s: %llu problem(s)\n", cli_prog, c->dir, (unsigned long long)problems);
    } else {
        fprintf(stderr, "%s index check: %s\n", cli_prog, retold_index_errmsg(ix));
    }
    retold_index_close(ix);
    return exit_for(rc);
}

/* The check runs in a child process.  retold's own records carry checksums,
 * but LMDB trusts its B-tree: a damaged branch page or node header can send
 * it outside the map, and the process dies by SIGSEGV or SIGBUS (or by
 * SIGABRT, from LMDB's assertions)
 * (doc/format-index.md, "What is checked").  A check is what one runs on a
 * suspect index, so that death is reported as what it means. */
static int run_check(ix_cli *c)
{
    if (c->nargs) return bad_usage(c, "unexpected argument '%s'", c->args[0]);
    fflush(NULL);
    /* A SIGCHLD ignored by whoever started us (inherited across exec) would
     * let the child reap itself and waitpid fail: the default for the wait. */
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    const int restore = sigaction(SIGCHLD, &dfl, &old) == 0;
    pid_t pid = fork();
    if (pid < 0) {                                        /* no process to spare: check here */
        if (restore) sigaction(SIGCHLD, &old, NULL);
        return check_here(c);
    }
    if (pid == 0) {
        int ec = check_here(c);
        fflush(NULL);
        _exit(ec);
    }
    int status;
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
    const int werr = errno;
    if (restore) sigaction(SIGCHLD, &old, NULL);
    if (w < 0) {
        fprintf(stderr, "%s index check: %s: cannot wait for the checking process: %s\n",
                cli_prog, c->dir, strerror(werr));
        return EXIT_FAILURE_INTERNAL;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT) {      /* SIGABRT: LMDB's own assertions */
        fprintf(stderr, "%s index check: %s: corrupt: LMDB's B-tree is damaged (reading it crashed the "
                "checking process: %s); restore the index from a backup or re-create it from the original texts\n",
                cli_prog, c->dir, strsignal(sig));
        return exit_for(RETOLD_CORRUPT);
    }
    fprintf(stderr, "%s index check: %s: the checking process was killed (%s)\n", cli_prog, c->dir, strsignal(sig));
    return EXIT_FAILURE_INTERNAL;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 2) { fputs(usage, stderr); return EXIT_USAGE; }
    ix_cli c;
    memset(&c, 0, sizeof c);
    c.cmd = argv[1];
    if (!strcmp(c.cmd, "-h") || !strcmp(c.cmd, "--help") || !strcmp(c.cmd, "help")) { fputs(usage, stdout); return EXIT_OK; }
    static const char *const cmds[] = { "create", "add", "query", "remove", "forget", "stats", "check" };
    int which = -1;
    for (int i = 0; i < 7; i++)
        if (!strcmp(c.cmd, cmds[i])) which = i;
    if (which < 0) { fprintf(stderr, "%s index: unknown command '%s'\n%s", cli_prog, c.cmd, usage); return EXIT_USAGE; }
    int rc = parse(&c, argc - 1, argv + 1);
    if (rc >= 0) return rc;
    switch (which) {
    case 0: return run_create(&c);
    case 1: return run_stream(&c, 0);
    case 2: return run_stream(&c, 1);
    case 3: return run_remove(&c);
    case 4: return run_forget(&c);
    case 5: return run_stats(&c);
    default: return run_check(&c);
    }
}
