/* sohoa-sample-page.c: synthetic Vietnamese administrative pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws A4 pages that look like the paper Sohoa digitizes (a birth extract,
 * an official letter, a page of a birth register) with Pango on a cairo
 * image surface, and returns the exact text drawn. Everything on a page is
 * chosen from the seed, so a seed names a page for tests and benchmarks.
 *
 * Ground truth: one line per visual line, taken from Pango's own line
 * breaking. Where blocks sit side by side (the two-column header, the
 * recipients list beside the signature) the left block is read before the
 * right one; where short items share one line (a form row, a table row) they
 * are read left to right and joined by one space.
 */

#define G_LOG_DOMAIN "sohoa-render"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-sample-page.h"

#include <gio/gio.h>
#include <pango/pangocairo.h>
#include <string.h>

#define A4_WIDTH_MM  210.0
#define A4_HEIGHT_MM 297.0
#define MM_PER_INCH  25.4
#define MIN_DPI      72
#define MAX_DPI      600

/* Page margins from NĐ 30/2020/NĐ-CP (Phụ lục I): top and bottom 20–25 mm,
 * left 30–35 mm, right 15–20 mm. */
#define MARGIN_TOP_MM    20.0
#define MARGIN_BOTTOM_MM 20.0
#define MARGIN_LEFT_MM   30.0
#define MARGIN_RIGHT_MM  15.0
#define CONTENT_WIDTH_MM (A4_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)

#define BODY_PT  13.0
#define SMALL_PT 11.0
#define TABLE_PT 11.0

/* Gap left between items that share a line, and below each such line. */
#define ITEM_GAP_MM  4.0
#define LINE_GAP_MM  1.2
/* Padding inside a table cell; entries on a register page. */
#define CELL_PAD_MM   1.5
#define REGISTER_ROWS 16

typedef enum
{
  STYLE_REGULAR = 0,
  STYLE_BOLD = 1 << 0,
  STYLE_ITALIC = 1 << 1,
} TextStyle;

/* splitmix64: a tiny generator whose sequence never changes with the GLib
 * version, so a seed always names the same page. */
typedef struct
{
  guint64 state;
} Rng;

typedef struct
{
  int day;
  int month;
  int year;
} Date;

typedef struct
{
  const char *cccd_code;
  const char *name;
} Province;

typedef struct
{
  const char     *name;
  gboolean        female;
  Date            birth;
  const char     *id;
  const char     *ethnic;
  const Province *origin;
  const char     *residence;
} Person;

typedef struct
{
  /* owned */
  cairo_t      *cr;
  PangoContext *context;
  GString      *text;
  GPtrArray    *pool;
  GHashTable   *fields;   /* nullable: field key → value as a clerk keys it */

  /* borrowed */
  const char *family;

  /* state */
  Rng    rng;
  double px_per_mm;
  double left;   /* content box, in device pixels */
  double width;
  double y;      /* cursor: top of the next line, in device pixels */
  double bottom;
} Sample;

/* A vertical stack of lines inside one column of the page. */
typedef struct
{
  double   x_mm;
  double   width_mm;
  double   y;
  GString *text;
} Column;

/* One item of a line: markup drawn at a tab stop. */
typedef struct
{
  double      tab_mm;
  const char *markup;
} Item;

/* One cell of a ruled table row. */
typedef struct
{
  double         width_mm;
  const char    *markup;
  PangoAlignment align;
} Cell;

/* ------------------------------------------------------------------------ */
/* Content                                                                  */
/* ------------------------------------------------------------------------ */

/* Weighted by repetition, roughly as common as in Ho Chi Minh City. */
static const char * const surnames[] = {
  "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn",
  "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Huỳnh", "Hoàng",
  "Phan", "Võ", "Võ", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
  "Dương", "Lý", "Lâm", "Đinh", "Trương", "Mai", "Lương", "Tô",
  "Châu", "Quách", "Thạch", "Đoàn", "Tạ",
};

static const char * const middle_names_male[] = {
  "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng",
  "Công", "Gia", "Tuấn", "Nhật", "Bảo", "Trọng", "Đình",
};

static const char * const middle_names_female[] = {
  "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Mỹ", "Kim",
  "Bảo", "Phương", "Hoài", "Khánh", "Thùy", "Tường", "Diễm",
};

static const char * const given_names_male[] = {
  "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khang",
  "Khoa", "Long", "Minh", "Nam", "Phúc", "Quân", "Sơn", "Tài",
  "Thắng", "Trí", "Tuấn", "Vinh", "Hiếu", "Lộc", "Nghĩa", "Thịnh",
};

static const char * const given_names_female[] = {
  "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hương",
  "Lan", "Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên",
  "Thảo", "Trang", "Uyên", "Yến", "Vy", "Trâm", "Ngọc", "Nhi",
};

/* Current wards and communes (from data/reference/hcmc-units.csv). */
static const char * const wards[] = {
  "Phường Sài Gòn", "Phường Tân Định", "Phường Bến Thành",
  "Phường Cầu Ông Lãnh", "Phường Bàn Cờ", "Phường Xuân Hòa",
  "Phường Nhiêu Lộc", "Phường Chợ Quán", "Phường An Đông",
  "Phường Chợ Lớn", "Phường Bình Tây", "Phường Phú Lâm",
  "Phường Gia Định", "Phường Bình Thạnh", "Phường Gò Vấp",
  "Phường Phú Nhuận", "Phường Tân Sơn Nhất", "Phường Tân Bình",
  "Phường Hiệp Bình", "Phường Thủ Đức", "Xã Bình Chánh", "Xã Củ Chi",
};

/* Wards and communes before 01/7/2025, for register books of those years
 * (from data/reference/hcmc-units-old-to-new.csv). */
static const char * const old_units[] = {
  "Phường Bến Nghé, Quận 1", "Phường Đa Kao, Quận 1",
  "Phường Tân Định, Quận 1", "Phường 5, Quận 3", "Phường 7, Quận 5",
  "Phường 14, Quận 10", "Phường 12, Quận Bình Thạnh",
  "Phường An Lạc, Quận Bình Tân", "Phường Tân Phong, Quận 7",
  "Phường Phú Thọ Hòa, Quận Tân Phú", "Xã Bình Hưng, Huyện Bình Chánh",
  "Thị trấn Củ Chi, Huyện Củ Chi",
};

/* CCCD province codes (TT 07/2016, data/reference/cccd-province-codes.csv);
 * Ho Chi Minh City is repeated so that most people were born there. */
static const Province provinces[] = {
  { "079", "Thành phố Hồ Chí Minh" },
  { "079", "Thành phố Hồ Chí Minh" },
  { "079", "Thành phố Hồ Chí Minh" },
  { "079", "Thành phố Hồ Chí Minh" },
  { "074", "Tỉnh Bình Dương" },
  { "077", "Tỉnh Bà Rịa - Vũng Tàu" },
  { "075", "Tỉnh Đồng Nai" },
  { "080", "Tỉnh Long An" },
  { "082", "Tỉnh Tiền Giang" },
  { "083", "Tỉnh Bến Tre" },
  { "087", "Tỉnh Đồng Tháp" },
  { "092", "Thành phố Cần Thơ" },
  { "094", "Tỉnh Sóc Trăng" },
  { "049", "Tỉnh Quảng Nam" },
  { "051", "Tỉnh Quảng Ngãi" },
  { "052", "Tỉnh Bình Định" },
  { "040", "Tỉnh Nghệ An" },
  { "038", "Tỉnh Thanh Hóa" },
  { "036", "Tỉnh Nam Định" },
  { "034", "Tỉnh Thái Bình" },
  { "001", "Thành phố Hà Nội" },
};

/* Ethnic groups (data/reference/ethnic-groups.csv), weighted. */
static const char * const ethnic_groups[] = {
  "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh",
  "Kinh", "Kinh", "Kinh", "Kinh", "Hoa", "Hoa", "Khơ-me", "Chăm",
  "Tày", "Nùng", "Mường",
};

static const char * const streets[] = {
  "Nguyễn Trãi", "Lê Lợi", "Hai Bà Trưng", "Điện Biên Phủ",
  "Cách Mạng Tháng Tám", "Võ Văn Tần", "Nguyễn Thị Minh Khai",
  "Trần Hưng Đạo", "Lý Thường Kiệt", "Phan Xích Long", "Trần Quốc Thảo",
  "Nguyễn Đình Chiểu", "Hùng Vương", "Lê Văn Sỹ", "Phan Đăng Lưu",
  "Nơ Trang Long", "Kinh Dương Vương", "Tô Hiến Thành",
};

static const char * const hospitals[] = {
  "Bệnh viện Từ Dũ", "Bệnh viện Hùng Vương",
  "Bệnh viện Phụ sản Thành phố Cần Thơ",
  "Bệnh viện Đa khoa khu vực Thủ Đức", "Bệnh viện Nhân dân Gia Định",
  "Bệnh viện Phụ sản Quốc tế Sài Gòn", "Bệnh viện Quận Tân Phú",
};

static const char * const signer_titles[] = {
  "Công chức Tư pháp - Hộ tịch",
  "Phó Chủ tịch Ủy ban nhân dân",
};

/* ------------------------------------------------------------------------ */
/* Helpers: randomness, dates, numbers                                      */
/* ------------------------------------------------------------------------ */

static guint64
rng_next (Rng *rng)
{
  guint64 z;

  rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = rng->state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A number in [lo, hi], both included. */
static int
rng_range (Rng *rng,
           int  lo,
           int  hi)
{
  g_assert (lo <= hi);

  return lo + (int) (rng_next (rng) % (guint64) (hi - lo + 1));
}

static gboolean
rng_percent (Rng *rng,
             int  percent)
{
  return rng_range (rng, 0, 99) < percent;
}

#define PICK(rng, array) ((array)[rng_range ((rng), 0, G_N_ELEMENTS (array) - 1)])

static guint32
date_to_julian (const Date *date)
{
  GDate gdate;

  g_date_clear (&gdate, 1);
  g_date_set_dmy (&gdate, date->day, date->month, date->year);
  return g_date_get_julian (&gdate);
}

static Date
date_from_julian (guint32 julian)
{
  GDate gdate;
  Date date;

  g_date_clear (&gdate, 1);
  g_date_set_julian (&gdate, julian);
  date.day = g_date_get_day (&gdate);
  date.month = g_date_get_month (&gdate);
  date.year = g_date_get_year (&gdate);
  return date;
}

static Date
random_date (Rng        *rng,
             const Date *first,
             const Date *last)
{
  return date_from_julian (rng_range (rng, date_to_julian (first), date_to_julian (last)));
}

static Date
date_add_days (const Date *date,
               int         days)
{
  return date_from_julian (date_to_julian (date) + days);
}

/* dd/mm/yyyy, as on forms. */
static char *
format_date (const Date *date)
{
  return g_strdup_printf ("%02d/%02d/%04d", date->day, date->month, date->year);
}

/* "ngày 05 tháng 3 năm 2026", as at the head of an administrative document:
 * days below 10 and the months January and February get a leading zero
 * (NĐ 30/2020/NĐ-CP, Phụ lục I). */
static char *
format_date_long (const Date *date)
{
  return g_strdup_printf ("ngày %02d tháng %s%d năm %d",
                          date->day,
                          date->month <= 2 ? "0" : "",
                          date->month,
                          date->year);
}

static const char * const digit_words[] = {
  "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
};

/* Appends 1..99 in words; @after_hundreds selects "linh năm" for 5 in 105. */
static void
append_tens_in_words (GString  *out,
                      int       n,
                      gboolean  after_hundreds)
{
  int tens = n / 10;
  int units = n % 10;

  if (tens == 0)
    {
      if (after_hundreds)
        g_string_append (out, "linh ");
      g_string_append (out, digit_words[units]);
      return;
    }

  if (tens == 1)
    g_string_append (out, "mười");
  else
    g_string_append_printf (out, "%s mươi", digit_words[tens]);

  if (units == 0)
    return;
  if (units == 5)
    g_string_append (out, " lăm");
  else if (units == 1 && tens > 1)
    g_string_append (out, " mốt");
  else if (units == 4 && tens > 1)
    g_string_append (out, " tư");
  else
    g_string_append_printf (out, " %s", digit_words[units]);
}

/* 1..9999 in Vietnamese words: 2019 → "hai nghìn không trăm mười chín". */
static char *
number_in_words (int n)
{
  GString *out = g_string_new (NULL);
  int thousands = n / 1000;
  int hundreds = (n / 100) % 10;
  int rest = n % 100;

  g_assert (n > 0 && n < 10000);

  if (thousands > 0)
    g_string_append_printf (out, "%s nghìn", digit_words[thousands]);

  if (thousands > 0 && (hundreds > 0 || rest > 0))
    g_string_append_c (out, ' ');

  if (hundreds > 0 || (thousands > 0 && rest > 0))
    g_string_append_printf (out, "%s trăm", digit_words[hundreds]);

  if (rest > 0)
    {
      gboolean after_hundreds = out->len > 0;

      if (after_hundreds)
        g_string_append_c (out, ' ');
      append_tens_in_words (out, rest, after_hundreds);
    }

  return g_string_free (out, FALSE);
}

static const char * const month_words[] = {
  NULL, "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín",
  "mười", "mười một", "mười hai",
};

/* "Ngày năm, tháng ba, năm hai nghìn không trăm mười chín". */
static char *
date_in_words (const Date *date)
{
  g_autofree char *day = number_in_words (date->day);
  g_autofree char *year = number_in_words (date->year);

  return g_strdup_printf ("Ngày %s, tháng %s, năm %s", day, month_words[date->month], year);
}

/* ------------------------------------------------------------------------ */
/* Helpers: people                                                          */
/* ------------------------------------------------------------------------ */

/* Keeps @str alive as long as @self and returns it. */
static const char *
keep (Sample *self,
      char   *str)
{
  g_ptr_array_add (self->pool, str);
  return str;
}

static const char *
upper (Sample     *self,
       const char *str)
{
  return keep (self, g_utf8_strup (str, -1));
}

/* Notes the value a clerk would key for @key (MoJ / TT 05/2025 field keys;
 * code fields as their label, "Nữ", "Kinh"). */
static void
truth (Sample     *self,
       const char *key,
       const char *value)
{
  if (self->fields != NULL && value != NULL)
    g_hash_table_insert (self->fields, g_strdup (key), g_utf8_normalize (value, -1, G_NORMALIZE_NFC));
}

static const char *
make_name (Sample     *self,
           const char *surname,
           gboolean    female)
{
  Rng *rng = &self->rng;

  if (female)
    {
      /* Two middle names: "Nguyễn Thị Ngọc Hân"; "Thị" only comes first. */
      if (rng_percent (rng, 30))
        {
          const char *first = PICK (rng, middle_names_female);
          const char *second;

          do
            second = PICK (rng, middle_names_female);
          while (g_str_equal (second, first) || g_str_equal (second, "Thị"));

          return keep (self, g_strdup_printf ("%s %s %s %s",
                                              surname,
                                              first,
                                              second,
                                              PICK (rng, given_names_female)));
        }
      return keep (self, g_strdup_printf ("%s %s %s",
                                          surname,
                                          PICK (rng, middle_names_female),
                                          PICK (rng, given_names_female)));
    }

  return keep (self, g_strdup_printf ("%s %s %s",
                                      surname,
                                      PICK (rng, middle_names_male),
                                      PICK (rng, given_names_male)));
}

/* A 12-digit personal identification number (TT 07/2016/TT-BCA Điều 7):
 * province code of the birth registration, a digit for century and sex,
 * the last two digits of the year of birth, six random digits. */
static const char *
make_personal_id (Sample         *self,
                  const Province *province,
                  gboolean        female,
                  int             year)
{
  int century_sex = (year / 100 - 19) * 2 + (female ? 1 : 0);

  g_assert (year >= 1900 && year < 2100);

  return keep (self, g_strdup_printf ("%s%d%02d%06d",
                                      province->cccd_code,
                                      century_sex,
                                      year % 100,
                                      rng_range (&self->rng, 0, 999999)));
}

static const char *
make_address (Sample     *self,
              const char *ward)
{
  Rng *rng = &self->rng;

  if (rng_percent (rng, 40))
    return keep (self, g_strdup_printf ("%d/%d đường %s, %s, Thành phố Hồ Chí Minh",
                                        rng_range (rng, 2, 480),
                                        rng_range (rng, 1, 60),
                                        PICK (rng, streets),
                                        ward));

  return keep (self, g_strdup_printf ("%d đường %s, %s, Thành phố Hồ Chí Minh",
                                      rng_range (rng, 1, 650),
                                      PICK (rng, streets),
                                      ward));
}

static void
make_person (Sample     *self,
             Person     *person,
             const char *surname,
             gboolean    female,
             const Date *born_first,
             const Date *born_last)
{
  Rng *rng = &self->rng;

  person->female = female;
  person->name = make_name (self, surname, female);
  person->birth = random_date (rng, born_first, born_last);
  person->origin = &PICK (rng, provinces);
  person->id = make_personal_id (self, person->origin, female, person->birth.year);
  person->ethnic = PICK (rng, ethnic_groups);
  person->residence = NULL;
}

/* ------------------------------------------------------------------------ */
/* Helpers: layout and drawing                                              */
/* ------------------------------------------------------------------------ */

static double
mm (Sample *self,
    double  millimetres)
{
  return millimetres * self->px_per_mm;
}

/* A layout of @markup; @width_mm > 0 wraps at that width. */
static PangoLayout *
make_layout (Sample         *self,
             const char     *markup,
             double          size_pt,
             TextStyle       style,
             double          width_mm,
             PangoAlignment  align)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_new ();
  PangoAttrList *markup_attrs;
  g_autoptr(PangoAttrList) attrs = NULL;

  pango_font_description_set_family (desc, self->family);
  pango_font_description_set_size (desc, (int) (size_pt * PANGO_SCALE));
  pango_font_description_set_weight (desc, (style & STYLE_BOLD) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style (desc, (style & STYLE_ITALIC) ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description (layout, desc);

  pango_layout_set_markup (layout, markup, -1);

  /* Never add hyphens the ground truth does not have. */
  markup_attrs = pango_layout_get_attributes (layout);
  attrs = markup_attrs ? pango_attr_list_copy (markup_attrs) : pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attrs);

  if (width_mm > 0)
    {
      pango_layout_set_width (layout, (int) (mm (self, width_mm) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
    }
  pango_layout_set_alignment (layout, align);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

static void
draw_layout (Sample      *self,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (self->cr, x, y);
  pango_cairo_show_layout (self->cr, layout);
}

static void
draw_rule (Sample *self,
           double  x,
           double  y,
           double  length)
{
  cairo_set_line_width (self->cr, MAX (1.0, mm (self, 0.2)));
  cairo_move_to (self->cr, x, y);
  cairo_line_to (self->cr, x + length, y);
  cairo_stroke (self->cr);
}

/* The visual lines of @layout, as Pango broke them, trimmed. */
static GPtrArray *
layout_lines (PangoLayout *layout)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *text = pango_layout_get_text (layout);
  int n_lines = pango_layout_get_line_count (layout);
  int i;

  for (i = 0; i < n_lines; i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
      char *str = g_strndup (text + line->start_index, line->length);

      g_ptr_array_add (lines, g_strstrip (str));
    }

  return lines;
}

static void
append_lines (GString     *out,
              PangoLayout *layout)
{
  g_autoptr(GPtrArray) lines = layout_lines (layout);
  guint i;

  for (i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (*line == '\0')
        continue;
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
}

/* Draws layouts that share a top edge and appends their text line by line:
 * the first visual line of every layout, left to right, then the second… */
static void
append_merged_lines (GString      *out,
                     PangoLayout **layouts,
                     guint         n_layouts)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint max_lines = 0;
  guint i;
  guint k;

  for (i = 0; i < n_layouts; i++)
    {
      GPtrArray *lines = layout_lines (layouts[i]);

      max_lines = MAX (max_lines, lines->len);
      g_ptr_array_add (all, lines);
    }

  for (k = 0; k < max_lines; k++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (i = 0; i < n_layouts; i++)
        {
          GPtrArray *lines = g_ptr_array_index (all, i);
          const char *part;

          if (k >= lines->len)
            continue;
          part = g_ptr_array_index (lines, k);
          if (*part == '\0')
            continue;
          if (line->len > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, part);
        }

      if (line->len > 0)
        {
          g_string_append_len (out, line->str, line->len);
          g_string_append_c (out, '\n');
        }
    }
}

static void
skip (Sample *self,
      double  millimetres)
{
  self->y += mm (self, millimetres);
}

/* A paragraph across the content width. */
static void
paragraph (Sample         *self,
           const char     *markup,
           double          size_pt,
           TextStyle       style,
           PangoAlignment  align,
           double          indent_mm,
           gboolean        justify)
{
  g_autoptr(PangoLayout) layout = make_layout (self, markup, size_pt, style, CONTENT_WIDTH_MM, align);

  pango_layout_set_indent (layout, (int) (mm (self, indent_mm) * PANGO_SCALE));
  pango_layout_set_justify (layout, justify);
  draw_layout (self, layout, self->left, self->y);
  self->y += layout_height (layout);
  append_lines (self->text, layout);
}

static double
paragraph_height (Sample     *self,
                  const char *markup,
                  double      size_pt,
                  double      indent_mm)
{
  g_autoptr(PangoLayout) layout = make_layout (self, markup, size_pt, STYLE_REGULAR,
                                               CONTENT_WIDTH_MM, PANGO_ALIGN_LEFT);

  pango_layout_set_indent (layout, (int) (mm (self, indent_mm) * PANGO_SCALE));
  return layout_height (layout);
}

/* Draws one line of items; items that do not fit move to a new line, an
 * item wider than the rest of the line wraps within it. */
static void
items_line (Sample     *self,
            const Item *items,
            guint       n_items,
            double      size_pt)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  double line_end = 0;
  guint i;

  for (i = 0; i <= n_items; i++)
    {
      PangoLayout *layout = NULL;
      double x = 0;
      double natural = 0;

      if (i < n_items)
        {
          layout = make_layout (self, items[i].markup, size_pt, STYLE_REGULAR, 0, PANGO_ALIGN_LEFT);
          natural = layout_width (layout);
          x = mm (self, items[i].tab_mm);
          if (pending->len > 0)
            x = MAX (x, line_end + mm (self, ITEM_GAP_MM));
        }

      /* Flush the line when done, or when this item would overflow it. */
      if (pending->len > 0 && (layout == NULL || x + natural > self->width))
        {
          double height = 0;
          guint j;

          for (j = 0; j < pending->len; j++)
            {
              PangoLayout *l = g_ptr_array_index (pending, j);

              draw_layout (self, l, self->left + g_array_index (xs, double, j), self->y);
              height = MAX (height, layout_height (l));
            }
          append_merged_lines (self->text, (PangoLayout **) pending->pdata, pending->len);
          self->y += height + mm (self, LINE_GAP_MM);
          g_ptr_array_set_size (pending, 0);
          g_array_set_size (xs, 0);
          if (layout != NULL)
            x = mm (self, items[i].tab_mm);
        }

      if (layout == NULL)
        break;

      if (x + natural > self->width)
        {
          pango_layout_set_width (layout, (int) ((self->width - x) * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
          natural = layout_width (layout);
        }

      g_ptr_array_add (pending, layout);
      g_array_append_val (xs, x);
      line_end = x + natural;
    }
}

/* A form row "label: value" on its own line. */
static void
field (Sample     *self,
       const char *label,
       const char *value,
       gboolean    bold_value)
{
  g_autofree char *markup = NULL;
  Item item;

  if (bold_value)
    markup = g_markup_printf_escaped ("%s: <b>%s</b>", label, value);
  else
    markup = g_markup_printf_escaped ("%s: %s", label, value);
  item.tab_mm = 0;
  item.markup = markup;
  items_line (self, &item, 1, BODY_PT);
}

static Column
column_start (Sample *self,
              double  x_mm,
              double  width_mm)
{
  Column column;

  column.x_mm = x_mm;
  column.width_mm = width_mm;
  column.y = self->y;
  column.text = g_string_new (NULL);
  return column;
}

/* Adds a line (wrapped if needed) to @column; @rule_fraction > 0 draws a
 * rule under it, that fraction of the text's width, centred. */
static void
column_add (Sample         *self,
            Column         *column,
            const char     *markup,
            double          size_pt,
            TextStyle       style,
            PangoAlignment  align,
            double          rule_fraction)
{
  g_autoptr(PangoLayout) layout = make_layout (self, markup, size_pt, style, column->width_mm, align);
  double x = self->left + mm (self, column->x_mm);

  draw_layout (self, layout, x, column->y);
  column->y += layout_height (layout);
  append_lines (column->text, layout);

  if (rule_fraction > 0)
    {
      PangoRectangle ink;
      double length;

      pango_layout_get_pixel_extents (layout, &ink, NULL);
      length = ink.width * rule_fraction;
      column->y += mm (self, 0.8);
      draw_rule (self, x + ink.x + (ink.width - length) / 2, column->y, length);
      column->y += mm (self, 1.5);
    }
}

static void
column_skip (Sample *self,
             Column *column,
             double  millimetres)
{
  column->y += mm (self, millimetres);
}

/* Ends side-by-side columns: left one read first, cursor below the lowest. */
static void
columns_end (Sample *self,
             Column *columns,
             guint   n_columns)
{
  guint i;

  for (i = 0; i < n_columns; i++)
    {
      self->y = MAX (self->y, columns[i].y);
      g_string_append_len (self->text, columns[i].text->str, columns[i].text->len);
      g_string_free (columns[i].text, TRUE);
      columns[i].text = NULL;
    }
}

/* One ruled table row; returns FALSE, drawing nothing, if it would run past
 * the bottom margin. */
static gboolean
table_row (Sample     *self,
           const Cell *cells,
           guint       n_cells,
           TextStyle   style)
{
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  double pad = mm (self, CELL_PAD_MM);
  double height = 0;
  double x;
  guint i;

  for (i = 0; i < n_cells; i++)
    {
      PangoLayout *layout = make_layout (self, cells[i].markup, TABLE_PT, style,
                                         cells[i].width_mm - 2 * CELL_PAD_MM, cells[i].align);

      height = MAX (height, layout_height (layout));
      g_ptr_array_add (layouts, layout);
    }
  height += 2 * pad;

  if (self->y + height > self->bottom)
    return FALSE;

  x = self->left;
  cairo_set_line_width (self->cr, MAX (1.0, mm (self, 0.25)));
  for (i = 0; i < n_cells; i++)
    {
      double w = mm (self, cells[i].width_mm);

      cairo_rectangle (self->cr, x, self->y, w, height);
      cairo_stroke (self->cr);
      draw_layout (self, g_ptr_array_index (layouts, i), x + pad, self->y + pad);
      x += w;
    }

  append_merged_lines (self->text, (PangoLayout **) layouts->pdata, layouts->len);
  self->y += height;
  return TRUE;
}

/* The national header: issuing body on the left, motto on the right. */
static void
national_header (Sample     *self,
                 const char *issuer_upper,
                 const char *number_line,
                 const char *subject,
                 const char *place_date)
{
  Column columns[2];
  g_autofree char *issuer_markup = g_markup_escape_text (issuer_upper, -1);
  g_autofree char *number_markup = g_markup_escape_text (number_line, -1);

  columns[0] = column_start (self, 0, 70);
  columns[1] = column_start (self, 70, CONTENT_WIDTH_MM - 70);

  column_add (self, &columns[0], "ỦY BAN NHÂN DÂN", 12.5, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
  column_add (self, &columns[0], issuer_markup, 12.5, STYLE_BOLD, PANGO_ALIGN_CENTER, 0.4);
  column_skip (self, &columns[0], 1.5);
  column_add (self, &columns[0], number_markup, BODY_PT, STYLE_REGULAR, PANGO_ALIGN_CENTER, 0);
  if (subject != NULL)
    {
      g_autofree char *subject_markup = g_markup_escape_text (subject, -1);

      column_skip (self, &columns[0], 1);
      column_add (self, &columns[0], subject_markup, 12, STYLE_REGULAR, PANGO_ALIGN_CENTER, 0);
    }

  column_add (self, &columns[1], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
  column_add (self, &columns[1], "Độc lập - Tự do - Hạnh phúc", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 1.0);
  if (place_date != NULL)
    {
      g_autofree char *place_markup = g_markup_escape_text (place_date, -1);

      column_skip (self, &columns[1], 3);
      column_add (self, &columns[1], place_markup, BODY_PT, STYLE_ITALIC, PANGO_ALIGN_CENTER, 0);
    }

  columns_end (self, columns, G_N_ELEMENTS (columns));
}

/* ------------------------------------------------------------------------ */
/* Pages                                                                    */
/* ------------------------------------------------------------------------ */

static void
parent_fields (Sample       *self,
               const char   *role,
               const char   *prefix,
               const Person *person)
{
  g_autofree char *year = g_strdup_printf ("%d", person->birth.year);
  g_autofree char *k_name = g_strconcat (prefix, "HoTen", NULL);
  g_autofree char *k_birth = g_strconcat (prefix, "NgaySinh", NULL);
  g_autofree char *k_ethnic = g_strconcat (prefix, "DanToc", NULL);
  g_autofree char *k_nationality = g_strconcat (prefix, "QuocTich", NULL);
  g_autofree char *k_residence = g_strconcat (prefix, "NoiCuTru", NULL);
  g_autofree char *k_id = g_strconcat (prefix, "SoGiayToTuyThan", NULL);
  g_autofree char *label = g_strdup_printf ("Họ, chữ đệm, tên người %s", role);
  g_autofree char *year_markup = g_markup_printf_escaped ("Năm sinh: %d", person->birth.year);
  g_autofree char *ethnic_markup = g_markup_printf_escaped ("Dân tộc: %s", person->ethnic);
  Item items[] = {
    { 0, year_markup },
    { 55, ethnic_markup },
    { 110, "Quốc tịch: Việt Nam" },
  };

  field (self, label, upper (self, person->name), TRUE);
  items_line (self, items, G_N_ELEMENTS (items), BODY_PT);
  field (self, "Nơi cư trú", person->residence, FALSE);
  field (self, "Số định danh cá nhân", person->id, FALSE);

  truth (self, k_name, person->name);
  truth (self, k_birth, year);
  truth (self, k_ethnic, person->ethnic);
  truth (self, k_nationality, "Việt Nam");
  truth (self, k_residence, person->residence);
  truth (self, k_id, person->id);
}

static void
draw_birth_extract (Sample *self)
{
  static const Date child_first = { 1, 7, 2025 };
  static const Date child_last = { 30, 8, 2026 };
  Rng *rng = &self->rng;
  const char *ward = PICK (rng, wards);
  const char *surname = PICK (rng, surnames);
  Person child;
  Person mother;
  Person father;
  Date mother_first;
  Date mother_last;
  Date father_first;
  Date father_last;
  Date registered;
  g_autofree char *number_line = NULL;
  g_autofree char *place_date = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *birth_words = NULL;
  g_autofree char *registered_text = NULL;
  g_autofree char *sex_markup = NULL;
  g_autofree char *ethnic_markup = NULL;
  g_autofree char *signer_markup = NULL;
  g_autofree char *title_markup = NULL;
  Column columns[1];

  make_person (self, &child, surname, rng_percent (rng, 49), &child_first, &child_last);
  /* A child registered in the city gets the city's code. */
  child.origin = &provinces[0];
  child.id = make_personal_id (self, child.origin, child.female, child.birth.year);

  mother_first = (Date) { 1, 1, child.birth.year - 40 };
  mother_last = (Date) { 31, 12, child.birth.year - 19 };
  make_person (self, &mother, PICK (rng, surnames), TRUE, &mother_first, &mother_last);
  mother.residence = make_address (self, ward);

  father_first = (Date) { 1, 1, mother.birth.year - 8 };
  father_last = (Date) { 31, 12, MIN (mother.birth.year + 2, child.birth.year - 20) };
  make_person (self, &father, surname, FALSE, &father_first, &father_last);
  father.residence = rng_percent (rng, 80) ? mother.residence : make_address (self, PICK (rng, wards));
  child.ethnic = father.ethnic;

  registered = date_add_days (&child.birth, rng_range (rng, 3, 55));

  number_line = g_strdup_printf ("Số: %d/TLKS", rng_range (rng, 1, 2400));
  place_date = g_strdup_printf ("%s, %s", ward, keep (self, format_date_long (&registered)));
  national_header (self, upper (self, ward), number_line, NULL, place_date);

  skip (self, 12);
  paragraph (self, "TRÍCH LỤC KHAI SINH", 15, STYLE_BOLD, PANGO_ALIGN_CENTER, 0, FALSE);
  paragraph (self, "(Bản sao)", BODY_PT, STYLE_ITALIC, PANGO_ALIGN_CENTER, 0, FALSE);
  skip (self, 8);

  birth = format_date (&child.birth);
  birth_words = date_in_words (&child.birth);
  field (self, "Họ, chữ đệm, tên", upper (self, child.name), TRUE);
  field (self, "Ngày, tháng, năm sinh", birth, FALSE);
  field (self, "Ghi bằng chữ", birth_words, FALSE);
  {
    Item items[] = {
      { 0, NULL },
      { 55, NULL },
      { 110, "Quốc tịch: Việt Nam" },
    };

    sex_markup = g_markup_printf_escaped ("Giới tính: %s", child.female ? "Nữ" : "Nam");
    ethnic_markup = g_markup_printf_escaped ("Dân tộc: %s", child.ethnic);
    items[0].markup = sex_markup;
    items[1].markup = ethnic_markup;
    items_line (self, items, G_N_ELEMENTS (items), BODY_PT);
  }
  {
    const char *place = keep (self, g_strdup_printf ("%s, Thành phố Hồ Chí Minh", PICK (rng, hospitals)));

    field (self, "Nơi sinh", place, FALSE);
    truth (self, "nksNoiSinh", place);
  }
  field (self, "Quê quán", father.origin->name, FALSE);
  field (self, "Số định danh cá nhân", child.id, FALSE);
  truth (self, "nksHoTen", child.name);
  truth (self, "nksNgaySinh", birth);
  truth (self, "nksNgaySinhBangChu", birth_words);
  truth (self, "nksGioiTinh", child.female ? "Nữ" : "Nam");
  truth (self, "nksDanToc", child.ethnic);
  truth (self, "nksQuocTich", "Việt Nam");
  truth (self, "nksQueQuan", father.origin->name);
  truth (self, "nksSoDinhDanh", child.id);
  skip (self, 3);

  parent_fields (self, "mẹ", "me", &mother);
  skip (self, 3);
  parent_fields (self, "cha", "cha", &father);
  skip (self, 3);

  {
    const char *office = keep (self, g_strdup_printf ("Ủy ban nhân dân %s, Thành phố Hồ Chí Minh", ward));

    field (self, "Nơi đăng ký khai sinh", office, FALSE);
    truth (self, "noiDangKy", office);
  }
  registered_text = format_date (&registered);
  field (self, "Ngày, tháng, năm đăng ký", registered_text, FALSE);
  truth (self, "ngayDangKy", registered_text);
  if (rng_percent (rng, 50))
    {
      field (self, "Ghi chú", "Đăng ký khai sinh đúng hạn", FALSE);
      truth (self, "ghiChu", "Đăng ký khai sinh đúng hạn");
    }

  skip (self, 8);
  columns[0] = column_start (self, 75, CONTENT_WIDTH_MM - 75);
  column_add (self, &columns[0], "NGƯỜI KÝ TRÍCH LỤC", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
  column_add (self, &columns[0], "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
              SMALL_PT, STYLE_ITALIC, PANGO_ALIGN_CENTER, 0);
  column_skip (self, &columns[0], 22);
  signer_markup = g_markup_escape_text (make_name (self, PICK (rng, surnames), rng_percent (rng, 50)), -1);
  column_add (self, &columns[0], signer_markup, BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
  title_markup = g_markup_escape_text (PICK (rng, signer_titles), -1);
  column_add (self, &columns[0], title_markup, BODY_PT, STYLE_REGULAR, PANGO_ALIGN_CENTER, 0);
  columns_end (self, columns, G_N_ELEMENTS (columns));
}

typedef struct
{
  const char *subject;
  const char *recipients[3];
  const char *paragraphs[5];
} LetterTemplate;

/* Recipients and paragraphs may name: {ward} the issuing ward, {reference}
 * the number of an earlier document, {earlier} its date, {deadline} a later
 * date, {n1} to {n4} counts, {year} the year of the letter. */
static const LetterTemplate letters[] = {
  {
    "V/v báo cáo kết quả số hóa Sổ hộ tịch",
    { "Sở Tư pháp Thành phố Hồ Chí Minh", NULL },
    {
      "Thực hiện Kế hoạch số {reference} ngày {earlier} của Ủy ban nhân dân Thành phố Hồ Chí Minh về số hóa "
      "dữ liệu hộ tịch, Ủy ban nhân dân {ward} báo cáo kết quả thực hiện như sau:",
      "Tính đến nay, Ủy ban nhân dân {ward} đã số hóa {n1} quyển Sổ hộ tịch với tổng số {n2} trang, "
      "trong đó có {n3} trường hợp khai sinh và {n4} trường hợp khai tử. Dữ liệu sau khi số hóa "
      "đã được kiểm tra, đối chiếu với bản gốc và cập nhật vào Cơ sở dữ liệu hộ tịch điện tử.",
      "Trong quá trình thực hiện, một số sổ được lập trước năm 1975 bị hư hỏng, chữ viết mờ, "
      "khó đọc; một số trường hợp chỉ ghi năm sinh theo âm lịch hoặc chỉ ghi tuổi, cần đối chiếu "
      "thêm với hồ sơ lưu trữ để bảo đảm tính chính xác của thông tin.",
      "Ủy ban nhân dân {ward} kính đề nghị Sở Tư pháp xem xét, hướng dẫn việc cập nhật các trường "
      "hợp nêu trên và bố trí kinh phí để tiếp tục số hóa các sổ còn lại trong năm {year}./.",
      NULL,
    },
  },
  {
    "V/v rà soát, số hóa sổ hộ tịch đang lưu trữ",
    { "Công chức Tư pháp - Hộ tịch", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường", NULL },
    {
      "Căn cứ Công văn số {reference} ngày {earlier} của Sở Tư pháp Thành phố Hồ Chí Minh về việc đẩy nhanh "
      "tiến độ số hóa Sổ hộ tịch, Ủy ban nhân dân {ward} đề nghị các bộ phận thực hiện các nội dung sau:",
      "Rà soát toàn bộ sổ hộ tịch đang lưu trữ tại đơn vị, lập danh mục theo từng loại việc và "
      "từng năm đăng ký, xác định số sổ còn thiếu, số trang bị rách hoặc mất chữ; hoàn thành "
      "trước ngày {deadline}.",
      "Tổ chức số hóa {n1} quyển sổ còn lại theo đúng hướng dẫn; mỗi trang được quét màu với độ "
      "phân giải không thấp hơn 200 dpi, thông tin trên biểu mẫu được nhập đầy đủ và kiểm tra "
      "chéo trước khi trình lãnh đạo phê duyệt.",
      "Việc số hóa phải bảo đảm an toàn thông tin cá nhân theo quy định của pháp luật về bảo vệ "
      "dữ liệu cá nhân; không sao chép, cung cấp dữ liệu hộ tịch cho tổ chức, cá nhân không có "
      "thẩm quyền.",
      "Đề nghị các bộ phận nghiêm túc triển khai thực hiện; trong quá trình thực hiện nếu có khó "
      "khăn, vướng mắc, kịp thời báo cáo Ủy ban nhân dân {ward} để được hướng dẫn./.",
    },
  },
  {
    "V/v cung cấp thông tin đăng ký khai sinh",
    { "Công an {ward}", NULL },
    {
      "Ủy ban nhân dân {ward} nhận được Công văn số {reference} ngày {earlier} của Công an {ward} đề nghị cung cấp "
      "thông tin đăng ký khai sinh phục vụ công tác cập nhật Cơ sở dữ liệu quốc gia về dân cư.",
      "Sau khi rà soát Sổ đăng ký khai sinh từ năm {n1} đến năm {year}, Ủy ban nhân dân {ward} cung cấp "
      "thông tin của {n3} trường hợp đã đăng ký khai sinh tại đơn vị, trong đó {n4} trường hợp "
      "chưa được cấp số định danh cá nhân (có danh sách kèm theo).",
      "Thông tin được cung cấp chỉ sử dụng cho mục đích cập nhật dữ liệu dân cư theo quy định; "
      "đề nghị Công an {ward} quản lý, bảo mật thông tin theo đúng quy định của pháp luật./.",
      NULL,
    },
  },
};

static const char * const letter_suffixes[] = {
  "UBND-VP", "UBND-TP", "UBND-HT", "UBND",
};

/* Replaces each {name} in @template by its value; names end with NULL. */
static char *
expand (const char        *template,
        const char * const *names,
        const char * const *values)
{
  GString *out = g_string_new (template);
  guint i;

  for (i = 0; names[i] != NULL; i++)
    {
      g_autofree char *placeholder = g_strdup_printf ("{%s}", names[i]);

      g_string_replace (out, placeholder, values[i], 0);
    }

  return g_string_free (out, FALSE);
}

static void
draw_official_letter (Sample *self)
{
  static const Date letter_first = { 5, 1, 2026 };
  static const Date letter_last = { 20, 11, 2026 };
  static const char * const names[] = {
    "ward", "reference", "earlier", "deadline", "n1", "n2", "n3", "n4", "year", NULL,
  };
  Rng *rng = &self->rng;
  const LetterTemplate *letter = &PICK (rng, letters);
  const char *ward = PICK (rng, wards);
  Date issued = random_date (rng, &letter_first, &letter_last);
  Date earlier = date_add_days (&issued, -rng_range (rng, 10, 90));
  Date deadline = date_add_days (&issued, rng_range (rng, 15, 45));
  const char *values[G_N_ELEMENTS (names)] = { NULL };
  g_autofree char *number_line = NULL;
  g_autofree char *place_date = NULL;
  g_autofree char *signer_markup = NULL;
  g_autofree char *filing_markup = NULL;
  Column columns[2];
  int n1, n2, n3, n4;
  guint n_recipients = 0;
  guint i;

  n1 = rng_range (rng, 6, 48);
  n2 = n1 * rng_range (rng, 180, 300);
  n3 = rng_range (rng, 900, 8000);
  n4 = rng_range (rng, 40, n3 / 4);
  if (letter == &letters[2])
    n1 = issued.year - rng_range (rng, 3, 12);

  values[0] = ward;
  values[1] = keep (self, g_strdup_printf ("%d/%s", rng_range (rng, 100, 9000),
                                           rng_percent (rng, 50) ? "KH-UBND" : "STP-HCTP"));
  values[2] = keep (self, format_date (&earlier));
  values[3] = keep (self, format_date (&deadline));
  values[4] = keep (self, g_strdup_printf ("%d", n1));
  values[5] = keep (self, g_strdup_printf ("%d", n2));
  values[6] = keep (self, g_strdup_printf ("%d", n3));
  values[7] = keep (self, g_strdup_printf ("%d", n4));
  values[8] = keep (self, g_strdup_printf ("%d", issued.year));

  number_line = g_strdup_printf ("Số: %d/%s", rng_range (rng, 12, 3600), PICK (rng, letter_suffixes));
  place_date = g_strdup_printf ("%s, %s", ward, keep (self, format_date_long (&issued)));
  national_header (self, upper (self, ward), number_line, letter->subject, place_date);

  skip (self, 10);
  while (n_recipients < G_N_ELEMENTS (letter->recipients) && letter->recipients[n_recipients] != NULL)
    n_recipients++;

  if (n_recipients == 1)
    {
      g_autofree char *recipient = expand (letter->recipients[0], names, values);
      g_autofree char *markup = g_markup_printf_escaped ("Kính gửi: %s.", recipient);

      paragraph (self, markup, BODY_PT + 1, STYLE_REGULAR, PANGO_ALIGN_CENTER, 0, FALSE);
    }
  else
    {
      for (i = 0; i < n_recipients; i++)
        {
          g_autofree char *recipient = expand (letter->recipients[i], names, values);
          g_autofree char *markup = g_markup_printf_escaped ("- %s%s", recipient,
                                                             i + 1 < n_recipients ? ";" : ".");
          Item items[] = {
            { 20, "Kính gửi:" },
            { 45, markup },
          };

          if (i == 0)
            items_line (self, items, G_N_ELEMENTS (items), BODY_PT + 1);
          else
            items_line (self, &items[1], 1, BODY_PT + 1);
        }
    }
  skip (self, 6);

  for (i = 0; i < G_N_ELEMENTS (letter->paragraphs) && letter->paragraphs[i] != NULL; i++)
    {
      g_autofree char *body = expand (letter->paragraphs[i], names, values);
      g_autofree char *markup = g_markup_escape_text (body, -1);

      /* Keep room for the recipients list and the signature. */
      if (self->y + paragraph_height (self, markup, BODY_PT, 10) > self->bottom - mm (self, 55))
        break;
      paragraph (self, markup, BODY_PT, STYLE_REGULAR, PANGO_ALIGN_LEFT, 10, TRUE);
      skip (self, 2);
    }

  skip (self, 6);
  columns[0] = column_start (self, 0, 75);
  columns[1] = column_start (self, 75, CONTENT_WIDTH_MM - 75);

  column_add (self, &columns[0], "Nơi nhận:", 12, STYLE_BOLD | STYLE_ITALIC, PANGO_ALIGN_LEFT, 0);
  column_add (self, &columns[0], "- Như trên;", SMALL_PT, STYLE_REGULAR, PANGO_ALIGN_LEFT, 0);
  column_add (self, &columns[0], "- Chủ tịch, các Phó Chủ tịch UBND phường;",
              SMALL_PT, STYLE_REGULAR, PANGO_ALIGN_LEFT, 0);
  filing_markup = g_markup_printf_escaped ("- Lưu: VT, %s.", rng_percent (rng, 50) ? "TP-HT" : "VP");
  column_add (self, &columns[0], filing_markup, SMALL_PT, STYLE_REGULAR, PANGO_ALIGN_LEFT, 0);

  column_add (self, &columns[1], "TM. ỦY BAN NHÂN DÂN", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
  if (rng_percent (rng, 60))
    {
      column_add (self, &columns[1], "KT. CHỦ TỊCH", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
      column_add (self, &columns[1], "PHÓ CHỦ TỊCH", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
    }
  else
    {
      column_add (self, &columns[1], "CHỦ TỊCH", BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);
    }
  column_skip (self, &columns[1], 24);
  signer_markup = g_markup_escape_text (make_name (self, PICK (rng, surnames), rng_percent (rng, 40)), -1);
  column_add (self, &columns[1], signer_markup, BODY_PT, STYLE_BOLD, PANGO_ALIGN_CENTER, 0);

  columns_end (self, columns, G_N_ELEMENTS (columns));
}

static void
draw_register (Sample *self)
{
  static const Cell header[] = {
    { 12, "Số", PANGO_ALIGN_CENTER },
    { 44, "Họ, chữ đệm, tên", PANGO_ALIGN_CENTER },
    { 26, "Ngày, tháng, năm sinh", PANGO_ALIGN_CENTER },
    { 33, "Số định danh cá nhân", PANGO_ALIGN_CENTER },
    { CONTENT_WIDTH_MM - 12 - 44 - 26 - 33, "Họ, chữ đệm, tên cha, mẹ", PANGO_ALIGN_CENTER },
  };
  Rng *rng = &self->rng;
  const char *unit = PICK (rng, old_units);
  int year = rng_range (rng, 2016, 2024);
  int page = rng_range (rng, 1, 40);
  int number = (page - 1) * REGISTER_ROWS + 1;
  int book = rng_range (rng, 1, 3);
  Date year_first = { 1, 1, year };
  Date year_last = { 31, 12, year };
  Date born_first = { 1, 1, year - 1 };
  g_autofree char *unit_markup = NULL;
  g_autofree char *book_markup = NULL;
  g_autofree char *year_markup = NULL;
  guint row;

  unit_markup = g_markup_printf_escaped ("Ủy ban nhân dân %s", unit);
  book_markup = g_markup_printf_escaped ("Quyển số: %02d/%d", book, year);
  {
    Item items[] = {
      { 0, unit_markup },
      { 125, book_markup },
    };

    items_line (self, items, G_N_ELEMENTS (items), SMALL_PT);
  }

  skip (self, 8);
  paragraph (self, "SỔ ĐĂNG KÝ KHAI SINH", 15, STYLE_BOLD, PANGO_ALIGN_CENTER, 0, FALSE);
  year_markup = g_markup_printf_escaped ("Năm %d - Trang %d", year, page);
  paragraph (self, year_markup, BODY_PT, STYLE_ITALIC, PANGO_ALIGN_CENTER, 0, FALSE);
  skip (self, 6);

  table_row (self, header, G_N_ELEMENTS (header), STYLE_BOLD);

  for (row = 0; row < REGISTER_ROWS; row++)
    {
      const char *surname = PICK (rng, surnames);
      Person child;
      Date born_last;
      Date birth_floor;
      Cell cells[G_N_ELEMENTS (header)];
      g_autofree char *number_text = g_strdup_printf ("%d", number + row);
      g_autofree char *name_markup = NULL;
      g_autofree char *birth_text = NULL;
      g_autofree char *parents_markup = NULL;
      const char *father_name = make_name (self, surname, FALSE);
      const char *mother_name = make_name (self, PICK (rng, surnames), TRUE);

      /* Born in the register's year or at the end of the one before. */
      birth_floor = rng_percent (rng, 85) ? year_first : born_first;
      born_last = year_last;
      make_person (self, &child, surname, rng_percent (rng, 49), &birth_floor, &born_last);
      child.origin = &provinces[0];
      child.id = make_personal_id (self, child.origin, child.female, child.birth.year);

      name_markup = g_markup_escape_text (child.name, -1);
      birth_text = format_date (&child.birth);
      if (rng_percent (rng, 8))
        parents_markup = g_markup_printf_escaped ("Mẹ: %s", mother_name);
      else
        parents_markup = g_markup_printf_escaped ("Cha: %s\nMẹ: %s", father_name, mother_name);

      memcpy (cells, header, sizeof cells);
      cells[0].markup = number_text;
      cells[1].markup = name_markup;
      cells[1].align = PANGO_ALIGN_LEFT;
      cells[2].markup = birth_text;
      cells[3].markup = child.id;
      cells[4].markup = parents_markup;
      cells[4].align = PANGO_ALIGN_LEFT;

      if (!table_row (self, cells, G_N_ELEMENTS (cells), STYLE_REGULAR))
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* PNG output                                                               */
/* ------------------------------------------------------------------------ */

static cairo_status_t
write_to_byte_array (void                *closure,
                     const unsigned char *data,
                     unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* CRC-32 as PNG chunks use it (ISO 3309, the zlib polynomial). */
static guint32
png_crc32 (const guint8 *data,
           gsize         length)
{
  guint32 crc = 0xffffffff;
  gsize i;
  int bit;

  for (i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ ((crc & 1) ? 0xedb88320 : 0);
    }

  return crc ^ 0xffffffff;
}

static void
put_be32 (guint8  *out,
          guint32  value)
{
  out[0] = (value >> 24) & 0xff;
  out[1] = (value >> 16) & 0xff;
  out[2] = (value >> 8) & 0xff;
  out[3] = value & 0xff;
}

/* Returns a copy of @png with a pHYs chunk for @dpi right after IHDR. */
static GBytes *
png_with_resolution (GByteArray *png,
                     guint       dpi,
                     GError    **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  /* Signature, then IHDR: length, type, 13 bytes of data, CRC. */
  const gsize after_ihdr = 8 + 4 + 4 + 13 + 4;
  guint8 chunk[4 + 4 + 9 + 4];
  guint32 pixels_per_metre = (guint32) (dpi / (MM_PER_INCH / 1000.0) + 0.5);
  GByteArray *out;

  if (png->len < after_ihdr
      || memcmp (png->data, signature, sizeof signature) != 0
      || memcmp (png->data + 12, "IHDR", 4) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The page image could not be encoded as PNG"));
      return NULL;
    }

  put_be32 (chunk, 9);
  memcpy (chunk + 4, "pHYs", 4);
  put_be32 (chunk + 8, pixels_per_metre);
  put_be32 (chunk + 12, pixels_per_metre);
  chunk[16] = 1; /* unit: metre */
  put_be32 (chunk + 17, png_crc32 (chunk + 4, 4 + 9));

  out = g_byte_array_sized_new (png->len + sizeof chunk);
  g_byte_array_append (out, png->data, after_ihdr);
  g_byte_array_append (out, chunk, sizeof chunk);
  g_byte_array_append (out, png->data + after_ihdr, png->len - after_ihdr);

  return g_byte_array_free_to_bytes (out);
}

static gboolean
font_family_is_available (const char *family)
{
  static const char * const aliases[] = { "serif", "sans", "sans-serif", "monospace" };
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  g_autofree PangoFontFamily **families = NULL;
  int n_families = 0;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (g_ascii_strcasecmp (family, aliases[i]) == 0)
        return TRUE;
    }

  pango_font_map_list_families (font_map, &families, &n_families);
  for (i = 0; i < (gsize) n_families; i++)
    {
      if (g_ascii_strcasecmp (family, pango_font_family_get_name (families[i])) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Liberation Serif (metrics of Times New Roman, the font of administrative
 * documents), else the first installed of a few look-alikes. */
static const char *
default_font_family (void)
{
  static const char * const families[] = {
    "Liberation Serif", "Tinos", "FreeSerif", "DejaVu Serif", "Noto Serif",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (families); i++)
    {
      if (font_family_is_available (families[i]))
        return families[i];
    }

  return "serif";
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

/**
 * sohoa_sample_page_render_png:
 * @kind: the kind of page
 * @seed: chooses the content; the same arguments always give the same page
 * @dpi: resolution, 72 to 600; an A4 page at 300 dpi is 2480 × 3508 pixels
 * @font_family: (nullable): an installed font family, such as
 *   "Liberation Serif" or "FreeMono"; %NULL picks Liberation Serif, or a
 *   similar serif font if that is not installed
 * @png_path: where to write the page, a 24-bit RGB PNG whose pHYs chunk
 *   records @dpi
 * @out_text: (out) (optional): the text on the page, NFC, one visual line
 *   per line, joined with "\n", in reading order
 * @error: return location for a #GError
 *
 * Renders one synthetic A4 page, black text on white.
 *
 * Returns: %TRUE if the page was written
 */
gboolean
sohoa_sample_page_render_png (SohoaSampleKind   kind,
                              guint             seed,
                              guint             dpi,
                              const char       *font_family,
                              const char       *png_path,
                              char            **out_text,
                              GError          **error)
{
  return sohoa_sample_page_render_png_with_fields (kind, seed, dpi, font_family, png_path,
                                                   out_text, NULL, error);
}

/**
 * sohoa_sample_page_render_png_with_fields:
 * @out_fields: (out) (optional) (element-type utf8 utf8): the record on the
 *   page as a clerk would key it, by field key (birth extracts: the
 *   ho-tich.khai-sinh keys; code fields as their label, e.g. "Nữ")
 *
 * Like sohoa_sample_page_render_png(), with the known truth of each field,
 * for measuring auto-fill.
 */
gboolean
sohoa_sample_page_render_png_with_fields (SohoaSampleKind   kind,
                                          guint             seed,
                                          guint             dpi,
                                          const char       *font_family,
                                          const char       *png_path,
                                          char            **out_text,
                                          GHashTable      **out_fields,
                                          GError          **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GPtrArray) pool = NULL;
  PangoContext *context;
  cairo_font_options_t *font_options;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Sample sample = { 0 };
  int width_px;
  int height_px;

  g_return_val_if_fail (kind <= SOHOA_SAMPLE_REGISTER, FALSE);
  g_return_val_if_fail (png_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (dpi < MIN_DPI || dpi > MAX_DPI)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Resolution %u dpi is out of range (%d to %d dpi)"),
                   dpi, MIN_DPI, MAX_DPI);
      return FALSE;
    }

  if (font_family == NULL || *font_family == '\0')
    font_family = default_font_family ();
  else if (!font_family_is_available (font_family))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Font family “%s” is not installed"), font_family);
      return FALSE;
    }

  width_px = (int) (A4_WIDTH_MM / MM_PER_INCH * dpi + 0.5);
  height_px = (int) (A4_HEIGHT_MM / MM_PER_INCH * dpi + 0.5);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width_px, height_px);
  cr = cairo_create (surface);
  status = cairo_status (cr);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not create a %d × %d page image: %s"),
                   width_px, height_px, cairo_status_to_string (status));
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  /* Lay text out in device pixels at the page's resolution, without
   * hinting, so that line breaks do not depend on @dpi. */
  context = pango_cairo_create_context (cr);
  pango_cairo_context_set_resolution (context, dpi);
  font_options = cairo_font_options_create ();
  cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, font_options);
  cairo_font_options_destroy (font_options);
  pango_context_set_round_glyph_positions (context, FALSE);

  text = g_string_new (NULL);
  pool = g_ptr_array_new_with_free_func (g_free);

  sample.cr = cr;
  sample.context = context;
  sample.text = text;
  sample.pool = pool;
  sample.fields = fields = out_fields ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) : NULL;
  sample.family = font_family;
  sample.rng.state = ((guint64) kind << 32) | seed;
  sample.px_per_mm = dpi / MM_PER_INCH;
  sample.left = MARGIN_LEFT_MM * sample.px_per_mm;
  sample.width = CONTENT_WIDTH_MM * sample.px_per_mm;
  sample.y = MARGIN_TOP_MM * sample.px_per_mm;
  sample.bottom = (A4_HEIGHT_MM - MARGIN_BOTTOM_MM) * sample.px_per_mm;

  switch (kind)
    {
    case SOHOA_SAMPLE_BIRTH_EXTRACT:
      draw_birth_extract (&sample);
      break;

    case SOHOA_SAMPLE_OFFICIAL_LETTER:
      draw_official_letter (&sample);
      break;

    case SOHOA_SAMPLE_REGISTER:
      draw_register (&sample);
      break;

    default:
      g_assert_not_reached ();
    }

  if (sample.y > height_px)
    g_warning ("Sample page %d/%u ran %.0f px past the bottom edge; its text is incomplete",
               kind, seed, sample.y - height_px);

  cairo_surface_flush (surface);
  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, write_to_byte_array, png);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not encode the page image: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  bytes = png_with_resolution (png, dpi, error);
  if (bytes == NULL)
    return FALSE;

  if (!g_file_set_contents (png_path,
                            g_bytes_get_data (bytes, NULL),
                            g_bytes_get_size (bytes),
                            error))
    return FALSE;

  if (out_text != NULL)
    {
      /* Drop the final newline: lines are joined, not terminated. */
      if (text->len > 0 && text->str[text->len - 1] == '\n')
        g_string_truncate (text, text->len - 1);
      *out_text = g_utf8_normalize (text->str, text->len, G_NORMALIZE_NFC);
    }
  if (out_fields != NULL)
    *out_fields = g_steal_pointer (&fields);

  return TRUE;
}
