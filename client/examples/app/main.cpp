// keyed-app: produces keyed messages with the installed strata client
// library and consumes them back, checking that every key's messages came
// back in order from one partition.
//
//   keyed-app HOST:PORT [TOPIC] [MESSAGES]
//
// Exit 0 and one summary line when all came back; 1 with the reason
// otherwise.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <strata/client.h>
#include <strata/consumer.h>
#include <strata/producer.h>
#include <strata/version.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: keyed-app HOST:PORT [TOPIC] [MESSAGES]\n";
    return 2;
  }
  const std::string topic = argc > 2 ? argv[2] : "keyed-app";
  const int messages = argc > 3 ? std::atoi(argv[3]) : 300;
  const std::vector<std::string> keys{"alice", "bob", "carol", "dave", "erin"};
  try {
    const strata::Version v = strata::version();
    std::cout << "strata client library " << v.text << " (" << v.protocol.size() << " APIs)\n";
    strata::ClientOptions options;
    options.broker = argv[1];
    strata::Client client(options);
    client.create_topic(topic, 3);

    std::map<std::string, std::uint32_t> partition_of;  // as the producer acknowledged
    {
      strata::ProducerOptions producer_options;
      producer_options.acks = strata::Acks::durable;
      strata::Producer producer(client, producer_options);
      std::vector<std::future<strata::RecordMetadata>> sent;
      std::vector<std::string> values;  // alive until send() returns (it copies)
      for (int i = 0; i < messages; ++i) {
        const std::string& key = keys[static_cast<std::size_t>(i) % keys.size()];
        const std::string value = key + "#" + std::to_string(i);
        strata::ProducerRecord record;
        record.topic = topic;
        record.key = key;
        record.value = value;
        sent.push_back(producer.send_future(record));
      }
      producer.flush();
      for (std::size_t i = 0; i < sent.size(); ++i) {
        const strata::RecordMetadata m = sent[i].get();  // throws strata::Error if it failed
        partition_of[keys[i % keys.size()]] = m.partition;
      }
    }

    strata::Consumer consumer(client);
    for (std::uint32_t p = 0; p < client.partition_count(topic); ++p) {
      consumer.assign(topic, p, strata::StartPosition::earliest());
    }
    std::map<std::string, int> last_index;  // per key: the message number seen last
    int received = 0;
    for (int polls = 0; polls < 200 && received < messages; ++polls) {
      for (const auto& r : consumer.poll(500)) {
        const std::string key = r.key.value_or("");
        const std::string value = r.value.value_or("");
        const int index = std::atoi(value.substr(value.find('#') + 1).c_str());
        if (partition_of.at(key) != r.partition) throw std::runtime_error("key " + key + " came from two partitions");
        if (last_index.count(key) && last_index[key] >= index) throw std::runtime_error("key " + key + " out of order");
        last_index[key] = index;
        ++received;
      }
    }
    if (received != messages) {
      std::cerr << "keyed-app: consumed " << received << " of " << messages << " messages\n";
      return 1;
    }
    std::cout << "produced and consumed " << messages << " keyed messages; each key in order on one partition\n";
  } catch (const strata::Error& e) {
    std::cerr << "keyed-app: " << strata::error_name(e.code()) << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "keyed-app: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
