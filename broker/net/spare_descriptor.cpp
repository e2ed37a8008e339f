#include "broker/net/spare_descriptor.h"

#include <fcntl.h>
#include <unistd.h>

namespace strata::broker {

SpareDescriptor::~SpareDescriptor() { release(); }

bool SpareDescriptor::release() noexcept {
  if (fd_ < 0) return false;
  ::close(fd_);
  fd_ = -1;
  return true;
}

bool SpareDescriptor::restore() noexcept {
  if (fd_ < 0) fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd_ >= 0;
}

}  // namespace strata::broker
