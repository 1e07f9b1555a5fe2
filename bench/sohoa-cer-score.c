/* sohoa-cer-score.c: order-insensitive character error rate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both texts are NFC-normalized and split into lines; white space inside a
 * line becomes one space and empty lines are dropped.  Lines are compared in
 * any order, because the renderer writes side-by-side blocks left block
 * first while an OCR engine may read them row by row.
 *
 * Fragments (the default) follow the idea of the flexible character
 * accuracy measure (Clausner, Pletschacher and Antonacopoulos, 2020): the
 * shorter of a truth piece and an OCR piece is aligned against the best
 * matching span of the longer one, the span is taken out and what is left
 * of the longer piece, left and right, goes back as two new pieces.  The
 * closest pair (fewest errors per character) goes first, and only pairs at
 * most 30 % wrong are taken, so noise cannot borrow letters from all over
 * the page.  Whatever is left is then paired whole line to whole line,
 * smallest edit distance first, without reuse, as in SOHOA_CER_LINES.
 *
 * errors = edit distances of the pairs + truth left over (deletions)
 *          + OCR left over (insertions)
 * CER    = errors / truth characters
 *
 * Every character of either text is counted exactly once; only its place on
 * the page and the space where a line was split or joined are forgiven.
 */

#define G_LOG_DOMAIN "sohoa-cer"

#include "config.h"

#include "sohoa-cer-score.h"

#include <string.h>

/* Pieces shorter than this are only ever paired as whole lines. */
#define MIN_FRAGMENT 4
/* A fragment pair may be at most 3/10 wrong. */
#define MAX_FRAGMENT_ERRORS_NUM 3
#define MAX_FRAGMENT_ERRORS_DEN 10
/* Above this many cells an alignment is not traced back for diacritics. */
#define MAX_TRACE_CELLS (16 * 1024 * 1024)

typedef struct
{
  gunichar *chars;
  glong     len;
  gboolean  alive;
  GArray   *costs;  /* truth pieces only: gint per OCR piece, -1 unknown */
} Piece;

typedef struct
{
  gint     cost;
  glong    start;   /* the span of the longer text that was matched */
  glong    end;
  guint    diacritics;
} Alignment;

typedef struct
{
  guint truth;
  guint ocr;
  gint  cost;
} Pair;

typedef struct
{
  SohoaCerScore       *score;
  SohoaCerExplainFunc  explain;
  gpointer             user_data;
} Tally;

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_free (piece->chars);
  g_clear_pointer (&piece->costs, g_array_unref);
}

static GArray *
piece_array_new (void)
{
  GArray *pieces = g_array_new (FALSE, TRUE, sizeof (Piece));

  g_array_set_clear_func (pieces, piece_clear);
  return pieces;
}

/* Adds chars[start, end) without its outer spaces; takes nothing. */
static void
add_piece (GArray         *pieces,
           gboolean        is_truth,
           const gunichar *chars,
           glong           start,
           glong           end)
{
  Piece piece = { 0 };

  while (start < end && chars[start] == ' ')
    start++;
  while (end > start && chars[end - 1] == ' ')
    end--;
  if (start == end)
    return;

  piece.chars = g_memdup2 (chars + start, (end - start) * sizeof (gunichar));
  piece.len = end - start;
  piece.alive = TRUE;
  if (is_truth)
    piece.costs = g_array_new (FALSE, FALSE, sizeof (gint));
  g_array_append_val (pieces, piece);
}

/* NFC, one piece per non-empty line, each run of white space one space. */
static GArray *
split_lines (const char *text,
             gboolean    is_truth,
             guint64    *n_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_autofree char *nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  g_autofree gunichar *chars = NULL;
  GArray *pieces = piece_array_new ();
  glong len = 0;
  glong line_start = 0;
  glong out = 0;
  gboolean in_space = FALSE;

  chars = g_utf8_to_ucs4_fast (nfc != NULL ? nfc : "", -1, &len);

  /* Squeeze in place: white space to one ' ', line breaks to '\n'. */
  for (glong i = 0; i < len; i++)
    {
      gunichar c = chars[i];

      if (c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x2028 || c == 0x2029)
        {
          chars[out++] = '\n';
          in_space = FALSE;
        }
      else if (g_unichar_isspace (c) || c == 0x00A0)
        {
          if (!in_space)
            chars[out++] = ' ';
          in_space = TRUE;
        }
      else
        {
          chars[out++] = c;
          in_space = FALSE;
        }
    }

  for (glong i = 0; i <= out; i++)
    {
      if (i == out || chars[i] == '\n')
        {
          guint before = pieces->len;

          add_piece (pieces, is_truth, chars, line_start, i);
          if (pieces->len > before && n_chars != NULL)
            *n_chars += g_array_index (pieces, Piece, pieces->len - 1).len;
          line_start = i + 1;
        }
    }

  return pieces;
}

/* Edit distance with one rolling row.  With @infix, @pattern is matched
 * against the best span of @text: skipping text before and after is free. */
static gint
distance (const gunichar *pattern,
          glong           m,
          const gunichar *text,
          glong           n,
          gboolean        infix)
{
  g_autofree gint *row = g_new (gint, n + 1);
  gint best;

  for (glong j = 0; j <= n; j++)
    row[j] = infix ? 0 : (gint) j;

  for (glong i = 1; i <= m; i++)
    {
      gint diag = row[0];

      row[0] = (gint) i;
      for (glong j = 1; j <= n; j++)
        {
          gint up = row[j];
          gint value = diag + (pattern[i - 1] != text[j - 1]);

          value = MIN (value, up + 1);
          value = MIN (value, row[j - 1] + 1);
          row[j] = value;
          diag = up;
        }
    }

  if (!infix)
    return row[n];

  best = row[0];
  for (glong j = 1; j <= n; j++)
    best = MIN (best, row[j]);
  return best;
}

/* The same distance with the whole matrix, traced back to find the span of
 * @text that was used and to count diacritic confusions. */
static void
align (const gunichar *pattern,
       glong           m,
       const gunichar *text,
       glong           n,
       gboolean        infix,
       Alignment      *result)
{
  g_autofree gint *d = NULL;
  glong width = n + 1;
  glong i, j;

  *result = (Alignment) { .start = 0, .end = n };

  if ((m + 1) * width > MAX_TRACE_CELLS)
    {
      /* Too big to trace: count errors, take the whole text, no marks. */
      result->cost = distance (pattern, m, text, n, infix);
      return;
    }

#define D(i, j) d[(i) * width + (j)]
  d = g_new (gint, (m + 1) * width);
  for (j = 0; j <= n; j++)
    D (0, j) = infix ? 0 : (gint) j;
  for (i = 1; i <= m; i++)
    {
      D (i, 0) = (gint) i;
      for (j = 1; j <= n; j++)
        {
          gint value = D (i - 1, j - 1) + (pattern[i - 1] != text[j - 1]);

          value = MIN (value, D (i - 1, j) + 1);
          value = MIN (value, D (i, j - 1) + 1);
          D (i, j) = value;
        }
    }

  if (infix)
    {
      /* The first column with the lowest cost. */
      result->end = 0;
      for (j = 1; j <= n; j++)
        if (D (m, j) < D (m, result->end))
          result->end = j;
    }
  result->cost = D (m, result->end);

  i = m;
  j = result->end;
  while (i > 0 || (!infix && j > 0))
    {
      if (i > 0 && j > 0 && D (i, j) == D (i - 1, j - 1) + (pattern[i - 1] != text[j - 1]))
        {
          if (sohoa_cer_is_diacritic_confusion (pattern[i - 1], text[j - 1]))
            result->diacritics++;
          i--;
          j--;
        }
      else if (i > 0 && D (i, j) == D (i - 1, j) + 1)
        i--;
      else
        j--;
    }
  result->start = j;
#undef D
}

/* Adds a pair's (or a left-over piece's) errors; tells the caller. */
static void
tally_add (Tally          *tally,
           const gunichar *truth,
           glong           truth_len,
           const gunichar *ocr,
           glong           ocr_len,
           gint            errors,
           guint           diacritics)
{
  g_autofree char *truth_text = NULL;
  g_autofree char *ocr_text = NULL;

  tally->score->errors += errors;
  tally->score->diacritic_errors += diacritics;
  if (tally->explain == NULL || errors == 0)
    return;

  if (truth != NULL)
    truth_text = g_ucs4_to_utf8 (truth, truth_len, NULL, NULL, NULL);
  if (ocr != NULL)
    ocr_text = g_ucs4_to_utf8 (ocr, ocr_len, NULL, NULL, NULL);
  tally->explain (truth_text, ocr_text, (guint) errors, tally->user_data);
}

static gint
fragment_cost (GArray *truth,
               guint   ti,
               GArray *ocr,
               guint   oi)
{
  Piece *t = &g_array_index (truth, Piece, ti);
  Piece *o = &g_array_index (ocr, Piece, oi);
  gint unknown = -1;
  gint *cost;

  while (t->costs->len <= oi)
    g_array_append_val (t->costs, unknown);
  cost = &g_array_index (t->costs, gint, oi);
  if (*cost < 0)
    {
      if (t->len <= o->len)
        *cost = distance (t->chars, t->len, o->chars, o->len, TRUE);
      else
        *cost = distance (o->chars, o->len, t->chars, t->len, TRUE);
    }
  return *cost;
}

/* Takes the closest fragment pair out, puts back what is left of the longer
 * piece.  Returns FALSE when no pair is close enough. */
static gboolean
match_best_fragment (GArray *truth,
                     GArray *ocr,
                     Tally  *tally)
{
  gboolean found = FALSE;
  guint best_t = 0, best_o = 0;
  gint best_cost = 0;
  glong best_len = 0;
  Piece *t, *o;
  Alignment alignment;
  gunichar *longer_chars;
  glong longer_len;
  GArray *longer_pieces;

  for (guint ti = 0; ti < truth->len; ti++)
    {
      if (!g_array_index (truth, Piece, ti).alive)
        continue;

      for (guint oi = 0; oi < ocr->len; oi++)
        {
          glong len;
          gint cost;

          if (!g_array_index (ocr, Piece, oi).alive)
            continue;
          len = MIN (g_array_index (truth, Piece, ti).len, g_array_index (ocr, Piece, oi).len);
          if (len < MIN_FRAGMENT)
            continue;
          cost = fragment_cost (truth, ti, ocr, oi);
          if (cost * MAX_FRAGMENT_ERRORS_DEN > len * MAX_FRAGMENT_ERRORS_NUM)
            continue;

          /* Fewest errors per character; on a tie, the longer piece. */
          if (!found
              || (gint64) cost * best_len < (gint64) best_cost * len
              || ((gint64) cost * best_len == (gint64) best_cost * len && len > best_len))
            {
              found = TRUE;
              best_t = ti;
              best_o = oi;
              best_cost = cost;
              best_len = len;
            }
        }
    }

  if (!found)
    return FALSE;

  t = &g_array_index (truth, Piece, best_t);
  o = &g_array_index (ocr, Piece, best_o);
  if (t->len <= o->len)
    {
      align (t->chars, t->len, o->chars, o->len, TRUE, &alignment);
      longer_chars = o->chars;
      longer_len = o->len;
      longer_pieces = ocr;
      tally_add (tally, t->chars, t->len, o->chars + alignment.start,
                 alignment.end - alignment.start, alignment.cost, alignment.diacritics);
    }
  else
    {
      align (o->chars, o->len, t->chars, t->len, TRUE, &alignment);
      longer_chars = t->chars;
      longer_len = t->len;
      longer_pieces = truth;
      tally_add (tally, t->chars + alignment.start, alignment.end - alignment.start,
                 o->chars, o->len, alignment.cost, alignment.diacritics);
    }

  t->alive = FALSE;
  o->alive = FALSE;

  /* Adding pieces may move the array: t and o are not used after this. */
  add_piece (longer_pieces, longer_pieces == truth, longer_chars, 0, alignment.start);
  add_piece (longer_pieces, longer_pieces == truth, longer_chars, alignment.end, longer_len);

  return TRUE;
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a;
  const Pair *pb = b;

  if (pa->cost != pb->cost)
    return pa->cost < pb->cost ? -1 : 1;
  if (pa->truth != pb->truth)
    return pa->truth < pb->truth ? -1 : 1;
  return pa->ocr < pb->ocr ? -1 : (pa->ocr > pb->ocr);
}

/* Whole pieces, smallest edit distance first, each used once. */
static void
match_whole_lines (GArray *truth,
                   GArray *ocr,
                   Tally  *tally)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));

  for (guint ti = 0; ti < truth->len; ti++)
    {
      Piece *t = &g_array_index (truth, Piece, ti);

      if (!t->alive)
        continue;
      for (guint oi = 0; oi < ocr->len; oi++)
        {
          Piece *o = &g_array_index (ocr, Piece, oi);
          Pair pair = { ti, oi, 0 };

          if (!o->alive)
            continue;
          pair.cost = distance (t->chars, t->len, o->chars, o->len, FALSE);
          /* Pairing must beat leaving both alone. */
          if (pair.cost < t->len + o->len)
            g_array_append_val (pairs, pair);
        }
    }

  g_array_sort (pairs, compare_pairs);

  for (guint k = 0; k < pairs->len; k++)
    {
      Pair *pair = &g_array_index (pairs, Pair, k);
      Piece *t = &g_array_index (truth, Piece, pair->truth);
      Piece *o = &g_array_index (ocr, Piece, pair->ocr);
      Alignment alignment;

      if (!t->alive || !o->alive)
        continue;

      align (t->chars, t->len, o->chars, o->len, FALSE, &alignment);
      tally_add (tally, t->chars, t->len, o->chars, o->len, alignment.cost, alignment.diacritics);
      t->alive = FALSE;
      o->alive = FALSE;
    }
}

static void
count_left_over (GArray   *pieces,
                 gboolean  is_truth,
                 Tally    *tally)
{
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = &g_array_index (pieces, Piece, i);

      if (!piece->alive)
        continue;
      if (is_truth)
        tally_add (tally, piece->chars, piece->len, NULL, 0, piece->len, 0);
      else
        tally_add (tally, NULL, 0, piece->chars, piece->len, piece->len, 0);
    }
}

static gunichar
base_letter (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (c == 0x0111 || c == 0x0110) /* đ Đ */
    return 'd';
  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
    return g_unichar_tolower (decomposed[0]);
  return g_unichar_tolower (c);
}

/**
 * sohoa_cer_is_diacritic_confusion:
 *
 * Whether @a and @b are the same letter with different marks: “ễ” and “ê”,
 * “ơ” and “o”, “đ” and “d”.  A difference in case alone is not one.
 */
gboolean
sohoa_cer_is_diacritic_confusion (gunichar a,
                                  gunichar b)
{
  gunichar base;

  if (g_unichar_tolower (a) == g_unichar_tolower (b))
    return FALSE;

  base = base_letter (a);
  return base == base_letter (b) && g_unichar_isalpha (base);
}

/**
 * sohoa_cer_score_add_page:
 * @truth: the text on the page
 * @ocr: (nullable): what was read; %NULL when nothing was (all errors)
 *
 * Compares one page and adds it to @score.
 */
void
sohoa_cer_score_add_page (SohoaCerScore *score,
                          const char    *truth,
                          const char    *ocr,
                          SohoaCerMode   mode)
{
  sohoa_cer_score_add_page_explained (score, truth, ocr, mode, NULL, NULL);
}

/**
 * sohoa_cer_score_add_page_explained:
 * @explain: (nullable): told about every pair that costs something
 *
 * Like sohoa_cer_score_add_page(), and says where the errors are.
 */
void
sohoa_cer_score_add_page_explained (SohoaCerScore       *score,
                                    const char          *truth,
                                    const char          *ocr,
                                    SohoaCerMode         mode,
                                    SohoaCerExplainFunc  explain,
                                    gpointer             user_data)
{
  g_autoptr(GArray) truth_pieces = NULL;
  g_autoptr(GArray) ocr_pieces = NULL;
  Tally tally = { score, explain, user_data };

  g_return_if_fail (score != NULL);
  g_return_if_fail (truth != NULL);

  truth_pieces = split_lines (truth, TRUE, &score->truth_chars);
  ocr_pieces = split_lines (ocr, FALSE, NULL);

  if (mode == SOHOA_CER_FRAGMENTS)
    while (match_best_fragment (truth_pieces, ocr_pieces, &tally))
      ;
  match_whole_lines (truth_pieces, ocr_pieces, &tally);

  count_left_over (truth_pieces, TRUE, &tally);
  count_left_over (ocr_pieces, FALSE, &tally);
  score->pages++;
}

void
sohoa_cer_score_merge (SohoaCerScore       *score,
                       const SohoaCerScore *other)
{
  g_return_if_fail (score != NULL);
  g_return_if_fail (other != NULL);

  score->truth_chars += other->truth_chars;
  score->errors += other->errors;
  score->diacritic_errors += other->diacritic_errors;
  score->pages += other->pages;
}

double
sohoa_cer_score_get_rate (const SohoaCerScore *score)
{
  g_return_val_if_fail (score != NULL, 0);

  if (score->truth_chars == 0)
    return score->errors > 0 ? 1.0 : 0.0;
  return (double) score->errors / (double) score->truth_chars;
}

double
sohoa_cer_score_get_diacritic_rate (const SohoaCerScore *score)
{
  g_return_val_if_fail (score != NULL, 0);

  if (score->truth_chars == 0)
    return 0.0;
  return (double) score->diacritic_errors / (double) score->truth_chars;
}
