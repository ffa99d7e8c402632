#include "core/job.h"

#include <array>
#include <utility>

namespace live2 {
namespace {

constexpr std::array<std::pair<JobStatus, std::string_view>, 5> kStatusNames{{
    {JobStatus::queued, "queued"},
    {JobStatus::running, "running"},
    {JobStatus::completed, "completed"},
    {JobStatus::failed, "failed"},
    {JobStatus::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<SubmitState, std::string_view>, 3> kSubmitStateNames{{
    {SubmitState::not_submitted, "not_submitted"},
    {SubmitState::submitting, "submitting"},
    {SubmitState::submitted, "submitted"},
}};

template <typename Enum, size_t Count>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, Count>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t Count>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, Count>& table,
                             std::string_view text) {
  for (const auto& [candidate, name] : table) {
    if (name == text) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(JobStatus status) { return name_of(kStatusNames, status); }
std::optional<JobStatus> parse_job_status(std::string_view text) { return value_of(kStatusNames, text); }
std::string_view to_string(SubmitState state) { return name_of(kSubmitStateNames, state); }
std::optional<SubmitState> parse_submit_state(std::string_view text) { return value_of(kSubmitStateNames, text); }

int64_t& RunCounts::of(JobStatus status) {
  switch (status) {
    case JobStatus::queued: return queued;
    case JobStatus::running: return running;
    case JobStatus::completed: return completed;
    case JobStatus::failed: return failed;
    case JobStatus::cancelled: return cancelled;
  }
  return queued;
}

bool is_terminal(JobStatus status) {
  return status == JobStatus::completed || status == JobStatus::failed || status == JobStatus::cancelled;
}

}  // namespace live2
