/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-syllable"

#include "config.h"

#include "sohoa-syllable.h"

#include <stdlib.h>
#include <string.h>

/*
 * Vietnamese orthography check for the OCR post-check (DOMAIN.md §5).
 *
 * A syllable is (onset)(medial) nucleus (final) plus one of six tones.  The
 * word is decoded once into letters: lowercase, toneless and precomposed
 * ("Ệ" is ê + nặng whether it came as one code point or as E + U+0323 +
 * U+0302), so NFC, NFD and case do not matter.  The onset is read greedily
 * (ngh before ng before n; gi; qu), and the letters left must spell one of
 * the rhymes in the table below.  Each rhyme says which onsets it takes:
 *
 *  - k, gh, ngh only before e, ê, i (iê); c, g, ng everywhere else;
 *  - a medial (o before a, ă, e; u before â, ê, y, ơ) is never written after
 *    c (that is qu), gi, k, gh or ngh;
 *  - qu takes its own list of rhymes (the after_qu column), and g, ng take
 *    a medial u before the same list (nguẩy, nguệch);
 *  - before a consonant or ê, gi is g + the nucleus i (gì, gìn, giếng), and
 *    gi never comes before another i;
 *  - yê only with no onset or after qu (yêu, quyển), bare y after a few.
 *
 * Then the tone: after a final p, t, c or ch only sắc or nặng.  Then where
 * the mark sits, which must be one of the places the old or the new style
 * puts it (DOMAIN.md §5.3):
 *
 *  - on the last vowel with a hat, breve or horn (ươ → ơ, uyê → ê, ưa → ư);
 *  - else, before a final consonant, on the last vowel (hoàn, xoóng);
 *  - else on the middle one of three (hoài, khuỷu), the first of two
 *    (mía, múa, hái), except for a medial and its vowel (oa, oe, uy), where
 *    the old style marks the first (hòa) and the new the second (hoà).
 *
 * After qu and gi the u and i belong to the onset, so "quý" and "già" have one
 * place only; "qúy" and "gìa" are misspellings and are flagged.
 *
 * These rules accept exactly the 17,498 forms of
 * tests/data/syllables-rule-generated.txt, the project's rule-generated list:
 * every one of them (test-syllable checks it), and nothing else among every
 * onset × rhyme × tone × mark position (checked once, when this was written).
 */

#define MAX_CODE_POINTS 64
#define MAX_LETTERS     16

/* The letters with marks, lowercase */
#define A_BREVE      0x0103  /* ă */
#define A_CIRCUMFLEX 0x00E2  /* â */
#define E_CIRCUMFLEX 0x00EA  /* ê */
#define O_CIRCUMFLEX 0x00F4  /* ô */
#define O_HORN       0x01A1  /* ơ */
#define U_HORN       0x01B0  /* ư */
#define D_STROKE     0x0111  /* đ */
#define D_STROKE_CAP 0x0110  /* Đ */

typedef enum
{
  TONE_NGANG,
  TONE_HUYEN,
  TONE_SAC,
  TONE_HOI,
  TONE_NGA,
  TONE_NANG,
} Tone;

typedef enum
{
  ONSET_NONE,
  ONSET_B,
  ONSET_C,
  ONSET_CH,
  ONSET_D,
  ONSET_DD,
  ONSET_G,
  ONSET_GH,
  ONSET_GI,
  ONSET_H,
  ONSET_K,
  ONSET_KH,
  ONSET_L,
  ONSET_M,
  ONSET_N,
  ONSET_NG,
  ONSET_NGH,
  ONSET_NH,
  ONSET_P,
  ONSET_PH,
  ONSET_QU,
  ONSET_R,
  ONSET_S,
  ONSET_T,
  ONSET_TH,
  ONSET_TR,
  ONSET_V,
  ONSET_X,
} Onset;

#define ON(o) (1u << ONSET_##o)

/* The onsets no spelling rule touches; p is here for loans (pin, pa-nô) */
#define ONSETS_ANYWHERE \
  (ON (NONE) | ON (B) | ON (CH) | ON (D) | ON (DD) | ON (H) | ON (KH) | ON (L) | ON (M) | \
   ON (N) | ON (NH) | ON (P) | ON (PH) | ON (R) | ON (S) | ON (T) | ON (TH) | ON (TR) | \
   ON (V) | ON (X))

typedef enum
{
  RHYME_BACK,     /* starts with a ă â o ô ơ u ư: c, g, ng, gi; never k, gh, ngh */
  RHYME_FRONT_E,  /* starts with e ê: k, gh, ngh, gi; never c, g, ng */
  RHYME_FRONT_I,  /* starts with i, iê: as e, but gi would swallow the i */
  RHYME_MEDIAL,   /* starts with a medial: oa oă oe uâ uê uy uơ */
  RHYME_Y,        /* bare y: kỷ, lý, mỹ, quý, sỹ, tỷ, vỹ … */
  RHYME_YE,       /* yê…: no onset (yêu, yên) */
  RHYME_GI,       /* after gi, whose i is the nucleus: gì, gìn, gịp, giếc, giêng */
  RHYME_QU_ONLY,  /* y + final: only after qu (quýt, quỳnh) */
} RhymeKind;

static const guint32 onsets_of_kind[] = {
  [RHYME_BACK] = ONSETS_ANYWHERE | ON (C) | ON (G) | ON (NG) | ON (GI),
  [RHYME_FRONT_E] = ONSETS_ANYWHERE | ON (K) | ON (GH) | ON (NGH) | ON (GI),
  [RHYME_FRONT_I] = ONSETS_ANYWHERE | ON (K) | ON (GH) | ON (NGH),
  [RHYME_MEDIAL] = ONSETS_ANYWHERE | ON (G) | ON (NG),
  [RHYME_Y] = ON (NONE) | ON (B) | ON (H) | ON (K) | ON (L) | ON (M) | ON (N) | ON (S) |
              ON (T) | ON (V),
  [RHYME_YE] = ON (NONE),
  [RHYME_GI] = ON (GI),
  [RHYME_QU_ONLY] = 0,
};

typedef struct
{
  const char *spelling;  /* lowercase, toneless, NFC */
  guint8      kind;      /* RhymeKind */
  gboolean    after_qu;  /* qu (and g, ng + medial u) take it */
} Rhyme;

#define QU TRUE

/* Sorted by strcmp() (byte order, so ă â ê ô ơ ư come after z), for bsearch() */
static const Rhyme rhymes[] = {
  { "",     RHYME_GI },
  { "a",    RHYME_BACK, QU },
  { "ac",   RHYME_BACK, QU },
  { "ach",  RHYME_BACK, QU },
  { "ai",   RHYME_BACK, QU },
  { "am",   RHYME_BACK, QU },
  { "an",   RHYME_BACK, QU },
  { "ang",  RHYME_BACK, QU },
  { "anh",  RHYME_BACK, QU },
  { "ao",   RHYME_BACK, QU },
  { "ap",   RHYME_BACK, QU },
  { "at",   RHYME_BACK, QU },
  { "au",   RHYME_BACK, QU },
  { "ay",   RHYME_BACK, QU },
  { "ch",   RHYME_GI },
  { "e",    RHYME_FRONT_E, QU },
  { "ec",   RHYME_FRONT_E },
  { "em",   RHYME_FRONT_E },
  { "en",   RHYME_FRONT_E, QU },
  { "eng",  RHYME_FRONT_E },
  { "eo",   RHYME_FRONT_E, QU },
  { "ep",   RHYME_FRONT_E },
  { "et",   RHYME_FRONT_E, QU },
  { "i",    RHYME_FRONT_I, QU },
  { "ia",   RHYME_FRONT_I },
  { "ich",  RHYME_FRONT_I },
  { "im",   RHYME_FRONT_I },
  { "in",   RHYME_FRONT_I },
  { "inh",  RHYME_FRONT_I },
  { "ip",   RHYME_FRONT_I },
  { "it",   RHYME_FRONT_I, QU },
  { "iu",   RHYME_FRONT_I },
  { "iêc",  RHYME_FRONT_I },
  { "iêm",  RHYME_FRONT_I },
  { "iên",  RHYME_FRONT_I },
  { "iêng", RHYME_FRONT_I },
  { "iêp",  RHYME_FRONT_I },
  { "iêt",  RHYME_FRONT_I },
  { "iêu",  RHYME_FRONT_I },
  { "m",    RHYME_GI },
  { "n",    RHYME_GI },
  { "o",    RHYME_BACK },
  { "oa",   RHYME_MEDIAL },
  { "oac",  RHYME_MEDIAL },
  { "oach", RHYME_MEDIAL },
  { "oai",  RHYME_MEDIAL },
  { "oam",  RHYME_MEDIAL },
  { "oan",  RHYME_MEDIAL },
  { "oang", RHYME_MEDIAL },
  { "oanh", RHYME_MEDIAL },
  { "oao",  RHYME_MEDIAL },
  { "oap",  RHYME_MEDIAL },
  { "oat",  RHYME_MEDIAL },
  { "oay",  RHYME_MEDIAL },
  { "oc",   RHYME_BACK },
  { "oe",   RHYME_MEDIAL },
  { "oen",  RHYME_MEDIAL },
  { "oeo",  RHYME_MEDIAL },
  { "oet",  RHYME_MEDIAL },
  { "oi",   RHYME_BACK },
  { "om",   RHYME_BACK },
  { "on",   RHYME_BACK },
  { "ong",  RHYME_BACK },
  { "ooc",  RHYME_BACK },  /* loans: soóc, xoóc */
  { "oong", RHYME_BACK },  /* loans: boong, xoong */
  { "op",   RHYME_BACK },
  { "ot",   RHYME_BACK },
  { "oăc",  RHYME_MEDIAL },
  { "oăm",  RHYME_MEDIAL },
  { "oăn",  RHYME_MEDIAL },
  { "oăng", RHYME_MEDIAL },
  { "oăt",  RHYME_MEDIAL },
  { "p",    RHYME_GI },
  { "t",    RHYME_GI },
  { "u",    RHYME_BACK },
  { "ua",   RHYME_BACK },
  { "uc",   RHYME_BACK },
  { "ui",   RHYME_BACK },
  { "um",   RHYME_BACK },
  { "un",   RHYME_BACK },
  { "ung",  RHYME_BACK },
  { "up",   RHYME_BACK },
  { "ut",   RHYME_BACK },
  { "uy",   RHYME_MEDIAL },
  { "uya",  RHYME_MEDIAL },
  { "uych", RHYME_MEDIAL },
  { "uyn",  RHYME_MEDIAL },
  { "uynh", RHYME_MEDIAL },
  { "uyp",  RHYME_MEDIAL },
  { "uyt",  RHYME_MEDIAL },
  { "uyu",  RHYME_MEDIAL },
  { "uyên", RHYME_MEDIAL },
  { "uyêt", RHYME_MEDIAL },
  { "uân",  RHYME_MEDIAL },
  { "uâng", RHYME_MEDIAL },
  { "uât",  RHYME_MEDIAL },
  { "uây",  RHYME_MEDIAL },
  { "uê",   RHYME_MEDIAL },
  { "uêch", RHYME_MEDIAL },
  { "uênh", RHYME_MEDIAL },
  { "uôc",  RHYME_BACK },
  { "uôi",  RHYME_BACK },
  { "uôm",  RHYME_BACK },
  { "uôn",  RHYME_BACK },
  { "uông", RHYME_BACK },
  { "uôt",  RHYME_BACK },
  { "uơ",   RHYME_MEDIAL },
  { "y",    RHYME_Y, QU },
  { "ya",   RHYME_QU_ONLY, QU },
  { "ych",  RHYME_QU_ONLY, QU },
  { "yn",   RHYME_QU_ONLY, QU },
  { "ynh",  RHYME_QU_ONLY, QU },
  { "yp",   RHYME_QU_ONLY, QU },
  { "yt",   RHYME_QU_ONLY, QU },
  { "yu",   RHYME_QU_ONLY, QU },
  { "yêm",  RHYME_YE },
  { "yên",  RHYME_YE, QU },
  { "yêng", RHYME_YE },
  { "yêt",  RHYME_YE, QU },
  { "yêu",  RHYME_YE },
  { "âc",   RHYME_BACK },
  { "âm",   RHYME_BACK },
  { "ân",   RHYME_BACK, QU },
  { "âng",  RHYME_BACK, QU },
  { "âp",   RHYME_BACK },
  { "ât",   RHYME_BACK, QU },
  { "âu",   RHYME_BACK },
  { "ây",   RHYME_BACK, QU },
  { "ê",    RHYME_FRONT_E, QU },
  { "êc",   RHYME_GI },
  { "êch",  RHYME_FRONT_E, QU },
  { "êm",   RHYME_FRONT_E },
  { "ên",   RHYME_FRONT_E, QU },
  { "êng",  RHYME_GI },
  { "ênh",  RHYME_FRONT_E, QU },
  { "êp",   RHYME_FRONT_E },
  { "êt",   RHYME_FRONT_E, QU },
  { "êu",   RHYME_FRONT_E, QU },
  { "ô",    RHYME_BACK },
  { "ôc",   RHYME_BACK, QU },
  { "ôi",   RHYME_BACK },
  { "ôm",   RHYME_BACK },
  { "ôn",   RHYME_BACK },
  { "ông",  RHYME_BACK },
  { "ôp",   RHYME_BACK },
  { "ôt",   RHYME_BACK },
  { "ăc",   RHYME_BACK, QU },
  { "ăm",   RHYME_BACK, QU },
  { "ăn",   RHYME_BACK, QU },
  { "ăng",  RHYME_BACK, QU },
  { "ăp",   RHYME_BACK, QU },
  { "ăt",   RHYME_BACK, QU },
  { "ơ",    RHYME_BACK, QU },
  { "ơi",   RHYME_BACK },
  { "ơm",   RHYME_BACK },
  { "ơn",   RHYME_BACK, QU },
  { "ơp",   RHYME_BACK },
  { "ơt",   RHYME_BACK },
  { "ư",    RHYME_BACK },
  { "ưa",   RHYME_BACK },
  { "ưc",   RHYME_BACK },
  { "ưi",   RHYME_BACK },
  { "ưm",   RHYME_BACK },
  { "ưn",   RHYME_BACK },
  { "ưng",  RHYME_BACK },
  { "ưt",   RHYME_BACK },
  { "ưu",   RHYME_BACK },
  { "ươc",  RHYME_BACK },
  { "ươi",  RHYME_BACK },
  { "ươm",  RHYME_BACK },
  { "ươn",  RHYME_BACK },
  { "ương", RHYME_BACK },
  { "ươp",  RHYME_BACK },
  { "ươt",  RHYME_BACK },
  { "ươu",  RHYME_BACK },
};

#undef QU

typedef struct
{
  gunichar ch;         /* lowercase, toneless, precomposed: a, ă, â, b, …, đ, … */
  guint8   tone;       /* Tone */
  gboolean upper;
} Letter;

/* One run of letters between separators, decoded */
typedef struct
{
  Letter   letters[MAX_LETTERS];
  guint    n_letters;
  guint    n_toned;        /* letters carrying a tone mark */
  guint    toned;          /* index of the (last) one */
  guint    n_vowels;
  guint    n_upper;
  gboolean has_vowel_mark; /* ă â ê ô ơ ư */
  gboolean unusable;       /* a letter or mark no Vietnamese word has, or too long */
} Part;

static inline gboolean
is_vowel (gunichar c)
{
  switch (c)
    {
    case 'a': case A_BREVE: case A_CIRCUMFLEX:
    case 'e': case E_CIRCUMFLEX:
    case 'i': case 'y':
    case 'o': case O_CIRCUMFLEX: case O_HORN:
    case 'u': case U_HORN:
      return TRUE;
    default:
      return FALSE;
    }
}

static inline gboolean
is_marked_vowel (gunichar c)
{
  return c == A_BREVE || c == A_CIRCUMFLEX || c == E_CIRCUMFLEX ||
         c == O_CIRCUMFLEX || c == O_HORN || c == U_HORN;
}

static inline gboolean
is_number (gunichar c)
{
  if (c < 0x80)
    return c >= '0' && c <= '9';

  switch (g_unichar_type (c))
    {
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Letters and the marks on them; everything else separates or is stripped */
static inline gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalpha (c);
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

static gboolean
add_letter (Part     *part,
            gunichar  ch,
            gboolean  upper)
{
  Letter *letter;

  if (part->n_letters == MAX_LETTERS)
    return FALSE;

  letter = &part->letters[part->n_letters++];
  letter->ch = ch;
  letter->tone = TONE_NGANG;
  letter->upper = upper;
  if (upper)
    part->n_upper++;
  if (is_vowel (ch))
    part->n_vowels++;
  return TRUE;
}

static gboolean
put_tone (Part *part,
          Tone  tone)
{
  Letter *letter = &part->letters[part->n_letters - 1];

  if (letter->tone != TONE_NGANG)
    return FALSE;
  letter->tone = tone;
  part->n_toned++;
  part->toned = part->n_letters - 1;
  return TRUE;
}

static gboolean
put_vowel_mark (Part     *part,
                gunichar  mark)
{
  Letter *letter = &part->letters[part->n_letters - 1];
  gunichar marked = 0;

  switch (mark)
    {
    case 0x0306: /* breve */
      if (letter->ch == 'a')
        marked = A_BREVE;
      break;
    case 0x0302: /* circumflex */
      if (letter->ch == 'a')
        marked = A_CIRCUMFLEX;
      else if (letter->ch == 'e')
        marked = E_CIRCUMFLEX;
      else if (letter->ch == 'o')
        marked = O_CIRCUMFLEX;
      break;
    case 0x031B: /* horn */
      if (letter->ch == 'o')
        marked = O_HORN;
      else if (letter->ch == 'u')
        marked = U_HORN;
      break;
    default:
      break;
    }

  if (marked == 0)
    return FALSE;
  letter->ch = marked;
  part->has_vowel_mark = TRUE;
  return TRUE;
}

static gboolean
add_mark (Part     *part,
          gunichar  mark)
{
  if (part->n_letters == 0)
    return FALSE;

  switch (mark)
    {
    case 0x0300: case 0x0340:
      return put_tone (part, TONE_HUYEN);
    case 0x0301: case 0x0341:
      return put_tone (part, TONE_SAC);
    case 0x0309:
      return put_tone (part, TONE_HOI);
    case 0x0303:
      return put_tone (part, TONE_NGA);
    case 0x0323:
      return put_tone (part, TONE_NANG);
    default:
      return put_vowel_mark (part, mark);
    }
}

/* Decodes one code point, precomposed or a combining mark, into @part */
static gboolean
add_code_point (Part     *part,
                gunichar  c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n_decomposed;
  gunichar base;

  if (c < 0x80)
    return g_ascii_isalpha (c) && add_letter (part, g_ascii_tolower (c), g_ascii_isupper (c));

  if (c >= 0x0300 && c <= 0x036F)
    return add_mark (part, c);

  n_decomposed = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  base = decomposed[0];
  if (base == D_STROKE || base == D_STROKE_CAP)
    {
      if (!add_letter (part, D_STROKE, base == D_STROKE_CAP))
        return FALSE;
    }
  else if (base < 0x80 && g_ascii_isalpha (base))
    {
      if (!add_letter (part, g_ascii_tolower (base), g_ascii_isupper (base)))
        return FALSE;
    }
  else
    return FALSE;  /* Ð, ß, Cyrillic, Han … */

  for (gsize i = 1; i < n_decomposed; i++)
    if (!add_mark (part, decomposed[i]))
      return FALSE;

  return TRUE;
}

static void
decode_part (Part           *part,
             const gunichar *cps,
             guint           n_cps)
{
  memset (part, 0, sizeof *part);
  for (guint i = 0; i < n_cps; i++)
    if (!add_code_point (part, cps[i]))
      {
        part->unusable = TRUE;
        return;
      }
}

/* Reads the onset at the start of @letters, greedily: ngh before ng before n */
static gboolean
read_onset (const Letter *letters,
            guint         n_letters,
            Onset        *onset,
            guint        *length)
{
  gunichar second = n_letters > 1 ? letters[1].ch : 0;
  gunichar third = n_letters > 2 ? letters[2].ch : 0;

  *length = 1;
  switch (letters[0].ch)
    {
    case 'b': *onset = ONSET_B; break;
    case 'd': *onset = ONSET_D; break;
    case D_STROKE: *onset = ONSET_DD; break;
    case 'h': *onset = ONSET_H; break;
    case 'l': *onset = ONSET_L; break;
    case 'm': *onset = ONSET_M; break;
    case 'r': *onset = ONSET_R; break;
    case 's': *onset = ONSET_S; break;
    case 'v': *onset = ONSET_V; break;
    case 'x': *onset = ONSET_X; break;
    case 'c': *onset = second == 'h' ? ONSET_CH : ONSET_C; break;
    case 'k': *onset = second == 'h' ? ONSET_KH : ONSET_K; break;
    case 'p': *onset = second == 'h' ? ONSET_PH : ONSET_P; break;
    case 'g':
      *onset = second == 'h' ? ONSET_GH : second == 'i' ? ONSET_GI : ONSET_G;
      break;
    case 't':
      *onset = second == 'h' ? ONSET_TH : second == 'r' ? ONSET_TR : ONSET_T;
      break;
    case 'n':
      if (second == 'g')
        *onset = third == 'h' ? ONSET_NGH : ONSET_NG;
      else
        *onset = second == 'h' ? ONSET_NH : ONSET_N;
      break;
    case 'q':
      if (second != 'u')
        return FALSE;
      *onset = ONSET_QU;
      break;
    default:
      if (!is_vowel (letters[0].ch))
        return FALSE;  /* f, j, w, z */
      *onset = ONSET_NONE;
      *length = 0;
      return TRUE;
    }

  switch (*onset)
    {
    case ONSET_NGH:
      *length = 3;
      break;
    case ONSET_CH: case ONSET_GH: case ONSET_GI: case ONSET_KH: case ONSET_NG:
    case ONSET_NH: case ONSET_PH: case ONSET_QU: case ONSET_TH: case ONSET_TR:
      *length = 2;
      break;
    default:
      break;
    }
  return TRUE;
}

static int
compare_rhyme (const void *key,
               const void *element)
{
  return strcmp (key, ((const Rhyme *) element)->spelling);
}

static const Rhyme *
find_rhyme (const Letter *letters,
            guint         from,
            guint         to)
{
  char spelling[MAX_LETTERS * 2 + 1];  /* every letter is 1 or 2 bytes of UTF-8 */
  char *p = spelling;

  for (guint i = from; i < to; i++)
    p += g_unichar_to_utf8 (letters[i].ch, p);
  *p = '\0';

  return bsearch (spelling, rhymes, G_N_ELEMENTS (rhymes), sizeof rhymes[0], compare_rhyme);
}

static inline gboolean
ends_in_stop (const Letter *letters,
              guint         n_letters)
{
  gunichar last = letters[n_letters - 1].ch;

  return last == 'p' || last == 't' || last == 'c' ||
         (last == 'h' && n_letters > 1 && letters[n_letters - 2].ch == 'c');
}

/* Where may the tone mark sit, in either style?  The vowels start at @start;
 * @medial_u says the first of them is a medial u (g, ng + u + a qu rhyme). */
static gboolean
tone_is_in_place (const Part *part,
                  guint       start,
                  gboolean    medial_u)
{
  const Letter *letters = part->letters;
  guint at = part->toned;
  guint end = start;
  guint marked = G_MAXUINT;
  gboolean has_final;
  gunichar first, second;

  while (end < part->n_letters && is_vowel (letters[end].ch))
    {
      if (is_marked_vowel (letters[end].ch))
        marked = end;
      end++;
    }
  has_final = end < part->n_letters;

  if (end == start)  /* gì, gìn: the i of gi is the vowel */
    return at + 1 == start;
  if (marked != G_MAXUINT)
    return at == marked;
  if (end - start == 1)
    return at == start;
  if (has_final)
    return at == end - 1;
  if (end - start >= 3)
    return at == start + 1;

  /* two vowels, no final: hòa/hoà, khỏe/khoẻ, thủy/thuỷ; else the first */
  first = letters[start].ch;
  second = letters[start + 1].ch;
  if (medial_u ||
      (first == 'o' && (second == 'a' || second == 'e')) ||
      (first == 'u' && second == 'y'))
    return at == start || at == start + 1;
  return at == start;
}

static gboolean
tone_fits (const Part *part,
           guint       vowels_start,
           gboolean    medial_u)
{
  Tone tone = part->n_toned > 0 ? part->letters[part->toned].tone : TONE_NGANG;

  /* after p, t, c, ch: sắc or nặng only */
  if (ends_in_stop (part->letters, part->n_letters) && tone != TONE_SAC && tone != TONE_NANG)
    return FALSE;

  return part->n_toned == 0 || tone_is_in_place (part, vowels_start, medial_u);
}

static gboolean
is_syllable (const Part *part)
{
  const Letter *letters = part->letters;
  guint n_letters = part->n_letters;
  const Rhyme *rhyme;
  Onset onset;
  guint onset_length;

  if (n_letters == 0 || part->unusable || part->n_toned > 1)
    return FALSE;
  if (!read_onset (letters, n_letters, &onset, &onset_length))
    return FALSE;

  rhyme = find_rhyme (letters, onset_length, n_letters);
  if (rhyme != NULL &&
      ((onsets_of_kind[rhyme->kind] & (1u << onset)) != 0 ||
       (onset == ONSET_QU && rhyme->after_qu)) &&
      tone_fits (part, onset_length, FALSE))
    return TRUE;

  /* g, ng + medial u before what qu takes: nguẩy, nguệch, ngoe nguẩy */
  if ((onset == ONSET_G || onset == ONSET_NG) &&
      onset_length + 1 < n_letters && letters[onset_length].ch == 'u')
    {
      rhyme = find_rhyme (letters, onset_length + 1, n_letters);
      if (rhyme != NULL && rhyme->after_qu && tone_fits (part, onset_length, TRUE))
        return TRUE;
    }

  return FALSE;
}

/* Could this unmarked word be a syllable once marks are added ("VIET",
 * "NGUYEN"), or is it no syllable at all ("UBND", "TLKS")? */
static gboolean
has_syllable_shape (const Part *part)
{
  static const char * const finals[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t" };
  const Letter *letters = part->letters;
  char final[3] = "";
  Onset onset;
  guint i, n_vowels = 0;

  if (!read_onset (letters, part->n_letters, &onset, &i))
    return FALSE;
  for (; i < part->n_letters && is_vowel (letters[i].ch); i++)
    n_vowels++;
  if ((n_vowels == 0 && onset != ONSET_GI) || n_vowels > 3 || part->n_letters - i > 2)
    return FALSE;

  for (guint j = 0; i < part->n_letters; i++, j++)
    {
      if (letters[i].ch >= 0x80)
        return FALSE;
      final[j] = (char) letters[i].ch;
      final[j + 1] = '\0';
    }

  for (guint j = 0; j < G_N_ELEMENTS (finals); j++)
    if (strcmp (final, finals[j]) == 0)
      return TRUE;
  return FALSE;
}

static void
skip_roman_digit (const char **p,
                  char         one,
                  char         five,
                  char         ten)
{
  const char *s = *p;

  if (s[0] == one && ((ten != 0 && s[1] == ten) || (five != 0 && s[1] == five)))
    {
      *p = s + 2;  /* IX, IV */
      return;
    }
  if (five != 0 && s[0] == five)
    s++;
  for (guint i = 0; i < 3 && *s == one; i++)
    s++;
  *p = s;
}

/* Chapter and volume numbers: "II", "XIV", "(iii)" */
static gboolean
is_roman_numeral (const Part *part)
{
  char numeral[MAX_LETTERS + 1];
  const char *p = numeral;
  guint i;

  if (part->n_toned > 0 || part->has_vowel_mark)
    return FALSE;
  /* all capitals, or list numbers in small letters ("ii", "iv"); a small
   * "ci" or "cm" is more likely a misread than a numeral */
  if (part->n_upper != part->n_letters && (part->n_upper != 0 || part->n_letters < 2))
    return FALSE;

  for (i = 0; i < part->n_letters; i++)
    {
      gunichar c = part->letters[i].ch;

      if (c >= 0x80 || (part->n_upper == 0 && c != 'i' && c != 'v' && c != 'x'))
        return FALSE;
      numeral[i] = (char) c;
    }
  numeral[i] = '\0';

  skip_roman_digit (&p, 'm', 0, 0);
  skip_roman_digit (&p, 'c', 'd', 'm');
  skip_roman_digit (&p, 'x', 'l', 'c');
  skip_roman_digit (&p, 'i', 'v', 'x');
  return *p == '\0';
}

static gboolean
is_abbreviation (const Part *part,
                 gunichar    before,
                 gunichar    after)
{
  if (part->n_toned > 0 || part->has_vowel_mark)
    return FALSE;

  /* initials and labels: "V.", "T/M", "V/v", "đ/c", "b)" */
  if (part->n_letters == 1)
    return after == '.' || after == ')' || after == '/' || before == '/';

  if (part->n_letters > 6)
    return FALSE;
  /* "Tp", "TLKS", "QĐ" */
  if (part->letters[0].upper && part->n_vowels == 0)
    return TRUE;
  /* "UBND", "HCTP"; but not "VIET", which is VIỆT with its marks lost */
  return part->n_upper == part->n_letters && !has_syllable_shape (part);
}

static SohoaSyllableVerdict
check_part (const gunichar *cps,
            guint           n_cps,
            gunichar        before,
            gunichar        after)
{
  Part part;

  decode_part (&part, cps, n_cps);
  if (part.unusable)
    return SOHOA_SYLLABLE_INVALID;
  if (is_syllable (&part))
    return SOHOA_SYLLABLE_VALID;
  if (is_roman_numeral (&part))
    return SOHOA_SYLLABLE_NOT_WORD;
  if (is_abbreviation (&part, before, after))
    return SOHOA_SYLLABLE_ABBREVIATION;
  return SOHOA_SYLLABLE_INVALID;
}

/**
 * sohoa_syllable_check:
 * @word: one OCR word, UTF-8, in any normalisation form and case
 *
 * Checks @word against Vietnamese orthography: onset, rhyme, tone and
 * where the tone mark sits (both the old "hòa" and the new "hoà" style).
 * Leading and trailing punctuation is ignored; inside the word, hyphens,
 * slashes and dots separate syllables that are checked one by one
 * ("Sài-gòn", "V/v", "Tp.HCM"), and the worst of them is the verdict.
 *
 * Allocates nothing; fast enough to run on every word of every page.
 *
 * Returns: the verdict; only %SOHOA_SYLLABLE_INVALID is worth showing to
 *   the operator on its own
 */
SohoaSyllableVerdict
sohoa_syllable_check (const char *word)
{
  gunichar cps[MAX_CODE_POINTS];
  guint n_cps = 0;
  guint start, end;
  gboolean too_long = FALSE;
  gboolean any_word = FALSE;
  gboolean any_abbreviation = FALSE;

  g_return_val_if_fail (word != NULL, SOHOA_SYLLABLE_NOT_WORD);

  for (const char *p = word; *p != '\0';)
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        c = (guchar) *p++;
      else
        {
          c = g_utf8_get_char_validated (p, -1);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            return SOHOA_SYLLABLE_INVALID;
          p = g_utf8_next_char (p);
        }

      /* dates, ID and register numbers: "12/02/2026", "123/TLKS", "(1)" */
      if (is_number (c))
        return SOHOA_SYLLABLE_NOT_WORD;
      if (n_cps < MAX_CODE_POINTS)
        cps[n_cps++] = c;
      else
        too_long = TRUE;
    }

  for (start = 0; start < n_cps && !is_word_char (cps[start]); start++)
    ;
  if (start == n_cps)
    return SOHOA_SYLLABLE_NOT_WORD;  /* punctuation only */
  if (too_long)
    return SOHOA_SYLLABLE_INVALID;
  for (end = n_cps; !is_word_char (cps[end - 1]); end--)
    ;

  for (guint i = start; i < end;)
    {
      guint part_end = i;

      while (part_end < end && is_word_char (cps[part_end]))
        part_end++;

      switch (check_part (cps + i, part_end - i,
                          i > 0 ? cps[i - 1] : 0,
                          part_end < n_cps ? cps[part_end] : 0))
        {
        case SOHOA_SYLLABLE_INVALID:
          return SOHOA_SYLLABLE_INVALID;
        case SOHOA_SYLLABLE_ABBREVIATION:
          any_abbreviation = TRUE;
          break;
        case SOHOA_SYLLABLE_VALID:
          any_word = TRUE;
          break;
        case SOHOA_SYLLABLE_NOT_WORD:
        default:
          break;
        }

      for (i = part_end; i < end && !is_word_char (cps[i]); i++)
        ;
    }

  if (any_abbreviation)
    return SOHOA_SYLLABLE_ABBREVIATION;
  return any_word ? SOHOA_SYLLABLE_VALID : SOHOA_SYLLABLE_NOT_WORD;
}

/**
 * sohoa_word_is_suspicious:
 * @word: one OCR word
 * @confidence: Tesseract's confidence in it, 0–100; a negative value means
 *   unknown (typed text), and then only the rules decide
 *
 * Whether to flag @word for the operator: when it breaks the orthography
 * rules whatever the confidence, and when the confidence is under
 * %SOHOA_LOW_CONFIDENCE whatever the word, numbers included (a misread
 * digit in an ID number or a date is the costliest error and no rule sees
 * it).
 *
 * Returns: %TRUE to flag @word
 */
gboolean
sohoa_word_is_suspicious (const char *word,
                          float       confidence)
{
  g_return_val_if_fail (word != NULL, FALSE);

  if (confidence >= 0.0f && confidence < SOHOA_LOW_CONFIDENCE)
    return TRUE;
  return sohoa_syllable_check (word) == SOHOA_SYLLABLE_INVALID;
}
