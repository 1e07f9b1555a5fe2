/* sohoa-corpus.c: degraded Vietnamese administrative pages for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sohoa-corpus --out DIR [--pages N] [--seed S]
 *
 * Page i is drawn by the render library and then spoiled the way paper
 * reaches Sohoa.  The degradation d = i mod D cycles through the table
 * below; the kind of page is i mod 3, and on the c-th round through the
 * table (c = i / D) the font is (c + d) mod 2 and the resolution
 * (c / 2 + d / 2) mod 2, so every degradation meets every kind of page,
 * both fonts and both resolutions within four rounds.  Everything else
 * (content, angles, amounts) comes from the seed and i: page i is the same
 * whatever --pages says.
 *
 * Written: DIR/NNN-<degradation>.png (.jpg for “jpeg”), its ground truth
 * DIR/NNN-<degradation>.gt.txt (NFC, one line per visual line) and
 * DIR/corpus.tsv, one row per page with the parameters drawn.
 */

#define G_LOG_DOMAIN "sohoa-corpus"

#include "config.h"

#include "sohoa-sample-page.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <leptonica/allheaders.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAGES 36
#define PHONE_DPI     200
#define MAX_STAINS    4
#define NOISE_TABLE   4096

static void
pix_destroy (PIX *pix)
{
  pixDestroy (&pix);
}

static void
pta_destroy (PTA *pta)
{
  ptaDestroy (&pta);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, pix_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PTA, pta_destroy)

/* What one degradation works with; it may change @dpi or ask for JPEG. */
typedef struct
{
  /* borrowed */
  GRand   *rand;
  GString *note;         /* the parameters drawn, for corpus.tsv */

  /* state */
  guint    dpi;
  int      jpeg_quality; /* 0: PNG */
} Degrade;

typedef PIX *(*DegradeFunc) (PIX     *page,
                             Degrade *degrade);

/* Light falling on the page, or the colour of aged paper: a gradient
 * across the page, a radial fall-off and a few soft stains or shadows. */
typedef struct
{
  double depth_min;
  double depth_max;
  guint  n_stains;
  double stain_radius_min;  /* share of the page width */
  double stain_radius_max;
  double stain_depth_max;
} LightSpec;

typedef struct
{
  double gain[3];
  double depth;
  double mix;               /* gradient share; the rest is radial */
  double dir_x, dir_y;      /* gradient, already divided by its range */
  double offset;
  double cx, cy, inv_r2;
  guint  n_stains;
  struct
  {
    double cx, cy, inv_rx2, inv_ry2, depth;
  } stains[MAX_STAINS];
} Light;

typedef void (*PixelFunc) (int       x,
                           int       y,
                           double    rgb[3],
                           gpointer  user_data);

typedef struct
{
  GRand  *rand;
  double  table[NOISE_TABLE];
} Noise;

typedef struct
{
  Light  light;
  double ink;               /* share of the ink's darkness left */
} Fade;

typedef struct
{
  double lo, hi;            /* grey levels stretched to black and paper */
  double paper;
  double band[4];           /* dark border width: left, top, right, bottom */
  double band_level;
} Copy;

static const struct
{
  const char      *name;
  SohoaSampleKind  kind;
} kinds[] = {
  { "birth", SOHOA_SAMPLE_BIRTH_EXTRACT },
  { "letter", SOHOA_SAMPLE_OFFICIAL_LETTER },
  { "register", SOHOA_SAMPLE_REGISTER },
};

/* Times-like serif and a typewriter face, both with Vietnamese marks. */
static const char * const fonts[] = { "Liberation Serif", "FreeMono" };
static const guint resolutions[] = { 200, 300 };

static const LightSpec paper_light = { 0.10, 0.25, 3, 0.04, 0.12, 0.12 };
static const LightSpec fade_light = { 0.15, 0.30, 2, 0.15, 0.35, 0.25 };
static const LightSpec phone_light = { 0.25, 0.45, 1, 0.30, 0.60, 0.30 };

/* Helpers ------------------------------------------------------------------ */

static double
clamp_level (double value)
{
  return CLAMP (value, 0.0, 255.0);
}

/* Calls @func on every pixel of a 32 bpp @pix, in place. */
static void
map_pixels (PIX       *pix,
            PixelFunc  func,
            gpointer   user_data)
{
  l_uint32 *data = pixGetData (pix);
  l_int32 wpl = pixGetWpl (pix);
  l_int32 w, h;

  g_assert (pixGetDepth (pix) == 32);

  pixGetDimensions (pix, &w, &h, NULL);
  for (l_int32 y = 0; y < h; y++)
    {
      l_uint32 *line = data + y * wpl;

      for (l_int32 x = 0; x < w; x++)
        {
          l_int32 r, g, b;
          double rgb[3];

          extractRGBValues (line[x], &r, &g, &b);
          rgb[0] = r;
          rgb[1] = g;
          rgb[2] = b;
          func (x, y, rgb, user_data);
          composeRGBPixel ((l_int32) (clamp_level (rgb[0]) + 0.5),
                           (l_int32) (clamp_level (rgb[1]) + 0.5),
                           (l_int32) (clamp_level (rgb[2]) + 0.5),
                           &line[x]);
        }
    }
}

static double
random_signed (GRand  *rand,
               double  min,
               double  max)
{
  double value = g_rand_double_range (rand, min, max);

  return g_rand_boolean (rand) ? value : -value;
}

static void
light_init (Light           *light,
            const LightSpec *spec,
            const double     gain[3],
            GRand           *rand,
            l_int32          w,
            l_int32          h)
{
  double angle = g_rand_double_range (rand, 0, 2 * G_PI);
  double dx = cos (angle), dy = sin (angle);
  double lo = MIN (0, dx * w) + MIN (0, dy * h);
  double hi = MAX (0, dx * w) + MAX (0, dy * h);
  double diagonal = hypot (w, h);

  *light = (Light) { 0 };
  memcpy (light->gain, gain, sizeof light->gain);
  light->depth = g_rand_double_range (rand, spec->depth_min, spec->depth_max);
  light->mix = g_rand_double_range (rand, 0.3, 0.7);
  light->dir_x = dx / (hi - lo);
  light->dir_y = dy / (hi - lo);
  light->offset = -lo / (hi - lo);
  light->cx = g_rand_double_range (rand, 0, w);
  light->cy = g_rand_double_range (rand, 0, h);
  light->inv_r2 = 1.0 / (0.8 * diagonal * 0.8 * diagonal);

  light->n_stains = MIN (spec->n_stains, MAX_STAINS);
  for (guint i = 0; i < light->n_stains; i++)
    {
      double rx = g_rand_double_range (rand, spec->stain_radius_min, spec->stain_radius_max) * w;
      double ry = rx * g_rand_double_range (rand, 0.6, 1.4);

      light->stains[i].cx = g_rand_double_range (rand, 0, w);
      light->stains[i].cy = g_rand_double_range (rand, 0, h);
      light->stains[i].inv_rx2 = 1.0 / (rx * rx);
      light->stains[i].inv_ry2 = 1.0 / (ry * ry);
      light->stains[i].depth = g_rand_double_range (rand, spec->stain_depth_max / 3,
                                                    spec->stain_depth_max);
    }
}

/* How much light reaches (x, y): 1 at best, 1 - depth and less at worst. */
static double
light_factor (const Light *light,
              int          x,
              int          y)
{
  double ramp = x * light->dir_x + y * light->dir_y + light->offset;
  double radial = MIN (1.0, ((x - light->cx) * (x - light->cx)
                             + (y - light->cy) * (y - light->cy)) * light->inv_r2);
  double factor = 1.0 - light->depth * (light->mix * ramp + (1 - light->mix) * radial);

  for (guint i = 0; i < light->n_stains; i++)
    {
      double q = (x - light->stains[i].cx) * (x - light->stains[i].cx) * light->stains[i].inv_rx2
                 + (y - light->stains[i].cy) * (y - light->stains[i].cy) * light->stains[i].inv_ry2;

      if (q < 1.0)
        factor *= 1.0 - light->stains[i].depth * (1 - q) * (1 - q);
    }

  return factor;
}

static void
light_pixel_cb (int       x,
                int       y,
                double    rgb[3],
                gpointer  user_data)
{
  const Light *light = user_data;
  double factor = light_factor (light, x, y);

  for (int c = 0; c < 3; c++)
    rgb[c] *= factor * light->gain[c];
}

static void
noise_pixel_cb (int       x,
                int       y,
                double    rgb[3],
                gpointer  user_data)
{
  Noise *noise = user_data;
  double value = noise->table[g_rand_int (noise->rand) % NOISE_TABLE];

  /* The same on every channel: grain, not colour. */
  for (int c = 0; c < 3; c++)
    rgb[c] += value;
}

/* Gaussian grain of @sigma grey levels, from a table of samples drawn with
 * the Box–Muller method. */
static void
add_gaussian_noise (PIX    *pix,
                    GRand  *rand,
                    double  sigma)
{
  g_autofree Noise *noise = g_new (Noise, 1);

  noise->rand = rand;
  for (guint i = 0; i < NOISE_TABLE; i++)
    {
      double u = 1.0 - g_rand_double (rand);
      double v = g_rand_double (rand);

      noise->table[i] = sigma * sqrt (-2.0 * log (u)) * cos (2 * G_PI * v);
    }
  map_pixels (pix, noise_pixel_cb, noise);
}

/* Round dots up to @max_radius pixels, grey @lo to @hi: pepper, salt,
 * toner specks. */
static void
draw_dots (PIX    *pix,
           GRand  *rand,
           guint   count,
           double  max_radius,
           int     lo,
           int     hi)
{
  l_int32 w, h;

  pixGetDimensions (pix, &w, &h, NULL);
  for (guint i = 0; i < count; i++)
    {
      int cx = g_rand_int_range (rand, 0, w);
      int cy = g_rand_int_range (rand, 0, h);
      double r = g_rand_double_range (rand, 0, max_radius);
      int level = g_rand_int_range (rand, lo, hi + 1);
      int reach = (int) ceil (r);
      l_uint32 value;

      composeRGBPixel (level, level, level, &value);
      for (int y = MAX (0, cy - reach); y <= MIN (h - 1, cy + reach); y++)
        for (int x = MAX (0, cx - reach); x <= MIN (w - 1, cx + reach); x++)
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r + 0.25)
            pixSetPixel (pix, x, y, value);
    }
}

/* Bands of grey @level along the edges: band[0] pixels wide on the left,
 * then top, right and bottom. */
static void
darken_edges (PIX          *pix,
              const double  band[4],
              int           level)
{
  l_int32 w = pixGetWidth (pix), h = pixGetHeight (pix);
  l_int32 left = (l_int32) band[0], top = (l_int32) band[1];
  l_int32 right = (l_int32) band[2], bottom = (l_int32) band[3];
  const l_int32 boxes[4][4] = {
    { 0, 0, left, h },
    { 0, 0, w, top },
    { w - right, 0, right, h },
    { 0, h - bottom, w, bottom },
  };
  l_uint32 dark;

  composeRGBPixel (level, level, level, &dark);
  for (int i = 0; i < 4; i++)
    {
      BOX *box;

      if (boxes[i][2] <= 0 || boxes[i][3] <= 0)
        continue;
      box = boxCreate (boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]);
      pixSetInRectArbitrary (pix, box, dark);
      boxDestroy (&box);
    }
}

static PIX *
rotate_degrees (PIX     *pix,
                double   degrees,
                l_int32  incolor)
{
  /* Leptonica turns clockwise for a positive angle. */
  return pixRotate (pix, (l_float32) (degrees * G_PI / 180.0), L_ROTATE_AREA_MAP, incolor, 0, 0);
}

/* Degradations ------------------------------------------------------------- */

static PIX *
degrade_clean (PIX     *page,
               Degrade *degrade)
{
  return pixCopy (NULL, page);
}

static PIX *
degrade_skew (PIX     *page,
              Degrade *degrade)
{
  double angle = random_signed (degrade->rand, 0.5, 3.0);

  g_string_append_printf (degrade->note, "angle=%+.2f", angle);
  return rotate_degrees (page, angle, L_BRING_IN_WHITE);
}

static PIX *
degrade_rot90 (PIX     *page,
               Degrade *degrade)
{
  int quarter_turns = g_rand_boolean (degrade->rand) ? 1 : 3;

  g_string_append_printf (degrade->note, "clockwise=%d", quarter_turns * 90);
  return pixRotateOrth (page, quarter_turns);
}

static PIX *
degrade_rot180 (PIX     *page,
                Degrade *degrade)
{
  return pixRotateOrth (page, 2);
}

static PIX *
degrade_noise (PIX     *page,
               Degrade *degrade)
{
  g_autoptr(PIX) noisy = pixCopy (NULL, page);
  double sigma = g_rand_double_range (degrade->rand, 10, 22);
  double speckled = g_rand_double_range (degrade->rand, 0.002, 0.006);
  guint dots = (guint) (speckled * pixGetWidth (page) * pixGetHeight (page) / 2);

  g_string_append_printf (degrade->note, "sigma=%.1f salt+pepper=%.2f%%", sigma, speckled * 100);
  add_gaussian_noise (noisy, degrade->rand, sigma);
  draw_dots (noisy, degrade->rand, dots, 0, 0, 40);
  draw_dots (noisy, degrade->rand, dots, 0, 215, 255);
  return g_steal_pointer (&noisy);
}

static PIX *
degrade_blur (PIX     *page,
              Degrade *degrade)
{
  /* About 0.4 mm wide at either resolution. */
  int half = degrade->dpi >= 300 ? 2 : 1;

  g_string_append_printf (degrade->note, "box=%dx%d", 2 * half + 1, 2 * half + 1);
  return pixBlockconv (page, half, half);
}

static PIX *
degrade_jpeg (PIX     *page,
              Degrade *degrade)
{
  degrade->jpeg_quality = g_rand_int_range (degrade->rand, 40, 61);
  g_string_append_printf (degrade->note, "quality=%d", degrade->jpeg_quality);
  return pixCopy (NULL, page);
}

static PIX *
degrade_yellowed (PIX     *page,
                  Degrade *degrade)
{
  g_autoptr(PIX) aged = pixCopy (NULL, page);
  double gain[3] = { 1.0, 0, 0 };
  Light light;

  /* One draw per statement: the order of evaluation inside an initializer
   * list or an argument list is up to the compiler, the corpus is not. */
  gain[1] = g_rand_double_range (degrade->rand, 0.88, 0.94);
  gain[2] = g_rand_double_range (degrade->rand, 0.68, 0.80);

  light_init (&light, &paper_light, gain, degrade->rand, pixGetWidth (page), pixGetHeight (page));
  g_string_append_printf (degrade->note, "paper=1.00/%.2f/%.2f light=%.2f", gain[1], gain[2],
                          light.depth);
  map_pixels (aged, light_pixel_cb, &light);
  return g_steal_pointer (&aged);
}

static void
fade_pixel_cb (int       x,
               int       y,
               double    rgb[3],
               gpointer  user_data)
{
  const Fade *fade = user_data;
  double ink = fade->ink * light_factor (&fade->light, x, y);

  for (int c = 0; c < 3; c++)
    rgb[c] = (255.0 - (255.0 - rgb[c]) * ink) * fade->light.gain[c];
}

static PIX *
degrade_faded (PIX     *page,
               Degrade *degrade)
{
  g_autoptr(PIX) faded = pixCopy (NULL, page);
  const double paper[3] = { 1.0, 0.98, 0.93 };
  Fade fade;

  /* Uneven fading: the light field says how much ink is left where. */
  light_init (&fade.light, &fade_light, paper, degrade->rand,
              pixGetWidth (page), pixGetHeight (page));
  fade.ink = g_rand_double_range (degrade->rand, 0.38, 0.50);
  g_string_append_printf (degrade->note, "ink=%.2f uneven=%.2f", fade.ink, fade.light.depth);
  map_pixels (faded, fade_pixel_cb, &fade);
  return g_steal_pointer (&faded);
}

static void
copy_pixel_cb (int       x,
               int       y,
               double    rgb[3],
               gpointer  user_data)
{
  const Copy *copy = user_data;
  double level = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];

  /* Toner: the mid-greys go to black or to paper. */
  level = CLAMP ((level - copy->lo) / (copy->hi - copy->lo), 0.0, 1.0) * copy->paper;

  rgb[0] = rgb[1] = rgb[2] = level;
}

static PIX *
degrade_photocopy (PIX     *page,
                   Degrade *degrade)
{
  g_autoptr(PIX) skewed = NULL;
  l_int32 w = pixGetWidth (page), h = pixGetHeight (page);
  double angle = random_signed (degrade->rand, 0.2, 1.0);
  double scale = degrade->dpi / 300.0;
  guint specks = (guint) (w * h / g_rand_double_range (degrade->rand, 8000, 20000));
  Copy copy = { 0 };
  int side;

  copy.lo = g_rand_double_range (degrade->rand, 60, 100);
  copy.hi = g_rand_double_range (degrade->rand, 170, 200);
  copy.paper = g_rand_double_range (degrade->rand, 228, 245);
  copy.band_level = g_rand_double_range (degrade->rand, 15, 50);

  side = g_rand_int_range (degrade->rand, 0, 4);
  /* One or two sides the sheet did not cover get the lid's dark shadow. */
  copy.band[side] = g_rand_double_range (degrade->rand, 0.01, 0.03) * (side % 2 ? h : w);
  if (g_rand_boolean (degrade->rand))
    {
      side = (side + g_rand_int_range (degrade->rand, 1, 4)) % 4;
      copy.band[side] = g_rand_double_range (degrade->rand, 0.01, 0.03) * (side % 2 ? h : w);
    }

  g_string_append_printf (degrade->note, "angle=%+.2f levels=%.0f-%.0f specks=%u border=%.0f/%.0f/%.0f/%.0f",
                          angle, copy.lo, copy.hi, specks,
                          copy.band[0], copy.band[1], copy.band[2], copy.band[3]);

  /* Skewed on the glass: what lies outside the sheet copies black. */
  skewed = rotate_degrees (page, angle, L_BRING_IN_BLACK);
  map_pixels (skewed, copy_pixel_cb, &copy);
  darken_edges (skewed, copy.band, (int) copy.band_level);
  draw_dots (skewed, degrade->rand, specks, 1.5 * scale, 0, 80);
  add_gaussian_noise (skewed, degrade->rand, 5);

  return pixConvertRGBToLuminance (skewed);
}

static PIX *
degrade_phone (PIX     *page,
               Degrade *degrade)
{
  g_autoptr(PIX) small = NULL;
  g_autoptr(PIX) warped = NULL;
  g_autoptr(PTA) from = ptaCreate (4);
  g_autoptr(PTA) to = ptaCreate (4);
  const double corner_x[4] = { 0, 1, 1, 0 };
  const double corner_y[4] = { 0, 0, 1, 1 };
  double warm[3] = { 1.0, 0, 0 };
  l_int32 table_rgb[3];
  l_uint32 table;
  l_int32 w, h;
  Light light;

  warm[1] = g_rand_double_range (degrade->rand, 0.93, 0.97);
  warm[2] = g_rand_double_range (degrade->rand, 0.82, 0.90);

  /* A phone photo of a whole A4 sheet has about 200 dpi to spare. */
  if (degrade->dpi > PHONE_DPI)
    small = pixScale (page, (l_float32) PHONE_DPI / degrade->dpi, (l_float32) PHONE_DPI / degrade->dpi);
  else
    small = pixClone (page);
  degrade->dpi = MIN (degrade->dpi, PHONE_DPI);
  pixGetDimensions (small, &w, &h, NULL);

  /* Each corner pulled in on its own: keystone, a little turn, the table
   * showing around the sheet. */
  g_string_append (degrade->note, "corners=");
  for (int i = 0; i < 4; i++)
    {
      double inset_x = g_rand_double_range (degrade->rand, 0.01, 0.08);
      double inset_y = g_rand_double_range (degrade->rand, 0.01, 0.06);
      double sx = corner_x[i] * (w - 1);
      double sy = corner_y[i] * (h - 1);
      double tx = sx + (corner_x[i] > 0 ? -1 : 1) * inset_x * w;
      double ty = sy + (corner_y[i] > 0 ? -1 : 1) * inset_y * h;

      ptaAddPt (from, (l_float32) sx, (l_float32) sy);
      ptaAddPt (to, (l_float32) tx, (l_float32) ty);
      g_string_append_printf (degrade->note, "%s%.0f,%.0f", i ? "/" : "", tx - sx, ty - sy);
    }
  table_rgb[2] = g_rand_int_range (degrade->rand, 40, 90);
  table_rgb[1] = g_rand_int_range (degrade->rand, 60, 110);
  table_rgb[0] = g_rand_int_range (degrade->rand, 70, 140);
  composeRGBPixel (table_rgb[0], table_rgb[1], table_rgb[2], &table);
  warped = pixProjectivePtaColor (small, to, from, table);
  if (warped == NULL)
    return NULL;

  light_init (&light, &phone_light, warm, degrade->rand, w, h);
  g_string_append_printf (degrade->note, " light=%.2f", light.depth);
  map_pixels (warped, light_pixel_cb, &light);
  add_gaussian_noise (warped, degrade->rand, g_rand_double_range (degrade->rand, 3, 6));

  return pixBlockconv (warped, 1, 1);
}

static const struct
{
  const char  *name;
  DegradeFunc  apply;
} degradations[] = {
  { "clean", degrade_clean },
  { "skew", degrade_skew },
  { "rot90", degrade_rot90 },
  { "rot180", degrade_rot180 },
  { "noise", degrade_noise },
  { "blur", degrade_blur },
  { "jpeg", degrade_jpeg },
  { "yellowed", degrade_yellowed },
  { "faded", degrade_faded },
  { "photocopy", degrade_photocopy },
  { "phone", degrade_phone },
};

/* Pages -------------------------------------------------------------------- */

static gboolean
write_page (const char  *out_dir,
            guint        index,
            guint        seed,
            GString     *manifest,
            GError     **error)
{
  guint d = index % G_N_ELEMENTS (degradations);
  guint cycle = index / G_N_ELEMENTS (degradations);
  const char *name = degradations[d].name;
  SohoaSampleKind kind = kinds[index % G_N_ELEMENTS (kinds)].kind;
  const char *kind_name = kinds[index % G_N_ELEMENTS (kinds)].name;
  const char *font = fonts[(cycle + d) % G_N_ELEMENTS (fonts)];
  guint dpi = resolutions[(cycle / 2 + d / 2) % G_N_ELEMENTS (resolutions)];
  guint render_seed = seed * 1000003u + index;
  guint32 rand_seed[2] = { seed, index };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (rand_seed, G_N_ELEMENTS (rand_seed));
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *stem = g_strdup_printf ("%03u-%s", index, name);
  g_autofree char *scratch = g_strdup_printf ("%s/.%s-render.png", out_dir, stem);
  g_autofree char *truth = NULL;
  g_autofree char *truth_nfc = NULL;
  g_autofree char *truth_path = NULL;
  g_autofree char *truth_text = NULL;
  g_autofree char *image_name = NULL;
  g_autofree char *image_path = NULL;
  g_autoptr(PIX) rendered = NULL;
  g_autoptr(PIX) page = NULL;
  g_autoptr(PIX) degraded = NULL;
  Degrade degrade = { .rand = rand, .note = note, .dpi = dpi };
  l_ok written;

  if (!sohoa_sample_page_render_png (kind, render_seed, dpi, font, scratch, &truth, error))
    return FALSE;
  rendered = pixRead (scratch);
  g_unlink (scratch);
  if (rendered == NULL || (page = pixConvertTo32 (rendered)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not read back the page %s", stem);
      return FALSE;
    }

  degraded = degradations[d].apply (page, &degrade);
  if (degraded == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not degrade the page %s", stem);
      return FALSE;
    }
  pixSetResolution (degraded, degrade.dpi, degrade.dpi);

  image_name = g_strconcat (stem, degrade.jpeg_quality > 0 ? ".jpg" : ".png", NULL);
  image_path = g_build_filename (out_dir, image_name, NULL);
  if (degrade.jpeg_quality > 0)
    written = pixWriteJpeg (image_path, degraded, degrade.jpeg_quality, 0);
  else
    written = pixWrite (image_path, degraded, IFF_PNG);
  if (written != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", image_path);
      return FALSE;
    }

  truth_nfc = g_utf8_normalize (truth, -1, G_NORMALIZE_NFC);
  truth_text = g_strconcat (truth_nfc, "\n", NULL);
  truth_path = g_strdup_printf ("%s/%s.gt.txt", out_dir, stem);
  if (!g_file_set_contents (truth_path, truth_text, -1, error))
    return FALSE;

  g_string_append_printf (manifest, "%s\t%s\t%s\t%s\t%u\t%u\t%s\n",
                          image_name, name, kind_name, font, degrade.dpi, render_seed, note->str);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) manifest = g_string_new ("file\tdegradation\tkind\tfont\tdpi\trender_seed\tparameters\n");
  g_autofree char *out_dir = NULL;
  g_autofree char *manifest_path = NULL;
  gint pages = DEFAULT_PAGES;
  gint seed = 1;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Folder to write the pages to", "DIR" },
    { "pages", 'n', 0, G_OPTION_ARG_INT, &pages,
      "How many pages (default 36)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed,
      "Number that chooses content and damage (default 1)", "S" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  setMsgSeverity (L_SEVERITY_ERROR);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Write synthetic Vietnamese administrative pages, "
                                         "degraded as scans, copies and phone photos, with their text.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sohoa-corpus: %s\n", error->message);
      return 2;
    }
  if (out_dir == NULL || pages < 1 || seed < 0)
    {
      g_printerr ("sohoa-corpus: --out DIR is required; --pages must be at least 1 and "
                  "--seed not negative\n");
      return 2;
    }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_printerr ("sohoa-corpus: could not create %s\n", out_dir);
      return 1;
    }

  for (gint i = 0; i < pages; i++)
    if (!write_page (out_dir, (guint) i, (guint) seed, manifest, &error))
      {
        g_printerr ("sohoa-corpus: %s\n", error->message);
        return 1;
      }

  manifest_path = g_build_filename (out_dir, "corpus.tsv", NULL);
  if (!g_file_set_contents (manifest_path, manifest->str, -1, &error))
    {
      g_printerr ("sohoa-corpus: %s\n", error->message);
      return 1;
    }

  g_print ("%d pages in %s\n", pages, out_dir);
  return EXIT_SUCCESS;
}
