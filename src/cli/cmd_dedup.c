/* cmd_dedup.c - `retold dedup`: the corpus minus its near-duplicates. */
#include "cli.h"

#include <string.h>

static const char usage[] =
"Usage: retold dedup [options] INPUT... -o UNIQUE.jsonl\n"
"Write the input records minus near-duplicates: of every cluster only the\n"
"first document in input order is kept.  JSONL records are copied as they\n"
"were read; documents from text files are written as {\"id\", \"text\"}.\n"
"A summary goes to standard error.\n"
"  -o, --output F  write to F (default standard output)\n";

typedef struct dedup_ctx {
    FILE *f;
    const uint32_t *root;
    unsigned long long kept;
} dedup_ctx;

static int write_kept(void *ctx, const retold_record *rec, size_t doc)
{
    dedup_ctx *c = ctx;
    if (c->root[doc] != doc) return 0;
    if (rec->raw) {
        fwrite(rec->raw, 1, rec->raw_len, c->f);
    } else {
        fputs("{\"id\":", c->f); cli_put_json(c->f, rec->id, rec->id_len);
        fputs(",\"text\":", c->f); cli_put_json(c->f, rec->text, rec->text_len);
        putc('}', c->f);
    }
    putc('\n', c->f);
    c->kept++;
    return ferror(c->f) ? -1 : 0;
}

int cmd_dedup(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(&o, argc, argv, "dedup", CLI_OUTPUT, usage);
    if (rc >= 0) { cli_opts_release(&o); return rc; }
    retold_batch *b;
    if ((rc = cli_run_batch(&o, &b)) >= 0) { cli_opts_release(&o); return rc; }
    FILE *f = cli_open_output(o.output);
    if (!f) { retold_batch_free(b); cli_opts_release(&o); return EXIT_FAILURE_INTERNAL; }
    dedup_ctx c = { f, retold_batch_clusters(b), 0 };
    int r2 = retold_batch_reread(b, 0, write_kept, &c);
    if (r2 > 0 || (r2 < 0 && r2 != -1)) {
        fprintf(stderr, "%s: %s\n", cli_prog, retold_batch_errmsg(b));
        if (f != stdout) fclose(f);
        retold_batch_free(b);
        cli_opts_release(&o);
        return EXIT_INPUT;
    }
    rc = cli_close_output(f, o.output);
    retold_batch_stats st;
    retold_batch_get_stats(b, &st);
    if (!o.quiet && rc == EXIT_OK)
        fprintf(stderr, "%s dedup: %llu documents read, %llu kept, %llu dropped as near-duplicates, "
                "%llu clusters\n", cli_prog, (unsigned long long)st.docs, c.kept,
                (unsigned long long)(st.docs - c.kept), (unsigned long long)st.clusters);
    retold_batch_free(b);
    cli_opts_release(&o);
    return rc;
}
