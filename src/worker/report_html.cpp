#include "worker/report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/json_text.h"
#include "base/markup_escape.h"

namespace live2::worker {
namespace {

constexpr double kChartWidth = 720, kChartHeight = 300, kChartLeft = 56, kChartRight = 170, kChartTop = 12,
                 kChartBottom = 36;
// Distinguishable on white and for the common colour-vision deficiencies (Okabe-Ito).
constexpr const char* kSeriesColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::vector<sim::SpeciesRecord> by_abundance(std::vector<sim::SpeciesRecord> species) {
  std::sort(species.begin(), species.end(), [](const sim::SpeciesRecord& a, const sim::SpeciesRecord& b) {
    if (a.final_count != b.final_count) return a.final_count > b.final_count;
    if (a.max_count != b.max_count) return a.max_count > b.max_count;
    return a.key < b.key;
  });
  return species;
}

struct Series {
  std::string label;
  std::vector<std::pair<int64_t, int64_t>> points;  // step, value
};

// A line chart of integer series over steps, with axes, ticks and a legend, as inline SVG.
std::string line_chart(const std::vector<Series>& series, const std::string& y_label) {
  int64_t max_step = 1, max_value = 1;
  for (const Series& s : series) {
    for (const auto& [step, value] : s.points) {
      max_step = std::max(max_step, step);
      max_value = std::max(max_value, value);
    }
  }
  const double plot_width = kChartWidth - kChartLeft - kChartRight;
  const double plot_height = kChartHeight - kChartTop - kChartBottom;
  auto x = [&](int64_t step) { return kChartLeft + plot_width * static_cast<double>(step) / max_step; };
  auto y = [&](int64_t value) { return kChartTop + plot_height * (1.0 - static_cast<double>(value) / max_value); };
  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2} over steps\">\n"
      "<line x1=\"{3}\" y1=\"{4}\" x2=\"{3}\" y2=\"{5}\" class=\"axis\"/>"
      "<line x1=\"{3}\" y1=\"{5}\" x2=\"{6}\" y2=\"{5}\" class=\"axis\"/>\n",
      kChartWidth, kChartHeight, markup_escaped(y_label), kChartLeft, kChartTop, kChartTop + plot_height,
      kChartLeft + plot_width);
  for (int tick = 0; tick <= 4; ++tick) {
    const int64_t value = max_value * tick / 4;
    const int64_t step = max_step * tick / 4;
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\">{}</text>", kChartLeft - 6,
                       y(value) + 4, value);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n", x(step),
                       kChartTop + plot_height + 16, step);
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">step</text>\n",
                     kChartLeft + plot_width / 2, kChartHeight - 4);
  for (size_t i = 0; i < series.size(); ++i) {
    const char* colour = kSeriesColours[i % std::size(kSeriesColours)];
    std::string points;
    for (const auto& [step, value] : series[i].points) points += fmt::format("{:.1f},{:.1f} ", x(step), y(value));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour, points);
    const double legend_y = kChartTop + 14 + 18 * static_cast<double>(i);
    svg += fmt::format(
        "<rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"12\" height=\"4\" fill=\"{2}\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" class=\"legend\">{5}</text>\n",
        kChartLeft + plot_width + 12, legend_y - 4, colour, kChartLeft + plot_width + 30, legend_y,
        markup_escaped(series[i].label));
  }
  return svg + "</svg>\n";
}

// The most abundant species' counts over time, or (without per-species counts) the number of species present.
std::string counts_chart(const RunReport& report, const std::vector<sim::SpeciesRecord>& abundant) {
  std::vector<Series> series;
  if (!report.species_counts.empty()) {
    std::map<std::string, size_t> index_of_key;
    for (size_t i = 0; i < abundant.size() && i < kReportChartSpecies; ++i) {
      index_of_key[abundant[i].key] = series.size();
      series.push_back({abundant[i].formula, {}});
    }
    // A species absent at an analysis has no point there: its line drops to 0 at the steps where others have one.
    std::set<int64_t> steps;
    for (const sim::SpeciesCountRecord& point : report.species_counts) steps.insert(point.step);
    std::map<std::pair<std::string, int64_t>, int64_t> count_at;
    for (const sim::SpeciesCountRecord& point : report.species_counts) {
      if (index_of_key.contains(point.key)) count_at[{point.key, point.step}] = point.count;
    }
    for (const auto& [key, index] : index_of_key) {
      for (int64_t step : steps) {
        auto it = count_at.find({key, step});
        series[index].points.emplace_back(step, it == count_at.end() ? 0 : it->second);
      }
    }
    return "<h2>Species over time</h2>\n<p class=\"note\">Molecules of the " + std::to_string(series.size()) +
           " most abundant species at each analysis step.</p>\n" + line_chart(series, "molecules");
  }
  Series present{"species present", {}};
  for (const sim::MetricsRow& row : report.metrics) present.points.emplace_back(row.step, row.n_species);
  Series molecules{"molecules", {}};
  for (const sim::MetricsRow& row : report.metrics) molecules.points.emplace_back(row.step, row.n_molecules);
  return "<h2>Species over time</h2>\n<p class=\"note\">Distinct species and molecules present at each analysis "
         "step.</p>\n" +
         line_chart({present, molecules}, "count");
}

std::string species_table(const std::vector<sim::SpeciesRecord>& abundant) {
  std::string html =
      "<h2 id=\"species\">Species</h2>\n<table class=\"species\">\n<caption>" + std::to_string(abundant.size()) +
      " species, most abundant first" +
      (abundant.size() > kReportMaxSpeciesRows
           ? "; the first " + std::to_string(kReportMaxSpeciesRows) + " shown (all of them: molecules.json)"
           : std::string()) +
      "</caption>\n<thead><tr><th scope=\"col\">formula</th><th scope=\"col\">structure key</th>"
      "<th scope=\"col\" class=\"n\">first seen (step)</th><th scope=\"col\" class=\"n\">final count</th>"
      "<th scope=\"col\" class=\"n\">max count</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < abundant.size() && i < kReportMaxSpeciesRows; ++i) {
    const sim::SpeciesRecord& s = abundant[i];
    html += fmt::format(
        "<tr><td>{}</td><td class=\"key\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>\n",
        markup_escaped(s.formula), markup_escaped(s.key), s.first_seen_step, s.final_count, s.max_count);
  }
  return html + "</tbody>\n</table>\n";
}

std::string reactions_table(std::vector<sim::ReactionRecord> reactions) {
  // A reaction that only ever recrossed (undone at once) did not happen in the net: it is in reactions.json only.
  std::erase_if(reactions, [](const sim::ReactionRecord& reaction) { return reaction.count <= 0; });
  std::sort(reactions.begin(), reactions.end(), [](const sim::ReactionRecord& a, const sim::ReactionRecord& b) {
    return a.count != b.count ? a.count > b.count : a.equation < b.equation;
  });
  std::string html = "<h2 id=\"reactions\">Top reactions</h2>\n";
  if (reactions.empty()) return html + "<p class=\"note\">No reactions happened.</p>\n";
  html += "<table class=\"reactions\">\n<caption>" + std::to_string(std::min(reactions.size(), kReportTopReactions)) +
          " of " + std::to_string(reactions.size()) +
          " reactions, most frequent first (all of them: reactions.json)</caption>\n"
          "<thead><tr><th scope=\"col\">reaction</th><th scope=\"col\" class=\"n\">times</th>"
          "<th scope=\"col\" class=\"n\">first (step)</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < reactions.size() && i < kReportTopReactions; ++i) {
    html += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                        markup_escaped(reactions[i].formula_equation), reactions[i].count, reactions[i].first_step);
  }
  return html + "</tbody>\n</table>\n";
}

std::string first_appearances(std::vector<sim::SpeciesRecord> species) {
  std::sort(species.begin(), species.end(), [](const sim::SpeciesRecord& a, const sim::SpeciesRecord& b) {
    return a.first_seen_step != b.first_seen_step ? a.first_seen_step < b.first_seen_step : a.key < b.key;
  });
  std::string html = "<h2 id=\"first\">First appearances</h2>\n<ol class=\"first\">\n";
  for (size_t i = 0; i < species.size() && i < kReportFirstAppearances; ++i) {
    html += fmt::format("<li><span class=\"step\">step {}</span> {}</li>\n", species[i].first_seen_step,
                        markup_escaped(species[i].formula));
  }
  html += "</ol>\n";
  if (species.size() > kReportFirstAppearances) {
    html += "<p class=\"note\">" + std::to_string(species.size() - kReportFirstAppearances) +
            " later ones in molecules.json (first_seen_step).</p>\n";
  }
  return html;
}

constexpr const char* kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:16px;color:#1b1b1b}
h1{font-size:1.4em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 6px}
.outcome{font-weight:600}.partial{color:#a33}.note{color:#555;margin:4px 0}
table{border-collapse:collapse;width:100%}caption{text-align:left;color:#555;padding:4px 0}
th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.n{text-align:right;font-variant-numeric:tabular-nums}
.key{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}
.chart{width:100%;height:auto;max-width:720px}.axis{stroke:#555}.tick,.legend{font-size:11px;fill:#333}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#555}dd{margin:0}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:8px}
ol.first{columns:2}.step{color:#555;font-variant-numeric:tabular-nums}
@media (max-width:600px){ol.first{columns:1}.key{font-size:.75em}}
)";

// A field of resolved params ({"simulation_config": {"mode", "config": {...}}}) as escaped JSON text; "-" if absent.
std::string parameter(const boost::json::object& parameters, std::initializer_list<std::string_view> path) {
  const boost::json::value* value = parameters.if_contains("simulation_config");
  for (std::string_view key : path) {
    value = value != nullptr && value->is_object() ? value->get_object().if_contains(key) : nullptr;
  }
  return value == nullptr ? "-" : markup_escaped(value->is_string() ? std::string(value->get_string()) : json_text(*value));
}

}  // namespace

std::string report_html(const RunReport& report) {
  const std::vector<sim::SpeciesRecord> abundant = by_abundance(report.species);
  const bool partial = report.outcome != "completed";
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     // Belt and braces for a copy opened from disk: nothing may be fetched, nothing run.
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                     "'unsafe-inline'\">\n<title>live2 run report " +
                     markup_escaped(report.job_id) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>Run report: " + markup_escaped(report.job_id) + "</h1>\n";
  html += fmt::format("<p class=\"outcome{}\">{}{}</p>\n", partial ? " partial" : "", markup_escaped(report.outcome),
                      partial ? fmt::format(" (the chemistry up to step {})", report.last_step) : "");
  html += "<dl>";
  for (const auto& [label, key] : {std::pair{"particles", "num_particles"}, std::pair{"steps", "steps"},
                                   std::pair{"temperature (K)", "temperature"}, std::pair{"seed", "seed"},
                                   std::pair{"preset", "preset"}}) {
    html += fmt::format("<dt>{}</dt><dd>{}</dd>", label, parameter(report.parameters, {"config", key}));
  }
  html += fmt::format("<dt>mode</dt><dd>{}</dd><dt>species</dt><dd>{}</dd><dt>reactions</dt><dd>{}</dd></dl>\n",
                      parameter(report.parameters, {"mode"}), report.species.size(), report.reactions.size());
  html += species_table(abundant);
  html += reactions_table(report.reactions);
  html += counts_chart(report, abundant);
  html += first_appearances(report.species);
  html += "<details><summary>All parameters</summary><pre>" + markup_escaped(json_text(report.parameters)) +
          "</pre></details>\n</body>\n</html>\n";
  return html;
}

}  // namespace live2::worker
