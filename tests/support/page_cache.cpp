#include "tests/support/page_cache.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace strata::test {

std::vector<bool> resident_pages(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE_MESSAGE(fd >= 0, "cannot open " << path);
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(path));
  std::vector<bool> out;
  if (size > 0) {
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    REQUIRE_MESSAGE(map != MAP_FAILED, "cannot map " << path);
    std::vector<unsigned char> vec((size + kPageBytes - 1) / kPageBytes);
    const int rc = ::mincore(map, size, vec.data());
    ::munmap(map, size);
    REQUIRE(rc == 0);
    out.reserve(vec.size());
    for (auto v : vec) out.push_back((v & 1) != 0);
  } else {
    ::close(fd);
  }
  return out;
}

PageCount resident_in(const std::vector<bool>& pages, std::uint64_t begin, std::uint64_t end) {
  PageCount c;
  for (std::uint64_t p = (begin + kPageBytes - 1) / kPageBytes; (p + 1) * kPageBytes <= end && p < pages.size();
       ++p) {
    ++c.total;
    if (pages[p]) ++c.resident;
  }
  return c;
}

bool on_tmpfs(const std::filesystem::path& dir) {
  struct statfs s {};
  return ::statfs(dir.c_str(), &s) == 0 && s.f_type == TMPFS_MAGIC;
}

}  // namespace strata::test
