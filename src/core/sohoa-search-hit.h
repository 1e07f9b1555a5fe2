/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOHOA_TYPE_SEARCH_HIT (sohoa_search_hit_get_type ())
G_DECLARE_FINAL_TYPE (SohoaSearchHit, sohoa_search_hit, SOHOA, SEARCH_HIT, GObject)

gint64      sohoa_search_hit_get_record_id       (SohoaSearchHit *self);
gint64      sohoa_search_hit_get_batch_id        (SohoaSearchHit *self);
gint64      sohoa_search_hit_get_document_id     (SohoaSearchHit *self);
guint       sohoa_search_hit_get_document_number (SohoaSearchHit *self);
const char *sohoa_search_hit_get_schema_id       (SohoaSearchHit *self);
const char *sohoa_search_hit_get_title           (SohoaSearchHit *self);
const char *sohoa_search_hit_get_batch_title     (SohoaSearchHit *self);

G_END_DECLS
