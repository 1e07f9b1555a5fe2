/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sohoa_text_normalize (const char *text);
char *sohoa_text_fold      (const char *text);

G_END_DECLS
