/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-vntext"

#include "config.h"

#include "sohoa-core.h"

static const struct {
  const char *input;
  const char *nfc;
  const char *folded;
} cases[] = {
  { "Nguyễn Văn An", "Nguyễn Văn An", "nguyen van an" },
  /* decomposed, as some Windows keyboards and macOS file names give it */
  { "Nguye\xcc\x82\xcc\x83n", "Nguyễn", "nguyen" },
  { "ĐỖ THỊ HỒNG", "ĐỖ THỊ HỒNG", "do thi hong" },
  /* old and new tone placement fold to the same key */
  { "Hòa", "Hòa", "hoa" },
  { "Hoà", "Hoà", "hoa" },
  { "Thủy", "Thủy", "thuy" },
  { "Thuỷ", "Thuỷ", "thuy" },
  { "Phường Sài Gòn", "Phường Sài Gòn", "phuong sai gon" },
};

static void
test_normalize_and_fold (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *nfc = sohoa_text_normalize (cases[i].input);
      g_autofree char *folded = sohoa_text_fold (cases[i].input);

      g_assert_cmpstr (nfc, ==, cases[i].nfc);
      g_assert_cmpstr (folded, ==, cases[i].folded);
    }
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *nfc = sohoa_text_normalize ("ab\xffvà");

  g_assert_true (g_utf8_validate (nfc, -1, NULL));
  g_assert_true (g_str_has_suffix (nfc, "và"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vntext/normalize-and-fold", test_normalize_and_fold);
  g_test_add_func ("/vntext/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
