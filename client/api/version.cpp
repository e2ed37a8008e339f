// strata::version(): the version project() set, the commit the build was
// configured from, and the APIs (with versions) the client speaks: the
// Client checks at connect time that the broker has each of them.
#include "protocol/frame.h"
#include "strata/build_info.h"
#include "strata/version.h"

namespace strata {

Version version() {
  Version v;
  v.major = STRATA_VERSION_MAJOR;
  v.minor = STRATA_VERSION_MINOR;
  v.patch = STRATA_VERSION_PATCH;
  v.text = kVersion;
  v.commit = kGitCommit;
  for (std::uint16_t k = 0; k < protocol::kApiKeyCount; ++k) {
    v.protocol.push_back({std::string(protocol::api_name(static_cast<protocol::ApiKey>(k))), 0, 0});
  }
  return v;
}

}  // namespace strata
