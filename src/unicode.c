/*
 * unicode.c - UTF-8 decoding and the code-point fold (see unicode.h).
 *
 * Only non-ASCII code points come here: the tokeniser handles ASCII with a
 * byte table and must produce byte-identical results (tests/check_tokenize.c
 * compares the two paths on random and real text).
 */
#include "unicode.h"

#include <utf8proc.h>

size_t retold__utf8_decode(const unsigned char *s, size_t len, int32_t *cp, int *bad)
{
    unsigned c = s[0];
    *bad = 0;
    if (c < 0x80) { *cp = (int32_t)c; return 1; }
    /* Lead byte ranges and the allowed range of the 2nd byte (Table 3-7). */
    unsigned need, lo = 0x80, hi = 0xBF;
    int32_t v;
    if (c >= 0xC2 && c <= 0xDF)      { need = 1; v = (int32_t)(c & 0x1F); }
    else if (c == 0xE0)              { need = 2; v = 0; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) { need = 2; v = (int32_t)(c & 0x0F); }
    else if (c == 0xED)              { need = 2; v = 0xD; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) { need = 2; v = (int32_t)(c & 0x0F); }
    else if (c == 0xF0)              { need = 3; v = 0; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) { need = 3; v = (int32_t)(c & 0x07); }
    else if (c == 0xF4)              { need = 3; v = 4; hi = 0x8F; }
    else goto invalid1;
    size_t i;
    for (i = 1; i <= need; i++) {
        if (i >= len) goto invalid;
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) goto invalid;
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    *cp = v;
    return need + 1;
invalid:
    *cp = RETOLD__REPLACEMENT; *bad = 1;
    return i;           /* the maximal subpart: lead + valid continuations */
invalid1:
    *cp = RETOLD__REPLACEMENT; *bad = 1;
    return 1;
}

size_t retold__utf8_encode(int32_t cp, char *out)
{
    uint32_t u = (uint32_t)cp;
    if (u < 0x80) { out[0] = (char)u; return 1; }
    if (u < 0x800) {
        out[0] = (char)(0xC0 | (u >> 6));
        out[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xE0 | (u >> 12));
        out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        out[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (u >> 18));
    out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((u >> 6) & 0x3F));
    out[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

/* Combining marks that the fold drops: diacritics, not spelling. */
static int dropped_mark(int32_t c)
{
    return (c >= 0x0300 && c <= 0x036F)     /* Combining Diacritical Marks */
        || (c >= 0x0483 && c <= 0x0489)     /* Cyrillic titlo etc. */
        || (c >= 0x0591 && c <= 0x05BD) || c == 0x05BF || c == 0x05C1
        || c == 0x05C2 || c == 0x05C4 || c == 0x05C5 || c == 0x05C7 /* Hebrew points */
        || (c >= 0x0610 && c <= 0x061A)     /* Arabic honorifics */
        || (c >= 0x064B && c <= 0x065F) || c == 0x0670  /* Arabic harakat */
        || (c >= 0x1AB0 && c <= 0x1AFF)     /* Diacritical Marks Extended */
        || (c >= 0x1DC0 && c <= 0x1DFF)     /* Diacritical Marks Supplement */
        || (c >= 0x20D0 && c <= 0x20FF)     /* marks for symbols */
        || (c >= 0xFE20 && c <= 0xFE2F);    /* half marks */
}

/* Decimal digits of other scripts: the zero of each block. */
static const int32_t digit_zero[] = {
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
    0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090,
    0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10
};

static int32_t fold_punct(int32_t c)
{
    switch (c) {
    /* double quotation marks (Unicode Pi/Pf/Ps/Pe quotes and guillemets) */
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E:
    case 0x201F: case 0x2033: case 0x2036: case 0x275D: case 0x275E:
    case 0x2E42: case 0x301D: case 0x301E: case 0x301F: case 0xFF02:
    case 0x300C: case 0x300D: case 0x300E: case 0x300F:
        return '"';
    /* single quotation marks and apostrophes */
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
    case 0x2035: case 0x2039: case 0x203A: case 0x275B: case 0x275C:
    case 0x02BC: case 0xFF07:
        return '\'';
    /* dashes and hyphens */
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: case 0x2E3A: case 0x2E3B: case 0xFE58:
    case 0xFE63: case 0xFF0D:
        return '-';
    /* sentence ends */
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF0E: case 0x2026:
    case 0x0964: case 0x06D4: case 0x061F:
        return '.';
    default:
        return c;
    }
}

int retold__fold(int32_t cp, int32_t *out, int *upper, int *compose)
{
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    *upper = (p->category == UTF8PROC_CATEGORY_LU || p->category == UTF8PROC_CATEGORY_LT);
    *compose = 0;

    int32_t f = fold_punct(cp);
    if (f != cp) { out[0] = f; return 1; }
    if (p->category == UTF8PROC_CATEGORY_ND) {
        for (size_t i = 0; i < sizeof digit_zero / sizeof digit_zero[0]; i++)
            if (cp >= digit_zero[i] && cp <= digit_zero[i] + 9) {
                out[0] = '0' + (cp - digit_zero[i]);
                return 1;
            }
    }
    int32_t tmp[RETOLD__FOLD_MAX];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, tmp, RETOLD__FOLD_MAX,
        (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                            UTF8PROC_CASEFOLD | UTF8PROC_IGNORE), &last);
    if (n < 0 || n > RETOLD__FOLD_MAX) { out[0] = cp; return 1; }
    int k = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        int32_t c = tmp[i];
        if (dropped_mark(c)) continue;
        if (c < 0x80) { out[k++] = c; continue; }
        const utf8proc_property_t *q = utf8proc_get_property(c);
        if (q->combining_class != 0 || (c >= 0x1100 && c <= 0x11FF))
            *compose = 1;
        out[k++] = fold_punct(c);
    }
    return k;
}

static int dense_script(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x3040 && c <= 0x30FF)     /* Hiragana, Katakana */
        || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3005 && c <= 0x3007)
        || (c >= 0x0E00 && c <= 0x0EFF)     /* Thai, Lao */
        || (c >= 0x1780 && c <= 0x17FF)     /* Khmer */
        || (c >= 0x1000 && c <= 0x109F);    /* Myanmar */
}

int retold__cclass(int32_t c)
{
    if (c < 0x80) {
        if (c >= '0' && c <= '9') return RETOLD__C_DIGIT;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return RETOLD__C_LETTER;
        switch (c) {
        case ' ': case '\t': case '\v': case '\f': return RETOLD__C_SPACE;
        case '\n': case '\r': return RETOLD__C_NEWLINE;
        case '"': return RETOLD__C_DQUOTE;
        case '\'': return RETOLD__C_SQUOTE;
        case '-': return RETOLD__C_DASH;
        case '.': case '!': case '?': return RETOLD__C_STOP;
        default: return RETOLD__C_SEP;
        }
    }
    if (c == 0x2028 || c == 0x2029 || c == 0x85) return RETOLD__C_NEWLINE;
    const utf8proc_property_t *p = utf8proc_get_property(c);
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return dense_script(c) ? RETOLD__C_DENSE : RETOLD__C_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return dense_script(c) ? RETOLD__C_DENSE : RETOLD__C_MARK;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return RETOLD__C_NUMBER;
    case UTF8PROC_CATEGORY_ZS:
        return RETOLD__C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return RETOLD__C_NEWLINE;
    default:
        return RETOLD__C_SEP;
    }
}

size_t retold__compose(int32_t *buf, size_t n)
{
    utf8proc_ssize_t r = utf8proc_normalize_utf32(buf, (utf8proc_ssize_t)n,
                                                  (utf8proc_option_t)UTF8PROC_COMPOSE);
    return r < 0 ? n : (size_t)r;
}
