// One descriptor held in reserve (open on /dev/null) so the accept loop can
// still take a connection when the process is out of descriptors (EMFILE):
// it closes the spare, accepts, tells the client TOO_MANY_CONNECTIONS, and
// takes the spare back when a descriptor is free again. Without it, a
// pending connection can be neither accepted nor refused: the listener stays
// readable and the loop spins, and the client hangs without an answer.
//
// Threads: the accept loop's (shard 0) only.
#pragma once

namespace strata::broker {

class SpareDescriptor {
 public:
  SpareDescriptor() { restore(); }
  ~SpareDescriptor();
  SpareDescriptor(const SpareDescriptor&) = delete;
  SpareDescriptor& operator=(const SpareDescriptor&) = delete;

  // Closes the spare to free its slot; false if none was held.
  bool release() noexcept;
  // Opens the spare again if it is not held; false if that failed.
  bool restore() noexcept;
  [[nodiscard]] bool held() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace strata::broker
