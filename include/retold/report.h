/*
 * retold/report.h - a self-contained HTML page about a batch run: corpus
 * summary, the outlet x outlet heatmap, and the clusters of shared stories
 * with their shared passages side by side.
 *
 * One file, no network: inline CSS, inline SVG, a little inline JavaScript
 * (hover details, filters), system fonts.  Without JavaScript every number
 * is still there (tables, SVG <title> tooltips, <details> for the texts).
 *
 * What it shows:
 *   summary     (opts.summary) documents, outlets, clusters, relations by
 *               kind, the outlets that share most and how many stories they
 *               were first with
 *   heatmap     the top_outlets outlets that share most (retold_overlap_top),
 *               ordered by retold_overlap_order, every other outlet folded
 *               into one "other outlets" row and column (and said so); cell
 *               (A, B) is the share of A's documents with a copy in B
 *   flows       the largest cross-outlet cells as a sentence-like table
 *   clusters    connected groups of documents joined by pairs whose relation
 *               the overlap selected; ranked by outlets spanned, then size;
 *               for each: its documents, the origin (earliest by date, else
 *               first in input order), each document's relation to the
 *               origin, and up to max_compare side-by-side comparisons with
 *               the shared passages highlighted (maximal runs of >= 8
 *               matching words; texts re-read from the inputs, only those
 *               shown)
 *
 * Output is deterministic (no clock, no randomness) for the same inputs.
 */
#ifndef RETOLD_REPORT_H
#define RETOLD_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "retold/batch.h"
#include "retold/overlap.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct retold_report_opts {
    const char *title;            /* NULL: a title by kind of page */
    int summary;                  /* 1: corpus summary first (`retold report`) */
    int cross_only;               /* 1: only clusters spanning >= 2 outlets */
    unsigned top_outlets;         /* heatmap rows and columns (30) */
    unsigned max_clusters;        /* clusters listed (50) */
    unsigned max_members;         /* documents listed per cluster (40) */
    unsigned max_compare;         /* side-by-sides per cluster (3) */
    size_t max_text;              /* bytes of each text shown (30000) */
    const char *const *inputs;    /* input names shown in the header (optional) */
    size_t ninputs;
    const char *generator;        /* e.g. "retold 0.1.0" (optional) */
} retold_report_opts;

void retold_report_opts_default(retold_report_opts *o);

/* Write the page to f.  b is a finished batch run, ov the overlap computed
 * over its documents (same indexes) from pairs[0..npairs), whose relation
 * fields are set.  The inputs are re-read for the texts shown.  Returns
 * RETOLD_OK; RETOLD_NOMEM; RETOLD_IO when writing failed (errno as stdio
 * left it); or the error of re-reading (detail: retold_batch_errmsg(b)).
 * Nothing is printed anywhere but f. */
int retold_report_write(FILE *f, retold_batch *b, const retold_overlap *ov,
                        const retold_pair *pairs, size_t npairs, const retold_report_opts *o);

/* The same into a new file at path (replaced if it exists). */
int retold_report_write_path(const char *path, retold_batch *b, const retold_overlap *ov,
                             const retold_pair *pairs, size_t npairs, const retold_report_opts *o);

#ifdef __cplusplus
}
#endif
#endif
