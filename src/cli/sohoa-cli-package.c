/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "sohoa-cli-private.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The PIN or password of a key: SOHOA_PIN (for scripts and tests), else
 * typed on the terminal without echo, else the next line of standard
 * input.  It is never written anywhere. */
static char *
read_secret (const char *prompt)
{
  const char *env = g_getenv ("SOHOA_PIN");
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char line[256];
  char *result = NULL;

  if (env)
    return g_strdup (env);
  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      result = g_strdup (line);
    }
  explicit_bzero (line, sizeof line);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  return result;
}

static char *
ask_pin_cb (const char *token_label,
            gboolean    retry,
            gpointer    user_data)
{
  g_autofree char *prompt = NULL;

  /* A refused PIN is not asked again from a script: tokens lock. */
  if (retry && (g_getenv ("SOHOA_PIN") || !isatty (STDIN_FILENO)))
    return NULL;
  prompt = g_strdup_printf (retry ? _("Wrong PIN. PIN of the token %s: ") : _("PIN of the token %s: "), token_label);
  return read_secret (prompt);
}

int
sohoa_cli_package (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *p12 = NULL;
  g_autofree char *pkcs11 = NULL;
  g_autoptr(SohoaSigner) signer = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gint64 batch_id;
  GError *error = NULL;
  SohoaCliWait wait = { NULL, NULL };
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The approved batch"), "ID" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The package file to write (.zip)"), "FILE" },
    { "p12", 0, 0, G_OPTION_ARG_FILENAME, &p12, N_("Sign with the key in this PKCS#12 file"), "FILE" },
    { "pkcs11", 0, 0, G_OPTION_ARG_STRING, &pkcs11, N_("Sign with the key on a token (a pkcs11: URL)"), "URL" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("package", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (batch_text == NULL || !g_ascii_string_to_signed (batch_text, 10, 1, G_MAXINT64, &batch_id, NULL) || out == NULL)
    return sohoa_cli_usage_error (_("package needs --batch ID and --out FILE."));
  if (p12 && pkcs11)
    return sohoa_cli_usage_error (_("Sign with --p12 or with --pkcs11, not both."));
  if (!sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);

  if (p12)
    {
      g_autofree char *name = g_path_get_basename (p12);
      g_autofree char *prompt = g_strdup_printf (_("Password of %s: "), name);
      char *password = read_secret (prompt);

      signer = sohoa_signer_new_pkcs12 (p12, password, &error);
      if (password)
        {
          explicit_bzero (password, strlen (password));
          g_free (password);
        }
      if (signer == NULL)
        return sohoa_cli_fail (error);
    }
  else if (pkcs11)
    {
      if (!(signer = sohoa_signer_new_pkcs11 (pkcs11, NULL, ask_pin_cb, NULL, &error)))
        return sohoa_cli_fail (error);
    }

  wait.loop = g_main_loop_new (NULL, FALSE);
  sohoa_package_build_async (cli->context, batch_id, out, signer, job, sohoa_cli_wait_done_cb, &wait);
  result = sohoa_cli_wait_for (job, &wait);
  if (!sohoa_package_build_finish (cli->context, result, &error))
    return sohoa_cli_fail (error);

  if (signer)
    g_print (_("Package of batch %lld written to %s, signed by %s\n"), (long long) batch_id, out,
             sohoa_signer_get_subject (signer));
  else
    g_print (_("Package of batch %lld written to %s (not signed)\n"), (long long) batch_id, out);
  return 0;
}

static int
check_package (const char *command,
               int         argc,
               char      **argv,
               gboolean    unpack)
{
  g_autofree char *ca = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *max_text = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SohoaPackageInfo) info = NULL;
  guint64 max_size = 0;
  GError *error = NULL;
  SohoaCliWait wait = { NULL, NULL };
  GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, N_("PEM file of the certificate authorities to trust"), "FILE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &dest, N_("The new folder to unpack into"), "DIR" },
    { "max-entry-size", 0, 0, G_OPTION_ARG_STRING, &max_text, N_("Refuse files larger than this many bytes"), "BYTES" },
    { NULL }
  };

  if (!sohoa_cli_parse_options (command, entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (argc != 2 || ca == NULL || (unpack && dest == NULL))
    return sohoa_cli_usage_error (unpack ? _("import-package needs one package, --ca FILE and --out DIR.")
                               : _("verify needs one package and --ca FILE."));
  if (max_text && !g_ascii_string_to_unsigned (max_text, 10, 1, G_MAXUINT64, &max_size, NULL))
    return sohoa_cli_usage_error (_("--max-entry-size must be a number of bytes."));

  wait.loop = g_main_loop_new (NULL, FALSE);
  sohoa_package_verify_async (argv[1], ca, unpack ? dest : NULL, max_size, job, sohoa_cli_wait_done_cb, &wait);
  result = sohoa_cli_wait_for (job, &wait);
  if (!(info = sohoa_package_verify_finish (result, &error)))
    {
      g_printerr (_("sohoa-cli: %s is NOT valid: %s\n"), argv[1], error->message);
      g_error_free (error);
      return 1;
    }

  g_print (_("%s: valid package %s, %u files, signed by %s\n"), argv[1], info->objid, info->n_files, info->signer);
  if (unpack)
    g_print (_("Unpacked into %s\n"), dest);
  return 0;
}

int
sohoa_cli_verify (int    argc,
                  char **argv)
{
  return check_package ("verify PACKAGE", argc, argv, FALSE);
}

int
sohoa_cli_import_package (int    argc,
                          char **argv)
{
  return check_package ("import-package PACKAGE", argc, argv, TRUE);
}

/* Whether import-package is asked to unpack into a folder (--out), which
 * needs no workspace, rather than to import into the workspace. */
gboolean
sohoa_cli_import_package_unpacks (int    argc,
                                  char **argv)
{
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--out") || g_str_has_prefix (argv[i], "--out="))
      return TRUE;
  return FALSE;
}

/* sohoa-cli import-package PACKAGE --ca CA.pem: the package becomes a batch
 * of the workspace, waiting for its supervisor's review. */
int
sohoa_cli_receive_package (Cli   *cli,
                           int    argc,
                           char **argv)
{
  g_autofree char *ca = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  gint64 batch_id;
  GError *error = NULL;
  SohoaCliWait wait = { NULL, NULL };
  GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, N_("PEM file of the certificate authorities to trust"), "FILE" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("import-package PACKAGE", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (argc != 2 || ca == NULL)
    return sohoa_cli_usage_error (_("import-package needs one package and --ca FILE."));
  if (!sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);

  wait.loop = g_main_loop_new (NULL, FALSE);
  sohoa_workspace_import_package_async (cli->context, argv[1], ca, job, sohoa_cli_wait_done_cb, &wait);
  result = sohoa_cli_wait_for (job, &wait);
  if (!(batch_id = sohoa_workspace_import_package_finish (cli->context, result, &error)))
    {
      g_printerr (_("sohoa-cli: %s was NOT imported: %s\n"), argv[1], error->message);
      g_error_free (error);
      return 1;
    }

  batch = sohoa_store_get_batch (sohoa_context_get_store (cli->context), batch_id, NULL);
  g_print (_("%s imported as batch %lld (%u pages), waiting for review\n"), argv[1], (long long) batch_id,
           batch ? sohoa_batch_get_n_pages (batch) : 0);
  return 0;
}
