/* sohoa-sample-page.h: synthetic Vietnamese administrative pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SohoaSampleKind:
 * @SOHOA_SAMPLE_BIRTH_EXTRACT: a civil-status birth extract ("Trích lục khai
 *   sinh"): national motto header, issuing ward, "Số: …/TLKS", the child's
 *   and parents' particulars with dates, 12-digit personal identification
 *   numbers, ethnic group, nationality and place of birth.
 * @SOHOA_SAMPLE_OFFICIAL_LETTER: an official letter ("công văn"): header,
 *   number and notation, subject line ("V/v …"), addressee, body
 *   paragraphs, recipients ("Nơi nhận") and signature block.
 * @SOHOA_SAMPLE_REGISTER: a page of a birth register book: a ruled table
 *   with one row per entry (number, full name, date of birth, personal
 *   identification number, parents).
 *
 * The kinds of page sohoa_sample_page_render_png() can draw.
 */
typedef enum
{
  SOHOA_SAMPLE_BIRTH_EXTRACT,
  SOHOA_SAMPLE_OFFICIAL_LETTER,
  SOHOA_SAMPLE_REGISTER,
} SohoaSampleKind;

gboolean sohoa_sample_page_render_png (SohoaSampleKind   kind,
                                       guint             seed,
                                       guint             dpi,
                                       const char       *font_family,
                                       const char       *png_path,
                                       char            **out_text,
                                       GError          **error);

gboolean sohoa_sample_page_render_png_with_fields (SohoaSampleKind   kind,
                                                   guint             seed,
                                                   guint             dpi,
                                                   const char       *font_family,
                                                   const char       *png_path,
                                                   char            **out_text,
                                                   GHashTable      **out_fields,
                                                   GError          **error);

G_END_DECLS
