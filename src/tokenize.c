/*
 * tokenize.c - one pass over the original bytes: decode, fold, split into
 * tokens, hash each token while its bytes are hot.
 *
 * Speed: English news is > 98 % ASCII, so ASCII bytes take a table-driven
 * path (class + lower-case per byte, a tight loop inside words).  Every other
 * code point goes through retold__fold (utf8proc) and retold__cclass.  The
 * two paths must agree byte for byte; RETOLD_TOKENIZER_NO_FASTPATH sends
 * ASCII through the general path so tests can compare them.
 */
#include "retold/tokenize.h"
#include "retold/error.h"
#include "unicode.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"

struct retold_tokenizer {
    uint64_t seed;
    unsigned options;
    retold_token *tok;
    size_t ntok, captok;
    char *norm;
    size_t nnorm, capnorm;
    uint32_t *order;            /* token indices by hash length class */
    size_t caporder;
    size_t invalid;
};

/* ASCII tables, filled once (deterministic, no locale). */
static unsigned char ascii_class[128];
static char ascii_fold[128];
static unsigned char word_fold[256];  /* folded byte of an ASCII letter or
                                         digit; 0 for anything else, and for
                                         every byte >= 0x80 */
static unsigned char is_letter[256];
/* What a byte between words does to the scanner state (process() for a
 * separator outside a word, in short); ' ' and word bytes never need it. */
enum { GAP_NONE, GAP_SEP, GAP_STOP, GAP_DQUOTE, GAP_LF };
static unsigned char gap_act[128];
static int ascii_ready;

static void ascii_init(void)
{
    /* Racing initialisers write identical values, so this is benign. */
    for (int c = 0; c < 128; c++) {
        ascii_class[c] = (unsigned char)retold__cclass(c);
        ascii_fold[c] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        int cl = ascii_class[c];
        word_fold[c] = (unsigned char)((cl == RETOLD__C_LETTER || cl == RETOLD__C_DIGIT) ? ascii_fold[c] : 0);
        is_letter[c] = cl == RETOLD__C_LETTER;
        gap_act[c] = cl == RETOLD__C_SPACE ? GAP_NONE
                   : cl == RETOLD__C_NEWLINE ? (c == '\n' ? GAP_LF : GAP_NONE)   /* CR: nothing */
                   : cl == RETOLD__C_DQUOTE ? GAP_DQUOTE
                   : cl == RETOLD__C_STOP ? GAP_STOP
                   : GAP_SEP;                                  /* SEP, DASH, SQUOTE */
    }
    __atomic_store_n(&ascii_ready, 1, __ATOMIC_RELEASE);
}

retold_tokenizer *retold_tokenizer_new(uint64_t seed, unsigned options)
{
    if (!__atomic_load_n(&ascii_ready, __ATOMIC_ACQUIRE)) ascii_init();
    retold_tokenizer *tk = calloc(1, sizeof *tk);
    if (!tk) return NULL;
    tk->seed = seed;
    tk->options = options;
    return tk;
}

void retold_tokenizer_free(retold_tokenizer *tk)
{
    if (!tk) return;
    free(tk->tok);
    free(tk->norm);
    free(tk->order);
    free(tk);
}

const char *retold_tokenizer_norm(const retold_tokenizer *tk) { return tk->norm; }
size_t retold_tokenizer_invalid(const retold_tokenizer *tk) { return tk->invalid; }

#if defined(__SSE2__)
#include <emmintrin.h>
/* Classify 16 bytes (SSE2, part of every x86-64): *alpha_mask gets a bit
 * for each ASCII letter, *word_mask one for each letter or digit; returns
 * the bytes with the letters folded to lower case.  Bytes >= 0x80 are
 * negative as signed: never in either range. */
static inline __m128i ascii_block(__m128i v, unsigned *alpha_mask, unsigned *word_mask)
{
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i lo = _mm_or_si128(v, case_bit);
    const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(lo, _mm_set1_epi8('a' - 1)),
                                        _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), lo));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v));
    *alpha_mask = (unsigned)_mm_movemask_epi8(alpha);
    *word_mask = *alpha_mask | (unsigned)_mm_movemask_epi8(digit);
    return _mm_or_si128(v, _mm_and_si128(alpha, case_bit));
}

/* The word loop on 16 bytes at once: fold, store all 16 and advance by the
 * length of the run of word bytes.  Reads only inside t[0..len); writes up
 * to 16 bytes past the run (grow_norm reserves them).  Returns 1 when the
 * run ended inside a block (the word is complete), 0 when fewer than 16
 * bytes were left: the byte loop finishes the word. */
static inline int word_run(const unsigned char *t, size_t len, size_t *qp,
                           char **wp, unsigned *letters)
{
    size_t q = *qp;
    char *w = *wp;
    while (q + 16 <= len) {
        unsigned am, m;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + q));
        _mm_storeu_si128((__m128i *)(void *)w, ascii_block(v, &am, &m));
        if (m == 0xFFFFu) {
            *letters |= am;
            q += 16;
            w += 16;
            continue;
        }
        unsigned run = (unsigned)__builtin_ctz(~m);
        *letters |= am & ((1u << run) - 1);
        *qp = q + run;
        *wp = w + run;
        return 1;
    }
    *qp = q;
    *wp = w;
    return 0;
}
#else
static inline int word_run(const unsigned char *t, size_t len, size_t *qp,
                           char **wp, unsigned *letters)
{
    (void)t; (void)len; (void)qp; (void)wp; (void)letters;
    return 0;
}
#endif

/* Scanner state for one document. */
typedef struct scan {
    retold_tokenizer *tk;
    const unsigned char *text;
    size_t len;
    int in_word;          /* a word token is open */
    int compose;          /* open word needs NFC recomposition */
    int digits_only;      /* open word has only ASCII digits so far */
    unsigned group_len;   /* digits in the current digit group */
    unsigned groups;      /* digit groups joined so far */
    uint32_t word_start, word_end, word_norm;
    uint32_t word_flags;
    /* dense-script run: the previous character, for bigrams */
    int dense_prev;
    uint32_t dense_start, dense_end, dense_norm, dense_norm_len;
    unsigned dense_run;
    uint32_t dense_flags;
    int quoted;
    int sent_pending;
    int newline_seen;
} scan;

static int grow_norm(retold_tokenizer *tk, size_t extra)
{
    if (tk->nnorm + extra <= tk->capnorm) return RETOLD_OK;
    size_t cap = tk->capnorm ? tk->capnorm : 4096;
    while (cap < tk->nnorm + extra) cap *= 2;
    char *p = realloc(tk->norm, cap);
    if (!p) return RETOLD_NOMEM;
    tk->norm = p;
    tk->capnorm = cap;
    return RETOLD_OK;
}

static int grow_tokens(retold_tokenizer *tk)
{
    size_t cap = tk->captok ? tk->captok * 2 : 1024;
    retold_token *p = realloc(tk->tok, cap * sizeof *p);
    if (!p) return RETOLD_NOMEM;
    tk->tok = p;
    tk->captok = cap;
    return RETOLD_OK;
}

static inline int push_token(retold_tokenizer *tk, uint32_t start, uint32_t end,
                             uint32_t norm, uint32_t norm_len, uint32_t flags)
{
    if (tk->ntok == tk->captok && grow_tokens(tk) != RETOLD_OK) return RETOLD_NOMEM;
    retold_token *t = &tk->tok[tk->ntok++];
    t->hash = 0;                 /* hashed in one pass at the end */
    t->start = start;
    t->end = end;
    t->norm = norm;
    t->norm_len = norm_len;
    t->flags = flags;
    t->reserved = 0;
    return RETOLD_OK;
}

/* Recompose the open word's normalised bytes (rare: kept marks, jamo). */
static void compose_word(scan *s)
{
    retold_tokenizer *tk = s->tk;
    size_t n = tk->nnorm - s->word_norm;
    int32_t stackbuf[256];
    int32_t *cps = n <= 256 ? stackbuf : malloc(n * sizeof *cps);
    if (!cps) return;               /* leave it decomposed: still consistent */
    size_t k = 0, i = 0;
    const unsigned char *b = (const unsigned char *)tk->norm + s->word_norm;
    while (i < n) {
        int bad;
        i += retold__utf8_decode(b + i, n - i, &cps[k++], &bad);
    }
    k = retold__compose(cps, k);
    size_t w = s->word_norm;
    for (i = 0; i < k; i++) w += retold__utf8_encode(cps[i], tk->norm + w);
    tk->nnorm = w;                  /* composition never lengthens */
    if (cps != stackbuf) free(cps);
}

static int end_word(scan *s)
{
    if (!s->in_word) return RETOLD_OK;
    s->in_word = 0;
    if (s->compose) compose_word(s);
    uint32_t flags = s->word_flags;
    if (s->digits_only) flags |= RETOLD_TOK_NUMERIC;
    return push_token(s->tk, s->word_start, s->word_end, s->word_norm,
                      (uint32_t)(s->tk->nnorm - s->word_norm), flags);
}

static int end_dense(scan *s)
{
    int rc = RETOLD_OK;
    if (s->dense_prev && s->dense_run == 1)       /* lone character: unigram */
        rc = push_token(s->tk, s->dense_start, s->dense_end, s->dense_norm,
                        s->dense_norm_len, s->dense_flags);
    s->dense_prev = 0;
    s->dense_run = 0;
    return rc;
}

static uint32_t start_flags(scan *s, int upper)
{
    uint32_t f = 0;
    if (upper) f |= RETOLD_TOK_UPPER;
    if (s->sent_pending) f |= RETOLD_TOK_SENT;
    if (s->quoted) f |= RETOLD_TOK_QUOTED;
    s->sent_pending = 0;
    return f;
}

/* Does a digit group of exactly three ASCII digits start at p? */
static int three_digits_follow(const scan *s, size_t p)
{
    if (p + 3 > s->len) return 0;
    for (int i = 0; i < 3; i++)
        if (s->text[p + i] < '0' || s->text[p + i] > '9') return 0;
    return p + 3 == s->len || s->text[p + 3] < '0' || s->text[p + 3] > '9';
}

#if defined(__SSE2__)
_Static_assert(offsetof(retold_token, end) == offsetof(retold_token, start) + 4 &&
               offsetof(retold_token, norm_len) == offsetof(retold_token, norm) + 4 &&
               offsetof(retold_token, reserved) == offsetof(retold_token, flags) + 4 &&
               offsetof(retold_token, norm) == offsetof(retold_token, start) + 8,
               "ascii_span stores token fields in pairs (little-endian x86)");

/* Apply the bytes of t[0..64) marked in g (between words, none a word byte,
 * a space or >= 0x80) to the quote, sentence and blank-line state. */
static inline void gap_apply(const unsigned char *t, uint64_t g, uint32_t *quoted,
                             uint32_t *sent, int *nl)
{
    while (g) {
        unsigned char c = t[__builtin_ctzll(g)];
        g &= g - 1;
        switch (gap_act[c]) {
        case GAP_SEP: *nl = 0; break;
        case GAP_STOP: *sent = RETOLD_TOK_SENT; *nl = 0; break;
        case GAP_DQUOTE: *quoted ^= RETOLD_TOK_QUOTED; *nl = 0; break;
        case GAP_LF:
            if (*nl) { *sent = RETOLD_TOK_SENT; *quoted = 0; }
            *nl = 1;
            break;
        default: break;
        }
    }
}

/* The common case, 64 bytes at a time: ASCII text outside any word or dense
 * run.  Each chunk is classified with SSE2 into bit masks (word bytes,
 * letters, spaces, bytes >= 0x80) and its folded bytes are stored at the
 * same distance in the norm buffer, so a token's normalised bytes are where
 * the chunk put them: no copy per word.  Words are then taken from the masks
 * (start and end bits in order), the bytes between them applied to the
 * quote, sentence and blank-line state as process() would.
 *
 * Pushes the words it can push whole: at least one letter (digits-only
 * words may be digit groups), not followed by a byte >= 0x80 (a mark or a
 * letter may continue them), ending inside a chunk.  Stops at the first
 * word it cannot push (*at_word = 1, *pp its first byte), at the first byte
 * >= 0x80 or when fewer than 64 bytes are left (*at_word = 0).  Needs room
 * in the norm buffer for the rest of the text and 64 bytes more. */
static int ascii_span(scan *s, size_t *pp, int *at_word)
{
    retold_tokenizer *tk = s->tk;
    const unsigned char *t = s->text;
    const size_t len = s->len;
    size_t p = *pp;
    const size_t delta = tk->nnorm - p;   /* norm offset - text offset, modulo 2^64:
                                             digit groups make the norm shorter */
    char *const norm = tk->norm;
    retold_token *tokv = tk->tok;
    size_t ntok = tk->ntok, captok = tk->captok;
    uint32_t quoted = s->quoted ? RETOLD_TOK_QUOTED : 0;
    uint32_t sent = s->sent_pending ? RETOLD_TOK_SENT : 0;
    int nl = s->newline_seen;
    int stop_word = 0;
    const __m128i space = _mm_set1_epi8(' ');

    while (p + 64 <= len) {
        if (captok - ntok < 32) {                /* at most 32 words a chunk */
            tk->ntok = ntok;
            if (grow_tokens(tk) != RETOLD_OK) return RETOLD_NOMEM;
            tokv = tk->tok;
            captok = tk->captok;
        }
        uint64_t word = 0, alpha = 0, upper = 0, sp = 0, high = 0;
        for (int i = 0; i < 4; i++) {
            unsigned am, wm;
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + p + 16 * i));
            _mm_storeu_si128((__m128i *)(void *)(norm + (delta + p) + 16 * i), ascii_block(v, &am, &wm));
            /* bit 5 (0x20, clear in upper-case letters) to the sign bit */
            unsigned lower = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
            word |= (uint64_t)wm << (16 * i);
            alpha |= (uint64_t)am << (16 * i);
            upper |= (uint64_t)(am & ~lower) << (16 * i);
            sp |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)) << (16 * i);
            high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * i);
        }
        /* only the bytes before the first one >= 0x80 */
        const uint64_t lim = high ? (high & (0 - high)) - 1 : ~(uint64_t)0;
        uint64_t starts = word & ~(word << 1) & lim;
        uint64_t ends = word & ~(word >> 1) & lim;   /* last byte of each word */
        uint64_t gap = ~(word | sp | high) & lim;     /* bytes that may change the state */
        /* Words not to push here, marked at their last byte: digits only
         * (adding its first bit to a run of digits that starts a word
         * carries to the byte after it; not a word byte: the word ended),
         * followed by a byte >= 0x80, or reaching the end of the chunk. */
        const uint64_t digit = word & ~alpha;
        const uint64_t after = ((digit + (starts & digit)) & ~word) | high;
        const uint64_t refuse = ((after >> 1) & ends) | (ends & ((uint64_t)1 << 63));
        const uint64_t base = (uint64_t)(uint32_t)p | (uint64_t)(uint32_t)(p + 1) << 32;
        const uint64_t nbase = (uint64_t)(uint32_t)(delta + p);
        size_t next = p + 64;
        while (starts) {
            const uint64_t sb = starts & (0 - starts), eb = ends & (0 - ends);
            const uint64_t g = gap & (sb - 1);
            if (g) {
                gap_apply(t + p, g, &quoted, &sent, &nl);
                gap ^= g;
            }
            const uint64_t a = (uint64_t)__builtin_ctzll(starts);
            if (eb & refuse) {
                /* ends at the chunk's last byte: it may go on in the next
                 * one, so start there with it, unless it began this one
                 * (64 bytes or more: not here); else refused */
                stop_word = !(eb >> 63) || a == 0;
                next = p + a;
                break;
            }
            const uint64_t e = (uint64_t)__builtin_ctzll(ends);
            retold_token *x = &tokv[ntok++];
            x->hash = 0;                             /* hashed at the end */
            uint64_t se = base + a + (e << 32);      /* start, end */
            uint64_t nlen = nbase + a + ((e + 1 - a) << 32);
            uint64_t fr = quoted | sent | (sb & upper ? RETOLD_TOK_UPPER : 0);
            memcpy(&x->start, &se, 8);
            memcpy(&x->norm, &nlen, 8);
            memcpy(&x->flags, &fr, 8);
            sent = 0;
            nl = 0;
            starts ^= sb;
            ends ^= eb;
        }
        if (stop_word) { p = next; break; }
        if (next == p + 64) {                        /* the rest of the chunk */
            gap_apply(t + p, gap, &quoted, &sent, &nl);
            if (high) {                              /* stop at the first byte >= 0x80 */
                p += (unsigned)__builtin_ctzll(high);
                break;
            }
        }
        p = next;
    }
    tk->ntok = ntok;
    tk->nnorm = delta + p;
    s->quoted = quoted != 0;
    s->sent_pending = sent != 0;
    s->newline_seen = nl;
    *pp = p;
    *at_word = stop_word;
    return RETOLD_OK;
}
#endif

/* Process one folded code point c of class cl that came from the original
 * bytes [o0, o1).  `next` is where the original text continues. */
static int process(scan *s, int32_t c, int cl, int upper, int compose,
                   uint32_t o0, uint32_t o1)
{
    retold_tokenizer *tk = s->tk;
    int rc;
    switch (cl) {
    case RETOLD__C_MARK:
        if (!s->in_word) return RETOLD_OK;           /* stray mark: ignore */
        /* fall through */
    case RETOLD__C_LETTER:
    case RETOLD__C_NUMBER:
    case RETOLD__C_DIGIT:
        if (s->dense_prev && (rc = end_dense(s)) != RETOLD_OK) return rc;
        if (!s->in_word) {
            s->in_word = 1;
            s->compose = 0;
            s->digits_only = 1;
            s->group_len = 0;
            s->groups = 0;
            s->word_start = o0;
            s->word_norm = (uint32_t)tk->nnorm;
            s->word_flags = start_flags(s, upper);
        }
        s->word_end = o1;
        if (cl == RETOLD__C_DIGIT) s->group_len++;
        else s->digits_only = 0;
        s->compose |= compose;
        if ((rc = grow_norm(tk, 4)) != RETOLD_OK) return rc;
        tk->nnorm += retold__utf8_encode(c, tk->norm + tk->nnorm);
        s->newline_seen = 0;
        return RETOLD_OK;

    case RETOLD__C_DENSE: {
        if ((rc = end_word(s)) != RETOLD_OK) return rc;
        if ((rc = grow_norm(tk, 8)) != RETOLD_OK) return rc;
        uint32_t here = (uint32_t)tk->nnorm;
        if (s->dense_prev) {
            /* bigram = previous character + this one: copy the previous
             * character's bytes next to this one's */
            memmove(tk->norm + here, tk->norm + s->dense_norm, s->dense_norm_len);
            uint32_t big = here;
            here += s->dense_norm_len;
            size_t w = retold__utf8_encode(c, tk->norm + here);
            tk->nnorm = here + w;
            rc = push_token(tk, s->dense_start, o1, big,
                            (uint32_t)(s->dense_norm_len + w), s->dense_flags);
            if (rc != RETOLD_OK) return rc;
            s->dense_norm = here;
            s->dense_norm_len = (uint32_t)w;
            s->dense_flags = RETOLD_TOK_DENSE | (s->quoted ? RETOLD_TOK_QUOTED : 0);
        } else {
            size_t w = retold__utf8_encode(c, tk->norm + here);
            tk->nnorm = here + w;
            s->dense_norm = here;
            s->dense_norm_len = (uint32_t)w;
            s->dense_flags = RETOLD_TOK_DENSE | start_flags(s, 0);
        }
        s->dense_prev = 1;
        s->dense_run++;
        s->dense_start = o0;
        s->dense_end = o1;
        s->newline_seen = 0;
        return RETOLD_OK;
    }
    default:
        break;
    }

    /* A separator.  Inside a number it may be a digit-group separator. */
    if (s->in_word && s->digits_only &&
        (c == ',' || c == '.' || c == ' ' || c == '\'') &&
        s->group_len >= 1 && s->group_len <= 3 &&
        (s->groups > 0 ? s->group_len == 3 : 1) &&
        three_digits_follow(s, o1)) {
        s->groups++;
        s->group_len = 0;
        return RETOLD_OK;                             /* skip the separator */
    }
    if ((rc = end_word(s)) != RETOLD_OK) return rc;
    if (s->dense_prev && (rc = end_dense(s)) != RETOLD_OK) return rc;
    switch (cl) {
    case RETOLD__C_DQUOTE:
        s->quoted = !s->quoted;
        break;
    case RETOLD__C_STOP:
        s->sent_pending = 1;
        break;
    case RETOLD__C_NEWLINE:
        if (c == '\r') return RETOLD_OK;           /* CR LF is one line end */
        if (s->newline_seen) {                       /* blank line: paragraph */
            s->sent_pending = 1;
            s->quoted = 0;
        }
        s->newline_seen = 1;
        return RETOLD_OK;
    case RETOLD__C_SPACE:
        return RETOLD_OK;
    default:
        break;
    }
    s->newline_seen = 0;
    return RETOLD_OK;
}

/* Hash the tokens (XXH3 of their normalised bytes) in loops of their own,
 * after the scan: no branch of the scanner between them, so the CPU overlaps
 * consecutive hashes.  XXH3 takes one of three paths by length (1-3, 4-8,
 * 9-16 bytes), and word lengths follow no pattern a branch predictor could
 * learn, so the tokens are first listed by length class (branch-free: each
 * index is written to all three lists, one count advances) and each list is
 * hashed in a loop of its own. */
static int hash_tokens(retold_tokenizer *tk)
{
    const size_t ntok = tk->ntok;
    if (ntok == 0) return RETOLD_OK;
    if (3 * ntok > tk->caporder) {
        size_t cap = 3 * tk->captok;
        uint32_t *o = realloc(tk->order, cap * sizeof *o);
        if (!o) return RETOLD_NOMEM;
        tk->order = o;
        tk->caporder = cap;
    }
    const char *norm = tk->norm;
    retold_token *const tokv = tk->tok;
    const uint64_t seed = tk->seed;
    uint32_t *const c0 = tk->order, *const c1 = c0 + ntok, *const c2 = c1 + ntok;
    size_t n0 = 0, n1 = 0, n2 = 0;
    for (size_t i = 0; i < ntok; i++) {
        const uint32_t l = tokv[i].norm_len;
        c0[n0] = c1[n1] = c2[n2] = (uint32_t)i;
        n0 += l <= 3;
        n1 += l - 4 <= 4;
        n2 += l > 8;
    }
    for (size_t j = 0; j < n0; j++) {
        retold_token *x = &tokv[c0[j]];
        x->hash = retold__hash_1to3(norm + x->norm, x->norm_len, seed);
    }
    for (size_t j = 0; j < n1; j++) {
        retold_token *x = &tokv[c1[j]];
        x->hash = retold__hash_4to8(norm + x->norm, x->norm_len, seed);
    }
    for (size_t j = 0; j < n2; j++) {
        retold_token *x = &tokv[c2[j]];
        x->hash = x->norm_len <= 16 ? retold__hash_9to16(norm + x->norm, x->norm_len, seed)
                                    : retold__hash_short(norm + x->norm, x->norm_len, seed);
    }
    return RETOLD_OK;
}

int retold_tokenize(retold_tokenizer *tk, const char *text, size_t len,
                    const retold_token **tokens, size_t *count)
{
    *tokens = NULL;
    *count = 0;
    if (len > RETOLD_DOC_MAX) return RETOLD_TOOBIG;
    tk->ntok = 0;
    tk->nnorm = 0;
    tk->invalid = 0;
    /* Normalised text is at most 18x the original per code point in theory
     * (utf8proc's longest compatibility decomposition), but grow_norm keeps
     * it honest; start with the original size. */
    int rc = grow_norm(tk, len + 64);
    if (rc != RETOLD_OK) return rc;

    scan s;
    memset(&s, 0, sizeof s);
    s.tk = tk;
    s.text = (const unsigned char *)text;
    s.len = len;
    s.sent_pending = 1;
    const int fast = !(tk->options & RETOLD_TOKENIZER_NO_FASTPATH);
    const unsigned char *t = s.text;
    size_t p = 0;

    while (p < len) {
        unsigned b = t[p];
        if (b < 0x80 && fast) {
#if defined(__SSE2__)
            if (!s.in_word && !s.dense_prev && p + 64 <= len) {
                int at_word;
                if ((rc = grow_norm(tk, len - p + 64)) != RETOLD_OK) return rc;
                if ((rc = ascii_span(&s, &p, &at_word)) != RETOLD_OK) return rc;
                if (!at_word) continue;   /* at a byte >= 0x80, or near the end */
                b = t[p];                 /* a word ascii_span leaves to the loop below */
            }
#endif
            int cl = ascii_class[b];
            if ((cl == RETOLD__C_LETTER || cl == RETOLD__C_DIGIT) && !s.dense_prev) {
                /* Extend the word over ASCII letters and digits, 16 bytes
                 * at a time where the text allows (word_run), then a byte
                 * at a time (one table load, one test, one store). */
                char *w0, *w;
                size_t q;
                unsigned letters;
                /* room for the rest of the text: one byte per ASCII byte,
                 * and the 16 the block loop may write past a word */
                if ((rc = grow_norm(tk, len - p + 16)) != RETOLD_OK) return rc;
                const int fresh = !s.in_word;
                uint32_t qflag = s.quoted ? RETOLD_TOK_QUOTED : 0;
                for (;;) {
                    w0 = w = tk->norm + tk->nnorm;
                    q = p;
                    letters = 0;
                    unsigned char c2;
                    if (!word_run(t, len, &q, &w, &letters))
                        while (q < len && (c2 = word_fold[t[q]]) != 0) {
                            letters |= is_letter[t[q]];
                            *w++ = (char)c2;
                            q++;
                        }
                    if (!fresh || !letters || (q < len && t[q] >= 0x80)) break;
                    /* The common case: a whole word of ASCII letters (and
                     * digits) followed by ASCII or the end.  Nothing can
                     * join it (digit groups need an all-digit word, marks
                     * and other letters a byte >= 0x80), so push it now,
                     * without opening it in the scanner state; a space
                     * after it only separates, and when another ASCII word
                     * follows it, go straight on with that one (no flag
                     * can change on the way: only the quote flag stays). */
                    if (tk->ntok == tk->captok && grow_tokens(tk) != RETOLD_OK) return RETOLD_NOMEM;
                    retold_token *x = &tk->tok[tk->ntok++];
                    uint32_t nl = (uint32_t)(w - w0);
                    x->hash = 0;
                    x->start = (uint32_t)p;
                    x->end = (uint32_t)q;
                    x->norm = (uint32_t)tk->nnorm;
                    x->norm_len = nl;
                    x->flags = qflag | (b - 'A' < 26u ? RETOLD_TOK_UPPER : 0) |
                               (s.sent_pending ? RETOLD_TOK_SENT : 0);
                    x->reserved = 0;
                    s.sent_pending = 0;
                    tk->nnorm += nl;
                    if (q + 1 < len && t[q] == ' ' && word_fold[t[q + 1]]) {
                        p = q + 1;
                        b = t[p];
                        continue;
                    }
                    s.newline_seen = 0;
                    p = q + (q < len && t[q] == ' ');
                    goto next;
                }
                if (!s.in_word) {                 /* start a word, as process() would */
                    s.in_word = 1;
                    s.compose = 0;
                    s.digits_only = 1;
                    s.group_len = 0;
                    s.groups = 0;
                    s.word_start = (uint32_t)p;
                    s.word_norm = (uint32_t)tk->nnorm;
                    s.word_flags = start_flags(&s, b >= 'A' && b <= 'Z');
                    s.newline_seen = 0;
                }
                if (letters) s.digits_only = 0;
                else s.group_len += (unsigned)(q - p);      /* all digits */
                tk->nnorm = (size_t)(w - tk->norm);
                s.word_end = (uint32_t)q;
                p = q;
                /* The common end of a word: one ASCII space.  Outside numbers
                 * (digit groups) and dense runs it only closes the word. */
                if (q < len && t[q] == ' ' && !s.digits_only) {
                    if ((rc = end_word(&s)) != RETOLD_OK) return rc;
                    s.newline_seen = 0;
                    p = q + 1;
                }
                continue;
            }
            if (!s.in_word && !s.dense_prev) {
                /* Between words, ASCII separators only set flags: what
                 * process() would do, without the call. */
                if (cl == RETOLD__C_SPACE) { p++; continue; }
                if (cl == RETOLD__C_SEP || cl == RETOLD__C_STOP || cl == RETOLD__C_DASH ||
                    cl == RETOLD__C_SQUOTE) {
                    if (cl == RETOLD__C_STOP) s.sent_pending = 1;
                    s.newline_seen = 0;
                    p++;
                    continue;
                }
            }
            rc = process(&s, ascii_fold[b], cl, b >= 'A' && b <= 'Z', 0,
                         (uint32_t)p, (uint32_t)(p + 1));
            if (rc != RETOLD_OK) return rc;
            p++;
            continue;
        }
        int32_t cp;
        int bad;
        size_t used = retold__utf8_decode(t + p, len - p, &cp, &bad);
        if (bad) tk->invalid++;
        int32_t folded[RETOLD__FOLD_MAX];
        int upper, compose;
        int n = retold__fold(cp, folded, &upper, &compose);
        for (int i = 0; i < n; i++) {
            rc = process(&s, folded[i], retold__cclass(folded[i]),
                         i == 0 && upper, compose, (uint32_t)p, (uint32_t)(p + used));
            if (rc != RETOLD_OK) return rc;
        }
        p += used;
    next:;
    }
    if ((rc = end_word(&s)) != RETOLD_OK) return rc;
    if ((rc = end_dense(&s)) != RETOLD_OK) return rc;
    if ((rc = hash_tokens(tk)) != RETOLD_OK) return rc;
    *tokens = tk->tok;
    *count = tk->ntok;
    return RETOLD_OK;
}
