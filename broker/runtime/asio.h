// The one header through which the broker includes Boost.Asio.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>
// (DESIGN, known traps), so <utility> must come first.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace strata::broker {
namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
}  // namespace strata::broker
