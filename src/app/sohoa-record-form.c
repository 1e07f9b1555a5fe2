/* sohoa-record-form.c
 *
 * The form beside the page: one row per schema field, built from the
 * schema.  What the clerk types is saved as typed — half a second after the
 * last key, when focus leaves the form and before another record is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-record-form"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-record-form.h"

#define SAVE_DELAY_MS 500

typedef struct
{
  const SohoaSchemaField *field;  /* borrowed from the schema */
  GtkWidget              *row;    /* AdwEntryRow or AdwComboRow, owned by the group */
  GtkWidget              *problem; /* suffix icon, shown when the value has a problem */
} FieldRow;

struct _SohoaRecordForm
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwPreferencesGroup *group;

  /* owned */
  SohoaContext        *context;
  SohoaSchema         *schema;
  GArray              *rows;      /* FieldRow */
  GHashTable          *pending;   /* field key → value typed but not yet saved */

  /* state */
  gint64               record_id;
  guint                save_source;
  guint                editable : 1;
  guint                loading : 1;
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
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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
        g_warning ("Field %s holds %s, which is not in its code list",
                   field_row->field->key, value);

      adw_combo_row_set_selected (ADW_COMBO_ROW (field_row->row), selected);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (field_row->row), value);
    }
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

static gboolean
save_timeout_cb (gpointer user_data)
{
  SohoaRecordForm *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;

  if (!sohoa_record_form_save (self, &error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);

  return G_SOURCE_REMOVE;
}

/* Checks the values as they are in the form and shows, on each row, the
 * worst problem: an icon with the message as its tooltip.  An empty field
 * is only called required once the clerk has been in it. */
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
      g_hash_table_insert (values, (gpointer) field_row->field->key, dup_row_value (field_row));
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *field_row = &g_array_index (self->rows, FieldRow, i);
      const char *value = g_hash_table_lookup (values, field_row->field->key);
      g_autoptr(GPtrArray) problems = NULL;
      SohoaProblem *worst = NULL;

      if ((value == NULL || *value == '\0') && field_row->row != changed_row)
        {
          gtk_widget_set_visible (field_row->problem, FALSE);
          gtk_widget_remove_css_class (field_row->row, "error");
          gtk_widget_remove_css_class (field_row->row, "warning");
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
      gtk_widget_remove_css_class (field_row->row, "error");
      gtk_widget_remove_css_class (field_row->row, "warning");
      if (worst != NULL)
        {
          gboolean error = worst->severity == SOHOA_PROBLEM_ERROR;

          gtk_image_set_from_icon_name (GTK_IMAGE (field_row->problem),
                                        error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
          gtk_widget_set_tooltip_text (field_row->problem, worst->message);
          gtk_accessible_update_property (GTK_ACCESSIBLE (field_row->problem),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, worst->message, -1);
          gtk_widget_add_css_class (field_row->row, error ? "error" : "warning");
        }
    }
}

static void
row_changed (SohoaRecordForm *self,
             GtkWidget       *row)
{
  FieldRow *field_row;

  if (self->loading || self->record_id == 0 || !(field_row = find_row (self, row)))
    return;

  g_hash_table_replace (self->pending,
                        g_strdup (field_row->field->key),
                        dup_row_value (field_row));
  show_problems (self, row);

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
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
focus_leave_cb (SohoaRecordForm          *self,
                GtkEventControllerFocus  *controller)
{
  save_timeout_cb (self);
}

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
      FieldRow field_row;

      if (field->type == SOHOA_FIELD_CODE && field->codes != NULL && field->codes->len > 0)
        field_row.row = create_combo_row (self, field);
      else
        field_row.row = create_entry_row (self, field);
      field_row.field = field;

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

      field_row.problem = gtk_image_new ();
      gtk_widget_set_visible (field_row.problem, FALSE);
      gtk_widget_add_css_class (field_row.problem, "field-problem");
      if (ADW_IS_ENTRY_ROW (field_row.row))
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (field_row.row), field_row.problem);
      else
        adw_action_row_add_suffix (ADW_ACTION_ROW (field_row.row), field_row.problem);

      adw_preferences_group_add (self->group, field_row.row);
      g_array_append_val (self->rows, field_row);
    }
}

static void
sohoa_record_form_dispose (GObject *object)
{
  SohoaRecordForm *self = (SohoaRecordForm *) object;
  g_autoptr(GError) error = NULL;

  /* Never lose what was typed, even when the window closes mid-word. */
  if (self->context != NULL && !sohoa_record_form_save (self, &error))
    g_warning ("Could not save record %" G_GINT64_FORMAT ": %s",
               self->record_id, error->message);

  g_clear_handle_id (&self->save_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_RECORD_FORM);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
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
   * SohoaRecordForm::save-failed:
   * @error: why the store refused the values
   *
   * Emitted when values typed into the form could not be saved on their
   * own (after the typing pause or when focus left the form).  They stay
   * in the form and are tried again on the next change.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/sohoa/Sohoa/sohoa-record-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaRecordForm, group);

  gtk_widget_class_set_css_name (widget_class, "recordform");
}

static void
sohoa_record_form_init (SohoaRecordForm *self)
{
  GtkEventController *focus;

  self->editable = TRUE;
  self->rows = g_array_new (FALSE, FALSE, sizeof (FieldRow));
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

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
 * Saves what is pending for the record shown now, then shows the record of
 * @document_id, creating it if the document has none yet.
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
  g_autoptr(GError) save_error = NULL;
  g_autoptr(GPtrArray) shown_sensitive = g_ptr_array_new ();
  SohoaStore *store;
  gint64 record_id;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);
  g_return_val_if_fail (document_id > 0, FALSE);
  g_return_val_if_fail (self->context != NULL, FALSE);

  if (!sohoa_record_form_save (self, &save_error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, save_error);
  g_hash_table_remove_all (self->pending);

  store = sohoa_context_get_store (self->context);
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

  if (!(values = sohoa_store_get_fields (store, record_id, error)))
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
      const char *value = g_hash_table_lookup (values, field_row->field->key);

      set_row_value (field_row, value);
      if (field_row->field->sensitive && value && *value)
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

  self->record_id = record_id;
  show_problems (self, NULL);
  apply_editable (self);
  gtk_widget_set_visible (GTK_WIDGET (self->group), TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);

  return TRUE;
}

/**
 * sohoa_record_form_clear:
 * @self: a #SohoaRecordForm
 *
 * Saves what is pending and shows no record.
 */
void
sohoa_record_form_clear (SohoaRecordForm *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SOHOA_IS_RECORD_FORM (self));

  if (!sohoa_record_form_save (self, &error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);
  g_hash_table_remove_all (self->pending);

  if (self->record_id == 0)
    return;

  self->record_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->group), FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
}

/**
 * sohoa_record_form_save:
 * @self: a #SohoaRecordForm
 * @error: return location for a #GError
 *
 * Writes the values typed since the last save to the store, NFC-normalized.
 * Values the store refuses stay pending.
 *
 * Returns: %TRUE if nothing is left unsaved
 */
gboolean
sohoa_record_form_save (SohoaRecordForm  *self,
                        GError          **error)
{
  GHashTableIter iter;
  const char *key;
  const char *value;
  SohoaStore *store;
  SohoaUser *user;

  g_return_val_if_fail (SOHOA_IS_RECORD_FORM (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->record_id == 0 || g_hash_table_size (self->pending) == 0)
    return TRUE;

  store = sohoa_context_get_store (self->context);
  user = sohoa_context_get_user (self->context);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    {
      g_autofree char *normalized = sohoa_text_normalize (value);
      SohoaValueState state = normalized[0] != '\0' ? SOHOA_VALUE_FILLED : SOHOA_VALUE_EMPTY;

      if (!sohoa_store_set_field (store, user, self->record_id, key, normalized, state, error))
        return FALSE;

      g_hash_table_iter_remove (&iter);
    }

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
