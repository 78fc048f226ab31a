/* cmd_clusters.c - `retold clusters`: groups of near-duplicates as JSONL. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
"Usage: retold clusters [options] INPUT... [--against REF...]\n"
"Print the clusters (connected components of similar pairs) of two or more\n"
"documents as JSONL: {\"cluster\": ID, \"size\": N, \"members\": [ids]},\n"
"where ID and the first member are the cluster's earliest document in\n"
"input order.  Clusters are listed in the order of their first document.\n"
"  -o, --output F  write to F instead of standard output\n";

int cmd_clusters(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(&o, argc, argv, "clusters", CLI_AGAINST | CLI_OUTPUT, usage);
    if (rc >= 0) { cli_opts_release(&o); return rc; }
    retold_batch *b;
    if ((rc = cli_run_batch(&o, &b)) >= 0) { cli_opts_release(&o); return rc; }
    FILE *f = cli_open_output(o.output);
    size_t n = retold_batch_size(b);
    const uint32_t *root = retold_batch_clusters(b);
    /* members grouped by root, in input order: counting sort */
    uint32_t *count = calloc(n + 1, sizeof *count), *order = malloc((n ? n : 1) * sizeof *order);
    if (!f || !count || !order) {
        if (f && f != stdout) fclose(f);
        free(count); free(order); retold_batch_free(b); cli_opts_release(&o);
        if (f) fprintf(stderr, "%s: out of memory\n", cli_prog);
        return EXIT_FAILURE_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) count[root[i] + 1]++;
    for (size_t i = 0; i < n; i++) count[i + 1] += count[i];
    uint32_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (pos) {
        memcpy(pos, count, n * sizeof *pos);
        for (size_t i = 0; i < n; i++) order[pos[root[i]]++] = (uint32_t)i;
        free(pos);
        for (size_t r = 0; r < n && !ferror(f); r++) {
            uint32_t size = count[r + 1] - count[r];
            if (size < 2) continue;
            size_t len;
            const char *id = retold_batch_id(b, r, &len);
            fputs("{\"cluster\":", f); cli_put_json(f, id, len);
            fprintf(f, ",\"size\":%u,\"members\":[", size);
            for (uint32_t m = count[r]; m < count[r + 1]; m++) {
                if (m > count[r]) putc(',', f);
                id = retold_batch_id(b, order[m], &len);
                cli_put_json(f, id, len);
            }
            fputs("]}\n", f);
        }
    }
    rc = pos ? cli_close_output(f, o.output) : EXIT_FAILURE_INTERNAL;
    free(count);
    free(order);
    retold_batch_free(b);
    cli_opts_release(&o);
    return rc;
}
