#include "client/cli/failed_lines.h"

#include <algorithm>

namespace strata::cli {

void FailedLines::acked_one() {
  std::lock_guard lock(mu_);
  ++acked_;
}

void FailedLines::failed_one(std::uint64_t line, const std::string& error) {
  std::lock_guard lock(mu_);
  lines_.push_back(line);
  if (std::find(errors_.begin(), errors_.end(), error) != errors_.end()) return;
  if (errors_.size() < kShownErrors) {
    errors_.push_back(error);
  } else {
    ++other_errors_;
  }
}

std::uint64_t FailedLines::acked() const {
  std::lock_guard lock(mu_);
  return acked_;
}

std::uint64_t FailedLines::failed() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

void FailedLines::describe(std::ostream& out) const {
  std::lock_guard lock(mu_);
  if (lines_.empty()) return;
  std::vector<std::uint64_t> sorted = lines_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (const auto line : sorted) {
    if (!ranges.empty() && line <= ranges.back().second + 1) {
      ranges.back().second = std::max(ranges.back().second, line);
    } else {
      ranges.emplace_back(line, line);
    }
  }
  out << "; " << lines_.size() << " failed (line" << (lines_.size() == 1 ? " " : "s ");
  for (std::size_t i = 0; i < ranges.size() && i < kShownRanges; ++i) {
    out << (i ? ", " : "") << ranges[i].first;
    if (ranges[i].second != ranges[i].first) out << "-" << ranges[i].second;
  }
  if (ranges.size() > kShownRanges) out << " and " << ranges.size() - kShownRanges << " more ranges";
  out << "): ";
  for (std::size_t i = 0; i < errors_.size(); ++i) out << (i ? "; " : "") << errors_[i];
  if (other_errors_ > 0) out << "; and " << other_errors_ << " more failures with other errors";
}

}  // namespace strata::cli
