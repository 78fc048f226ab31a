/* main.c - the retold tool: dispatch to one file per subcommand. */
#include "cli.h"

#include <string.h>

static const char usage[] =
"retold " RETOLD_VERSION_STRING " - find copies, rewrites and translations of the same story\n"
"\n"
"Usage: retold COMMAND [options] INPUT...\n"
"Commands:\n"
"  pairs      similar pairs of documents (TSV or JSONL)\n"
"  clusters   groups of near-duplicate documents (JSONL)\n"
"  dedup      the corpus minus near-duplicates\n"
"  compare    two documents: scores per view, relation, shared passages\n"
"  overlap    outlet x outlet overlap: who copies whom, how much, how soon\n"
"  report     one HTML page: summary, overlap heatmap, shared stories\n"
"  index      a standing on-disk index: create, add, query, remove, forget\n"
"Run 'retold COMMAND --help' for the options of a command.\n";

int main(int argc, char **argv)
{
    if (argc < 2) { fputs(usage, stderr); return EXIT_USAGE; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) { fputs(usage, stdout); return EXIT_OK; }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) { puts("retold " RETOLD_VERSION_STRING); return EXIT_OK; }
    if (!strcmp(cmd, "pairs")) return cmd_pairs(argc - 1, argv + 1);
    if (!strcmp(cmd, "clusters")) return cmd_clusters(argc - 1, argv + 1);
    if (!strcmp(cmd, "dedup")) return cmd_dedup(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare")) return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "overlap")) return cmd_overlap(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "index")) return cmd_index(argc - 1, argv + 1);
    fprintf(stderr, "retold: unknown command '%s'\n%s", cmd, usage);
    return EXIT_USAGE;
}
