/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-renderer"

#include "config.h"

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "sohoa-renderer.h"

/* Where OpenGL is rendered on the CPU (llvmpipe: office PCs without a
 * driver, virtual machines, remote desktops), GTK 4.8's GL renderer
 * repaints the whole window for every change, and a progress bar moving
 * while the OCR workers hold both cores stalls the window for a tenth of a
 * second at a time.  GTK does the same check itself from 4.14 on ("gsk:
 * Don't use gpu renderers with llvmpipe"); before that, the application
 * makes the choice.  An explicit GSK_RENDERER always wins. */
static gboolean
gl_is_software (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  if (!(context = gdk_display_create_gl_context (display, &error)) ||
      !gdk_gl_context_realize (context, &error))
    {
      /* Without GL, GTK falls back to cairo by itself. */
      g_debug ("No OpenGL context: %s", error->message);
      return FALSE;
    }

  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = renderer != NULL &&
             (strstr (renderer, "llvmpipe") != NULL ||
              strstr (renderer, "softpipe") != NULL ||
              strstr (renderer, "SWR") != NULL);
  g_debug ("OpenGL renderer: %s", renderer ? renderer : "unknown");
  gdk_gl_context_clear_current ();

  return software;
}

/**
 * sohoa_renderer_choose:
 *
 * Picks the cairo renderer when OpenGL is rendered in software and GTK is
 * older than 4.14.  Call it after gtk_init() and before any window is
 * shown: GTK reads `GSK_RENDERER` when it realizes its first surface.
 *
 * Returns: the renderer now asked for in `GSK_RENDERER`, or %NULL when GTK
 *   chooses
 */
const char *
sohoa_renderer_choose (void)
{
  GdkDisplay *display;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return g_getenv ("GSK_RENDERER");
  if (gtk_get_major_version () > 4 || gtk_get_minor_version () >= 14)
    return NULL;
  if (!(display = gdk_display_get_default ()))
    return NULL;

  if (gl_is_software (display))
    {
      g_setenv ("GSK_RENDERER", "cairo", FALSE);
      return "cairo";
    }
  return NULL;
}
