/// @file strata/version.h
/// @brief The library's version and the protocol versions it speaks,
/// readable at run time.
///
/// Compatibility promise (README, "The client library"): the major version
/// changes when a public header changes in a way that breaks source or
/// binary compatibility, or when the library stops speaking a protocol
/// version a released broker needs; a minor version adds functions, enum
/// values or error codes; a patch changes neither. The shared library's
/// SONAME is libstrata.so.MAJOR.
#pragma once

#include "strata/export.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

/// One API of strata's wire protocol and the versions of it the library
/// sends (min_version..max_version).
struct ApiVersion {
  std::string api;  ///< e.g. "Produce"
  std::uint16_t min_version = 0;  ///< the oldest version it sends
  std::uint16_t max_version = 0;  ///< the newest version it sends
};

/// The library as built.
struct Version {
  int major = 0;  ///< changes with every incompatible change (and the SONAME with it)
  int minor = 0;  ///< changes when something is added
  int patch = 0;  ///< changes for fixes only
  std::string text;                  ///< "MAJOR.MINOR.PATCH"
  std::string commit;                ///< the git commit it was built from, or "unknown"
  std::vector<ApiVersion> protocol;  ///< every API the library uses, with its versions
};

/// The version of the library linked in (not of the headers compiled
/// against). Thread-safe; never blocks.
[[nodiscard]] STRATA_API Version version();

}  // namespace strata
