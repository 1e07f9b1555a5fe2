/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* The entry point every target defines, as libFuzzer calls it; replay-main.c
 * calls it too, so a gcc build replays the corpora without libFuzzer. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical warning from bad input is a bug: print it and abort(), which
 * libFuzzer and the sanitizers report as a crash with its input (GLib's own
 * fatal path raises SIGTRAP, which they do not catch). */
static inline GLogWriterOutput
sohoa_fuzz_log_writer (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    abort ();
  return result;
}

static inline void
sohoa_fuzz_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_log_set_writer_func (sohoa_fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

G_END_DECLS
