/*
 * report.c - the HTML page (see report.h for what it shows).
 *
 * Sizes: the page is bounded whatever the corpus: the heatmap has at most
 * top_outlets + 1 rows (31 by default: 961 cells, ~200 KB of SVG at most),
 * the flows table 15 rows, the cluster list max_clusters entries of at most
 * max_members rows, and the texts at most max_clusters x (1 + max_compare)
 * x max_text bytes (50 x 4 x 30 KB = 6 MB in the worst case; a news corpus
 * gives ~1 MB).  Memory besides the batch: ~40 bytes per document (cluster
 * roots, members, text slots) and 12 per selected pair (adjacency).
 *
 * Shared passages come from retold_align (compare.h): maximal runs of at
 * least 8 matching normalised tokens, with byte offsets into both original
 * texts; runs shorter than 8 words are not shown (8 words rarely repeat by
 * chance in news text, while 5-word phrases such as "the Ministry of
 * Defence said" do).  Coverage ("92% of this text") counts the tokens of
 * each side inside some passage.
 */
#include "retold/report.h"
#include "retold/error.h"
#include "retold/tokenize.h"
#include "retold/compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_RUN      8      /* words in a shared passage */
#define FLOWS_MAX    15     /* rows of the flows table */
#define TOPS_MAX     15     /* rows of the summary's outlet table */
#define HEADLINE_MAX 140    /* bytes of a cluster's headline */

void retold_report_opts_default(retold_report_opts *o)
{
    memset(o, 0, sizeof *o);
    o->top_outlets = 30;
    o->max_clusters = 50;
    o->max_members = 40;
    o->max_compare = 3;
    o->max_text = 30000;
}

/* ---------------------------------------------------------------------- */
/* shared passages                                                         */

typedef struct toks {
    uint32_t *start, *end;
    size_t n;
} toks;

static void toks_free(toks *t)
{
    free(t->start);
    free(t->end);
    memset(t, 0, sizeof *t);
}

/* The token offsets of a text (for the coverage of the passages). */
static int toks_of(retold_tokenizer *tk, const char *s, size_t len, toks *t)
{
    const retold_token *tok;
    size_t n;
    int rc = retold_tokenize(tk, s, len, &tok, &n);
    if (rc != RETOLD_OK) return rc;
    t->n = n;
    t->start = malloc((n ? n : 1) * sizeof *t->start);
    t->end = malloc((n ? n : 1) * sizeof *t->end);
    if (!t->start || !t->end) { toks_free(t); return RETOLD_NOMEM; }
    for (size_t i = 0; i < n; i++) {
        t->start[i] = tok[i].start;
        t->end[i] = tok[i].end;
    }
    return RETOLD_OK;
}

/* Tokens of t inside the byte ranges [s, e) of the passages (each counted
 * once, however many passages cover it). */
static size_t covered(const toks *t, const retold_passage *p, size_t np, int side_b)
{
    uint8_t *mark = calloc(t->n ? t->n : 1, 1);
    size_t n = 0;
    if (!mark) return 0;
    for (size_t i = 0; i < np; i++) {
        uint32_t s = side_b ? p[i].b_start : p[i].a_start, e = side_b ? p[i].b_end : p[i].a_end;
        size_t lo = 0, hi = t->n;                  /* first token starting at or after s */
        while (lo < hi) { size_t mid = lo + (hi - lo) / 2; if (t->start[mid] < s) lo = mid + 1; else hi = mid; }
        for (size_t j = lo; j < t->n && t->end[j] <= e; j++) mark[j] = 1;
    }
    for (size_t j = 0; j < t->n; j++) n += mark[j];
    free(mark);
    return n;
}

/* ---------------------------------------------------------------------- */
/* HTML output helpers                                                     */

/* Text as HTML: & < > " ' escaped; C0 controls other than tab and line
 * ends become spaces (they are not allowed in HTML); bytes pass through
 * otherwise (the page is UTF-8, invalid sequences show as U+FFFD). */
static void esc(FILE *f, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *r = NULL;
        switch (c) {
        case '&': r = "&amp;"; break;
        case '<': r = "&lt;"; break;
        case '>': r = "&gt;"; break;
        case '"': r = "&quot;"; break;
        case '\'': r = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') r = " ";
            else if (c == 0x7f) r = " ";
        }
        if (!r) continue;
        if (i > run) fwrite(s + run, 1, i - run, f);
        fputs(r, f);
        run = i + 1;
    }
    if (n > run) fwrite(s + run, 1, n - run, f);
}

static void esc_str(FILE *f, const char *s) { esc(f, s, strlen(s)); }

/* 1234567 -> "1,234,567" */
static void put_count(FILE *f, uint64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof d, "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        putc(d[i], f);
        if (i < n - 1 && (n - 1 - i) % 3 == 0) putc(',', f);
    }
}

static void put_pct(FILE *f, double share)
{
    if (share > 0 && share < 0.005) fputs("&lt;1%", f);
    else fprintf(f, "%.0f%%", share * 100);
}

/* A duration in days as words: "6 hours", "1 day", "2.5 days". */
static void put_span(FILE *f, double days)
{
    days = fabs(days);
    if (days < 1.0 / 24 / 2) fputs("less than an hour", f);
    else if (days < 1) {
        double h = floor(days * 24 + 0.5);
        fprintf(f, "%.0f hour%s", h, h == 1 ? "" : "s");
    } else {
        double d = floor(days * 10 + 0.5) / 10;
        if (d == floor(d)) fprintf(f, "%.0f day%s", d, d == 1 ? "" : "s");
        else fprintf(f, "%.1f days", d);
    }
}

typedef struct page {
    FILE *f;
    retold_batch *b;
    const retold_overlap *ov;
    const retold_pair *pairs;
    size_t npairs;
    const retold_report_opts *o;
    unsigned rels;
    size_t n;
    size_t *adj_off;          /* per document: selected pairs touching it */
    uint32_t *adj;            /* pair indexes */
    uint32_t *member;         /* documents grouped by cluster, by date */
    size_t *moff;             /* per root: offset into member (n + 1) */
    uint32_t *root;
    struct clus *clus;        /* clusters of >= 2 documents, ranked */
    size_t nclus, nshown;
    uint64_t clus_docs;       /* documents in clusters */
    uint8_t *need;            /* texts to load */
    char **text;              /* loaded texts (NUL-terminated, cut at max_text) */
    size_t *text_full;        /* their full length */
    retold_tokenizer *tk;
} page;

typedef struct clus {
    uint32_t root, origin;
    uint32_t size, outlets;
} clus;

static void put_outlet(page *pg, uint32_t outlet)
{
    size_t len;
    const char *s = retold_overlap_outlet_name(pg->ov, outlet, &len);
    if (len) esc(pg->f, s, len);
    else fputs("(no source)", pg->f);
}

static void put_id(page *pg, size_t doc)
{
    size_t len;
    const char *s = retold_batch_id(pg->b, doc, &len);
    esc(pg->f, s, len);
}

static void put_date(page *pg, size_t doc)
{
    size_t len;
    const char *s = retold_batch_date(pg->b, doc, &len);
    if (s && len) esc(pg->f, s, len);
    else fputs("<span class=\"dim\">no date</span>", pg->f);
}

/* ---------------------------------------------------------------------- */
/* clusters                                                                */

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static int selected(const page *pg, const retold_pair *p)
{
    return p->relation > RETOLD_REL_NONE && p->relation <= RETOLD_REL_DUPLICATE &&
           (pg->rels & RETOLD_REL_BIT(p->relation)) && p->a != p->b;
}

/* Earlier document first: dated before undated, then by date, then index. */
static int earlier(const page *pg, uint32_t x, uint32_t y)
{
    double dx = retold_overlap_doc_day(pg->ov, x), dy = retold_overlap_doc_day(pg->ov, y);
    int ux = isnan(dx), uy = isnan(dy);
    if (ux != uy) return uy;
    if (!ux && dx != dy) return dx < dy;
    return x < y;
}

/* Insertion sort of a cluster's members by date: clusters are small, and a
 * big one (thousands of syndicated copies) is sorted once. */
static void sort_members(const page *pg, uint32_t *m, size_t n)
{
    if (n > 64) {                              /* shell sort for big clusters */
        for (size_t gap = n / 2; gap > 0; gap /= 2)
            for (size_t i = gap; i < n; i++) {
                uint32_t v = m[i];
                size_t j = i;
                for (; j >= gap && earlier(pg, v, m[j - gap]); j -= gap) m[j] = m[j - gap];
                m[j] = v;
            }
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = m[i];
        size_t j = i;
        for (; j > 0 && earlier(pg, v, m[j - 1]); j--) m[j] = m[j - 1];
        m[j] = v;
    }
}

static int clus_rank(const void *x, const void *y)
{
    const clus *a = x, *b = y;
    if (a->outlets != b->outlets) return a->outlets > b->outlets ? -1 : 1;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return (a->origin > b->origin) - (a->origin < b->origin);
}

static int u32_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int build_clusters(page *pg)
{
    size_t n = pg->n, nd = n ? n : 1;
    pg->root = malloc(nd * sizeof *pg->root);
    pg->adj_off = calloc(nd + 1, sizeof *pg->adj_off);
    pg->moff = calloc(nd + 1, sizeof *pg->moff);
    pg->member = malloc(nd * sizeof *pg->member);
    if (!pg->root || !pg->adj_off || !pg->moff || !pg->member) return RETOLD_NOMEM;
    for (size_t i = 0; i < n; i++) pg->root[i] = (uint32_t)i;
    size_t nsel = 0;
    for (size_t i = 0; i < pg->npairs; i++) {
        const retold_pair *p = &pg->pairs[i];
        if (!selected(pg, p) || p->a >= n || p->b >= n) continue;
        uint32_t x = find(pg->root, p->a), y = find(pg->root, p->b);
        if (x != y) { if (x < y) pg->root[y] = x; else pg->root[x] = y; }
        pg->adj_off[p->a + 1]++;
        pg->adj_off[p->b + 1]++;
        nsel += 2;
    }
    for (size_t i = 0; i < n; i++) pg->adj_off[i + 1] += pg->adj_off[i];
    pg->adj = malloc((nsel ? nsel : 1) * sizeof *pg->adj);
    size_t *fill = malloc(nd * sizeof *fill);
    if (!pg->adj || !fill) { free(fill); return RETOLD_NOMEM; }
    memcpy(fill, pg->adj_off, n * sizeof *fill);
    for (size_t i = 0; i < pg->npairs; i++) {
        const retold_pair *p = &pg->pairs[i];
        if (!selected(pg, p) || p->a >= n || p->b >= n) continue;
        pg->adj[fill[p->a]++] = (uint32_t)i;
        pg->adj[fill[p->b]++] = (uint32_t)i;
    }
    /* members grouped by root (counting sort), then each group by date */
    for (size_t i = 0; i < n; i++) {
        pg->root[i] = find(pg->root, (uint32_t)i);
        pg->moff[pg->root[i] + 1]++;
    }
    size_t nclus = 0;
    for (size_t r = 0; r < n; r++) nclus += pg->moff[r + 1] >= 2;
    for (size_t r = 0; r < n; r++) pg->moff[r + 1] += pg->moff[r];
    memcpy(fill, pg->moff, n * sizeof *fill);
    for (size_t i = 0; i < n; i++) pg->member[fill[pg->root[i]]++] = (uint32_t)i;
    free(fill);
    pg->clus = malloc((nclus ? nclus : 1) * sizeof *pg->clus);
    uint32_t *outl = NULL;
    size_t capo = 0;
    if (!pg->clus) return RETOLD_NOMEM;
    for (size_t r = 0; r < n; r++) {
        size_t m0 = pg->moff[r], m1 = pg->moff[r + 1], size = m1 - m0;
        if (size < 2) continue;
        uint32_t *m = pg->member + m0;
        sort_members(pg, m, size);
        if (size > capo) {
            uint32_t *t = realloc(outl, size * sizeof *t);
            if (!t) { free(outl); return RETOLD_NOMEM; }
            outl = t;
            capo = size;
        }
        for (size_t i = 0; i < size; i++) outl[i] = retold_overlap_doc_outlet(pg->ov, m[i]);
        qsort(outl, size, sizeof *outl, u32_cmp);
        uint32_t distinct = 1;
        for (size_t i = 1; i < size; i++) distinct += outl[i] != outl[i - 1];
        pg->clus_docs += size;
        if (pg->o->cross_only && distinct < 2) continue;
        clus *c = &pg->clus[pg->nclus++];
        c->root = (uint32_t)r;
        c->origin = m[0];
        c->size = (uint32_t)size;
        c->outlets = distinct;
    }
    free(outl);
    qsort(pg->clus, pg->nclus, sizeof *pg->clus, clus_rank);
    pg->nshown = pg->nclus < pg->o->max_clusters ? pg->nclus : pg->o->max_clusters;
    return RETOLD_OK;
}

/* Members compared with the origin: first the earliest document of each
 * other outlet, by date; then, if room is left, the rest by date. */
static size_t compared(const page *pg, const clus *c, uint32_t *out)
{
    size_t k = 0, max = pg->o->max_compare;
    const uint32_t *m = pg->member + pg->moff[c->root];
    uint32_t oo = retold_overlap_doc_outlet(pg->ov, c->origin);
    for (size_t i = 1; i < c->size && k < max; i++) {
        uint32_t o = retold_overlap_doc_outlet(pg->ov, m[i]);
        int seen = o == oo;
        for (size_t j = 0; j < k && !seen; j++) seen = retold_overlap_doc_outlet(pg->ov, out[j]) == o;
        if (!seen) out[k++] = m[i];
    }
    for (size_t i = 1; i < c->size && k < max; i++) {
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++) seen = out[j] == m[i];
        if (!seen) out[k++] = m[i];
    }
    return k;
}

typedef struct loader {
    page *pg;
    int rc;
} loader;

static int load_text(void *ctx, const retold_record *rec, size_t doc)
{
    loader *l = ctx;
    page *pg = l->pg;
    if (doc >= pg->n || !pg->need[doc] || pg->text[doc]) return 0;
    size_t len = rec->text_len;
    if (len > pg->o->max_text) {
        len = pg->o->max_text;
        while (len > 0 && ((unsigned char)rec->text[len] & 0xC0) == 0x80) len--;   /* UTF-8 boundary */
    }
    char *t = malloc(len + 1);
    if (!t) { l->rc = RETOLD_NOMEM; return 1; }
    memcpy(t, rec->text, len);
    t[len] = 0;
    pg->text[doc] = t;
    pg->text_full[doc] = rec->text_len;
    return 0;
}

static int load_texts(page *pg)
{
    size_t nd = pg->n ? pg->n : 1;
    pg->need = calloc(nd, 1);
    pg->text = calloc(nd, sizeof *pg->text);
    pg->text_full = calloc(nd, sizeof *pg->text_full);
    uint32_t *cmp = malloc((pg->o->max_compare + 1) * sizeof *cmp);
    if (!pg->need || !pg->text || !pg->text_full || !cmp) { free(cmp); return RETOLD_NOMEM; }
    int sides = 0;
    for (size_t i = 0; i < pg->nshown; i++) {
        const clus *c = &pg->clus[i];
        pg->need[c->origin] = 1;
        sides |= 1 << retold_batch_side(pg->b, c->origin);
        size_t k = compared(pg, c, cmp);
        for (size_t j = 0; j < k; j++) {
            pg->need[cmp[j]] = 1;
            sides |= 1 << retold_batch_side(pg->b, cmp[j]);
        }
    }
    free(cmp);
    for (int side = 0; side < 2; side++) {
        if (!(sides & (1 << side))) continue;
        loader l = { pg, RETOLD_OK };
        int rc = retold_batch_reread(pg->b, side, load_text, &l);
        if (l.rc != RETOLD_OK) return l.rc;
        if (rc != RETOLD_OK) return rc;
    }
    return RETOLD_OK;
}

/* The pair linking doc to the origin, else doc's strongest pair (higher
 * relation, then higher Jaccard).  *direct says which.  -1 if none. */
static long link_of(const page *pg, uint32_t doc, uint32_t origin, int *direct)
{
    long best = -1;
    *direct = 0;
    for (size_t k = pg->adj_off[doc]; k < pg->adj_off[doc + 1]; k++) {
        const retold_pair *p = &pg->pairs[pg->adj[k]];
        if (p->a == origin || p->b == origin) { *direct = 1; return (long)pg->adj[k]; }
        if (best < 0 || p->relation > pg->pairs[best].relation ||
            (p->relation == pg->pairs[best].relation && p->jaccard > pg->pairs[best].jaccard))
            best = (long)pg->adj[k];
    }
    return best;
}

/* ---------------------------------------------------------------------- */
/* the page                                                                */

static const char css[] =
":root{--ink:#1f2328;--dim:#5b636e;--line:#d9dde3;--bg:#fbfbfa;--card:#fff;--accent:#1d4ed8;"
"--mark:#fde68a;--mark-hot:#f59e0b}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,'Segoe UI',"
"Roboto,'Helvetica Neue','DejaVu Sans',Arial,sans-serif}\n"
"main{max-width:1180px;margin:0 auto;padding:28px 28px 60px}\n"
"header.top{border-bottom:3px solid var(--ink);padding-bottom:14px;margin-bottom:8px}\n"
"h1{font-size:2.1rem;line-height:1.15;margin:0 0 6px;letter-spacing:-.01em}\n"
"h2{font-size:1.45rem;margin:38px 0 6px;padding-top:10px;border-top:1px solid var(--line)}\n"
"h3{font-size:1.15rem;margin:0 0 4px;line-height:1.3}\n"
"section>h3{margin-top:24px}\n"
".lede{font-size:1.12rem;color:var(--dim);margin:0;max-width:60em}\n"
".how{color:var(--dim);max-width:62em;margin:4px 0 14px}\n"
".note{color:var(--dim);font-size:.92rem;max-width:62em}\n"
".dim{color:var(--dim)}\n"
".cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0}\n"
".card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:150px}\n"
".card b{display:block;font-size:1.7rem;line-height:1.2}\n"
".card span{color:var(--dim);font-size:.9rem}\n"
"table{border-collapse:collapse;margin:8px 0 4px;background:var(--card);font-size:.94rem}\n"
"th,td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top}\n"
"th{font-weight:600;color:var(--dim);font-size:.82rem;text-transform:uppercase;letter-spacing:.03em}\n"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
".hm-wrap{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n"
".hm{max-width:100%;height:auto;font-family:inherit}\n"
".hm .cell{cursor:pointer}\n"
".hm .cell:hover rect,.hm .cell:focus rect{stroke:#111;stroke-width:2}\n"
".hm text{font-size:12px;fill:var(--ink)}\n"
".hm text.v{font-size:12px;text-anchor:middle;dominant-baseline:central;pointer-events:none;"
"font-variant-numeric:tabular-nums}\n"
".hm text.v.on-dark{fill:#fff}.hm text.v.small{font-size:10px}\n"
".hm text.lbl.on{font-weight:700;fill:var(--accent)}\n"
".side{max-width:330px;font-size:.94rem}\n"
"#cell-info{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--accent);"
"border-radius:6px;padding:10px 12px;min-height:5.5em}\n"
".legend{margin:10px 0}\n"
".rel{display:inline-block;border-radius:10px;padding:0 8px;font-size:.82rem;font-weight:600;white-space:nowrap}\n"
".rel-duplicate{background:#fee2e2;color:#991b1b}.rel-near-copy{background:#ffedd5;color:#9a3412}"
".rel-partial-copy{background:#fef9c3;color:#854d0e}.rel-rewrite{background:#e0e7ff;color:#3730a3}"
".rel-translation{background:#dcfce7;color:#166534}.rel-related{background:#f1f5f9;color:#334155}"
".rel-origin{background:#1f2328;color:#fff}.rel-none{background:#f1f5f9;color:#64748b}\n"
".filter{margin:10px 0 16px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}\n"
".filter input{font:inherit;padding:6px 10px;border:1px solid var(--line);border-radius:6px;min-width:22em}\n"
".filter button{font:inherit;padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}\n"
".cluster{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}\n"
".cluster .meta{color:var(--dim);margin:0 0 8px;font-size:.93rem}\n"
".cluster .rank{color:var(--dim);font-weight:400;margin-right:6px}\n"
".cluster table{width:100%}\n"
".cluster tr.origin td{background:#f8fafc}\n"
"details.cmp{margin-top:10px;border:1px solid var(--line);border-radius:8px;background:#fcfcfd}\n"
"details.cmp>summary{cursor:pointer;padding:8px 12px;font-size:.95rem}\n"
".sbs{display:grid;grid-template-columns:1fr 1fr;gap:0;border-top:1px solid var(--line)}\n"
".sbs .col{min-width:0;padding:10px 14px}\n"
".sbs .col+.col{border-left:1px solid var(--line)}\n"
".sbs .col-h{font-size:.82rem;color:var(--dim);text-transform:uppercase;letter-spacing:.03em;margin-bottom:6px}\n"
".sbs .text{white-space:pre-wrap;overflow-wrap:anywhere;max-height:26em;overflow:auto;"
"font:15px/1.6 Georgia,'DejaVu Serif','Times New Roman',serif}\n"
"mark{background:var(--mark);color:inherit;border-radius:2px;padding:0 1px}\n"
"mark.hot{background:var(--mark-hot)}\n"
".hidden{display:none}\n"
"footer{margin-top:40px;color:var(--dim);font-size:.9rem;border-top:1px solid var(--line);padding-top:12px}\n"
"@media (max-width:800px){.sbs{grid-template-columns:1fr}.sbs .col+.col{border-left:0;border-top:1px solid var(--line)}}\n";

static const char js[] =
"(function(){'use strict';\n"
"var info=document.getElementById('cell-info');\n"
"var lbls=document.querySelectorAll('.hm text.lbl');\n"
"function hi(a,b){lbls.forEach(function(t){var n=t.getAttribute('data-name');"
"t.classList.toggle('on',n===a||n===b);});}\n"
"document.querySelectorAll('.hm .cell').forEach(function(c){\n"
" function show(){if(info)info.textContent=c.getAttribute('data-say');hi(c.getAttribute('data-a'),c.getAttribute('data-b'));}\n"
" c.addEventListener('mouseenter',show);c.addEventListener('focus',show);\n"
" c.addEventListener('click',function(){pick(c.getAttribute('data-a'),c.getAttribute('data-b'));});\n"
" c.addEventListener('keydown',function(e){if(e.key==='Enter'){pick(c.getAttribute('data-a'),c.getAttribute('data-b'));}});\n"
"});\n"
"var q=document.getElementById('cluster-q'),st=document.getElementById('cluster-status');\n"
"var clear=document.getElementById('cluster-clear');\n"
"var list=Array.prototype.slice.call(document.querySelectorAll('article.cluster'));\n"
"var pair=null;\n"
"list.forEach(function(el){el._text=el.textContent.toLowerCase();"
"el._outlets=(el.getAttribute('data-outlets')||'').split('\\n');});\n"
"function apply(){var s=q?q.value.trim().toLowerCase():'';var n=0;\n"
" list.forEach(function(el){var ok=(!s||el._text.indexOf(s)>=0);\n"
"  if(ok&&pair){var o=el._outlets;ok=o.indexOf(pair[0])>=0&&o.indexOf(pair[1])>=0;\n"
"   if(ok&&pair[0]===pair[1]){ok=(el.getAttribute('data-self')||'').split('\\n').indexOf(pair[0])>=0;}}\n"
"  el.classList.toggle('hidden',!ok);if(ok)n++;});\n"
" if(st){st.textContent=(s||pair)?('Showing '+n+' of '+list.length+' stories'+(pair?(' shared by '+pair[0]+"
"(pair[0]===pair[1]?' with itself':' and '+pair[1])):'')+'.'):'';}\n"
" if(clear)clear.classList.toggle('hidden',!(s||pair));}\n"
"function pick(a,b,quiet){if(a.indexOf('other outlets')===0||b.indexOf('other outlets')===0){pair=null;}else{pair=[a,b];}"
"apply();if(quiet)return;\n"
" try{history.replaceState(null,'',pair?'#pair='+encodeURIComponent(pair[0])+'&'+encodeURIComponent(pair[1]):'#');}catch(e){}\n"
" var sec=document.getElementById('clusters');if(sec&&pair)sec.scrollIntoView({behavior:'smooth'});}\n"
"var h=location.hash.match(/^#pair=([^&]*)&(.*)$/);\n"
"if(h){try{pick(decodeURIComponent(h[1]),decodeURIComponent(h[2]),true);}catch(e){}}\n"
"if(q){q.addEventListener('input',apply);}\n"
"if(clear){clear.addEventListener('click',function(){pair=null;if(q)q.value='';apply();"
"try{history.replaceState(null,'','#');}catch(e){}});}\n"
"var f=document.getElementById('cluster-filter');if(f)f.classList.remove('hidden');\n"
"document.addEventListener('mouseover',function(e){var m=e.target&&e.target.closest?e.target.closest('mark[data-p]'):null;\n"
" document.querySelectorAll('mark.hot').forEach(function(x){x.classList.remove('hot');});\n"
" if(!m)return;var box=m.closest('.sbs');if(!box)return;\n"
" box.querySelectorAll('mark[data-p=\"'+m.getAttribute('data-p')+'\"]').forEach(function(x){x.classList.add('hot');});});\n"
"})();\n";

/* Colour of a share: white-blue-navy over sqrt(share) (small shares stay
 * visible); self cells amber.  *light: whether dark text reads on it. */
static void cell_colour(double share, int self, char out[8], int *light)
{
    static const unsigned char blue[5][3] = {
        { 219, 234, 254 }, { 147, 197, 253 }, { 59, 130, 246 }, { 29, 78, 216 }, { 23, 37, 84 } };
    static const unsigned char amber[5][3] = {
        { 254, 243, 199 }, { 253, 224, 71 }, { 245, 158, 11 }, { 180, 83, 9 }, { 120, 53, 15 } };
    const unsigned char (*pal)[3] = self ? amber : blue;
    double t = sqrt(share < 0 ? 0 : share > 1 ? 1 : share) * 4;
    int i = (int)t;
    if (i >= 4) i = 3;
    double u = t - i;
    unsigned rgb[3];
    for (int k = 0; k < 3; k++) rgb[k] = (unsigned)(pal[i][k] + (pal[i + 1][k] - pal[i][k]) * u + 0.5);
    snprintf(out, 8, "#%02x%02x%02x", rgb[0] & 255, rgb[1] & 255, rgb[2] & 255);
    *light = t < (self ? 2.4 : 1.9);
}

typedef struct hm {
    uint32_t *order;          /* outlets shown, in display order */
    size_t k;                 /* how many; +1 row for the others if any */
    int other;                /* 1 when some outlets are folded */
    size_t nother;            /* outlets folded */
    uint64_t other_docs;
    retold_overlap_cell *m;   /* (k + 1)^2 */
} hm;

static void put_row_name(page *pg, const hm *h, size_t i)
{
    if (i < h->k) put_outlet(pg, h->order[i]);
    else { fputs("other outlets (", pg->f); put_count(pg->f, h->nother); putc(')', pg->f); }
}

/* The sentence for a cell, used in its tooltip and the info box. */
static void put_say(page *pg, const hm *h, const retold_overlap_cell *c)
{
    FILE *f = pg->f;
    size_t i = c->a, j = c->b;
    if (c->shared == 0) {
        fputs("None of the ", f); put_count(f, c->docs_a); fputs(" documents of ", f); put_row_name(pg, h, i);
        if (i == j) fputs(i < h->k ? " repeats another of its own." : " appears in another of these outlets.", f);
        else { fputs(" appear in ", f); put_row_name(pg, h, j); putc('.', f); }
        return;
    }
    put_count(f, c->shared); fputs(" of the ", f); put_count(f, c->docs_a); fputs(" documents of ", f);
    put_row_name(pg, h, i); fputs(" (", f); put_pct(f, c->share); fputs(") ", f);
    if (i == j && i < h->k) {
        fputs("repeat another document of the same outlet (self-reuse, not counted between outlets).", f);
        return;
    }
    if (i == j) fputs("also appear in another of these outlets.", f);
    else { fputs("also appear in ", f); put_row_name(pg, h, j); putc('.', f); }
    if (c->shared > c->undated) {
        putc(' ', f);
        if (i != j) { put_row_name(pg, h, j); fputs(" had them first ", f); }
        else fputs("Later ", f);
        put_count(f, c->b_first); fputs(i != j ? " times, " : ", earlier ", f);
        if (i != j) { put_row_name(pg, h, i); fputs(" first ", f); }
        put_count(f, c->a_first); fputs(i != j ? " times" : "", f);
        if (c->ties) { fputs(", at the same time ", f); put_count(f, c->ties); }
        putc('.', f);
        if (!isnan(c->median_lag) && i != j) {
            fputs(" Typical delay (median): ", f);
            if (fabs(c->median_lag) < 1.0 / 48) fputs("none.", f);
            else {
                put_row_name(pg, h, i);
                fputs(c->median_lag > 0 ? " follows " : " runs ahead by ", f);
                if (c->median_lag > 0) { put_row_name(pg, h, j); fputs(" by ", f); put_span(f, c->median_lag); }
                else { put_span(f, c->median_lag); fputs(" of ", f); put_row_name(pg, h, j); }
                putc('.', f);
            }
        }
    }
    if (c->undated) { fputs(" Without dates: ", f); put_count(f, c->undated); putc('.', f); }
}

static int heatmap(page *pg)
{
    FILE *f = pg->f;
    const retold_overlap *ov = pg->ov;
    size_t nout = retold_overlap_outlets(ov);
    fputs("<section id=\"overlap\">\n<h2>Who shares stories with whom</h2>\n", f);
    if (nout == 0) { fputs("<p class=\"how\">No documents.</p>\n</section>\n", f); return RETOLD_OK; }
    fputs("<p class=\"how\">Each row is an outlet; each column, an outlet where its stories turn up. "
          "A cell says what share of the row outlet&#39;s documents have a copy (duplicate, near-copy or partial copy) "
          "in the column outlet: the darker, the more. Point at a cell for the numbers and who published first; "
          "click it to list those stories below. The diagonal (amber) is an outlet repeating itself; it is not "
          "counted between outlets. Outlets that share a lot are placed next to each other.</p>\n", f);
    hm h;
    memset(&h, 0, sizeof h);
    size_t want = pg->o->top_outlets ? pg->o->top_outlets : 30;
    uint32_t *top = malloc((want < nout ? want : nout) * sizeof *top);
    h.order = malloc((want < nout ? want : nout) * sizeof *h.order);
    if (!top || !h.order) { free(top); free(h.order); return RETOLD_NOMEM; }
    h.k = retold_overlap_top(ov, want, top);
    int rc = retold_overlap_order(ov, top, h.k, h.order);
    free(top);
    size_t dim = h.k + 1;
    h.m = rc == RETOLD_OK ? malloc(dim * dim * sizeof *h.m) : NULL;
    if (!h.m || retold_overlap_matrix(ov, h.order, h.k, h.m) != RETOLD_OK) {
        free(h.order);
        free(h.m);
        return RETOLD_NOMEM;
    }
    h.nother = nout - h.k;
    h.other = h.nother > 0;
    h.other_docs = h.m[h.k * dim].docs_a;
    size_t rows = h.k + (size_t)h.other;
    /* geometry */
    size_t maxlen = 14;
    for (size_t i = 0; i < h.k; i++) {
        size_t len;
        retold_overlap_outlet_name(ov, h.order[i], &len);
        if (len > maxlen) maxlen = len;
    }
    if (maxlen > 26) maxlen = 26;
    if (h.other && maxlen < 22) maxlen = 22;    /* "other outlets (NNN)" */
    int cs = (int)(760 / rows);                 /* cell size: the map at most ~760 px wide */
    if (cs < 16) cs = 16;
    if (cs > 68) cs = 68;
    int lw = (int)(maxlen * 7) + 16, th = (int)((double)maxlen * 5.2) + 24;
    int w = lw + (int)rows * cs + th, hgt = th + (int)rows * cs + 8;
    fprintf(f, "<div class=\"hm-wrap\">\n<svg id=\"heatmap\" class=\"hm\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Outlet by outlet overlap\">\n",
            w, hgt, w, hgt);
    for (size_t i = 0; i < rows; i++) {
        /* names: shortened to 26 bytes at a character boundary; full in the tooltip */
        char lab[64];
        size_t len;
        const char *s = NULL;
        if (i < h.k) s = retold_overlap_outlet_name(ov, h.order[i], &len);
        else { len = (size_t)snprintf(lab, sizeof lab, "other outlets (%zu)", h.nother); s = lab; }
        size_t show = len;
        if (show > 26) { show = 25; while (show > 0 && ((unsigned char)s[show] & 0xC0) == 0x80) show--; }
        for (int axis = 0; axis < 2; axis++) {
            int x = axis == 0 ? lw - 8 : lw + (int)i * cs + cs / 2;
            int y = axis == 0 ? th + (int)i * cs + cs / 2 + 4 : th - 6;
            fputs("<text class=\"lbl\" data-name=\"", f);
            if (i < h.k) put_outlet(pg, h.order[i]); else esc(f, lab, len);
            if (axis == 0) fprintf(f, "\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", x, y);
            else fprintf(f, "\" transform=\"translate(%d,%d) rotate(-40)\">", x, y);
            fputs("<title>", f);
            if (i < h.k) put_outlet(pg, h.order[i]); else esc(f, lab, len);
            fputs("</title>", f);
            if (len == 0) fputs("(no source)", f);
            else { esc(f, s, show); if (show < len) fputs("\xe2\x80\xa6", f); }
            fputs("</text>\n", f);
        }
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < rows; j++) {
            const retold_overlap_cell *c = &h.m[i * dim + j];
            int self = i == j && i < h.k;
            char col[8];
            int light;
            if (c->shared) cell_colour(c->share, self, col, &light);
            else { strcpy(col, self ? "#fbf7ec" : "#f3f4f6"); light = 1; }
            fputs("<g class=\"cell", f);
            if (self) fputs(" self", f);
            fputs("\" tabindex=\"0\" data-a=\"", f);
            put_row_name(pg, &h, i);
            fputs("\" data-b=\"", f);
            put_row_name(pg, &h, j);
            fprintf(f, "\" data-docs=\"%llu\" data-shared=\"%llu\" data-share=\"%.4f\" data-a-first=\"%llu\" "
                    "data-b-first=\"%llu\" data-say=\"", (unsigned long long)c->docs_a, (unsigned long long)c->shared,
                    c->share, (unsigned long long)c->a_first, (unsigned long long)c->b_first);
            put_say(pg, &h, c);
            int x = lw + (int)j * cs, y = th + (int)i * cs;
            fprintf(f, "\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\" stroke=\"#fff\"/>",
                    x + 1, y + 1, cs - 2, cs - 2, col);
            if (c->shared && cs >= 22) {
                fprintf(f, "<text class=\"v%s%s\" x=\"%d\" y=\"%d\">", light ? "" : " on-dark",
                        cs < 34 ? " small" : "", x + cs / 2, y + cs / 2);
                if (cs >= 40) put_pct(f, c->share);
                else if (c->share > 0 && c->share < 0.005) fputs("&lt;1", f);
                else fprintf(f, "%.0f", c->share * 100);
                fputs("</text>", f);
            }
            fputs("<title>", f);
            put_say(pg, &h, c);
            fputs("</title></g>\n", f);
        }
    fputs("</svg>\n<div class=\"side\">\n<div id=\"cell-info\">Point at a cell to read it here.</div>\n", f);
    /* legend: a gradient on the same sqrt scale, ticks at round shares */
    fputs("<svg class=\"legend\" width=\"320\" height=\"46\" role=\"img\" aria-label=\"Colour scale\">"
          "<defs><linearGradient id=\"lg\">", f);
    for (int s = 0; s <= 8; s++) {
        char col[8];
        int light;
        double t = s / 8.0;
        cell_colour(t * t, 0, col, &light);
        fprintf(f, "<stop offset=\"%.3f\" stop-color=\"%s\"/>", t, col);
    }
    fputs("</linearGradient></defs><rect x=\"10\" y=\"4\" width=\"280\" height=\"14\" rx=\"3\" fill=\"url(#lg)\"/>", f);
    static const double ticks[] = { 0.01, 0.1, 0.25, 0.5, 1.0 };
    for (int i = 0; i < 5; i++) {
        double x = 10 + 280 * sqrt(ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"18\" y2=\"23\" stroke=\"#5b636e\"/>"
                "<text x=\"%.1f\" y=\"36\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b636e\">%.0f%%</text>",
                x, x, x, ticks[i] * 100);
    }
    fputs("</svg>\n<p class=\"note\">Share of the row outlet&#39;s documents with a copy in the column outlet. "
          "Numbers in the cells are percentages.</p>\n", f);
    if (h.other) {
        fputs("<p class=\"note\"><b>Not every outlet is shown.</b> These are the ", f);
        put_count(f, h.k);
        fputs(" outlets with the most documents shared with other outlets; the other ", f);
        put_count(f, h.nother);
        fputs(" outlets (", f);
        put_count(f, h.other_docs);
        fputs(" documents) are combined in the last row and column, &ldquo;other outlets&rdquo;. "
              "The full table is in <code>retold overlap -f csv</code>.</p>\n", f);
    }
    fputs("</div>\n</div>\n", f);

    /* flows: the largest cross-outlet cells where the other outlet was first
     * more often (who follows whom); without dates, each pair of outlets once */
    size_t nc;
    const retold_overlap_cell *cells = retold_overlap_cells(ov, &nc);
    int directed = 0;
    for (size_t i = 0; i < nc && !directed; i++) directed = cells[i].a != cells[i].b && cells[i].b_first > cells[i].a_first;
    const retold_overlap_cell *best[FLOWS_MAX];
    size_t nb = 0;
    for (size_t i = 0; i < nc; i++) {
        const retold_overlap_cell *c = &cells[i];
        if (c->a == c->b || (directed ? c->b_first <= c->a_first : c->a > c->b)) continue;
        size_t at = nb;
        while (at > 0 && (c->shared > best[at - 1]->shared ||
                          (c->shared == best[at - 1]->shared && c->share > best[at - 1]->share))) at--;
        if (at >= FLOWS_MAX) continue;
        if (nb < FLOWS_MAX) nb++;
        memmove(best + at + 1, best + at, (nb - 1 - at) * sizeof *best);
        best[at] = c;
    }
    fputs(directed ? "<h3 style=\"margin-top:26px\">Who follows whom</h3>\n"
                   : "<h3 style=\"margin-top:26px\">The largest overlaps</h3>\n", f);
    if (nb == 0) {
        fputs("<p class=\"how\">No outlet has a copy of another outlet&#39;s document.</p>\n", f);
    } else {
        fprintf(f, "<table class=\"flows\">\n<tr><th>Outlet</th><th>%s</th><th class=\"n\">documents</th>"
                "<th class=\"n\">share of its output</th><th>who had them first</th><th>typical delay</th></tr>\n",
                directed ? "runs copies of stories from" : "shares stories with");
        for (size_t i = 0; i < nb; i++) {
            const retold_overlap_cell *c = best[i];
            fputs("<tr class=\"flow\"><td>", f); put_outlet(pg, c->a);
            fputs("</td><td>", f); put_outlet(pg, c->b);
            fputs("</td><td class=\"n\">", f); put_count(f, c->shared); fputs(" of ", f); put_count(f, c->docs_a);
            fputs("</td><td class=\"n\">", f); put_pct(f, c->share);
            fputs("</td><td>", f);
            put_outlet(pg, c->b); fputs(": ", f); put_count(f, c->b_first);
            fputs(" &middot; ", f); put_outlet(pg, c->a); fputs(": ", f); put_count(f, c->a_first);
            if (c->ties) { fputs(" &middot; same time: ", f); put_count(f, c->ties); }
            if (c->undated) { fputs(" &middot; undated: ", f); put_count(f, c->undated); }
            fputs("</td><td>", f);
            if (isnan(c->median_lag)) fputs("<span class=\"dim\">no dates</span>", f);
            else if (fabs(c->median_lag) < 1.0 / 48) fputs("same time", f);
            else { put_span(f, c->median_lag); fputs(c->median_lag > 0 ? " later" : " earlier", f); }
            fputs("</td></tr>\n", f);
        }
        fprintf(f, "</table>\n<p class=\"note\">%s&ldquo;Typical delay&rdquo; is the median, over the shared "
                "documents, of the time from the other outlet&#39;s earliest copy to this outlet&#39;s document. "
                "Every pair of outlets, both ways, is in the heatmap and in <code>retold overlap -f csv</code>.</p>\n",
                directed ? "Only pairs where the other outlet published first more often than not. " : "");
    }
    fputs("</section>\n", f);
    free(h.order);
    free(h.m);
    return RETOLD_OK;
}

/* Text with the given byte ranges marked; ranges sorted by start, may
 * overlap (then merged). */
typedef struct range { uint32_t s, e, p; } range;

static int range_cmp(const void *x, const void *y)
{
    const range *a = x, *b = y;
    if (a->s != b->s) return a->s < b->s ? -1 : 1;
    return (a->e < b->e) - (a->e > b->e);
}

static void put_marked(FILE *f, const char *t, size_t len, range *r, size_t n)
{
    qsort(r, n, sizeof *r, range_cmp);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = r[i].s > pos ? r[i].s : pos, e = r[i].e < len ? r[i].e : len;
        if (s >= e) continue;
        esc(f, t + pos, s - pos);
        fprintf(f, "<mark data-p=\"%u\">", r[i].p);
        esc(f, t + s, e - s);
        fputs("</mark>", f);
        pos = e;
    }
    if (pos < len) esc(f, t + pos, len - pos);
}

static void put_doc_head(page *pg, uint32_t doc, const char *role)
{
    FILE *f = pg->f;
    fprintf(f, "<div class=\"col-h\">%s &middot; ", role);
    put_outlet(pg, retold_overlap_doc_outlet(pg->ov, doc));
    fputs(" &middot; ", f);
    put_id(pg, doc);
    fputs(" &middot; ", f);
    put_date(pg, doc);
    fputs("</div>\n", f);
}

static int side_by_side(page *pg, uint32_t origin, uint32_t doc, int open)
{
    FILE *f = pg->f;
    const char *ta = pg->text[origin], *tb = pg->text[doc];
    if (!ta || !tb) return RETOLD_OK;
    size_t la = strlen(ta), lb = strlen(tb);
    toks a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    retold_passage *p = NULL;
    size_t np = 0, cova = 0, covb = 0;
    range *ra = NULL, *rb = NULL;
    int rc = toks_of(pg->tk, ta, la, &a);
    if (rc == RETOLD_OK) rc = toks_of(pg->tk, tb, lb, &b);
    if (rc == RETOLD_OK) rc = retold_align(ta, la, tb, lb, MIN_RUN, &p, &np);
    if (rc == RETOLD_OK) {
        cova = covered(&a, p, np, 0);
        covb = covered(&b, p, np, 1);
    }
    if (rc == RETOLD_OK) {
        ra = malloc((np ? np : 1) * sizeof *ra);
        rb = malloc((np ? np : 1) * sizeof *rb);
        if (!ra || !rb) rc = RETOLD_NOMEM;
    }
    if (rc != RETOLD_OK) goto out;
    for (size_t i = 0; i < np; i++) {
        ra[i].s = p[i].a_start; ra[i].e = p[i].a_end; ra[i].p = (uint32_t)i + 1;
        rb[i].s = p[i].b_start; rb[i].e = p[i].b_end; rb[i].p = (uint32_t)i + 1;
    }
    fprintf(f, "<details class=\"cmp\" data-doc=\"");
    put_id(pg, doc);
    fprintf(f, "\" data-passages=\"%zu\"%s><summary>Side by side with <b>", np, open ? " open" : "");
    put_outlet(pg, retold_overlap_doc_outlet(pg->ov, doc));
    fputs("</b> &middot; ", f);
    put_id(pg, doc);
    fputs(" &mdash; ", f);
    if (np == 0) fputs("no passage of 8 or more words in common", f);
    else {
        put_count(f, np);
        fprintf(f, " shared passage%s, ", np == 1 ? "" : "s");
        put_pct(f, b.n ? (double)covb / (double)b.n : 0);
        fputs(" of this text, ", f);
        put_pct(f, a.n ? (double)cova / (double)a.n : 0);
        fputs(" of the origin", f);
    }
    fputs("</summary>\n<div class=\"sbs\">\n<div class=\"col\">", f);
    put_doc_head(pg, origin, "Origin");
    fputs("<div class=\"text\">", f);
    put_marked(f, ta, la, ra, np);
    if (pg->text_full[origin] > la) fputs("\n<span class=\"dim\">[&hellip; text cut here for the page]</span>", f);
    fputs("</div></div>\n<div class=\"col\">", f);
    put_doc_head(pg, doc, "This one");
    fputs("<div class=\"text\">", f);
    put_marked(f, tb, lb, rb, np);
    if (pg->text_full[doc] > lb) fputs("\n<span class=\"dim\">[&hellip; text cut here for the page]</span>", f);
    fputs("</div></div>\n</div>\n</details>\n", f);
out:
    toks_free(&a);
    toks_free(&b);
    free(p);
    free(ra);
    free(rb);
    return rc;
}

static void put_headline(page *pg, uint32_t doc)
{
    const char *t = pg->text[doc];
    if (!t) { put_id(pg, doc); return; }
    while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t') t++;
    size_t len = strcspn(t, "\n");
    int cut = 0;
    if (len > HEADLINE_MAX) {
        len = HEADLINE_MAX;
        while (len > 0 && t[len] != ' ') len--;          /* at a word */
        if (len == 0) len = HEADLINE_MAX;
        while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80) len--;
        cut = 1;
    }
    while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\r')) len--;
    if (len == 0) { put_id(pg, doc); return; }
    esc(pg->f, t, len);
    if (cut) fputs("&hellip;", pg->f);
}

static int cluster_list(page *pg)
{
    FILE *f = pg->f;
    fputs("<section id=\"clusters\">\n<h2>", f);
    fputs(pg->o->cross_only ? "Stories shared between outlets" : "Stories told more than once", f);
    fputs("</h2>\n<p class=\"how\">Each group is one story and its copies. The <b>origin</b> is the earliest "
          "document by date (by input order when undated); every other document says how it relates to the "
          "origin. Open a comparison to see the passages they share (8 or more words in a row, highlighted).</p>\n", f);
    if (pg->nclus == 0) {
        fputs("<p class=\"how\"><b>No document has a copy in this corpus.</b></p>\n</section>\n", f);
        return RETOLD_OK;
    }
    fputs("<p class=\"note\">", f);
    if (pg->nshown < pg->nclus) {
        fputs("Showing the ", f); put_count(f, pg->nshown); fputs(" largest of ", f); put_count(f, pg->nclus);
        fputs(" groups (most outlets first, then most documents).", f);
    } else {
        put_count(f, pg->nclus); fputs(pg->nclus == 1 ? " group" : " groups", f);
        fputs(", most outlets first, then most documents.", f);
    }
    fputs("</p>\n<div id=\"cluster-filter\" class=\"filter hidden\"><input id=\"cluster-q\" type=\"search\" "
          "placeholder=\"Filter by outlet, id or words\" aria-label=\"Filter stories\">"
          "<span id=\"cluster-status\" class=\"dim\"></span>"
          "<button id=\"cluster-clear\" class=\"hidden\" type=\"button\">Show all</button></div>\n", f);
    uint32_t *cmp = malloc((pg->o->max_compare + 1) * sizeof *cmp);
    uint32_t *outl = NULL;
    if (!cmp) return RETOLD_NOMEM;
    int rc = RETOLD_OK, opened = 0;
    for (size_t ci = 0; ci < pg->nshown && rc == RETOLD_OK; ci++) {
        const clus *c = &pg->clus[ci];
        const uint32_t *m = pg->member + pg->moff[c->root];
        uint32_t oo = retold_overlap_doc_outlet(pg->ov, c->origin);
        /* outlets of the cluster (for the pair filter), and those with two or more documents */
        uint32_t *t = realloc(outl, c->size * sizeof *t);
        if (!t) { rc = RETOLD_NOMEM; break; }
        outl = t;
        for (size_t i = 0; i < c->size; i++) outl[i] = retold_overlap_doc_outlet(pg->ov, m[i]);
        qsort(outl, c->size, sizeof *outl, u32_cmp);
        fprintf(f, "<article class=\"cluster\" id=\"cluster-%zu\" data-size=\"%u\" data-outlet-count=\"%u\" data-origin=\"",
                ci + 1, c->size, c->outlets);
        put_id(pg, c->origin);
        fputs("\" data-outlets=\"", f);
        for (size_t i = 0, k = 0; i < c->size; i++)
            if (i == 0 || outl[i] != outl[i - 1]) { if (k++) fputs("&#10;", f); put_outlet(pg, outl[i]); }
        fputs("\" data-self=\"", f);
        for (size_t i = 1, k = 0; i < c->size; i++)
            if (outl[i] == outl[i - 1] && (i < 2 || outl[i - 1] != outl[i - 2])) { if (k++) fputs("&#10;", f); put_outlet(pg, outl[i]); }
        fprintf(f, "\">\n<h3><span class=\"rank\">#%zu</span>", ci + 1);
        put_headline(pg, c->origin);
        fputs("</h3>\n<p class=\"meta\">", f);
        put_count(f, c->size); fputs(" documents in ", f); put_count(f, c->outlets);
        fputs(c->outlets == 1 ? " outlet" : " outlets", f);
        fputs(" &middot; first published by <b>", f); put_outlet(pg, oo); fputs("</b>", f);
        double d0 = retold_overlap_doc_day(pg->ov, c->origin), dl = retold_overlap_doc_day(pg->ov, m[c->size - 1]);
        if (!isnan(d0)) {
            fputs(" on ", f); put_date(pg, c->origin);
            if (!isnan(dl) && dl > d0) { fputs(" &middot; last copy ", f); put_span(f, dl - d0); fputs(" later", f); }
        }
        fputs("</p>\n<table class=\"members\">\n<tr><th>Outlet</th><th>Document</th><th>Date</th>"
              "<th>Relation to the origin</th><th class=\"n\">Similarity</th></tr>\n", f);
        size_t shown = c->size < pg->o->max_members ? c->size : pg->o->max_members;
        if (shown < 2) shown = 2 < c->size ? 2 : c->size;
        for (size_t i = 0; i < shown; i++) {
            uint32_t d = m[i];
            int direct = 0;
            long pi = i ? link_of(pg, d, c->origin, &direct) : -1;
            const retold_pair *p = pi >= 0 ? &pg->pairs[pi] : NULL;
            const char *rel = i == 0 ? "origin" : p ? retold_relation_name(p->relation) : "none";
            fprintf(f, "<tr class=\"member%s\" data-id=\"", i == 0 ? " origin" : "");
            put_id(pg, d);
            fprintf(f, "\" data-relation=\"%s\"><td>", rel);
            put_outlet(pg, retold_overlap_doc_outlet(pg->ov, d));
            fputs("</td><td>", f); put_id(pg, d);
            fputs("</td><td>", f); put_date(pg, d);
            double dd = retold_overlap_doc_day(pg->ov, d);
            if (i && !isnan(d0) && !isnan(dd)) {
                fputs(" <span class=\"dim\">(", f);
                if (fabs(dd - d0) < 1.0 / 48) fputs("same time", f);
                else { fputs(dd > d0 ? "+" : "&minus;", f); put_span(f, dd - d0); }
                fputs(")</span>", f);
            }
            fprintf(f, "</td><td><span class=\"rel rel-%s\">%s</span>", rel, i == 0 ? "origin (earliest)" : rel);
            if (p && !direct) {
                uint32_t via = p->a == d ? p->b : p->a;
                fputs(" <span class=\"dim\">via ", f); put_id(pg, via); fputs("</span>", f);
            }
            fputs("</td><td class=\"n\">", f);
            if (p) fprintf(f, "%.0f%% same &middot; %.0f%% contained", p->jaccard * 100.0, p->containment * 100.0);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        if (shown < c->size) {
            fputs("<p class=\"note\">&hellip; and ", f); put_count(f, c->size - shown); fputs(" more documents.</p>\n", f);
        }
        size_t k = compared(pg, c, cmp);
        for (size_t j = 0; j < k && rc == RETOLD_OK; j++) {
            /* open the first comparison where something differs: it shows what a copy changed */
            int direct, open = 0;
            long pi = link_of(pg, cmp[j], c->origin, &direct);
            if (!opened && (pi < 0 || pg->pairs[pi].relation != RETOLD_REL_DUPLICATE)) open = opened = 1;
            rc = side_by_side(pg, c->origin, cmp[j], open);
        }
        fputs("</article>\n", f);
    }
    free(cmp);
    free(outl);
    if (rc == RETOLD_OK)
        fputs("<p class=\"note\">&ldquo;Same&rdquo;: shared word 5-grams over all distinct 5-grams of the two "
              "(Jaccard); &ldquo;contained&rdquo;: shared 5-grams over those of the shorter text.</p>\n</section>\n", f);
    return rc;
}

static const char *const rel_help[RETOLD_OVERLAP_NREL] = {
    "similar at the threshold, not a copy by the rules below",
    "about the same event: shared names and numbers, no shared text",
    "the same story in another language",
    "the same story reworded",
    "one text contained in the other: a trim, a new lede, an excerpt",
    "the same text with small edits",
    "identical after normalisation (case, quotes, spacing)",
};

static void summary(page *pg)
{
    FILE *f = pg->f;
    retold_overlap_stats st;
    retold_overlap_get_stats(pg->ov, &st);
    uint64_t byrel[RETOLD_OVERLAP_NREL] = { 0 };
    for (size_t i = 0; i < pg->npairs; i++) {
        int r = pg->pairs[i].relation;
        byrel[r >= 0 && r < RETOLD_OVERLAP_NREL ? r : 0]++;
    }
    uint64_t nclus_all = 0;
    for (size_t r = 0; r < pg->n; r++) nclus_all += pg->moff[r + 1] - pg->moff[r] >= 2;
    fputs("<section id=\"summary\">\n<h2>The corpus at a glance</h2>\n<div class=\"cards\">\n", f);
    fputs("<div class=\"card\" id=\"n-docs\"><b>", f); put_count(f, st.docs); fputs("</b><span>documents</span></div>\n", f);
    fputs("<div class=\"card\" id=\"n-outlets\"><b>", f); put_count(f, st.outlets); fputs("</b><span>outlets</span></div>\n", f);
    fputs("<div class=\"card\" id=\"n-clusters\"><b>", f); put_count(f, nclus_all);
    fputs("</b><span>stories with copies</span></div>\n", f);
    fputs("<div class=\"card\" id=\"n-clustered\"><b>", f); put_count(f, pg->clus_docs);
    fputs("</b><span>documents in them</span></div>\n", f);
    fputs("<div class=\"card\" id=\"n-shared\"><b>", f); put_count(f, st.shared_cross);
    fputs("</b><span>documents copied across outlets</span></div>\n</div>\n", f);
    fputs("<h3>Related pairs by kind</h3>\n<table class=\"relations\">\n<tr><th>relation</th><th class=\"n\">pairs</th>"
          "<th>meaning</th></tr>\n", f);
    for (int r = RETOLD_REL_DUPLICATE; r >= RETOLD_REL_NONE; r--) {
        if (r == RETOLD_REL_NONE && !byrel[r]) continue;
        fprintf(f, "<tr data-relation=\"%s\"><td><span class=\"rel rel-%s\">%s</span></td><td class=\"n\">",
                retold_relation_name(r), retold_relation_name(r), r ? retold_relation_name(r) : "other");
        put_count(f, byrel[r]);
        fprintf(f, "</td><td>%s%s</td></tr>\n", rel_help[r],
                r && !(pg->rels & RETOLD_REL_BIT(r)) ? " <span class=\"dim\">(not counted as a copy here)</span>" : "");
    }
    fputs("</table>\n", f);
    /* outlets that share most; how many stories each was first with */
    size_t nout = retold_overlap_outlets(pg->ov);
    uint64_t *firsts = calloc(nout ? nout : 1, sizeof *firsts);
    uint32_t top[TOPS_MAX];
    size_t k = retold_overlap_top(pg->ov, TOPS_MAX, top);
    if (firsts)
        for (size_t i = 0; i < pg->nclus; i++)
            if (pg->clus[i].outlets >= 2) firsts[retold_overlap_doc_outlet(pg->ov, pg->clus[i].origin)]++;
    fputs("<h3>Outlets</h3>\n<table class=\"outlets\">\n<tr><th>outlet</th><th class=\"n\">documents</th>"
          "<th class=\"n\">copied across outlets</th><th class=\"n\">share</th><th class=\"n\">repeats of its own</th>"
          "<th class=\"n\">shared stories it had first</th></tr>\n", f);
    for (size_t i = 0; i < k; i++) {
        retold_overlap_outlet info;
        retold_overlap_outlet_info(pg->ov, top[i], &info);
        fputs("<tr><td>", f); put_outlet(pg, top[i]);
        fputs("</td><td class=\"n\">", f); put_count(f, info.docs);
        fputs("</td><td class=\"n\">", f); put_count(f, info.shared_cross);
        fputs("</td><td class=\"n\">", f); put_pct(f, info.docs ? (double)info.shared_cross / (double)info.docs : 0);
        fputs("</td><td class=\"n\">", f); put_count(f, info.shared_self);
        fputs("</td><td class=\"n\">", f);
        if (firsts) put_count(f, firsts[top[i]]);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (k < nout) {
        fputs("<p class=\"note\">The ", f); put_count(f, k); fputs(" of ", f); put_count(f, nout);
        fputs(" outlets with the most documents copied across outlets.</p>\n", f);
    }
    free(firsts);
    if (st.missing_dates || st.bad_dates) {
        fputs("<p class=\"note\">Dates: ", f); put_count(f, st.missing_dates); fputs(" documents have none", f);
        if (st.bad_dates) { fputs(", ", f); put_count(f, st.bad_dates); fputs(" could not be read (treated as none)", f); }
        fputs("; they count in no direction.</p>\n", f);
    }
    fputs("</section>\n", f);
}

int retold_report_write(FILE *f, retold_batch *b, const retold_overlap *ov,
                        const retold_pair *pairs, size_t npairs, const retold_report_opts *o)
{
    retold_report_opts def;
    if (!o) { retold_report_opts_default(&def); o = &def; }
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.f = f;
    pg.b = b;
    pg.ov = ov;
    pg.pairs = pairs;
    pg.npairs = npairs;
    pg.o = o;
    pg.rels = retold_overlap_relations(ov);
    pg.n = retold_batch_size(b);
    int rc = build_clusters(&pg);
    if (rc == RETOLD_OK) rc = load_texts(&pg);
    if (rc == RETOLD_OK && !(pg.tk = retold_tokenizer_new(0, 0))) rc = RETOLD_NOMEM;
    if (rc != RETOLD_OK) goto out;

    const char *title = o->title ? o->title : o->summary ? "What this corpus repeats" : "Who copies whom";
    retold_overlap_stats st;
    retold_overlap_get_stats(ov, &st);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>", f);
    esc_str(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header class=\"top\">\n<h1>", css);
    esc_str(f, title);
    fputs("</h1>\n<p class=\"lede\">", f);
    put_count(f, st.docs); fputs(" documents from ", f); put_count(f, st.outlets);
    fputs(st.outlets == 1 ? " outlet" : " outlets", f);
    if (o->ninputs) {
        fputs(" in ", f);
        for (size_t i = 0; i < o->ninputs && i < 5; i++) {
            if (i) fputs(", ", f);
            fputs("<code>", f); esc_str(f, o->inputs[i]); fputs("</code>", f);
        }
        if (o->ninputs > 5) { fputs(" and ", f); put_count(f, o->ninputs - 5); fputs(" more", f); }
    }
    fputs(". ", f);
    put_count(f, st.shared_cross);
    fputs(" of them also appear, copied whole or in part, in another outlet.</p>\n</header>\n", f);
    if (o->summary) summary(&pg);
    if ((rc = heatmap(&pg)) != RETOLD_OK) goto out;
    if ((rc = cluster_list(&pg)) != RETOLD_OK) goto out;
    fputs("<footer>\n<p><b>How this was made.</b> Every document is cut into overlapping 5-word sequences after "
          "normalising case, accents, quotes and spacing. Documents that share many of them are paired "
          "(MinHash and LSH find the candidates; similarity is then checked) and labelled: <i>duplicate</i> "
          "(identical), <i>near-copy</i> (most sequences shared), <i>partial copy</i> (one contained in the other: "
          "a trimmed text or one under a new lede). A document counts as shared with an outlet if it has such a "
          "relation to at least one of that outlet&#39;s documents. Direction compares its date with the earliest "
          "related document of the other outlet; equal times count in neither direction. Undated documents count "
          "in no direction.</p>\n<p>", f);
    if (o->generator) { fputs("Made with ", f); esc_str(f, o->generator); fputs(". ", f); }
    fputs("This page is self-contained: no network, no external scripts or fonts.</p>\n</footer>\n</main>\n<script>\n", f);
    fputs(js, f);
    fputs("</script>\n</body>\n</html>\n", f);
    rc = ferror(f) ? RETOLD_IO : RETOLD_OK;
out:
    if (pg.text)
        for (size_t i = 0; i < pg.n; i++) free(pg.text[i]);
    free(pg.text);
    free(pg.text_full);
    free(pg.need);
    free(pg.root);
    free(pg.adj_off);
    free(pg.adj);
    free(pg.member);
    free(pg.moff);
    free(pg.clus);
    retold_tokenizer_free(pg.tk);
    return rc;
}

int retold_report_write_path(const char *path, retold_batch *b, const retold_overlap *ov,
                             const retold_pair *pairs, size_t npairs, const retold_report_opts *o)
{
    FILE *f = fopen(path, "w");
    if (!f) return RETOLD_IO;
    int rc = retold_report_write(f, b, ov, pairs, npairs, o);
    int e = errno;
    if (fclose(f) != 0 && rc == RETOLD_OK) { rc = RETOLD_IO; e = errno; }
    errno = e;
    return rc;
}
