/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The entry point every target defines, as libFuzzer calls it; replay-main.c
 * calls it too, so a gcc build replays the corpora without libFuzzer. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical warning from bad input is a bug: make it abort, so the fuzzer
 * reports it as a crash. */
static inline void
sohoa_fuzz_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
      g_log_set_writer_func (g_log_writer_default, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

G_END_DECLS
