/* cmd_report.c - `retold report`: one self-contained HTML page about a
 * corpus: summary, outlet x outlet heatmap, the clusters with their shared
 * passages. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
"Usage: retold report [options] INPUT... -o REPORT.html\n"
"Write one HTML page (no network, opens in any browser) about the corpus:\n"
"documents, clusters and relations by kind; the outlet x outlet heatmap\n"
"(the share of each outlet's documents copied in another; --by FIELD for\n"
"the outlet field, --date-field for dates); the clusters of copies with\n"
"their earliest document and the shared passages side by side.\n"
"  -o, --output F     write to F (default standard output)\n"
"  --by FIELD         the outlet field (default source)\n"
"  --relations LIST   relations that join documents (default copy; see\n"
"                     retold overlap --help)\n"
"  --top-outlets N    outlets in the heatmap (default 30; the rest are\n"
"                     combined into one row and column)\n"
"  --clusters N       clusters listed (default 50)\n"
"Candidates are found at -t 0.5 here (not 0.8).\n";

int cmd_report(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(&o, argc, argv, "report", CLI_OUTPUT | CLI_OVERLAP, usage);
    if (rc >= 0) { cli_opts_release(&o); return rc; }
    retold_batch *b;
    retold_pair *pairs;
    size_t npairs;
    retold_overlap *ov;
    if ((rc = cli_overlap_run(&o, "report", &b, &pairs, &npairs, &ov)) >= 0) { cli_opts_release(&o); return rc; }
    FILE *f = cli_open_output(o.output);
    if (!f) {
        rc = EXIT_FAILURE_INTERNAL;
        goto out;
    }
    if ((rc = cli_write_report("report", &o, f, b, ov, pairs, npairs, 1)) >= 0) {
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
