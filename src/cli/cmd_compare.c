/* cmd_compare.c - `retold compare A B`: per-view scores, the relation, and
 * the shared passages side by side (or as JSON). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
"Usage: retold compare [options] A B\n"
"       retold compare [options] --corpus FILE ID_A ID_B\n"
"Compare two documents on every view (surface word n-grams, stemmed rewrite\n"
"pairs, cross-language keys), name their relation, and show the evidence:\n"
"the shared passages (maximal runs of at least N matching words, with byte\n"
"offsets into each original text) and the names and numbers both contain.\n"
"A and B are text files or JSONL files holding one document each.\n"
"  --corpus FILE    take A and B by id from FILE (JSONL, directory, ...)\n"
"  -f, --format F   text (default; side by side, highlighted on a terminal)\n"
"                   or json\n"
"  -n, --ngram N    shortest passage, in words (default 5)\n"
"  -t, --threshold T  surface Jaccard of a near-copy (default 0.8)\n"
"  --lang-a TAG, --lang-b TAG   languages, if not in the input (else detected)\n"
"  -w, --width W    width of the side-by-side text (default: terminal or 100)\n";

typedef struct doc {
    char *id, *text, *lang;
    size_t text_len;
} doc;

static void doc_free(doc *d)
{
    free(d->id);
    free(d->text);
    free(d->lang);
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = 0; }
    return p;
}

static int take(doc *d, const retold_record *r)
{
    d->id = dup_n(r->id, r->id_len);
    d->text = dup_n(r->text, r->text_len);
    d->text_len = r->text_len;
    d->lang = r->lang ? dup_n(r->lang, r->lang_len) : NULL;
    return d->id && d->text && (!r->lang || d->lang) ? 0 : -1;
}

/* Read documents from paths; with ids, pick those two; else each path must
 * hold exactly one document. */
static int load(const char *corpus, const char *x, const char *y, doc *da, doc *db)
{
    const char *paths[2] = { corpus ? corpus : x, y };
    for (int side = 0; side < (corpus ? 1 : 2); side++) {
        retold_reader *r;
        const char *p = paths[side];
        if (retold_reader_open(&r, &p, 1, NULL) != RETOLD_OK) return EXIT_FAILURE_INTERNAL;
        retold_record rec;
        int rc, count = 0;
        while ((rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
            count++;
            if (corpus) {
                if (!da->id && rec.id_len == strlen(x) && !memcmp(rec.id, x, rec.id_len)) take(da, &rec);
                if (!db->id && rec.id_len == strlen(y) && !memcmp(rec.id, y, rec.id_len)) take(db, &rec);
            } else if (count == 1) {
                take(side ? db : da, &rec);
            }
        }
        if (rc != RETOLD_EOF) {
            fprintf(stderr, "%s: %s\n", cli_prog, retold_reader_errmsg(r));
            retold_reader_close(r);
            return EXIT_INPUT;
        }
        retold_reader_close(r);
        if (!corpus && count != 1) {
            fprintf(stderr, "%s compare: %s holds %d documents, not one; use --corpus %s ID_A ID_B\n",
                    cli_prog, p, count, p);
            return EXIT_INPUT;
        }
    }
    if (corpus && (!da->id || !db->id)) {
        fprintf(stderr, "%s compare: no document with id \"%s\" in %s\n", cli_prog, !da->id ? x : y, corpus);
        return EXIT_INPUT;
    }
    return -1;
}

/* One line of at most w display columns from s[*pos..end), breaking at a
 * space; returns the bytes used.  Newlines and tabs become spaces. */
static size_t line_of(const char *s, size_t pos, size_t end, size_t w, size_t *cols)
{
    size_t i = pos, c = 0, brk = 0;
    while (i < end && c < w) {
        unsigned char ch = (unsigned char)s[i];
        size_t n = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
        if (i + n > end) n = end - i;
        if (ch == ' ' || ch == '\n' || ch == '\t') brk = i + 1;
        i += n;
        c++;
    }
    if (i < end && brk > pos) {
        size_t b = brk;
        c = 0;
        for (size_t k = pos; k < b; k++) c += ((unsigned char)s[k] & 0xC0) != 0x80;
        i = b;
    }
    *cols = c;
    return i - pos;
}

static void put_plain(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        putc(ch == '\n' || ch == '\t' || ch == '\r' ? ' ' : ch, f);
    }
}

static void side_by_side(FILE *f, const doc *a, const doc *b, const retold_passage *p, size_t w, int color)
{
    size_t pa = p->a_start, pb = p->b_start;
    const char *on = color ? "\033[1;33m" : "", *off = color ? "\033[0m" : "";
    while (pa < p->a_end || pb < p->b_end) {
        size_t ca, cb;
        size_t na = pa < p->a_end ? line_of(a->text, pa, p->a_end, w, &ca) : (ca = 0);
        size_t nb = pb < p->b_end ? line_of(b->text, pb, p->b_end, w, &cb) : (cb = 0);
        fputs("    ", f);
        fputs(on, f); put_plain(f, a->text + pa, na); fputs(off, f);
        for (size_t k = ca; k < w; k++) putc(' ', f);
        fputs(" | ", f);
        fputs(on, f); put_plain(f, b->text + pb, nb); fputs(off, f);
        putc('\n', f);
        pa += na;
        pb += nb;
        if (!na && !nb) break;
    }
}

static void put_view_json(FILE *f, const retold_pair *p)
{
    fputs("{", f);
    for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
        fprintf(f, "%s\"%s\":{\"jaccard\":%.4f,\"containment\":%.4f}", v ? "," : "",
                retold_view_name(v), p->view_jaccard[v], p->view_containment[v]);
    fputs("}", f);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        { "corpus", required_argument, 0, 'c' }, { "format", required_argument, 0, 'f' },
        { "ngram", required_argument, 0, 'n' }, { "threshold", required_argument, 0, 't' },
        { "lang-a", required_argument, 0, 'A' }, { "lang-b", required_argument, 0, 'B' },
        { "width", required_argument, 0, 'w' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *corpus = NULL, *format = "text", *lang_a = NULL, *lang_b = NULL;
    retold_params prm;
    retold_params_default(&prm);
    size_t width = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:f:n:t:w:h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'c': corpus = optarg; break;
        case 'f': format = optarg; break;
        case 'n': prm.ngram = (unsigned)strtoul(optarg, &end, 10);
            if (*end || prm.ngram < 1 || prm.ngram > 64) { fprintf(stderr, "%s compare: --ngram must be 1..64\n", cli_prog); return EXIT_USAGE; }
            break;
        case 't': prm.threshold = strtod(optarg, &end);
            if (*end || !(prm.threshold > 0 && prm.threshold <= 1)) { fprintf(stderr, "%s compare: --threshold must be in (0, 1]\n", cli_prog); return EXIT_USAGE; }
            break;
        case 'A': lang_a = optarg; break;
        case 'B': lang_b = optarg; break;
        case 'w': width = strtoul(optarg, &end, 10);
            if (*end || width < 10 || width > 1000) { fprintf(stderr, "%s compare: --width must be 10..1000\n", cli_prog); return EXIT_USAGE; }
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case ':': fprintf(stderr, "%s compare: option '%s' needs a value\n", cli_prog, argv[optind - 1]); return EXIT_USAGE;
        default: fprintf(stderr, "%s compare: unknown option '%s'\nTry '%s compare --help'.\n", cli_prog, argv[optind - 1], cli_prog); return EXIT_USAGE;
        }
    }
    if (argc - optind != 2 || (strcmp(format, "text") && strcmp(format, "json"))) {
        fprintf(stderr, "%s compare: give two documents (A B, or --corpus FILE ID_A ID_B) and -f text|json\nTry '%s compare --help'.\n", cli_prog, cli_prog);
        return EXIT_USAGE;
    }
    doc a = {0}, b = {0};
    int rc = load(corpus, argv[optind], argv[optind + 1], &a, &b);
    if (rc >= 0) { doc_free(&a); doc_free(&b); return rc; }
    retold_comparison cmp;
    rc = retold_compare(&prm, a.text, a.text_len, lang_a ? lang_a : a.lang,
                        b.text, b.text_len, lang_b ? lang_b : b.lang, &cmp);
    if (rc != RETOLD_OK) {
        fprintf(stderr, "%s compare: %s\n", cli_prog, retold_strerror(rc));
        doc_free(&a); doc_free(&b);
        return rc == RETOLD_TOOBIG ? EXIT_INPUT : EXIT_FAILURE_INTERNAL;
    }
    FILE *f = stdout;
    const retold_pair *p = &cmp.pair;
    if (!strcmp(format, "json")) {
        fputs("{\"a\":{\"id\":", f); cli_put_json(f, a.id, strlen(a.id));
        fprintf(f, ",\"lang\":\"%s\",\"tokens\":%zu},\"b\":{\"id\":", cmp.lang_a, cmp.tokens_a);
        cli_put_json(f, b.id, strlen(b.id));
        fprintf(f, ",\"lang\":\"%s\",\"tokens\":%zu},\"relation\":\"%s\",\"score\":%.4f,\"views\":",
                cmp.lang_b, cmp.tokens_b, retold_relation_name(p->relation), p->score);
        put_view_json(f, p);
        fputs(",\"passages\":[", f);
        for (size_t i = 0; i < cmp.npassages; i++) {
            const retold_passage *q = &cmp.passages[i];
            fprintf(f, "%s{\"tokens\":%u,\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,\"b_end\":%u,\"a_text\":",
                    i ? "," : "", q->tokens, q->a_start, q->a_end, q->b_start, q->b_end);
            cli_put_json(f, a.text + q->a_start, q->a_end - q->a_start);
            fputs(",\"b_text\":", f);
            cli_put_json(f, b.text + q->b_start, q->b_end - q->b_start);
            putc('}', f);
        }
        fputs("],\"shared_keys\":[", f);
        for (size_t i = 0; i < cmp.nkeys; i++) {
            const retold_shared_key *k = &cmp.keys[i];
            fprintf(f, "%s{\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,\"b_end\":%u,\"a_text\":",
                    i ? "," : "", k->a_start, k->a_end, k->b_start, k->b_end);
            cli_put_json(f, a.text + k->a_start, k->a_end - k->a_start);
            fputs(",\"b_text\":", f);
            cli_put_json(f, b.text + k->b_start, k->b_end - k->b_start);
            putc('}', f);
        }
        fputs("]}\n", f);
    } else {
        int tty = isatty(1);
        if (!width) {
            const char *cols = getenv("COLUMNS");
            size_t total = cols ? strtoul(cols, NULL, 10) : 0;
            if (total < 40 || total > 2000) total = 100;
            width = (total - 7) / 2;
        }
        fprintf(f, "A  %s  (%s, %zu words)\nB  %s  (%s, %zu words)\n", a.id, cmp.lang_a, cmp.tokens_a,
                b.id, cmp.lang_b, cmp.tokens_b);
        fprintf(f, "relation: %s%s%s (score %.4f)\n\n", tty ? "\033[1m" : "",
                retold_relation_name(p->relation), tty ? "\033[0m" : "", p->score);
        fprintf(f, "view       jaccard  containment\n");
        for (int v = 0; v < RETOLD_VIEW_COUNT; v++)
            fprintf(f, "%-9s  %7.4f  %11.4f\n", retold_view_name(v), p->view_jaccard[v], p->view_containment[v]);
        fprintf(f, "\nshared passages of %u or more words: %zu\n", prm.ngram, cmp.npassages);
        for (size_t i = 0; i < cmp.npassages; i++) {
            const retold_passage *q = &cmp.passages[i];
            fprintf(f, "  [%zu] %u words  A bytes %u-%u  B bytes %u-%u\n", i + 1, q->tokens,
                    q->a_start, q->a_end, q->b_start, q->b_end);
            side_by_side(f, &a, &b, q, width, tty);
        }
        fprintf(f, "\nnames and numbers in both: %zu\n", cmp.nkeys);
        for (size_t i = 0; i < cmp.nkeys; i++) {
            const retold_shared_key *k = &cmp.keys[i];
            fputs(i ? ", " : "  ", f);
            put_plain(f, a.text + k->a_start, k->a_end - k->a_start);
            if (k->b_end - k->b_start != k->a_end - k->a_start ||
                memcmp(a.text + k->a_start, b.text + k->b_start, k->a_end - k->a_start)) {
                fputs(" = ", f);
                put_plain(f, b.text + k->b_start, k->b_end - k->b_start);
            }
        }
        if (cmp.nkeys) putc('\n', f);
    }
    retold_comparison_release(&cmp);
    doc_free(&a);
    doc_free(&b);
    return cli_close_output(f, NULL);
}
