/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-autofill"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-autofill.h"
#include "sohoa-context.h"
#include "sohoa-core-private.h"
#include "sohoa-syllable.h"
#include "sohoa-validate.h"
#include "sohoa-vntext.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Auto-fill reads a record's values off the words the OCR stored for its
 * pages, following each field's extraction hints (docs/schemas.md):
 *
 *  1. the words are put back into visual lines (Tesseract may split one
 *     printed line into blocks at tab stops);
 *  2. a label anchor ("Họ, chữ đệm, tên:") is found by comparing words with
 *     diacritics folded, so "Ho, chu dem, ten:" or a misread tone still
 *     matches; the value is what follows on the same line up to the next
 *     anchor of any field (or a wide gap), and, for multi-line fields, the
 *     lines under it;
 *  3. a pattern narrows that text (or, without anchors, searches the zone);
 *  4. the text is normalized for the field's type.
 *
 * Only the stored words are used: no OCR runs here, so opening a record
 * stays fast.
 */

typedef struct
{
  const SohoaOcrWord *word;     /* with the box of the image read: straight lines */
  const SohoaOcrWord *shown;    /* the stored word: its box is of the page as shown */
  char               *key;      /* folded, punctuation trimmed at both ends */
  gboolean            colon;    /* the word ends with ':' */
  double              xc;
  double              yc;
} Token;

typedef struct
{
  GPtrArray *tokens;            /* Token*, left to right; borrowed from Page */
  double     y;                 /* top */
  double     bottom;
  double     height;            /* median word height */
} Line;

typedef struct
{
  char     **keys;              /* folded tokens */
  guint      n_keys;
  gboolean   colon;             /* the anchor ends with ':' */
} Anchor;

typedef struct
{
  GPtrArray *tokens;            /* Token*, owned */
  GPtrArray *lines;             /* Line*, top to bottom */
  GPtrArray *stops;             /* Anchor*: every anchor of the schema */
  GHashTable *places;           /* borrowed: folded place name → as written officially ("" if two differ) */
  guint      max_place_words;
  guint      width;
  guint      height;
} Page;

static GHashTable *load_places (guint *max_words);

/* Helpers ----------------------------------------------------------------- */

static void
token_free (Token *token)
{
  g_free (token->key);
  g_free (token);
}

static void
line_free (Line *line)
{
  g_ptr_array_unref (line->tokens);
  g_free (line);
}

static void
anchor_free (Anchor *anchor)
{
  if (anchor == NULL)
    return;
  g_strfreev (anchor->keys);
  g_free (anchor);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Anchor, anchor_free)

void
sohoa_autofill_value_free (SohoaAutofillValue *value)
{
  if (value == NULL)
    return;
  g_free (value->key);
  g_free (value->value);
  g_free (value);
}

static gboolean
is_trim_char (gunichar c)
{
  return g_unichar_ispunct (c) || g_unichar_isspace (c) || c == '|';
}

/* Folds a word for comparison and trims punctuation from both ends
 * ("tên:" → "ten", "(Nữ)" → "nu"); inner punctuation stays ("v/v"). */
static char *
fold_key (const char *text)
{
  g_autofree char *folded = sohoa_text_fold (text);
  const char *start = folded;
  const char *end = folded + strlen (folded);

  while (*start && is_trim_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_trim_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

static Anchor *
anchor_new (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t", -1);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  Anchor *anchor = g_new0 (Anchor, 1);

  for (guint i = 0; words[i]; i++)
    {
      char *key = fold_key (words[i]);

      if (*key == '\0')
        g_free (key);
      else
        g_ptr_array_add (keys, key);
    }
  g_ptr_array_add (keys, NULL);
  anchor->n_keys = keys->len - 1;
  anchor->keys = (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
  anchor->colon = g_str_has_suffix (stripped, ":");
  return anchor;
}

static int
compare_tokens_y (gconstpointer a,
                  gconstpointer b)
{
  const Token *ta = *(const Token * const *) a;
  const Token *tb = *(const Token * const *) b;

  return (ta->yc > tb->yc) - (ta->yc < tb->yc);
}

static int
compare_tokens_x (gconstpointer a,
                  gconstpointer b)
{
  const Token *ta = *(const Token * const *) a;
  const Token *tb = *(const Token * const *) b;

  /* Left edges: Tesseract sometimes gives a word a box that runs over
   * the next one, which would put their middles in the wrong order. */
  return (ta->word->x > tb->word->x) - (ta->word->x < tb->word->x);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

/* Puts the words back into printed lines: a word joins the line whose
 * middle its own middle is close to. */
static void
build_lines (Page *page)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (page->tokens, NULL, NULL);
  Line *line = NULL;
  double line_yc = 0;
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (double));

  /* A copy keeps the original's free function: these are borrowed. */
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_tokens_y);
  for (guint i = 0; i < sorted->len; i++)
    {
      Token *token = g_ptr_array_index (sorted, i);
      double h = MAX (1, token->word->height);

      if (line == NULL || fabs (token->yc - line_yc) > 0.5 * MAX (h, line->height))
        {
          line = g_new0 (Line, 1);
          line->tokens = g_ptr_array_new ();
          line->y = token->word->y;
          line->bottom = token->word->y + token->word->height;
          line->height = h;
          g_ptr_array_add (page->lines, line);
        }
      g_ptr_array_add (line->tokens, token);
      line->y = MIN (line->y, token->word->y);
      line->bottom = MAX (line->bottom, token->word->y + token->word->height);
      line_yc = 0;
      for (guint j = 0; j < line->tokens->len; j++)
        line_yc += ((Token *) g_ptr_array_index (line->tokens, j))->yc;
      line_yc /= line->tokens->len;
      if (line->tokens->len == 1 || h > line->height)
        line->height = MAX (line->height, MIN (h, 2 * line->height));
    }

  for (guint i = 0; i < page->lines->len; i++)
    {
      Line *l = g_ptr_array_index (page->lines, i);

      g_ptr_array_sort (l->tokens, compare_tokens_x);
      g_array_set_size (heights, 0);
      for (guint j = 0; j < l->tokens->len; j++)
        {
          double h = ((Token *) g_ptr_array_index (l->tokens, j))->word->height;

          g_array_append_val (heights, h);
        }
      g_array_sort (heights, compare_doubles);
      l->height = MAX (1, g_array_index (heights, double, heights->len / 2));
    }
}

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->lines, g_ptr_array_unref);
  g_clear_pointer (&page->tokens, g_ptr_array_unref);
  g_clear_pointer (&page->stops, g_ptr_array_unref);
  page->places = NULL;
}

static void
page_init (Page        *page,
           SohoaSchema *schema,
           GPtrArray   *words,
           GPtrArray   *layout,
           guint        width,
           guint        height,
           GHashTable  *places,
           guint        max_place_words)
{
  page->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
  page->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  page->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) anchor_free);
  page->width = width;
  page->height = height;

  for (guint i = 0; i < words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (words, i);
      g_autofree char *text = word->text ? g_strstrip (g_strdup (word->text)) : NULL;
      Token *token;

      if (text == NULL || *text == '\0')
        continue;
      token = g_new0 (Token, 1);
      token->shown = word;
      word = token->word = g_ptr_array_index (layout, i);
      token->key = fold_key (text);
      token->colon = g_str_has_suffix (text, ":");
      token->xc = word->x + word->width / 2.0;
      token->yc = word->y + word->height / 2.0;
      g_ptr_array_add (page->tokens, token);

      /* The page's size may be unknown: the words' extent will do. */
      if (width == 0)
        page->width = MAX (page->width, (guint) MAX (0, word->x + word->width));
      if (height == 0)
        page->height = MAX (page->height, (guint) MAX (0, word->y + word->height));
    }
  build_lines (page);
  page->places = places;
  page->max_place_words = max_place_words;

  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);

      if (field->hint == NULL)
        continue;
      for (guint j = 0; field->hint->anchors[j]; j++)
        g_ptr_array_add (page->stops, anchor_new (field->hint->anchors[j]));
      if (field->hint->after)
        g_ptr_array_add (page->stops, anchor_new (field->hint->after));
      if (field->hint->before)
        g_ptr_array_add (page->stops, anchor_new (field->hint->before));
    }
}

static gboolean
in_zone (const Page            *page,
         const SohoaSchemaHint *hint,
         const Token           *token)
{
  double x, y;

  if (!hint || !hint->has_zone || page->width == 0 || page->height == 0)
    return TRUE;
  x = token->xc / page->width;
  y = token->yc / page->height;
  return x >= hint->zone[0] && x <= hint->zone[0] + hint->zone[2] &&
         y >= hint->zone[1] && y <= hint->zone[1] + hint->zone[3];
}

/* At most one edit (insert, delete, change) apart? */
static gboolean
within_one_edit (const char *a,
                 const char *b)
{
  g_autofree gunichar *ua = g_utf8_to_ucs4_fast (a, -1, NULL);
  g_autofree gunichar *ub = g_utf8_to_ucs4_fast (b, -1, NULL);
  glong la = 0, lb = 0, i = 0, j = 0;
  gboolean edited = FALSE;

  while (ua[la]) la++;
  while (ub[lb]) lb++;
  if (ABS (la - lb) > 1)
    return FALSE;
  while (i < la && j < lb)
    {
      if (ua[i] == ub[j])
        {
          i++, j++;
          continue;
        }
      if (edited)
        return FALSE;
      edited = TRUE;
      if (la > lb)
        i++;
      else if (lb > la)
        j++;
      else
        i++, j++;
    }
  return !(edited && (i < la || j < lb));
}

/* Does @anchor start at token @at of @line?  Returns the number of tokens
 * it covers (a lone ":" after it included), or 0.  @strict asks for the
 * colon of an anchor that has one; a one-word anchor always needs it, or
 * "Số:" would match every "số". */
static guint
match_anchor (const Line   *line,
              guint         at,
              const Anchor *anchor,
              gboolean      strict)
{
  const Token *last;
  guint n = anchor->n_keys;

  guint n_misread = 0;

  if (n == 0 || at + n > line->tokens->len)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      const Token *token = g_ptr_array_index (line->tokens, at + i);

      if (g_str_equal (token->key, anchor->keys[i]))
        continue;
      /* Not strict: a label of three words or more survives one word
       * misread by a letter ("Sế định danh cá nhân:"). */
      if (strict || n < 3 || ++n_misread > 1 || !within_one_edit (token->key, anchor->keys[i]))
        return 0;
    }

  last = g_ptr_array_index (line->tokens, at + n - 1);
  if (anchor->colon && !last->colon)
    {
      const Token *next = at + n < line->tokens->len ? g_ptr_array_index (line->tokens, at + n) : NULL;

      if (next && g_str_equal (next->word->text, ":"))
        return n + 1;
      if (strict || n == 1)
        return 0;
    }
  return n;
}

/* The first line at or after @from (and before @to) where @anchor is;
 * *at and *length give its tokens.  Strict matches are preferred. */
static gboolean
find_anchor (const Page            *page,
             const SohoaSchemaHint *hint,
             const Anchor          *anchor,
             guint                  from,
             guint                  to,
             guint                 *line_index,
             guint                 *at,
             guint                 *length)
{
  for (int pass = 0; pass < 2; pass++)
    for (guint i = from; i < to; i++)
      {
        const Line *line = g_ptr_array_index (page->lines, i);

        for (guint j = 0; j < line->tokens->len; j++)
          {
            guint n;

            if (!in_zone (page, hint, g_ptr_array_index (line->tokens, j)))
              continue;
            if ((n = match_anchor (line, j, anchor, pass == 0)))
              {
                *line_index = i;
                *at = j;
                *length = n;
                return TRUE;
              }
          }
      }
  return FALSE;
}

static gboolean
starts_stop (const Page *page,
             const Line *line,
             guint       at)
{
  for (guint k = 0; k < page->stops->len; k++)
    if (match_anchor (line, at, g_ptr_array_index (page->stops, k), TRUE))
      return TRUE;
  return FALSE;
}

/* A line that opens with a "Label:" of its own (within its first few
 * words) is a new field, even when its label is no anchor we know or was
 * misread. */
static gboolean
starts_label (const Line *line)
{
  for (guint j = 0; j < MIN (line->tokens->len, 6); j++)
    if (((const Token *) g_ptr_array_index (line->tokens, j))->colon)
      return TRUE;
  return FALSE;
}

/* The words of @line from @at on, up to the next anchor or a gap wider
 * than a few letters' height. */
static void
collect_value (const Page            *page,
               const SohoaSchemaHint *hint,
               const Line            *line,
               guint                  at,
               GPtrArray             *out)
{
  const Token *prev = NULL;

  for (guint j = at; j < line->tokens->len; j++)
    {
      const Token *token = g_ptr_array_index (line->tokens, j);

      if (starts_stop (page, line, j))
        break;
      if (prev && token->word->x - (prev->word->x + prev->word->width) > 4 * line->height)
        break;
      if (!in_zone (page, hint, token))
        continue;
      g_ptr_array_add (out, (gpointer) token);
      prev = token;
    }
}

/* Joins tokens into text; @offsets gets each token's start byte. */
static char *
join_tokens (GPtrArray *tokens,
             GArray    *offsets,
             GArray    *line_breaks)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = g_ptr_array_index (tokens, i);
      gsize start;

      if (i > 0)
        {
          gboolean br = FALSE;

          for (guint k = 0; line_breaks && k < line_breaks->len; k++)
            br |= g_array_index (line_breaks, guint, k) == i;
          g_string_append_c (text, br ? '\n' : ' ');
        }
      start = text->len;
      if (offsets)
        g_array_append_val (offsets, start);
      g_string_append (text, token->word->text);
    }
  return g_string_free (text, FALSE);
}

/* Applies the hint's pattern to the text of @tokens, keeping only the
 * tokens the match (capture 1 if any) overlaps.  Returns the matched text
 * or NULL. */
static char *
apply_pattern (const SohoaSchemaHint *hint,
               GPtrArray             *tokens,
               GArray                *line_breaks)
{
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree char *text = join_tokens (tokens, offsets, line_breaks);
  g_autoptr(GMatchInfo) match = NULL;
  int group;
  int start, end;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (!g_regex_match (hint->pattern, text, 0, &match))
    return NULL;
  group = g_regex_get_capture_count (hint->pattern) >= 1 ? 1 : 0;
  if (!g_match_info_fetch_pos (match, group, &start, &end) || start < 0 || end <= start)
    return NULL;

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = g_ptr_array_index (tokens, i);
      gsize token_start = g_array_index (offsets, gsize, i);
      gsize token_end = token_start + strlen (token->word->text);

      if (token_end > (gsize) start && token_start < (gsize) end)
        g_ptr_array_add (kept, (gpointer) token);
    }
  g_ptr_array_set_size (tokens, 0);
  g_ptr_array_extend (tokens, kept, NULL, NULL);
  return g_strndup (text + start, end - start);
}

/* Place names --------------------------------------------------------------- */

static void
add_place (GHashTable *places,
           GHashTable *seen,
           guint      *max_words,
           const char *name)
{
  g_autofree char *nfc = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  const char *old;
  guint n = 0;

  if (!g_hash_table_add (seen, g_strdup (name)))
    return;
  nfc = g_strstrip (sohoa_text_normalize (name));
  /* Folded once for the whole name: the words are then plain letters. */
  folded = sohoa_text_fold (nfc);
  words = g_strsplit (folded, " ", -1);
  for (guint i = 0; words[i]; i++)
    {
      g_strdelimit (words[i], ",.;:()", ' ');
      g_strstrip (words[i]);
      if (*words[i] == '\0')
        continue;
      if (key->len)
        g_string_append_c (key, ' ');
      g_string_append (key, words[i]);
      n++;
    }
  if (n < 2)
    return;
  *max_words = MAX (*max_words, n);
  old = g_hash_table_lookup (places, key->str);
  if (old == NULL)
    g_hash_table_insert (places, g_string_free (g_steal_pointer (&key), FALSE), g_steal_pointer (&nfc));
  else if (*old && !g_str_equal (old, nfc))
    g_hash_table_insert (places, g_string_free (g_steal_pointer (&key), FALSE), g_strdup (""));
}

/* The names of units and provinces, old and new, from the reference data:
 * OCR often gets a tone wrong in them ("Thành phổ Hồ Chí Minh"), and the
 * folded name tells which one was printed. */
static GHashTable *
load_places (guint *max_words)
{
  static const struct { const char *file; int columns[4]; } sources[] = {
    { "hcmc-units.csv", { 1, -1 } },
    { "hcmc-units-old-to-new.csv", { 1, 3, 4, 5 } },
    { "provinces-2025.csv", { 1, -1 } },
    { "provinces-pre2025.csv", { 1, -1 } },
  };
  static const char * const prefixes[] = { "Phường ", "Xã ", "Quận ", "Huyện ", "Tỉnh ", "Thành phố ", "Thị xã ", "Thị trấn ", "Đặc khu " };
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  *max_words = 0;
  add_place (places, seen, max_words, "Thành phố Hồ Chí Minh");
  add_place (places, seen, max_words, "Ủy ban nhân dân");
  add_place (places, seen, max_words, "Việt Nam");
  add_place (places, seen, max_words, "Bệnh viện");

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autofree char *path = g_build_filename (data_dir, "reference", sources[s].file, NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i]; i++)
        {
          g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
          guint n_cells = g_strv_length (cells);

          for (guint c = 0; c < G_N_ELEMENTS (sources[s].columns) && sources[s].columns[c] >= 0; c++)
            {
              const char *name = (guint) sources[s].columns[c] < n_cells ? cells[sources[s].columns[c]] : NULL;

              if (name == NULL || *name == '\0')
                continue;
              add_place (places, seen, max_words, name);
              /* "Hồ Chí Minh" as well as "Thành phố Hồ Chí Minh"; but a
               * bare name of two words is too often ordinary words
               * ("Thắng Tam" would turn "tháng tám" into a ward). */
              for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
                {
                  const char *bare = name + strlen (prefixes[p]);

                  if (g_str_has_prefix (name, prefixes[p]) && strchr (bare, ' ') && strchr (strchr (bare, ' ') + 1, ' '))
                    add_place (places, seen, max_words, bare);
                }
            }
        }
    }
  return places;
}

/* Puts back the diacritics of the place names in @text, keeping the
 * punctuation around them ("Thành phổ Hồ Chí Minh." → "Thành phố Hồ Chí
 * Minh."). */
static char *
correct_places (const Page *page,
                const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint n = g_strv_length (words);
  g_autoptr(GString) out = g_string_new (NULL);

  if (page->places == NULL)
    return g_strdup (text);

  for (guint i = 0; i < n;)
    {
      guint taken = 0;

      for (guint len = MIN (page->max_place_words, n - i); len >= 2 && taken == 0; len--)
        {
          g_autoptr(GString) key = g_string_new (NULL);
          const char *canonical;

          for (guint k = 0; k < len; k++)
            {
              g_autofree char *folded = fold_key (words[i + k]);

              if (key->len)
                g_string_append_c (key, ' ');
              g_string_append (key, folded);
            }
          canonical = g_hash_table_lookup (page->places, key->str);
          if (canonical && *canonical)
            {
              const char *first = words[i];
              const char *last = words[i + len - 1];
              const char *lead_end = first;
              const char *trail = last + strlen (last);

              /* Punctuation before the first word and after the last one
               * stays as read. */
              while (*lead_end && is_trim_char (g_utf8_get_char (lead_end)))
                lead_end = g_utf8_next_char (lead_end);
              while (trail > last && is_trim_char (g_utf8_get_char (g_utf8_prev_char (trail))))
                trail = g_utf8_prev_char (trail);

              if (out->len)
                g_string_append_c (out, ' ');
              g_string_append_len (out, first, lead_end - first);
              g_string_append (out, canonical);
              g_string_append (out, trail);
              taken = len;
            }
        }
      if (taken == 0)
        {
          if (out->len)
            g_string_append_c (out, ' ');
          g_string_append (out, words[i]);
          taken = 1;
        }
      i += taken;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Letters OCR takes for one another ------------------------------------------ */

/* A word that cannot be Vietnamese ("Glang", "ha1") is put right when
 * exactly one swap of letters OCR confuses makes it a syllable ("Giang",
 * "hai"); otherwise it is left for the clerk. */
static char *
fix_word (const char *word)
{
  static const struct { const char *from, *to; } swaps[] = {
    { "l", "i" }, { "i", "l" }, { "1", "i" }, { "1", "l" }, { "rn", "m" }, { "m", "rn" }, { "0", "o" },
  };
  const char *start = word;
  const char *end = word + strlen (word);
  g_autofree char *core = NULL;
  g_autofree char *found = NULL;
  gboolean has_letter = FALSE, has_digit = FALSE;
  SohoaSyllableVerdict verdict;

  while (*start && is_trim_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start && is_trim_char (g_utf8_get_char (g_utf8_prev_char (end))))
    end = g_utf8_prev_char (end);
  if (end <= start)
    return g_strdup (word);
  core = g_strndup (start, end - start);

  for (const char *p = core; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      has_letter |= g_unichar_isalpha (c);
      has_digit |= g_unichar_isdigit (c);
    }
  verdict = sohoa_syllable_check (core);
  /* Letters with a stray digit are a word misread, not a number. */
  if (!has_letter || (verdict != SOHOA_SYLLABLE_INVALID && !(verdict == SOHOA_SYLLABLE_NOT_WORD && has_digit)))
    return g_strdup (word);
  if (has_digit && g_utf8_strlen (core, -1) < 2)
    return g_strdup (word);

  for (guint i = 0; i < G_N_ELEMENTS (swaps); i++)
    for (const char *at = strstr (core, swaps[i].from); at; at = strstr (at + 1, swaps[i].from))
      {
        g_autofree char *candidate = g_strdup_printf ("%.*s%s%s", (int) (at - core), core, swaps[i].to,
                                                      at + strlen (swaps[i].from));

        if (sohoa_syllable_check (candidate) != SOHOA_SYLLABLE_VALID)
          continue;
        if (found && !g_str_equal (found, candidate))
          return g_strdup (word);            /* two ways to read it: the clerk decides */
        g_free (found);
        found = g_steal_pointer (&candidate);
      }
  if (found == NULL)
    return g_strdup (word);
  return g_strdup_printf ("%.*s%s%s", (int) (start - word), word, found, end);
}

static char *
fix_misread_letters (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  for (guint i = 0; words[i]; i++)
    {
      char *fixed = fix_word (words[i]);

      g_free (words[i]);
      words[i] = fixed;
    }
  return g_strjoinv (" ", words);
}

/* Normalizing by field type ------------------------------------------------ */

static char *
collapse_spaces (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, " \t\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_strv_builder_add (builder, parts[i]);
  kept = g_strv_builder_end (builder);
  return g_strjoinv (" ", kept);
}

/* "NGUYỄN THỊ NGỌC HÂN" → "Nguyễn Thị Ngọc Hân". */
static char *
title_case (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean word_start = TRUE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, word_start ? g_unichar_totitle (c) : g_unichar_tolower (c));
      word_start = g_unichar_isspace (c) || c == '-';
    }
  return g_string_free (out, FALSE);
}

static char *
normalize_digits (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case 'O': case 'o': case 'D': case 'Q': g_string_append_c (out, '0'); break;
        case 'I': case 'l': case '|': case 'i': case '!': g_string_append_c (out, '1'); break;
        case 'S': g_string_append_c (out, '5'); break;
        case 'B': g_string_append_c (out, '8'); break;
        case ' ': case '.': case '-': break;
        default:
          if (g_ascii_isdigit (*p))
            g_string_append_c (out, *p);
          else
            {
              g_string_free (out, TRUE);
              return NULL;
            }
        }
    }
  return g_string_free (out, FALSE);
}

/* "ngày 05 tháng 3 năm 2026", "5/3/2026", "03/2026", "2026" → the form's
 * dd/mm/yyyy, mm/yyyy or yyyy; NULL if it is not a date. */
static char *
normalize_date (const char *text)
{
  /* Most precise first; each gives day, month, year (0 when absent). */
  static const struct { const char *pattern; int day, month, year; } forms[] = {
    { "ngay\\s*(\\d{1,2})\\s*thang\\s*(\\d{1,2})\\s*nam\\s*(\\d{4})", 1, 2, 3 },
    { "(?<!\\d)(\\d{1,2})\\s*[/.-]\\s*(\\d{1,2})\\s*[/.-]\\s*(\\d{4})(?!\\d)", 1, 2, 3 },
    { "(?<!\\d)(\\d{1,2})\\s*[/.-]\\s*(\\d{4})(?!\\d)", 0, 1, 2 },
    { "(?<![\\d/])(\\d{4})(?![\\d/])", 0, 0, 1 },
  };
  g_autofree char *folded = sohoa_text_fold (text);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (forms[i].pattern, 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *day = NULL;
      g_autofree char *month = NULL;
      g_autofree char *year = NULL;
      g_autofree char *candidate = NULL;
      SohoaPartialDate date;

      if (!g_regex_match (regex, folded, 0, &match))
        continue;
      day = forms[i].day ? g_match_info_fetch (match, forms[i].day) : NULL;
      month = forms[i].month ? g_match_info_fetch (match, forms[i].month) : NULL;
      year = g_match_info_fetch (match, forms[i].year);
      if (day)
        candidate = g_strdup_printf ("%02d/%02d/%s", atoi (day), atoi (month), year);
      else if (month)
        candidate = g_strdup_printf ("%02d/%s", atoi (month), year);
      else
        candidate = g_strdup (year);

      if (!sohoa_partial_date_parse (candidate, &date, NULL))
        return NULL;
      return g_steal_pointer (&candidate);
    }
  return NULL;
}

static char *
normalize_value (const Page             *page,
                 const SohoaSchemaField *field,
                 const char             *raw)
{
  g_autofree char *nfc = sohoa_text_normalize (raw);
  g_autofree char *text = collapse_spaces (nfc);
  char *value = NULL;
  gsize len;

  /* Punctuation that ends a printed line is not part of the value. */
  while ((len = strlen (text)) > 0 && strchr (",;.", text[len - 1]))
    text[len - 1] = '\0';
  if (*text == '\0')
    return NULL;

  switch (field->type)
    {
    case SOHOA_FIELD_PERSON_NAME:
      {
        g_autofree char *titled = title_case (text);

        value = fix_misread_letters (titled);
      }
      break;

    case SOHOA_FIELD_DATE:
      value = normalize_date (text);
      break;

    case SOHOA_FIELD_CCCD:
    case SOHOA_FIELD_CMND:
      value = normalize_digits (text);
      if (value && !(strlen (value) == 12 || (field->type == SOHOA_FIELD_CMND && strlen (value) == 9)))
        g_clear_pointer (&value, g_free);
      break;

    case SOHOA_FIELD_NUMBER:
      {
        const char *p = text;

        while (*p && !g_ascii_isdigit (*p))
          p++;
        if (*p)
          value = g_strndup (p, strspn (p, "0123456789"));
      }
      break;

    case SOHOA_FIELD_CODE:
      {
        const char *code = sohoa_schema_field_lookup_code (field, text);

        value = g_strdup (code);
      }
      break;

    case SOHOA_FIELD_TEXT:
    case SOHOA_FIELD_HCMC_UNIT:
      {
        g_autofree char *fixed = fix_misread_letters (text);

        value = correct_places (page, fixed);
      }
      break;

    case SOHOA_FIELD_DOC_NUMBER:
    default:
      value = g_steal_pointer (&text);
      break;
    }

  if (value && field->max_length > 0 && (guint) g_utf8_strlen (value, -1) > field->max_length)
    g_clear_pointer (&value, g_free);
  return value;
}

/* One field ----------------------------------------------------------------- */

static SohoaAutofillValue *
make_value (const Page             *page,
            const SohoaSchemaField *field,
            GPtrArray              *tokens,
            const char             *raw,
            gint64                  page_id)
{
  g_autoptr(SohoaAutofillValue) result = NULL;
  g_autofree char *value = normalize_value (page, field, raw);
  int x1 = G_MAXINT, y1 = G_MAXINT, x2 = G_MININT, y2 = G_MININT;

  if (value == NULL || tokens->len == 0)
    return NULL;

  result = g_new0 (SohoaAutofillValue, 1);
  result->key = g_strdup (field->key);
  result->value = g_steal_pointer (&value);
  result->confidence = 100;
  result->page_id = page_id;
  for (guint i = 0; i < tokens->len; i++)
    {
      /* Found on the image read; outlined on the page as shown. */
      const SohoaOcrWord *word = ((const Token *) g_ptr_array_index (tokens, i))->shown;

      result->confidence = MIN (result->confidence, word->confidence);
      x1 = MIN (x1, word->x);
      y1 = MIN (y1, word->y);
      x2 = MAX (x2, word->x + word->width);
      y2 = MAX (y2, word->y + word->height);
    }
  result->confidence = MAX (0, result->confidence);
  result->x = x1;
  result->y = y1;
  result->width = x2 - x1;
  result->height = y2 - y1;
  return g_steal_pointer (&result);
}

static SohoaAutofillValue *
fill_field (const Page             *page,
            const SohoaSchemaField *field,
            gint64                  page_id)
{
  const SohoaSchemaHint *hint = field->hint;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  g_autoptr(GArray) breaks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *raw = NULL;
  guint from = 0;
  guint to = page->lines->len;
  guint line_index, at, length;

  if (hint->after)
    {
      g_autoptr(Anchor) after = anchor_new (hint->after);

      if (!find_anchor (page, NULL, after, 0, page->lines->len, &line_index, &at, &length))
        return NULL;
      from = line_index + 1;
    }
  if (hint->before)
    {
      g_autoptr(Anchor) before = anchor_new (hint->before);

      if (find_anchor (page, NULL, before, from, page->lines->len, &line_index, &at, &length))
        to = line_index;
    }

  if (hint->anchors[0] != NULL)
    {
      gboolean found = FALSE;
      const Line *line = NULL;

      for (guint i = 0; hint->anchors[i] && !found; i++)
        {
          g_autoptr(Anchor) anchor = anchor_new (hint->anchors[i]);

          found = find_anchor (page, hint, anchor, from, to, &line_index, &at, &length);
        }
      if (!found)
        return NULL;

      line = g_ptr_array_index (page->lines, line_index);
      collect_value (page, hint, line, at + length, tokens);

      if (hint->multiline)
        {
          const Token *first = g_ptr_array_index (line->tokens, at);
          double bottom = line->bottom;

          for (guint i = line_index + 1; i < to; i++)
            {
              const Line *next = g_ptr_array_index (page->lines, i);
              const Token *lead = g_ptr_array_index (next->tokens, 0);
              guint before = tokens->len;

              /* A continuation sits right under the line, not left of the
               * label, and does not start a field of its own. */
              if (next->y - bottom > 0.9 * line->height ||
                  lead->word->x < first->word->x - 2 * line->height ||
                  starts_stop (page, next, 0) || starts_label (next))
                break;
              collect_value (page, hint, next, 0, tokens);
              if (tokens->len == before)
                break;
              g_array_append_val (breaks, before);
              bottom = next->bottom;
            }
        }
      if (tokens->len == 0)
        return NULL;

      if (hint->pattern)
        raw = apply_pattern (hint, tokens, breaks);
      else
        raw = join_tokens (tokens, NULL, NULL);
    }
  else
    {
      /* No label: the pattern (or the whole zone) over the lines in range. */
      for (guint i = from; i < to; i++)
        {
          const Line *line = g_ptr_array_index (page->lines, i);
          guint before = tokens->len;

          for (guint j = 0; j < line->tokens->len; j++)
            if (in_zone (page, hint, g_ptr_array_index (line->tokens, j)))
              g_ptr_array_add (tokens, g_ptr_array_index (line->tokens, j));
          if (tokens->len > before && before > 0)
            g_array_append_val (breaks, before);
          if (!hint->pattern && !hint->multiline && tokens->len > 0)
            break;
        }
      if (tokens->len == 0)
        return NULL;
      if (hint->pattern)
        raw = apply_pattern (hint, tokens, breaks);
      else
        raw = join_tokens (tokens, NULL, NULL);
    }

  if (raw == NULL)
    return NULL;
  return make_value (page, field, tokens, raw, page_id);
}

static GPtrArray *
fill_page (SohoaSchema *schema,
           GPtrArray   *words,
           guint        page_width,
           guint        page_height,
           gint64       page_id,
           GHashTable  *places,
           guint        max_place_words)
{
  GPtrArray *values = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_autofill_value_free);
  g_autoptr(GArray) read = g_array_sized_new (FALSE, FALSE, sizeof (SohoaOcrWord), words->len);
  g_autoptr(GPtrArray) layout = g_ptr_array_sized_new (words->len);
  Page page = { 0 };

  /* The layout is read where lines are straight: in the image the OCR
   * read, not on a skewed scan or a photo as shown. */
  for (guint i = 0; i < words->len; i++)
    {
      SohoaOcrWord word = *(const SohoaOcrWord *) g_ptr_array_index (words, i);

      word.x = word.read_x;
      word.y = word.read_y;
      word.width = word.read_width;
      word.height = word.read_height;
      g_array_append_val (read, word);
    }
  for (guint i = 0; i < words->len; i++)
    g_ptr_array_add (layout, &g_array_index (read, SohoaOcrWord, i));

  page_init (&page, schema, words, layout, page_width, page_height, places, max_place_words);
  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);
      SohoaAutofillValue *value;

      if (field->hint && (value = fill_field (&page, field, page_id)))
        g_ptr_array_add (values, value);
    }
  page_clear (&page);
  return values;
}

/* Public API -------------------------------------------------------------- */

/**
 * sohoa_autofill_page:
 * @words: (element-type SohoaOcrWord): a page's OCR words, as
 *   sohoa_store_get_page_words() gives them
 * @page_width: the page image's width in pixels, for zones (0: from the words)
 * @page_height: its height
 *
 * Reads the values of @schema's fields that have extraction hints off one
 * page.  Pure computation on the words: no OCR, no database.
 *
 * Returns: (transfer full) (element-type SohoaAutofillValue): the values
 *   found, in the schema's field order
 */
GPtrArray *
sohoa_autofill_page (SohoaSchema *schema,
                     GPtrArray   *words,
                     guint        page_width,
                     guint        page_height,
                     gint64       page_id)
{
  g_autoptr(GHashTable) places = NULL;
  guint max_place_words = 0;

  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (words != NULL, NULL);

  places = load_places (&max_place_words);
  return fill_page (schema, words, page_width, page_height, page_id, places, max_place_words);
}

/**
 * sohoa_autofill_record:
 * @user: who opened the record (the audit log names them)
 *
 * What the form calls when a record is opened: reads @schema's fields off
 * the OCR words stored for the record's pages (the first page that gives a
 * field wins) and stores each value whose field is still empty, marked as
 * read by OCR with its confidence.  Fields the clerk has keyed are never
 * overwritten, and a record of a submitted or approved batch is not
 * changed.  Uses only what the store holds: fast enough for the main
 * thread (a few milliseconds a page).
 *
 * Returns: (transfer full) (element-type SohoaAutofillValue): every value
 *   found, with its source box for the page viewer; @stored tells which
 *   were saved.  %NULL on a database error.
 */
GPtrArray *
sohoa_autofill_record (SohoaStore   *store,
                       SohoaSchema  *schema,
                       SohoaUser    *user,
                       gint64        record_id,
                       GError      **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_autofill_value_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree SohoaOcrFieldValue *fills = NULL;
  g_autoptr(GHashTable) places = NULL;
  guint max_place_words = 0;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), NULL);

  db = _sohoa_store_get_db (store);
  if (sqlite3_prepare_v2 (db,
                          /* Words are of the page turned upright (sohoa-ocr.c): so is its size. */
                          "SELECT p.id, CASE WHEN (p.rotation % 180 + 180) % 180 = 90 THEN p.height ELSE p.width END, "
                          "CASE WHEN (p.rotation % 180 + 180) % 180 = 90 THEN p.width ELSE p.height END FROM records r "
                          "JOIN pages p ON p.document_id = r.document_id "
                          "WHERE r.id = ? AND p.ocr_state = 'done' ORDER BY p.position",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
                   _("The workspace database could not be read (%s)."), sqlite3_errmsg (db));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, record_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 page_id = sqlite3_column_int64 (stmt, 0);
      g_autoptr(GPtrArray) words = NULL;
      g_autoptr(GPtrArray) found = NULL;

      if (!(words = sohoa_store_get_page_words (store, page_id, error)))
        return NULL;
      if (places == NULL)
        places = load_places (&max_place_words);
      found = fill_page (schema, words, (guint) sqlite3_column_int (stmt, 1),
                         (guint) sqlite3_column_int (stmt, 2), page_id, places, max_place_words);
      for (guint i = 0; i < found->len; i++)
        {
          SohoaAutofillValue *value = g_ptr_array_index (found, i);

          if (g_hash_table_contains (seen, value->key))
            continue;
          g_ptr_array_index (found, i) = NULL;
          g_ptr_array_add (values, value);
          g_hash_table_add (seen, value->key);
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
                   _("The workspace database could not be read (%s)."), sqlite3_errmsg (db));
      return NULL;
    }

  fills = g_new0 (SohoaOcrFieldValue, MAX (1, values->len));
  for (guint i = 0; i < values->len; i++)
    {
      SohoaAutofillValue *value = g_ptr_array_index (values, i);

      fills[i].key = value->key;
      fills[i].value = value->value;
      fills[i].confidence = value->confidence;
    }
  if (!sohoa_store_fill_ocr_fields (store, user, record_id, fills, values->len, error))
    return NULL;
  for (guint i = 0; i < values->len; i++)
    ((SohoaAutofillValue *) g_ptr_array_index (values, i))->stored = fills[i].stored;

  return g_steal_pointer (&values);
}

typedef struct
{
  SohoaSchema *schema;
  SohoaUser   *user;
  gint64       record_id;
} FillRecord;

static void
fill_record_free (FillRecord *fill)
{
  g_clear_object (&fill->schema);
  g_clear_object (&fill->user);
  g_free (fill);
}

static void
fill_record_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FillRecord *fill = task_data;
  g_autoptr(SohoaStore) store = NULL;
  GPtrArray *values;
  GError *error = NULL;

  /* A connection of the thread's own: the store's belongs to the main
   * thread. */
  if (!(store = sohoa_store_dup (source_object, &error)) ||
      !(values = sohoa_autofill_record (store, fill->schema, fill->user, fill->record_id, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, values, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sohoa_autofill_record_async:
 *
 * sohoa_autofill_record() on a worker thread with a database connection of
 * its own, for a form that opens at once and takes the values (and
 * re-reads the record's fields) when they come.
 */
void
sohoa_autofill_record_async (SohoaStore          *store,
                             SohoaSchema         *schema,
                             SohoaUser           *user,
                             gint64               record_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FillRecord *fill;

  g_return_if_fail (SOHOA_IS_STORE (store));
  g_return_if_fail (SOHOA_IS_SCHEMA (schema));

  fill = g_new0 (FillRecord, 1);
  fill->schema = g_object_ref (schema);
  fill->user = user ? g_object_ref (user) : NULL;
  fill->record_id = record_id;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_autofill_record_async);
  g_task_set_task_data (task, fill, (GDestroyNotify) fill_record_free);
  g_task_run_in_thread (task, fill_record_thread);
}

/**
 * sohoa_autofill_record_finish:
 *
 * Returns: (transfer full) (element-type SohoaAutofillValue): as
 *   sohoa_autofill_record()
 */
GPtrArray *
sohoa_autofill_record_finish (SohoaStore    *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
