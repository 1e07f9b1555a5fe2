/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-vntext"

#include "config.h"

#include "sohoa-vntext.h"

#include <string.h>

/* NFC as g_utf8_normalize() computes it, step for step, but in linear
 * time: GLib removes each mark it composes by moving the rest of the text
 * one place down, which makes a long Vietnamese text (an hOCR page, a long
 * note) quadratic — 0.45 s for 300 kB, found by tests/fuzz/fuzz-writers.
 * Here the kept characters are written behind the one being read instead.
 * Even GLib's way of choosing last_cc after a composition is kept, so the
 * result is the same (fuzz-vntext compares the two). */
static char *
compose_nfc (const char *valid)
{
  g_autofree char *decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  g_autofree gunichar *wc = NULL;
  glong n_wc = 0;
  glong n_out = 0;
  glong last_start = 0;
  int last_cc = 0;

  wc = g_utf8_to_ucs4_fast (decomposed, -1, &n_wc);
  for (glong i = 0; i < n_wc; i++)
    {
      gunichar ch = wc[i];
      int cc = g_unichar_combining_class (ch);
      gunichar composed;

      if (n_out > 0 && (last_cc == 0 || last_cc < cc) &&
          g_unichar_compose (wc[last_start], ch, &composed))
        {
          wc[last_start] = composed;
          last_cc = n_out - 1 == last_start ? 0 : g_unichar_combining_class (wc[n_out - 2]);
          continue;
        }
      if (cc == 0)
        last_start = n_out;
      last_cc = cc;
      wc[n_out++] = ch;
    }
  return g_ucs4_to_utf8 (wc, n_out, NULL, NULL, NULL);
}

/**
 * sohoa_text_normalize:
 *
 * Returns: (transfer full): @text in NFC, the form everything is stored in;
 *   invalid UTF-8 is replaced rather than dropped
 */
char *
sohoa_text_normalize (const char *text)
{
  g_autofree char *valid = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  return compose_nfc (valid);
}

/**
 * sohoa_text_fold:
 *
 * Returns: (transfer full): @text lowercased with every tone and vowel mark
 *   removed and đ turned into d, so that "Nguyễn Văn Hòa", "nguyen van hoa"
 *   and "Nguyễn Văn Hoà" compare equal
 */
char *
sohoa_text_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0110 || c == 0x0111)   /* Đ đ */
        c = 'd';
      g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}
