// Writing replies to a client socket, noting each time bytes leave
// (WriteProgress), so a connection can tell a client that reads slowly from
// one that stopped reading (the stall watchdog in connection.cpp).
//
// Threads: the socket's executor. The socket must be non-blocking (sendfile
// must never block a shard).
#pragma once

#include <chrono>
#include <vector>

#include "broker/runtime/asio.h"
#include "storage/segment.h"

namespace strata::broker {

// When a write last made progress. Threads: the connection's shard.
struct WriteProgress {
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  void note() noexcept { last = std::chrono::steady_clock::now(); }
};

// Writes every byte of `buffers`, noting progress after each partial write.
awaitable<void> write_all(tcp::socket& socket, const std::vector<asio::const_buffer>& buffers,
                          WriteProgress& progress);
// Sends [position, position + length) of the slice's file with sendfile(2),
// waiting for the socket to drain when it would block.
awaitable<void> send_slice(tcp::socket& socket, const storage::SegmentSlice& slice, WriteProgress& progress);

}  // namespace strata::broker
