// Helpers shared by the `strata` CLI integration tests: ISO 8601 times,
// producing with the library, parsing `consume --format json` and
// `offsets` output, and the one-line-error check.
#pragma once

#include <doctest/doctest.h>


#include <algorithm>
#include <csignal>
#include <ctime>
#include <fstream>
#include <map>
#include <random>

#include "tests/integration/client_test_util.h"


namespace strata::it::cli_tests {


// Epoch ms as ISO 8601: "2026-11-21T18:00:00.250Z", or in a fixed UTC
// offset ("+01:00") naming the same instant.
inline std::string iso8601(std::int64_t ms, int offset_minutes = 0) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000 + offset_minutes * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  std::string out = buf;
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
    out += buf;
  }
  return out;
}

// Produces values to one partition with the library, flushed.
inline void produce_values(Client& c, const std::string& topic, std::uint32_t partition,
                    const std::vector<std::string>& values, std::size_t flush_every = 0) {
  ScopedProducer kept(c);
  Producer& producer = *kept;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ProducerRecord r;
    r.topic = topic;
    r.value = values[i];
    r.partition = partition;
    producer.send(r);
    if (flush_every != 0 && i % flush_every == flush_every - 1) producer.flush();
  }
  producer.flush();
}

// The lines of `strata consume --format json` output, parsed, sorted by
// (partition, offset).
struct JsonRecord {
  std::string topic;
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::int64_t timestamp = 0;
  JsonValue object;
};
inline std::vector<JsonRecord> parse_json_lines(const std::string& out) {
  std::vector<JsonRecord> records;
  for (const auto& line : lines_of(out)) {
    JsonRecord r;
    r.object = parse_json(line);
    r.topic = r.object.at("topic").get<std::string>();
    r.partition = static_cast<std::uint32_t>(as_int(r.object.at("partition")));
    r.offset = static_cast<std::uint64_t>(as_int(r.object.at("offset")));
    r.timestamp = as_int(r.object.at("timestamp"));
    records.push_back(std::move(r));
  }
  std::sort(records.begin(), records.end(), [](const JsonRecord& a, const JsonRecord& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });
  return records;
}

inline std::vector<std::string> slice(const std::vector<std::string>& v, std::size_t from, std::size_t to) {
  return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to)};
}

// A failed command: the exit code, and one line "strata: ..." on stderr.
inline void check_one_line_error(const ProcessResult& r, int expected_code, const std::vector<std::string>& needles) {
  INFO(r.describe());
  CHECK_FALSE(r.timed_out);
  CHECK(r.exited);
  CHECK(r.code == expected_code);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("strata: "));
  CHECK(r.err.ends_with("\n"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  for (const auto& n : needles) CHECK_MESSAGE(r.err.find(n) != std::string::npos, "stderr lacks '" << n << "'");
}

// `strata offsets TOPIC` as {partition: {earliest, latest}}.
inline std::map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> parse_offsets(const std::string& out) {
  std::map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> table;
  const auto lines = lines_of(out);
  if (lines.empty() || lines[0] != "partition\tearliest\tlatest") {
    throw std::runtime_error("unexpected `strata offsets` output: " + out);
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    unsigned p = 0;
    long long e = 0, l = 0;
    if (std::sscanf(lines[i].c_str(), "%u\t%lld\t%lld", &p, &e, &l) != 3) {
      throw std::runtime_error("unexpected `strata offsets` line: " + lines[i]);
    }
    table[p] = {e, l};
  }
  return table;
}

}  // namespace strata::it::cli_tests
