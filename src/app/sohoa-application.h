/* sohoa-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SOHOA_TYPE_APPLICATION (sohoa_application_get_type ())

G_DECLARE_FINAL_TYPE (SohoaApplication, sohoa_application, SOHOA, APPLICATION, AdwApplication)

SohoaApplication *sohoa_application_new               (void);
const char       *sohoa_application_get_workspace_dir (SohoaApplication *self);

G_END_DECLS
