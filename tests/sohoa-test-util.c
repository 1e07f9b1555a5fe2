/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-test"

#include "config.h"

#include "sohoa-test-util.h"

#include <string.h>

#include <leptonica/allheaders.h>

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

SohoaTestWorkspace *
sohoa_test_workspace_new (void)
{
  SohoaTestWorkspace *ws = g_new0 (SohoaTestWorkspace, 1);
  g_autoptr(GError) error = NULL;
  SohoaStore *store;

  ws->dir = g_dir_make_tmp ("sohoa-test-XXXXXX", &error);
  g_assert_no_error (error);
  ws->context = sohoa_context_open (ws->dir, &error);
  g_assert_no_error (error);

  store = sohoa_context_get_store (ws->context);
  ws->admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "admin", "Quản Trị Viên", "admin-pw", &error);
  g_assert_no_error (error);
  ws->operator = sohoa_store_add_user (store, ws->admin, "canbo", "Nguyễn Thị Lan", SOHOA_ROLE_OPERATOR, "canbo-pw", &error);
  g_assert_no_error (error);
  ws->supervisor = sohoa_store_add_user (store, ws->admin, "giamsat", "Trần Văn Minh", SOHOA_ROLE_SUPERVISOR, "giamsat-pw", &error);
  g_assert_no_error (error);

  sohoa_context_set_user (ws->context, ws->operator);
  return ws;
}

void
sohoa_test_workspace_free (SohoaTestWorkspace *ws)
{
  g_autoptr(GFile) dir = NULL;

  if (ws == NULL)
    return;

  g_clear_object (&ws->admin);
  g_clear_object (&ws->operator);
  g_clear_object (&ws->supervisor);
  g_clear_object (&ws->context);

  dir = g_file_new_for_path (ws->dir);
  remove_tree (dir);
  g_free (ws->dir);
  g_free (ws);
}

static PIX *
make_pix (guint seed)
{
  PIX *pix = pixCreate (400, 560, 32);
  GRand *rand = g_rand_new_with_seed (seed);

  pixSetAll (pix);
  /* Dark "text lines" at random places make every seed a different image. */
  for (int line = 0; line < 20; line++)
    {
      int y = 30 + line * 25;
      int x = g_rand_int_range (rand, 20, 60);
      int w = g_rand_int_range (rand, 120, 340);
      BOX *box = boxCreate (x, y, w, 8);

      pixSetInRectArbitrary (pix, box, 0x20202000);
      boxDestroy (&box);
    }
  pixSetResolution (pix, 300, 300);
  g_rand_free (rand);
  return pix;
}

char *
sohoa_test_write_image (const char *dir,
                        const char *name,
                        const char *format,
                        guint       seed,
                        guint       n_frames)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (g_str_equal (format, "tiff"))
    {
      PIXA *pixa = pixaCreate ((l_int32) n_frames);

      for (guint i = 0; i < n_frames; i++)
        pixaAddPix (pixa, make_pix (seed + i), L_INSERT);
      g_assert_cmpint (pixaWriteMultipageTiff (path, pixa), ==, 0);
      pixaDestroy (&pixa);
    }
  else
    {
      PIX *pix = make_pix (seed);

      g_assert_cmpint (pixWrite (path, pix, g_str_equal (format, "png") ? IFF_PNG : IFF_JFIF_JPEG), ==, 0);
      pixDestroy (&pix);
    }
  return g_steal_pointer (&path);
}

GFile **
sohoa_test_files (const char *first_path,
                  ...)
{
  GPtrArray *files = g_ptr_array_new ();
  va_list args;

  va_start (args, first_path);
  for (const char *path = first_path; path; path = va_arg (args, const char *))
    g_ptr_array_add (files, g_file_new_for_path (path));
  va_end (args);

  g_ptr_array_add (files, NULL);
  return (GFile **) g_ptr_array_free (files, FALSE);
}

void
sohoa_test_files_free (GFile **files)
{
  for (guint i = 0; files && files[i]; i++)
    g_object_unref (files[i]);
  g_free (files);
}

char *
sohoa_test_run (const char * const *argv,
                int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, status, &error);
  g_assert_no_error (error);
  return out;
}

/* A one-page PDF with a line of text, offsets and all, as a PDF writer
 * makes it: Poppler must open and render it like any searchable PDF. */
char *
sohoa_test_make_pdf (const char *text,
                     gsize      *length)
{
  g_autofree char *stream = g_strdup_printf ("BT /F1 24 Tf 72 720 Td (%s) Tj ET", text);
  const char *objects[5];
  g_autofree char *page_stream = NULL;
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[5];
  gsize xref;

  page_stream = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (stream), stream);
  objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
  objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>";
  objects[3] = page_stream;
  objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  for (guint i = 0; i < 5; i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 6\n0000000000 65535 f \n");
  for (guint i = 0; i < 5; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
  *length = pdf->len;
  return g_string_free (pdf, FALSE);
}

/* A CA, and a PKCS#12 file with a signer's key and certificate, made by
 * certtool (GnuTLS's own tool, not Sohoa), in @dir; the PKCS#12 password
 * is "mat-khau". */
void
sohoa_test_make_signing_keys (const char  *dir,
                              char       **p12,
                              char       **ca)
{
  static const char * const steps[][16] = {
    { "certtool", "--generate-privkey", "--key-type", "rsa", "--bits", "2048", "--outfile", "ca-key.pem", NULL },
    { "certtool", "--generate-self-signed", "--load-privkey", "ca-key.pem", "--template", "ca.tmpl", "--outfile", "ca.pem", NULL },
    { "certtool", "--generate-privkey", "--key-type", "rsa", "--bits", "2048", "--outfile", "key.pem", NULL },
    { "certtool", "--generate-certificate", "--load-privkey", "key.pem", "--load-ca-certificate", "ca.pem",
      "--load-ca-privkey", "ca-key.pem", "--template", "signer.tmpl", "--outfile", "cert.pem", NULL },
    { "certtool", "--to-p12", "--load-privkey", "key.pem", "--load-certificate", "cert.pem", "--p12-name", "ky-so",
      "--password", "mat-khau", "--outder", "--outfile", "key.p12", NULL },
  };
  g_autofree char *ca_tmpl = g_build_filename (dir, "ca.tmpl", NULL);
  g_autofree char *signer_tmpl = g_build_filename (dir, "signer.tmpl", NULL);

  g_assert_true (g_file_set_contents (ca_tmpl, "cn = \"Test CA\"\nca\ncert_signing_key\nexpiration_days = 2\n", -1, NULL));
  g_assert_true (g_file_set_contents (signer_tmpl, "cn = \"UBND Phường Sài Gòn\"\nsigning_key\nexpiration_days = 2\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;
      int status;

      g_assert_true (g_spawn_sync (dir, (char **) steps[i], NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                                   G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  *p12 = g_build_filename (dir, "key.p12", NULL);
  *ca = g_build_filename (dir, "ca.pem", NULL);
}
