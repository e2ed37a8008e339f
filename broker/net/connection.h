// One client connection of any wire protocol: a reader coroutine that
// frames requests (as its WireCodec says) and spawns the codec's handler
// for each; responses are written strictly in request
// order (pipelining) by whichever handler completes the front one.
//
// Threads: everything runs on the executor of the connection's shard. A
// connection that MovePolicy says belongs on another shard moves there
// once it is idle (nothing unanswered, the
// reader between frames): the socket and any bytes already received go to
// a new Connection on that shard, so its requests stop crossing threads.
//
// Bounds (README, "What a client can make the broker hold"): the reader
// stops while the ConnectionBudget or the broker-wide InflightBudget is
// spent; a connection silent for idle.timeout.ms with nothing pending, or
// whose pending replies made no write progress for that long, is closed.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "broker/runtime/asio.h"
#include "broker/core/broker.h"
#include "broker/net/connection_budget.h"
#include "broker/net/connection_tracker.h"
#include "broker/net/frame_pool.h"
#include "broker/net/move_policy.h"
#include "broker/net/reply_writer.h"
#include "broker/net/response.h"
#include "broker/net/wire_codec.h"

namespace strata::broker {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // refuse: the broker is at max.connections; answer the first request with
  // the codec's too_many_connections refusal and close.
  // shard: the one whose context runs the socket. codec: outlives every
  // connection (the broker's listeners own their codecs for its life).
  Connection(tcp::socket socket, Broker& broker, const WireCodec& codec, unsigned shard,
             std::shared_ptr<ConnectionTracker> tracker, bool refuse);
  ~Connection();

  void start();
  // Starts a connection moved here from another shard; received: request
  // bytes its old shard had read, served first.
  void resume(std::vector<std::uint8_t> received);
  // Stop reading requests; close once every pending response is written.
  void drain();

 private:
  struct Slot {
    bool ready = false;
    Response response;
    std::uint64_t charged = 0;  // to budget_, returned once written
  };

  void start_serving();
  // Receives until staging holds at least n (<= kStagingBytes) unread
  // bytes. between_frames: a move may interrupt the wait, and then it
  // returns false with what it received kept in staging.
  awaitable<bool> stage(std::size_t n, bool between_frames = false);
  awaitable<void> read_loop();
  // Waits while the budget says the reader must (next_frame: see
  // ConnectionBudget::pause). False once the connection is closed.
  awaitable<bool> wait_for_budget(std::uint64_t next_frame);
  // Writes every ready response at the front of the queue, in request
  // order. Called by whoever makes a response ready; returns at once while
  // another call is writing (that one writes this response too).
  awaitable<void> write_ready();
  // Closes once reading has stopped and every response is written.
  void close_if_done();
  // Closes a connection silent for idle.timeout.ms with nothing pending, or
  // one whose writer made no progress for that long (the client stopped
  // reading its replies).
  awaitable<void> idle_watchdog();
  awaitable<void> serve(std::shared_ptr<Slot> slot, FrameBytes frame);
  awaitable<void> refuse_first_request();
  void enqueue_error(std::vector<std::uint8_t> frame);
  void close();
  // Starts a move if one is due and the connection is idle.
  void move_if_due();
  // Hands the socket and staged bytes to a new Connection on move_to_.
  void move_now();

  // Requests are received through this buffer, so a small request costs
  // one recv(2) (and pipelined ones share it), not a recv for its size
  // prefix and one for its body. Allocated on the first read.
  static constexpr std::size_t kStagingBytes = 16 * 1024;
  std::vector<std::uint8_t> staging_;
  std::size_t staged_begin_ = 0;  // unread bytes are staging_[staged_begin_, staged_end_)
  std::size_t staged_end_ = 0;

  tcp::socket socket_;
  Broker& broker_;
  const WireCodec& codec_;
  unsigned shard_;
  std::shared_ptr<ConnectionTracker> tracker_;  // shared: connections may outlive the server
  bool refuse_;
  std::string peer_;
  std::deque<std::shared_ptr<Slot>> slots_;
  asio::steady_timer reader_wake_;
  asio::steady_timer idle_timer_;
  ConnectionBudget budget_;
  bool reading_done_ = false;
  bool writing_ = false;  // a write_ready() call is writing
  WriteProgress write_progress_;  // while writing_
  static constexpr std::size_t kMaxGatheredResponses = 64;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_activity_;

  MovePolicy move_policy_;
  bool between_frames_ = false;    // the reader waits for a frame's size prefix
  int move_to_ = -1;               // a move was started, to this shard
  bool counted_ = true;            // holds a place in the tracker's count (refusing() if refuse_)
};

}  // namespace strata::broker
