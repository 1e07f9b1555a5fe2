/* sohoa-record-form.c
 *
 * The form beside the page: one row per schema field, built from the
 * schema.  What the clerk types goes to a writer thread (SohoaFieldWriter)
 * at most SAVE_DELAY_MS after the key, so the database has it within a
 * second and the window never waits for the disk.  Each field can instead
 * be marked illegible (Ctrl+I) or uncertain (Ctrl+U); Ctrl+Z and
 * Ctrl+Shift+Z undo and redo across the fields of the record; F7 goes to
 * the next field that needs a look (a problem, or an auto-filled value OCR
 * was unsure of).  Values filled by OCR show their confidence until the
 * clerk confirms them (Enter, or leaving the field) or types over them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-record-form"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-record-form.h"

#include "sohoa-autofill.h"

#include <graphene-gobject.h>

/* Saved this long after the first change, even while the clerk keeps
 * typing: nothing older than a second is ever lost. */
#define SAVE_DELAY_MS 300

/* Auto-filled values below this OCR confidence stand out. */
#define LOW_CONFIDENCE 80.0

typedef struct
{
  const SohoaSchemaField *field;  /* borrowed from the schema */
  GtkWidget              *row;    /* AdwEntryRow or AdwComboRow, owned by the group */
  GtkWidget              *problem; /* suffix icon, shown when the value has a problem */
  GtkWidget              *mark;   /* suffix label: illegible, uncertain or OCR confidence */
  char                   *value;  /* as last seen, for undo */
  SohoaValueState         state;
  double                  confidence;  /* of an auto-filled value not yet confirmed, else -1 */
  gint64                  box_page;
  graphene_rect_t         box;    /* where on box_page the value was read */
} FieldRow;

typedef struct
{
  char            *key;
  char            *old_value;
  char            *new_value;
  SohoaValueState  old_state;
  SohoaValueState  new_state;
} UndoStep;

struct _SohoaRecordForm
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwPreferencesGroup *group;

  /* owned */
  SohoaContext        *context;
  SohoaSchema         *schema;
  GArray              *rows;      /* FieldRow */
  GHashTable          *pending;   /* field key → value typed but not yet queued */
  SohoaFieldWriter    *writer;
  GCancellable        *autofill_cancellable;
  GCancellable        *prefill_cancellable;
  GArray              *undo;      /* UndoStep */
  GArray              *redo;      /* UndoStep */

  /* state */
  gint64               record_id;
  gint64               document_id;  /* of the record shown last, even once cleared */
  guint                save_source;
  int                  focused;   /* index of the row with the focus, or the last one; -1 */
  guint                editable : 1;
  guint                loading : 1;
  guint                coalesce : 1;  /* typing goes on in the field of the last undo step */
  guint                autofilling : 1;
};

G_DEFINE_FINAL_TYPE (SohoaRecordForm, sohoa_record_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_EDITABLE,
  PROP_RECORD_ID,
  PROP_SCHEMA,
  N_PROPS
};

enum {
  FIELD_FOCUSED,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
undo_step_clear (gpointer data)
{
  UndoStep *step = data;

  g_free (step->key);
  g_free (step->old_value);
  g_free (step->new_value);
}

static void
field_row_clear (gpointer data)
{
  FieldRow *field_row = data;

  g_clear_pointer (&field_row->value, g_free);
}

static FieldRow *
find_row (SohoaRecordForm *self,
          GtkWidget       *row)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      if (field_row->row == row)
        return field_row;
    }

  return NULL;
}

static FieldRow *
find_row_by_key (SohoaRecordForm *self,
                 const char      *key)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      if (g_str_equal (field_row->field->key, key))
        return field_row;
    }

  return NULL;
}

static char *
dup_row_value (const FieldRow *field_row)
{
  if (ADW_IS_COMBO_ROW (field_row->row))
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field_row->row));
      const SohoaSchemaCode *code;

      /* Item 0 is "not filled in". */
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
        return g_strdup ("");

      code = g_ptr_array_index (field_row->field->codes, selected - 1);
      return g_strdup (code->code);
    }

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (field_row->row)));
}

static void
set_row_value (const FieldRow *field_row,
               const char     *value)
{
  if (value == NULL)
    value = "";

  if (ADW_IS_COMBO_ROW (field_row->row))
    {
      GPtrArray *codes = field_row->field->codes;
      guint selected = 0;

      for (guint i = 0; codes != NULL && i < codes->len; i++)
        {
          const SohoaSchemaCode *code = g_ptr_array_index (codes, i);

          if (g_strcmp0 (code->code, value) == 0)
            {
              selected = i + 1;
              break;
            }
        }

      if (selected == 0 && value[0] != '\0')
        g_warning ("Field %s holds a value that is not in its code list", field_row->field->key);

      adw_combo_row_set_selected (ADW_COMBO_ROW (field_row->row), selected);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (field_row->row), value);
    }
}

/* The state stored with a value: what the clerk marked, else filled or
 * empty by the text. */
static SohoaValueState
effective_state (const FieldRow *field_row,
                 const char     *value)
{
  if (field_row->state == SOHOA_VALUE_ILLEGIBLE || field_row->state == SOHOA_VALUE_UNCERTAIN)
    return field_row->state;

  return value != NULL && value[0] != '\0' ? SOHOA_VALUE_FILLED : SOHOA_VALUE_EMPTY;
}

/* The mark at the end of a row: illegible or uncertain as marked, or the
 * confidence of a value OCR filled in and nobody confirmed yet. */
static void
update_mark (FieldRow *field_row)
{
  g_autofree char *confidence = NULL;
  g_autofree char *description = NULL;
  const char *label = NULL;
  const char *tooltip = NULL;

  gtk_widget_remove_css_class (field_row->row, "illegible");
  gtk_widget_remove_css_class (field_row->row, "uncertain");
  gtk_widget_remove_css_class (field_row->row, "autofilled");
  gtk_widget_remove_css_class (field_row->row, "low-confidence");
  gtk_widget_remove_css_class (field_row->mark, "low-confidence");

  if (field_row->state == SOHOA_VALUE_ILLEGIBLE)
    {
      label = _("Illegible");
      tooltip = _("Marked illegible: the page cannot be read here (Ctrl+I to undo the mark)");
      gtk_widget_add_css_class (field_row->row, "illegible");
    }
  else if (field_row->state == SOHOA_VALUE_UNCERTAIN)
    {
      label = _("Uncertain");
      tooltip = _("Marked uncertain: keyed as best read, to be checked (Ctrl+U to undo the mark)");
      gtk_widget_add_css_class (field_row->row, "uncertain");
    }
  else if (field_row->confidence >= 0)
    {
      gboolean low = field_row->confidence < LOW_CONFIDENCE;

      /* Translators: the OCR confidence of an auto-filled value, e.g. "OCR 72%" */
      confidence = g_strdup_printf (_("OCR %d%%"), (int) (field_row->confidence + 0.5));
      label = confidence;
      tooltip = low ? _("Filled from the page by OCR, which was unsure: check it against the page. "
                        "Press Enter to confirm or type the right value.")
                    : _("Filled from the page by OCR. Press Enter to confirm or type the right value.");
      gtk_widget_add_css_class (field_row->row, "autofilled");
      if (low)
        {
          gtk_widget_add_css_class (field_row->row, "low-confidence");
          gtk_widget_add_css_class (field_row->mark, "low-confidence");
        }
    }

  gtk_widget_set_visible (field_row->mark, label != NULL);
  gtk_label_set_label (GTK_LABEL (field_row->mark), label ? label : "");
  gtk_widget_set_tooltip_text (field_row->mark, tooltip);

  /* Screen readers hear the mark with the field. */
  description = label ? g_strdup_printf ("%s. %s", label, field_row->field->help ? field_row->field->help : "")
                      : g_strdup (field_row->field->help ? field_row->field->help : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (field_row->row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
apply_editable (SohoaRecordForm *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      if (ADW_IS_COMBO_ROW (field_row->row))
        gtk_widget_set_sensitive (field_row->row, self->editable);
      else
        gtk_editable_set_editable (GTK_EDITABLE (field_row->row), self->editable);
    }

  if (self->editable)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read-only");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "read-only");

  adw_preferences_group_set_description (self->group,
                                         self->editable || self->record_id == 0
                                         ? NULL
                                         : _("The records of a batch cannot be changed once "
                                             "it has been sent for approval."));
}

/* Hands what is pending to the writer thread; returns at once. */
static void
queue_pending (SohoaRecordForm *self)
{
  GHashTableIter iter;
  const char *key;
  const char *value;

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->record_id == 0 || self->writer == NULL)
    return;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    {
      FieldRow *field_row = find_row_by_key (self, key);
      g_autofree char *normalized = sohoa_text_normalize (value);

      sohoa_field_writer_set_field (self->writer,
                                    sohoa_context_get_user (self->context),
                                    self->record_id,
                                    key,
                                    normalized,
                                    field_row ? effective_state (field_row, normalized) : SOHOA_VALUE_FILLED);
      g_hash_table_iter_remove (&iter);
    }
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  SohoaRecordForm *self = user_data;

  self->save_source = 0;
  queue_pending (self);

  return G_SOURCE_REMOVE;
}

static void
mark_pending (SohoaRecordForm *self,
              FieldRow        *field_row)
{
  g_hash_table_replace (self->pending,
                        g_strdup (field_row->field->key),
                        dup_row_value (field_row));

  /* Not restarted by further keys: saved SAVE_DELAY_MS after the first. */
  if (self->save_source == 0)
    self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
writer_failed_cb (SohoaRecordForm  *self,
                  gint64            record_id,
                  const char       *key,
                  const GError     *error,
                  SohoaFieldWriter *writer)
{
  g_signal_emit (self, signals[SAVE_FAILED], 0, error);
}

/* The row's title, with the problem after the label so the clerk reads it
 * without reaching for the mouse. */
static void
update_title (FieldRow     *field_row,
              const char   *problem)
{
  g_autofree char *title = NULL;

  /* Translators: the label of a field the clerk must fill in */
  title = field_row->field->required ? g_strdup_printf (_("%s *"), field_row->field->label)
                                     : g_strdup (field_row->field->label);
  if (problem != NULL)
    {
      g_autofree char *with_problem = NULL;

      /* Translators: a field's label and what is wrong with its value */
      with_problem = g_strdup_printf (_("%s — %s"), title, problem);
      g_free (title);
      title = g_steal_pointer (&with_problem);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field_row->row), title);
}

/* Checks the values as they are in the form and shows, on each row, the
 * worst problem: an icon with the message as its tooltip.  An empty field
 * is only called required once the clerk has been in it; a field marked
 * illegible has no problem to show (it is not missing). */
static void
show_problems (SohoaRecordForm *self,
               GtkWidget       *changed_row)
{
  SohoaValidator *validator = sohoa_context_get_validator (self->context);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (validator == NULL || self->schema == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      if (field_row->state != SOHOA_VALUE_ILLEGIBLE)
        g_hash_table_insert (values, (gpointer) field_row->field->key, dup_row_value (field_row));
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);
      const char *value = g_hash_table_lookup (values, field_row->field->key);
      g_autoptr(GPtrArray) problems = NULL;
      SohoaProblem *worst = NULL;

      gtk_widget_remove_css_class (field_row->row, "error");
      gtk_widget_remove_css_class (field_row->row, "warning");

      if (field_row->state == SOHOA_VALUE_ILLEGIBLE ||
          ((value == NULL || *value == '\0') && field_row->row != changed_row))
        {
          gtk_widget_set_visible (field_row->problem, FALSE);
          gtk_accessible_reset_property (GTK_ACCESSIBLE (field_row->problem), GTK_ACCESSIBLE_PROPERTY_LABEL);
          gtk_widget_set_tooltip_text (field_row->problem, NULL);
          update_title (field_row, NULL);
          continue;
        }

      problems = sohoa_validator_check_field (validator, self->schema, field_row->field->key, values);
      for (guint j = 0; j < problems->len; j++)
        {
          SohoaProblem *problem = g_ptr_array_index (problems, j);
          if (worst == NULL || problem->severity > worst->severity)
            worst = problem;
        }

      gtk_widget_set_visible (field_row->problem, worst != NULL);
      if (worst == NULL)
        {
          /* Hidden widgets stay in the accessible tree: no stale message. */
          gtk_accessible_reset_property (GTK_ACCESSIBLE (field_row->problem), GTK_ACCESSIBLE_PROPERTY_LABEL);
          gtk_widget_set_tooltip_text (field_row->problem, NULL);
          update_title (field_row, NULL);
        }
      else
        {
          gboolean error = worst->severity == SOHOA_PROBLEM_ERROR;

          gtk_image_set_from_icon_name (GTK_IMAGE (field_row->problem),
                                        error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
          gtk_widget_set_tooltip_text (field_row->problem, worst->message);
          gtk_accessible_update_property (GTK_ACCESSIBLE (field_row->problem),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, worst->message, -1);
          gtk_widget_add_css_class (field_row->row, error ? "error" : "warning");
          update_title (field_row, worst->message);
        }
    }
}

/* Undo ------------------------------------------------------------------- */

static void
push_undo (SohoaRecordForm *self,
           FieldRow        *field_row,
           const char      *new_value,
           SohoaValueState  new_state,
           gboolean         typing)
{
  UndoStep *top = self->undo->len > 0 ? &g_array_index (self->undo, UndoStep, self->undo->len - 1) : NULL;
  UndoStep step;

  g_array_set_size (self->redo, 0);

  /* Keys typed one after the other in one field are one step. */
  if (typing && self->coalesce && top != NULL && g_str_equal (top->key, field_row->field->key))
    {
      g_free (top->new_value);
      top->new_value = g_strdup (new_value);
      top->new_state = new_state;
      return;
    }

  step.key = g_strdup (field_row->field->key);
  step.old_value = g_strdup (field_row->value ? field_row->value : "");
  step.new_value = g_strdup (new_value);
  step.old_state = field_row->state;
  step.new_state = new_state;
  g_array_append_val (self->undo, step);
  self->coalesce = typing;
}

static void
apply_step (SohoaRecordForm *self,
            UndoStep        *step,
            gboolean         forward)
{
  FieldRow *field_row = find_row_by_key (self, step->key);
  const char *value = forward ? step->new_value : step->old_value;

  if (field_row == NULL)
    return;

  self->loading = TRUE;
  set_row_value (field_row, value);
  self->loading = FALSE;

  g_free (field_row->value);
  field_row->value = g_strdup (value);
  field_row->state = forward ? step->new_state : step->old_state;
  field_row->confidence = -1;
  update_mark (field_row);
  mark_pending (self, field_row);
  show_problems (self, field_row->row);

  self->coalesce = FALSE;
  gtk_widget_grab_focus (field_row->row);
}

static void
move_step (SohoaRecordForm *self,
           GArray          *from,
           GArray          *to,
           gboolean         forward)
{
  UndoStep step;

  if (!self->editable || self->record_id == 0 || from->len == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  step = g_array_index (from, UndoStep, from->len - 1);
  /* Move ownership of the strings: no clear func runs on this removal. */
  g_array_set_clear_func (from, NULL);
  g_array_remove_index (from, from->len - 1);
  g_array_set_clear_func (from, undo_step_clear);

  g_array_append_val (to, step);
  apply_step (self, &g_array_index (to, UndoStep, to->len - 1), forward);
}

/* Callbacks -------------------------------------------------------------- */

static void
row_changed (SohoaRecordForm *self,
             GtkWidget       *row)
{
  FieldRow *field_row;
  g_autofree char *value = NULL;

  if (self->loading || self->record_id == 0 || !(field_row = find_row (self, row)))
    return;

  value = dup_row_value (field_row);
  if (g_strcmp0 (value, field_row->value) == 0)
    return;

  push_undo (self, field_row, value, field_row->state, TRUE);
  g_free (field_row->value);
  field_row->value = g_steal_pointer (&value);

  /* Typed over: the value is the clerk's now. */
  if (field_row->confidence >= 0)
    {
      field_row->confidence = -1;
      update_mark (field_row);
    }

  mark_pending (self, field_row);
  show_problems (self, row);
}

static void
entry_row_changed_cb (SohoaRecordForm *self,
                      GtkEditable     *editable)
{
  row_changed (self, GTK_WIDGET (editable));
}

static void
combo_row_selected_cb (SohoaRecordForm *self,
                       GParamSpec      *pspec,
                       AdwComboRow     *row)
{
  row_changed (self, GTK_WIDGET (row));
}

/* An auto-filled value the clerk passed over with Enter or Tab is
 * confirmed: saved as the clerk's, and no longer marked. */
static void
confirm_row (SohoaRecordForm *self,
             FieldRow        *field_row)
{
  if (field_row->confidence < 0 || !self->editable)
    return;

  field_row->confidence = -1;
  update_mark (field_row);
  mark_pending (self, field_row);
}

static void
entry_row_activated_cb (SohoaRecordForm *self,
                        AdwEntryRow     *row)
{
  /* Enter moves to the next field, as Tab does: the clerk's hands stay on
   * the keys. */
  for (guint i = 0; i + 1 < self->rows->len; i++)
    {
      if (g_array_index (self->rows, FieldRow, i).row == GTK_WIDGET (row))
        {
          gtk_widget_grab_focus (g_array_index (self->rows, FieldRow, i + 1).row);
          break;
        }
    }
}

static void
row_focus_enter_cb (SohoaRecordForm         *self,
                    GtkEventControllerFocus *controller)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  FieldRow *field_row = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    if (g_array_index (self->rows, FieldRow, i).row == row)
      {
        self->focused = i;
        field_row = &g_array_index (self->rows, FieldRow, i);
      }

  if (field_row == NULL)
    return;

  self->coalesce = FALSE;
  g_signal_emit (self, signals[FIELD_FOCUSED], 0,
                 field_row->field->key,
                 field_row->box_page,
                 field_row->box_page > 0 ? &field_row->box : NULL);
}

static void
row_focus_leave_cb (SohoaRecordForm         *self,
                    GtkEventControllerFocus *controller)
{
  FieldRow *field_row = find_row (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));

  if (field_row != NULL)
    confirm_row (self, field_row);
}

static void
focus_leave_cb (SohoaRecordForm          *self,
                GtkEventControllerFocus  *controller)
{
  queue_pending (self);
}

static FieldRow *
get_focused_row (SohoaRecordForm *self)
{
  if (self->focused < 0 || (guint) self->focused >= self->rows->len)
    return NULL;

  return &g_array_index (self->rows, FieldRow, self->focused);
}

static void
toggle_state (SohoaRecordForm *self,
              SohoaValueState  state)
{
  FieldRow *field_row = get_focused_row (self);
  g_autofree char *value = NULL;
  SohoaValueState new_state;

  if (field_row == NULL || !self->editable || self->record_id == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  value = dup_row_value (field_row);
  new_state = field_row->state == state ? effective_state (&(FieldRow) { .state = SOHOA_VALUE_FILLED }, value)
                                        : state;

  push_undo (self, field_row, value, new_state, FALSE);
  field_row->state = new_state;
  field_row->confidence = -1;
  update_mark (field_row);
  mark_pending (self, field_row);
  show_problems (self, field_row->row);
}

static void
mark_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  toggle_state (SOHOA_RECORD_FORM (widget),
                g_str_equal (action_name, "form.mark-illegible") ? SOHOA_VALUE_ILLEGIBLE
                                                                 : SOHOA_VALUE_UNCERTAIN);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SohoaRecordForm *self = SOHOA_RECORD_FORM (widget);

  if (g_str_equal (action_name, "form.undo"))
    move_step (self, self->undo, self->redo, FALSE);
  else
    move_step (self, self->redo, self->undo, TRUE);
}

static void
next_check_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sohoa_record_form_focus_next_flagged (SOHOA_RECORD_FORM (widget));
}

/* Auto-fill ---------------------------------------------------------------
 *
 * When a record is opened that OCR has not filled yet, its pages' words are
 * read on a worker thread (its own database connection) and the values
 * found go into the fields still empty, each with its confidence and the
 * region it was read from.  The clerk confirms or fixes them. */

typedef struct
{
  SohoaStore  *store;
  SohoaSchema *schema;
  SohoaUser   *user;
  gint64       record_id;     /* 0: find or create the record of document_id */
  gint64       document_id;
} AutofillRequest;

static void
autofill_request_free (gpointer data)
{
  AutofillRequest *request = data;

  g_clear_object (&request->store);
  g_clear_object (&request->schema);
  g_clear_object (&request->user);
  g_free (request);
}

/* Runs auto-fill on the record unless OCR filled it already, keeps where
 * each value was read, and returns the record's stored values (those of an
 * auto-fill that ran meanwhile for the same record included). */
static GHashTable *
autofill_record (SohoaStore       *store,
                 AutofillRequest  *request,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GHashTableIter iter;
  SohoaFieldValue *value;
  gint64 record_id = request->record_id;

  if (record_id <= 0 &&
      (record_id = sohoa_store_ensure_record (store, request->document_id,
                                              sohoa_schema_get_id (request->schema),
                                              sohoa_schema_get_version (request->schema),
                                              error)) <= 0)
    return NULL;

  if (!(values = sohoa_store_get_field_values (store, record_id, error)))
    return NULL;

  /* Once OCR has filled a record, what the clerk emptied stays empty. */
  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &value))
    if (value->from_ocr)
      return g_steal_pointer (&values);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !(found = sohoa_autofill_record (store, request->schema, request->user, record_id, error)))
    return NULL;

  for (guint i = 0; i < found->len; i++)
    {
      const SohoaAutofillValue *filled = g_ptr_array_index (found, i);

      if (filled->stored && filled->page_id > 0 && filled->width > 0 &&
          !sohoa_store_set_field_source (store, record_id, filled->key, filled->page_id,
                                         filled->x, filled->y, filled->width, filled->height, error))
        return NULL;
    }

  g_clear_pointer (&values, g_hash_table_unref);
  return sohoa_store_get_field_values (store, record_id, error);
}

static void
autofill_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AutofillRequest *request = task_data;
  g_autoptr(SohoaStore) store = NULL;
  GError *error = NULL;
  GHashTable *values;

  /* A connection of its own: the main one belongs to the main thread. */
  if (!(store = sohoa_store_dup (request->store, &error)) ||
      !(values = autofill_record (store, request, cancellable, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, values, (GDestroyNotify) g_hash_table_unref);
}

static void
autofill_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SohoaRecordForm *self = SOHOA_RECORD_FORM (object);
  AutofillRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  gboolean refocus = FALSE;

  values = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || request->record_id != self->record_id)
    return;

  self->autofilling = FALSE;
  if (values == NULL)
    {
      /* The clerk keys the record as if there were no OCR; nothing is
       * lost, so this is a note for the log, not an alarm. */
      g_message ("Auto-fill failed for record %lld: %s", (long long) request->record_id, error->message);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);
      const SohoaFieldValue *value = g_hash_table_lookup (values, field_row->field->key);
      g_autofree char *shown = NULL;

      if (value == NULL)
        continue;

      /* Where it is on the page, for the highlight. */
      if (field_row->box_page == 0 && value->box_page > 0)
        {
          field_row->box_page = value->box_page;
          field_row->box = GRAPHENE_RECT_INIT (value->box_x, value->box_y, value->box_width, value->box_height);
          refocus |= field_row == get_focused_row (self);
        }

      shown = dup_row_value (field_row);
      if (!value->from_ocr || shown[0] != '\0' || field_row->state != SOHOA_VALUE_EMPTY ||
          g_hash_table_contains (self->pending, field_row->field->key))
        continue;

      self->loading = TRUE;
      set_row_value (field_row, value->value);
      self->loading = FALSE;
      g_free (field_row->value);
      field_row->value = dup_row_value (field_row);
      field_row->state = SOHOA_VALUE_FILLED;
      field_row->confidence = value->confidence;
      update_mark (field_row);
    }

  show_problems (self, NULL);

  if (refocus)
    {
      FieldRow *field_row = get_focused_row (self);

      if (field_row != NULL)
        g_signal_emit (self, signals[FIELD_FOCUSED], 0, field_row->field->key,
                       field_row->box_page, field_row->box_page > 0 ? &field_row->box : NULL);
    }
}

static AutofillRequest *
new_autofill_request (SohoaRecordForm *self,
                      SohoaSchema     *schema,
                      gint64           record_id,
                      gint64           document_id)
{
  AutofillRequest *request = g_new0 (AutofillRequest, 1);

  request->store = g_object_ref (sohoa_context_get_store (self->context));
  request->schema = g_object_ref (schema);
  request->user = g_object_ref (sohoa_context_get_user (self->context));
  request->record_id = record_id;
  request->document_id = document_id;

  return request;
}

static void
start_autofill (SohoaRecordForm *self,
                GHashTable      *values)
{
  g_autoptr(GTask) task = NULL;
  GHashTableIter iter;
  SohoaFieldValue *value;

  g_cancellable_cancel (self->autofill_cancellable);
  g_clear_object (&self->autofill_cancellable);
  self->autofilling = FALSE;

  if (!self->editable)
    return;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &value))
    if (value->from_ocr)
      return;

  self->autofill_cancellable = g_cancellable_new ();
  self->autofilling = TRUE;
  task = g_task_new (self, self->autofill_cancellable, autofill_cb, NULL);
  g_task_set_source_tag (task, start_autofill);
  g_task_set_task_data (task, new_autofill_request (self, self->schema, self->record_id, 0), autofill_request_free);
  g_task_run_in_thread (task, autofill_thread);
}

static void
prefill_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;

  values = g_task_propagate_pointer (G_TASK (result), &error);
  if (values == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not auto-fill ahead: %s", error->message);
}

/* Rows ------------------------------------------------------------------- */

static char *
dup_field_tooltip (const SohoaSchemaField *field)
{
  GString *tooltip = g_string_new (field->help);

  if (field->sensitive)
    {
      if (tooltip->len > 0)
        g_string_append (tooltip, "\n\n");
      g_string_append (tooltip, _("Sensitive personal information: it is recorded in the audit "
                                  "log whenever it is viewed."));
    }

  return g_string_free (tooltip, tooltip->len == 0);
}

static GtkWidget *
create_sensitive_marker (void)
{
  GtkWidget *image = gtk_image_new_from_icon_name ("security-high-symbolic");

  gtk_widget_add_css_class (image, "sensitive-marker");
  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (image, _("Sensitive personal information"));

  return image;
}

static GtkWidget *
create_combo_row (SohoaRecordForm        *self,
                  const SohoaSchemaField *field)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  GtkWidget *row;

  gtk_string_list_append (items, _("Not Filled In"));
  for (guint i = 0; field->codes != NULL && i < field->codes->len; i++)
    {
      const SohoaSchemaCode *code = g_ptr_array_index (field->codes, i);
      g_autofree char *item = NULL;

      /* Translators: a code-list entry in a form, e.g. "1 — Registered on time" */
      item = g_strdup_printf (_("%s — %s"), code->code, code->label);
      gtk_string_list_append (items, item);
    }

  row = adw_combo_row_new ();
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
  if (field->sensitive)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_sensitive_marker ());

  g_signal_connect_object (row, "notify::selected",
                           G_CALLBACK (combo_row_selected_cb), self,
                           G_CONNECT_SWAPPED);

  return row;
}

static GtkWidget *
create_entry_row (SohoaRecordForm        *self,
                  const SohoaSchemaField *field)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  switch (field->type)
    {
    case SOHOA_FIELD_NUMBER:
    case SOHOA_FIELD_CCCD:
    case SOHOA_FIELD_CMND:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      break;

    case SOHOA_FIELD_PERSON_NAME:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NAME);
      adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row), GTK_INPUT_HINT_UPPERCASE_WORDS);
      break;

    case SOHOA_FIELD_TEXT:
    case SOHOA_FIELD_DATE:
    case SOHOA_FIELD_CODE:
    case SOHOA_FIELD_HCMC_UNIT:
    case SOHOA_FIELD_DOC_NUMBER:
    default:
      break;
    }

  if (field->max_length > 0 && GTK_IS_TEXT (delegate))
    gtk_text_set_max_length (GTK_TEXT (delegate), (int) field->max_length);

  /* Undo is the form's, across fields (Ctrl+Z); the entry's own would
   * undo behind its back. */
  gtk_editable_set_enable_undo (GTK_EDITABLE (row), FALSE);

  if (field->sensitive)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), create_sensitive_marker ());

  g_signal_connect_object (row, "changed",
                           G_CALLBACK (entry_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "entry-activated",
                           G_CALLBACK (entry_row_activated_cb), self,
                           G_CONNECT_SWAPPED);

  return row;
}

static void
remove_rows (SohoaRecordForm *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      adw_preferences_group_remove (self->group, field_row->row);
    }

  g_array_set_size (self->rows, 0);
  self->focused = -1;
}

static void
add_suffix (GtkWidget *row,
            GtkWidget *suffix)
{
  if (ADW_IS_ENTRY_ROW (row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), suffix);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
}

static void
create_rows (SohoaRecordForm *self)
{
  guint n_fields = sohoa_schema_get_n_fields (self->schema);
  g_autofree char *title = NULL;

  /* The group's title is markup; a schema's title is plain text. */
  title = g_markup_escape_text (sohoa_schema_get_title (self->schema), -1);
  adw_preferences_group_set_title (self->group, title);

  for (guint i = 0; i < n_fields; i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (self->schema, i);
      g_autofree char *row_title = NULL;
      g_autofree char *tooltip = NULL;
      GtkEventController *focus;
      FieldRow field_row = { 0 };

      if (field->type == SOHOA_FIELD_CODE && field->codes != NULL && field->codes->len > 0)
        field_row.row = create_combo_row (self, field);
      else
        field_row.row = create_entry_row (self, field);
      field_row.field = field;
      field_row.confidence = -1;

      /* Translators: the label of a field the clerk must fill in */
      row_title = field->required ? g_strdup_printf (_("%s *"), field->label) : g_strdup (field->label);
      tooltip = dup_field_tooltip (field);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field_row.row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field_row.row), row_title);
      gtk_widget_set_tooltip_text (field_row.row, tooltip);
      gtk_widget_set_name (field_row.row, field->key);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field_row.row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, field->label,
                                      GTK_ACCESSIBLE_PROPERTY_REQUIRED, field->required,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, field->help ? field->help : "",
                                      -1);
      if (field->critical)
        gtk_widget_add_css_class (field_row.row, "critical");

      field_row.mark = gtk_label_new (NULL);
      gtk_widget_set_visible (field_row.mark, FALSE);
      gtk_widget_set_valign (field_row.mark, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (field_row.mark, "field-mark");
      gtk_widget_add_css_class (field_row.mark, "caption");
      add_suffix (field_row.row, field_row.mark);

      field_row.problem = gtk_image_new ();
      gtk_widget_set_visible (field_row.problem, FALSE);
      gtk_widget_add_css_class (field_row.problem, "field-problem");
      add_suffix (field_row.row, field_row.problem);

      focus = gtk_event_controller_focus_new ();
      g_signal_connect_object (focus, "enter", G_CALLBACK (row_focus_enter_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (focus, "leave", G_CALLBACK (row_focus_leave_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_add_controller (field_row.row, focus);

      adw_preferences_group_add (self->group, field_row.row);
      g_array_append_val (self->rows, field_row);
    }
}

/* GObject ---------------------------------------------------------------- */

static void
sohoa_record_form_dispose (GObject *object)
{
  SohoaRecordForm *self = (SohoaRecordForm *) object;

  /* Never lose what was typed, even when the window closes mid-word. */
  if (self->rows != NULL)
    {
      queue_pending (self);
      if (self->writer != NULL)
        sohoa_field_writer_flush (self->writer);
    }

  g_clear_handle_id (&self->save_source, g_source_remove);
  g_cancellable_cancel (self->autofill_cancellable);
  g_clear_object (&self->autofill_cancellable);
  g_cancellable_cancel (self->prefill_cancellable);
  g_clear_object (&self->prefill_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_RECORD_FORM);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->undo, g_array_unref);
  g_clear_pointer (&self->redo, g_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  if (self->writer != NULL)
    g_signal_handlers_disconnect_by_data (self->writer, self);
  g_clear_object (&self->writer);
  g_clear_object (&self->schema);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_record_form_parent_class)->dispose (object);
}

static void
sohoa_record_form_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SohoaRecordForm *self = SOHOA_RECORD_FORM (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    case PROP_RECORD_ID:
      g_value_set_int64 (value, self->record_id);
      break;

    case PROP_SCHEMA:
      g_value_set_object (value, self->schema);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_record_form_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SohoaRecordForm *self = SOHOA_RECORD_FORM (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_EDITABLE:
      sohoa_record_form_set_editable (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_record_form_class_init (SohoaRecordFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_record_form_dispose;
  object_class->get_property = sohoa_record_form_get_property;
  object_class->set_property = sohoa_record_form_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RECORD_ID] =
    g_param_spec_int64 ("record-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SCHEMA] =
    g_param_spec_object ("schema", NULL, NULL,
                         SOHOA_TYPE_SCHEMA,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaRecordForm::field-focused:
   * @key: the field that has the focus now
   * @page_id: the page its value was read from, or 0
   * @box: (nullable) (type Graphene.Rect): where on that page, in image pixels
   */
  signals[FIELD_FOCUSED] =
    g_signal_new ("field-focused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, GRAPHENE_TYPE_RECT);

  /**
   * SohoaRecordForm::save-failed:
   * @error: why the store refused the values
   *
   * Emitted when a value typed into the form could not be saved by the
   * writer thread.  It stays in the form.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-record-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaRecordForm, group);

  gtk_widget_class_install_action (widget_class, "form.mark-illegible", NULL, mark_action);
  gtk_widget_class_install_action (widget_class, "form.mark-uncertain", NULL, mark_action);
  gtk_widget_class_install_action (widget_class, "form.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "form.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "form.next-check", NULL, next_check_action);

  gtk_widget_class_set_css_name (widget_class, "recordform");
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *triggers,
              const char            *action_name)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (triggers),
                                                          gtk_named_action_new (action_name)));
}

static void
sohoa_record_form_init (SohoaRecordForm *self)
{
  GtkEventController *focus;
  GtkShortcutController *shortcuts;

  self->editable = TRUE;
  self->focused = -1;
  self->rows = g_array_new (FALSE, TRUE, sizeof (FieldRow));
  g_array_set_clear_func (self->rows, field_row_clear);
  self->undo = g_array_new (FALSE, TRUE, sizeof (UndoStep));
  g_array_set_clear_func (self->undo, undo_step_clear);
  self->redo = g_array_new (FALSE, TRUE, sizeof (UndoStep));
  g_array_set_clear_func (self->redo, undo_step_clear);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  /* In the capture phase: the entries would take Ctrl+Z for their own
   * undo, and these keys belong to the record. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  add_shortcut (shortcuts, "<Control>i", "form.mark-illegible");
  add_shortcut (shortcuts, "<Control>u", "form.mark-uncertain");
  add_shortcut (shortcuts, "<Control>z", "form.undo");
  add_shortcut (shortcuts, "<Control><Shift>z|<Control>y", "form.redo");
  add_shortcut (shortcuts, "F7", "form.next-check");
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
}

/* Public API ------------------------------------------------------------- */

GtkWidget *
sohoa_record_form_new (SohoaContext *context)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  return g_object_new (SOHOA_TYPE_RECORD_FORM,
                       "context", context,
                       NULL);
}

SohoaContext *
sohoa_record_form_get_context (SohoaRecordForm *self)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), NULL);

  return self->context;
}

SohoaSchema *
sohoa_record_form_get_schema (SohoaRecordForm *self)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), NULL);

  return self->schema;
}

gint64
sohoa_record_form_get_record_id (SohoaRecordForm *self)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), 0);

  return self->record_id;
}

gboolean
sohoa_record_form_get_editable (SohoaRecordForm *self)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);

  return self->editable;
}

void
sohoa_record_form_set_editable (SohoaRecordForm *self,
                                gboolean         editable)
{
  g_return_if_fail (SOHOA_IS_RECORD_FORM (self));

  editable = !!editable;

  if (self->editable == editable)
    return;

  self->editable = editable;
  apply_editable (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

/**
 * sohoa_record_form_load:
 * @self: a #SohoaRecordForm
 * @schema: the schema of the document's batch
 * @document_id: the document whose record to show
 * @error: return location for a #GError
 *
 * Queues what is pending for the record shown now, then shows the record
 * of @document_id, creating it if the document has none yet.
 *
 * Returns: %TRUE if the record is shown
 */
gboolean
sohoa_record_form_load (SohoaRecordForm  *self,
                        SohoaSchema      *schema,
                        gint64            document_id,
                        GError          **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) shown_sensitive = g_ptr_array_new ();
  SohoaStore *store;
  gint64 record_id;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);
  g_return_val_if_fail (document_id > 0, FALSE);
  g_return_val_if_fail (self->context != NULL, FALSE);

  queue_pending (self);
  g_hash_table_remove_all (self->pending);

  store = sohoa_context_get_store (self->context);
  if (self->writer == NULL)
    {
      if (!(self->writer = sohoa_field_writer_new (store, error)))
        return FALSE;
      g_signal_connect_object (self->writer, "failed", G_CALLBACK (writer_failed_cb), self, G_CONNECT_SWAPPED);
    }

  /* Showing the same record again reads back what was queued for it, so
   * that must reach the store first (a few single-row transactions at
   * most).  Another record's values are not waited for: the writer has
   * its own connection and WAL lets this one read meanwhile. */
  if (document_id == self->document_id)
    sohoa_field_writer_flush (self->writer);

  record_id = sohoa_store_ensure_record (store,
                                         document_id,
                                         sohoa_schema_get_id (schema),
                                         sohoa_schema_get_version (schema),
                                         error);
  if (record_id <= 0)
    {
      sohoa_record_form_clear (self);
      return FALSE;
    }

  if (!(values = sohoa_store_get_field_values (store, record_id, error)))
    {
      sohoa_record_form_clear (self);
      return FALSE;
    }

  if (self->schema != schema)
    {
      remove_rows (self);
      g_set_object (&self->schema, schema);
      create_rows (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEMA]);
    }

  self->loading = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);
      const SohoaFieldValue *value = g_hash_table_lookup (values, field_row->field->key);

      set_row_value (field_row, value ? value->value : "");
      g_free (field_row->value);
      field_row->value = dup_row_value (field_row);
      field_row->state = value ? value->state : SOHOA_VALUE_EMPTY;
      field_row->confidence = value && value->from_ocr && value->confidence >= 0 ? value->confidence : -1;
      field_row->box_page = value ? value->box_page : 0;
      field_row->box = value && value->box_page > 0
                       ? GRAPHENE_RECT_INIT (value->box_x, value->box_y, value->box_width, value->box_height)
                       : GRAPHENE_RECT_INIT (0, 0, 0, 0);
      update_mark (field_row);

      if (field_row->field->sensitive && value && value->value[0] != '\0')
        g_ptr_array_add (shown_sensitive, field_row->field->key);
    }
  self->loading = FALSE;
  g_ptr_array_add (shown_sensitive, NULL);

  if (!sohoa_store_log_view (store, sohoa_context_get_user (self->context), record_id,
                             (const char * const *) shown_sensitive->pdata, error))
    {
      sohoa_record_form_clear (self);
      return FALSE;
    }

  if (self->record_id != record_id)
    {
      g_array_set_size (self->undo, 0);
      g_array_set_size (self->redo, 0);
      self->coalesce = FALSE;
    }

  self->record_id = record_id;
  self->document_id = document_id;
  show_problems (self, NULL);
  apply_editable (self);
  gtk_widget_set_visible (GTK_WIDGET (self->group), TRUE);
  if (sohoa_context_get_user (self->context) != NULL)
    start_autofill (self, values);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);

  return TRUE;
}

/**
 * sohoa_record_form_clear:
 * @self: a #SohoaRecordForm
 *
 * Queues what is pending and shows no record.
 */
void
sohoa_record_form_clear (SohoaRecordForm *self)
{
  g_return_if_fail (SOHOA_IS_RECORD_FORM (self));

  queue_pending (self);
  g_hash_table_remove_all (self->pending);

  if (self->record_id == 0)
    return;

  g_cancellable_cancel (self->autofill_cancellable);
  self->autofilling = FALSE;
  self->record_id = 0;
  g_array_set_size (self->undo, 0);
  g_array_set_size (self->redo, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->group), FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
}

/**
 * sohoa_record_form_save:
 * @self: a #SohoaRecordForm
 * @error: return location for a #GError
 *
 * Writes the values typed since the last save to the store, NFC-normalized,
 * and waits until the writer thread has them in the database: for the
 * moments that need the record complete (submit, close, next record).
 * A value the store refuses is reported with ::save-failed.
 *
 * Returns: %TRUE
 */
gboolean
sohoa_record_form_save (SohoaRecordForm  *self,
                        GError          **error)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);

  queue_pending (self);
  if (self->writer != NULL)
    sohoa_field_writer_flush (self->writer);

  return TRUE;
}

/**
 * sohoa_record_form_focus_first:
 * @self: a #SohoaRecordForm
 *
 * Puts the keyboard focus in the first field, ready for typing.
 */
void
sohoa_record_form_focus_first (SohoaRecordForm *self)
{
  g_return_if_fail (SOHOA_IS_RECORD_FORM (self));

  if (self->rows->len > 0)
    gtk_widget_grab_focus (g_array_index (self->rows, FieldRow, 0).row);
}

/**
 * sohoa_record_form_focus_next_flagged:
 * @self: a #SohoaRecordForm
 *
 * Moves the focus to the next field, after the focused one and round to
 * the first, that has a problem or an auto-filled value OCR was unsure of.
 *
 * Returns: %TRUE if there was one
 */
gboolean
sohoa_record_form_focus_next_flagged (SohoaRecordForm *self)
{
  guint n_rows;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);

  n_rows = self->rows->len;
  for (guint step = 1; self->record_id > 0 && step <= n_rows; step++)
    {
      guint i = (guint) (self->focused + (int) step + (int) n_rows) % n_rows;
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);

      if (gtk_widget_get_visible (field_row->problem) ||
          (field_row->confidence >= 0 && field_row->confidence < LOW_CONFIDENCE))
        {
          gtk_widget_grab_focus (field_row->row);
          return TRUE;
        }
    }

  gtk_widget_error_bell (GTK_WIDGET (self));
  return FALSE;
}

/**
 * sohoa_record_form_fill_focused:
 * @self: a #SohoaRecordForm
 * @text: the text to put in the field
 * @page_id: the page it was read from
 * @box: (nullable): where on the page, in image pixels
 *
 * Fills the field that has (or last had) the focus with @text picked from
 * the page, and remembers where it came from.  One undo step.
 *
 * Returns: %TRUE if a field took it
 */
gboolean
sohoa_record_form_fill_focused (SohoaRecordForm       *self,
                                const char            *text,
                                gint64                 page_id,
                                const graphene_rect_t *box)
{
  FieldRow *field_row;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!self->editable || self->record_id == 0 || !(field_row = get_focused_row (self)))
    return FALSE;

  self->coalesce = FALSE;
  if (ADW_IS_COMBO_ROW (field_row->row))
    set_row_value (field_row, text);
  else
    {
      g_autofree char *normalized = sohoa_text_normalize (text);

      gtk_editable_set_text (GTK_EDITABLE (field_row->row), normalized);
      gtk_editable_set_position (GTK_EDITABLE (field_row->row), -1);
    }
  self->coalesce = FALSE;

  if (box != NULL && page_id > 0 && self->writer != NULL)
    {
      field_row->box_page = page_id;
      field_row->box = *box;
      sohoa_field_writer_set_source (self->writer, self->record_id, field_row->field->key, page_id,
                                     (int) box->origin.x, (int) box->origin.y,
                                     (int) box->size.width, (int) box->size.height);
    }

  gtk_widget_grab_focus (field_row->row);
  return TRUE;
}

/**
 * sohoa_record_form_get_field_state:
 *
 * The state the focused or any field would be stored with now, for tests
 * and the window.
 */
SohoaValueState
sohoa_record_form_get_field_state (SohoaRecordForm *self,
                                   const char      *key)
{
  FieldRow *field_row;
  g_autofree char *value = NULL;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), SOHOA_VALUE_EMPTY);
  g_return_val_if_fail (key != NULL, SOHOA_VALUE_EMPTY);

  if (!(field_row = find_row_by_key (self, key)))
    return SOHOA_VALUE_EMPTY;

  value = dup_row_value (field_row);
  return effective_state (field_row, value);
}

/**
 * sohoa_record_form_get_autofilling:
 *
 * Whether auto-fill is still reading the record's pages.
 */
gboolean
sohoa_record_form_get_autofilling (SohoaRecordForm *self)
{
  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);

  return self->autofilling;
}

/**
 * sohoa_record_form_prefill:
 * @self: a #SohoaRecordForm
 * @schema: the schema of the document's batch
 * @document_id: a document whose record the clerk will likely open next
 *
 * Runs auto-fill for that record on a worker thread now, while the clerk
 * keys the current one, so opening it later is immediate.  Only fields
 * still empty are filled, as when the record is opened.
 */
void
sohoa_record_form_prefill (SohoaRecordForm *self,
                           SohoaSchema     *schema,
                           gint64           document_id)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_RECORD_FORM (self));
  g_return_if_fail (SOHOA_IS_SCHEMA (schema));

  if (!self->editable || document_id <= 0 || document_id == self->document_id ||
      sohoa_context_get_user (self->context) == NULL)
    return;

  g_cancellable_cancel (self->prefill_cancellable);
  g_clear_object (&self->prefill_cancellable);
  self->prefill_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->prefill_cancellable, prefill_cb, NULL);
  g_task_set_source_tag (task, sohoa_record_form_prefill);
  g_task_set_task_data (task, new_autofill_request (self, schema, 0, document_id), autofill_request_free);
  g_task_run_in_thread (task, autofill_thread);
}
