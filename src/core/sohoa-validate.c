/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-validate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-syllable.h"
#include "sohoa-validate.h"
#include "sohoa-vntext.h"

#include <string.h>

struct _SohoaValidator
{
  GHashTable *cccd_provinces;   /* "079" → province name */
};

/* The relatives a record names, by the prefix of their field keys, and the
 * sex the law gives each where it is not keyed. */
static const struct {
  const char *prefix;
  const char *sex;   /* code of gioiTinh: 1 Nam, 2 Nữ */
} implied_sex[] = {
  { "me", "2" }, { "vo", "2" }, { "cha", "1" }, { "chong", "1" },
};

void
sohoa_problem_free (SohoaProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->key);
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray            *problems,
             const char           *key,
             SohoaProblemSeverity  severity,
             char                 *message)
{
  SohoaProblem *problem = g_new0 (SohoaProblem, 1);

  problem->key = g_strdup (key);
  problem->severity = severity;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Dates ------------------------------------------------------------------ */

/**
 * sohoa_partial_date_parse:
 *
 * Reads "dd/mm/yyyy", "mm/yyyy" or "yyyy" (dots and dashes also separate),
 * optionally followed by a lunar marker ("âm lịch", "ÂL"), which is kept as
 * a flag; a lunar date is checked for its ranges only.
 */
gboolean
sohoa_partial_date_parse (const char        *text,
                          SohoaPartialDate  *date,
                          GError           **error)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char *marker;
  guint n;
  gint64 numbers[3];

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  *date = (SohoaPartialDate) { 0 };
  folded = sohoa_text_fold (text);
  g_strstrip (folded);

  if ((marker = strstr (folded, "am lich")) || (marker = strstr (folded, "(al)")) ||
      (g_str_has_suffix (folded, " al") && (marker = folded + strlen (folded) - 3)))
    {
      date->lunar = TRUE;
      *marker = '\0';
      g_strstrip (folded);
      if (g_str_has_suffix (folded, "("))
        folded[strlen (folded) - 1] = '\0';
      g_strstrip (folded);
    }

  parts = g_regex_split_simple ("[/.\\-]", folded, 0, 0);
  n = g_strv_length (parts);
  if (n < 1 || n > 3)
    goto bad;
  for (guint i = 0; i < n; i++)
    if (!all_digits (g_strstrip (parts[i])) || !g_ascii_string_to_signed (parts[i], 10, 0, 9999, &numbers[i], NULL))
      goto bad;
  if (strlen (parts[n - 1]) != 4)
    goto bad;

  date->year = (int) numbers[n - 1];
  date->month = n >= 2 ? (int) numbers[n - 2] : 0;
  date->day = n == 3 ? (int) numbers[0] : 0;
  date->precision = n == 3 ? SOHOA_DATE_DAY : n == 2 ? SOHOA_DATE_MONTH : SOHOA_DATE_YEAR;

  if (date->year < 1800 || date->year > g_date_time_get_year (now))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The year %d is not possible here."), date->year);
      return FALSE;
    }
  if (n >= 2 && (date->month < 1 || date->month > 12))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("There is no month %d."), date->month);
      return FALSE;
    }
  if (n == 3 && (date->day < 1 ||
                 date->day > (date->lunar ? 30 : g_date_get_days_in_month ((GDateMonth) date->month,
                                                                           (GDateYear) date->year))))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("Month %d of %d has no day %d."), date->month, date->year, date->day);
      return FALSE;
    }
  return TRUE;

bad:
  g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                       _("Write the date as dd/mm/yyyy, mm/yyyy or yyyy, as the register gives it."));
  return FALSE;
}

/* Compares at the precision both dates have: "1998" and "05/1998" are
 * equal, since nothing says which is later. */
int
sohoa_partial_date_compare (const SohoaPartialDate *a,
                            const SohoaPartialDate *b)
{
  SohoaDatePrecision precision = MIN (a->precision, b->precision);

  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (precision >= SOHOA_DATE_MONTH && a->month != b->month)
    return a->month < b->month ? -1 : 1;
  if (precision >= SOHOA_DATE_DAY && a->day != b->day)
    return a->day < b->day ? -1 : 1;
  return 0;
}

/* Reference data --------------------------------------------------------- */

static GHashTable *
load_cccd_provinces (const char  *data_dir,
                     GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "reference", "cccd-province-codes.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      if (g_strv_length (cells) >= 2 && strlen (cells[0]) == 3 && all_digits (cells[0]))
        g_hash_table_insert (codes, g_strdup (cells[0]), g_strdup (cells[1]));
    }
  if (g_hash_table_size (codes) < 63)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The list of province codes in “%s” is incomplete."), path);
      return NULL;
    }
  return g_steal_pointer (&codes);
}

SohoaValidator *
sohoa_validator_new (const char  *data_dir,
                     GError     **error)
{
  g_autoptr(SohoaValidator) self = g_new0 (SohoaValidator, 1);

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (!(self->cccd_provinces = load_cccd_provinces (data_dir, error)))
    return NULL;
  return g_steal_pointer (&self);
}

void
sohoa_validator_free (SohoaValidator *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->cccd_provinces, g_hash_table_unref);
  g_free (self);
}

/* Fields ----------------------------------------------------------------- */

static char *
key_prefix (const char *key)
{
  const char *p = key;

  while (*p && g_ascii_islower (*p))
    p++;
  return g_strndup (key, p - key);
}

static const char *
lookup_related (GHashTable *values,
                const char *key,
                const char *suffix)
{
  g_autofree char *prefix = key_prefix (key);
  g_autofree char *related = g_strconcat (prefix, suffix, NULL);
  const char *value = g_hash_table_lookup (values, related);

  return value && *value ? value : NULL;
}

static const char *
related_sex (GHashTable *values,
             const char *key)
{
  g_autofree char *prefix = key_prefix (key);
  const char *keyed = lookup_related (values, key, "GioiTinh");

  if (keyed)
    return keyed;
  for (guint i = 0; i < G_N_ELEMENTS (implied_sex); i++)
    if (g_str_equal (prefix, implied_sex[i].prefix))
      return implied_sex[i].sex;
  return NULL;
}

/* A 12-digit personal number: province (or country) of birth registration,
 * then century and sex, then the year of birth.  There is no check digit.
 * Mismatches with the birth date and sex are warnings: registers have
 * errors, and the number is the one on the card. */
static void
check_cccd (SohoaValidator *self,
            const char     *key,
            const char     *value,
            GHashTable     *values,
            GPtrArray      *problems)
{
  const char *birth = lookup_related (values, key, "NgaySinh");
  const char *sex = related_sex (values, key);
  SohoaPartialDate date;
  int century_sex;
  char province[4];

  if (strlen (value) != 12 || !all_digits (value))
    {
      add_problem (problems, key, SOHOA_PROBLEM_ERROR,
                   g_strdup (_("A personal identification number has exactly 12 digits.")));
      return;
    }

  memcpy (province, value, 3);
  province[3] = '\0';
  if (!g_hash_table_contains (self->cccd_provinces, province))
    add_problem (problems, key, SOHOA_PROBLEM_WARNING,
                 g_strdup_printf (_("%s is not the code of a province where a birth is registered."), province));

  century_sex = value[3] - '0';
  if (sex && (g_str_equal (sex, "1") || g_str_equal (sex, "2")) &&
      (century_sex % 2 == 0) != g_str_equal (sex, "1"))
    add_problem (problems, key, SOHOA_PROBLEM_WARNING,
                 g_strdup (g_str_equal (sex, "1")
                           ? _("The fourth digit is for a woman, but the person is a man.")
                           : _("The fourth digit is for a man, but the person is a woman.")));

  if (birth && sohoa_partial_date_parse (birth, &date, NULL) && !date.lunar)
    {
      int century = 1900 + 100 * (century_sex / 2);
      int year = century + (value[4] - '0') * 10 + (value[5] - '0');

      if (year != date.year)
        add_problem (problems, key, SOHOA_PROBLEM_WARNING,
                     g_strdup_printf (_("The number says born in %d, the date of birth says %d."), year, date.year));
    }
}

/* Letters of Vietnamese and of the other languages of Vietnam, spaces, and
 * the few marks names carry; every syllable should be a Vietnamese one, or
 * be checked (a Khmer or Hoa name may not be). */
static void
check_person_name (const char *key,
                   const char *value,
                   GPtrArray  *problems)
{
  g_auto(GStrv) words = NULL;

  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c) && !g_unichar_ismark (c) && c != ' ' && c != '-' && c != '\'' && c != '.')
        {
          add_problem (problems, key, SOHOA_PROBLEM_ERROR,
                       g_strdup (_("A name has letters only: no digits or symbols.")));
          return;
        }
    }

  words = g_strsplit (value, " ", -1);
  for (guint i = 0; words[i]; i++)
    if (*words[i] && sohoa_syllable_check (words[i]) == SOHOA_SYLLABLE_INVALID)
      {
        add_problem (problems, key, SOHOA_PROBLEM_WARNING,
                     g_strdup_printf (_("“%s” is not a Vietnamese syllable; check it against the page."), words[i]));
        return;
      }
}

static void
check_field (SohoaValidator         *self,
             const SohoaSchemaField *field,
             GHashTable             *values,
             GPtrArray              *problems)
{
  const char *raw = g_hash_table_lookup (values, field->key);
  g_autofree char *value = sohoa_text_normalize (raw ? raw : "");
  g_autoptr(GError) error = NULL;
  SohoaPartialDate date;

  g_strstrip (value);
  if (*value == '\0')
    {
      if (field->required)
        add_problem (problems, field->key, SOHOA_PROBLEM_ERROR,
                     g_strdup (_("Required; if it cannot be read, mark it illegible.")));
      return;
    }

  if (field->max_length > 0 && (guint) g_utf8_strlen (value, -1) > field->max_length)
    add_problem (problems, field->key, SOHOA_PROBLEM_ERROR,
                 g_strdup_printf (_("At most %u characters."), field->max_length));

  switch (field->type)
    {
    case SOHOA_FIELD_CCCD:
      check_cccd (self, field->key, value, values, problems);
      break;

    case SOHOA_FIELD_CMND:
      if (!all_digits (value) || (strlen (value) != 9 && strlen (value) != 12))
        add_problem (problems, field->key, SOHOA_PROBLEM_ERROR,
                     g_strdup (_("An identity card number has 9 or 12 digits.")));
      break;

    case SOHOA_FIELD_DATE:
      if (!sohoa_partial_date_parse (value, &date, &error))
        add_problem (problems, field->key, SOHOA_PROBLEM_ERROR, g_strdup (error->message));
      break;

    case SOHOA_FIELD_NUMBER:
      if (!all_digits (value))
        add_problem (problems, field->key, SOHOA_PROBLEM_ERROR, g_strdup (_("Digits only.")));
      break;

    case SOHOA_FIELD_PERSON_NAME:
      check_person_name (field->key, value, problems);
      break;

    case SOHOA_FIELD_CODE:
      {
        gboolean found = FALSE;

        for (guint i = 0; i < field->codes->len && !found; i++)
          found = g_str_equal (((SohoaSchemaCode *) g_ptr_array_index (field->codes, i))->code, value);
        if (!found)
          add_problem (problems, field->key, SOHOA_PROBLEM_ERROR,
                       g_strdup_printf (_("“%s” is not one of the codes of this list."), value));
      }
      break;

    case SOHOA_FIELD_DOC_NUMBER:
      if (!g_regex_match_simple ("^(Số:? *)?[0-9]+(/[0-9]{4})?(/[[:alnum:]Đđ.]+(-[[:alnum:]Đđ.]+)*)?$", value, 0, 0))
        add_problem (problems, field->key, SOHOA_PROBLEM_WARNING,
                     g_strdup (_("A document number reads like “123/QĐ-UBND”.")));
      break;

    case SOHOA_FIELD_TEXT:
    case SOHOA_FIELD_HCMC_UNIT:
    default:
      break;
    }
}

/* Registration does not come before birth, death not before birth. */
static void
check_order (SohoaSchema *schema,
             GHashTable  *values,
             const char  *earlier_key,
             const char  *later_key,
             const char  *message,
             GPtrArray   *problems)
{
  const char *earlier = g_hash_table_lookup (values, earlier_key);
  const char *later = g_hash_table_lookup (values, later_key);
  SohoaPartialDate a, b;

  if (!sohoa_schema_lookup_field (schema, earlier_key) || !sohoa_schema_lookup_field (schema, later_key) ||
      !earlier || !later ||
      !sohoa_partial_date_parse (earlier, &a, NULL) || !sohoa_partial_date_parse (later, &b, NULL) ||
      a.lunar || b.lunar)
    return;

  if (sohoa_partial_date_compare (&a, &b) > 0)
    add_problem (problems, later_key, SOHOA_PROBLEM_ERROR, g_strdup (message));
}

/* The schema's cross-field rules (docs/schemas.md, "rules"). */
static void
check_cross_fields (SohoaSchema *schema,
                    GHashTable  *values,
                    GPtrArray   *problems,
                    const char  *only_key)
{
  for (guint i = 0; i < sohoa_schema_get_n_rules (schema); i++)
    {
      const SohoaSchemaRule *rule = sohoa_schema_get_rule (schema, i);

      if (only_key && !g_str_equal (only_key, rule->first) && !g_str_equal (only_key, rule->second))
        continue;

      switch (rule->kind)
        {
        case SOHOA_RULE_DATE_ORDER:
          check_order (schema, values, rule->first, rule->second,
                       rule->message ? rule->message : _("The dates are in the wrong order."),
                       problems);
          break;

        case SOHOA_RULE_REQUIRED_IF:
          {
            const char *when = g_hash_table_lookup (values, rule->second);
            const char *value = g_hash_table_lookup (values, rule->first);

            if (when && g_str_equal (when, rule->value) && (value == NULL || *value == '\0'))
              add_problem (problems, rule->first, SOHOA_PROBLEM_ERROR,
                           g_strdup (rule->message ? rule->message : _("This field is required here.")));
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/**
 * sohoa_validator_check_record:
 * @values: (element-type utf8 utf8): field key → value as keyed
 *
 * Returns: (transfer full) (element-type SohoaProblem): every problem, in
 *   the schema's field order
 */
GPtrArray *
sohoa_validator_check_record (SohoaValidator *self,
                              SohoaSchema    *schema,
                              GHashTable     *values)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_problem_free);

  g_return_val_if_fail (self != NULL, problems);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), problems);

  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    check_field (self, sohoa_schema_get_field (schema, i), values, problems);
  check_cross_fields (schema, values, problems, NULL);

  return problems;
}

/**
 * sohoa_validator_check_field:
 *
 * The problems of one field, as the form shows them while the clerk types
 * (with the cross-field rules that involve it).
 */
GPtrArray *
sohoa_validator_check_field (SohoaValidator *self,
                             SohoaSchema    *schema,
                             const char     *key,
                             GHashTable     *values)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_problem_free);
  const SohoaSchemaField *field;

  g_return_val_if_fail (self != NULL, problems);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), problems);

  if ((field = sohoa_schema_lookup_field (schema, key)))
    check_field (self, field, values, problems);
  check_cross_fields (schema, values, problems, key);

  /* A cross-field rule may name the other field: keep this field's only. */
  for (guint i = problems->len; i > 0; i--)
    if (!g_str_equal (((SohoaProblem *) g_ptr_array_index (problems, i - 1))->key, key))
      g_ptr_array_remove_index (problems, i - 1);

  return problems;
}
