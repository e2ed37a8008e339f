#include "storage/sync_ticket.h"

#include "storage/checkpoint.h"
#include "storage/storage_errc.h"

namespace strata::storage {

std::error_code SyncTicket::run() {
  // Out of descriptors is never a failed fsync: it comes from opening a
  // file or directory to sync, before any data was at risk.
  auto synced = [this](File& f) {
    auto ec = f.sync();
    fsync_failed_ = ec && !is_out_of_descriptors(ec);
    return ec;
  };
  if (active_) {
    if (auto ec = synced(*active_)) return ec;
    active_->drop_cached(active_uncache_begin_, active_uncache_end_);
  }
  for (const auto& other : others_) {
    auto file = fs_->open(other.path, OpenMode::read_write);
    if (!file && file.error() == std::errc::no_such_file_or_directory) continue;  // deleted by retention
    if (!file) return file.error();
    if (auto ec = synced(*file.value())) return ec;
    file.value()->drop_cached(0, other.uncache_end);
  }
  if (checkpoint_) {
    // Durable recovery point, so a power loss too rescans only from here;
    // replace_file's directory sync also makes new segments' names durable.
    auto ec = write_checkpoint(*fs_, dir_, *checkpoint_, true);
    // A checkpoint that cannot be written on a full disk loses nothing: the
    // log's files were synced above and the old checkpoint stands, so a
    // later sync may retry. Any other failure counts as a failed fsync.
    fsync_failed_ = ec && !is_disk_full(ec) && !is_out_of_descriptors(ec);
    return ec;
  }
  if (sync_dir_) {
    auto ec = fs_->sync_directory(dir_);
    fsync_failed_ = ec && !is_out_of_descriptors(ec);
    return ec;
  }
  return {};
}

}  // namespace strata::storage
