// Generated row codecs vs FlatBuffers' builder and accessors, on the same records: encode
// every record, then decode each and read every field.
#include <string>
#include <vector>

#include "bench/dataset.h"
#include "bench/workloads.h"
#include "users_bdb.hpp"
#include "users_generated.h"

namespace bench {

namespace {

// Keeps the optimizer from dropping work whose result is unused.
volatile uint64_t g_sink;

// Best of `rounds` timings of fn() over n records, in records per second.
template <class Fn>
double best_rate(int rounds, size_t n, Fn fn) {
  double best = 0;
  for (int r = 0; r < rounds; r++) {
    auto t0 = Clock::now();
    fn();
    double rate = static_cast<double>(n) / seconds_since(t0);
    if (rate > best) best = rate;
  }
  return best;
}

}  // namespace

void codec_workload(const Config &cfg, Report &report) {
  const size_t n = cfg.quick ? 2000 : 200000;
  const int rounds = cfg.quick ? 1 : 5;
  const std::vector<User> users = make_users(n, cfg.seed);

  // Encode: generated codec into one row builder (rows + shared heap, as in a block).
  bdbc::RowBuilder rows;
  double ours_encode = best_rate(rounds, n, [&] {
    rows.reset();
    bench::UsersRow row;
    for (const User &u : users) {
      row.set_id(u.id)
          .set_name(u.name)
          .set_age(u.age)
          .set_active(u.active)
          .set_score(u.score)
          .set_created(u.created);
      if (row.encode(rows) != BDB_OK) die("generated encode failed");
    }
  });
  // FlatBuffers: one buffer per record (its unit of encoding), the builder reused.
  flatbuffers::FlatBufferBuilder fbb(256);
  std::vector<std::vector<uint8_t>> buffers(n);
  double fb_encode = best_rate(rounds, n, [&] {
    for (size_t i = 0; i < n; i++) {
      const User &u = users[i];
      fbb.Clear();
      fbb.Finish(bench::CreateusersDirect(fbb, u.id.c_str(), u.name.c_str(), u.age, u.active,
                                          u.score, u.created));
      buffers[i].assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    }
  });
  report.add({"codec", "encode a users record", "records/s", ours_encode, fb_encode,
              "FlatBuffers builder", true, ""});

  // Decode and read every field.
  const std::string_view all_rows = rows.rows(), heap = rows.heap();
  double ours_decode = best_rate(rounds, n, [&] {
    uint64_t sum = 0;
    bench::UsersRow row;
    for (size_t i = 0; i < n; i++) {
      std::string_view one =
          all_rows.substr(i * bench::UsersRow::kRowWidth, bench::UsersRow::kRowWidth);
      if (row.decode(one, heap) != BDB_OK) die("generated decode failed");
      sum += row.id().size() + row.name().value_or("").size() + row.age().value_or(0) +
             row.active().value_or(false) + static_cast<uint64_t>(row.score().value_or(0)) +
             static_cast<uint64_t>(row.created().value_or(0));
    }
    g_sink = sum;
  });
  double fb_decode = best_rate(rounds, n, [&] {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
      const bench::users *u = flatbuffers::GetRoot<bench::users>(buffers[i].data());
      sum += u->id()->size() + u->name()->size() + u->age() + u->active() +
             static_cast<uint64_t>(u->score()) + static_cast<uint64_t>(u->created());
    }
    g_sink = sum;
  });
  report.add({"codec", "decode a users record, read every field", "records/s", ours_decode,
              fb_decode, "FlatBuffers accessors", true, ""});
  report.add({"codec", "encoded size", "bytes/record",
              static_cast<double>(all_rows.size() + heap.size()) / static_cast<double>(n),
              [&] {
                double total = 0;
                for (const auto &b : buffers) total += static_cast<double>(b.size());
                return total / static_cast<double>(n);
              }(),
              "FlatBuffers", false, ""});
}

}  // namespace bench
