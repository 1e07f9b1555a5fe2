/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sohoa-search-hit.h"

G_BEGIN_DECLS

SohoaSearchHit *_sohoa_search_hit_new            (gint64      record_id,
                                                  gint64      batch_id,
                                                  gint64      document_id,
                                                  guint       document_number,
                                                  const char *schema_id,
                                                  const char *title,
                                                  const char *batch_title);
int             _sohoa_search_register_functions (sqlite3    *db);

G_END_DECLS
