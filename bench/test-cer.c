/* test-cer.c: known answers for the benchmark's error rate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cer"

#include "config.h"

#include "sohoa-cer-score.h"

typedef struct
{
  const char *name;
  const char *truth;
  const char *ocr;
  guint64     truth_chars;
  guint64     errors;        /* the same in both modes unless lines_errors */
  guint64     diacritic_errors;
  guint64     lines_errors;  /* 0: same as errors */
} Case;

static const Case cases[] = {
  { "identical", "Nguyễn Văn An\nSố: 12/TLKS\n", "Nguyễn Văn An\nSố: 12/TLKS\n", 24, 0, 0, 0 },
  { "one-mark", "Nguyễn", "Nguyên", 6, 1, 1, 0 },
  { "d-bar", "Đặng Đức", "Dặng Đúc", 8, 2, 2, 0 },
  { "case-only", "Hồ", "HỒ", 2, 1, 0, 0 },
  { "wrong-letter", "Lan", "Lau", 3, 1, 0, 0 },
  { "swapped-lines", "Ủy ban nhân dân\nCộng hòa", "Cộng hòa\nỦy ban nhân dân", 23, 0, 0, 0 },
  /* NFD in, NFC compared; runs of white space and blank lines squeezed */
  { "nfd-and-space", "Nguyễn  Văn\n\n", "Nguye\xcc\x82\xcc\x83n \t Văn", 10, 0, 0, 0 },
  { "missing-line", "Giới tính: Nam\nDân tộc: Kinh", "Giới tính: Nam", 27, 13, 0, 0 },
  { "extra-line", "Kinh", "Kinh\n|||", 4, 3, 0, 0 },
  { "empty-ocr", "Việt Nam", "", 8, 8, 0, 0 },
  /* two header blocks side by side, read row by row */
  { "joined-blocks",
    "ỦY BAN NHÂN DÂN\nPHƯỜNG PHÚ NHUẬN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPHƯƠNG PHÚ NHUẬN Độc lập - Tự do - Hạnh phúc",
    92, 1, 1, 64 },
  /* one truth line read as two */
  { "split-line", "Ủy ban nhân dân Huyện Củ Chi Quyển số: 03/2020",
    "Quyển số: 03/2020\nỦy ban nhân dân Huyện Củ Chi", 46, 0, 0, 35 },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      SohoaCerScore fragments = { 0 };
      SohoaCerScore lines = { 0 };

      g_test_message ("%s", c->name);
      sohoa_cer_score_add_page (&fragments, c->truth, c->ocr, SOHOA_CER_FRAGMENTS);
      sohoa_cer_score_add_page (&lines, c->truth, c->ocr, SOHOA_CER_LINES);

      g_assert_cmpuint (fragments.truth_chars, ==, c->truth_chars);
      g_assert_cmpuint (fragments.errors, ==, c->errors);
      g_assert_cmpuint (fragments.diacritic_errors, ==, c->diacritic_errors);
      g_assert_cmpuint (lines.truth_chars, ==, c->truth_chars);
      g_assert_cmpuint (lines.errors, ==, c->lines_errors ? c->lines_errors : c->errors);
    }
}

static void
test_garbage_borrows_nothing (void)
{
  SohoaCerScore score = { 0 };

  /* Noise that happens to contain a letter of each truth line must not
   * buy those lines cheaply: every character is an error either way. */
  sohoa_cer_score_add_page (&score, "Nam\nKinh\nHồ Chí Minh", "xNxaxmx KxixnxHx", SOHOA_CER_FRAGMENTS);
  g_assert_cmpuint (score.errors, >=, score.truth_chars);
}

static void
test_totals (void)
{
  SohoaCerScore total = { 0 };
  SohoaCerScore page = { 0 };

  sohoa_cer_score_add_page (&page, "Nguyễn", "Nguyên", SOHOA_CER_FRAGMENTS);
  sohoa_cer_score_merge (&total, &page);
  sohoa_cer_score_merge (&total, &page);

  g_assert_cmpuint (total.pages, ==, 2);
  g_assert_cmpfloat_with_epsilon (sohoa_cer_score_get_rate (&total), 2.0 / 12.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sohoa_cer_score_get_diacritic_rate (&total), 2.0 / 12.0, 1e-9);
}

static void
test_diacritic_confusion (void)
{
  g_assert_true (sohoa_cer_is_diacritic_confusion (0x1EC5 /* ễ */, 0x00EA /* ê */));
  g_assert_true (sohoa_cer_is_diacritic_confusion (0x01A1 /* ơ */, 'o'));
  g_assert_true (sohoa_cer_is_diacritic_confusion (0x0111 /* đ */, 'd'));
  g_assert_true (sohoa_cer_is_diacritic_confusion (0x1EA0 /* Ạ */, 'a'));
  g_assert_false (sohoa_cer_is_diacritic_confusion ('a', 'A'));
  g_assert_false (sohoa_cer_is_diacritic_confusion ('e', 'c'));
  g_assert_false (sohoa_cer_is_diacritic_confusion ('1', 'l'));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cer/cases", test_cases);
  g_test_add_func ("/cer/garbage-borrows-nothing", test_garbage_borrows_nothing);
  g_test_add_func ("/cer/totals", test_totals);
  g_test_add_func ("/cer/diacritic-confusion", test_diacritic_confusion);

  return g_test_run ();
}
