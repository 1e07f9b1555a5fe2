/* sohoa-ui-test-util.h: what every in-process UI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*SohoaTestCondition) (gpointer data);

gboolean sohoa_test_spin_until       (SohoaTestCondition  condition,
                                      gpointer            data,
                                      guint               timeout_s);
gboolean sohoa_test_window_is_mapped (gpointer            window);
gboolean sohoa_test_time_has_come    (gpointer            monotonic_deadline);
void     sohoa_test_remove_tree      (const char         *path);
void     sohoa_test_save_screenshot  (GtkWidget          *widget,
                                      const char         *name);

G_END_DECLS
