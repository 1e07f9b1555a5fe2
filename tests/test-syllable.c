/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-syllable"

#include "config.h"

#include "sohoa-syllable.h"

#include <locale.h>
#include <string.h>

#define HUNSPELL_VI_DIC "/usr/share/hunspell/vi_VN.dic"

typedef struct
{
  const char           *word;
  SohoaSyllableVerdict  verdict;
} Case;

#define VALID        SOHOA_SYLLABLE_VALID
#define INVALID      SOHOA_SYLLABLE_INVALID
#define ABBREVIATION SOHOA_SYLLABLE_ABBREVIATION
#define NOT_WORD     SOHOA_SYLLABLE_NOT_WORD

static const Case cases[] = {
  /* onsets and the spelling rules (DOMAIN.md §5.1) */
  { "nghĩa", VALID },
  { "ngha", INVALID },      /* ngh only before e, ê, i */
  { "ngy", INVALID },       /* ng never before i/y */
  { "nghi", VALID },
  { "kà", INVALID },        /* k only before e, ê, i, y */
  { "ke", VALID },
  { "kỹ", VALID },
  { "ghô", INVALID },       /* gh only before e, ê, i */
  { "ghế", VALID },
  { "ge", INVALID },        /* g before e is written gh */
  { "ci", INVALID },        /* c before i is written k */
  { "quốc", VALID },
  { "quo", INVALID },
  { "qa", INVALID },        /* q only as qu */
  { "qu", INVALID },        /* no vowel left */
  { "fa", INVALID },        /* f is not a Vietnamese letter */
  { "bn", INVALID },
  /* gi and qu */
  { "gì", VALID },
  { "gìn", VALID },
  { "gi", VALID },
  { "già", VALID },
  { "giữ", VALID },
  { "giêng", VALID },
  { "giếng", VALID },
  { "giết", VALID },
  { "gìa", INVALID },       /* the mark belongs on the a: già */
  { "quý", VALID },
  { "quỳ", VALID },
  { "quí", VALID },
  { "quyển", VALID },
  { "quỳnh", VALID },
  { "quýt", VALID },
  { "qúy", INVALID },       /* the u belongs to the onset */
  { "qúa", INVALID },
  /* y and i */
  { "yêu", VALID },
  { "yến", VALID },
  { "ý", VALID },
  { "kĩ", VALID },
  { "lý", VALID },
  { "lí", VALID },
  { "Mỹ", VALID },
  { "uyên", VALID },
  { "yu", INVALID },
  /* rhymes: ă and â need a final; nh and ch only after a, ê, i */
  { "ă", INVALID },
  { "â", INVALID },
  { "ăn", VALID },
  { "ăm", VALID },
  { "ân", VALID },
  { "ơc", INVALID },
  { "ợc", INVALID },        /* "đư ợc": a word split in two */
  { "được", VALID },
  { "onh", INVALID },
  { "anh", VALID },
  { "ôch", INVALID },
  { "ếch", VALID },
  { "oo", INVALID },
  { "xoong", VALID },
  { "boong", VALID },
  { "ưo", INVALID },
  { "ôa", INVALID },
  { "aa", INVALID },
  { "xinc", INVALID },
  { "thuyen", INVALID },    /* uyê without its hat */
  { "Nguyén", INVALID },    /* a typical OCR confusion for Nguyễn */
  { "khuỷu", VALID },
  { "thuở", VALID },
  { "người", VALID },
  { "hoạch", VALID },
  { "khuya", VALID },
  { "nguẩy", VALID },
  { "nguệch", VALID },
  { "ngoằn", VALID },
  { "hoẵng", VALID },
  { "nguyệt", VALID },
  { "huỳnh", VALID },
  /* tones: after p, t, c, ch only sắc or nặng */
  { "tìp", INVALID },
  { "bàt", INVALID },
  { "càp", INVALID },
  { "cáp", VALID },
  { "cạp", VALID },
  { "cap", INVALID },
  { "ach", INVALID },
  { "ách", VALID },
  { "đươc", INVALID },
  { "chính", VALID },
  { "ãnh", VALID },
  /* where the mark sits */
  { "hòan", INVALID },      /* with a final, on the second vowel: hoàn */
  { "hoàn", VALID },
  { "tóan", INVALID },
  { "mươì", INVALID },
  { "mười", VALID },
  { "hoàá", INVALID },      /* two tones */
  { "mìa", VALID },
  { "miá", INVALID },
  /* case, as in headings */
  { "CỘNG", VALID },
  { "HÒA", VALID },
  { "VIỆT", VALID },
  { "Việt", VALID },
  { "NGUYỄN", VALID },
  { "NGuyễn", VALID },
  /* unmarked capitals that are a syllable once the marks are put back: flag */
  { "VIET", INVALID },
  { "NGUYEN", INVALID },
  { "HOA", VALID },
  /* foreign words and look-alike letters */
  { "naissance", INVALID },
  { "Ðặng", INVALID },      /* U+00D0 Icelandic eth, not U+0110 Đ */
  { "Đặng", VALID },
  { "café", INVALID },
  /* punctuation around the word is not part of it */
  { "“Hòa”,", VALID },
  { "(Việt)", VALID },
  { "[Nam]", VALID },
  { "Nam.", VALID },
  { "'Hoà'", VALID },
  { "Nam:", VALID },
  { "«Nam»", VALID },
  { "tìp.", INVALID },
  /* hyphenated names in old books, and missing spaces */
  { "Sài-Gòn", VALID },
  { "Sài-gòn", VALID },
  { "Gia-định", VALID },
  { "Nam,Nữ", VALID },
  { "Sài-gòp", INVALID },
  /* numbers, dates, register numbers, punctuation: never flagged */
  { "079203001234", NOT_WORD },
  { "12/02/2026", NOT_WORD },
  { "655/UBND-TP", NOT_WORD },
  { "123/TLKS", NOT_WORD },
  { "—", NOT_WORD },
  { "(1)", NOT_WORD },
  { "2026.", NOT_WORD },
  { "5a", NOT_WORD },
  { "...", NOT_WORD },
  { ",", NOT_WORD },
  { "“", NOT_WORD },
  { "", NOT_WORD },
  { "½", NOT_WORD },
  /* Roman numerals: chapter and volume numbers */
  { "II", NOT_WORD },
  { "XIV", NOT_WORD },
  { "(iii)", NOT_WORD },
  /* abbreviations in notations and headings */
  { "UBND", ABBREVIATION },
  { "TLKS", ABBREVIATION },
  { "HCTP", ABBREVIATION },
  { "CCCD", ABBREVIATION },
  { "QĐ", ABBREVIATION },
  { "HĐND", ABBREVIATION },
  { "TAND", ABBREVIATION },
  { "UBMTTQ", ABBREVIATION },
  { "TT-BNV", ABBREVIATION },
  { "QĐ-UBND", ABBREVIATION },
  { "Tp", ABBREVIATION },
  { "Tp.HCM", ABBREVIATION },
  { "V/v", ABBREVIATION },
  { "T/M", ABBREVIATION },
  { "K/T", ABBREVIATION },
  { "đ/c", ABBREVIATION },
  { "b)", ABBREVIATION },
  { "P.", ABBREVIATION },
  /* but not when it could be a word, nor when small, nor when long */
  { "tp", INVALID },
  { "b", INVALID },
  { "UBNDTPHCM", INVALID },
  { "ỦBND", INVALID },
};

static const char *
verdict_name (SohoaSyllableVerdict verdict)
{
  switch (verdict)
    {
    case SOHOA_SYLLABLE_VALID: return "VALID";
    case SOHOA_SYLLABLE_INVALID: return "INVALID";
    case SOHOA_SYLLABLE_ABBREVIATION: return "ABBREVIATION";
    case SOHOA_SYLLABLE_NOT_WORD: return "NOT_WORD";
    default: return "?";
    }
}

static void
assert_verdict (const char           *word,
                SohoaSyllableVerdict  expected)
{
  SohoaSyllableVerdict verdict = sohoa_syllable_check (word);

  if (verdict != expected)
    g_error ("“%s”: %s, expected %s", word, verdict_name (verdict), verdict_name (expected));
}

/* $SOHOA_SHARED_DOMAIN/<name> if set, else tests/data/<name> */
static char *
read_domain_file (const char *name)
{
  const char *shared = g_getenv ("SOHOA_SHARED_DOMAIN");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (shared != NULL && *shared != '\0')
    path = g_build_filename (shared, name, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_verdict (cases[i].word, cases[i].verdict);
}

/* Every rule-generated form is valid: as written, in capitals, capitalised,
 * and decomposed (NFD, as some keyboards and macOS file names give it). */
static void
test_oracle (void)
{
  g_autofree char *contents = read_domain_file ("syllables-rule-generated.txt");
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *word = lines[i];
      g_autofree char *upper = NULL;
      g_autofree char *title = NULL;
      g_autofree char *nfd = NULL;
      g_autofree char *upper_nfd = NULL;
      gunichar first;
      char first_utf8[8] = "";

      if (*word == '\0')
        continue;
      n++;

      upper = g_utf8_strup (word, -1);
      nfd = g_utf8_normalize (word, -1, G_NORMALIZE_NFD);
      upper_nfd = g_utf8_normalize (upper, -1, G_NORMALIZE_NFD);
      first = g_utf8_get_char (word);
      first_utf8[g_unichar_to_utf8 (g_unichar_totitle (first), first_utf8)] = '\0';
      title = g_strconcat (first_utf8, g_utf8_next_char (word), NULL);

      assert_verdict (word, VALID);
      assert_verdict (upper, VALID);
      assert_verdict (title, VALID);
      assert_verdict (nfd, VALID);
      assert_verdict (upper_nfd, VALID);
    }

  g_test_message ("%u rule-generated forms, each as written, capitals, title case, NFD", n);
  g_assert_cmpuint (n, ==, 17498);
}

/* hòa and hoà, khỏe and khoẻ, thủy and thuỷ: both accepted (DOMAIN.md §5.3) */
static void
test_tone_styles (void)
{
  static const char * const misplaced[] = { "hòan", "thủyên", "hoaì", "quyà" };
  g_autofree char *contents = read_domain_file ("tone-style-pairs.csv");
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  guint n = 0;

  g_assert_cmpstr (lines[0], ==, "old_style,new_style");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;

      if (*lines[i] == '\0')
        continue;
      pair = g_strsplit (lines[i], ",", 2);
      g_assert_cmpuint (g_strv_length (pair), ==, 2);
      assert_verdict (pair[0], VALID);
      assert_verdict (pair[1], VALID);
      n++;
    }
  g_assert_cmpuint (n, ==, 350);

  assert_verdict ("Hòa", VALID);
  assert_verdict ("Hoà", VALID);
  assert_verdict ("KHỎE", VALID);
  assert_verdict ("KHOẺ", VALID);
  assert_verdict ("Thủy", VALID);
  assert_verdict ("Thuỷ", VALID);
  /* with a final both styles agree */
  assert_verdict ("thuyền", VALID);
  assert_verdict ("hoàng", VALID);
  for (guint i = 0; i < G_N_ELEMENTS (misplaced); i++)
    assert_verdict (misplaced[i], INVALID);
}

/* Precomposed, decomposed in canonical order, decomposed in another order,
 * and the deprecated Vietnamese tone marks U+0340/U+0341 */
static void
test_normalization (void)
{
  static const Case forms[] = {
    { "Nguy\xe1\xbb\x85n", VALID },                 /* ễ precomposed */
    { "Nguye\xcc\x82\xcc\x83n", VALID },            /* e + circumflex + tilde */
    { "Nguye\xcc\x83\xcc\x82n", VALID },            /* e + tilde + circumflex */
    { "Nguy\xc3\xaa\xcc\x83n", VALID },             /* ê + tilde */
    { "NGUYE\xcc\x82\xcc\x83N", VALID },
    { "Vie\xcc\xa3\xcc\x82t", VALID },              /* e + dot below + circumflex: Việt */
    { "ngu\xcc\x9bo\xcc\x9b\xcc\x80i", VALID },     /* người, fully decomposed */
    { "ho\xcd\x80" "a", VALID },                    /* U+0340 grave tone mark */
    { "ca\xcd\x81p", VALID },                       /* U+0341 acute tone mark */
    { "ca\xcc\x80p", INVALID },                     /* càp */
    { "e\xcc\x88", INVALID },                       /* ë: no diaeresis in Vietnamese */
    { "\xcc\x81" "a", INVALID },                    /* a mark with no letter under it */
    { "a\xcc\x81\xcc\x81", INVALID },               /* two tones on one letter */
    { "o\xcc\x9b\xcc\x9b", INVALID },               /* two horns */
    { "i\xcc\x82", INVALID },                       /* î */
    { "ab\xff", INVALID },                          /* not UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    assert_verdict (forms[i].word, forms[i].verdict);
}

static void
test_suspicious (void)
{
  /* rules, whatever the confidence */
  g_assert_false (sohoa_word_is_suspicious ("Hòa", 95.0f));
  g_assert_true (sohoa_word_is_suspicious ("tìp", 99.0f));
  g_assert_false (sohoa_word_is_suspicious ("UBND", 90.0f));
  g_assert_false (sohoa_word_is_suspicious ("079203001234", 95.0f));
  /* low confidence, whatever the word: numbers too */
  g_assert_true (sohoa_word_is_suspicious ("Hòa", 40.0f));
  g_assert_true (sohoa_word_is_suspicious ("079203001234", 30.0f));
  g_assert_true (sohoa_word_is_suspicious ("UBND", 10.0f));
  g_assert_true (sohoa_word_is_suspicious ("Hòa", SOHOA_LOW_CONFIDENCE - 0.1f));
  g_assert_false (sohoa_word_is_suspicious ("Hòa", SOHOA_LOW_CONFIDENCE));
  /* unknown confidence: the rules alone */
  g_assert_false (sohoa_word_is_suspicious ("Hòa", -1.0f));
  g_assert_true (sohoa_word_is_suspicious ("tìp", -1.0f));
  g_assert_false (sohoa_word_is_suspicious ("12/02/2026", -1.0f));
}

/* What share of hunspell-vi's words does the checker take?  The dictionary
 * is GPL: read from the system (Debian package hunspell-vi), never copied. */
static void
test_hunspell_coverage (void)
{
  const char *path = g_getenv ("SOHOA_HUNSPELL_VI_DIC");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) rejected = g_string_new (NULL);
  guint n_words = 0, n_valid = 0;
  double share;

  if (path == NULL)
    path = HUNSPELL_VI_DIC;
  /* build-aux/dev installs it: a missing dictionary is a failure. */
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_fail_printf ("hunspell-vi is not installed (%s); install the Debian package hunspell-vi", path);
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  /* the first line is the word count */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autofree char *word = g_strndup (lines[i], strcspn (lines[i], "/"));
      g_autofree char *lower = g_utf8_strdown (word, -1);
      gboolean letters_only = *word != '\0';

      for (const char *p = word; *p != '\0' && letters_only; p = g_utf8_next_char (p))
        letters_only = g_unichar_isalpha (g_utf8_get_char (p)) ||
                       g_unichar_ismark (g_utf8_get_char (p));
      /* single lowercase syllables; capitalised entries are names and
       * abbreviations (UBND, HĐND, PDF) */
      if (!letters_only || strcmp (word, lower) != 0)
        continue;

      n_words++;
      if (sohoa_syllable_check (word) == SOHOA_SYLLABLE_VALID)
        n_valid++;
      else
        g_string_append_printf (rejected, " %s", word);
    }

  g_assert_cmpuint (n_words, >, 5000);
  share = (double) n_valid / n_words;
  g_test_message ("hunspell-vi: %u of %u lowercase words accepted (%.2f%%); rejected:%s",
                  n_valid, n_words, 100.0 * share, rejected->str);
  g_assert_cmpfloat (share, >=, 0.99);
}

/* Words per second on a page-like mix; printed, not asserted */
static void
test_benchmark (void)
{
  static const char * const page[] = {
    "CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM", "Độc", "lập", "-",
    "Tự", "do", "-", "Hạnh", "phúc", "GIẤY", "KHAI", "SINH", "Họ,", "chữ", "đệm,",
    "tên:", "NGUYỄN", "VĂN", "AN", "Ngày,", "tháng,", "năm", "sinh:", "12/02/2026",
    "Giới", "tính:", "Nam", "Dân", "tộc:", "Kinh", "Quốc", "tịch:", "Việt", "Nam",
    "Nơi", "sinh:", "Phường", "Sài", "Gòn,", "Thành", "phố", "Hồ", "Chí", "Minh",
    "Số", "định", "danh", "cá", "nhân:", "079203001234", "Số:", "655/UBND-TP",
    "UBND", "quyển", "số", "(1)", "người", "đi", "khai", "Nguyén", "tìp", "hoà",
  };
  const guint rounds = 20000;
  guint n_valid = 0;
  gint64 start, elapsed;
  double per_second;

  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < G_N_ELEMENTS (page); i++)
      n_valid += sohoa_syllable_check (page[i]) == SOHOA_SYLLABLE_VALID;
  elapsed = MAX (g_get_monotonic_time () - start, 1);

  per_second = (double) rounds * G_N_ELEMENTS (page) * G_USEC_PER_SEC / elapsed;
  g_test_message ("benchmark: %.0f words/s, %.0f ns/word (%u words of a typical page, %u rounds)",
                  per_second, 1e9 / per_second, (guint) G_N_ELEMENTS (page), rounds);
  g_assert_cmpuint (n_valid, >, 0);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");  /* g_test_message() prints the rejected words in UTF-8 */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/syllable/cases", test_cases);
  g_test_add_func ("/syllable/oracle", test_oracle);
  g_test_add_func ("/syllable/tone-styles", test_tone_styles);
  g_test_add_func ("/syllable/normalization", test_normalization);
  g_test_add_func ("/syllable/suspicious", test_suspicious);
  g_test_add_func ("/syllable/hunspell-coverage", test_hunspell_coverage);
  g_test_add_func ("/syllable/benchmark", test_benchmark);

  return g_test_run ();
}
