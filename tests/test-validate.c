/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include "sohoa-core.h"

#include <string.h>

static SohoaValidator *validator;
static SohoaSchema *khai_sinh;
static SohoaSchema *khai_tu;

static SohoaSchema *
load_schema (const char *id)
{
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *name = g_strdup_printf ("%s.json", id);
  g_autofree char *path = g_build_filename (data_dir, "schemas", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SohoaSchema *schema = sohoa_schema_new_from_file (file, &error);

  g_assert_no_error (error);
  return schema;
}

/* Each row: a record of key=value pairs, and the problems expected on one
 * key, as "severity" or NULL for none. */
static const struct {
  const char *record;
  const char *key;
  const char *expected;
} cases[] = {
  /* CCCD: 079 is TP.HCM; 2 = born 2000–2099, male; 03 = 2003 */
  { "nksSoDinhDanh=079203001234;nksGioiTinh=1;nksNgaySinh=12/05/2003", "nksSoDinhDanh", NULL },
  { "nksSoDinhDanh=07920300123", "nksSoDinhDanh", "error" },
  { "nksSoDinhDanh=07920300123A", "nksSoDinhDanh", "error" },
  { "nksSoDinhDanh=999203001234", "nksSoDinhDanh", "warning" },       /* no such province */
  { "nksSoDinhDanh=079303001234;nksGioiTinh=1", "nksSoDinhDanh", "warning" }, /* 3 = woman */
  { "nksSoDinhDanh=079203001234;nksNgaySinh=2004", "nksSoDinhDanh", "warning" },
  { "nksSoDinhDanh=074098001234;nksGioiTinh=1;nksNgaySinh=1998", "nksSoDinhDanh", NULL }, /* old Bình Dương code */
  /* the mother is a woman even where no sex is keyed */
  { "meSoGiayToTuyThan=079185001234;meNgaySinh=1985", "meSoGiayToTuyThan", NULL },
  { "meSoGiayToTuyThan=079085001234;meNgaySinh=1985", "meSoGiayToTuyThan", "warning" },
  /* partial dates, never invented */
  { "nksNgaySinh=29/02/2024", "nksNgaySinh", NULL },
  { "nksNgaySinh=29/02/2023", "nksNgaySinh", "error" },
  { "nksNgaySinh=05/2001", "nksNgaySinh", NULL },
  { "nksNgaySinh=1968", "nksNgaySinh", NULL },
  { "nksNgaySinh=13/1968", "nksNgaySinh", "error" },
  { "nksNgaySinh=68", "nksNgaySinh", "error" },
  { "nksNgaySinh=30/02/1950 âm lịch", "nksNgaySinh", NULL },
  { "nksNgaySinh=2099", "nksNgaySinh", "error" },
  /* registration is not before birth */
  { "nksNgaySinh=12/05/2003;ngayDangKy=01/05/2003", "ngayDangKy", "error" },
  { "nksNgaySinh=05/2003;ngayDangKy=2003", "ngayDangKy", NULL },
  /* names */
  { "nksHoTen=Nguyễn Văn An", "nksHoTen", NULL },
  { "nksHoTen=Nguyen Van An2", "nksHoTen", "error" },
  { "nksHoTen=Nguyén Văn An", "nksHoTen", "warning" },
  { "nksHoTen=Tôn Nữ Thị Hoà", "nksHoTen", NULL },
  /* code lists */
  { "nksGioiTinh=1", "nksGioiTinh", NULL },
  { "nksGioiTinh=7", "nksGioiTinh", "error" },
};

static GHashTable *
parse_record (const char *record)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (record, ";", -1);

  for (guint i = 0; pairs[i]; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      g_hash_table_insert (values, g_strdup (pair[0]), g_strdup (pair[1]));
    }
  return values;
}

static void
test_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) values = parse_record (cases[i].record);
      g_autoptr(GPtrArray) problems = sohoa_validator_check_field (validator, khai_sinh, cases[i].key, values);
      const char *got = NULL;

      for (guint j = 0; j < problems->len; j++)
        {
          SohoaProblem *problem = g_ptr_array_index (problems, j);

          g_assert_cmpstr (problem->key, ==, cases[i].key);
          g_test_message ("%s → %s", cases[i].record, problem->message);
          if (got == NULL || problem->severity == SOHOA_PROBLEM_ERROR)
            got = problem->severity == SOHOA_PROBLEM_ERROR ? "error" : "warning";
        }
      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_error ("case %u (%s): expected %s, got %s", i, cases[i].record,
                 cases[i].expected ? cases[i].expected : "nothing", got ? got : "nothing");
    }
}

static void
test_record (void)
{
  g_autoptr(GHashTable) values = parse_record ("nktHoTen=Lê Văn Ba;nktNgaySinh=1940;nktNgayChet=1939");
  g_autoptr(GPtrArray) problems = sohoa_validator_check_record (validator, khai_tu, values);
  gboolean death_order = FALSE, required = FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      SohoaProblem *problem = g_ptr_array_index (problems, i);

      death_order |= g_str_equal (problem->key, "nktNgayChet") && problem->severity == SOHOA_PROBLEM_ERROR;
      required |= g_str_equal (problem->key, "so") && problem->severity == SOHOA_PROBLEM_ERROR;
    }
  g_assert_true (death_order);
  g_assert_true (required);
}

/* The archival schema's own rules: dates in order, a backup status when a
 * backup is kept; the messages are the schema's. */
static void
test_schema_rules (void)
{
  g_autoptr(SohoaSchema) ho_so = load_schema ("luu-tru.ho-so");
  g_autoptr(GHashTable) values = parse_record ("startDate=05/2020;endDate=2019;riskRecovery=1");
  g_autoptr(GPtrArray) problems = sohoa_validator_check_record (validator, ho_so, values);
  g_autoptr(GHashTable) fixed = parse_record ("startDate=05/2020;endDate=12/2020;riskRecovery=1;riskRecoveryStatus=01");
  g_autoptr(GPtrArray) none = NULL;
  gboolean order = FALSE, backup = FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      SohoaProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->key, "endDate"))
        {
          order = TRUE;
          g_assert_cmpstr (problem->message, ==, "The file ends before it starts.");
        }
      backup |= g_str_equal (problem->key, "riskRecoveryStatus") && problem->severity == SOHOA_PROBLEM_ERROR;
    }
  g_assert_true (order);
  g_assert_true (backup);

  none = sohoa_validator_check_field (validator, ho_so, "riskRecoveryStatus", fixed);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = sohoa_validator_check_field (validator, ho_so, "endDate", fixed);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_partial_date_compare (void)
{
  SohoaPartialDate a, b;

  g_assert_true (sohoa_partial_date_parse ("1998", &a, NULL));
  g_assert_true (sohoa_partial_date_parse ("05/1998", &b, NULL));
  g_assert_cmpint (sohoa_partial_date_compare (&a, &b), ==, 0);
  g_assert_cmpint (b.month, ==, 5);
  g_assert_cmpint (b.day, ==, 0);
  g_assert_cmpint (b.precision, ==, SOHOA_DATE_MONTH);
  g_assert_true (sohoa_partial_date_parse ("01.06.1998", &a, NULL));
  g_assert_cmpint (sohoa_partial_date_compare (&b, &a), <, 0 + 1);
  g_assert_true (sohoa_partial_date_parse ("3/7/1975 (ÂL)", &a, NULL));
  g_assert_true (a.lunar);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  data_dir = sohoa_context_find_data_dir ();
  validator = sohoa_validator_new (data_dir, &error);
  g_assert_no_error (error);
  khai_sinh = load_schema ("ho-tich.khai-sinh");
  khai_tu = load_schema ("ho-tich.khai-tu");

  g_test_add_func ("/validate/fields", test_fields);
  g_test_add_func ("/validate/record", test_record);
  g_test_add_func ("/validate/partial-date-compare", test_partial_date_compare);
  g_test_add_func ("/validate/schema-rules", test_schema_rules);

  status = g_test_run ();
  g_object_unref (khai_sinh);
  g_object_unref (khai_tu);
  sohoa_validator_free (validator);
  return status;
}
