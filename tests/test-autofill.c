/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-autofill"

#include "config.h"

#include "sohoa-core-private.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <string.h>

static SohoaSchema *
load_builtin (const char *id)
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

/* Lays out "words" of printed lines as the OCR would report them: each line
 * is a string, words split on spaces, 20 px per character, lines 60 px
 * apart; "\t" jumps to the next 1300 px tab stop (past the middle of
 * the page, as the right-hand column of a header). */
static GPtrArray *
make_words (const char * const *lines)
{
  GPtrArray *words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", -1);
      int x = 100;

      for (guint j = 0; parts[j]; j++)
        {
          const char *text = parts[j];
          int width;

          while (*text == '\t')
            {
              x = (x / 1300 + 1) * 1300;
              text++;
            }
          if (*text == '\0')
            continue;
          width = 20 * (int) g_utf8_strlen (text, -1);
          g_ptr_array_add (words, sohoa_ocr_word_new (text, x, 100 + 60 * (int) i, width, 40,
                                                      90 - (float) j, 0, (int) i));
          x += width + 15;
        }
    }
  return words;
}

static const SohoaAutofillValue *
find_value (GPtrArray  *values,
            const char *key)
{
  for (guint i = 0; i < values->len; i++)
    {
      const SohoaAutofillValue *value = g_ptr_array_index (values, i);

      if (g_str_equal (value->key, key))
        return value;
    }
  return NULL;
}

static void
assert_value (GPtrArray  *values,
              const char *key,
              const char *expected)
{
  const SohoaAutofillValue *value = find_value (values, key);

  g_test_message ("%s: “%s”", key, value ? value->value : "(none)");
  if (expected == NULL)
    g_assert_null (value);
  else if (value == NULL)
    g_error ("%s: nothing found, expected “%s”", key, expected);
  else
    g_assert_cmpstr (value->value, ==, expected);
}

/* The hints of ho-tich.khai-sinh on a birth extract laid out as the
 * project's sample pages are, OCR errors included. */
static void
test_khai_sinh_words (void)
{
  static const char * const lines[] = {
    "ỦY BAN NHÂN DÂN \tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số: 1234/TLKS \tPhường Bến Thành, ngày 05 tháng 3 năm 2026",
    "TRÍCH LỤC KHAI SINH",
    "Họ, chữ đệm, tên: NGUYỄN THỊ NGỌC HÂN",
    "Ngày, tháng, năm sinh: 2/3/2026",
    "Ghi bằng chữ: Ngày hai, tháng tám, năm hai nghìn",
    "không trăm hai mươi sáu",
    "Giới tính: Nữ \tDân tộc: Kinh \tQuốc tịch: Việt Nam",
    "Nơi sinh: Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
    "Quê quán: Tỉnh Nghệ An",
    "Số định danh cá nhân: 079 326 O12345",
    "Họ, chữ đệm, tên người mẹ: TRẦN THỊ LAN",
    "Năm sinh: 1995 \tDân tộc: Hoa \tQuốc tịch: Việt Nam",
    "Nơi cư trú: 12 đường Lê Lợi, Phường Bến Thành,",
    "Thành phổ Hồ Chí Minh",
    "Sế định danh cá nhân: 001195012345",
    "Họ, chữ đệm, tên người cha: NGUYỄN VĂN AN",
    "Năm sinh: 1990 \tDân tộc: Kinh \tQuốc tịch: Việt Nam",
    "Số định danh cá nhân: 001090000001",
    "Nơi đăng ký khai sinh: Ủy ban nhân dân Phường Bến Thành",
    "Ngày, tháng, năm đăng ký: 05/03/2026",
    NULL,
  };
  g_autoptr(SohoaSchema) schema = load_builtin ("ho-tich.khai-sinh");
  g_autoptr(GPtrArray) words = make_words (lines);
  g_autoptr(GPtrArray) values = sohoa_autofill_page (schema, words, 2480, 3508, 7);
  const SohoaAutofillValue *name;

  assert_value (values, "nksHoTen", "Nguyễn Thị Ngọc Hân");
  assert_value (values, "nksNgaySinh", "02/03/2026");
  /* "tháng tám" is not the ward "Thắng Tam", though they fold alike. */
  assert_value (values, "nksNgaySinhBangChu", "Ngày hai, tháng tám, năm hai nghìn không trăm hai mươi sáu");
  assert_value (values, "nksGioiTinh", "2");
  assert_value (values, "nksDanToc", "01");
  assert_value (values, "nksQuocTich", "Việt Nam");
  assert_value (values, "nksNoiSinh", "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh");
  assert_value (values, "nksQueQuan", "Tỉnh Nghệ An");
  /* Spaces dropped, a letter O read for a zero put right. */
  assert_value (values, "nksSoDinhDanh", "079326012345");
  assert_value (values, "meHoTen", "Trần Thị Lan");
  assert_value (values, "meNgaySinh", "1995");
  assert_value (values, "meDanToc", "04");
  /* Over two lines, with a tone misread in a place name put right from
   * the reference data; the next line's label misread by a letter still
   * ends it and still is found. */
  assert_value (values, "meNoiCuTru", "12 đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh");
  assert_value (values, "meSoGiayToTuyThan", "001195012345");
  assert_value (values, "chaHoTen", "Nguyễn Văn An");
  assert_value (values, "chaNgaySinh", "1990");
  assert_value (values, "chaDanToc", "01");
  assert_value (values, "chaSoGiayToTuyThan", "001090000001");
  assert_value (values, "noiDangKy", "Ủy ban nhân dân Phường Bến Thành");
  assert_value (values, "ngayDangKy", "05/03/2026");
  /* Nothing on the page for these. */
  assert_value (values, "so", NULL);
  assert_value (values, "ghiChu", NULL);
  assert_value (values, "chaNoiCuTru", NULL);

  /* The box covers the value's words only, on line 3; the confidence is
   * the lowest of them. */
  if (!(name = find_value (values, "nksHoTen")))
    g_assert_not_reached ();
  g_assert_cmpint (name->page_id, ==, 7);
  g_assert_cmpint (name->y, ==, 100 + 60 * 3);
  g_assert_cmpint (name->height, ==, 40);
  g_assert_cmpint (name->x, >, 100 + 20 * 16);
  g_assert_cmpfloat (name->confidence, ==, 90 - 7);
}

/* Folding makes anchors survive misread diacritics; a one-word anchor
 * needs its colon; a pattern keeps only the words it matched; a zone keeps
 * out the other column. */
static void
test_matching_rules (void)
{
  static const char * const lines[] = {
    "ỦY BAN NHÂN DÂN \tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "PHƯỜNG SÀI GÒN \tĐộc lập - Tự do - Hạnh phúc",
    "Số: 245/UBND-VP \tPhường Sài Gòn, ngày 17 tháng 02 năm 2026",
    "V/v báo cáo kết quả số hóa",
    "Sổ hộ tịch",
    "",
    "Số liệu năm 2025 như sau",
    NULL,
  };
  g_autoptr(SohoaSchema) schema = load_builtin ("luu-tru.van-ban");
  g_autoptr(GPtrArray) words = make_words (lines);
  g_autoptr(GPtrArray) values = sohoa_autofill_page (schema, words, 2480, 3508, 0);
  const char *json =
    "{\"id\": \"t.t\", \"version\": 1, \"title\": \"T\", \"fields\": ["
    " {\"key\": \"ten\", \"label\": \"Tên\", \"type\": \"person-name\", \"hints\": {\"anchors\": [\"Họ và tên:\"]}},"
    " {\"key\": \"so\", \"label\": \"Số\", \"type\": \"number\", \"hints\": {\"anchors\": [\"Số:\"]}}]}";
  static const char * const misread[] = {
    "Ho va tến: lê văn tám \tSố 12",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) small = sohoa_schema_new_from_data (json, -1, &error);
  g_autoptr(GPtrArray) words2 = make_words (misread);
  g_autoptr(GPtrArray) values2 = NULL;

  assert_value (values, "codeNumber", "245");
  assert_value (values, "codeNotation", "UBND-VP");
  assert_value (values, "issuedDate", "17/02/2026");
  /* The trích yếu without its "V/v" label, over two lines. */
  assert_value (values, "subject", "báo cáo kết quả số hóa Sổ hộ tịch");
  /* Two lines of capitals; official names are written as the reference
   * data writes them. */
  assert_value (values, "organName", "Ủy ban nhân dân Phường Sài Gòn");

  g_assert_no_error (error);
  values2 = sohoa_autofill_page (small, words2, 0, 0, 0);
  assert_value (values2, "ten", "Lê Văn Tám");
  /* "Số 12" has no colon: not the anchor "Số:". */
  assert_value (values2, "so", NULL);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static char *
query_text (SohoaStore *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* The whole way: a rendered birth extract, read by the real OCR, stored,
 * then opened: the child's name and the dates come out right, are stored
 * as read by OCR, and never overwrite what the clerk keyed. */
static void
test_record_from_real_ocr (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(SohoaSchema) schema = load_builtin ("ho-tich.khai-sinh");
  g_autofree char *path = g_build_filename (ws->dir, "extract.png", NULL);
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *confidence = NULL;
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GFile **files;
  gint64 record_id;
  guint n = 0;
  static const char * const keys[] = { "nksHoTen", "nksNgaySinh", "ngayDangKy" };

  g_assert_true (sohoa_sample_page_render_png_with_fields (SOHOA_SAMPLE_BIRTH_EXTRACT, 21, 300, "Liberation Serif",
                                                           path, NULL, &truth, &error));
  g_assert_no_error (error);

  files = sohoa_test_files (path, NULL);
  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  sohoa_ocr_batch_async (ws->context, report->batch_id, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_true (sohoa_ocr_batch_finish (ws->context, wait.result, &n, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_main_loop_unref (wait.loop);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record_id = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page),
                                         sohoa_schema_get_id (schema), sohoa_schema_get_version (schema), &error);
  g_assert_no_error (error);

  /* The clerk already keyed the registration date, differently. */
  g_assert_true (sohoa_store_set_field (store, ws->operator, record_id, "ngayDangKy", "01/01/2026",
                                        SOHOA_VALUE_FILLED, &error));

  values = sohoa_autofill_record (store, schema, ws->operator, record_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const SohoaAutofillValue *value = find_value (values, keys[i]);

      g_test_message ("%s: read “%s”, truth “%s”", keys[i], value ? value->value : "(none)",
                      (const char *) g_hash_table_lookup (truth, keys[i]));
      if (value == NULL)
        g_error ("%s was not found on the page", keys[i]);
      g_assert_cmpstr (value->value, ==, g_hash_table_lookup (truth, keys[i]));
      g_assert_cmpint (value->page_id, ==, sohoa_page_get_id (page));
      g_assert_cmpint (value->width, >, 0);
      g_assert_cmpint (value->height, >, 0);
      g_assert_cmpint (value->x + value->width, <=, (int) sohoa_page_get_width (page));
      g_assert_cmpfloat (value->confidence, >, 0);
      g_assert_cmpint (value->stored, ==, !g_str_equal (keys[i], "ngayDangKy"));
    }

  stored = sohoa_store_get_fields (store, record_id, &error);
  g_assert_cmpstr (g_hash_table_lookup (stored, "nksHoTen"), ==, g_hash_table_lookup (truth, "nksHoTen"));
  g_assert_cmpstr (g_hash_table_lookup (stored, "ngayDangKy"), ==, "01/01/2026");
  source = query_text (store, "SELECT source FROM field_values WHERE key = 'nksHoTen'");
  g_assert_cmpstr (source, ==, "ocr");
  confidence = query_text (store, "SELECT confidence FROM field_values WHERE key = 'nksHoTen'");
  g_assert_cmpfloat (g_ascii_strtod (confidence, NULL), >, 0);
  g_assert_true (sohoa_store_verify_audit (store, NULL, &error));

  /* Opening it again changes nothing: every field found is filled now. */
  again = sohoa_autofill_record (store, schema, ws->operator, record_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < again->len; i++)
    g_assert_false (((SohoaAutofillValue *) g_ptr_array_index (again, i))->stored);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autofill/khai-sinh-words", test_khai_sinh_words);
  g_test_add_func ("/autofill/matching-rules", test_matching_rules);
  g_test_add_func ("/autofill/record-from-real-ocr", test_record_from_real_ocr);

  return g_test_run ();
}
