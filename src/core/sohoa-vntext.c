/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-vntext"

#include "config.h"

#include "sohoa-vntext.h"

#include <string.h>

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
  return g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
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
