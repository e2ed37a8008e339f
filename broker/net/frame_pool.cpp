#include "broker/net/frame_pool.h"

namespace strata::broker {

FramePool::FramePool() { free_.reserve(kMaxBuffers); }

FrameBytes FramePool::take() {
  if (free_.empty()) return {};
  // Last in, first out: the most recently used buffer is the warmest.
  FrameBytes buffer = std::move(free_.back());
  free_.pop_back();
  kept_bytes_ -= buffer.capacity();
  buffer.clear();
  return buffer;
}

void FramePool::give_back(FrameBytes buffer) noexcept {
  const std::size_t bytes = buffer.capacity();
  if (bytes == 0 || free_.size() >= kMaxBuffers || kept_bytes_ + bytes > kMaxKeptBytes) return;
  free_.push_back(std::move(buffer));  // never reallocates: reserved in the constructor
  kept_bytes_ += bytes;
}

FramePool& FramePool::for_this_thread() {
  thread_local FramePool pool;
  return pool;
}

}  // namespace strata::broker
