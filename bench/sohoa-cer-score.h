/* sohoa-cer-score.h: order-insensitive character error rate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SohoaCerMode:
 * @SOHOA_CER_FRAGMENTS: lines may be split or joined: a line read as part
 *   of a longer one (two side-by-side header blocks read row by row) or in
 *   two pieces costs nothing for the split; every character is still
 *   counted once.  The default.
 * @SOHOA_CER_LINES: whole lines only: each truth line is paired with one
 *   OCR line, greedily by edit distance, without reuse.
 *
 * How truth lines are paired with OCR lines before they are compared.
 */
typedef enum
{
  SOHOA_CER_FRAGMENTS,
  SOHOA_CER_LINES,
} SohoaCerMode;

/**
 * SohoaCerScore:
 * @truth_chars: code points of truth text, after NFC and with each run of
 *   white space inside a line counted as one space
 * @errors: insertions, deletions and substitutions
 * @diacritic_errors: substitutions of the right letter with the wrong marks
 *   (“ễ” read as “ê”, “đ” as “d”); also counted in @errors
 * @pages: pages added
 *
 * Totals over one or more pages; start from all zeros.
 */
typedef struct
{
  guint64 truth_chars;
  guint64 errors;
  guint64 diacritic_errors;
  guint   pages;
} SohoaCerScore;

/**
 * SohoaCerExplainFunc:
 * @truth: (nullable): a truth line or piece of one; %NULL for OCR text
 *   that matches no truth
 * @ocr: (nullable): the OCR text it was paired with; %NULL for truth that
 *   was not read
 * @errors: what the pair cost
 *
 * Called for each pair or left-over piece that costs anything.
 */
typedef void (*SohoaCerExplainFunc) (const char *truth,
                                     const char *ocr,
                                     guint       errors,
                                     gpointer    user_data);

void     sohoa_cer_score_add_page          (SohoaCerScore       *score,
                                            const char          *truth,
                                            const char          *ocr,
                                            SohoaCerMode         mode);
void     sohoa_cer_score_add_page_explained (SohoaCerScore      *score,
                                            const char          *truth,
                                            const char          *ocr,
                                            SohoaCerMode         mode,
                                            SohoaCerExplainFunc  explain,
                                            gpointer             user_data);
void     sohoa_cer_score_merge             (SohoaCerScore       *score,
                                            const SohoaCerScore *other);
double   sohoa_cer_score_get_rate          (const SohoaCerScore *score);
double   sohoa_cer_score_get_diacritic_rate (const SohoaCerScore *score);

gboolean sohoa_cer_is_diacritic_confusion  (gunichar             a,
                                            gunichar             b);

G_END_DECLS
