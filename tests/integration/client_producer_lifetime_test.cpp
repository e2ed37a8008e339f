// Integration test of the Producer's lifetime against a real broker: after
// its destructor returns, nothing touches its memory (a guard page catches
// a late notify from the reader thread). It tests the library's own
// client::Producer (client/producer.h), not the public facade: the facade
// keeps that object behind a pointer, so only the private class can be put
// on the guarded page. One of the named exceptions of the public-headers
// check (tests/tools/public_headers_check.cmake).
#include <doctest/doctest.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "client/client.h"
#include "client/producer.h"
#include "tests/integration/client_test_util.h"

#include "tests/integration/client_library_test_util.h"

namespace strata::it {
namespace {

// A page that faults when touched while "guarded"; the fault handler counts
// the touch and unguards the page so the toucher continues.
std::atomic<char*> g_guard_page{nullptr};
std::atomic<int> g_guard_hits{0};
std::atomic<int> g_guard_toucher{0};  // thread id of the last toucher
struct sigaction g_previous_segv;

extern "C" void on_guard_fault(int sig, siginfo_t* info, void* context) {
  char* const page = g_guard_page.load();
  char* const at = static_cast<char*>(info->si_addr);
  if (page != nullptr && at >= page && at < page + 4096) {
    g_guard_toucher = static_cast<int>(::syscall(SYS_gettid));
    g_guard_hits.fetch_add(1);
    ::mprotect(page, 4096, PROT_READ | PROT_WRITE);
    return;  // the faulting access is retried and now succeeds
  }
  // Not ours: hand over to the previous handler (doctest's crash report).
  ::sigaction(SIGSEGV, &g_previous_segv, nullptr);
  (void)sig;
  (void)context;
}

// The scheduler state letter of one of this process's threads ('R', 'S', ...).
char thread_state(int tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : '?';
}

}  // namespace

using namespace library;

TEST_CASE("client library: a Producer is not touched after its destructor returns") {
  // Producer::on_reply, on the connection's reader thread, lowers the
  // unfinished-record count (letting flush() and the destructor return) and
  // only then notifies the Producer's condition variables. The Producer is
  // placed on a page of its own; after each destroy the page is made
  // inaccessible for a moment, and any touch is counted. To make the race
  // repeatable, the test thread, the sender thread it starts and the reader
  // thread share one CPU, and the reader thread runs at SCHED_IDLE, so the
  // woken test thread runs first and finishes the destructor. (On a
  // heavily loaded machine the race can go unseen and the test pass; it
  // cannot fail when nothing touches the Producer.)
  ClientFixture f;
  f.client->create_topic("lifetime", 1);
  auto own_client = std::make_unique<client::Client>(client::ClientOptions{f.address});
  client::Client& c = *own_client;  // its reader thread is demoted below

  cpu_set_t saved;
  REQUIRE(::sched_getaffinity(0, sizeof saved, &saved) == 0);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &saved)) cpus.push_back(cpu);
  }
  REQUIRE_FALSE(cpus.empty());
  // Pins the calling thread to one CPU.
  auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return ::sched_setaffinity(0, sizeof one, &one) == 0;
  };

  void* mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  static_assert(sizeof(client::Producer) <= 4096);
  g_guard_page = static_cast<char*>(mem);
  g_guard_hits = 0;
  struct sigaction sa {};
  sa.sa_sigaction = on_guard_fault;
  sa.sa_flags = SA_SIGINFO;
  ::sigemptyset(&sa.sa_mask);
  REQUIRE(::sigaction(SIGSEGV, &sa, &g_previous_segv) == 0);
  // Whatever happens below: the old handler, the affinity, a usable page.
  struct Restore {
    void* mem;
    cpu_set_t affinity;
    ~Restore() {
      ::sigaction(SIGSEGV, &g_previous_segv, nullptr);
      ::sched_setaffinity(0, sizeof affinity, &affinity);
      ::mprotect(mem, 4096, PROT_READ | PROT_WRITE);
    }
  } restore{mem, saved};

  // Cycles rotate over the CPUs, so that a CPU busy with other work does
  // not hide the race in every cycle.
  constexpr int kCycles = 40;
  int touched_cycles = 0;
  std::atomic<bool> demoted{false};
  std::atomic<int> reader_tid{0};
  std::atomic<int> target_cpu{cpus[0]};
  for (int i = 0; i < kCycles; ++i) {
    target_cpu = cpus[static_cast<std::size_t>(i) % cpus.size()];
    REQUIRE(pin(target_cpu.load()));  // the Producer's sender thread inherits it
    REQUIRE(::mprotect(mem, 4096, PROT_READ | PROT_WRITE) == 0);
    auto* producer = new (mem) client::Producer(c);
    producer->send(make_record("lifetime", std::nullopt, "x"),
                   [&demoted, &reader_tid, &target_cpu, pin](const RecordMetadata*, const strata::Error*) {
                     // On the reader thread: the test thread's CPU, lowest priority.
                     (void)pin(target_cpu.load());
                     if (!demoted.exchange(true)) {
                       reader_tid = static_cast<int>(::syscall(SYS_gettid));
                       sched_param param{};
                       (void)::sched_setscheduler(0, SCHED_IDLE, &param);
                     }
                   });
    producer->flush();
    producer->~Producer();
    const int before = g_guard_hits.load();
    REQUIRE(::mprotect(mem, 4096, PROT_NONE) == 0);
    // Wait until the reader thread is back to waiting for the next reply
    // (sleeping), i.e. has finished with this Producer.
    std::this_thread::sleep_for(1ms);
    if (reader_tid.load() != 0) {
      (void)eventually([&] { return thread_state(reader_tid.load()) == 'S'; }, 2s);
    }
    if (g_guard_hits.load() != before) ++touched_cycles;
  }
  std::this_thread::sleep_for(20ms);
  const bool by_reader = g_guard_toucher.load() != 0 && g_guard_toucher.load() == reader_tid.load();
  CHECK_MESSAGE(touched_cycles == 0, "in " << touched_cycles << " of " << kCycles
                                            << " cycles a thread touched the Producer after its destructor returned"
                                            << std::string(by_reader ? " (the connection's reader thread: the "
                                                                       "condition-variable notifications at the end "
                                                                       "of Producer::on_reply)"
                                                                     : ""));
  (void)::mprotect(mem, 4096, PROT_READ | PROT_WRITE);
  own_client.reset();  // joins the reader thread: nothing can touch the page now
  g_guard_page = nullptr;
  ::munmap(mem, 4096);  // (left mapped if the test stopped early: the reader thread may outlive `restore`)
}

}  // namespace strata::it
