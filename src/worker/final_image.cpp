#include "worker/final_image.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "sim/elements.h"

namespace live2::worker {
namespace {

constexpr int kLegendPixels = 260;
constexpr int kMarginPixels = 20;

struct Rgb {
  double r, g, b;
};

// Indexed by Element. Hydrogen is light grey rather than white so it shows on the white background.
constexpr std::array<Rgb, sim::kElementCount> kElementColours = {{
    {0.80, 0.80, 0.80},  // H
    {0.25, 0.25, 0.25},  // C
    {0.19, 0.31, 0.97},  // N
    {0.90, 0.10, 0.10},  // O
    {1.00, 0.50, 0.00},  // P
    {0.90, 0.80, 0.10},  // S
}};

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

// Shortest displacement from a to b under periodic boundaries.
double minimum_image(double delta, double box_size) { return delta - box_size * std::round(delta / box_size); }

void draw_bonds(cairo_t* cr, const sim::Snapshot& snapshot, double box_size, double scale) {
  cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 0.8);
  cairo_set_line_width(cr, std::max(0.5, 0.15 * scale));
  for (size_t b = 0; b + 1 < snapshot.bonds.size(); b += 2) {
    const size_t i = snapshot.bonds[b];
    const size_t j = snapshot.bonds[b + 1];
    const double xi = snapshot.positions[2 * i], yi = snapshot.positions[2 * i + 1];
    const double xj = snapshot.positions[2 * j], yj = snapshot.positions[2 * j + 1];
    const double dx = minimum_image(xj - xi, box_size);
    const double dy = minimum_image(yj - yi, box_size);
    // Drawn from each end towards the other's nearest image: a bond across the boundary shows on both sides.
    cairo_move_to(cr, xi * scale, yi * scale);
    cairo_line_to(cr, (xi + dx / 2) * scale, (yi + dy / 2) * scale);
    cairo_move_to(cr, xj * scale, yj * scale);
    cairo_line_to(cr, (xj - dx / 2) * scale, (yj - dy / 2) * scale);
  }
  cairo_stroke(cr);
}

void draw_atoms(cairo_t* cr, const sim::Snapshot& snapshot, double scale) {
  const double radius = std::max(0.6, 0.35 * scale);
  for (int element = 0; element < sim::kElementCount; ++element) {
    const Rgb colour = kElementColours[element];
    cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
    for (size_t i = 0; i < snapshot.types.size(); ++i) {
      if (snapshot.types[i] != element) continue;
      const double x = snapshot.positions[2 * i] * scale, y = snapshot.positions[2 * i + 1] * scale;
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, radius, 0, 2 * M_PI);
    }
    cairo_fill(cr);
  }
}

void draw_legend(cairo_t* cr, const sim::Snapshot& snapshot, double left) {
  std::array<int64_t, sim::kElementCount> counts{};
  for (uint8_t type : snapshot.types) {
    if (type < sim::kElementCount) ++counts[type];
  }
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 22);
  cairo_set_source_rgb(cr, 0, 0, 0);
  double y = kMarginPixels + 24;
  cairo_move_to(cr, left, y);
  cairo_show_text(cr, "Elements");

  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 18);
  for (int element = 0; element < sim::kElementCount; ++element) {
    if (counts[element] == 0) continue;
    y += 34;
    const Rgb colour = kElementColours[element];
    cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
    cairo_new_path(cr);  // show_text leaves a current point; without this the arc would start with a line from it
    cairo_arc(cr, left + 12, y - 6, 11, 0, 2 * M_PI);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    cairo_move_to(cr, left + 34, y);
    const std::string label =
        fmt::format("{}  {}", sim::element_symbol(static_cast<sim::Element>(element)), counts[element]);
    cairo_show_text(cr, label.c_str());
  }
  y += 56;
  for (const std::string& line : {fmt::format("step {}", snapshot.step), fmt::format("{} atoms", snapshot.types.size()),
                                  fmt::format("{} bonds", snapshot.bonds.size() / 2)}) {
    cairo_move_to(cr, left, y);
    cairo_show_text(cr, line.c_str());
    y += 28;
  }
}

}  // namespace

OutputStatus render_final_image(const sim::Snapshot& snapshot, double box_size, const std::filesystem::path& png) {
  const int width = kMarginPixels * 2 + kFinalImageBoxPixels + kLegendPixels;
  const int height = kMarginPixels * 2 + kFinalImageBoxPixels;
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), &cairo_surface_destroy);
  Context cr(cairo_create(surface.get()), &cairo_destroy);
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return OutputStatus::failure("cairo: cannot create image");

  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());

  const double scale = kFinalImageBoxPixels / box_size;
  cairo_save(cr.get());
  cairo_translate(cr.get(), kMarginPixels, kMarginPixels);
  cairo_rectangle(cr.get(), 0, 0, kFinalImageBoxPixels, kFinalImageBoxPixels);
  cairo_clip_preserve(cr.get());
  cairo_set_source_rgb(cr.get(), 0.97, 0.97, 0.95);
  cairo_fill(cr.get());
  draw_bonds(cr.get(), snapshot, box_size, scale);
  draw_atoms(cr.get(), snapshot, scale);
  cairo_restore(cr.get());

  cairo_set_source_rgb(cr.get(), 0.3, 0.3, 0.3);
  cairo_set_line_width(cr.get(), 1.5);
  cairo_rectangle(cr.get(), kMarginPixels, kMarginPixels, kFinalImageBoxPixels, kFinalImageBoxPixels);
  cairo_stroke(cr.get());
  draw_legend(cr.get(), snapshot, kMarginPixels * 2 + kFinalImageBoxPixels);

  std::filesystem::path temp = png;
  temp += ".tmp";
  if (cairo_surface_write_to_png(surface.get(), temp.c_str()) != CAIRO_STATUS_SUCCESS) {
    return OutputStatus::failure("cairo: cannot write " + temp.string());
  }
  std::error_code error;
  std::filesystem::rename(temp, png, error);
  if (error) return OutputStatus::failure("cannot rename " + temp.string() + ": " + error.message());
  return {};
}

}  // namespace live2::worker
