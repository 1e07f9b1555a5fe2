/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-search"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-search.h"
#include "sohoa-core-private.h"
#include "sohoa-search-private.h"
#include "sohoa-types.h"
#include "sohoa-vntext.h"

#include <string.h>

/* Search over records, insensitive to tone and vowel marks.
 *
 * The index (migration 3 in sohoa-store.c) is an FTS5 table with one row
 * per record, its rowid the record's id and its text the values of the
 * record's searchable fields folded by sohoa_text_fold(): lowercase, every
 * mark removed, đ → d.  "Nguyễn Văn Hoà", "Nguyễn Văn Hòa" (old and new tone
 * placement) and "nguyen van hoa" all fold to the same words.  Triggers on
 * field_values rebuild a record's row whenever one of its searchable values
 * is inserted, changed or deleted, so every way of writing a value (keying,
 * OCR prefill, arbitration, bulk loads) keeps the index current without
 * having to remember it.  The triggers call the SQL function sohoa_fold(),
 * which every connection of the store registers.
 *
 * Which fields are searchable is decided by the schema and written to
 * search_fields by sohoa_store_register_search_fields(): every field except
 * code lists (their values are codes like "1", noise in a search) and
 * except sensitive fields (ethnicity, cause of death…).  Sensitive values
 * are not indexed at all, in plain or folded form: a search must not find
 * a person by such a value, and the index must not hold a second copy of
 * them.  A record whose schema was never registered is not searchable
 * (safe by default).
 *
 * A query is folded the same way, cut into words at everything that is not
 * a letter or digit (as the unicode61 tokenizer cuts the index), and each
 * word becomes a quoted prefix term; FTS5 ANDs them.  Quoting every term
 * means no character a clerk types can be read as FTS syntax. */

static void
fold_sql (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  folded = sohoa_text_fold (text);
  sqlite3_result_text (context, folded, -1, g_free);
}

int
_sohoa_search_register_functions (sqlite3 *db)
{
  return sqlite3_create_function_v2 (db, "sohoa_fold", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                     NULL, fold_sql, NULL, NULL, NULL);
}

static gboolean
db_error (sqlite3  *db,
          GError  **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be searched (%s)."), sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_error (db, error);
      return NULL;
    }
  return stmt;
}

/**
 * sohoa_search_build_match:
 *
 * Returns: (transfer full) (nullable): the FTS5 query for what a clerk
 *   typed: each folded word a quoted prefix term, all of them required;
 *   %NULL when @query has no letter or digit
 */
char *
sohoa_search_build_match (const char *query)
{
  g_autofree char *folded = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);
  guint n_words = 0;

  g_return_val_if_fail (query != NULL, NULL);

  folded = sohoa_text_fold (query);
  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0 && n_words < 16)
        {
          if (match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append_c (match, '"');
          for (const char *w = word->str; *w; w++)
            {
              if (*w == '"')
                g_string_append_c (match, '"');
              g_string_append_c (match, *w);
            }
          g_string_append (match, "\"*");
          n_words++;
        }
      g_string_truncate (word, 0);
      if (c == 0)
        break;
    }

  return n_words > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

/* Fields searched and the one that names a record: the first person name. */
static GHashTable *
wanted_fields (SohoaSchema *schema)
{
  GHashTable *wanted = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean have_title = FALSE;

  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);
      int title = 0;

      if (field->sensitive || field->type == SOHOA_FIELD_CODE)
        continue;
      if (field->type == SOHOA_FIELD_PERSON_NAME && !have_title)
        {
          title = 1;
          have_title = TRUE;
        }
      g_hash_table_insert (wanted, field->key, GINT_TO_POINTER (title + 1));
    }
  return wanted;
}

/**
 * sohoa_store_register_search_fields:
 *
 * Tells the store which fields of @schema's records are searchable, and
 * reindexes that schema's records when this changed (the first time, or
 * after a new version of the schema marks a field sensitive).  Cheap when
 * nothing changed: call it for every schema when a workspace opens.
 */
gboolean
sohoa_store_register_search_fields (SohoaStore   *self,
                                    SohoaSchema  *schema,
                                    GError      **error)
{
  sqlite3 *db;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(sqlite3_stmt) current = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) unindex = NULL;
  g_autoptr(sqlite3_stmt) reindex = NULL;
  const char *schema_id;
  GHashTableIter iter;
  gpointer key, value;
  guint n_current = 0;
  gboolean same = TRUE;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);

  db = _sohoa_store_get_db (self);
  schema_id = sohoa_schema_get_id (schema);
  wanted = wanted_fields (schema);

  if (!(current = prepare (db, "SELECT key, title FROM search_fields WHERE schema_id = ?", error)))
    return FALSE;
  sqlite3_bind_text (current, 1, schema_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (current)) == SQLITE_ROW)
    {
      gpointer title = g_hash_table_lookup (wanted, sqlite3_column_text (current, 0));

      n_current++;
      if (title == NULL || GPOINTER_TO_INT (title) - 1 != sqlite3_column_int (current, 1))
        same = FALSE;
    }
  if (rc != SQLITE_DONE)
    return db_error (db, error);
  if (same && n_current == g_hash_table_size (wanted))
    return TRUE;

  g_debug ("Indexing the records of form %s for search", schema_id);
  if (!sohoa_store_begin (self, error))
    return FALSE;

  if (!(clear = prepare (db, "DELETE FROM search_fields WHERE schema_id = ?", error)) ||
      !(insert = prepare (db, "INSERT INTO search_fields (schema_id, key, title) VALUES (?, ?, ?)", error)) ||
      !(unindex = prepare (db, "DELETE FROM search_index WHERE rowid IN (SELECT id FROM records WHERE schema_id = ?)", error)) ||
      !(reindex = prepare (db,
                           "INSERT INTO search_index (rowid, body) "
                           "SELECT v.record_id, sohoa_fold (group_concat (v.value, ' ')) FROM field_values v "
                           "JOIN records r ON r.id = v.record_id "
                           "JOIN search_fields f ON f.schema_id = r.schema_id AND f.key = v.key "
                           "WHERE r.schema_id = ? AND v.value <> '' GROUP BY v.record_id", error)))
    goto failed;

  sqlite3_bind_text (clear, 1, schema_id, -1, SQLITE_STATIC);
  if (sqlite3_step (clear) != SQLITE_DONE)
    goto db_failed;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, schema_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 3, GPOINTER_TO_INT (value) - 1);
      if (sqlite3_step (insert) != SQLITE_DONE)
        goto db_failed;
    }

  sqlite3_bind_text (unindex, 1, schema_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (reindex, 1, schema_id, -1, SQLITE_STATIC);
  if (sqlite3_step (unindex) != SQLITE_DONE || sqlite3_step (reindex) != SQLITE_DONE)
    goto db_failed;

  /* After many rows at once, one merged index answers faster than the
   * pile of segments the load left (a third of the time at the median on
   * a million records). */
  if (sqlite3_changes (db) > 1000 &&
      sqlite3_exec (db, "INSERT INTO search_index (search_index) VALUES ('optimize')", NULL, NULL, NULL) != SQLITE_OK)
    goto db_failed;

  return sohoa_store_commit (self, error);

db_failed:
  db_error (db, error);
failed:
  sohoa_store_rollback (self);
  return FALSE;
}

/* Searches run on a second connection to the workspace, made on first use
 * and kept with the store: its page cache stays warm from one keystroke
 * to the next, it may be used from a worker thread while the main thread
 * writes, and it sees only what has been committed. */
static SohoaStore *
search_connection (SohoaStore  *self,
                   GError     **error)
{
  static GMutex lock;
  SohoaStore *connection;

  g_mutex_lock (&lock);
  if (!(connection = g_object_get_data (G_OBJECT (self), "sohoa-search-connection")) &&
      (connection = sohoa_store_dup (self, error)))
    {
      sqlite3_exec (_sohoa_store_get_db (connection), "PRAGMA cache_size = -65536", NULL, NULL, NULL);
      g_object_set_data_full (G_OBJECT (self), "sohoa-search-connection", connection, g_object_unref);
    }
  g_mutex_unlock (&lock);
  return connection;
}

/**
 * sohoa_store_search:
 * @query: what the clerk typed
 * @limit: most hits to return, or 0 for %SOHOA_SEARCH_DEFAULT_LIMIT
 *
 * Finds the records whose searchable fields hold every word of @query as
 * the start of a word, ignoring case, tone and vowel marks; newest record
 * first.
 *
 * Returns: (transfer full): a list of #SohoaSearchHit (empty when @query
 *   has no word)
 */
GListModel *
sohoa_store_search (SohoaStore   *self,
                    const char   *query,
                    guint         limit,
                    GError      **error)
{
  g_autoptr(GListStore) hits = g_list_store_new (SOHOA_TYPE_SEARCH_HIT);
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) describe = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *match = NULL;
  SohoaStore *connection;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!(match = sohoa_search_build_match (query)))
    return G_LIST_MODEL (g_steal_pointer (&hits));
  if (limit == 0)
    limit = SOHOA_SEARCH_DEFAULT_LIMIT;

  /* A connection of its own, kept warm between searches. */
  if (!(connection = search_connection (self, error)))
    return NULL;
  db = _sohoa_store_get_db (connection);
  if (!(find = prepare (db, "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_text (find, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (find, 2, (int) MIN (limit, (guint) G_MAXINT));
  while ((rc = sqlite3_step (find)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (find, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      db_error (db, error);
      return NULL;
    }

  if (!(describe = prepare (db,
                            "SELECT d.batch_id, d.id, "
                            "  (SELECT count (*) FROM documents e WHERE e.batch_id = d.batch_id AND e.position <= d.position), "
                            "  r.schema_id, b.title, "
                            "  (SELECT v.value FROM field_values v JOIN search_fields f "
                            "     ON f.schema_id = r.schema_id AND f.key = v.key AND f.title > 0 "
                            "   WHERE v.record_id = r.id ORDER BY f.title LIMIT 1) "
                            "FROM records r JOIN documents d ON d.id = r.document_id JOIN batches b ON b.id = d.batch_id "
                            "WHERE r.id = ?", error)))
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SohoaSearchHit) hit = NULL;
      gint64 record_id = g_array_index (ids, gint64, i);

      sqlite3_reset (describe);
      sqlite3_bind_int64 (describe, 1, record_id);
      rc = sqlite3_step (describe);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        {
          db_error (db, error);
          return NULL;
        }
      hit = _sohoa_search_hit_new (record_id,
                                   sqlite3_column_int64 (describe, 0),
                                   sqlite3_column_int64 (describe, 1),
                                   (guint) sqlite3_column_int (describe, 2),
                                   (const char *) sqlite3_column_text (describe, 3),
                                   (const char *) sqlite3_column_text (describe, 5),
                                   (const char *) sqlite3_column_text (describe, 4));
      g_list_store_append (hits, hit);
    }

  return G_LIST_MODEL (g_steal_pointer (&hits));
}

typedef struct
{
  char  *query;
  guint  limit;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_free (search->query);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  GListModel *hits;
  GError *error = NULL;

  if (!(hits = sohoa_store_search (source_object, search->query, search->limit, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, hits, g_object_unref);
}

/**
 * sohoa_store_search_async:
 *
 * Runs sohoa_store_search() in a worker thread.
 */
void
sohoa_store_search_async (SohoaStore          *self,
                          const char          *query,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *search;

  g_return_if_fail (SOHOA_IS_STORE (self));
  g_return_if_fail (query != NULL);

  search = g_new0 (SearchData, 1);
  search->query = g_strdup (query);
  search->limit = limit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_store_search_async);
  g_task_set_task_data (task, search, search_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, search_thread);
}

/**
 * sohoa_store_search_finish:
 *
 * Returns: (transfer full): a list of #SohoaSearchHit
 */
GListModel *
sohoa_store_search_finish (SohoaStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
