/* sohoa-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_DEMO_WARD_CODE "26740"
#define SOHOA_DEMO_WARD_NAME "Phường Sài Gòn"

void       sohoa_demo_create_async  (SohoaContext         *context,
                                     SohoaJob             *job,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
SohoaUser *sohoa_demo_create_finish (SohoaContext         *context,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
