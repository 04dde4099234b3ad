// Running the checks: one at a time into a Result, or all of them into bdb_driver_check's report.
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>

#include "conformance/context.h"

namespace bucketdb::conformance {

const std::vector<Check> &checks() {
  static const std::vector<Check> all = [] {
    std::vector<Check> out;
    for (auto part : {object_checks, conditional_checks, list_checks, key_checks, race_checks})
      for (const Check &c : part()) out.push_back(c);
    return out;
  }();
  return all;
}

namespace {

uint64_t ms_since(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

const char *result_name(Outcome o) {
  return o == Outcome::kPass ? "pass" : o == Outcome::kFail ? "fail" : "skip";
}

nlohmann::ordered_json capability_names(uint64_t caps) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (caps & BDB_DRV_CAP_CONDITIONAL_PUT) out.push_back("conditional_put");
  if (caps & BDB_DRV_CAP_STRONG_LIST) out.push_back("strong_list");
  if (caps & BDB_DRV_CAP_IF_NONE_MATCH_GET) out.push_back("if_none_match_get");
  if (caps & BDB_DRV_CAP_RETRIES) out.push_back("retries");
  return out;
}

// Deletes everything under the prefix, which must then list empty.
void cleanup(Context &c) {
  for (const auto &k : c.store().list_all(c.key(""))) c.store().del(k);
  auto left = c.store().list_all(c.key(""));
  expect(left.empty(), std::to_string(left.size()) + " keys are still listed after deleting them");
}

}  // namespace

Result run_check(const Check &check, const Target &target) {
  Result r;
  auto start = std::chrono::steady_clock::now();
  try {
    Context c(target);
    check.run(c);
  } catch (const CheckFailed &e) {
    r.outcome = Outcome::kFail;
    r.message = e.message;
  } catch (const CheckSkipped &e) {
    r.outcome = Outcome::kSkip;
    r.message = e.message;
  } catch (const std::exception &e) {
    r.outcome = Outcome::kFail;
    r.message = e.what();
  }
  r.ms = ms_since(start);
  return r;
}

std::string run_all(const Target &target) {
  Target t = target;
  if (t.prefix.empty()) {
    std::random_device rd;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    t.prefix = std::string("bdb-driver-check/") + buf + "/";
  }
  Store store(t.host, t.uri);  // throws when the store cannot be opened
  nlohmann::ordered_json report;
  report["uri"] = t.uri;
  report["driver"] = store.name();
  report["capabilities"] = capability_names(store.capabilities());
  report["prefix"] = t.prefix;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  size_t counts[3] = {0, 0, 0};
  auto add = [&](const char *id, const char *name, const Result &r) {
    counts[static_cast<int>(r.outcome)]++;
    list.push_back({{"name", name},
                    {"result", result_name(r.outcome)},
                    {"message", r.message},
                    {"ms", r.ms},
                    {"id", id}});
  };
  for (const Check &check : checks()) {
    Target own = t;
    own.prefix = t.prefix + check.id + "/";
    add(check.id, check.name, run_check(check, own));
  }
  add("Cleanup", "cleanup (delete everything under the prefix)",
      run_check({"Cleanup", "", cleanup}, t));
  report["passed"] = counts[static_cast<int>(Outcome::kPass)];
  report["failed"] = counts[static_cast<int>(Outcome::kFail)];
  report["skipped"] = counts[static_cast<int>(Outcome::kSkip)];
  report["checks"] = list;
  // Driver messages may hold any bytes: never let one make the report unprintable.
  return report.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace bucketdb::conformance
