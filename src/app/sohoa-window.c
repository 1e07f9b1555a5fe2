/* sohoa-window.c
 *
 * The workstation: batches on the left, the page and its record form on the
 * right.  Every command is an action with a shortcut, and update_actions()
 * alone decides which of them can run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sohoa-window.h"

#include "sohoa-account-dialog.h"
#include "sohoa-accounts-window.h"
#include "sohoa-arbitration-view.h"
#include "sohoa-batch-row.h"
#include "sohoa-login-page.h"
#include "sohoa-new-batch-dialog.h"
#include "sohoa-outbox-view.h"
#include "sohoa-package-dialog.h"
#include "sohoa-package-receiver.h"
#include "sohoa-page-thumbnail.h"
#include "sohoa-page-tools.h"
#include "sohoa-page-view.h"
#include "sohoa-record-form.h"
#include "sohoa-review-window.h"
#include "sohoa-scan-dialog.h"
#include "sohoa-search-view.h"
#include "sohoa-second-keying-dialog.h"
#include "sohoa-setup-page.h"
#include "sohoa-window-private.h"

struct _SohoaWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  SohoaSetupPage       *setup_page;
  SohoaLoginPage       *login_page;
  GtkWidget            *work_page;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *user_button;
  GtkMenuButton        *search_button;
  SohoaSearchView      *search_view;
  GtkLabel             *user_label;
  GtkWidget            *submit_button;
  GtkWidget            *approve_button;
  GtkWidget            *reject_button;
  GtkWidget            *review_button;
  GtkWidget            *export_button;
  GtkSingleSelection   *batch_selection;
  GtkStack             *content_stack;
  GtkSingleSelection   *page_selection;
  GtkGridView          *page_grid;
  SohoaPageView        *page_view;
  SohoaPageTools       *page_tools;
  GtkStack             *side_stack;
  GtkScrolledWindow    *form_scroller;
  GtkStack             *text_stack;
  GtkTextView          *text_view;
  GtkRevealer          *job_revealer;
  GtkLabel             *job_label;
  GtkProgressBar       *job_progress;

  /* owned */
  SohoaContext         *context;
  GSettings            *settings;
  GCancellable         *cancellable;
  SohoaJob             *job;
  GBinding             *job_fraction_binding;
  GBinding             *job_message_binding;
  GSignalGroup         *batch_signals;
  SohoaScanner         *scanner;
  SohoaOcrQueue        *ocr_queue;        /* OCR behind capture */
  SohoaHotFolder       *hot_folder;       /* while someone is signed in */
  GQueue                scan_queue;       /* paths of scanned pages to import */
  char                 *scan_current;

  /* borrowed */
  SohoaRecordForm      *record_form;

  /* state */
  gint64                scan_batch_id;
  guint                 scan_job;
  guint                 scan_pages;
  guint                 scan_done : 1;
  guint                 demo : 1;
};

G_DEFINE_FINAL_TYPE (SohoaWindow, sohoa_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static SohoaUser *
get_user (SohoaWindow *self)
{
  return self->context ? sohoa_context_get_user (self->context) : NULL;
}

static SohoaBatch *
get_selected_batch (SohoaWindow *self)
{
  return gtk_single_selection_get_selected_item (self->batch_selection);
}

static SohoaPage *
get_selected_page (SohoaWindow *self)
{
  return gtk_single_selection_get_selected_item (self->page_selection);
}

static gboolean
batch_is_editable (SohoaBatch *batch)
{
  SohoaBatchState state;

  if (batch == NULL)
    return FALSE;

  state = sohoa_batch_get_state (batch);

  return state == SOHOA_BATCH_OPEN || state == SOHOA_BATCH_REJECTED;
}

static void
show_toast (SohoaWindow *self,
            const char  *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (SohoaWindow  *self,
            const GError *error)
{
  g_warning ("%s", error->message);
  show_toast (self, error->message);
}

/* The one place that decides which commands can run now: from who is
 * signed in, the selected batch's state, whether a job is running and what
 * is selected. */
static void
update_actions (SohoaWindow *self)
{
  SohoaUser *user = get_user (self);
  SohoaBatch *batch = get_selected_batch (self);
  SohoaBatchState state = batch ? sohoa_batch_get_state (batch) : SOHOA_BATCH_OPEN;
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (self->page_selection));
  guint position = gtk_single_selection_get_selected (self->page_selection);
  gboolean has_page = position != GTK_INVALID_LIST_POSITION;
  gboolean signed_in = user != NULL;
  gboolean idle = self->job == NULL;
  /* OCR behind capture leaves capture free, not the page order. */
  gboolean reading = self->ocr_queue != NULL && sohoa_ocr_queue_get_busy (self->ocr_queue);
  gboolean can_approve = signed_in && sohoa_user_can_approve (user);
  gboolean editable = signed_in && batch_is_editable (batch);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-files", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-folder", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.scan", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-batch", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", !idle || reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-password", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.accounts",
                                 signed_in && sohoa_user_get_role (user) == SOHOA_ROLE_ADMIN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", signed_in && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.outbox", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send-outbox", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-package", can_approve && idle);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.ocr", editable && n_pages > 0 && idle && !reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.submit", editable && n_pages > 0 && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.approve",
                                 can_approve && state == SOHOA_BATCH_SUBMITTED && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.reject",
                                 can_approve && state == SOHOA_BATCH_SUBMITTED && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.review",
                                 can_approve && state == SOHOA_BATCH_SUBMITTED && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.package",
                                 can_approve && (state == SOHOA_BATCH_APPROVED || state == SOHOA_BATCH_PACKAGED) && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.export",
                                 signed_in && batch && (state == SOHOA_BATCH_APPROVED || state >= SOHOA_BATCH_PACKAGED) && idle);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.next", has_page && position + 1 < n_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.previous", has_page && position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.show-text", has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.save-next", editable && has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.next-flagged", n_pages > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.move-earlier", editable && idle && has_page && position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.move-later", editable && idle && has_page && position + 1 < n_pages);
  /* What changes a page or its document waits for OCR behind capture. */
  idle = idle && !reading;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.delete", editable && idle && has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.merge-duplex", editable && idle && n_pages >= 2 && n_pages % 2 == 0);
  sohoa_page_tools_set_editable (self->page_tools, editable && idle && has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.second-keying", editable && idle && has_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.arbitrate", editable && idle);

  /* The header shows only the next steps of the batch's journey: submit
   * while it is being keyed, approve or return once submitted (for those
   * who may), export once approved. */
  gtk_widget_set_visible (self->submit_button, batch_is_editable (batch));
  gtk_widget_set_visible (self->approve_button, can_approve && state == SOHOA_BATCH_SUBMITTED);
  gtk_widget_set_visible (self->reject_button, can_approve && state == SOHOA_BATCH_SUBMITTED);
  gtk_widget_set_visible (self->review_button, can_approve && state == SOHOA_BATCH_SUBMITTED);
  gtk_widget_set_visible (self->export_button, batch != NULL && (state == SOHOA_BATCH_APPROVED || state >= SOHOA_BATCH_PACKAGED));
}

static void
update_title (SohoaWindow *self)
{
  SohoaBatch *batch = get_selected_batch (self);
  g_autofree char *code = NULL;
  g_autofree char *ward = NULL;

  if (self->context != NULL)
    sohoa_store_get_ward (sohoa_context_get_store (self->context), &code, &ward);

  adw_window_title_set_title (self->window_title,
                              batch ? sohoa_batch_get_title (batch) : _("Sohoa"));
  adw_window_title_set_subtitle (self->window_title, ward);
}

static void
update_content (SohoaWindow *self)
{
  const char *name;

  if (get_selected_batch (self) == NULL)
    name = "no-batch";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->page_selection)) == 0)
    name = "empty";
  else
    name = "pages";

  gtk_stack_set_visible_child_name (self->content_stack, name);
}

static void
update_user (SohoaWindow *self)
{
  SohoaUser *user = get_user (self);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenu) account = NULL;
  g_autoptr(GMenu) help = NULL;
  g_autofree char *heading = NULL;

  if (user == NULL)
    {
      gtk_label_set_label (self->user_label, "");
      gtk_menu_button_set_menu_model (self->user_button, NULL);
      return;
    }

  gtk_label_set_label (self->user_label, sohoa_user_get_full_name (user));

  /* Translators: the heading of the account menu: full name (role) */
  heading = g_strdup_printf (_("%s (%s)"),
                             sohoa_user_get_full_name (user),
                             sohoa_role_get_label (sohoa_user_get_role (user)));

  account = g_menu_new ();
  g_menu_append (account, _("_Change Password…"), "win.change-password");
  if (sohoa_user_get_role (user) == SOHOA_ROLE_ADMIN)
    g_menu_append (account, _("_Accounts…"), "win.accounts");
  g_menu_append (account, _("_Sign Out"), "win.sign-out");

  menu = g_menu_new ();
  g_menu_append_section (menu, heading, G_MENU_MODEL (account));

  gtk_menu_button_set_menu_model (self->user_button, G_MENU_MODEL (menu));
}

/* Highlights the words OCR is unsure of.  The words come in reading order,
 * so each is looked for after the one before it. */
static void
mark_flagged_words (SohoaWindow *self,
                    SohoaPage   *page)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter from;

  if (!(words = sohoa_store_get_page_words (sohoa_context_get_store (self->context),
                                            sohoa_page_get_id (page), &error)))
    {
      show_error (self, error);
      return;
    }

  gtk_text_buffer_get_start_iter (buffer, &from);
  for (guint i = 0; i < words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (words, i);
      GtkTextIter start, end;

      if (!gtk_text_iter_forward_search (&from, word->text, GTK_TEXT_SEARCH_TEXT_ONLY, &start, &end, NULL))
        continue;
      if (word->flagged)
        gtk_text_buffer_apply_tag_by_name (buffer, "flagged", &start, &end);
      from = end;
    }
}

/* Selects the first flagged word after the selection of the text shown;
 * FALSE when there is none. */
static gboolean
select_next_flagged_word (SohoaWindow *self,
                          gboolean     from_start)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "flagged");
  GtkTextIter iter, end;

  if (from_start)
    gtk_text_buffer_get_start_iter (buffer, &iter);
  else
    gtk_text_buffer_get_selection_bounds (buffer, NULL, &iter);

  if (!gtk_text_iter_starts_tag (&iter, tag) || !from_start)
    {
      if (!gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        return FALSE;
      if (!gtk_text_iter_starts_tag (&iter, tag) && !gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        return FALSE;
    }

  end = iter;
  gtk_text_iter_forward_to_tag_toggle (&end, tag);
  gtk_text_buffer_select_range (buffer, &iter, &end);
  gtk_text_view_scroll_to_iter (self->text_view, &iter, 0.1, FALSE, 0, 0);
  return TRUE;
}

static void
load_page_text (SohoaWindow *self,
                SohoaPage   *page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  if (page != NULL && sohoa_page_get_ocr_state (page) == SOHOA_OCR_DONE)
    {
      text = sohoa_store_get_page_text (sohoa_context_get_store (self->context),
                                        sohoa_page_get_id (page),
                                        &error);
      if (error != NULL)
        show_error (self, error);
    }

  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_stack_set_visible_child_name (self->text_stack,
                                    text && text[0] != '\0' ? "text" : "none");

  if (text != NULL && sohoa_page_get_n_flagged (page) > 0)
    mark_flagged_words (self, page);
}

static void
load_record (SohoaWindow *self,
             SohoaPage   *page)
{
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch = get_selected_batch (self);
  SohoaSchema *schema;

  if (page == NULL || batch == NULL)
    {
      sohoa_record_form_clear (self->record_form);
      return;
    }

  if (!(schema = sohoa_context_lookup_schema (self->context, sohoa_batch_get_schema_id (batch))))
    {
      g_autofree char *message = NULL;

      sohoa_record_form_clear (self->record_form);
      message = g_strdup_printf (_("The form “%s” is not installed on this computer."),
                                 sohoa_batch_get_schema_id (batch));
      show_toast (self, message);
      return;
    }

  sohoa_record_form_set_editable (self->record_form, batch_is_editable (batch));

  if (!sohoa_record_form_load (self->record_form, schema, sohoa_page_get_document_id (page), &error))
    show_error (self, error);
}

static void
select_page (SohoaWindow *self,
             guint        position)
{
  gtk_single_selection_set_selected (self->page_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->page_grid), "list.scroll-to-item", "u", position);

  if (sohoa_record_form_get_editable (self->record_form))
    sohoa_record_form_focus_first (self->record_form);
}

static void
reload_pages (SohoaWindow *self,
              guint        position)
{
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch = get_selected_batch (self);

  if (batch != NULL)
    {
      pages = sohoa_store_list_pages (sohoa_context_get_store (self->context),
                                      sohoa_batch_get_id (batch),
                                      &error);
      if (pages == NULL)
        show_error (self, error);
    }

  gtk_single_selection_set_model (self->page_selection, pages);

  if (pages != NULL && position < g_list_model_get_n_items (pages))
    gtk_single_selection_set_selected (self->page_selection, position);
}

static void
reload_batches (SohoaWindow *self,
                gint64       select_id)
{
  g_autoptr(GListModel) batches = NULL;
  g_autoptr(GError) error = NULL;
  guint n_batches;

  if (!(batches = sohoa_store_list_batches (sohoa_context_get_store (self->context), &error)))
    {
      show_error (self, error);
      return;
    }

  gtk_single_selection_set_model (self->batch_selection, batches);

  n_batches = g_list_model_get_n_items (batches);
  for (guint i = 0; select_id > 0 && i < n_batches; i++)
    {
      g_autoptr(SohoaBatch) batch = g_list_model_get_item (batches, i);

      if (sohoa_batch_get_id (batch) == select_id)
        {
          gtk_single_selection_set_selected (self->batch_selection, i);
          break;
        }
    }
}

static void
refresh_batch (SohoaWindow *self,
               SohoaBatch  *batch)
{
  g_autoptr(GError) error = NULL;

  if (!sohoa_store_refresh_batch (sohoa_context_get_store (self->context), batch, &error))
    show_error (self, error);
}

static gboolean
save_record (SohoaWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!sohoa_record_form_save (self->record_form, &error))
    {
      show_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* Until the job says what it is doing, the label says what was asked. */
static gboolean
message_to_label (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  const char *message = g_value_get_string (from);

  g_value_set_string (to, message ? message : user_data);
  return TRUE;
}

static void show_queue_job (SohoaWindow *self);

static SohoaJob *
begin_job (SohoaWindow *self,
           const char  *message)
{
  g_assert (self->job == NULL);

  g_clear_pointer (&self->job_fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->job_message_binding, g_binding_unbind);
  self->job = sohoa_job_new ();
  self->job_fraction_binding =
    g_object_bind_property (self->job, "fraction", self->job_progress, "fraction",
                            G_BINDING_SYNC_CREATE);
  self->job_message_binding =
    g_object_bind_property_full (self->job, "message", self->job_label, "label",
                                 G_BINDING_SYNC_CREATE,
                                 message_to_label, NULL,
                                 g_strdup (message), g_free);

  gtk_revealer_set_reveal_child (self->job_revealer, TRUE);
  update_actions (self);

  return self->job;
}

static void
end_job (SohoaWindow *self)
{
  g_clear_pointer (&self->job_fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->job_message_binding, g_binding_unbind);
  g_clear_object (&self->job);

  gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
  show_queue_job (self);
  update_actions (self);
}

/* A callback that arrives after the window closed has nothing to update. */
static gboolean
window_is_closed (SohoaWindow *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static const char *
get_default_schema_id (SohoaWindow *self)
{
  g_autofree char *schema_id = g_settings_get_string (self->settings, "default-schema");
  GListModel *schemas;
  SohoaSchema *schema;

  if ((schema = sohoa_context_lookup_schema (self->context, schema_id)))
    return sohoa_schema_get_id (schema);

  schemas = sohoa_context_get_schemas (self->context);
  if (g_list_model_get_n_items (schemas) > 0)
    {
      g_autoptr(SohoaSchema) first = g_list_model_get_item (schemas, 0);

      return sohoa_schema_get_id (first);
    }

  return NULL;
}

/* Callbacks */

static void
batch_notify_cb (SohoaWindow *self,
                 GParamSpec  *pspec,
                 SohoaBatch  *batch)
{
  update_title (self);
  update_content (self);
  sohoa_record_form_set_editable (self->record_form, batch_is_editable (batch));
  update_actions (self);
}

static void
batch_selection_changed_cb (SohoaWindow        *self,
                            GParamSpec         *pspec,
                            GtkSingleSelection *selection)
{
  SohoaBatch *batch = get_selected_batch (self);

  g_signal_group_set_target (self->batch_signals, batch);

  sohoa_record_form_clear (self->record_form);
  reload_pages (self, 0);

  update_title (self);
  update_content (self);
  update_actions (self);
}

static void
page_selection_changed_cb (SohoaWindow        *self,
                           GParamSpec         *pspec,
                           GtkSingleSelection *selection)
{
  SohoaPage *page = get_selected_page (self);

  guint position = gtk_single_selection_get_selected (selection);
  g_autoptr(SohoaPage) next = NULL;

  sohoa_page_view_set_page (self->page_view, page);
  sohoa_page_tools_set_page (self->page_tools, page);
  load_record (self, page);
  load_page_text (self, page);

  /* The clerk goes on to the next page: have it decoded, and its record
   * auto-filled, by then. */
  if (position != GTK_INVALID_LIST_POSITION &&
      (next = g_list_model_get_item (G_LIST_MODEL (selection), position + 1)))
    {
      SohoaBatch *batch = get_selected_batch (self);
      SohoaSchema *schema;

      sohoa_page_view_prefetch (self->page_view, next);
      if (batch != NULL && (schema = sohoa_context_lookup_schema (self->context, sohoa_batch_get_schema_id (batch))))
        sohoa_record_form_prefill (self->record_form, schema, sohoa_page_get_document_id (next));
    }

  update_actions (self);
}

static void
page_items_changed_cb (SohoaWindow *self,
                       guint        position,
                       guint        removed,
                       guint        added,
                       GListModel  *model)
{
  update_content (self);
  update_actions (self);
}

static void
record_form_save_failed_cb (SohoaWindow     *self,
                            const GError    *error,
                            SohoaRecordForm *form)
{
  show_error (self, error);
}

/* Entry: words picked on the page fill the field being keyed; a field
 * that gets the focus shows where its value was read. */
static void
page_view_text_picked_cb (SohoaWindow           *self,
                          const char            *text,
                          const graphene_rect_t *bounds,
                          SohoaPageView         *view)
{
  SohoaPage *page = sohoa_page_view_get_page (view);

  if (page != NULL &&
      sohoa_record_form_fill_focused (self->record_form, text, sohoa_page_get_id (page), bounds))
    sohoa_page_view_set_highlight (view, bounds);
}

static void
record_form_field_focused_cb (SohoaWindow           *self,
                              const char            *key,
                              gint64                 page_id,
                              const graphene_rect_t *box,
                              SohoaRecordForm       *form)
{
  SohoaPage *page = sohoa_page_view_get_page (self->page_view);

  sohoa_page_view_set_highlight (self->page_view,
                                 page != NULL && sohoa_page_get_id (page) == page_id ? box : NULL);
}

static void
setup_page_created_cb (SohoaWindow    *self,
                       SohoaUser      *user,
                       gboolean        demo,
                       SohoaSetupPage *page)
{
  if (demo)
    {
      self->demo = TRUE;
      sohoa_login_page_set_show_demo_hint (self->login_page, TRUE);
    }

  if (user != NULL)
    {
      sohoa_window_sign_in (self, user);
    }
  else
    {
      sohoa_login_page_reset (self->login_page);
      gtk_stack_set_visible_child_name (self->stack, "login");
      show_toast (self, _("The workspace was created, but the sample pages could not be added."));
    }
}

static void
login_page_signed_in_cb (SohoaWindow    *self,
                         SohoaUser      *user,
                         SohoaLoginPage *page)
{
  sohoa_window_sign_in (self, user);
}

/* OCR behind capture ------------------------------------------------------ */

/* Shows the progress of OCR behind capture in the job bar, when no job of
 * the window's own is shown there. */
static void
show_queue_job (SohoaWindow *self)
{
  SohoaJob *job = self->ocr_queue ? sohoa_ocr_queue_get_job (self->ocr_queue) : NULL;

  if (self->job != NULL)
    return;
  g_clear_pointer (&self->job_fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->job_message_binding, g_binding_unbind);
  if (job != NULL)
    {
      self->job_fraction_binding =
        g_object_bind_property (job, "fraction", self->job_progress, "fraction", G_BINDING_SYNC_CREATE);
      self->job_message_binding =
        g_object_bind_property_full (job, "message", self->job_label, "label", G_BINDING_SYNC_CREATE,
                                     message_to_label, NULL, g_strdup (_("Recognizing text…")), g_free);
    }
  gtk_revealer_set_reveal_child (self->job_revealer, job != NULL);
}

static void
ocr_queue_job_cb (SohoaWindow   *self,
                  GParamSpec    *pspec,
                  SohoaOcrQueue *queue)
{
  if (window_is_closed (self))
    return;
  show_queue_job (self);
  update_actions (self);
}

static void
ocr_queue_finished_cb (SohoaWindow   *self,
                       gint64         batch_id,
                       guint          n_pages,
                       const GError  *error,
                       SohoaOcrQueue *queue)
{
  SohoaBatch *batch = get_selected_batch (self);

  if (window_is_closed (self))
    return;
  if (batch != NULL && sohoa_batch_get_id (batch) == batch_id && self->job == NULL)
    {
      guint position = gtk_single_selection_get_selected (self->page_selection);

      refresh_batch (self, batch);
      reload_pages (self, position == GTK_INVALID_LIST_POSITION ? 0 : position);
      load_page_text (self, get_selected_page (self));
    }
  else if (batch != NULL && sohoa_batch_get_id (batch) == batch_id)
    refresh_batch (self, batch);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

/* Pages arrived in @batch_id (scanned, imported, turned): read them
 * without the clerk asking, unless the setting says otherwise. */
static void
queue_auto_ocr (SohoaWindow *self,
                gint64       batch_id)
{
  if (batch_id <= 0 || get_user (self) == NULL || !g_settings_get_boolean (self->settings, "auto-ocr"))
    return;
  if (self->ocr_queue == NULL)
    {
      self->ocr_queue = sohoa_ocr_queue_new (self->context);
      g_signal_connect_object (self->ocr_queue, "notify::job", G_CALLBACK (ocr_queue_job_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->ocr_queue, "finished", G_CALLBACK (ocr_queue_finished_cb), self,
                               G_CONNECT_SWAPPED);
    }
  sohoa_ocr_queue_add (self->ocr_queue, batch_id);
}

/* Hot folder --------------------------------------------------------------- */

static void
hot_folder_imported_cb (SohoaWindow       *self,
                        SohoaImportReport *report,
                        SohoaHotFolder    *folder)
{
  SohoaBatch *batch = get_selected_batch (self);

  if (window_is_closed (self) || report == NULL)
    return;
  /* Show the new pages without taking the clerk away from their batch. */
  if (batch != NULL && sohoa_batch_get_id (batch) == report->batch_id)
    {
      guint position = gtk_single_selection_get_selected (self->page_selection);

      refresh_batch (self, batch);
      if (self->job == NULL)
        reload_pages (self, position == GTK_INVALID_LIST_POSITION ? 0 : position);
    }
  else if (self->job == NULL)
    reload_batches (self, batch ? sohoa_batch_get_id (batch) : report->batch_id);
  queue_auto_ocr (self, report->batch_id);
}

static void
hot_folder_error_cb (SohoaWindow    *self,
                     const GError   *error,
                     SohoaHotFolder *folder)
{
  if (!window_is_closed (self))
    show_error (self, error);
}

/* Watches the folder of the hot-folder setting while someone is signed in;
 * called again whenever the setting or the user changes. */
static void
update_hot_folder (SohoaWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "hot-folder");
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;

  if (self->hot_folder)
    {
      g_signal_handlers_disconnect_by_data (self->hot_folder, self);
      sohoa_hot_folder_stop (self->hot_folder);
      g_clear_object (&self->hot_folder);
    }
  if (path[0] == '\0' || get_user (self) == NULL || window_is_closed (self))
    return;

  directory = g_file_new_for_path (path);
  self->hot_folder = sohoa_hot_folder_new (self->context, directory, 0);
  sohoa_hot_folder_set_schema_id (self->hot_folder, get_default_schema_id (self));
  g_signal_connect_object (self->hot_folder, "imported", G_CALLBACK (hot_folder_imported_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hot_folder, "error", G_CALLBACK (hot_folder_error_cb), self,
                           G_CONNECT_SWAPPED);
  if (!sohoa_hot_folder_start (self->hot_folder, &error))
    {
      show_error (self, error);
      g_clear_object (&self->hot_folder);
    }
}

static void
import_files_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaWindow) self = user_data;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  SohoaBatch *batch;

  report = sohoa_import_files_finish (SOHOA_CONTEXT (object), result, &error);

  if (window_is_closed (self))
    return;

  end_job (self);

  batch = get_selected_batch (self);
  if (report != NULL && (batch == NULL || sohoa_batch_get_id (batch) != report->batch_id))
    {
      reload_batches (self, report->batch_id);
    }
  else if (batch != NULL)
    {
      guint position = gtk_single_selection_get_selected (self->page_selection);

      refresh_batch (self, batch);
      reload_pages (self, position == GTK_INVALID_LIST_POSITION ? 0 : position);
    }

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, _("Import cancelled"));
      else
        show_error (self, error);
      return;
    }

  if (report->n_imported > 0)
    queue_auto_ocr (self, report->batch_id);

  if (report->n_duplicates > 0)
    /* Translators: %u pages imported, %u pages skipped */
    message = g_strdup_printf (ngettext ("Imported %u page; %u already in the workspace",
                                         "Imported %u pages; %u already in the workspace",
                                         report->n_imported),
                               report->n_imported, report->n_duplicates);
  else
    message = g_strdup_printf (ngettext ("Imported %u page", "Imported %u pages", report->n_imported),
                               report->n_imported);
  show_toast (self, message);

  if (report->errors != NULL && report->errors->len > 0)
    {
      g_autofree char *body = NULL;
      GtkWidget *dialog;

      g_ptr_array_add (report->errors, NULL);
      body = g_strjoinv ("\n", (char **) report->errors->pdata);
      g_ptr_array_remove_index (report->errors, report->errors->len - 1);

      dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                       ngettext ("A File Could Not Be Imported",
                                                 "Some Files Could Not Be Imported",
                                                 report->errors->len),
                                       body);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
ocr_batch_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SohoaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  SohoaBatch *batch;
  guint n_pages = 0;
  guint position;

  sohoa_ocr_batch_finish (SOHOA_CONTEXT (object), result, &n_pages, &error);

  if (window_is_closed (self))
    return;

  end_job (self);

  /* Pages recognized before a cancel or an error are kept. */
  if ((batch = get_selected_batch (self)))
    {
      position = gtk_single_selection_get_selected (self->page_selection);
      refresh_batch (self, batch);
      reload_pages (self, position == GTK_INVALID_LIST_POSITION ? 0 : position);
      load_page_text (self, get_selected_page (self));
    }

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, _("Text recognition cancelled"));
      else
        show_error (self, error);
      return;
    }

  message = g_strdup_printf (ngettext ("Recognized the text of %u page",
                                       "Recognized the text of %u pages",
                                       n_pages),
                             n_pages);
  show_toast (self, message);
}

static void
export_batch_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  sohoa_export_batch_finish (SOHOA_CONTEXT (object), result, &error);

  if (window_is_closed (self))
    return;

  end_job (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, _("Export cancelled"));
  else if (error != NULL)
    show_error (self, error);
  else
    show_toast (self, _("Batch exported"));
}

static void
import_response_cb (SohoaWindow          *self,
                    int                   response,
                    GtkFileChooserNative *native)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = NULL;
  guint n_files;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      n_files = g_list_model_get_n_items (files);
      array = g_ptr_array_new_full (n_files, g_object_unref);

      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));

      sohoa_window_import_files (self, (GFile **) array->pdata, array->len);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
export_response_cb (SohoaWindow          *self,
                    int                   response,
                    GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  SohoaBatch *batch;

  if (response == GTK_RESPONSE_ACCEPT &&
      self->job == NULL &&
      (batch = get_selected_batch (self)) &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) &&
      (path = g_file_get_path (file)))
    {
      sohoa_export_batch_async (self->context,
                                sohoa_batch_get_id (batch),
                                path,
                                begin_job (self, _("Exporting the batch…")),
                                export_batch_cb,
                                g_object_ref (self));
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
new_batch_response_cb (SohoaWindow         *self,
                       const char          *response,
                       SohoaNewBatchDialog *dialog)
{
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  SohoaSchema *schema;

  if (!g_str_equal (response, "create") || !(schema = sohoa_new_batch_dialog_get_schema (dialog)))
    return;

  title = sohoa_new_batch_dialog_dup_title (dialog);
  batch = sohoa_store_create_batch (sohoa_context_get_store (self->context),
                                    get_user (self),
                                    sohoa_schema_get_id (schema),
                                    title,
                                    &error);
  if (batch == NULL)
    {
      show_error (self, error);
      return;
    }

  g_settings_set_string (self->settings, "default-schema", sohoa_schema_get_id (schema));
  reload_batches (self, sohoa_batch_get_id (batch));
}

static void
reject_reason_changed_cb (AdwMessageDialog *dialog,
                          GtkEditable      *editable)
{
  g_autofree char *reason = g_strdup (gtk_editable_get_text (editable));

  adw_message_dialog_set_response_enabled (dialog, "reject", g_strstrip (reason)[0] != '\0');
}

static void
reject_response_cb (SohoaWindow      *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  GtkEditable *entry;
  SohoaBatch *batch;

  if (!g_str_equal (response, "reject") || !(batch = get_selected_batch (self)))
    return;

  entry = GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "reason"));
  reason = sohoa_text_normalize (gtk_editable_get_text (entry));

  if (!sohoa_store_reject_batch (sohoa_context_get_store (self->context),
                                 get_user (self),
                                 sohoa_batch_get_id (batch),
                                 g_strstrip (reason),
                                 &error))
    {
      show_error (self, error);
      return;
    }

  refresh_batch (self, batch);
  show_toast (self, _("Batch returned for correction"));
}

static gboolean
drop_cb (SohoaWindow   *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GPtrArray) array = NULL;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  if (get_user (self) == NULL || self->job != NULL)
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  array = g_ptr_array_new_with_free_func (g_object_unref);
  for (const GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (array, g_object_ref (l->data));
  g_slist_free (files);

  sohoa_window_import_files (self, (GFile **) array->pdata, array->len);

  return TRUE;
}

static gboolean
close_request_cb (SohoaWindow *self)
{
  save_record (self);

  return FALSE;
}

/* Actions */

/* One chooser serves both: files (several at once) or a whole folder,
 * whose pages are imported in name order. */
static void
choose_import (SohoaWindow          *self,
               GtkFileChooserAction  action)
{
  g_autoptr(GtkFileFilter) scans = gtk_file_filter_new ();
  gboolean folder = action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (folder ? _("Import a Folder of Scanned Pages") : _("Import Scanned Pages"),
                                        GTK_WINDOW (self),
                                        action,
                                        _("_Import"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), !folder);

  if (!folder)
    {
      static const char * const mime_types[] = { "image/png", "image/jpeg", "image/tiff", "application/pdf" };
      static const char * const suffixes[] = { "png", "jpg", "jpeg", "tif", "tiff", "pdf" };

      gtk_file_filter_set_name (scans, _("Scanned Pages (PNG, JPEG, TIFF, PDF)"));
      for (guint i = 0; i < G_N_ELEMENTS (mime_types); i++)
        gtk_file_filter_add_mime_type (scans, mime_types[i]);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        gtk_file_filter_add_suffix (scans, suffixes[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), scans);
    }

  g_signal_connect_object (native, "response",
                           G_CALLBACK (import_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_import (SOHOA_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_import (SOHOA_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
receive_package_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SohoaWindow) self = user_data;
  gint64 batch_id = sohoa_package_receiver_run_finish (result, NULL);

  /* A refusal has been explained in a dialog already. */
  if (window_is_closed (self) || batch_id == 0)
    return;
  reload_batches (self, batch_id);
  show_toast (self, _("Package imported; its batch waits for your review"));
}

static void
import_package_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);

  sohoa_package_receiver_run_async (GTK_WINDOW (self), self->context, self->settings,
                                    receive_package_cb, g_object_ref (self));
}

static void
outbox_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);

  sohoa_outbox_view_present (GTK_WINDOW (self), self->context);
}

static void
password_changed_cb (SohoaWindow *self,
                     SohoaUser   *account)
{
  show_toast (self, _("Your password was changed"));
}

static void
accounts_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  SohoaUser *user = get_user (self);

  if (user != NULL && sohoa_user_get_role (user) == SOHOA_ROLE_ADMIN)
    gtk_window_present (GTK_WINDOW (sohoa_accounts_window_new (GTK_WINDOW (self), self->context, user)));
}

static void
change_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  SohoaUser *user = get_user (self);
  GtkWidget *dialog;

  if (user == NULL)
    return;
  dialog = sohoa_account_dialog_new (GTK_WINDOW (self), self->context, user, user,
                                     SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (password_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_batch_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  GtkWidget *dialog;

  dialog = sohoa_new_batch_dialog_new (GTK_WINDOW (self),
                                       sohoa_context_get_schemas (self->context),
                                       get_default_schema_id (self));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (new_batch_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);

  if (self->job != NULL)
    sohoa_job_cancel (self->job);
  else if (self->ocr_queue != NULL)
    sohoa_ocr_queue_cancel (self->ocr_queue);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sohoa_window_sign_out (SOHOA_WINDOW (widget));
}

static void
ocr_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  SohoaBatch *batch;

  if (!(batch = get_selected_batch (self)) || self->job != NULL)
    return;

  sohoa_ocr_batch_async (self->context,
                         sohoa_batch_get_id (batch),
                         begin_job (self, _("Recognizing text…")),
                         ocr_batch_cb,
                         g_object_ref (self));
}

typedef gboolean (*BatchChange) (SohoaStore  *store,
                                 SohoaUser   *user,
                                 gint64       batch_id,
                                 GError     **error);

/* Moves the selected batch on (submit, approve) and says so. */
static void
change_selected_batch (SohoaWindow *self,
                       BatchChange  change,
                       const char  *done)
{
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch = get_selected_batch (self);

  if (batch == NULL)
    return;
  if (!change (sohoa_context_get_store (self->context), get_user (self), sohoa_batch_get_id (batch), &error))
    {
      show_error (self, error);
      return;
    }
  refresh_batch (self, batch);
  show_toast (self, done);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);

  /* What is typed goes in before the batch leaves the operator. */
  if (get_selected_batch (self) == NULL || !save_record (self))
    return;
  change_selected_batch (self, sohoa_store_submit_batch, _("Batch sent for approval"));
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  change_selected_batch (SOHOA_WINDOW (widget), sohoa_store_approve_batch, _("Batch approved"));
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *reason;

  if (get_selected_batch (self) == NULL)
    return;

  reason = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), _("Reason"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (reason), TRUE);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), reason);

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Return Batch for Correction?"),
                                   _("The operator sees the reason and can change the records "
                                     "before sending the batch again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reject", _("_Return"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reject",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reject", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reject");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);

  g_signal_connect_object (reason, "changed",
                           G_CALLBACK (reject_reason_changed_cb), dialog,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (reject_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
review_changed_cb (SohoaWindow *self)
{
  SohoaBatch *batch = get_selected_batch (self);

  if (batch != NULL)
    refresh_batch (self, batch);
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch;
  GtkWidget *review;

  if (!(batch = get_selected_batch (self)))
    return;
  if (!(review = sohoa_review_window_new (GTK_WINDOW (self), self->context, batch, &error)))
    {
      show_error (self, error);
      return;
    }
  g_signal_connect_object (review, "batch-changed", G_CALLBACK (review_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (review));
}

static void
packaged_cb (SohoaWindow        *self,
             gint64              package_id,
             SohoaPackageDialog *dialog)
{
  AdwToast *toast = adw_toast_new (_("Package signed and queued for upload"));
  GtkWindow *outbox = g_object_get_data (G_OBJECT (self), "sohoa-outbox-window");
  SohoaBatch *batch = get_selected_batch (self);

  adw_toast_set_button_label (toast, _("Open _Outbox"));
  adw_toast_set_action_name (toast, "win.send-outbox");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  /* An outbox already open picks the package up now. */
  if (outbox)
    sohoa_outbox_view_send_waiting (sohoa_outbox_view_from_window (outbox));
  reload_batches (self, batch ? sohoa_batch_get_id (batch) : 0);
}

/* The outbox, sending what waits (the toast after a package is made). */
static void
send_outbox_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  GtkWindow *outbox = sohoa_outbox_view_present (GTK_WINDOW (self), self->context);

  sohoa_outbox_view_send_waiting (sohoa_outbox_view_from_window (outbox));
}

static void
package_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  SohoaBatch *batch = get_selected_batch (self);
  GtkWidget *dialog;

  if (batch == NULL)
    return;
  dialog = sohoa_package_dialog_new (GTK_WINDOW (self), self->context, sohoa_batch_get_id (batch));
  g_signal_connect_object (dialog, "packaged", G_CALLBACK (packaged_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  const char *documents;
  SohoaBatch *batch;

  if (!(batch = get_selected_batch (self)))
    return;

  native = gtk_file_chooser_native_new (_("Export Batch"),
                                        GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  name = g_strdup_printf ("%s.zip", sohoa_batch_get_title (batch));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  if ((documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS)) &&
      g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
    }

  g_signal_connect_object (native, "response",
                           G_CALLBACK (export_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->page_selection);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (self->page_selection));

  if (position != GTK_INVALID_LIST_POSITION && position + 1 < n_pages)
    select_page (self, position + 1);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->page_selection);

  if (position != GTK_INVALID_LIST_POSITION && position > 0)
    select_page (self, position - 1);
}

/* Ctrl+Enter: the record is complete; save it and open the next
 * document's first page, ready to key. */
static void
save_next_record_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  guint position = gtk_single_selection_get_selected (self->page_selection);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (self->page_selection));
  SohoaPage *page = get_selected_page (self);

  if (page == NULL || sohoa_record_form_get_record_id (self->record_form) == 0 || !save_record (self))
    return;

  for (guint i = position + 1; i < n_pages; i++)
    {
      g_autoptr(SohoaPage) next = g_list_model_get_item (G_LIST_MODEL (self->page_selection), i);

      if (sohoa_page_get_document_id (next) != sohoa_page_get_document_id (page))
        {
          select_page (self, i);
          show_toast (self, _("Record saved; next record"));
          return;
        }
    }

  show_toast (self, _("Record saved. It was the last record of the batch."));
}

static void
show_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  const char *visible = gtk_stack_get_visible_child_name (self->side_stack);

  gtk_stack_set_visible_child_name (self->side_stack,
                                    g_strcmp0 (visible, "text") == 0 ? "form" : "text");
}

/* Scanning: the scanner works on its own thread and signals each page as
 * it arrives; pages are imported one after the other, in the order they
 * came, into the selected batch (or a new one), so the clerk sees the
 * stack appear page by page.  The window's job shows it and cancels it. */

static void import_next_scan (SohoaWindow *self);

static void
finish_scan (SohoaWindow *self)
{
  g_autofree char *message = NULL;

  self->scan_job = 0;
  end_job (self);
  message = g_strdup_printf (ngettext ("Scanned %u page", "Scanned %u pages", self->scan_pages), self->scan_pages);
  show_toast (self, message);
}

static void
scan_import_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SohoaWindow) self = user_data;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_steal_pointer (&self->scan_current);

  report = sohoa_import_files_finish (SOHOA_CONTEXT (object), result, &error);
  if (path)
    g_unlink (path);   /* the page store has its own copy now */
  if (window_is_closed (self))
    return;

  if (report == NULL)
    show_error (self, error);
  else if (report->errors->len > 0)
    show_toast (self, g_ptr_array_index (report->errors, 0));
  else
    {
      SohoaBatch *batch = get_selected_batch (self);
      guint n_pages;

      if (batch == NULL || sohoa_batch_get_id (batch) != report->batch_id)
        reload_batches (self, report->batch_id);
      else
        refresh_batch (self, batch);
      self->scan_batch_id = report->batch_id;
      queue_auto_ocr (self, report->batch_id);

      reload_pages (self, 0);
      n_pages = g_list_model_get_n_items (G_LIST_MODEL (self->page_selection));
      if (n_pages > 0)
        select_page (self, n_pages - 1);
    }

  import_next_scan (self);
}

static void
import_next_scan (SohoaWindow *self)
{
  g_autoptr(GFile) file = NULL;
  const char *schema_id = get_default_schema_id (self);
  SohoaBatch *batch = get_selected_batch (self);

  if (self->scan_current != NULL)
    return;
  if (g_queue_is_empty (&self->scan_queue))
    {
      if (self->scan_done && self->scan_job != 0)
        finish_scan (self);
      return;
    }

  if (batch != NULL && sohoa_batch_get_id (batch) == self->scan_batch_id)
    schema_id = sohoa_batch_get_schema_id (batch);

  self->scan_current = g_queue_pop_head (&self->scan_queue);
  file = g_file_new_for_path (self->scan_current);
  sohoa_import_files_async (self->context, self->scan_batch_id, schema_id, &file, 1, NULL,
                            scan_import_cb, g_object_ref (self));
}

static void
page_scanned_cb (SohoaWindow  *self,
                 guint         job_id,
                 guint         page_number,
                 const char   *path,
                 SohoaScanner *scanner)
{
  g_autofree char *message = NULL;

  if (job_id != self->scan_job || self->job == NULL)
    return;

  self->scan_pages = page_number;
  message = g_strdup_printf (_("Scanned page %u…"), page_number);
  sohoa_job_report (self->job, 0, 0, message);

  g_queue_push_tail (&self->scan_queue, g_strdup (path));
  import_next_scan (self);
}

static void
scan_finished_cb (SohoaWindow  *self,
                  guint         job_id,
                  const GError *error,
                  guint         n_pages,
                  SohoaScanner *scanner)
{
  if (job_id != self->scan_job)
    return;

  self->scan_done = TRUE;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
  import_next_scan (self);
}

static void
scan_cancelled_cb (GCancellable *cancellable,
                   SohoaWindow  *self)
{
  if (self->scan_job != 0)
    sohoa_scanner_cancel (self->scanner, self->scan_job);
}

static void
scan_response_cb (SohoaWindow     *self,
                  const char      *response,
                  SohoaScanDialog *dialog)
{
  g_autofree char *derived = NULL;
  g_autofree char *out_dir = NULL;
  SohoaScanOptions options;
  SohoaBatch *batch = get_selected_batch (self);
  SohoaJob *job;

  if (g_strcmp0 (response, "scan") != 0 || self->job != NULL)
    return;

  save_record (self);
  sohoa_scan_dialog_get_options (dialog, &options);

  derived = sohoa_context_dup_derived_dir (self->context);
  out_dir = g_build_filename (derived, "scans", NULL);

  self->scan_batch_id = batch_is_editable (batch) ? sohoa_batch_get_id (batch) : 0;
  self->scan_pages = 0;
  self->scan_done = FALSE;
  job = begin_job (self, _("Scanning…"));
  g_signal_connect_object (sohoa_job_get_cancellable (job), "cancelled",
                           G_CALLBACK (scan_cancelled_cb), self, 0);
  self->scan_job = sohoa_scanner_scan (self->scanner, &options, out_dir);
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  GtkWidget *dialog;

  if (self->scanner == NULL)
    {
      self->scanner = sohoa_scanner_new ();
      g_signal_connect_object (self->scanner, "page-scanned", G_CALLBACK (page_scanned_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->scanner, "finished", G_CALLBACK (scan_finished_cb), self, G_CONNECT_SWAPPED);
    }

  dialog = sohoa_scan_dialog_new (GTK_WINDOW (self), self->scanner);
  g_signal_connect_object (dialog, "response", G_CALLBACK (scan_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* F8: the next word OCR is unsure of, on this page or the pages after it,
 * shown selected in the recognized text. */
static void
next_flagged_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  GListModel *pages = G_LIST_MODEL (self->page_selection);
  guint position = gtk_single_selection_get_selected (self->page_selection);
  guint n_pages = g_list_model_get_n_items (pages);

  gtk_stack_set_visible_child_name (self->side_stack, "text");
  if (position != GTK_INVALID_LIST_POSITION && select_next_flagged_word (self, FALSE))
    return;

  for (guint i = position == GTK_INVALID_LIST_POSITION ? 0 : position + 1; i < n_pages; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      if (sohoa_page_get_n_flagged (page) > 0)
        {
          gtk_single_selection_set_selected (self->page_selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->page_grid), "list.scroll-to-item", "u", i);
          select_next_flagged_word (self, TRUE);
          return;
        }
    }

  show_toast (self, _("No more words to check in this batch"));
}

/* After a change of page order: show the new order, keep the page the
 * clerk was working on in view, and bring the batch's counts up to date. */
static void
page_order_changed (SohoaWindow *self,
                    guint        select)
{
  reload_pages (self, select);
  select_page (self, MIN (select, g_list_model_get_n_items (G_LIST_MODEL (self->page_selection)) - 1));
  refresh_batch (self, get_selected_batch (self));
  update_actions (self);
}

static void
move_page (SohoaWindow *self,
           int          delta)
{
  g_autoptr(GError) error = NULL;
  SohoaPage *page = get_selected_page (self);
  guint to;

  if (page == NULL || !save_record (self))
    return;

  to = (guint) ((int) sohoa_page_get_position (page) + delta);
  if (!sohoa_store_move_page (sohoa_context_get_store (self->context), get_user (self),
                              sohoa_page_get_id (page), to, &error))
    show_error (self, error);
  page_order_changed (self, to);
}

static void
move_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_page (SOHOA_WINDOW (widget), g_str_equal (action_name, "page.move-earlier") ? -1 : 1);
}

static void
delete_page_response_cb (SohoaWindow *self,
                         const char  *response,
                         AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  gint64 page_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "page-id"));
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "position"));

  if (g_strcmp0 (response, "remove") != 0)
    return;

  if (!sohoa_store_delete_page (sohoa_context_get_store (self->context), get_user (self), page_id, &error))
    show_error (self, error);
  page_order_changed (self, position);
}

static void
delete_page_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  SohoaPage *page = get_selected_page (self);
  g_autofree char *title = NULL;
  AdwMessageDialog *dialog;

  if (page == NULL || !save_record (self))
    return;

  title = sohoa_page_dup_title (page);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove the Page from the Batch?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("%s is taken out of this batch, with its record if it is the document’s only page. "
                                    "The scan stays in the workspace, so it can be imported again."),
                                  title);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "page-id", GSIZE_TO_POINTER ((gsize) sohoa_page_get_id (page)));
  g_object_set_data (G_OBJECT (dialog), "position", GUINT_TO_POINTER (sohoa_page_get_position (page)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_page_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
merge_duplex_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch = get_selected_batch (self);

  if (batch == NULL || !save_record (self))
    return;

  if (!sohoa_store_merge_duplex (sohoa_context_get_store (self->context), get_user (self),
                                 sohoa_batch_get_id (batch), &error))
    {
      show_error (self, error);
      return;
    }
  page_order_changed (self, 0);
  show_toast (self, _("Fronts and backs put together"));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);

  gtk_menu_button_popup (self->search_button);
  sohoa_search_view_focus (self->search_view);
}

/* Opens the batch of a record found by search, at its document. */
static void
search_hit_activated_cb (SohoaWindow     *self,
                         SohoaSearchHit  *hit,
                         SohoaSearchView *view)
{
  GListModel *pages = G_LIST_MODEL (self->page_selection);

  gtk_menu_button_popdown (self->search_button);
  if (self->job != NULL || !save_record (self))
    return;

  reload_batches (self, sohoa_search_hit_get_batch_id (hit));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      if (sohoa_page_get_document_id (page) == sohoa_search_hit_get_document_id (hit))
        {
          select_page (self, i);
          break;
        }
    }
}

/* Double keying: the blind form for the selected page's record, and the
 * list of disagreements to settle (sohoa-second-keying-dialog.c and
 * sohoa-arbitration-view.c do the work). */
static void
double_keying_closed_cb (SohoaWindow *self,
                         GtkWindow   *dialog)
{
  /* Decisions may have changed field values; the form was hidden while
   * keying blind.  Show the record as it is now. */
  if (self->record_form != NULL)
    load_record (self, get_selected_page (self));
}

static void
second_keying_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  SohoaPage *page = get_selected_page (self);
  SohoaBatch *batch = get_selected_batch (self);
  SohoaSecondKeyingDialog *dialog;
  SohoaSchema *schema;
  gint64 record_id;

  if (page == NULL || batch == NULL || !save_record (self))
    return;
  if (!(schema = sohoa_context_lookup_schema (self->context, sohoa_batch_get_schema_id (batch))))
    return;
  if (!(record_id = sohoa_store_ensure_record (sohoa_context_get_store (self->context), sohoa_page_get_document_id (page),
                                               sohoa_schema_get_id (schema), sohoa_schema_get_version (schema), &error)) ||
      !(dialog = sohoa_second_keying_dialog_new (GTK_WINDOW (self), self->context, schema, record_id, page, &error)))
    {
      show_error (self, error);
      return;
    }
  /* Blind: the first values leave the screen while the record is keyed again. */
  sohoa_record_form_clear (self->record_form);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (double_keying_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
arbitrate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SohoaWindow *self = SOHOA_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  SohoaBatch *batch = get_selected_batch (self);
  SohoaArbitrationView *view;

  if (batch == NULL || !save_record (self))
    return;
  if (!(view = sohoa_arbitration_view_new (GTK_WINDOW (self), self->context, batch, &error)))
    {
      show_error (self, error);
      return;
    }
  g_signal_connect_object (view, "destroy", G_CALLBACK (double_keying_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (view));
}

/* GObject */

/* Page adjustments (turn, orientation, cleanup: sohoa-page-tools.c) ------ */

static void
page_tools_adjusted_cb (SohoaWindow    *self,
                        SohoaPageTools *tools)
{
  guint position = gtk_single_selection_get_selected (self->page_selection);

  if (window_is_closed (self))
    return;
  /* A turned page is a new item (its image changed): select it again. */
  reload_pages (self, position == GTK_INVALID_LIST_POSITION ? 0 : position);
  load_page_text (self, get_selected_page (self));
  if (get_selected_batch (self))
    queue_auto_ocr (self, sohoa_batch_get_id (get_selected_batch (self)));
  update_actions (self);
}

static void
page_tools_failed_cb (SohoaWindow    *self,
                      const GError   *error,
                      SohoaPageTools *tools)
{
  show_error (self, error);
}

static void
sohoa_window_constructed (GObject *object)
{
  SohoaWindow *self = (SohoaWindow *) object;
  SohoaStore *store;

  G_OBJECT_CLASS (sohoa_window_parent_class)->constructed (object);

  g_assert (SOHOA_IS_CONTEXT (self->context));

  self->record_form = SOHOA_RECORD_FORM (sohoa_record_form_new (self->context));
  g_signal_connect_object (self->record_form, "save-failed",
                           G_CALLBACK (record_form_save_failed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_child (self->form_scroller, GTK_WIDGET (self->record_form));
  g_signal_connect_object (self->record_form, "field-focused",
                           G_CALLBACK (record_form_field_focused_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->page_view, "text-picked",
                           G_CALLBACK (page_view_text_picked_cb), self,
                           G_CONNECT_SWAPPED);
  sohoa_page_view_set_store (self->page_view, sohoa_context_get_store (self->context));

  sohoa_setup_page_set_context (self->setup_page, self->context);
  sohoa_page_tools_set_context (self->page_tools, self->context);
  sohoa_login_page_set_context (self->login_page, self->context);
  sohoa_search_view_set_context (self->search_view, self->context);
  sohoa_login_page_set_show_demo_hint (self->login_page, self->demo);

  store = sohoa_context_get_store (self->context);
  if (sohoa_store_is_initialized (store))
    {
      gtk_stack_set_visible_child_name (self->stack, "login");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "setup");
      if (self->demo)
        sohoa_setup_page_create_demo (self->setup_page);
    }

  update_actions (self);
}

static void
sohoa_window_dispose (GObject *object)
{
  SohoaWindow *self = (SohoaWindow *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    sohoa_job_cancel (self->job);

  g_clear_pointer (&self->job_fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->job_message_binding, g_binding_unbind);
  if (self->batch_signals != NULL)
    g_signal_group_set_target (self->batch_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_WINDOW);

  self->record_form = NULL;
  g_clear_object (&self->job);
  g_clear_object (&self->batch_signals);
  g_clear_object (&self->scanner);
  if (self->ocr_queue)
    {
      g_signal_handlers_disconnect_by_data (self->ocr_queue, self);
      sohoa_ocr_queue_cancel (self->ocr_queue);
    }
  g_clear_object (&self->ocr_queue);
  if (self->hot_folder)
    {
      g_signal_handlers_disconnect_by_data (self->hot_folder, self);
      sohoa_hot_folder_stop (self->hot_folder);
    }
  g_clear_object (&self->hot_folder);
  g_queue_clear_full (&self->scan_queue, g_free);
  g_clear_pointer (&self->scan_current, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sohoa_window_parent_class)->dispose (object);
}

static void
sohoa_window_finalize (GObject *object)
{
  SohoaWindow *self = (SohoaWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_window_parent_class)->finalize (object);
}

static void
sohoa_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SohoaWindow *self = SOHOA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SohoaWindow *self = SOHOA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_window_class_init (SohoaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sohoa_window_constructed;
  object_class->dispose = sohoa_window_dispose;
  object_class->finalize = sohoa_window_finalize;
  object_class->get_property = sohoa_window_get_property;
  object_class->set_property = sohoa_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SOHOA_TYPE_BATCH_ROW);
  g_type_ensure (SOHOA_TYPE_LOGIN_PAGE);
  g_type_ensure (SOHOA_TYPE_PAGE_THUMBNAIL);
  g_type_ensure (SOHOA_TYPE_PAGE_TOOLS);
  g_type_ensure (SOHOA_TYPE_PAGE_VIEW);
  g_type_ensure (SOHOA_TYPE_SEARCH_VIEW);
  g_type_ensure (SOHOA_TYPE_SETUP_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, work_page);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, search_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, submit_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, approve_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, reject_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, review_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, batch_selection);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, page_selection);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, page_grid);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, page_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, page_tools);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, text_stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, job_revealer);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, job_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaWindow, job_progress);
  gtk_widget_class_bind_template_callback (widget_class, batch_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_items_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_page_created_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_page_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_hit_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_tools_adjusted_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_tools_failed_cb);

  gtk_widget_class_install_action (widget_class, "win.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "win.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "win.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "win.new-batch", NULL, new_batch_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.accounts", NULL, accounts_action);
  gtk_widget_class_install_action (widget_class, "win.change-password", NULL, change_password_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "record.second-keying", NULL, second_keying_action);
  gtk_widget_class_install_action (widget_class, "batch.arbitrate", NULL, arbitrate_action);
  gtk_widget_class_install_action (widget_class, "win.outbox", NULL, outbox_action);
  gtk_widget_class_install_action (widget_class, "win.import-package", NULL, import_package_action);
  gtk_widget_class_install_action (widget_class, "batch.ocr", NULL, ocr_action);
  gtk_widget_class_install_action (widget_class, "batch.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "batch.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "batch.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "batch.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "batch.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "batch.package", NULL, package_action);
  gtk_widget_class_install_action (widget_class, "win.send-outbox", NULL, send_outbox_action);
  gtk_widget_class_install_action (widget_class, "page.next", NULL, next_page_action);
  gtk_widget_class_install_action (widget_class, "page.previous", NULL, previous_page_action);
  gtk_widget_class_install_action (widget_class, "page.show-text", NULL, show_text_action);
  gtk_widget_class_install_action (widget_class, "record.save-next", NULL, save_next_record_action);
  gtk_widget_class_install_action (widget_class, "page.next-flagged", NULL, next_flagged_action);
  gtk_widget_class_install_action (widget_class, "page.move-earlier", NULL, move_page_action);
  gtk_widget_class_install_action (widget_class, "page.move-later", NULL, move_page_action);
  gtk_widget_class_install_action (widget_class, "page.delete", NULL, delete_page_action);
  gtk_widget_class_install_action (widget_class, "batch.merge-duplex", NULL, merge_duplex_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.import-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.scan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-batch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.sign-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "record.second-keying", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "batch.arbitrate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "batch.ocr", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "batch.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "batch.reject", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "batch.review", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "batch.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "page.show-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK, "page.delete", NULL);
  /* page.next, page.previous, page.next-flagged, page.move-* and batch.approve are bound in the template,
   * in the capture phase: the page strip would take Ctrl+Page Up/Down and
   * the form's entries Ctrl+Shift+A for themselves. */
}

static void
sohoa_window_init (SohoaWindow *self)
{
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Words OCR is unsure of: marked like a spelling error, on a light
   * highlight that reads in both light and dark styles. */
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "flagged",
                              "background-rgba", &(GdkRGBA) { 0.97, 0.89, 0.36, 0.45 },
                              "underline", PANGO_UNDERLINE_ERROR,
                              NULL);

  self->cancellable = g_cancellable_new ();

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::hot-folder", G_CALLBACK (update_hot_folder), self,
                           G_CONNECT_SWAPPED);
  g_free (g_settings_get_string (self->settings, "hot-folder"));   /* GSettings signals keys once read */
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  self->batch_signals = g_signal_group_new (SOHOA_TYPE_BATCH);
  g_signal_group_connect_swapped (self->batch_signals, "notify",
                                  G_CALLBACK (batch_notify_cb), self);

  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->work_page, GTK_EVENT_CONTROLLER (drop_target));

  update_actions (self);
}

/* Public API */

/**
 * sohoa_window_new:
 * @application: (nullable): the application
 * @context: the workspace to work in
 * @demo: whether to fill an empty workspace with the demo
 *
 * Returns: (transfer none): a new window, owned by GTK until destroyed
 */
SohoaWindow *
sohoa_window_new (GtkApplication *application,
                  SohoaContext   *context,
                  gboolean        demo)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  return g_object_new (SOHOA_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       "demo", demo,
                       NULL);
}

SohoaContext *
sohoa_window_get_context (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return self->context;
}

/**
 * sohoa_window_sign_in:
 * @self: a #SohoaWindow
 * @user: an authenticated account
 *
 * Makes @user the one whose work is recorded and shows the batches.
 */
void
sohoa_window_sign_in (SohoaWindow *self,
                      SohoaUser   *user)
{
  g_return_if_fail (SOHOA_IS_WINDOW (self));
  g_return_if_fail (SOHOA_IS_USER (user));

  sohoa_context_set_user (self->context, user);

  update_user (self);
  gtk_stack_set_visible_child_name (self->stack, "work");
  reload_batches (self, 0);
  update_hot_folder (self);

  update_title (self);
  update_content (self);
  update_actions (self);

  /* Ready to key the first record. */
  if (sohoa_record_form_get_record_id (self->record_form) > 0 &&
      sohoa_record_form_get_editable (self->record_form))
    sohoa_record_form_focus_first (self->record_form);
}

/**
 * sohoa_window_sign_out:
 * @self: a #SohoaWindow
 *
 * Saves the record being keyed, forgets the user and shows the sign-in page.
 */
void
sohoa_window_sign_out (SohoaWindow *self)
{
  g_return_if_fail (SOHOA_IS_WINDOW (self));

  if (self->job != NULL)
    return;

  sohoa_record_form_clear (self->record_form);
  gtk_single_selection_set_model (self->batch_selection, NULL);
  sohoa_context_set_user (self->context, NULL);
  update_hot_folder (self);

  update_user (self);
  sohoa_login_page_reset (self->login_page);
  gtk_stack_set_visible_child_name (self->stack, "login");

  update_actions (self);
}

/**
 * sohoa_window_import_files:
 * @self: a #SohoaWindow
 * @files: (array length=n_files): image files
 * @n_files: the number of @files
 *
 * Imports @files into the selected batch, or into a new batch of the
 * default form when no batch that can take pages is selected.  The file
 * chooser and drag-and-drop both come here.
 */
void
sohoa_window_import_files (SohoaWindow  *self,
                           GFile       **files,
                           guint         n_files)
{
  SohoaBatch *batch;
  const char *schema_id;
  gint64 batch_id = 0;

  g_return_if_fail (SOHOA_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  if (get_user (self) == NULL)
    {
      show_toast (self, _("Sign in to import pages"));
      return;
    }

  if (self->job != NULL)
    {
      show_toast (self, _("Wait for the current task to finish, then import again"));
      return;
    }

  save_record (self);

  batch = get_selected_batch (self);
  if (batch_is_editable (batch))
    {
      batch_id = sohoa_batch_get_id (batch);
      schema_id = sohoa_batch_get_schema_id (batch);
    }
  else
    {
      schema_id = get_default_schema_id (self);
    }

  sohoa_import_files_async (self->context,
                            batch_id,
                            schema_id,
                            files,
                            n_files,
                            begin_job (self, _("Importing pages…")),
                            import_files_cb,
                            g_object_ref (self));
}

/* Private API, for the tests */

const char *
_sohoa_window_get_view_name (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
_sohoa_window_get_batches (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->batch_selection);
}

GListModel *
_sohoa_window_get_pages (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->page_selection);
}

SohoaRecordForm *
_sohoa_window_get_record_form (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return self->record_form;
}

SohoaPageView *
_sohoa_window_get_page_view (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  return self->page_view;
}

gboolean
_sohoa_window_is_busy (SohoaWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_WINDOW (self), FALSE);

  return self->job != NULL;
}

/* The text selected in the recognized-text pane, for tests. */
char *
_sohoa_window_dup_selected_text (SohoaWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SOHOA_IS_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  return gtk_text_iter_get_text (&start, &end);
}
