/*
 * tokbench.c - the tokeniser alone: load the texts of the first N
 * documents of a JSONL file into memory, tokenise each R times, and print
 * ns per token, ns per byte and MB/s (thread CPU time).
 *
 *     bench/out/tokbench bench/out/corpus-100000.jsonl 20000 3
 *
 * For A/B runs of tokeniser changes: build it against each library and run
 * the two alternately; the last hash is printed so that the work cannot be
 * optimised away.
 */
#include "retold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: tokbench FILE.jsonl DOCS [REPEAT]\n");
        return 2;
    }
    size_t maxd = (size_t)strtoul(argv[2], NULL, 10);
    int reps = argc > 3 ? atoi(argv[3]) : 1;
    const char *paths[] = { argv[1] };
    retold_reader *r;
    if (retold_reader_open(&r, paths, 1, NULL) != RETOLD_OK) return 1;
    char **text = malloc((maxd ? maxd : 1) * sizeof *text);
    size_t *len = malloc((maxd ? maxd : 1) * sizeof *len), n = 0, bytes = 0;
    if (!text || !len) return 1;
    retold_record rec;
    int rc;
    while (n < maxd && (rc = retold_reader_next(r, &rec)) == RETOLD_OK) {
        if (!(text[n] = malloc(rec.text_len ? rec.text_len : 1))) return 1;
        memcpy(text[n], rec.text, rec.text_len);
        len[n] = rec.text_len;
        bytes += len[n++];
    }
    if (n < maxd && rc != RETOLD_EOF) {
        fprintf(stderr, "tokbench: %s\n", retold_reader_errmsg(r));
        return 1;
    }
    retold_reader_close(r);
    retold_tokenizer *tk = retold_tokenizer_new(0, 0);
    if (!tk) return 1;
    size_t tokens = 0;
    uint64_t last = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    for (int k = 0; k < reps; k++)
        for (size_t i = 0; i < n; i++) {
            const retold_token *tok;
            size_t c;
            if (retold_tokenize(tk, text[i], len[i], &tok, &c) != RETOLD_OK) return 1;
            tokens += c;
            if (c) last ^= tok[c - 1].hash;
        }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    double total = (double)bytes * reps;
    printf("%zu documents, %.0f bytes, %zu tokens: %.2f ns/token, %.3f ns/byte, %.1f MB/s (last hash %016llx)\n",
           n, total, tokens, tokens ? s * 1e9 / (double)tokens : 0.0, total ? s * 1e9 / total : 0.0,
           s > 0 ? total / s / 1e6 : 0.0, (unsigned long long)last);
    retold_tokenizer_free(tk);
    for (size_t i = 0; i < n; i++) free(text[i]);
    free(text);
    free(len);
    return 0;
}
