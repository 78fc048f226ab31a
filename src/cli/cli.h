/* cli.h - what the subcommands of the retold tool share. */
#ifndef RETOLD_CLI_H
#define RETOLD_CLI_H

#include <stdio.h>
#include "retold.h"

/* Exit codes, the same for every subcommand. */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_FAILURE_INTERNAL = 3 };

/* Options common to the corpus commands (pairs, clusters, dedup). */
typedef struct cli_opts {
    retold_batch_opts batch;
    const char **inputs;  size_t ninputs;
    const char **refs;    size_t nrefs;
    const char *output;   /* -o, NULL = stdout */
    const char *format;   /* output format name, NULL = command default */
    int explain;          /* --explain-params */
    int quiet;
    int stats;            /* --stats */
    size_t memory_limit;  /* --memory-limit, 0 = none (set by cli_run_batch) */
    /* overlap and report (CLI_OVERLAP) */
    const char *relations;        /* --relations LIST, NULL = copy family */
    unsigned top_outlets;         /* --top-outlets N (default 30) */
    unsigned max_clusters;        /* --clusters N (default 50) */
    unsigned long long min_shared;  /* --min-shared N: CSV rows below are left out */
} cli_opts;

/* Which options a command takes besides the common ones. */
#define CLI_AGAINST 0x1u
#define CLI_OUTPUT  0x2u
#define CLI_FORMAT  0x4u
#define CLI_OVERLAP 0x8u  /* --by, --relations, --top-outlets, --clusters,
                             --min-shared; threshold default 0.5 */

/* Parse argv for command `cmd`.  Returns -1 to go on, else an exit code
 * (after printing usage or an error).  `usage` is the command's help text. */
int cli_parse(cli_opts *o, int argc, char **argv, const char *cmd,
              unsigned allowed, const char *usage);
void cli_opts_release(cli_opts *o);

/* A decimal count in 0..max (suffix: K, M or G multipliers allowed); 0 or
 * -1 when malformed.  A view list ("surface,rewrite", "all") as a mask. */
int cli_parse_uint(const char *s, unsigned long long max, unsigned long long *v, int suffix);
int cli_parse_views(const char *list, unsigned *views);

/* Run the batch; prints errors and warnings.  Returns -1 on success (the
 * batch in *out) or an exit code. */
int cli_run_batch(cli_opts *o, retold_batch **out);

/* Open -o (or stdout); close it checking for write errors.  Both print the
 * error and return an exit code, or -1 / EXIT_OK. */
FILE *cli_open_output(const char *path);
int cli_close_output(FILE *f, const char *path);

/* Write s[0..n) as a TSV field (\t \n \r \\ escaped) / a JSON string. */
void cli_put_tsv(FILE *f, const char *s, size_t n);
void cli_put_json(FILE *f, const char *s, size_t n);

void cli_explain_params(FILE *f, const retold_params *p);

/* Write the HTML report (summary: the whole-corpus page of `report`; else
 * `overlap -f html`).  Returns -1 when written (write errors are left to
 * cli_close_output) or an exit code after printing the error. */
int cli_write_report(const char *cmd, const cli_opts *o, FILE *f, retold_batch *b, const retold_overlap *ov,
                     const retold_pair *pairs, size_t npairs, int summary);

/* One pair as a TSV line or a JSON object line. */
void cli_put_pair(FILE *f, const retold_batch *b, const retold_pair *p, int jsonl);

int cmd_pairs(int argc, char **argv);
int cmd_clusters(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_overlap(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* For overlap and report: run the batch, label every pair with its
 * relation, aggregate the overlap between outlets.  Returns -1 on success
 * (all three out-parameters set; free with free(), retold_overlap_free(),
 * retold_batch_free()) or an exit code after printing the error. */
int cli_overlap_run(cli_opts *o, const char *cmd, retold_batch **b, retold_pair **pairs,
                    size_t *npairs, retold_overlap **ov);
int cmd_index(int argc, char **argv);

extern const char *cli_prog;
extern size_t cli_memory_limit;   /* --memory-limit, 0 = none */

#endif
