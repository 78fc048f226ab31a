/* common.c - option parsing, running the batch, output helpers. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_prog = "retold";
size_t cli_memory_limit;

enum {
    OPT_SEED = 256, OPT_BANDS, OPT_ROWS, OPT_CHAR, OPT_EXACT, OPT_VERIFY,
    OPT_ID_FIELD, OPT_TEXT_FIELD, OPT_SOURCE_FIELD, OPT_DATE_FIELD,
    OPT_LANG_FIELD, OPT_SKIP_BAD, OPT_MAX_DOC, OPT_MAX_LINE, OPT_AGAINST,
    OPT_EXPLAIN, OPT_INPUT_FORMAT, OPT_STATS, OPT_VIEWS, OPT_RELATION, OPT_TOP, OPT_MAX_DF, OPT_MEMORY,
    OPT_BY, OPT_RELATIONS, OPT_TOP_OUTLETS, OPT_CLUSTERS, OPT_MIN_SHARED
};

static const struct option long_opts[] = {
    { "threshold",    required_argument, 0, 't' },
    { "ngram",        required_argument, 0, 'n' },
    { "perms",        required_argument, 0, 'k' },
    { "seed",         required_argument, 0, OPT_SEED },
    { "bands",        required_argument, 0, OPT_BANDS },
    { "rows",         required_argument, 0, OPT_ROWS },
    { "char-ngram",   required_argument, 0, OPT_CHAR },
    { "exact",        no_argument,       0, OPT_EXACT },
    { "verify",       required_argument, 0, OPT_VERIFY },
    { "threads",      required_argument, 0, 'j' },
    { "id-field",     required_argument, 0, OPT_ID_FIELD },
    { "text-field",   required_argument, 0, OPT_TEXT_FIELD },
    { "source-field", required_argument, 0, OPT_SOURCE_FIELD },
    { "date-field",   required_argument, 0, OPT_DATE_FIELD },
    { "lang-field",   required_argument, 0, OPT_LANG_FIELD },
    { "input-format", required_argument, 0, OPT_INPUT_FORMAT },
    { "skip-bad",     no_argument,       0, OPT_SKIP_BAD },
    { "max-doc-size", required_argument, 0, OPT_MAX_DOC },
    { "max-line",     required_argument, 0, OPT_MAX_LINE },
    { "against",      required_argument, 0, OPT_AGAINST },
    { "output",       required_argument, 0, 'o' },
    { "format",       required_argument, 0, 'f' },
    { "explain-params", no_argument,     0, OPT_EXPLAIN },
    { "quiet",        no_argument,       0, 'q' },
    { "stats",        no_argument,       0, OPT_STATS },
    { "views",        required_argument, 0, OPT_VIEWS },
    { "relation",     required_argument, 0, OPT_RELATION },
    { "top",          required_argument, 0, OPT_TOP },
    { "max-df",       required_argument, 0, OPT_MAX_DF },
    { "memory-limit", required_argument, 0, OPT_MEMORY },
    { "by",           required_argument, 0, OPT_BY },
    { "relations",    required_argument, 0, OPT_RELATIONS },
    { "top-outlets",  required_argument, 0, OPT_TOP_OUTLETS },
    { "clusters",     required_argument, 0, OPT_CLUSTERS },
    { "min-shared",   required_argument, 0, OPT_MIN_SHARED },
    { "help",         no_argument,       0, 'h' },
    { 0, 0, 0, 0 }
};

const char cli_common_help[] =
"Signature and LSH options:\n"
"  -t, --threshold T     Jaccard threshold (default 0.8)\n"
"  -n, --ngram N         words per shingle (default 5)\n"
"      --char-ngram N    character n-grams of N code points instead of words\n"
"  -k, --perms K         MinHash permutations (default 128, max 1024)\n"
"      --seed S          hash seed (default 0)\n"
"      --bands B --rows R  LSH shape (default: chosen from T and K)\n"
"      --explain-params  print the LSH shape and its S-curve to stderr\n"
"Views and relations:\n"
"      --views LIST      surface (default), rewrite, cross, or all: each view\n"
"                        adds its own signature and candidates; with more than\n"
"                        surface every pair gets a relation (duplicate,\n"
"                        near-copy, partial-copy, rewrite, translation, related)\n"
"      --relation LIST   keep only pairs with these relations\n"
"      --top K           keep each document's K best pairs (with --against: each\n"
"                        input document's K best matches), by relation then score\n"
"      --max-df N        boilerplate: ignore, for finding candidates, shingles\n"
"                        found in more than N documents (N >= 1) or in more\n"
"                        than that fraction of them (0 < N < 1); one more pass\n"
"Verification:\n"
"      --verify MODE     auto (default): exact check near the threshold;\n"
"                        exact: exact Jaccard/containment for every pair;\n"
"                        estimate: signatures only (fastest)\n"
"      --exact           same as --verify exact\n"
"Input:\n"
"      --id-field F --text-field F   JSONL field names (default id, text)\n"
"      --source-field F --date-field F --lang-field F  (carried along)\n"
"      --input-format auto|jsonl|text  how to read files (default by name)\n"
"      --skip-bad        skip bad records with a warning instead of stopping\n"
"      --max-doc-size N  largest document in bytes (default 64M; K/M/G)\n"
"      --max-line N      longest JSONL line (default 2 x max-doc-size + 1M)\n"
"  -j, --threads N       worker threads (output is the same for any N)\n"
"      --memory-limit N  refuse to grow past N bytes (K/M/G): the run stops with\n"
"                        a message instead of being killed by the system\n"
"  -q, --quiet           no summary or warnings on stderr\n"
"      --stats           print counts and the time of each stage to stderr\n"
"Exit status: 0 ok, 1 usage error, 2 input error, 3 other failure.\n";

int cli_parse_uint(const char *s, unsigned long long max, unsigned long long *v, int suffix)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-') return -1;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s) return -1;
    if (suffix && *end) {
        unsigned long long m = 1;
        switch (*end) {
        case 'k': case 'K': m = 1ull << 10; break;
        case 'm': case 'M': m = 1ull << 20; break;
        case 'g': case 'G': m = 1ull << 30; break;
        default: return -1;
        }
        if (end[1]) return -1;
        if (x > max / m) return -1;
        x *= m;
    } else if (*end) {
        return -1;
    }
    if (x > max) return -1;
    *v = x;
    return 0;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s %s: ", cli_prog, cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s %s --help'.\n", cli_prog, cmd);
    return EXIT_USAGE;
}

static int push(const char ***v, size_t *n, const char *s)
{
    const char **p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p) return -1;
    p[(*n)++] = s;
    *v = p;
    return 0;
}

int cli_parse_views(const char *list, unsigned *views)
{
    unsigned mask = RETOLD_VIEWS_SURFACE;
    char *copy = strdup(list), *save = NULL;
    if (!copy) return -1;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        int view = -1;
        if (!strcmp(w, "all")) { mask = RETOLD_VIEWS_ALL; continue; }
        for (int i = 0; i < RETOLD_VIEW_COUNT; i++)
            if (!strcmp(w, retold_view_name(i))) view = i;
        if (view < 0) { free(copy); return -1; }
        mask |= 1u << view;
    }
    free(copy);
    *views = mask;
    return 0;
}

int cli_parse(cli_opts *o, int argc, char **argv, const char *cmd,
              unsigned allowed, const char *usage)
{
    memset(o, 0, sizeof *o);
    retold_batch_opts_default(&o->batch);
    retold_params *p = &o->batch.params;
    retold_reader_opts *r = &o->batch.reader;
    unsigned long long v;
    int c;
    o->top_outlets = 30;
    o->max_clusters = 50;
    if (allowed & CLI_OVERLAP) p->threshold = 0.5;   /* trims and new ledes: J 0.4-0.8 */
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:n:k:j:o:f:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 't': {
            char *end;
            errno = 0;
            double t = strtod(optarg, &end);
            if (errno || *end || !(t > 0 && t <= 1)) return usage_error(cmd, "--threshold must be a number in (0, 1], not '%s'", optarg);
            p->threshold = t;
            break;
        }
        case 'n':
            if (cli_parse_uint(optarg, RETOLD_NGRAM_MAX, &v, 0) || v == 0) return usage_error(cmd, "--ngram must be 1..64, not '%s'", optarg);
            p->ngram = (unsigned)v; break;
        case 'k':
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || v == 0) return usage_error(cmd, "--perms must be 1..1024, not '%s'", optarg);
            p->perms = (unsigned)v; break;
        case OPT_SEED:
            if (cli_parse_uint(optarg, UINT64_MAX, &v, 0)) return usage_error(cmd, "--seed must be a non-negative integer, not '%s'", optarg);
            p->seed = v; break;
        case OPT_BANDS:
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || v == 0) return usage_error(cmd, "--bands must be 1..1024, not '%s'", optarg);
            p->bands = (unsigned)v; break;
        case OPT_ROWS:
            if (cli_parse_uint(optarg, RETOLD_PERMS_MAX, &v, 0) || v == 0) return usage_error(cmd, "--rows must be 1..1024, not '%s'", optarg);
            p->rows = (unsigned)v; break;
        case OPT_CHAR:
            if (cli_parse_uint(optarg, 256, &v, 0) || v == 0) return usage_error(cmd, "--char-ngram must be 1..256, not '%s'", optarg);
            p->char_ngram = (unsigned)v; break;
        case OPT_EXACT: o->batch.verify = RETOLD_VERIFY_EXACT; break;
        case OPT_VERIFY:
            if (!strcmp(optarg, "auto")) o->batch.verify = RETOLD_VERIFY_AUTO;
            else if (!strcmp(optarg, "exact")) o->batch.verify = RETOLD_VERIFY_EXACT;
            else if (!strcmp(optarg, "estimate")) o->batch.verify = RETOLD_VERIFY_ESTIMATE;
            else return usage_error(cmd, "--verify takes auto, exact or estimate, not '%s'", optarg);
            break;
        case 'j':
            if (cli_parse_uint(optarg, 256, &v, 0) || v == 0) return usage_error(cmd, "--threads must be 1..256, not '%s'", optarg);
            o->batch.threads = (unsigned)v; break;
        case OPT_ID_FIELD: r->id_field = optarg; break;
        case OPT_TEXT_FIELD: r->text_field = optarg; break;
        case OPT_SOURCE_FIELD: r->source_field = optarg; break;
        case OPT_DATE_FIELD: r->date_field = optarg; break;
        case OPT_LANG_FIELD: r->lang_field = optarg; break;
        case OPT_INPUT_FORMAT:
            if (!strcmp(optarg, "auto")) r->format = RETOLD_INPUT_AUTO;
            else if (!strcmp(optarg, "jsonl")) r->format = RETOLD_INPUT_JSONL;
            else if (!strcmp(optarg, "text")) r->format = RETOLD_INPUT_TEXT;
            else return usage_error(cmd, "--input-format takes auto, jsonl or text, not '%s'", optarg);
            break;
        case OPT_SKIP_BAD: r->skip_bad = 1; break;
        case OPT_MAX_DOC:
            if (cli_parse_uint(optarg, RETOLD_DOC_MAX, &v, 1) || v == 0) return usage_error(cmd, "--max-doc-size must be 1..4G, not '%s'", optarg);
            r->max_doc_bytes = (size_t)v; break;
        case OPT_MAX_LINE:
            if (cli_parse_uint(optarg, (unsigned long long)1 << 40, &v, 1) || v == 0) return usage_error(cmd, "--max-line must be a positive size, not '%s'", optarg);
            r->max_line_bytes = (size_t)v; break;
        case OPT_AGAINST:
            if (!(allowed & CLI_AGAINST)) return usage_error(cmd, "%s does not take --against", "this command");
            if (push(&o->refs, &o->nrefs, optarg)) return EXIT_FAILURE_INTERNAL;
            break;
        case 'o':
            if (!(allowed & CLI_OUTPUT)) return usage_error(cmd, "%s does not take -o", "this command");
            o->output = optarg; break;
        case 'f':
            if (!(allowed & CLI_FORMAT)) return usage_error(cmd, "%s does not take --format", "this command");
            o->format = optarg; break;
        case OPT_EXPLAIN: o->explain = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_STATS: o->stats = 1; break;
        case OPT_VIEWS:
            if (cli_parse_views(optarg, &p->views)) return usage_error(cmd, "--views takes surface, rewrite, cross or all, not '%s'", optarg);
            break;
        case OPT_RELATION: {
            unsigned mask = 0;
            char *list = strdup(optarg), *save = NULL;
            if (!list) return EXIT_FAILURE_INTERNAL;
            for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                int rel = retold_relation_parse(w);
                if (rel <= 0) { free(list); return usage_error(cmd, "unknown relation in --relation '%s' (duplicate, near-copy, partial-copy, rewrite, translation, related)", optarg); }
                mask |= 1u << rel;
            }
            free(list);
            o->batch.relations = mask;
            break;
        }
        case OPT_MAX_DF: {
            char *end;
            errno = 0;
            double x = strtod(optarg, &end);
            if (errno || *end || !(x > 0)) return usage_error(cmd, "--max-df must be a count >= 1 or a fraction in (0, 1), not '%s'", optarg);
            o->batch.max_df = x;
            break;
        }
        case OPT_MEMORY: {
            if (cli_parse_uint(optarg, (unsigned long long)1 << 50, &v, 1) || v < (16u << 20))
                return usage_error(cmd, "--memory-limit must be at least 16M, not '%s'", optarg);
            o->memory_limit = (size_t)v;       /* applied when the command runs */
            break;
        }
        case OPT_TOP:
            if (cli_parse_uint(optarg, 1000000, &v, 0) || v == 0) return usage_error(cmd, "--top must be 1..1000000, not '%s'", optarg);
            o->batch.top_k = (unsigned)v; break;
        case OPT_BY: case OPT_RELATIONS: case OPT_TOP_OUTLETS: case OPT_CLUSTERS: case OPT_MIN_SHARED:
            if (!(allowed & CLI_OVERLAP))
                return usage_error(cmd, "%s is for the overlap and report commands",
                                   c == OPT_BY ? "--by" : c == OPT_RELATIONS ? "--relations" :
                                   c == OPT_TOP_OUTLETS ? "--top-outlets" : c == OPT_CLUSTERS ? "--clusters" : "--min-shared");
            if (c == OPT_BY) r->source_field = optarg;
            else if (c == OPT_RELATIONS) {
                unsigned mask;
                if (retold_overlap_parse_relations(optarg, &mask) != RETOLD_OK)
                    return usage_error(cmd, "--relations takes names from duplicate, near-copy, partial-copy, "
                                       "rewrite, translation, related (or copy, all), not '%s'", optarg);
                o->relations = optarg;
            } else if (c == OPT_MIN_SHARED) {
                if (cli_parse_uint(optarg, UINT64_MAX, &v, 0)) return usage_error(cmd, "--min-shared must be a count, not '%s'", optarg);
                o->min_shared = v;
            } else {
                if (cli_parse_uint(optarg, c == OPT_CLUSTERS ? 100000 : 500, &v, 0) || v == 0)
                    return usage_error(cmd, c == OPT_CLUSTERS ? "--clusters must be 1..100000, not '%s'"
                                                              : "--top-outlets must be 1..500, not '%s'", optarg);
                if (c == OPT_CLUSTERS) o->max_clusters = (unsigned)v;
                else o->top_outlets = (unsigned)v;
            }
            break;
        case 'h':
            fputs(usage, stdout);
            fputs(cli_common_help, stdout);
            return EXIT_OK;
        case ':':
            return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt) {
                char opt[3] = { '-', (char)optopt, 0 };
                return usage_error(cmd, "unknown option '%s'", opt);
            }
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++)
        if (push(&o->inputs, &o->ninputs, argv[i])) return EXIT_FAILURE_INTERNAL;
    char msg[256];
    retold_params q = *p;
    if (retold_params_resolve(&q, msg, sizeof msg) != RETOLD_OK) return usage_error(cmd, "%s", msg);
    *p = q;                               /* resolved once: bands/rows filled */
    if (o->explain) {
        cli_explain_params(stderr, &q);
        if (o->ninputs == 0) return EXIT_OK;
    }
    if (o->ninputs == 0) return usage_error(cmd, "%s", "no input given (a file, a directory, or - for standard input)");
    return -1;
}

void cli_opts_release(cli_opts *o)
{
    free(o->inputs);
    free(o->refs);
}

void cli_explain_params(FILE *f, const retold_params *p)
{
    double t = p->threshold;
    fprintf(f, "LSH: %u bands x %u rows over %u permutations (threshold %.2f%s)\n",
            p->bands, p->rows, p->perms, t, "");
    fprintf(f, "  S-curve threshold (1/b)^(1/r) = %.3f\n", pow(1.0 / p->bands, 1.0 / p->rows));
    fprintf(f, "  P(candidate | Jaccard s):");
    double pts[] = { t - 0.2, t - 0.1, t, t + 0.1 };
    for (int i = 0; i < 4; i++)
        if (pts[i] > 0 && pts[i] <= 1.0)
            fprintf(f, "  s=%.2f: %.4f", pts[i], retold_lsh_probability(pts[i], p->bands, p->rows));
    for (int v = 1; v < RETOLD_VIEW_COUNT; v++)
        if (p->views & (1u << v))
            fprintf(f, "\n  %s view: %u bands x %u rows (candidates from Jaccard ~%.2f; exact re-ranking decides)",
                    retold_view_name(v), p->view_bands[v], p->view_rows[v], p->view_threshold[v]);
    fprintf(f, "\n  expected recall at s >= %.2f: %.4f; false candidates at s = %.2f: %.4f\n",
            t, retold_lsh_probability(t, p->bands, p->rows), t - 0.1 > 0 ? t - 0.1 : 0,
            retold_lsh_probability(t - 0.1 > 0 ? t - 0.1 : 0, p->bands, p->rows));
}

static void warn_cb(void *ctx, const char *msg)
{
    cli_opts *o = ctx;
    if (!o->quiet) fprintf(stderr, "%s: warning: %s\n", cli_prog, msg);
}

int cli_run_batch(cli_opts *o, retold_batch **out)
{
    *out = NULL;
    o->batch.reader.warn = warn_cb;
    o->batch.reader.warn_ctx = o;
    if (o->memory_limit) {
        struct rlimit rl = { (rlim_t)o->memory_limit, (rlim_t)o->memory_limit };
        if (setrlimit(RLIMIT_AS, &rl) != 0) {
            fprintf(stderr, "%s: cannot set the --memory-limit: %s\n", cli_prog, strerror(errno));
            return EXIT_FAILURE_INTERNAL;
        }
        cli_memory_limit = o->memory_limit;
    }
    retold_batch *b;
    int rc = retold_batch_new(&b, &o->batch);
    if (rc != RETOLD_OK) {
        fprintf(stderr, "%s: %s\n", cli_prog, b ? retold_batch_errmsg(b) : retold_strerror(rc));
        retold_batch_free(b);
        return rc == RETOLD_INVAL ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
    }
    rc = retold_batch_run(b, o->inputs, o->ninputs, o->refs, o->nrefs);
    if (rc != RETOLD_OK) {
        fprintf(stderr, "%s: %s\n", cli_prog, retold_batch_errmsg(b));
        if (rc == RETOLD_NOMEM)
            fprintf(stderr, "%s: out of memory%s; split the input, lower --perms or --views, or allow more memory\n",
                    cli_prog, cli_memory_limit ? " (the --memory-limit was reached)" : "");
        retold_batch_free(b);
        return rc == RETOLD_NOMEM ? EXIT_FAILURE_INTERNAL : EXIT_INPUT;
    }
    retold_batch_stats st;
    retold_batch_get_stats(b, &st);
    if (!o->quiet && (st.skipped || st.skipped_binary))
        fprintf(stderr, "%s: skipped %llu bad record(s) and %llu binary file(s)\n", cli_prog,
                (unsigned long long)st.skipped, (unsigned long long)st.skipped_binary);
    if (!o->quiet && st.invalid_utf8)
        fprintf(stderr, "%s: warning: replaced %llu invalid UTF-8 sequence(s) with U+FFFD\n", cli_prog,
                (unsigned long long)st.invalid_utf8);
    if (o->stats) {
        double total = st.sec_sketch + st.sec_lsh + st.sec_verify + st.sec_cluster;
        fprintf(stderr, "%s: %llu documents (%llu empty), %.1f MB, %llu tokens; %llu candidates, "
                "%llu verified exactly, %llu pairs, %llu clusters\n", cli_prog,
                (unsigned long long)st.docs, (unsigned long long)st.empty_docs, (double)st.bytes / 1e6,
                (unsigned long long)st.tokens, (unsigned long long)st.candidates,
                (unsigned long long)st.verified_exact, (unsigned long long)st.pairs,
                (unsigned long long)st.clusters);
        if (st.boilerplate_limit)
            fprintf(stderr, "%s: boilerplate: shingles in more than %llu documents left out (%.3f s)\n",
                    cli_prog, (unsigned long long)st.boilerplate_limit, st.sec_df);
        fprintf(stderr, "%s: read+sketch %.3f s (%.1f MB/s), lsh %.3f s, verify %.3f s, cluster %.3f s; "
                "total %.3f s (%.1f MB/s)\n", cli_prog, st.sec_sketch,
                st.sec_sketch > 0 ? (double)st.bytes / 1e6 / st.sec_sketch : 0.0, st.sec_lsh,
                st.sec_verify, st.sec_cluster, total, total > 0 ? (double)st.bytes / 1e6 / total : 0.0);
    }
    *out = b;
    return -1;
}

/* Output to a file goes to PATH.retold-XXXXXX in its directory first and
 * is renamed over PATH when it is complete, so a run that fails (full
 * disk, bad input, interrupted) leaves PATH as it was, and a command may
 * write over one of its own inputs.  Devices, FIFOs, symbolic links, files
 * with other hard links and directories without write permission are
 * written in place, as before. */
static char *out_tmp;                  /* the temporary file, while open */
static FILE *out_tmp_f;
static volatile sig_atomic_t out_tmp_live;

static void out_unlink(void)
{
    if (out_tmp_live) unlink(out_tmp);
    out_tmp_live = 0;
}

static void out_on_signal(int sig)
{
    out_unlink();                      /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

FILE *cli_open_output(const char *path)
{
    if (!path || !strcmp(path, "-")) return stdout;
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (!out_tmp && (!exists || (S_ISREG(st.st_mode) && st.st_nlink == 1))) {
        size_t n = strlen(path);
        char *tmp = malloc(n + sizeof ".retold-XXXXXX");
        int fd = -1;
        if (tmp) {
            memcpy(tmp, path, n);
            memcpy(tmp + n, ".retold-XXXXXX", sizeof ".retold-XXXXXX");
            fd = mkstemp(tmp);
        }
        FILE *f = NULL;
        if (fd >= 0) {
            mode_t um = umask(0);
            umask(um);
            if (fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~um) != 0 || !(f = fdopen(fd, "w"))) {
                close(fd);
                unlink(tmp);
            }
        }
        if (f) {
            static int hooked;
            out_tmp = tmp;
            out_tmp_f = f;
            out_tmp_live = 1;
            if (!hooked) {
                hooked = 1;
                atexit(out_unlink);
                static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
                for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
                    struct sigaction sa, old;
                    memset(&sa, 0, sizeof sa);
                    sa.sa_handler = out_on_signal;
                    sigemptyset(&sa.sa_mask);
                    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
                        sigaction(sigs[i], &sa, NULL);
                }
            }
            return f;
        }
        free(tmp);                     /* no temporary file here: write in place */
    }
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "%s: %s: %s\n", cli_prog, path, strerror(errno));
    return f;
}

/* Is standard output a pipe whose reader has gone?  (errno may no longer
 * say EPIPE when the failed write was long before the close.) */
static int stdout_reader_gone(void)
{
    struct pollfd pf = { .fd = STDOUT_FILENO, .events = 0, .revents = 0 };
    return poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR);
}

int cli_close_output(FILE *f, const char *path)
{
    int bad = ferror(f);
    int e = errno;
    if (fflush(f) != 0) { bad = 1; e = errno; }
    if (f == stdout && bad && (e == EPIPE || stdout_reader_gone())) {
        /* The reader went away (`| head`) and SIGPIPE is ignored: leave as
         * if it were not, quietly (git does the same). */
        signal(SIGPIPE, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(SIGPIPE);
        _exit(128 + SIGPIPE);
    }
    int tmp = out_tmp_live && f == out_tmp_f;
    if (f != stdout && fclose(f) != 0) { bad = 1; e = errno; }
    if (tmp && !bad && rename(out_tmp, path) != 0) { bad = 1; e = errno; }
    if (tmp) {
        out_unlink();
        free(out_tmp);
        out_tmp = NULL;
        out_tmp_f = NULL;
    }
    if (bad) {
        fprintf(stderr, "%s: writing %s: %s%s\n", cli_prog, path && strcmp(path, "-") ? path : "standard output",
                strerror(e), tmp ? " (the file was left as it was)" : "");
        return EXIT_FAILURE_INTERNAL;
    }
    return EXIT_OK;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 (Table 3-7 of
 * the Unicode standard: no overlongs, no surrogates, nothing above
 * U+10FFFF).  Output must stay valid UTF-8 whatever the input held. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c == 0xE0) { need = 2; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) need = 2;
    else if (c == 0xED) { need = 2; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) need = 2;
    else if (c == 0xF0) { need = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) need = 3;
    else if (c == 0xF4) { need = 3; hi = 0x8F; }
    else return 0;
    if (need >= n) return 0;
    for (size_t i = 1; i <= need; i++) {
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    }
    return need + 1;
}

void cli_put_tsv(FILE *f, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        switch (u[i]) {
        case '\t': fputs("\\t", f); i++; continue;
        case '\n': fputs("\\n", f); i++; continue;
        case '\r': fputs("\\r", f); i++; continue;
        case '\\': fputs("\\\\", f); i++; continue;
        case 0: fputs("\\0", f); i++; continue;
        default: break;
        }
        size_t k = utf8_seq(u + i, n - i);
        if (k == 0) { fputs("\xef\xbf\xbd", f); i++; continue; }   /* U+FFFD */
        fwrite(u + i, 1, k, f);
        i += k;
    }
}

void cli_put_json(FILE *f, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    putc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c == '"' || c == '\\') { putc('\\', f); putc(c, f); i++; continue; }
        if (c == '\n') { fputs("\\n", f); i++; continue; }
        if (c == '\t') { fputs("\\t", f); i++; continue; }
        if (c == '\r') { fputs("\\r", f); i++; continue; }
        if (c < 0x20) { fputs("\\u00", f); putc(hex[c >> 4], f); putc(hex[c & 15], f); i++; continue; }
        size_t k = utf8_seq(u + i, n - i);
        if (k == 0) { fputs("\\ufffd", f); i++; continue; }
        fwrite(u + i, 1, k, f);
        i += k;
    }
    putc('"', f);
}

static void put_score(FILE *f, float x)
{
    if (x < 0) fputs("null", f);
    else fprintf(f, "%.4f", x);
}

void cli_put_pair(FILE *f, const retold_batch *b, const retold_pair *p, int jsonl)
{
    size_t la, lb;
    const char *a = retold_batch_id(b, p->a, &la), *c = retold_batch_id(b, p->b, &lb);
    const retold_params *prm = retold_batch_params(b);
    int multi = retold_params_nviews(prm) > 1;
    if (!jsonl) {
        cli_put_tsv(f, a, la); putc('\t', f);
        cli_put_tsv(f, c, lb);
        fprintf(f, "\t%.4f\t%.4f", p->jaccard, p->containment);
        if (multi) fprintf(f, "\t%s\t%.4f", retold_relation_name(p->relation), p->score);
        putc('\n', f);
        return;
    }
    fputs("{\"a\":", f); cli_put_json(f, a, la);
    fputs(",\"b\":", f); cli_put_json(f, c, lb);
    fprintf(f, ",\"relation\":\"%s\",\"score\":%.4f", retold_relation_name(p->relation), p->score);
    fprintf(f, ",\"jaccard\":%.4f,\"containment\":%.4f", p->jaccard, p->containment);
    if (multi) {
        const char *lx = retold_batch_doc_lang(b, p->a), *ly = retold_batch_doc_lang(b, p->b);
        fputs(",\"lang_a\":", f); cli_put_json(f, lx, strlen(lx));
        fputs(",\"lang_b\":", f); cli_put_json(f, ly, strlen(ly));
    } else {
        size_t l1, l2;
        const char *lx = retold_batch_lang(b, p->a, &l1), *ly = retold_batch_lang(b, p->b, &l2);
        fputs(",\"lang_a\":", f); if (lx) cli_put_json(f, lx, l1); else fputs("null", f);
        fputs(",\"lang_b\":", f); if (ly) cli_put_json(f, ly, l2); else fputs("null", f);
    }
    fputs(",\"views\":{", f);
    int first = 1;
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++) {
        if (!(prm->views & (1u << v))) continue;
        fprintf(f, "%s\"%s\":{\"jaccard\":", first ? "" : ",", retold_view_name(v));
        put_score(f, p->view_jaccard[v]);
        fputs(",\"containment\":", f);
        put_score(f, p->view_containment[v]);
        putc('}', f);
        first = 0;
    }
    fprintf(f, "},\"exact\":%s}\n", p->flags & RETOLD_PAIR_EXACT ? "true" : "false");
}
