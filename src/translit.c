/*
 * translit.c - non-Latin scripts to ASCII Latin, and the phonetic key of a
 * Latin word (see include/retold/translit.h and doc/translit.md).
 *
 * Standards followed, each in ASCII (diacritics of the standard's Latin
 * letters are either dropped or spelled as the English press spells them):
 *
 *   Cyrillic    ISO 9:1995.  zh ch sh shch kh ts yu ya ye for the ISO 9
 *               letters z-caron c-caron s-caron s-circumflex h c u-hat a-hat
 *               e-hat (x is spelled kh, as "Kherson"); soft and hard signs
 *               dropped, except that a hard sign not followed by a vowel is
 *               the Bulgarian vowel and becomes 'a' ("българия" ->
 *               "balgariya").  Serbian/Macedonian dj lj nj dz j c.
 *   Greek       ELOT 743:2001 type 2 = ISO 843 transcription (Greek
 *               passports): gamma-gamma ng, gamma-kappa gk, gamma-xi nx,
 *               gamma-chi nch; mu-pi b at either end of a word, mp inside;
 *               alpha/epsilon/eta + upsilon av/ev/iv, af/ef/if before
 *               a voiceless consonant or at the end; omicron-upsilon ou.
 *   Devanagari  ISO 15919, ASCII: long vowels as short ones, retroflex as
 *               dental, ca -> ch, cha -> chh, sha/ssa -> sh, r-vocalic ri;
 *               the inherent vowel a after a consonant without matra or
 *               virama, except at the end of a word of two or more syllables
 *               not ending in a conjunct (Hindi schwa deletion: bharat,
 *               not bharata); anusvara m before labials, else n.
 *   Armenian    ISO 9985 consonant values, ASCII (kh zh ts dz gh ch sh j);
 *               vo-yiwn -> u, yiwn -> v, ech-yiwn ligature -> ev, and
 *               BGN/PCGN's word-initial ech -> ye ("yerevan").
 *   Georgian    national system 2002 (BGN/PCGN 2009) without apostrophes.
 *   Hebrew      Academy of the Hebrew Language 2006, simple rules,
 *               consonants only: bet/kaf/pe are b/k/p at the start of a
 *               word and v/kh/f elsewhere (the dagesh is dropped upstream).
 *   Arabic      BGN/PCGN 1956 consonant values with Persian and Urdu
 *               letters; hamza and ain dropped, ta marbuta and alif
 *               maqsura -> a; short vowels are not written.
 *
 * Speed: one UTF-8 decode per code point and one array load per letter: each
 * script is a direct-indexed table over its Unicode block (Cyrillic 256
 * entries, Greek 64, Armenian 48, Hebrew 27, Arabic 224, Devanagari 128,
 * Georgian 48).  No allocation; the only state is one code point of look-
 * behind and at most two of look-ahead.  The output bound of two bytes per
 * input byte (RETOLD_TRANSLIT_MAX) holds because no entry is longer than
 * twice its letter's UTF-8 length (Cyrillic shch: 4 bytes for 2;
 * Devanagari chh+a: 4 for 3); tests/check_translit.c checks every entry.
 */
#include "retold/translit.h"
#include "retold/error.h"
#include "unicode.h"

#include <stdint.h>
#include <string.h>

/* ---- output ----------------------------------------------------------- */

typedef struct sink {
    char *buf;
    size_t cap;
    size_t n;       /* bytes of the whole result, written or not */
} sink;

static void put(sink *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, o->n++)
        if (o->n < o->cap) o->buf[o->n] = s[i];
}

static void puts0(sink *o, const char *s) { put(o, s, strlen(s)); }

static void putc1(sink *o, char c) { put(o, &c, 1); }

/* ---- tables ------------------------------------------------------------ */

/* Cyrillic U+0400..U+04FF, lower case (upper case is lowered first).
 * NULL = not a letter we map (passes through); "" = dropped. */
static const char *const cyrillic[256] = {
    /* U+0430.. basic Russian alphabet */
    [0x30] = "a",  [0x31] = "b",  [0x32] = "v",  [0x33] = "g",
    [0x34] = "d",  [0x35] = "e",  [0x36] = "zh", [0x37] = "z",
    [0x38] = "i",  [0x39] = "i",  [0x3A] = "k",  [0x3B] = "l",
    [0x3C] = "m",  [0x3D] = "n",  [0x3E] = "o",  [0x3F] = "p",
    [0x40] = "r",  [0x41] = "s",  [0x42] = "t",  [0x43] = "u",
    [0x44] = "f",  [0x45] = "kh", [0x46] = "ts", [0x47] = "ch",
    [0x48] = "sh", [0x49] = "shch", [0x4A] = "a" /* context */, [0x4B] = "y",
    [0x4C] = "",   [0x4D] = "e",  [0x4E] = "yu", [0x4F] = "ya",
    /* U+0450.. Ukrainian, Belarusian, Serbian, Macedonian */
    [0x50] = "e",  [0x51] = "e",  [0x52] = "dj", [0x53] = "g",
    [0x54] = "ye", [0x55] = "dz", [0x56] = "i",  [0x57] = "yi",
    [0x58] = "j",  [0x59] = "lj", [0x5A] = "nj", [0x5B] = "c",
    [0x5C] = "k",  [0x5D] = "i",  [0x5E] = "u",  [0x5F] = "dz",
    /* historic letters (ISO 9 values) */
    [0x61] = "o",  [0x63] = "e",  [0x65] = "ye", [0x67] = "a",
    [0x6B] = "a",  [0x6D] = "yu", [0x6F] = "ks", [0x71] = "ps",
    [0x73] = "f",  [0x75] = "y",  [0x77] = "y",
    /* U+0480.. non-Slavic letters (ISO 9 values without diacritics) */
    [0x91] = "g",  [0x93] = "g",  [0x95] = "g",  [0x97] = "zh",
    [0x99] = "z",  [0x9B] = "k",  [0x9D] = "k",  [0x9F] = "k",
    [0xA1] = "k",  [0xA3] = "n",  [0xA5] = "ng", [0xA7] = "p",
    [0xA9] = "o",  [0xAB] = "s",  [0xAD] = "t",  [0xAF] = "u",
    [0xB1] = "u",  [0xB3] = "h",  [0xB5] = "ts", [0xB7] = "ch",
    [0xB9] = "ch", [0xBB] = "h",  [0xBD] = "ch", [0xBF] = "ch",
    [0xC0] = "",   [0xC2] = "zh", [0xC4] = "k",  [0xC8] = "n",
    [0xCF] = "",
    [0xD1] = "a",  [0xD3] = "a",  [0xD5] = "ae", [0xD7] = "e",
    [0xD9] = "a",  [0xDB] = "a",  [0xDD] = "zh", [0xDF] = "z",
    [0xE1] = "dz", [0xE3] = "i",  [0xE5] = "i",  [0xE7] = "o",
    [0xE9] = "o",  [0xEB] = "o",  [0xED] = "e",  [0xEF] = "u",
    [0xF1] = "u",  [0xF3] = "u",  [0xF5] = "ch", [0xF9] = "y",
};

/* Greek U+03B0..U+03EF, lower case. */
static const char *const greek[64] = {
    [0x01] = "a",  [0x02] = "v",  [0x03] = "g",  [0x04] = "d",
    [0x05] = "e",  [0x06] = "z",  [0x07] = "i",  [0x08] = "th",
    [0x09] = "i",  [0x0A] = "k",  [0x0B] = "l",  [0x0C] = "m",
    [0x0D] = "n",  [0x0E] = "x",  [0x0F] = "o",  [0x10] = "p",
    [0x11] = "r",  [0x12] = "s",  [0x13] = "s",  [0x14] = "t",
    [0x15] = "y",  [0x16] = "f",  [0x17] = "ch", [0x18] = "ps",
    [0x19] = "o",
    /* symbol variants (beta, theta, phi, pi), should NFKC leave them */
    [0x20] = "v",  [0x21] = "th", [0x25] = "f",  [0x26] = "p",
};
#define GR(c) (0x03B0 + (c))
enum { G_GAMMA = 0x03B3, G_KAPPA = 0x03BA, G_XI = 0x03BE, G_CHI = 0x03C7,
       G_MU = 0x03BC, G_PI = 0x03C0, G_UPSILON = 0x03C5, G_ALPHA = 0x03B1,
       G_EPSILON = 0x03B5, G_ETA = 0x03B7, G_OMICRON = 0x03BF };

/* Armenian U+0560..U+058F (lower case; upper case U+0531.. is lowered). */
static const char *const armenian[48] = {
    [0x00] = "a",  [0x01] = "a",  [0x02] = "b",  [0x03] = "g",
    [0x04] = "d",  [0x05] = "e",  [0x06] = "z",  [0x07] = "e",
    [0x08] = "e",  [0x09] = "t",  [0x0A] = "zh", [0x0B] = "i",
    [0x0C] = "l",  [0x0D] = "kh", [0x0E] = "ts", [0x0F] = "k",
    [0x10] = "h",  [0x11] = "dz", [0x12] = "gh", [0x13] = "ch",
    [0x14] = "m",  [0x15] = "y",  [0x16] = "n",  [0x17] = "sh",
    [0x18] = "o",  [0x19] = "ch", [0x1A] = "p",  [0x1B] = "j",
    [0x1C] = "r",  [0x1D] = "s",  [0x1E] = "v",  [0x1F] = "t",
    [0x20] = "r",  [0x21] = "ts", [0x22] = "v" /* context */, [0x23] = "p",
    [0x24] = "k",  [0x25] = "o",  [0x26] = "f",  [0x27] = "ev",
    [0x28] = "",
};
enum { ARM_ECH = 0x0565, ARM_VO = 0x0578, ARM_YIWN = 0x0582 };

/* Georgian Mkhedruli U+10D0..U+10FF. */
static const char *const georgian[48] = {
    "a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o",
    "p", "zh", "r", "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts",
    "dz", "ts", "ch", "kh", "j", "h",
    /* archaic: he, hie, we, har, hoe, fi, yn, elifi, turned gan, ain */
    "e", "y", "w", "q", "o", "f", "y", "", "", "",
    NULL, NULL, NULL, NULL, NULL
};

/* Hebrew U+05D0..U+05EA; bet, kaf, pe are handled in code. */
static const char *const hebrew[27] = {
    "", "v", "g", "d", "h", "v", "z", "kh", "t", "y", "kh", "kh", "l",
    "m", "m", "n", "n", "s", "", "f", "f", "ts", "ts", "k", "r", "sh", "t"
};
enum { HE_BET = 0x05D1, HE_KAF = 0x05DB, HE_PE = 0x05E4 };

/* Arabic U+0620..U+06FF (presentation forms arrive here after NFKC). */
#define AR(c) [(c) - 0x0620]
static const char *const arabic[224] = {
    AR(0x0620) = "y",  AR(0x0621) = "",   AR(0x0622) = "a",  AR(0x0623) = "a",
    AR(0x0624) = "w",  AR(0x0625) = "a",  AR(0x0626) = "y",  AR(0x0627) = "a",
    AR(0x0628) = "b",  AR(0x0629) = "a",  AR(0x062A) = "t",  AR(0x062B) = "th",
    AR(0x062C) = "j",  AR(0x062D) = "h",  AR(0x062E) = "kh", AR(0x062F) = "d",
    AR(0x0630) = "dh", AR(0x0631) = "r",  AR(0x0632) = "z",  AR(0x0633) = "s",
    AR(0x0634) = "sh", AR(0x0635) = "s",  AR(0x0636) = "d",  AR(0x0637) = "t",
    AR(0x0638) = "z",  AR(0x0639) = "",   AR(0x063A) = "gh", AR(0x063B) = "k",
    AR(0x063C) = "k",  AR(0x063D) = "y",  AR(0x063E) = "y",  AR(0x063F) = "y",
    AR(0x0640) = "",   AR(0x0641) = "f",  AR(0x0642) = "q",  AR(0x0643) = "k",
    AR(0x0644) = "l",  AR(0x0645) = "m",  AR(0x0646) = "n",  AR(0x0647) = "h",
    AR(0x0648) = "w",  AR(0x0649) = "a",  AR(0x064A) = "y",
    /* wasla alif, Persian, Urdu, Pashto, Sindhi, Kurdish letters */
    AR(0x0671) = "a",  AR(0x0672) = "a",  AR(0x0673) = "a",  AR(0x0675) = "a",
    AR(0x0676) = "w",  AR(0x0677) = "u",  AR(0x0678) = "y",  AR(0x0679) = "t",
    AR(0x067A) = "th", AR(0x067B) = "b",  AR(0x067C) = "t",  AR(0x067E) = "p",
    AR(0x0680) = "bh", AR(0x0681) = "dz", AR(0x0685) = "ts", AR(0x0686) = "ch",
    AR(0x0688) = "d",  AR(0x0689) = "d",  AR(0x068A) = "d",  AR(0x068E) = "d",
    AR(0x0691) = "r",  AR(0x0693) = "r",  AR(0x0695) = "r",  AR(0x0696) = "zh",
    AR(0x0698) = "zh", AR(0x069A) = "sh", AR(0x06A4) = "v",  AR(0x06A9) = "k",
    AR(0x06AA) = "k",  AR(0x06AB) = "g",  AR(0x06AF) = "g",  AR(0x06B1) = "ng",
    AR(0x06B3) = "g",  AR(0x06B5) = "l",  AR(0x06BA) = "n",  AR(0x06BB) = "n",
    AR(0x06BC) = "n",  AR(0x06BE) = "h",  AR(0x06C0) = "h",  AR(0x06C1) = "h",
    AR(0x06C2) = "h",  AR(0x06C3) = "a",  AR(0x06C5) = "o",  AR(0x06C6) = "o",
    AR(0x06C7) = "u",  AR(0x06C8) = "yu", AR(0x06C9) = "yu", AR(0x06CB) = "v",
    AR(0x06CC) = "y",  AR(0x06CD) = "y",  AR(0x06CE) = "e",  AR(0x06D0) = "e",
    AR(0x06D2) = "e",  AR(0x06D3) = "e",  AR(0x06D5) = "a",
};
#undef AR

/* Devanagari U+0900..U+097F.  kind says how a code point behaves. */
enum { DV_NONE, DV_CONS, DV_VOWEL, DV_MATRA, DV_VIRAMA, DV_NUKTA,
       DV_ANUSVARA, DV_CANDRA, DV_VISARGA, DV_OTHER };

typedef struct dv_entry {
    const char *s;
    unsigned char kind;
    unsigned char labial;   /* consonant is a labial (anusvara -> m) */
} dv_entry;

#define C_(s) { s, DV_CONS, 0 }
#define L_(s) { s, DV_CONS, 1 }
#define V_(s) { s, DV_VOWEL, 0 }
#define M_(s) { s, DV_MATRA, 0 }
#define O_(s) { s, DV_OTHER, 0 }
static const dv_entry devanagari[128] = {
    [0x00] = { "n", DV_CANDRA, 0 }, [0x01] = { "n", DV_CANDRA, 0 },
    [0x02] = { "n", DV_ANUSVARA, 0 }, [0x03] = { "h", DV_VISARGA, 0 },
    [0x04] = V_("a"), [0x05] = V_("a"), [0x06] = V_("a"), [0x07] = V_("i"),
    [0x08] = V_("i"), [0x09] = V_("u"), [0x0A] = V_("u"), [0x0B] = V_("ri"),
    [0x0C] = V_("li"), [0x0D] = V_("e"), [0x0E] = V_("e"), [0x0F] = V_("e"),
    [0x10] = V_("ai"), [0x11] = V_("o"), [0x12] = V_("o"), [0x13] = V_("o"),
    [0x14] = V_("au"),
    [0x15] = C_("k"), [0x16] = C_("kh"), [0x17] = C_("g"), [0x18] = C_("gh"),
    [0x19] = C_("n"), [0x1A] = C_("ch"), [0x1B] = C_("chh"), [0x1C] = C_("j"),
    [0x1D] = C_("jh"), [0x1E] = C_("n"), [0x1F] = C_("t"), [0x20] = C_("th"),
    [0x21] = C_("d"), [0x22] = C_("dh"), [0x23] = C_("n"), [0x24] = C_("t"),
    [0x25] = C_("th"), [0x26] = C_("d"), [0x27] = C_("dh"), [0x28] = C_("n"),
    [0x29] = C_("n"), [0x2A] = L_("p"), [0x2B] = L_("ph"), [0x2C] = L_("b"),
    [0x2D] = L_("bh"), [0x2E] = L_("m"), [0x2F] = C_("y"), [0x30] = C_("r"),
    [0x31] = C_("r"), [0x32] = C_("l"), [0x33] = C_("l"), [0x34] = C_("l"),
    [0x35] = C_("v"), [0x36] = C_("sh"), [0x37] = C_("sh"), [0x38] = C_("s"),
    [0x39] = C_("h"),
    [0x3A] = M_("e"), [0x3B] = M_("e"),
    [0x3C] = { "", DV_NUKTA, 0 }, [0x3D] = O_(""),
    [0x3E] = M_("a"), [0x3F] = M_("i"), [0x40] = M_("i"), [0x41] = M_("u"),
    [0x42] = M_("u"), [0x43] = M_("ri"), [0x44] = M_("ri"), [0x45] = M_("e"),
    [0x46] = M_("e"), [0x47] = M_("e"), [0x48] = M_("ai"), [0x49] = M_("o"),
    [0x4A] = M_("o"), [0x4B] = M_("o"), [0x4C] = M_("au"),
    [0x4D] = { "", DV_VIRAMA, 0 }, [0x4E] = M_("e"), [0x4F] = M_("aw"),
    [0x50] = O_("om"), [0x51] = O_(""), [0x52] = O_(""), [0x53] = O_(""),
    [0x54] = O_(""), [0x55] = M_("e"), [0x56] = M_("ue"), [0x57] = M_("ue"),
    [0x58] = C_("q"), [0x59] = C_("kh"), [0x5A] = C_("gh"), [0x5B] = C_("z"),
    [0x5C] = C_("r"), [0x5D] = C_("rh"), [0x5E] = L_("f"), [0x5F] = C_("y"),
    [0x60] = V_("ri"), [0x61] = V_("li"), [0x62] = M_("li"), [0x63] = M_("li"),
    [0x70] = O_(""), [0x71] = O_(""),
    [0x72] = V_("a"), [0x73] = V_("o"), [0x74] = V_("o"), [0x75] = V_("ai"),
    [0x76] = V_("ue"), [0x77] = V_("ue"),
    [0x78] = C_("th"), [0x79] = C_("z"), [0x7A] = C_("y"), [0x7B] = C_("g"),
    [0x7C] = C_("j"), [0x7D] = O_(""), [0x7E] = C_("d"), [0x7F] = C_("b"),
};
#undef C_
#undef L_
#undef V_
#undef M_
#undef O_

/* The consonant a nukta turns it into (ISO 15919 values). */
static const char *dv_nukta(int32_t cons)
{
    switch (cons) {
    case 0x0915: return "q";
    case 0x0916: return "kh";
    case 0x0917: return "gh";
    case 0x091C: return "z";
    case 0x0921: return "r";
    case 0x0922: return "rh";
    case 0x092B: return "f";
    case 0x092F: return "y";
    case 0x0928: return "n";
    case 0x0930: return "r";
    case 0x0933: return "l";
    default:     return NULL;   /* keep the plain consonant */
    }
}

/* Latin letters without a decomposition (so they survive normalisation). */
static const char *latin_extra(int32_t c)
{
    switch (c) {
    case 0x00DF: return "ss";   /* sharp s (already ss after case folding) */
    case 0x00E6: return "ae";
    case 0x00F0: return "d";    /* eth */
    case 0x00F8: return "o";
    case 0x00FE: return "th";   /* thorn */
    case 0x0111: return "d";    /* d with stroke */
    case 0x0127: return "h";
    case 0x0131: return "i";    /* dotless i */
    case 0x0138: return "q";    /* kra */
    case 0x0142: return "l";    /* l with stroke */
    case 0x014B: return "ng";   /* eng */
    case 0x0153: return "oe";
    case 0x0167: return "t";
    case 0x0180: return "b";
    case 0x0192: return "f";
    case 0x01B4: return "y";
    case 0x01B6: return "z";
    case 0x0253: return "b";
    case 0x0254: return "o";    /* open o */
    case 0x0256: return "d";
    case 0x0257: return "d";
    case 0x0259: return "e";    /* schwa (Azerbaijani) */
    case 0x025B: return "e";    /* open e */
    case 0x0268: return "i";
    case 0x0272: return "n";
    case 0x0289: return "u";
    default:     return NULL;
    }
}

/* ---- decoding helpers --------------------------------------------------- */

/* Decode the code point at in[pos]; returns its byte length (0 at the end).
 * An ill-formed byte gives cp = -1 and length 1. */
static size_t next_cp(const unsigned char *in, size_t len, size_t pos, int32_t *cp)
{
    if (pos >= len) { *cp = -1; return 0; }
    if (in[pos] < 0x80) { *cp = in[pos]; return 1; }
    int bad;
    size_t n = retold__utf8_decode(in + pos, len - pos, cp, &bad);
    if (bad) { *cp = -1; return 1; }
    return n;
}

/* Lower-case the basic upper-case letters of the scripts we map; the input
 * is case-folded already, this only spares a caller who forgot. */
static int32_t lower(int32_t c)
{
    if (c >= 0x0410 && c <= 0x042F) return c + 0x20;
    if (c >= 0x0400 && c <= 0x040F) return c + 0x50;
    if (((c >= 0x0460 && c <= 0x0481) || (c >= 0x048A && c <= 0x04BF)
         || (c >= 0x04D0 && c <= 0x04FF)) && !(c & 1)) return c + 1;
    if (c >= 0x04C1 && c <= 0x04CE && (c & 1)) return c + 1;
    if (c == 0x04C0) return 0x04CF;
    if (c >= 0x0391 && c <= 0x03A9) return c + 0x20;
    if (c >= 0x0531 && c <= 0x0556) return c + 0x30;
    if (c >= 0x1C90 && c <= 0x1CBF) return c - 0x1C90 + 0x10D0;   /* Mtavruli */
    return c;
}

/* Part of a word: an ASCII letter or digit, or any non-ASCII code point
 * (normalised text has no non-ASCII punctuation left that matters here). */
static int is_wordish(int32_t c)
{
    if (c < 0) return 0;
    if (c >= 0x80) return 1;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int in_cyrillic(int32_t c) { return c >= 0x0400 && c <= 0x04FF; }

static int cyr_vowel(int32_t c)
{
    switch (c) {
    case 0x0430: case 0x0435: case 0x0438: case 0x043E: case 0x0443:
    case 0x044B: case 0x044D: case 0x044E: case 0x044F: case 0x0451:
    case 0x0454: case 0x0456: case 0x0457:
        return 1;
    default:
        return 0;
    }
}

static int greek_voiceless(int32_t c)
{
    switch (c) {
    case 0x03B8: case 0x03BA: case 0x03BE: case 0x03C0: case 0x03C2:
    case 0x03C3: case 0x03C4: case 0x03C6: case 0x03C7: case 0x03C8:
        return 1;
    default:
        return 0;
    }
}

static const dv_entry *dv(int32_t c)
{
    if (c < 0x0900 || c > 0x097F) return NULL;
    const dv_entry *e = &devanagari[c - 0x0900];
    return e->kind == DV_NONE ? NULL : e;
}

/* Devanagari: the inherent vowel.  A consonant writes its letters at once
 * and leaves its 'a' pending; the next code point settles it:
 *   matra, virama          no 'a' (the matra writes its own vowel)
 *   end of the word        no 'a' after the first syllable unless the
 *                          consonant ends a conjunct (bharat, mitra, na)
 *   a consonant            no 'a' when the pending consonant has a vowel
 *                          before it and the next consonant has one after
 *                          it, V C[a] C V (Ohala's medial schwa deletion:
 *                          sarkar, rajdhani, chhattisgarh, kamla; but
 *                          kamal, namaste)
 *   anything else          'a'
 * Worked example, सरकार: s(pending) r -> s first, 'a' kept: "sa";
 * r(pending) k -> vowel before r (a), k followed by matra aa: deleted, "sar";
 * k + aa -> "sarka"; r(pending) end -> deleted: "sarkar". */
typedef struct dv_state {
    int pending;        /* a consonant waits for its vowel */
    int conjunct;       /* that consonant follows a virama */
    int vowel_before;   /* the sound before that consonant is a vowel */
    int last_vowel;     /* what was written last ends in a vowel sound */
    int after_virama;   /* the last code point was a virama */
    unsigned syll;      /* syllables written in this word */
} dv_state;

/* Does the consonant at in[pos..pos+n) carry a vowel (its own 'a', a matra,
 * or 'a' + anusvara)?  No when a virama follows or the word ends there. */
static int dv_cons_voiced(const unsigned char *in, size_t len, size_t pos, size_t n)
{
    int32_t c;
    size_t m = next_cp(in, len, pos + n, &c);
    if (c == 0x093C) next_cp(in, len, pos + n + m, &c);     /* skip nukta */
    const dv_entry *e = dv(c);
    return e && e->kind != DV_VIRAMA && e->kind != DV_NUKTA;
}

/* One step for code point c (entry d; NULL when c is not Devanagari or the
 * text ends).  Returns the bytes consumed, 0 when c is left to the caller. */
static size_t dv_step(dv_state *st, sink *o, const dv_entry *d, int32_t c,
                      int32_t nx, const unsigned char *in, size_t len,
                      size_t pos, size_t n, size_t nn)
{
    if (st->pending && (!d || (d->kind != DV_MATRA && d->kind != DV_VIRAMA
                               && d->kind != DV_NUKTA))) {
        int keep;
        if (!d)
            keep = !(st->syll > 1 && !st->conjunct);
        else if (d->kind == DV_CONS && st->syll > 1 && st->vowel_before
                 && !st->conjunct && dv_cons_voiced(in, len, pos, n))
            keep = 0;
        else
            keep = 1;
        if (keep) putc1(o, 'a');
        st->last_vowel = keep;
        st->pending = 0;
    }
    if (!d) {
        memset(st, 0, sizeof *st);
        return 0;
    }
    int after_virama = st->after_virama;
    st->after_virama = 0;
    switch (d->kind) {
    case DV_CONS: {
        const char *s = d->s;
        size_t used = n;
        if (nx == 0x093C) {                   /* consonant + nukta */
            const char *t = dv_nukta(c);
            if (t) s = t;
            used += nn;
        }
        st->conjunct = after_virama;
        st->vowel_before = st->last_vowel;
        if (!after_virama) st->syll++;
        st->pending = 1;
        st->last_vowel = 0;
        puts0(o, s);
        return used;
    }
    case DV_VOWEL:
        st->syll++;
        st->last_vowel = 1;
        break;
    case DV_MATRA:
        st->pending = 0;
        st->last_vowel = 1;
        break;
    case DV_VIRAMA:
        st->pending = 0;
        st->after_virama = 1;
        st->last_vowel = 0;
        break;
    case DV_ANUSVARA: {
        const dv_entry *e = dv(nx);
        puts0(o, e && e->kind == DV_CONS && e->labial ? "m" : "n");
        st->last_vowel = 0;           /* a nasal coda closes the syllable */
        return n;
    }
    case DV_CANDRA:                   /* nasalised vowel: still a vowel */
    case DV_NUKTA:
        break;
    default:                          /* visarga, om, avagraha, accents */
        st->last_vowel = 0;
        break;
    }
    puts0(o, d->s);
    return n;
}

/* ---- transliteration ---------------------------------------------------- */

int retold_translit(const char *in_, size_t len, char *out, size_t cap,
                    size_t *out_len)
{
    if ((!in_ && len) || (!out && cap) || !out_len) return RETOLD_INVAL;
    const unsigned char *in = (const unsigned char *)in_;
    sink o = { out, cap, 0 };
    int32_t prev = -1;          /* previous code point (lowered) */
    dv_state dvs;
    memset(&dvs, 0, sizeof dvs);
    size_t pos = 0;
    while (pos < len) {
        int32_t c;
        size_t n = next_cp(in, len, pos, &c);
        if (c < 0) {                          /* ill-formed: copy the byte */
            putc1(&o, (char)in[pos]);
            pos += n; prev = -1;
            continue;
        }
        c = lower(c);
        int32_t nx;                           /* the next code point */
        size_t nn = next_cp(in, len, pos + n, &nx);
        if (nx >= 0) nx = lower(nx);

        const dv_entry *d = dv(c);
        if (d || dvs.pending || dvs.syll) {
            size_t used = dv_step(&dvs, &o, d, c, nx, in, len, pos, n, nn);
            if (used) { prev = c; pos += used; continue; }
        }

        const char *s = NULL;
        if (in_cyrillic(c)) {
            s = cyrillic[c - 0x0400];
            if (c == 0x044A)                  /* hard sign: see file head */
                s = (nx >= 0 && cyr_vowel(nx)) ? "" :
                    (prev >= 0 && in_cyrillic(prev) && !is_wordish(nx)) ? "" : "a";
        } else if (c >= 0x03B0 && c <= 0x03EF) {
            s = greek[c - 0x03B0];
            if (c == G_GAMMA && (nx == G_GAMMA || nx == G_XI || nx == G_CHI))
                s = "n";
            else if (c == G_MU && nx == G_PI) {
                int32_t nx2;
                next_cp(in, len, pos + n + nn, &nx2);
                if (!is_wordish(prev) || !is_wordish(nx2)) {
                    putc1(&o, 'b');           /* mu-pi at a word edge */
                    prev = G_PI;
                    pos += n + nn;
                    continue;
                }
            } else if (c == G_UPSILON) {
                if (prev == G_OMICRON) s = "u";
                else if (prev == G_ALPHA || prev == G_EPSILON || prev == G_ETA)
                    s = (!is_wordish(nx) || greek_voiceless(nx)) ? "f" : "v";
            }
        } else if (c >= 0x0560 && c <= 0x058F) {
            s = armenian[c - 0x0560];
            if (c == ARM_VO && nx == ARM_YIWN) {     /* vo + yiwn = u */
                putc1(&o, 'u');
                prev = nx;
                pos += n + nn;
                continue;
            }
            if (c == ARM_ECH && !is_wordish(prev))   /* BGN/PCGN: initial ye */
                s = "ye";
        } else if (c >= 0x10D0 && c <= 0x10FF) {
            s = georgian[c - 0x10D0];
        } else if (c >= 0x05D0 && c <= 0x05EA) {
            s = hebrew[c - 0x05D0];
            if (!is_wordish(prev)) {
                if (c == HE_BET) s = "b";
                else if (c == HE_KAF) s = "k";
                else if (c == HE_PE) s = "p";
            }
        } else if (c >= 0x05F0 && c <= 0x05F2) {
            s = c == 0x05F0 ? "v" : c == 0x05F1 ? "oy" : "ey";
        } else if (c >= 0x0620 && c <= 0x06FF) {
            s = arabic[c - 0x0620];
        } else if (c >= 0x00DF && c <= 0x0289) {
            s = latin_extra(c);
        }

        if (s) puts0(&o, s);
        else put(&o, (const char *)in + pos, n);
        prev = c;
        pos += n;
    }
    dv_step(&dvs, &o, NULL, -1, -1, in, len, pos, 0, 0);     /* word end */

    *out_len = o.n;
    return o.n <= cap ? RETOLD_OK : RETOLD_TOOBIG;
}

/* ---- phonetic key ------------------------------------------------------- *
 *
 * The rules, applied to one word of lower-case ASCII letters.  Pass 1 reads
 * the word left to right, longest match first, and writes the key:
 *
 *   hushing digraphs, only in words of 5+ letters:
 *     schtsch shch szcz chtch tsch sch tch sh ch kh zh cz sz  -> h
 *     (Russian kh/sh/zh/ch/shch as English, German, French and Polish
 *     papers write them: Khrushchev, Chruschtschow, Khrouchtchev all
 *     become hruhev/hruhov; the price is that Chen/Shen/Hen would meet,
 *     which is why short words are spared)
 *   ph -> f   th -> t   dh -> d   gh -> g   ck -> k   dj -> d
 *   ts tz -> s  (Donetsk/Donezk)      ou -> u  (French Poutine)
 *   gu before e, i, y -> g  (Serguei)       final ff -> v  (Smirnoff)
 *   c -> s before e, i, y, else k    q -> k    x -> ks    w -> v
 *   y j -> i    z -> s  (German S for Russian Z: Selenskyj)
 *
 * Pass 2 rewrites the key in place:
 *   initial ie -> e       (Yeltsin, Jelzin, Eltsine)
 *   ie -> i               (Kiev/Kyiv, Dmitriev/Dmitrijew, Lieberman)
 *   runs of one consonant or of i -> one  (Zelenskyy, Gaddafi; "oo" stays,
 *                         so Moody is not Modi)
 *   final e after a consonant, in words of 5+ letters, is dropped
 *                         (Poutine, Sourovikine)
 * Words of 1-3 letters are copied unchanged.
 *
 * Worked example, "Schoigu" (German) and "Choigou" (French, diaeresis gone):
 *   schoigu: sch -> h, o, i, gu (not before e/i/y: g, u) -> "hoigu"
 *   choigou: ch -> h, o, i, g, ou -> u                  -> "hoigu"
 */

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_vowel_key(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Longest first; each starts with c, k, s, t or z, its 2nd letter is c, h, s or z. */
static const struct { const char *s; size_t len; } hush[] = {
    { "schtsch", 7 }, { "chtch", 5 }, { "shch", 4 }, { "szcz", 4 },
    { "tsch", 4 }, { "sch", 3 }, { "tch", 3 }, { "sh", 2 }, { "ch", 2 },
    { "kh", 2 }, { "zh", 2 }, { "cz", 2 }, { "sz", 2 }, { NULL, 0 }
};

/* Pass 1 for w[0..n) (lower case).  Writes through the sink. */
static void key_pass1(sink *o, const char *w, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *r = w + i;
        size_t left = n - i;
        if (n >= 5 && left >= 2 && (r[1] == 'h' || r[1] == 'z' || r[1] == 'c' || r[1] == 's')
            && (r[0] == 'c' || r[0] == 'k' || r[0] == 's' || r[0] == 't' || r[0] == 'z')) {
            size_t k;
            for (k = 0; hush[k].s; k++)
                if (hush[k].len <= left && memcmp(r, hush[k].s, hush[k].len) == 0) break;
            if (hush[k].s) { putc1(o, 'h'); i += hush[k].len; continue; }
        }
        if (left >= 2) {
            char a = r[0], b = r[1];
            const char *rep = NULL;
            if (b == 'h' && (a == 'p')) rep = "f";
            else if (b == 'h' && (a == 't' || a == 'd' || a == 'g')) { putc1(o, a); i += 2; continue; }
            else if (a == 'c' && b == 'k') rep = "k";
            else if (a == 'd' && b == 'j') rep = "d";
            else if (a == 't' && (b == 's' || b == 'z')) rep = "s";
            else if (a == 'o' && b == 'u') rep = "u";
            else if (a == 'f' && b == 'f' && left == 2) rep = "v";
            else if (a == 'g' && b == 'u' && left >= 3 &&
                     (r[2] == 'e' || r[2] == 'i' || r[2] == 'y')) rep = "g";
            if (rep) { puts0(o, rep); i += 2; continue; }
        }
        char c = r[0];
        switch (c) {
        case 'c':
            putc1(o, (left >= 2 && (r[1] == 'e' || r[1] == 'i' || r[1] == 'y')) ? 's' : 'k');
            break;
        case 'q': putc1(o, 'k'); break;
        case 'x': put(o, "ks", 2); break;
        case 'w': putc1(o, 'v'); break;
        case 'y': case 'j': putc1(o, 'i'); break;
        case 'z': putc1(o, 's'); break;
        default:  putc1(o, c); break;
        }
        i++;
    }
}

/* Pass 2 on k[0..n) in place; returns the new length. */
static size_t key_pass2(char *k, size_t n, size_t word_len)
{
    size_t r = 0, w = 0;
    if (n >= 3 && k[0] == 'i' && k[1] == 'e') r = 1;     /* initial ie -> e */
    for (; r < n; r++) {
        char c = k[r];
        if (c == 'e' && w > 0 && k[w - 1] == 'i') continue;     /* ie -> i */
        if (w > 0 && k[w - 1] == c && (c == 'i' || !is_vowel_key(c))) continue;
        k[w++] = c;
    }
    if (word_len >= 5 && w >= 3 && k[w - 1] == 'e' && !is_vowel_key(k[w - 2]))
        w--;
    return w;
}

int retold_translit_phonetic(const char *in, size_t len, char *out, size_t cap,
                             size_t *out_len)
{
    if ((!in && len) || (!out && cap) || !out_len) return RETOLD_INVAL;
    sink o = { out, cap, 0 };
    char word[64];              /* lower-cased word; longer words are copied */
    size_t i = 0;
    while (i < len) {
        if (!is_alpha((unsigned char)in[i])) { putc1(&o, in[i]); i++; continue; }
        size_t j = i;
        while (j < len && is_alpha((unsigned char)in[j])) j++;
        size_t n = j - i;
        if (n <= 3 || n > sizeof word) {
            for (size_t t = i; t < j; t++) {
                unsigned char c = (unsigned char)in[t];
                putc1(&o, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
            }
            i = j;
            continue;
        }
        for (size_t t = 0; t < n; t++) {
            unsigned char c = (unsigned char)in[i + t];
            word[t] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        size_t start = o.n;
        key_pass1(&o, word, n);
        if (o.n <= o.cap) {
            o.n = start + key_pass2(o.buf + start, o.n - start, n);
        } else {
            /* did not fit: compute the length in a local buffer */
            char tmp[2 * sizeof word];
            sink t = { tmp, sizeof tmp, 0 };
            key_pass1(&t, word, n);
            o.n = start + key_pass2(tmp, t.n, n);
        }
        i = j;
    }
    *out_len = o.n;
    return o.n <= cap ? RETOLD_OK : RETOLD_TOOBIG;
}
