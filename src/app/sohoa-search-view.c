/* sohoa-search-view.c
 *
 * Ctrl+F: a search entry and the records it finds, newest first.  Marks,
 * case and tone placement do not matter ("nguyen van an" finds "Nguyễn Văn
 * An"); the search runs off the main thread as the clerk types, and
 * activating a hit emits ::hit-activated for the window to open it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-search-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-search-view.h"

struct _SohoaSearchView
{
  AdwBin              parent_instance;

  /* template widgets */
  GtkSearchEntry     *entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSingleSelection *selection;

  /* owned */
  SohoaContext       *context;
  GListStore         *hits;
  GCancellable       *cancellable;   /* of the search under way */
};

G_DEFINE_FINAL_TYPE (SohoaSearchView, sohoa_search_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BUSY,
  N_PROPS
};

enum {
  HIT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

static char *
describe_hit (SohoaSearchHit *hit)
{
  /* Translators: where a record found by search is: batch title, then the
   * document's number in the batch */
  return g_strdup_printf (_("%s · document %u"), sohoa_search_hit_get_batch_title (hit),
                          sohoa_search_hit_get_document_number (hit));
}

static const char *
hit_title (SohoaSearchHit *hit)
{
  const char *title = sohoa_search_hit_get_title (hit);

  return *title ? title : _("(no name)");
}

static void
show_results (SohoaSearchView *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *match = sohoa_search_build_match (query);

  if (match == NULL)
    gtk_stack_set_visible_child_name (self->stack, "hint");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->hits)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "none");
  else
    gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
activate_hit (SohoaSearchView *self,
              guint            position)
{
  g_autoptr(SohoaSearchHit) hit = g_list_model_get_item (G_LIST_MODEL (self->hits), position);

  if (hit != NULL)
    g_signal_emit (self, signals[HIT_ACTIVATED], 0, hit);
}

/* Callbacks */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *place = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (place), 0);
  gtk_label_set_ellipsize (GTK_LABEL (place), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (place, "dim-label");
  gtk_widget_add_css_class (place, "caption");
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), place);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  SohoaSearchHit *hit = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *place = gtk_widget_get_next_sibling (title);
  g_autofree char *where = describe_hit (hit);
  g_autofree char *accessible = g_strdup_printf ("%s, %s", hit_title (hit), where);

  gtk_label_set_label (GTK_LABEL (title), hit_title (hit));
  gtk_label_set_label (GTK_LABEL (place), where);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SohoaSearchView) self = user_data;
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  hits = sohoa_store_search_finish (SOHOA_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (hits == NULL)
    {
      g_warning ("Search failed: %s", error->message);
      gtk_label_set_label (GTK_LABEL (gtk_stack_get_child_by_name (self->stack, "none")), error->message);
      gtk_stack_set_visible_child_name (self->stack, "none");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (hits); i++)
    g_ptr_array_add (items, g_list_model_get_item (hits, i));
  g_list_store_splice (self->hits, 0, g_list_model_get_n_items (G_LIST_MODEL (self->hits)),
                       items->pdata, items->len);
  gtk_label_set_label (GTK_LABEL (gtk_stack_get_child_by_name (self->stack, "none")), _("No record matches"));
  show_results (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
search_changed_cb (SohoaSearchView *self,
                   GtkSearchEntry  *entry)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *match = sohoa_search_build_match (query);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (match == NULL || self->context == NULL)
    {
      g_list_store_remove_all (self->hits);
      show_results (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  self->cancellable = g_cancellable_new ();
  sohoa_store_search_async (sohoa_context_get_store (self->context), query, SOHOA_SEARCH_DEFAULT_LIMIT,
                            self->cancellable, search_done_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
entry_activate_cb (SohoaSearchView *self,
                   GtkSearchEntry  *entry)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  activate_hit (self, selected == GTK_INVALID_LIST_POSITION ? 0 : selected);
}

static void
list_activate_cb (SohoaSearchView *self,
                  guint            position,
                  GtkListView     *list_view)
{
  activate_hit (self, position);
}

/* GObject */

static void
sohoa_search_view_dispose (GObject *object)
{
  SohoaSearchView *self = (SohoaSearchView *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_SEARCH_VIEW);

  G_OBJECT_CLASS (sohoa_search_view_parent_class)->dispose (object);
}

static void
sohoa_search_view_finalize (GObject *object)
{
  SohoaSearchView *self = (SohoaSearchView *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->hits);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_search_view_parent_class)->finalize (object);
}

static void
sohoa_search_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SohoaSearchView *self = SOHOA_SEARCH_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, sohoa_search_view_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_search_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SohoaSearchView *self = SOHOA_SEARCH_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      sohoa_search_view_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_search_view_class_init (SohoaSearchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_search_view_dispose;
  object_class->finalize = sohoa_search_view_finalize;
  object_class->get_property = sohoa_search_view_get_property;
  object_class->set_property = sohoa_search_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaSearchView::hit-activated:
   * @hit: the #SohoaSearchHit chosen
   *
   * The clerk chose a record to open.
   */
  signals[HIT_ACTIVATED] =
    g_signal_new ("hit-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SOHOA_TYPE_SEARCH_HIT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-search-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaSearchView, entry);
  gtk_widget_class_bind_template_child (widget_class, SohoaSearchView, stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaSearchView, list_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaSearchView, selection);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
sohoa_search_view_init (SohoaSearchView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->hits = g_list_store_new (SOHOA_TYPE_SEARCH_HIT);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->hits));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  show_results (self);
}

/* Public API */

GtkWidget *
sohoa_search_view_new (SohoaContext *context)
{
  g_return_val_if_fail (!context || SOHOA_IS_CONTEXT (context), NULL);

  return g_object_new (SOHOA_TYPE_SEARCH_VIEW, "context", context, NULL);
}

SohoaContext *
sohoa_search_view_get_context (SohoaSearchView *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_VIEW (self), NULL);

  return self->context;
}

void
sohoa_search_view_set_context (SohoaSearchView *self,
                               SohoaContext    *context)
{
  g_return_if_fail (SOHOA_IS_SEARCH_VIEW (self));
  g_return_if_fail (!context || SOHOA_IS_CONTEXT (context));

  if (g_set_object (&self->context, context))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * sohoa_search_view_set_query:
 *
 * Types @query into the entry and searches at once.
 */
void
sohoa_search_view_set_query (SohoaSearchView *self,
                             const char      *query)
{
  g_return_if_fail (SOHOA_IS_SEARCH_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), query ? query : "");
  search_changed_cb (self, self->entry);
}

/**
 * sohoa_search_view_get_hits:
 *
 * Returns: (transfer none): the #SohoaSearchHit shown
 */
GListModel *
sohoa_search_view_get_hits (SohoaSearchView *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_VIEW (self), NULL);

  return G_LIST_MODEL (self->hits);
}

gboolean
sohoa_search_view_get_busy (SohoaSearchView *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * sohoa_search_view_focus:
 *
 * Puts the cursor in the entry with its text selected, ready to type over.
 */
void
sohoa_search_view_focus (SohoaSearchView *self)
{
  g_return_if_fail (SOHOA_IS_SEARCH_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}
