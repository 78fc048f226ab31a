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
    size_t invalid;
};

/* ASCII tables, filled once (deterministic, no locale). */
static unsigned char ascii_class[128];
static char ascii_fold[128];
static unsigned char word_fold[256];  /* folded byte of an ASCII letter or
                                         digit; 0 for anything else, and for
                                         every byte >= 0x80 */
static unsigned char is_letter[256];
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

_Static_assert(offsetof(retold_token, end) == offsetof(retold_token, start) + 4 &&
               offsetof(retold_token, norm_len) == offsetof(retold_token, norm) + 4 &&
               offsetof(retold_token, reserved) == offsetof(retold_token, flags) + 4 &&
               offsetof(retold_token, norm) == offsetof(retold_token, start) + 8,
               "ascii_words stores token fields in pairs (little-endian x86)");

/* The common case in a function of its own, so that its state stays in
 * registers: ASCII words of fewer than 16 bytes, each with a letter and
 * followed by ASCII, pushed as whole tokens; after a word and one space the
 * next word goes straight on.  Starts at t[p], the first byte of a word
 * (word_fold[t[p]] != 0), outside any word or dense run, with room in the
 * norm buffer for the rest of the text and 16 bytes more.  Stops at the
 * first word it cannot push whole (a longer one, digits only, one followed
 * by a byte >= 0x80 that may continue it, the last 16 bytes of the text, a
 * full token array) and returns where that word starts (*at_word = 1), or
 * after the last word pushed and its space (*at_word = 0).  flags: the
 * quote and sentence flags of the first word (the sentence flag goes after
 * it).  Returns the position; *pushed counts the words. */
static size_t ascii_words(retold_tokenizer *tk, const unsigned char *t, size_t len, size_t p,
                          uint32_t qflag, uint32_t sent, size_t *pushed, int *at_word)
{
    retold_token *const tokv = tk->tok;
    const size_t ntok0 = tk->ntok, captok = tk->captok;
    size_t ntok = ntok0, nnorm = tk->nnorm;
    char *const norm = tk->norm;
    int at = 1;
    while (p + 16 <= len && ntok < captok) {
        unsigned am, m;
        __m128i f = ascii_block(_mm_loadu_si128((const __m128i *)(const void *)(t + p)), &am, &m);
        unsigned run = (unsigned)__builtin_ctz(~m | 0x10000u);
        if (run == 16 || !(am & ((1u << run) - 1))) break;     /* long, or digits only */
        size_t q = p + run;                                    /* < len */
        unsigned c = t[q];
        if (c >= 0x80) break;
        _mm_storeu_si128((__m128i *)(void *)(norm + nnorm), f);
        retold_token *x = &tokv[ntok++];
        x->hash = 0;                    /* hashed at the end */
        /* start, end | norm, norm_len | flags, reserved: three 8-byte
         * stores (gcc builds the four 32-bit fields in an SSE register) */
        uint64_t se = (uint64_t)(uint32_t)p | (uint64_t)(uint32_t)q << 32;
        uint64_t nl = (uint64_t)(uint32_t)nnorm | (uint64_t)run << 32;
        uint64_t fr = qflag | sent | ((unsigned)t[p] - 'A' < 26u ? RETOLD_TOK_UPPER : 0);
        memcpy(&x->start, &se, 8);
        memcpy(&x->norm, &nl, 8);
        memcpy(&x->flags, &fr, 8);
        sent = 0;
        nnorm += run;
        if (c == ' ' && q + 1 < len && word_fold[t[q + 1]]) {
            p = q + 1;
            continue;
        }
        p = q + (c == ' ');
        at = 0;
        break;
    }
    tk->ntok = ntok;
    tk->nnorm = nnorm;
    *pushed = ntok - ntok0;
    *at_word = at;
    return p;
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
#if defined(__SSE2__)
                if (!s.in_word) {
                    size_t pushed;
                    int at_word;
                    p = ascii_words(tk, t, len, p, s.quoted ? RETOLD_TOK_QUOTED : 0,
                                    s.sent_pending ? RETOLD_TOK_SENT : 0, &pushed, &at_word);
                    if (pushed) s.sent_pending = s.newline_seen = 0;
                    if (!at_word) goto next;
                    b = t[p];
                }
#endif
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
    /* Hash the tokens in a loop of their own: no branch of the scanner
     * between them, so the CPU overlaps consecutive hashes. */
    const char *norm = tk->norm;
    retold_token *const tokv = tk->tok;
    const size_t ntok = tk->ntok;          /* locals: a uint64_t store may alias tk->ntok */
    const uint64_t seed = tk->seed;
    for (size_t i = 0; i < ntok; i++)
        tokv[i].hash = retold__hash_short(norm + tokv[i].norm, tokv[i].norm_len, seed);
    *tokens = tk->tok;
    *count = tk->ntok;
    return RETOLD_OK;
}
