/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Vietnamese text as keyed, pasted or read by OCR: NFC normalization and
 * the folding search uses, on any bytes (invalid UTF-8, NFD, controls);
 * the NFC is checked against g_utf8_normalize()'s. */
#include "sohoa-fuzz.h"
#include "sohoa-vntext.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *folded_again = NULL;
  g_autofree char *folded_normal = NULL;

  sohoa_fuzz_init ();
  normal = sohoa_text_normalize (text);
  g_assert (normal != NULL && g_utf8_validate (normal, -1, NULL));
  /* The same NFC as GLib's (whose own is quadratic: short texts only). */
  if (size < 4096)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_autofree char *glib_nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);

      g_assert_cmpstr (normal, ==, glib_nfc);
    }
  folded = sohoa_text_fold (text);
  g_assert (folded != NULL && g_utf8_validate (folded, -1, NULL));
  /* Folding ignores the normalization form, and is idempotent. */
  folded_normal = sohoa_text_fold (normal);
  g_assert_cmpstr (folded, ==, folded_normal);
  folded_again = sohoa_text_fold (folded);
  g_assert_cmpstr (folded, ==, folded_again);
  return 0;
}
