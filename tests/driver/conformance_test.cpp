// The driver conformance suite (conformance/suite.h) on every store of backends(), one test per
// check and store: Conformance.<check id>/<store>, e.g. Conformance.OddKeys/file. The checks
// are the ones `bucketdb driver-check` runs; here each gets a fresh store of its own (or a key
// prefix of its own on an external store) and the built-in drivers' stricter promises apply.
#include "conformance/suite.h"
#include "core/storage/storage_driver.h"
#include "driver_fixture.h"

namespace bdbtest {
namespace {

namespace conf = bucketdb::conformance;

class CheckTest : public ::testing::Test {
 public:
  CheckTest(Backend backend, const conf::Check &check)
      : backend_(std::move(backend)), check_(check) {}

  void TestBody() override {
    TestStore store(backend_);
    conf::Target target;
    target.host = bucketdb::storage_host();
    target.uri = store.uri();
    target.prefix = store.prefix();
    target.builtin = store.builtin();
    target.expected_name = store.expected_name();
    conf::Result r = conf::run_check(check_, target);
    if (r.outcome == conf::Outcome::kSkip) GTEST_SKIP() << r.message;
    if (r.outcome == conf::Outcome::kFail) ADD_FAILURE() << check_.name << ": " << r.message;
  }

 private:
  Backend backend_;
  conf::Check check_;
};

}  // namespace
}  // namespace bdbtest

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (const auto &backend : bdbtest::backends()) {
    for (const auto &check : bucketdb::conformance::checks()) {
      std::string name = std::string(check.id) + "/" + backend.label;
      ::testing::RegisterTest("Conformance", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [backend, check]() -> ::testing::Test * {
                                return new bdbtest::CheckTest(backend, check);
                              });
    }
  }
  return RUN_ALL_TESTS();
}
