/* sohoa-file-chooser.c
 *
 * Asks for a file or a folder with the dialog the GTK at hand has: GTK 4.10
 * brings GtkFileDialog and deprecates the file chooser, and the floor is
 * 4.8.  The dialog is used only where both the headers and the version
 * macros allow it; both go through the portal when there is one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-file-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-file-chooser.h"

#if GTK_CHECK_VERSION (4, 10, 0)
# if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#  define USE_FILE_DIALOG 1
# endif
#endif

typedef struct
{
  SohoaChooseMode      mode;
  SohoaFileChosenFunc  chosen;
  gpointer             user_data;
  GDestroyNotify       destroy;
} Choice;

static void
choice_finish (Choice *choice,
               GFile  *file)
{
  choice->chosen (file, choice->user_data);
  if (choice->destroy)
    choice->destroy (choice->user_data);
  g_free (choice);
}

#ifdef USE_FILE_DIALOG
static void
dialog_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  Choice *choice = data;
  g_autoptr(GFile) file = NULL;

  if (choice->mode == SOHOA_CHOOSE_FOLDER)
    file = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, NULL);
  else
    file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);
  choice_finish (choice, file);
}
#else
static void
native_response_cb (GtkFileChooserNative *native,
                    int                   response,
                    gpointer              data)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
  choice_finish (data, file);
}
#endif

/**
 * sohoa_choose_file:
 * @filter: (nullable) (transfer none): the files offered, for
 *   %SOHOA_CHOOSE_FILE
 * @chosen: called once, with the file or folder chosen or %NULL
 * @destroy: (nullable): frees @user_data after @chosen
 *
 * Shows a modal dialog over @parent to choose one file or one folder.
 */
void
sohoa_choose_file (GtkWindow           *parent,
                   const char          *title,
                   SohoaChooseMode      mode,
                   GtkFileFilter       *filter,
                   SohoaFileChosenFunc  chosen,
                   gpointer             user_data,
                   GDestroyNotify       destroy)
{
  Choice *choice = g_new0 (Choice, 1);

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (chosen != NULL);

  *choice = (Choice) { mode, chosen, user_data, destroy };

#ifdef USE_FILE_DIALOG
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_modal (dialog, TRUE);
    if (filter)
      {
        g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

        g_list_store_append (filters, filter);
        gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
      }
    if (mode == SOHOA_CHOOSE_FOLDER)
      gtk_file_dialog_select_folder (dialog, parent, NULL, dialog_done_cb, choice);
    else
      gtk_file_dialog_open (dialog, parent, NULL, dialog_done_cb, choice);
  }
#else
  {
    GtkFileChooserNative *native;

    native = gtk_file_chooser_native_new (title, parent,
                                          mode == SOHOA_CHOOSE_FOLDER ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                                      : GTK_FILE_CHOOSER_ACTION_OPEN,
                                          mode == SOHOA_CHOOSE_FOLDER ? _("_Select") : _("_Open"),
                                          _("_Cancel"));
    if (filter)
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    g_signal_connect (native, "response", G_CALLBACK (native_response_cb), choice);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}
