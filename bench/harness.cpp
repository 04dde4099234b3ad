#include "bench/harness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace bench {

double Result::ratio() const {
  if (peer <= 0 || bucketdb <= 0) return 0;
  return higher_is_better ? bucketdb / peer : peer / bucketdb;
}

void Report::add(Result r) {
  results_.push_back(std::move(r));
}

namespace {

std::string figure(double v, const std::string &unit) {
  char buf[64];
  const bool whole =
      (unit == "requests" || unit == "bytes") && v == static_cast<double>(static_cast<uint64_t>(v));
  if (!whole && unit == "requests")
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else if (!whole && v >= 100000)
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  else if (whole || v >= 100)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

namespace {

bool against_targets(const std::vector<Result> &results, const std::string &group) {
  for (const Result &r : results)
    if (r.group == group && (r.requests >= 0 || r.bound > 0)) return true;
  return false;
}

std::string ratio_text(const Result &r) {
  if (r.ratio() <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", r.ratio());
  return buf;
}

}  // namespace

void Report::print_table(const std::string &machine) const {
  std::printf("BucketDB %s benchmarks on %s\n", "side-by-side", machine.c_str());
  std::string group;
  bool targets = false;
  for (const Result &r : results_) {
    if (r.group != group) {
      group = r.group;
      targets = against_targets(results_, group);
      if (targets)
        std::printf("\n%-58s %9s %9s %8s %8s %7s  %s\n", group.c_str(), "requests", "measured",
                    "bound", "target", "ratio", "unit");
      else
        std::printf("\n%-44s %12s %12s %8s  %s\n", group.c_str(), "BucketDB", "peer", "ratio",
                    "unit");
    }
    std::string peer = r.peer > 0 ? figure(r.peer, r.unit) : "-";
    std::string unit = r.unit;
    if (r.peer > 0 && r.peer_name != "target") unit += " (peer: " + r.peer_name + ")";
    if (!r.note.empty()) unit += "; " + r.note;
    if (targets) {
      std::string requests = r.requests >= 0 ? figure(r.requests, "requests") : "-";
      std::string bound = r.bound > 0 ? figure(r.bound, r.unit) : "-";
      std::printf("  %-56s %9s %9s %8s %8s %7s  %s\n", r.name.c_str(), requests.c_str(),
                  figure(r.bucketdb, r.unit).c_str(), bound.c_str(), peer.c_str(),
                  ratio_text(r).c_str(), unit.c_str());
    } else {
      std::printf("  %-42s %12s %12s %8s  %s\n", r.name.c_str(), figure(r.bucketdb, r.unit).c_str(),
                  peer.c_str(), ratio_text(r).c_str(), unit.c_str());
    }
  }
  std::printf(
      "\nratio > 1: BucketDB ahead (rates: ours / peer; latencies and counts: peer / ours), or "
      "its target met\n");
}

std::string Report::json(const std::string &machine) const {
  nlohmann::ordered_json out;
  out["machine"] = machine;
  out["results"] = nlohmann::ordered_json::array();
  for (const Result &r : results_) {
    nlohmann::ordered_json j;
    j["group"] = r.group;
    j["name"] = r.name;
    j["unit"] = r.unit;
    j["bucketdb"] = r.bucketdb;
    if (r.peer > 0) {
      j["peer"] = r.peer;
      j["peerName"] = r.peer_name;
      j["ratio"] = r.ratio();
    }
    if (r.requests >= 0) j["requests"] = r.requests;
    if (r.bound > 0) j["bound"] = r.bound;
    j["higherIsBetter"] = r.higher_is_better;
    if (!r.note.empty()) j["note"] = r.note;
    out["results"].push_back(j);
  }
  return out.dump(2);
}

double percentile(std::vector<double> &samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  double rank = p / 100.0 * static_cast<double>(samples.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(rank));
  size_t hi = std::min(lo + 1, samples.size() - 1);
  double frac = rank - static_cast<double>(lo);
  return samples[lo] * (1 - frac) + samples[hi] * frac;
}

std::string machine_description() {
  std::string model = "unknown CPU";
  std::ifstream cpu("/proc/cpuinfo");
  for (std::string line; std::getline(cpu, line);)
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  uint64_t mem_kb = 0;
  const uint64_t kib_per_gib = uint64_t{1024} * 1024;
  std::ifstream mem("/proc/meminfo");
  for (std::string line; std::getline(mem, line);)
    if (line.rfind("MemTotal:", 0) == 0) mem_kb = std::strtoull(line.c_str() + 9, nullptr, 10);
  std::ostringstream s;
  s << model << ", " << std::thread::hardware_concurrency() << " cores, "
    << (mem_kb + kib_per_gib / 2) / kib_per_gib << " GiB";
  return s.str();
}

void die(const std::string &what) {
  std::fprintf(stderr, "bucketdb-bench: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace bench
