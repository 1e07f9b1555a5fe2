/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-schema.h"
#include "sohoa-store.h"
#include "sohoa-user.h"

G_BEGIN_DECLS

gboolean   sohoa_store_get_double_keying      (SohoaStore   *self,
                                               SohoaSchema  *schema,
                                               gboolean     *required,
                                               gboolean     *overridden,
                                               GError      **error);
gboolean   sohoa_store_set_double_keying      (SohoaStore   *self,
                                               SohoaUser    *user,
                                               SohoaSchema  *schema,
                                               gboolean      required,
                                               GError      **error);
GPtrArray *sohoa_store_double_keying_fields   (SohoaStore   *self,
                                               SohoaSchema  *schema,
                                               GError      **error);

G_END_DECLS
