/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-types.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_USER (sohoa_user_get_type ())
G_DECLARE_FINAL_TYPE (SohoaUser, sohoa_user, SOHOA, USER, GObject)

gint64      sohoa_user_get_id        (SohoaUser *self);
const char *sohoa_user_get_name      (SohoaUser *self);
const char *sohoa_user_get_full_name (SohoaUser *self);
SohoaRole   sohoa_user_get_role      (SohoaUser *self);
gboolean    sohoa_user_can_approve   (SohoaUser *self);
gboolean    sohoa_user_get_disabled  (SohoaUser *self);

G_END_DECLS
