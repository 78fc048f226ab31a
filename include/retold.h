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
 *   translit.h   scripts to ASCII Latin; the phonetic key of names
 *   stopwords.h  per-language stopword sets (compiled in)
 *   views.h      the rewrite and cross-language views, language detection
 *   pivot.h      word -> English from FreeDict dictionaries (cross view)
 *   relation.h   the relation of a pair (copy, rewrite, translation, ...)
 *   batch.h      the whole pipeline over a corpus: pairs and clusters
 *   compare.h    two documents: per-view scores and evidence with offsets
 *   overlap.h    outlet x outlet overlap: shares, direction, lag
 *   report.h     the HTML report: summary, heatmap, clusters, passages
 *   index.h      the standing on-disk index: add, query, remove, forget
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
#include "retold/translit.h"
#include "retold/stopwords.h"
#include "retold/views.h"
#include "retold/pivot.h"
#include "retold/compare.h"
#include "retold/overlap.h"
#include "retold/report.h"
#include "retold/index.h"

#endif
