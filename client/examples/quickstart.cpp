// A complete program using the strata client library: create a topic,
// produce keyed messages, read them back. Built as build/bin/strata-example.
//
//   strata-example [HOST:PORT]      (default: $STRATA_BROKER or 127.0.0.1:9392)
#include <iostream>

#include "strata/client.h"
#include "strata/consumer.h"
#include "strata/producer.h"

int main(int argc, char** argv) {
  using namespace strata;
  try {
    ClientOptions where;
    where.broker = argc > 1 ? argv[1] : default_broker_address();
    Client client(where);
    try {
      client.create_topic("greetings", 3, {{"retention.ms", "3600000"}});
    } catch (const Error& e) {
      if (e.code() != ErrorCode::topic_exists) throw;
    }

    {
      ProducerOptions options;
      options.acks = Acks::durable;
      Producer producer(client, options);
      for (int i = 0; i < 5; ++i) {
        const std::string key = "user-" + std::to_string(i % 2);
        const std::string value = "hello #" + std::to_string(i);
        ProducerRecord record;
        record.topic = "greetings";
        record.key = key;
        record.value = value;
        auto sent = producer.send_future(record);
        const RecordMetadata m = sent.get();  // waits for the durable ack
        std::cout << "sent '" << value << "' to partition " << m.partition << " at offset " << m.offset << "\n";
      }
    }

    Consumer consumer(client);
    for (std::uint32_t p = 0; p < client.partition_count("greetings"); ++p) {
      consumer.assign("greetings", p, StartPosition::earliest());
    }
    while (!consumer.at_end()) {
      for (const auto& r : consumer.poll(500)) {
        std::cout << "partition " << r.partition << " offset " << r.offset << ": " << r.key.value_or("(null)")
                  << " = " << r.value.value_or("(null)") << "\n";
      }
    }
  } catch (const Error& e) {
    std::cerr << "strata-example: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
