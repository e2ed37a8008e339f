// Which pages of a file are in the page cache (mincore(2) over a read-only
// mapping), for tests of page-cache advice. Shared by unit and integration
// tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace strata::test {

inline constexpr std::uint64_t kPageBytes = 4096;

// Residency of each page of the file, in order; empty for an empty file.
// Fails the calling test if the file cannot be opened or mapped.
[[nodiscard]] std::vector<bool> resident_pages(const std::filesystem::path& path);

struct PageCount {
  std::size_t resident = 0;
  std::size_t total = 0;
};
// The pages wholly inside [begin, end), and how many of them are resident.
[[nodiscard]] PageCount resident_in(const std::vector<bool>& pages, std::uint64_t begin, std::uint64_t end);

// tmpfs keeps its pages whatever the advice: such tests skip there.
[[nodiscard]] bool on_tmpfs(const std::filesystem::path& dir);

}  // namespace strata::test
