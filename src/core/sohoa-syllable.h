/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SOHOA_LOW_CONFIDENCE:
 *
 * Tesseract word confidence (0–100) under which a word is shown to the
 * operator whatever it looks like.  On a clean scan Tesseract's LSTM engine
 * gives correctly read words 85–96; below about 60 a word is more often
 * misread than not (a faded digit, a smudged diacritic), and numbers are
 * exactly where the syllable rules cannot help, so the confidence is the
 * only signal there.  This is a starting value: tune it on real pages
 * (bench/) rather than trust it.
 */
#define SOHOA_LOW_CONFIDENCE 60.0f

/**
 * SohoaSyllableVerdict:
 * @SOHOA_SYLLABLE_VALID: a possible Vietnamese syllable (or a hyphenated
 *   run of them, as in "Sài-gòn" in old books), in either tone-placement
 *   style
 * @SOHOA_SYLLABLE_INVALID: letters that no Vietnamese syllable can be
 *   spelled as: a bad onset or rhyme, a tone a stop final cannot take, a
 *   misplaced tone mark, a letter Vietnamese does not use.  Foreign words
 *   (French in pre-1975 books) land here too: the operator confirms them.
 * @SOHOA_SYLLABLE_ABBREVIATION: an abbreviation or initial, written the way
 *   the registers write them: 2–6 capitals with no tone marks that cannot
 *   be read as a syllable ("UBND", "TLKS", "QĐ", "HĐND"), a capitalised run
 *   without vowels ("Tp"), or a lone letter before "." or ")" or beside "/"
 *   ("V/v", "T/M", "K/T", "Nguyễn V. An", "b)").  Not flagged.
 * @SOHOA_SYLLABLE_NOT_WORD: not a word at all: contains a digit (dates, ID
 *   numbers, "123/TLKS"), is only punctuation, or is a Roman numeral.
 *   Never flagged by the rules.
 *
 * What sohoa_syllable_check() found.
 */
typedef enum
{
  SOHOA_SYLLABLE_VALID,
  SOHOA_SYLLABLE_INVALID,
  SOHOA_SYLLABLE_ABBREVIATION,
  SOHOA_SYLLABLE_NOT_WORD,
} SohoaSyllableVerdict;

SohoaSyllableVerdict sohoa_syllable_check     (const char *word);
gboolean             sohoa_word_is_suspicious (const char *word,
                                               float       confidence);

G_END_DECLS
