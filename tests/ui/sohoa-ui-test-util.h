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

GtkWidget *sohoa_test_find_descendant (GtkWidget         *widget,
                                       GType              type);
GtkWidget *sohoa_test_find_named      (GtkWidget         *widget,
                                       const char        *name);
GtkWindow *sohoa_test_find_toplevel   (GType              type);

guint16      sohoa_test_free_port       (void);
gboolean     sohoa_test_port_open       (gpointer            port);
GSubprocess *sohoa_test_start_s3rver    (const char         *data_dir,
                                         guint16            *port);
void         sohoa_test_stop_subprocess (GSubprocess       **process);
void         sohoa_test_use_s3          (guint16             port);

G_END_DECLS
