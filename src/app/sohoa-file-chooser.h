/* sohoa-file-chooser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  SOHOA_CHOOSE_FILE,
  SOHOA_CHOOSE_FOLDER,
} SohoaChooseMode;

/* @file is NULL when the user dismissed the dialog. */
typedef void (*SohoaFileChosenFunc) (GFile    *file,
                                     gpointer  user_data);

void sohoa_choose_file (GtkWindow           *parent,
                        const char          *title,
                        SohoaChooseMode      mode,
                        GtkFileFilter       *filter,
                        SohoaFileChosenFunc  chosen,
                        gpointer             user_data,
                        GDestroyNotify       destroy);

G_END_DECLS
