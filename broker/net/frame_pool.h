// Storage for request frames. FrameBytes is a byte vector whose new
// elements are not value-initialised: the reader overwrites them with socket
// bytes, so zero-filling them first (std::vector::resize) only cost a pass
// over fresh pages. FramePool recycles the buffers of finished requests so a
// stream of MiB-sized produce requests does not mmap, page-fault and munmap
// a new buffer per request (glibc mmaps allocations of 128 KiB and more).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace strata::broker {

// std::allocator that default-initialises instead of value-initialising:
// resize() leaves new bytes indeterminate. Only for bytes that are written
// before they are read.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() noexcept = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}  // NOLINT: allocator rebinding

  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using FrameBytes = std::vector<std::uint8_t, DefaultInitAllocator<std::uint8_t>>;

// A small free list of frame buffers. Threads: one pool per thread (see
// for_this_thread); a buffer may be given back on any thread, it then joins
// that thread's pool. Bounded: it keeps at most kMaxBuffers buffers and
// kMaxKeptBytes of capacity, so idle connections pin nothing and a peer can
// make the pool keep only buffers it really filled (capacity at most about
// twice the bytes a request carried).
class FramePool {
 public:
  static constexpr std::size_t kMaxBuffers = 8;
  static constexpr std::size_t kMaxKeptBytes = 64u << 20;

  FramePool();

  // An empty buffer (size 0), with the capacity of a recycled one if any.
  [[nodiscard]] FrameBytes take();
  // Keeps `buffer` for a later take() if the bounds allow, else frees it.
  void give_back(FrameBytes buffer) noexcept;

  // The calling thread's pool (the connection's shard thread).
  static FramePool& for_this_thread();

 private:
  std::vector<FrameBytes> free_;
  std::size_t kept_bytes_ = 0;
};

}  // namespace strata::broker
