#include "broker/net/connection.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "broker/runtime/logger.h"
#include "broker/ops/metrics.h"

namespace strata::broker {

using Clock = std::chrono::steady_clock;

namespace {

// Bytes of a request frame read before the buffer grows geometrically.
constexpr std::size_t kFirstReadChunk = 64 * 1024;

std::string peer_name(const tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

Connection::Connection(tcp::socket socket, Broker& broker, const WireCodec& codec, unsigned shard,
                       std::shared_ptr<ConnectionTracker> tracker, bool refuse)
    : socket_(std::move(socket)),
      broker_(broker),
      codec_(codec),
      shard_(shard),
      tracker_(std::move(tracker)),
      refuse_(refuse),
      peer_(peer_name(socket_)),
      reader_wake_(socket_.get_executor()),
      idle_timer_(socket_.get_executor()),
      budget_({broker.config().max_inflight_bytes_per_connection, broker.config().max_inflight_requests_per_connection},
              broker.inflight_budget()),
      last_activity_(Clock::now()) {}

Connection::~Connection() {
  if (counted_) tracker_->remove(refuse_);
}

void Connection::start() {
  if (!refuse_) log_debug("connection from " + peer_);
  start_serving();
}

void Connection::resume(std::vector<std::uint8_t> received) {
  if (!received.empty()) {
    staging_.resize(std::max(kStagingBytes, received.size()));
    std::memcpy(staging_.data(), received.data(), received.size());
    staged_end_ = received.size();
  }
  start_serving();
}

void Connection::start_serving() {
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // sendfile must never block the shard
  auto self = shared_from_this();
  auto ex = socket_.get_executor();
  if (refuse_) {
    asio::co_spawn(ex, [self]() { return self->refuse_first_request(); }, asio::detached);
    return;
  }
  asio::co_spawn(ex, [self]() { return self->read_loop(); }, asio::detached);
  asio::co_spawn(ex, [self]() { return self->idle_watchdog(); }, asio::detached);
}

void Connection::drain() {
  auto self = shared_from_this();
  asio::post(socket_.get_executor(), [self]() {
    self->reading_done_ = true;
    boost::system::error_code ec;
    self->socket_.shutdown(tcp::socket::shutdown_receive, ec);
    self->close_if_done();
  });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  reading_done_ = true;
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  reader_wake_.cancel();
  idle_timer_.cancel();
  // Replies never to be written: their memory and the segment files their
  // slices hold open go now, not when the last handler finishes.
  slots_.clear();
  budget_.abandon();
}

void Connection::enqueue_error(std::vector<std::uint8_t> frame) {
  auto slot = std::make_shared<Slot>();
  slot->ready = true;
  slot->response = Response::frame(std::move(frame), true);
  slot->charged = budget_.add_request(0);
  slots_.push_back(slot);
  reading_done_ = true;
}

awaitable<bool> Connection::stage(std::size_t n, bool between_frames) {
  if (staged_end_ - staged_begin_ >= n) co_return true;
  if (staging_.empty()) staging_.resize(kStagingBytes);
  std::memmove(staging_.data(), staging_.data() + staged_begin_, staged_end_ - staged_begin_);
  staged_end_ -= staged_begin_;
  staged_begin_ = 0;
  between_frames_ = between_frames;
  while (staged_end_ < n && move_to_ < 0) {
    boost::system::error_code ec;
    staged_end_ += co_await socket_.async_read_some(
        asio::buffer(staging_.data() + staged_end_, staging_.size() - staged_end_),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec && !(ec == asio::error::operation_aborted && move_to_ >= 0)) {
      between_frames_ = false;
      throw boost::system::system_error(ec);
    }
  }
  between_frames_ = false;
  co_return move_to_ < 0;
}

awaitable<bool> Connection::wait_for_budget(std::uint64_t next_frame) {
  for (;;) {
    if (closed_) co_return false;
    const auto pause = budget_.pause(next_frame);
    if (pause == ConnectionBudget::Pause::none) co_return true;
    // A written reply wakes the reader (write_ready); the broker-wide
    // budget is freed by other connections, on other shards: poll it.
    reader_wake_.expires_at(pause == ConnectionBudget::Pause::connection
                                ? Clock::time_point::max()
                                : Clock::now() + std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await reader_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

awaitable<void> Connection::read_loop() {
  const auto& cfg = broker_.config();
  try {
    while (!reading_done_) {
      // Back-pressure: no new request while the budget is spent.
      if (!co_await wait_for_budget(0)) break;
      if (!co_await stage(WireCodec::kSizeBytes, true)) {
        move_now();
        co_return;
      }
      const std::uint32_t size = codec_.frame_size(staging_.data() + staged_begin_);
      staged_begin_ += WireCodec::kSizeBytes;
      if (size > cfg.max_frame_bytes || size < codec_.min_frame()) {
        // Learn the correlation id from the header's first bytes only.
        std::uint8_t head[WireCodec::kHeadBytes] = {};
        if (size >= sizeof head) {
          co_await stage(sizeof head);
          std::memcpy(head, staging_.data() + staged_begin_, sizeof head);
        }
        const bool large = size > cfg.max_frame_bytes;
        log_info("closing " + peer_ + ": a request frame of " + std::to_string(size) + " bytes (" +
                 (large ? "the limit is " + std::to_string(cfg.max_frame_bytes) : std::string("too small")) + ")");
        auto refusal = codec_.refusal(
            large ? FrameRefusal::too_large : FrameRefusal::too_small, head,
            large ? "request of " + std::to_string(size) + " bytes exceeds max.frame.bytes " +
                        std::to_string(cfg.max_frame_bytes)
                  : "request frame of " + std::to_string(size) + " bytes is smaller than a request header");
        if (refusal.empty()) break;
        enqueue_error(std::move(refusal));
        co_await write_ready();
        co_return;
      }
      if (!co_await wait_for_budget(size)) break;
      // Charged before the body arrives, so frames being received count
      // towards the budgets too (their buffers grow to at most this).
      const std::uint64_t charged = budget_.add_request(size);
      // A frame that fits the staging buffer is received there whole; a
      // larger one takes what is staged and reads the rest into its own
      // buffer, which grows with the bytes that arrive, not to the
      // announced size: a peer that announces max.frame.bytes and sends
      // little must not pin that much memory (at most twice what it sent,
      // plus a chunk, or the capacity of the recycled buffer, which earlier
      // requests filled). Recycled and not zero-filled: see frame_pool.h.
      if (size <= kStagingBytes) co_await stage(size);
      FrameBytes frame = FramePool::for_this_thread().take();
      const std::size_t staged = std::min<std::size_t>(size, staged_end_ - staged_begin_);
      frame.resize(staged);
      std::memcpy(frame.data(), staging_.data() + staged_begin_, staged);
      staged_begin_ += staged;
      while (frame.size() < size) {
        const std::size_t have = frame.size();
        const std::size_t grow = std::max({have, kFirstReadChunk, frame.capacity() - have});
        const std::size_t step = std::min<std::size_t>(size - have, grow);
        frame.resize(have + step);
        co_await asio::async_read(socket_, asio::buffer(frame.data() + have, step), asio::use_awaitable);
      }
      last_activity_ = Clock::now();
      auto slot = std::make_shared<Slot>();
      slot->charged = charged;
      slots_.push_back(slot);
      asio::co_spawn(socket_.get_executor(), serve(slot, std::move(frame)), asio::detached);
    }
  } catch (const std::exception&) {
    // Peer closed or the socket was shut down: stop reading; the writer
    // finishes what is pending.
  }
  reading_done_ = true;
  close_if_done();
}

awaitable<void> Connection::serve(std::shared_ptr<Slot> slot, FrameBytes frame) {
  auto self = shared_from_this();  // outlive the handler
  try {
    slot->response = co_await codec_.handle(broker_, protocol::MutableBytes(frame));
  } catch (const std::exception& e) {
    log_error(std::string("a request from ") + peer_ + " failed: " + e.what());
    const std::uint8_t no_head[WireCodec::kHeadBytes] = {};
    slot->response = Response::frame(codec_.refusal(FrameRefusal::internal_error, no_head, "internal error"), true);
    slot->response.send = !slot->response.chunks.front().bytes.empty();
  }
  // The handler is done with the frame (request_handlers.h): recycle it.
  FramePool::for_this_thread().give_back(std::move(frame));
  move_policy_.note(slot->response.affinity, shard_);
  if (closed_) co_return;  // close() dropped the slot and its charge
  std::uint64_t reply_bytes = 0;
  for (const auto& chunk : slot->response.chunks) reply_bytes += chunk.bytes.capacity();
  budget_.add_reply(reply_bytes);
  slot->charged += reply_bytes;
  slot->ready = true;
  co_await write_ready();
  move_if_due();
}

void Connection::move_if_due() {
  const auto due = move_policy_.due();
  if (!due || move_to_ >= 0 || closed_ || reading_done_) return;
  if (!slots_.empty() || writing_ || !between_frames_) return;
  // Wakes the reader, which hands over from between frames (read_loop).
  move_to_ = static_cast<int>(*due);
  boost::system::error_code ec;
  socket_.cancel(ec);
}

void Connection::move_now() {
  const auto target = static_cast<unsigned>(move_to_);
  log_debug("connection " + peer_ + " moves to shard " + std::to_string(target) +
            ", where the partitions it uses live");
  ++local_metrics().connections_moved;  // on the shard it leaves
  std::vector<std::uint8_t> received(staging_.begin() + static_cast<std::ptrdiff_t>(staged_begin_),
                                     staging_.begin() + static_cast<std::ptrdiff_t>(staged_end_));
  boost::system::error_code ec;
  const tcp::endpoint local = socket_.local_endpoint(ec);
  const int fd = ec ? -1 : socket_.release(ec);
  if (ec || fd < 0) {
    close();
    return;
  }
  closed_ = true;  // this object is done; the socket lives on in its successor
  reading_done_ = true;
  counted_ = false;
  idle_timer_.cancel();
  reader_wake_.cancel();
  Shard& shard = broker_.shard(target);
  asio::post(shard.context(), [&broker = broker_, &codec = codec_, &shard, tracker = tracker_, fd,
                               protocol = local.protocol(),
                               received = std::move(received)]() mutable {
    tcp::socket socket(shard.context());
    boost::system::error_code assign_ec;
    socket.assign(protocol, fd, assign_ec);
    if (assign_ec) {
      ::close(fd);
      tracker->remove(false);
      return;
    }
    auto moved = std::make_shared<Connection>(std::move(socket), broker, codec, shard.id(), tracker, false);
    tracker->add_moved(moved);
    // Registered first, so a drain that begins from now on reaches it.
    if (broker.stopping()) {
      moved->close();
      return;
    }
    moved->resume(std::move(received));
  });
}

void Connection::close_if_done() {
  if (reading_done_ && slots_.empty() && !writing_) close();
}

awaitable<void> Connection::write_ready() {
  if (writing_ || closed_) co_return;  // the coroutine writing picks this slot up in order
  writing_ = true;
  write_progress_.note();  // the stall clock starts when there is something to write
  std::vector<std::shared_ptr<Slot>> batch;
  std::vector<asio::const_buffer> buffers;
  try {
    while (!closed_ && !slots_.empty() && slots_.front()->ready) {
      // Consecutive ready responses made only of bytes go out in one
      // writev; a response with a file slice is written on its own.
      batch.clear();
      buffers.clear();
      while (!slots_.empty() && slots_.front()->ready && batch.size() < kMaxGatheredResponses) {
        const Response& r = slots_.front()->response;
        const bool has_slice = std::any_of(r.chunks.begin(), r.chunks.end(),
                                           [](const ResponseChunk& c) { return c.slice.length > 0; });
        if (has_slice && !batch.empty()) break;
        batch.push_back(slots_.front());  // keeps r alive
        slots_.pop_front();
        if (has_slice) break;
        if (r.send) {
          for (const auto& chunk : r.chunks) buffers.emplace_back(asio::buffer(chunk.bytes));
        }
        if (r.close_after) break;
      }
      if (!buffers.empty()) {
        co_await write_all(socket_, buffers, write_progress_);
      } else if (batch.back()->response.send) {
        for (const auto& chunk : batch.back()->response.chunks) {
          if (!chunk.bytes.empty()) {
            buffers.assign(1, asio::buffer(chunk.bytes));
            co_await write_all(socket_, buffers, write_progress_);
          }
          if (chunk.slice.length > 0) co_await send_slice(socket_, chunk.slice, write_progress_);
        }
      }
      if (closed_) break;  // close() returned every charge
      for (const auto& slot : batch) budget_.finish(slot->charged);
      reader_wake_.cancel();
      if (batch.back()->response.close_after) {
        writing_ = false;
        close();
        co_return;
      }
    }
  } catch (const std::exception& e) {
    log_debug("connection " + peer_ + ": " + e.what());
    writing_ = false;
    close();
    co_return;
  }
  writing_ = false;
  close_if_done();
}

awaitable<void> Connection::idle_watchdog() {
  auto self = shared_from_this();
  const auto idle = std::chrono::milliseconds(broker_.config().idle_timeout_ms);
  while (!closed_) {
    idle_timer_.expires_after(std::min<std::chrono::milliseconds>(idle / 4 + std::chrono::milliseconds(1),
                                                            std::chrono::milliseconds(1000)));
    boost::system::error_code ec;
    co_await idle_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!closed_ && slots_.empty() && Clock::now() - last_activity_ > idle) {
      log_info("closing " + peer_ + ": idle for " + std::to_string(idle.count()) + " ms");
      close();
    } else if (!closed_ && writing_ && Clock::now() - write_progress_.last > idle) {
      log_info("closing " + peer_ + ": its replies made no write progress for " + std::to_string(idle.count()) +
               " ms (the client stopped reading; " + std::to_string(slots_.size()) + " replies pending)");
      close();
    }
  }
}

awaitable<void> Connection::refuse_first_request() {
  auto self = shared_from_this();
  try {
    asio::steady_timer timer(socket_.get_executor());
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([self](boost::system::error_code ec) {
      if (!ec) self->close();
    });
    std::uint8_t head[WireCodec::kSizeBytes + WireCodec::kHeadBytes] = {};
    co_await asio::async_read(socket_, asio::buffer(head), asio::use_awaitable);
    timer.cancel();
    auto frame = codec_.refusal(FrameRefusal::too_many_connections,
                                std::span<const std::uint8_t>(head + WireCodec::kSizeBytes, WireCodec::kHeadBytes),
                                "the broker is at max.connections (" +
                                    std::to_string(broker_.config().max_connections) +
                                    "); close idle connections or retry later");
    if (!frame.empty()) co_await asio::async_write(socket_, asio::buffer(frame), asio::use_awaitable);
  } catch (const std::exception&) {
  }
  close();
}

}  // namespace strata::broker
