// Renderings of a DoctorReport: a terminal listing, a Markdown review and JSON.
#include <boost/json.hpp>
#include <sstream>

#include "infra/doctor.h"

namespace live2::infra {
namespace {

size_t count(const DoctorReport& report, CheckStatus status) {
  size_t total = 0;
  for (const auto& check : report.checks) total += check.status == status;
  return total;
}

std::string summary(const DoctorReport& report) {
  std::ostringstream out;
  out << count(report, CheckStatus::pass) << " passed, " << count(report, CheckStatus::warn) << " warnings, "
      << count(report, CheckStatus::fail) << " failed";
  return out.str();
}

template <typename PerGroup>
void for_each_group(const DoctorReport& report, PerGroup per_group) {
  for (const auto& group : doctor_groups()) {
    std::vector<const Check*> checks;
    for (const auto& check : report.checks) {
      if (check.group == group) checks.push_back(&check);
    }
    if (!checks.empty()) per_group(group, checks);
  }
}

std::string render_text(const DoctorReport& report) {
  std::ostringstream out;
  for_each_group(report, [&](const std::string& group, const std::vector<const Check*>& checks) {
    out << group << "\n";
    for (const Check* check : checks) {
      const char* mark = check->status == CheckStatus::pass ? "ok  " : check->status == CheckStatus::warn ? "WARN"
                                                                                                         : "FAIL";
      out << "  [" << mark << "] " << check->title << ": " << check->observed << "\n";
      if (!check->fix.empty()) out << "         fix: " << check->fix << "\n";
    }
  });
  out << "\n" << summary(report) << (report.ok() ? ": the deployment is ready.\n" : ".\n");
  return out.str();
}

std::string render_markdown(const DoctorReport& report) {
  std::ostringstream out;
  out << "# live2 deployment review\n\n";
  if (report.ok()) {
    out << "**Verdict: ready.** " << summary(report) << ".";
    if (count(report, CheckStatus::warn) > 0) out << " The warnings below are worth a look but block nothing.";
  } else {
    out << "**Verdict: not ready.** " << summary(report) << ". Each failure below says what was seen and how to "
        << "fix it; fix them in order, since later checks often follow from earlier ones.";
  }
  out << "\n";
  for_each_group(report, [&](const std::string& group, const std::vector<const Check*>& checks) {
    out << "\n## " << group << "\n\n";
    for (const Check* check : checks) {
      const char* mark = check->status == CheckStatus::pass ? "✅" : check->status == CheckStatus::warn ? "⚠️" : "❌";
      out << "- " << mark << " **" << check->title << "**: " << check->observed << ".";
      if (!check->fix.empty()) out << "\n  *Fix:* " << check->fix << ".";
      out << "\n";
    }
  });
  return out.str();
}

std::string render_json(const DoctorReport& report) {
  boost::json::array checks;
  for (const auto& check : report.checks) {
    checks.push_back(boost::json::object{{"id", check.id},
                                         {"group", check.group},
                                         {"title", check.title},
                                         {"status", to_string(check.status)},
                                         {"observed", check.observed},
                                         {"fix", check.fix}});
  }
  return boost::json::serialize(boost::json::object{{"ok", report.ok()}, {"checks", std::move(checks)}}) + "\n";
}

}  // namespace

std::string render_report(const DoctorReport& report, std::string_view format) {
  if (format == "json") return render_json(report);
  if (format == "md") return render_markdown(report);
  return render_text(report);
}

}  // namespace live2::infra
