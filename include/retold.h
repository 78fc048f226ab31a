/*
 * retold.h - find copies, rewrites and translations of the same story.
 *
 * The data flow, one header per stage:
 *   reader.h     corpus records (JSONL, text files, directories, stdin)
 *   normalize.h  the normalised text and its map to the original bytes
 *   tokenize.h   normalised tokens with offsets and hashes
 *   shingle.h    word / character n-gram shingle hashes
 *   minhash.h    one-permutation MinHash signatures
 *   lsh.h        bands, the S-curve, candidate pairs
 *   sketch.h     parameters; one document to its signature
 *   batch.h      the whole pipeline over a corpus: pairs and clusters
 *   overlap.h    outlet x outlet overlap: shares, direction, lag
 *   report.h     the HTML report: summary, heatmap, clusters, passages
 *   error.h      status codes
 * Anything not declared in these headers is private.
 */
#ifndef RETOLD_H
#define RETOLD_H

#define RETOLD_VERSION_STRING "0.1.0"

#include "retold/error.h"
#include "retold/normalize.h"
#include "retold/tokenize.h"
#include "retold/shingle.h"
#include "retold/minhash.h"
#include "retold/lsh.h"
#include "retold/sketch.h"
#include "retold/reader.h"
#include "retold/relation.h"
#include "retold/batch.h"
#include "retold/overlap.h"
#include "retold/report.h"

#endif
