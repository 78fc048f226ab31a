/* cmd_overlap.c - `retold overlap`: who shares how much with whom, as CSV,
 * JSON or an HTML page.  Also the step shared with `retold report`: run the
 * batch, label the pairs, aggregate (cli_overlap_run). */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
"Usage: retold overlap [options] INPUT... [--by FIELD] [--date-field FIELD]\n"
"For every ordered pair of outlets (A, B): how many of A's documents have a\n"
"copy in B, and who had them first.  Outlets come from the JSONL field\n"
"FIELD (default source), dates from --date-field (default date; ISO 8601,\n"
"YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional zone; unparsable\n"
"dates are counted and treated as missing).\n"
"  -f, --format F     csv (default), json, or html (a page to read)\n"
"  -o, --output F     write to F instead of standard output\n"
"  --by FIELD         the outlet field (same as --source-field)\n"
"  --relations LIST   relations that count, comma-separated: duplicate,\n"
"                     near-copy, partial-copy, rewrite, translation, related;\n"
"                     copy = the first three (default), all = every one\n"
"  --min-shared N     CSV: leave out rows with fewer than N shared documents\n"
"  --top-outlets N    html: outlets in the heatmap (default 30; the rest are\n"
"                     combined into one row and column)\n"
"  --clusters N       html: shared stories listed (default 50)\n"
"Candidates are found at -t 0.5 here (not 0.8), so that trimmed copies and\n"
"copies under a new lede are found.\n"
"CSV columns: source_a,source_b,docs_a,shared,share,a_first,b_first,\n"
"median_lag_days - one row per ordered pair of outlets (A, B), zeros too:\n"
"  shared   documents of A with a copy in B     share     shared / docs_a\n"
"  b_first  of those, how many B had earlier    a_first   A earlier\n"
"  median_lag_days  median of date(a) - B's earliest copy, in days\n"
"                   (positive: A after B; empty when nothing is dated)\n"
"Same-day (equal time) copies count in neither a_first nor b_first.  Rows\n"
"with source_a = source_b are self-reuse (an outlet re-running its own\n"
"stories); they never count in the shares between outlets.\n";

/* How two documents are related.  Until the views land (the multi-view
 * classifier in batch.c), the batch computes only the surface view and
 * labels every non-duplicate pair near-copy; so classify from the surface
 * numbers here.  Once pairs come with a real label (the rewrite view was
 * computed: view_jaccard[REWRITE] >= 0), that label wins. */
static int relation_of_pair(const retold_pair *p)
{
    if (p->relation == RETOLD_REL_DUPLICATE) return RETOLD_REL_DUPLICATE;
    if (p->relation != RETOLD_REL_NONE && p->view_jaccard[RETOLD_VIEW_REWRITE] >= 0) return p->relation;
    if (p->jaccard >= 0.8f) return RETOLD_REL_NEAR_COPY;
    if (p->containment >= 0.8f) return RETOLD_REL_PARTIAL_COPY;   /* a trim, a new lede */
    if (p->jaccard >= 0.5f) return RETOLD_REL_NEAR_COPY;
    return RETOLD_REL_NONE;
}

static void batch_doc(void *ctx, size_t i, retold_overlap_doc *d)
{
    retold_batch *b = ctx;
    d->source = retold_batch_source(b, i, &d->source_len);
    d->date = retold_batch_date(b, i, &d->date_len);
}

int cli_overlap_run(cli_opts *o, const char *cmd, retold_batch **bp, retold_pair **pairs,
                    size_t *npairs, retold_overlap **ovp)
{
    *bp = NULL;
    *pairs = NULL;
    *ovp = NULL;
    retold_batch *b;
    int rc = cli_run_batch(o, &b);
    if (rc >= 0) return rc;
    size_t n;
    const retold_pair *bpairs = retold_batch_pairs(b, &n);
    retold_pair *pr = malloc((n ? n : 1) * sizeof *pr);
    if (!pr) goto nomem;
    for (size_t i = 0; i < n; i++) {
        pr[i] = bpairs[i];
        pr[i].relation = relation_of_pair(&bpairs[i]);
    }
    retold_overlap_opts oo;
    retold_overlap_opts_default(&oo);
    if (o->relations) retold_overlap_parse_relations(o->relations, &oo.relations);   /* checked in cli_parse */
    retold_overlap *ov;
    rc = retold_overlap_compute(&ov, retold_batch_size(b), batch_doc, b, pr, n, &oo);
    if (rc != RETOLD_OK) {
        free(pr);
        if (rc == RETOLD_NOMEM) goto nomem;
        fprintf(stderr, "%s %s: %s\n", cli_prog, cmd, retold_strerror(rc));
        retold_batch_free(b);
        return EXIT_FAILURE_INTERNAL;
    }
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    const retold_reader_opts *r = &o->batch.reader;
    if (!o->quiet) {
        if (st.docs && st.no_source == st.docs)
            fprintf(stderr, "%s %s: warning: no document has a '%s' field: every document is in one unnamed outlet "
                    "(choose the field with --by)\n", cli_prog, cmd, r->source_field ? r->source_field : "source");
        if (st.bad_dates)
            fprintf(stderr, "%s %s: warning: %llu unparsable date(s) in field '%s' treated as missing\n", cli_prog,
                    cmd, (unsigned long long)st.bad_dates, r->date_field ? r->date_field : "date");
        fprintf(stderr, "%s %s: %llu documents from %llu outlets; %llu shared with another outlet, "
                "%llu re-used within their own outlet; %llu related pairs counted\n", cli_prog, cmd,
                (unsigned long long)st.docs, (unsigned long long)st.outlets,
                (unsigned long long)st.shared_cross, (unsigned long long)st.shared_self,
                (unsigned long long)st.pairs);
    }
    *bp = b;
    *pairs = pr;
    *npairs = n;
    *ovp = ov;
    return -1;
nomem:
    fprintf(stderr, "%s %s: out of memory\n", cli_prog, cmd);
    retold_batch_free(b);
    return EXIT_FAILURE_INTERNAL;
}

/* ---------------------------------------------------------------------- */

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line end. */
static void put_csv(FILE *f, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        fwrite(s, 1, n, f);
        return;
    }
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') putc('"', f);
        putc(s[i], f);
    }
    putc('"', f);
}

/* Days with at most two decimals, trailing zeros dropped: 1, 0.5, -2.25. */
static void put_days(FILE *f, double d)
{
    char buf[64];
    if (fabs(d) < 0.005) d = 0;
    snprintf(buf, sizeof buf, "%.2f", d);
    char *e = buf + strlen(buf);
    while (e[-1] == '0') *--e = 0;
    if (e[-1] == '.') *--e = 0;
    fputs(buf, f);
}

static void write_csv(FILE *f, const retold_overlap *ov, unsigned long long min_shared)
{
    size_t n = retold_overlap_outlets(ov);
    fputs("source_a,source_b,docs_a,shared,share,a_first,b_first,median_lag_days\n", f);
    for (size_t a = 0; a < n && !ferror(f); a++)
        for (size_t b = 0; b < n; b++) {
            retold_overlap_cell c;
            retold_overlap_get(ov, a, b, &c);
            if (c.shared < min_shared) continue;
            size_t la, lb;
            const char *na = retold_overlap_outlet_name(ov, a, &la), *nb = retold_overlap_outlet_name(ov, b, &lb);
            put_csv(f, na, la);
            putc(',', f);
            put_csv(f, nb, lb);
            fprintf(f, ",%llu,%llu,%.4f,%llu,%llu,", (unsigned long long)c.docs_a, (unsigned long long)c.shared,
                    c.share, (unsigned long long)c.a_first, (unsigned long long)c.b_first);
            if (!isnan(c.median_lag)) put_days(f, c.median_lag);
            putc('\n', f);
        }
}

static void put_cell_json(FILE *f, const retold_overlap *ov, const retold_overlap_cell *c, int self)
{
    size_t la, lb;
    const char *na = retold_overlap_outlet_name(ov, c->a, &la), *nb = retold_overlap_outlet_name(ov, c->b, &lb);
    if (self) {
        fputs("{\"source\":", f); cli_put_json(f, na, la);
    } else {
        fputs("{\"source_a\":", f); cli_put_json(f, na, la);
        fputs(",\"source_b\":", f); cli_put_json(f, nb, lb);
    }
    fprintf(f, ",\"docs_a\":%llu,\"shared\":%llu,\"share\":%.4f,\"a_first\":%llu,\"b_first\":%llu,"
            "\"ties\":%llu,\"undated\":%llu,\"median_lag_days\":", (unsigned long long)c->docs_a,
            (unsigned long long)c->shared, c->share, (unsigned long long)c->a_first,
            (unsigned long long)c->b_first, (unsigned long long)c->ties, (unsigned long long)c->undated);
    if (isnan(c->median_lag)) fputs("null", f);
    else put_days(f, c->median_lag);
    fputs(",\"relations\":{", f);
    int first = 1;
    for (int r = RETOLD_REL_DUPLICATE; r > RETOLD_REL_NONE; r--)
        if (c->by_relation[r]) {
            fprintf(f, "%s\"%s\":%llu", first ? "" : ",", retold_relation_name(r), (unsigned long long)c->by_relation[r]);
            first = 0;
        }
    fputs("}}", f);
}

static void write_json(FILE *f, const retold_overlap *ov)
{
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    unsigned rels = retold_overlap_relations(ov);
    fprintf(f, "{\"documents\":%llu,\"dates\":{\"dated\":%llu,\"missing\":%llu,\"unparsable\":%llu},\n\"relations\":[",
            (unsigned long long)st.docs, (unsigned long long)st.dated, (unsigned long long)st.missing_dates,
            (unsigned long long)st.bad_dates);
    int first = 1;
    for (int r = RETOLD_REL_DUPLICATE; r > RETOLD_REL_NONE; r--)
        if (rels & RETOLD_REL_BIT(r)) { fprintf(f, "%s\"%s\"", first ? "" : ",", retold_relation_name(r)); first = 0; }
    fputs("],\n\"outlets\":[", f);
    size_t n = retold_overlap_outlets(ov);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *name = retold_overlap_outlet_name(ov, i, &len);
        retold_overlap_outlet info;
        retold_overlap_outlet_info(ov, i, &info);
        fputs(i ? ",\n {\"name\":" : "\n {\"name\":", f);
        cli_put_json(f, name, len);
        fprintf(f, ",\"docs\":%llu,\"dated\":%llu,\"shared_cross\":%llu,\"shared_self\":%llu}",
                (unsigned long long)info.docs, (unsigned long long)info.dated,
                (unsigned long long)info.shared_cross, (unsigned long long)info.shared_self);
    }
    size_t nc;
    const retold_overlap_cell *c = retold_overlap_cells(ov, &nc);
    fputs("],\n\"pairs\":[", f);
    first = 1;
    for (size_t i = 0; i < nc; i++) {
        if (c[i].a == c[i].b) continue;
        fputs(first ? "\n " : ",\n ", f);
        put_cell_json(f, ov, &c[i], 0);
        first = 0;
    }
    fputs("],\n\"self\":[", f);
    first = 1;
    for (size_t i = 0; i < nc; i++) {
        if (c[i].a != c[i].b) continue;
        fputs(first ? "\n " : ",\n ", f);
        put_cell_json(f, ov, &c[i], 1);
        first = 0;
    }
    fputs("]}\n", f);
}

int cli_write_report(const char *cmd, const cli_opts *o, FILE *f, retold_batch *b, const retold_overlap *ov,
                     const retold_pair *pairs, size_t npairs, int summary)
{
    retold_report_opts ro;
    retold_report_opts_default(&ro);
    ro.summary = summary;
    ro.cross_only = !summary;
    ro.top_outlets = o->top_outlets;
    ro.max_clusters = o->max_clusters;
    ro.inputs = o->inputs;
    ro.ninputs = o->ninputs;
    ro.generator = "retold " RETOLD_VERSION_STRING;
    int r2 = retold_report_write(f, b, ov, pairs, npairs, &ro);
    if (r2 == RETOLD_OK || r2 == RETOLD_IO) return -1;   /* write errors: cli_close_output */
    fprintf(stderr, "%s %s: %s\n", cli_prog, cmd, r2 == RETOLD_NOMEM ? "out of memory" : retold_batch_errmsg(b));
    return r2 == RETOLD_NOMEM ? EXIT_FAILURE_INTERNAL : EXIT_INPUT;
}

int cmd_overlap(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(&o, argc, argv, "overlap", CLI_OUTPUT | CLI_FORMAT | CLI_OVERLAP, usage);
    if (rc >= 0) { cli_opts_release(&o); return rc; }
    enum { CSV, JSON, HTML } fmt = CSV;
    if (o.format && !strcmp(o.format, "json")) fmt = JSON;
    else if (o.format && !strcmp(o.format, "html")) fmt = HTML;
    else if (o.format && strcmp(o.format, "csv")) {
        fprintf(stderr, "%s overlap: --format takes csv, json or html, not '%s'\n", cli_prog, o.format);
        cli_opts_release(&o);
        return EXIT_USAGE;
    }
    retold_batch *b;
    retold_pair *pairs;
    size_t npairs;
    retold_overlap *ov;
    if ((rc = cli_overlap_run(&o, "overlap", &b, &pairs, &npairs, &ov)) >= 0) { cli_opts_release(&o); return rc; }
    FILE *f = cli_open_output(o.output);
    if (!f) {
        rc = EXIT_FAILURE_INTERNAL;
        goto out;
    }
    if (fmt == CSV) write_csv(f, ov, o.min_shared);
    else if (fmt == JSON) write_json(f, ov);
    else if ((rc = cli_write_report("overlap", &o, f, b, ov, pairs, npairs, 0)) >= 0) {
        if (f != stdout) fclose(f);
        goto out;
    }
    rc = cli_close_output(f, o.output);
out:
    retold_overlap_free(ov);
    free(pairs);
    retold_batch_free(b);
    cli_opts_release(&o);
    return rc;
}
