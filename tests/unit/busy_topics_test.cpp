// An auto-create that finds its topic busy (another admin operation on the
// name) waits for that operation's end and no longer: it used to poll every
// 10 ms, giving up after 5 s.
#include <doctest/doctest.h>

#include "broker/core/busy_topics.h"

namespace strata::broker {

TEST_CASE("busy topics: a wait ends when the operation on its name ends, not before") {
  asio::io_context io;
  BusyTopics busy;
  busy.insert("t");
  busy.insert("other");
  bool done = false;
  asio::co_spawn(
      io, [&]() -> awaitable<void> { co_await busy.wait_until_free("t"); done = true; }, asio::detached);
  io.run_for(std::chrono::milliseconds(50));
  CHECK_FALSE(done);
  busy.erase("other");  // another name: still waiting
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  CHECK_FALSE(done);
  busy.erase("t");
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  CHECK(done);
  CHECK_FALSE(busy.contains("t"));
}

TEST_CASE("busy topics: a name that is not busy does not wait") {
  asio::io_context io;
  BusyTopics busy;
  bool done = false;
  asio::co_spawn(
      io, [&]() -> awaitable<void> { co_await busy.wait_until_free("t"); done = true; }, asio::detached);
  io.poll();
  CHECK(done);
}

}  // namespace strata::broker
