#!/bin/sh
# gen.sh N SEED [PREFIX] - a deterministic JSONL corpus for the index tests:
# N documents of 60-260 made-up words, every fourth a copy of an earlier
# one with a few words changed (so queries have matches); ids PREFIX0001...
n=${1:-1000}; seed=${2:-1}; prefix=${3:-d}
awk -v n="$n" -v seed="$seed" -v prefix="$prefix" 'BEGIN {
    srand(seed);
    split("ka ro mi te su la vo ne pi da gor ban tel mus ri fo zen ul an ex", syl, " ");
    for (i = 1; i <= n; i++) {
        if (i % 4 == 0 && i > 4) {
            b = int(rand() * (i - 1)) + 1; t = "";
            m = split(text[b], w, " ");
            for (j = 1; j <= m; j++) t = t (j > 1 ? " " : "") (rand() < 0.01 ? "edited" : w[j]);
        } else {
            m = 60 + int(rand() * 200); t = "";
            for (j = 1; j <= m; j++) {
                k = 1 + int(rand() * 3); x = "";
                for (q = 0; q < k; q++) x = x syl[1 + int(rand() * 20)];
                t = t (j > 1 ? " " : "") x;
            }
        }
        text[i] = t;
        printf "{\"id\":\"%s%04d\",\"source\":\"outlet-%d\",\"date\":\"2024-%02d-%02d\",\"text\":\"%s\"}\n", prefix, i, i % 9, 1 + i % 12, 1 + i % 28, t;
    }
}'
