/*
 * fuzz_cli.c - libFuzzer target: cli_parse (src/cli/common.c), the option
 * parser shared by every subcommand, on arbitrary argument vectors.
 *
 * Input layout: byte 0 picks the command (pairs / clusters / dedup, i.e.
 * which of --against, -o, --format are allowed); the rest is split on NUL
 * bytes into argv[1..].  The parser must never crash, must return -1 (go on)
 * or an exit code 0..3, and on -1 must leave resolved, valid parameters and
 * at least one input.  Its usage and error text goes to /dev/null.
 *
 * glibc's getopt keeps a pointer into the previous argv between calls
 * unless optind is set to 0; cli_parse sets optind = 1, which is enough for
 * a process that parses once (the CLI), but not for a fuzzer that parses
 * millions of vectors, so the target resets getopt before every call.
 *
 * Speed: cli_parse resolves the parameters, and retold_lsh_choose
 * integrates the S-curve for every (b, r) with b r <= k, about 4 ms per
 * call at k = 128 under the sanitizers (250 runs/s).  It is a pure function
 * of (t, k, w), so this target links with -Wl,--wrap=retold_lsh_choose
 * (Makefile.fuzz) and memoises it (lsh_memo.h): the real function still runs once
 * for every distinct argument triple.
 */
#include "cli.h"
#include "lsh_memo.h"

#include <fcntl.h>
#include <getopt.h>
#include <sanitizer/common_interface_defs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_cli: %s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

#define MAXARGS 64


/* Standard output and error go to /dev/null while cli_parse runs, and
 * back afterwards (libFuzzer prints its status on stderr).  Sanitizer
 * reports go to a copy of the real stderr, so a crash is still seen.
 * FUZZ_CLI_VERBOSE=1 keeps the parser's messages. */
static int devnull = -1, saved_out = -1, saved_err = -1;

static void quiet_begin(void)
{
    if (devnull < 0) {
        if (getenv("FUZZ_CLI_VERBOSE")) return;
        devnull = open("/dev/null", O_WRONLY);
        saved_out = dup(STDOUT_FILENO);
        saved_err = dup(STDERR_FILENO);
        CHECK(devnull >= 0 && saved_out >= 0 && saved_err >= 0);
        __sanitizer_set_report_fd((void *)(intptr_t)saved_err);
    }
    fflush(stdout);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
}

static void quiet_end(void)
{
    if (devnull < 0) return;
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
}

static void reset_getopt(void)
{
    char prog[] = "x";
    char *argv[] = { prog, NULL };
    optind = 0;
    opterr = 0;
    while (getopt(1, argv, "") != -1) { }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    static const struct { const char *name; unsigned allowed; } cmds[] = {
        { "pairs", CLI_AGAINST | CLI_OUTPUT | CLI_FORMAT },
        { "clusters", CLI_OUTPUT },
        { "dedup", CLI_OUTPUT },
    };
    unsigned which = data[0] % 3;
    /* arguments: NUL-separated strings in an exact-size copy */
    size_t n = size - 1;
    char *buf = malloc(n + 1);
    if (!buf) return 0;
    memcpy(buf, data + 1, n);
    buf[n] = 0;
    char *argv[MAXARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)cmds[which].name;
    for (size_t i = 0; i < n && argc <= MAXARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;

    reset_getopt();
    cli_opts o;
    quiet_begin();
    int rc = cli_parse(&o, argc, argv, cmds[which].name, cmds[which].allowed, "usage\n");
    quiet_end();
    CHECK(rc == -1 || (rc >= EXIT_OK && rc <= EXIT_FAILURE_INTERNAL));
    if (rc == -1) {
        const retold_params *p = &o.batch.params;
        CHECK(o.ninputs >= 1);
        CHECK(p->ngram >= 1 && p->ngram <= RETOLD_NGRAM_MAX);
        CHECK(p->perms >= 1 && p->perms <= RETOLD_PERMS_MAX);
        CHECK(p->bands >= 1 && p->rows >= 1 && (uint64_t)p->bands * p->rows <= p->perms);
        CHECK(p->threshold > 0 && p->threshold <= 1);
        CHECK(p->char_ngram <= 256);
        for (size_t i = 0; i < o.ninputs; i++) CHECK(o.inputs[i] != NULL);
        for (size_t i = 0; i < o.nrefs; i++) CHECK(o.refs[i] != NULL);
        CHECK(o.nrefs == 0 || (cmds[which].allowed & CLI_AGAINST));
        CHECK(!o.output || (cmds[which].allowed & CLI_OUTPUT));
        CHECK(!o.format || (cmds[which].allowed & CLI_FORMAT));
    }
    cli_opts_release(&o);
    free(buf);
    return 0;
}
