/* cmd_pairs.c - `retold pairs`: similar pairs as TSV or JSONL. */
#include "cli.h"

#include <string.h>

static const char usage[] =
"Usage: retold pairs [options] INPUT... [--against REF...]\n"
"Print every pair of documents whose Jaccard similarity (word n-gram\n"
"shingles) reaches the threshold, once, sorted by input position.\n"
"INPUT is a JSONL file (.jsonl/.ndjson/.json, optionally .gz), a directory\n"
"of text files, a text file, or - for JSONL on standard input.\n"
"  --against REF   only pairs between INPUT and the reference corpus REF\n"
"  -f, --format F  tsv (default: id_a id_b jaccard containment [relation\n"
"                  score with --views]) or jsonl (one object per pair: a, b,\n"
"                  relation, score, lang_a, lang_b, views{jaccard, containment})\n"
"  -o, --output F  write to F instead of standard output\n";

int cmd_pairs(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(&o, argc, argv, "pairs", CLI_AGAINST | CLI_OUTPUT | CLI_FORMAT, usage);
    if (rc >= 0) { cli_opts_release(&o); return rc; }
    int jsonl = 0;
    if (o.format && !strcmp(o.format, "jsonl")) jsonl = 1;
    else if (o.format && strcmp(o.format, "tsv")) {
        fprintf(stderr, "%s pairs: --format takes tsv or jsonl, not '%s'\n", cli_prog, o.format);
        cli_opts_release(&o);
        return EXIT_USAGE;
    }
    retold_batch *b;
    if ((rc = cli_run_batch(&o, &b)) >= 0) { cli_opts_release(&o); return rc; }
    FILE *f = cli_open_output(o.output);
    if (!f) { retold_batch_free(b); cli_opts_release(&o); return EXIT_FAILURE_INTERNAL; }
    size_t n;
    const retold_pair *pr = retold_batch_pairs(b, &n);
    const retold_params *prm = retold_batch_params(b);
    int multi = retold_params_nviews(prm) > 1;
    if (!jsonl) fputs(multi ? "id_a\tid_b\tjaccard\tcontainment\trelation\tscore\n"
                            : "id_a\tid_b\tjaccard\tcontainment\n", f);
    for (size_t i = 0; i < n && !ferror(f); i++)
        cli_put_pair(f, b, &pr[i], jsonl);
    rc = cli_close_output(f, o.output);
    retold_batch_free(b);
    cli_opts_release(&o);
    return rc;
}
