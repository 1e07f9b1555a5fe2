/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-store.h"

G_BEGIN_DECLS

gboolean _sohoa_store_check_double_keying (SohoaStore  *self,
                                           gint64       batch_id,
                                           GError     **error);

G_END_DECLS
