/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-register"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-register.h"
#include "sohoa-core-private.h"
#include "sohoa-validate.h"

#include <stdlib.h>
#include <string.h>

/*
 * Register-book rules (Luật Hộ tịch Điều 58; DOMAIN.md §2): a book is
 * closed on the last day of the year and its entries are numbered from 1
 * again each year, in sequence.  So within one book and one year the
 * registration numbers keyed for a batch should run without holes and
 * without repeats; a hole is an entry not scanned or keyed, a repeat is
 * an entry keyed twice or a misread number.
 */

void
sohoa_register_entry_free (SohoaRegisterEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->book);
  g_free (entry);
}

void
sohoa_register_issue_free (SohoaRegisterIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->book);
  g_clear_pointer (&issue->positions, g_array_unref);
  g_free (issue);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SohoaRegisterEntry *ea = *(const SohoaRegisterEntry * const *) a;
  const SohoaRegisterEntry *eb = *(const SohoaRegisterEntry * const *) b;
  int c = strcmp (ea->book, eb->book);

  if (c != 0)
    return c;
  if (ea->year != eb->year)
    return ea->year < eb->year ? -1 : 1;
  if (ea->number != eb->number)
    return ea->number < eb->number ? -1 : 1;
  return (ea->position > eb->position) - (ea->position < eb->position);
}

static SohoaRegisterIssue *
issue_new (SohoaRegisterIssueKind    kind,
           const SohoaRegisterEntry *entry,
           gint64                    first,
           gint64                    last)
{
  SohoaRegisterIssue *issue = g_new0 (SohoaRegisterIssue, 1);

  issue->kind = kind;
  issue->book = g_strdup (entry->book);
  issue->year = entry->year;
  issue->first = first;
  issue->last = last;
  if (kind == SOHOA_REGISTER_DUPLICATE)
    issue->positions = g_array_new (FALSE, FALSE, sizeof (guint));
  return issue;
}

/**
 * sohoa_register_check:
 * @entries: (element-type SohoaRegisterEntry): the entries of a batch; sorted
 *   in place
 *
 * Returns: (transfer full) (element-type SohoaRegisterIssue): the holes and
 *   repeats in the numbering, by book, year and number.  Numbers before
 *   the lowest one of a book and year are not holes: a batch may start in
 *   the middle of a book.
 */
GPtrArray *
sohoa_register_check (GPtrArray *entries)
{
  GPtrArray *issues = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_register_issue_free);

  g_return_val_if_fail (entries != NULL, issues);

  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 1; i < entries->len; i++)
    {
      const SohoaRegisterEntry *prev = g_ptr_array_index (entries, i - 1);
      const SohoaRegisterEntry *entry = g_ptr_array_index (entries, i);

      if (!g_str_equal (prev->book, entry->book) || prev->year != entry->year)
        continue;

      if (entry->number == prev->number)
        {
          SohoaRegisterIssue *issue = issues->len > 0 ? g_ptr_array_index (issues, issues->len - 1) : NULL;

          /* The third and later repeats join the issue of the first. */
          if (issue == NULL || issue->kind != SOHOA_REGISTER_DUPLICATE || issue->first != entry->number ||
              !g_str_equal (issue->book, entry->book) || issue->year != entry->year)
            {
              issue = issue_new (SOHOA_REGISTER_DUPLICATE, entry, entry->number, entry->number);
              g_array_append_val (issue->positions, prev->position);
              g_ptr_array_add (issues, issue);
            }
          g_array_append_val (issue->positions, entry->position);
        }
      else if (entry->number > prev->number + 1)
        g_ptr_array_add (issues, issue_new (SOHOA_REGISTER_GAP, entry, prev->number + 1, entry->number - 1));
    }
  return issues;
}

/* Reads a register number as keyed: digits only, at least 1. */
static gboolean
parse_number (const char *text,
              gint64     *number)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  return *stripped && g_ascii_string_to_signed (stripped, 10, 1, G_MAXINT32, number, NULL);
}

/**
 * sohoa_register_check_batch:
 * @n_skipped: (out) (optional): records without a number or a year of
 *   registration, which cannot be placed in a sequence
 *
 * Checks the numbering of the civil-status records of @batch_id (fields
 * so, quyenSo, ngayDangKy) with sohoa_register_check().
 *
 * Returns: (transfer full) (element-type SohoaRegisterIssue): the issues, or
 *   %NULL on a database error
 */
GPtrArray *
sohoa_register_check_batch (SohoaStore  *store,
                            gint64       batch_id,
                            guint       *n_skipped,
                            GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_register_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  guint skipped = 0;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);

  db = _sohoa_store_get_db (store);
  if (sqlite3_prepare_v2 (db,
                          "SELECT r.id, d.position, "
                          " (SELECT value FROM field_values WHERE record_id = r.id AND key = 'so'), "
                          " (SELECT value FROM field_values WHERE record_id = r.id AND key = 'quyenSo'), "
                          " (SELECT value FROM field_values WHERE record_id = r.id AND key = 'ngayDangKy') "
                          "FROM records r JOIN documents d ON r.document_id = d.id "
                          "WHERE d.batch_id = ? ORDER BY d.position",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, batch_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *so = (const char *) sqlite3_column_text (stmt, 2);
      const char *book = (const char *) sqlite3_column_text (stmt, 3);
      const char *date_text = (const char *) sqlite3_column_text (stmt, 4);
      SohoaPartialDate date;
      SohoaRegisterEntry *entry;
      gint64 number;

      if (!parse_number (so, &number) || date_text == NULL ||
          !sohoa_partial_date_parse (date_text, &date, NULL))
        {
          skipped++;
          continue;
        }
      entry = g_new0 (SohoaRegisterEntry, 1);
      entry->record_id = sqlite3_column_int64 (stmt, 0);
      entry->position = (guint) sqlite3_column_int (stmt, 1) + 1;
      entry->book = g_strstrip (g_strdup (book ? book : ""));
      entry->year = date.year;
      entry->number = number;
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  if (n_skipped)
    *n_skipped = skipped;
  return sohoa_register_check (entries);

failed:
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be read (%s)."), sqlite3_errmsg (db));
  return NULL;
}

/**
 * sohoa_register_issue_describe:
 *
 * Returns: (transfer full): one translated line for the clerk
 */
char *
sohoa_register_issue_describe (const SohoaRegisterIssue *issue)
{
  g_autoptr(GString) positions = g_string_new (NULL);
  const char *book;

  g_return_val_if_fail (issue != NULL, NULL);

  book = *issue->book ? issue->book : "—";
  if (issue->kind == SOHOA_REGISTER_GAP)
    {
      if (issue->first == issue->last)
        /* Translators: book number, year, registration number */
        return g_strdup_printf (_("Book %s, year %d: number %lld is missing"),
                                book, issue->year, (long long) issue->first);
      /* Translators: book number, year, first and last missing registration number */
      return g_strdup_printf (_("Book %s, year %d: numbers %lld to %lld are missing"),
                              book, issue->year, (long long) issue->first, (long long) issue->last);
    }

  for (guint i = 0; i < issue->positions->len; i++)
    g_string_append_printf (positions, "%s%u", i ? ", " : "", g_array_index (issue->positions, guint, i));
  /* Translators: book number, year, registration number, how many times, the documents' numbers */
  return g_strdup_printf (_("Book %s, year %d: number %lld is used %u times (documents %s)"),
                          book, issue->year, (long long) issue->first, issue->positions->len, positions->str);
}
