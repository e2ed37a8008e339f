// The main of every doctest executable. Beyond doctest's own: a run asked
// for particular test cases (ctest passes --test-case=NAME, one per test)
// that matches none fails instead of passing with nothing run. CMake splits
// a test name at ';', and such a test once "passed" under ctest for months
// while running zero cases.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>
#include <iostream>

namespace {

unsigned g_cases_passing_filters = 0;

// Records how many test cases the filters let through; reports nothing.
struct FilterCountListener : doctest::IReporter {
  explicit FilterCountListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    g_cases_passing_filters = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("filter-count", 1, FilterCountListener);

bool names_test_cases(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--test-case=", 12) == 0 || std::strncmp(argv[i], "-tc=", 4) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --help, --list-test-cases and the like
  if (result == 0 && names_test_cases(argc, argv) && g_cases_passing_filters == 0) {
    std::cerr << "doctest_main: no test case matches the --test-case filter; a test name with ';' is cut "
                 "there by CMake's test discovery: use another character\n";
    return 1;
  }
  return result;
}
