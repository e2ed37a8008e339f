#include "tests/integration/net_lab.h"

#include <unistd.h>

#include <stdexcept>

#include "tests/integration/cli_runner.h"

namespace strata::it {

namespace {

constexpr const char* kIp = "/usr/sbin/ip";

// Runs `ip ARGS...`; throws with its output when it fails.
void ip(std::vector<std::string> args) {
  std::string shown = "ip";
  for (const auto& a : args) shown += " " + a;
  args.insert(args.begin(), kIp);
  const ProcessResult r = ChildProcess(std::move(args)).wait(10s);
  if (!r.exited || r.code != 0) throw std::runtime_error("`" + shown + "` failed: " + r.err);
}

// Best effort, for cleanup: failures are ignored.
void ip_quiet(std::vector<std::string> args) {
  args.insert(args.begin(), kIp);
  (void)ChildProcess(std::move(args)).wait(10s);
}

}  // namespace

bool NetLab::available() {
  static const bool ok = [] {
    if (::access(kIp, X_OK) != 0 || ::geteuid() != 0) return false;
    const std::string probe = "strata-probe-" + std::to_string(::getpid());
    const ProcessResult r = ChildProcess({kIp, "netns", "add", probe}).wait(10s);
    if (!r.exited || r.code != 0) return false;
    ip_quiet({"netns", "del", probe});
    return true;
  }();
  return ok;
}

NetLab::NetLab(int hosts) : subnet_(20 + static_cast<int>(::getpid() % 200)), bridge_("sbr" + std::to_string(::getpid())) {
  try {
    ip({"link", "add", bridge_, "type", "bridge"});
    ip({"addr", "add", gateway() + "/24", "dev", bridge_});
    ip({"link", "set", bridge_, "up"});
    for (int i = 0; i < hosts; ++i) {
      namespaces_.push_back("strata-" + std::to_string(::getpid()) + "-" + std::to_string(i));
      const std::string& ns = namespaces_.back();
      const std::string inner = "si" + std::to_string(::getpid() % 100000) + "x" + std::to_string(i);
      ip({"netns", "add", ns});
      ip({"link", "add", veth(i), "type", "veth", "peer", "name", inner});
      ip({"link", "set", inner, "netns", ns});
      ip({"link", "set", veth(i), "master", bridge_});
      ip({"link", "set", veth(i), "up"});
      ip({"-n", ns, "addr", "add", address(i) + "/24", "dev", inner});
      ip({"-n", ns, "link", "set", inner, "up"});
      ip({"-n", ns, "link", "set", "lo", "up"});
    }
  } catch (...) {
    cleanup();
    throw;
  }
}

NetLab::~NetLab() { cleanup(); }

void NetLab::cleanup() {
  for (const auto& ns : namespaces_) ip_quiet({"netns", "del", ns});
  namespaces_.clear();
  if (!bridge_.empty()) ip_quiet({"link", "del", bridge_});
  bridge_.clear();
}

std::string NetLab::gateway() const { return "10.77." + std::to_string(subnet_) + ".1"; }
std::string NetLab::address(int i) const { return "10.77." + std::to_string(subnet_) + "." + std::to_string(11 + i); }
std::string NetLab::netns(int i) const { return namespaces_.at(static_cast<std::size_t>(i)); }
std::string NetLab::veth(int i) const { return "sv" + std::to_string(::getpid() % 100000) + "x" + std::to_string(i); }

void NetLab::isolate(int i) { ip({"link", "set", veth(i), "down"}); }
void NetLab::heal(int i) { ip({"link", "set", veth(i), "up"}); }

}  // namespace strata::it
