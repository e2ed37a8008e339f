// The opaque Impl structs of the public classes (strata/*.h): each holds
// the library's own object. Private to the library: not installed.
#pragma once

#include "client/client.h"
#include "client/consumer.h"
#include "client/producer.h"
#include "strata/client.h"
#include "strata/consumer.h"
#include "strata/producer.h"

namespace strata {

struct Client::Impl {
  explicit Impl(ClientOptions options) : client(std::move(options)) {}
  client::Client client;
};

struct Producer::Impl {
  Impl(client::Client& c, const ProducerOptions& options) : producer(c, options) {}
  client::Producer producer;
};

struct Consumer::Impl {
  Impl(client::Client& c, const ConsumerOptions& options) : consumer(c, options) {}
  client::Consumer consumer;
};

}  // namespace strata
