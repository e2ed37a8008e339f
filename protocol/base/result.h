// The project's error-or-value type: errors are values at module borders
// (DESIGN decision 9), carried as std::error_code so each module keeps its own
// enum and category while callers can compare against any of them.
#pragma once

#include <system_error>
#include <utility>

#include <boost/outcome/std_result.hpp>

namespace strata {

template <typename T>
using Result = boost::outcome_v2::std_result<T>;

using boost::outcome_v2::success;

namespace detail {
inline bool failed(const std::error_code& e) noexcept { return static_cast<bool>(e); }
template <typename T>
bool failed(const Result<T>& r) noexcept { return !r; }
inline std::error_code error_of(const std::error_code& e) noexcept { return e; }
template <typename T>
std::error_code error_of(const Result<T>& r) noexcept { return r.error(); }
}  // namespace detail

#define STRATA_CONCAT_INNER(a, b) a##b
#define STRATA_CONCAT(a, b) STRATA_CONCAT_INNER(a, b)

// Early return on error. STRATA_TRY(auto x, expr) declares x from the value;
// STRATA_TRYV(expr) discards it. The enclosing function returns a Result or
// a std::error_code.
#define STRATA_TRY(decl, expr)                                                   \
  auto STRATA_CONCAT(strata_try_, __LINE__) = (expr);                            \
  if (!STRATA_CONCAT(strata_try_, __LINE__))                                      \
    return STRATA_CONCAT(strata_try_, __LINE__).error();                         \
  decl = std::move(STRATA_CONCAT(strata_try_, __LINE__)).value()

#define STRATA_TRYV(expr)                                                        \
  do {                                                                           \
    auto strata_tryv_ = (expr);                                                  \
    if (::strata::detail::failed(strata_tryv_))                                  \
      return ::strata::detail::error_of(strata_tryv_);                           \
  } while (0)

}  // namespace strata
