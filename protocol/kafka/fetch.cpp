#include "protocol/kafka/fetch.h"

#include <algorithm>

#include "protocol/kafka/body_codec.h"

namespace strata::kafka {

Result<FetchRequest> FetchRequest::decode(Bytes body, std::int16_t version) {
  return decode_body<FetchRequest>(body, version, [version](Reader& r, FetchRequest& m) {
    m.replica_id = r.i32();
    m.max_wait_ms = r.i32();
    m.min_bytes = r.i32();
    m.max_bytes = r.i32();
    m.isolation_level = r.i8();
    if (version >= 7) {
      m.session_id = r.i32();
      m.session_epoch = r.i32();
    }
    m.topics = r.array<FetchTopicRequest>(6, [version](Reader& tr) {
      FetchTopicRequest t;
      t.name = tr.string();
      t.partitions = tr.array<FetchPartitionRequest>(16, [version](Reader& pr) {
        FetchPartitionRequest p;
        p.partition = pr.i32();
        if (version >= 9) p.current_leader_epoch = pr.i32();
        p.fetch_offset = pr.i64();
        if (version >= 5) p.log_start_offset = pr.i64();
        p.partition_max_bytes = pr.i32();
        return p;
      });
      return t;
    });
    if (version >= 7) {
      m.forgotten = r.array<ForgottenTopic>(6, [](Reader& fr) {
        ForgottenTopic f;
        f.name = fr.string();
        f.partitions = fr.array<std::int32_t>(4, [](Reader& ir) { return ir.i32(); });
        return f;
      });
    }
    if (version >= 11) m.rack_id = r.string();
  });
}

void FetchResponse::encode(Writer& w, std::int16_t version) const { encode_impl(w, version, nullptr); }

std::vector<RecordsSlot> FetchResponse::encode_without_records(Writer& w, std::int16_t version) const {
  std::vector<RecordsSlot> slots;
  encode_impl(w, version, &slots);
  return slots;
}

void FetchResponse::encode_impl(Writer& w, std::int16_t version, std::vector<RecordsSlot>* slots) const {
  w.i32(throttle_time_ms);
  if (version >= 7) {
    w.i16(static_cast<std::int16_t>(error));
    w.i32(session_id);
  }
  w.array_count(static_cast<std::int64_t>(topics.size()));
  for (std::size_t ti = 0; ti < topics.size(); ++ti) {
    const FetchTopicResponse& t = topics[ti];
    w.string(t.name);
    w.array_count(static_cast<std::int64_t>(t.partitions.size()));
    for (std::size_t pi = 0; pi < t.partitions.size(); ++pi) {
      const FetchPartitionResponse& p = t.partitions[pi];
      w.i32(p.partition);
      w.i16(static_cast<std::int16_t>(p.error));
      w.i64(p.high_watermark);
      w.i64(p.last_stable_offset);
      if (version >= 5) w.i64(p.log_start_offset);
      w.array_count(0);  // aborted transactions: none (no transactions)
      if (version >= 11) w.i32(p.preferred_read_replica);
      w.bytes_length(p.records_size);
      if (p.records_size <= 0) continue;
      if (slots != nullptr) {
        slots->push_back({w.size(), ti, pi, static_cast<std::uint32_t>(p.records_size)});
      } else {
        w.raw(p.records);
      }
    }
  }
}

std::vector<FetchPiece> split_at_slots(const std::vector<std::uint8_t>& frame, const std::vector<RecordsSlot>& slots) {
  std::vector<FetchPiece> out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const std::size_t at = std::clamp(slots[i].at, from, frame.size());
    out.push_back({{frame.begin() + static_cast<std::ptrdiff_t>(from), frame.begin() + static_cast<std::ptrdiff_t>(at)}, i});
    from = at;
  }
  out.push_back({{frame.begin() + static_cast<std::ptrdiff_t>(from), frame.end()}, std::nullopt});
  return out;
}

std::uint64_t fetch_response_overhead(const FetchRequest& request, std::int16_t version) {
  FetchResponse skeleton;
  for (const auto& t : request.topics) {
    FetchTopicResponse tr{t.name, {}};
    tr.partitions.resize(t.partitions.size());
    skeleton.topics.push_back(std::move(tr));
  }
  Writer w;
  w.i32(0);  // size
  w.i32(0);  // correlation id (response header v0: Fetch 4-11 is classic)
  (void)skeleton.encode_without_records(w, version);
  return w.size();
}

}  // namespace strata::kafka
