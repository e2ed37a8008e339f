#include "protocol/producer_id_messages.h"

#include "protocol/wire_coding.h"

namespace strata::protocol {

void InitProducerIdRequest::encode(ByteWriter& w) const {
  w.fixed(producer_id);
  w.fixed(producer_epoch);
}
InitProducerIdRequest InitProducerIdRequest::decode(ByteReader& r) {
  InitProducerIdRequest m;
  m.producer_id = r.fixed<std::int64_t>();
  m.producer_epoch = r.fixed<std::int16_t>();
  return m;
}

void InitProducerIdResponse::encode(ByteWriter& w) const {
  write_error(w, error);
  w.string(message);
  w.fixed(producer_id);
  w.fixed(producer_epoch);
}
InitProducerIdResponse InitProducerIdResponse::decode(ByteReader& r) {
  InitProducerIdResponse m;
  m.error = read_error(r);
  m.message = std::string(read_string(r));
  m.producer_id = r.fixed<std::int64_t>();
  m.producer_epoch = r.fixed<std::int16_t>();
  return m;
}

}  // namespace strata::protocol
