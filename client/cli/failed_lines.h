// strata produce's tally of what its callbacks reported: how many lines
// were acknowledged, and exactly which failed and why, for the summary.
// Threads: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace strata::cli {

class FailedLines {
 public:
  void acked_one();
  // Line `line` (1-based) failed with `error`.
  void failed_one(std::uint64_t line, const std::string& error);

  [[nodiscard]] std::uint64_t acked() const;
  [[nodiscard]] std::uint64_t failed() const;
  // Appends "; N failed (lines 3-5, 9): ERROR" (nothing when none failed):
  // every failed line as ranges, up to kShownRanges, then how many more;
  // each distinct error once, up to kShownErrors.
  void describe(std::ostream& out) const;

  static constexpr std::size_t kShownRanges = 20;
  static constexpr std::size_t kShownErrors = 3;

 private:
  mutable std::mutex mu_;
  std::uint64_t acked_ = 0;
  std::vector<std::uint64_t> lines_;  // in the order callbacks came (not sorted)
  std::vector<std::string> errors_;   // distinct, in the order seen, at most kShownErrors
  std::uint64_t other_errors_ = 0;    // failures with an error not in errors_
};

}  // namespace strata::cli
