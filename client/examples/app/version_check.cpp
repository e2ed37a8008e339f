// A one-file program built with pkg-config alone:
//   g++ -o version_check version_check.cpp $(pkg-config --cflags --libs strata)
// It prints the library's version and the protocol it speaks, then lists
// the topics of the broker named on its command line.
#include <iostream>

#include <strata/client.h>
#include <strata/version.h>

int main(int argc, char** argv) {
  const strata::Version v = strata::version();
  std::cout << "strata " << v.text << " (commit " << v.commit << ")\n";
  for (const auto& api : v.protocol) std::cout << "  " << api.api << " v" << api.min_version << "-v" << api.max_version << "\n";
  if (argc < 2) return 0;
  try {
    strata::ClientOptions options;
    options.broker = argv[1];
    strata::Client client(options);
    for (const auto& t : client.list_topics()) std::cout << "topic " << t.name << ": " << t.partitions << " partitions\n";
  } catch (const strata::Error& e) {
    std::cerr << "version_check: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
