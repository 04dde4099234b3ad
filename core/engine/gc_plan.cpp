#include "core/engine/gc_plan.h"

#include <algorithm>

namespace bucketdb {

GcPlan plan_collection(const Block0 &b0, uint64_t now_ms, uint64_t grace_ms,
                       uint64_t pin_generation, uint64_t pin_seq) {
  auto due = [&](uint64_t since) { return since + grace_ms <= now_ms; };
  GcPlan plan;
  uint64_t floor = b0.log_floor;
  for (const auto &m : b0.merges)
    if (due(m.time_ms) && m.applied_seq <= pin_seq) floor = std::max(floor, m.applied_seq);
  std::vector<Garbage> keep;
  for (const auto &g : b0.garbage)
    (due(g.since_ms) && g.generation <= pin_generation ? plan.gone : keep).push_back(g);
  const bool history_due = std::any_of(b0.history.begin(), b0.history.end(),
                                       [&](const HistoryPoint &h) { return due(h.superseded_ms); });
  plan.nothing = floor == b0.log_floor && plan.gone.empty() && !history_due;
  if (plan.nothing) return plan;

  Block0 &nb = plan.next;
  nb = b0;
  nb.generation++;
  nb.garbage = std::move(keep);
  auto drop_if = [](auto &items, auto gone) {
    items.erase(std::remove_if(items.begin(), items.end(), gone), items.end());
  };
  drop_if(nb.history, [&](const HistoryPoint &h) { return due(h.superseded_ms); });
  drop_if(nb.dropped, [&](const DroppedTable &d) { return due(d.since_ms); });
  nb.log_floor = floor;
  drop_if(nb.merges, [&](const MergeMark &m) { return m.applied_seq <= floor; });
  return plan;
}

bool collection_due(const Block0 &b0, uint64_t now_ms, uint64_t grace_ms) {
  auto due = [&](uint64_t since) { return since + grace_ms <= now_ms; };
  return std::any_of(b0.garbage.begin(), b0.garbage.end(),
                     [&](const Garbage &g) { return due(g.since_ms); }) ||
         std::any_of(b0.merges.begin(), b0.merges.end(), [&](const MergeMark &m) {
           return m.applied_seq > b0.log_floor && due(m.time_ms);
         });
}

}  // namespace bucketdb
