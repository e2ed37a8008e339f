#include "broker/cluster/cluster_id.h"

#include "broker/cluster/cluster_errc.h"

namespace strata::cluster {

boost::asio::awaitable<Result<Uuid>> ensure_cluster_id(EtcdClient& client, const ClusterLayout& layout) {
  const std::string key = layout.cluster_id_key();
  const Uuid fresh = random_uuid();
  etcd::TxnRequest txn{{etcd::Compare::absent(key)}, {etcd::TxnOp::put(key, uuid_text(fresh))}, {etcd::TxnOp::get(key)}};
  auto r = co_await client.txn(std::move(txn));
  if (!r) co_return r.error();
  if (r.value().succeeded) co_return fresh;
  if (r.value().ranges.empty() || r.value().ranges[0].kvs.empty()) co_return make_error_code(ClusterErrc::bad_response);
  auto id = parse_uuid(r.value().ranges[0].kvs[0].value);
  if (!id) co_return make_error_code(ClusterErrc::bad_value);
  co_return id.value();
}

}  // namespace strata::cluster
