#include "core/engine/planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/codec/index_key.h"
#include "core/engine/database.h"

namespace bucketdb {

namespace {

// The literal as a value of the field's type, when it is exactly one (else the condition
// cannot bound a key range and the plan falls back to checking rows).
bool exact(const Field &f, const Literal &l, Value *out) {
  switch (f.type->kind) {
    case Kind::kUInt:
      if (l.kind == Literal::kUInt)
        *out = l.u;
      else if (l.kind == Literal::kInt && l.i >= 0)
        *out = static_cast<uint64_t>(l.i);
      else
        return false;
      return true;
    case Kind::kInt:
      if (l.kind == Literal::kInt)
        *out = l.i;
      else if (l.kind == Literal::kUInt && l.u <= INT64_MAX)
        *out = static_cast<int64_t>(l.u);
      else
        return false;
      return true;
    case Kind::kFloat:
      if (f.type->width != 8) return false;  // float32 rounding would move the bounds
      if (l.kind == Literal::kDouble)
        *out = l.d;
      else if (l.kind == Literal::kInt && std::llabs(l.i) <= (int64_t{1} << 53))
        *out = static_cast<double>(l.i);
      else if (l.kind == Literal::kUInt && l.u <= (uint64_t{1} << 53))
        *out = static_cast<double>(l.u);
      else
        return false;
      return true;
    case Kind::kBool:
      if (l.kind != Literal::kBool) return false;
      *out = l.b;
      return true;
    case Kind::kText:
    case Kind::kBytes:
      if (l.kind != Literal::kBytes) return false;
      *out = l.s;
      return true;
    case Kind::kBlob:
      if (l.kind != Literal::kBlob) return false;
      *out = l.id;
      return true;
  }
  return false;
}

// In range of the field's type? (uint8 = 300 can match nothing; out-of-range literals are
// left to the row checks.)
bool fits(const Field &f, const Value &v) {
  if (auto *u = std::get_if<uint64_t>(&v))
    return f.type->width == 8 || *u < (uint64_t{1} << (8 * f.type->width));
  if (auto *i = std::get_if<int64_t>(&v)) {
    if (f.type->width == 8) return true;
    int64_t lim = int64_t{1} << (8 * f.type->width - 1);
    return *i >= -lim && *i < lim;
  }
  return true;
}

struct Ranges {
  bool usable = false;
  int rank = 0;  // 3 points, 2 bounded or prefix, 1 half-open, 0 none
  std::vector<KeyRange> ranges;
};

// Encoded field part: with the null marker for index keys, bare for primary keys.
std::string enc(const Field &f, const Value &v, bool index) {
  std::string k;
  if (index) k += '\1';
  append_key(k, *f.type, v);
  return k;
}

std::vector<KeyRange> intersect(const std::vector<KeyRange> &a, const std::vector<KeyRange> &b) {
  std::vector<KeyRange> out;
  for (const auto &x : a)
    for (const auto &y : b) {
      std::string lo = std::max(x.lo, y.lo);
      std::string hi = x.hi.empty() ? y.hi : (y.hi.empty() ? x.hi : std::min(x.hi, y.hi));
      if (hi.empty() || lo < hi) out.push_back(KeyRange{lo, hi});
    }
  std::sort(out.begin(), out.end(),
            [](const KeyRange &p, const KeyRange &q) { return p.lo < q.lo; });
  return out;
}

// The key ranges that the conditions on field `f` allow.
Ranges ranges_for(const QuerySpec &q, size_t field, bool index) {
  const Field &f = q.schema->field(field);
  const std::string low = index ? "\1" : "";  // index keys of non-null values start at 0x01
  Ranges out;
  out.ranges.push_back(KeyRange{"", ""});
  for (const Condition &c : q.where) {
    if (c.field != field) continue;
    std::vector<KeyRange> r;
    int rank = 0;
    Value v;
    switch (c.op) {
      case Op::kEq:
      case Op::kIn: {
        bool ok = true;
        for (size_t i = 0; i < c.values.size() && ok; i++) {
          if (!exact(f, c.values[i], &v))
            ok = false;
          else if (fits(f, v)) {
            std::string e = enc(f, v, index);
            r.push_back(KeyRange{e, prefix_successor(e)});
          }
        }
        if (!ok) continue;
        std::sort(r.begin(), r.end(),
                  [](const KeyRange &p, const KeyRange &q2) { return p.lo < q2.lo; });
        r.erase(std::unique(r.begin(), r.end(),
                            [](const KeyRange &p, const KeyRange &q2) { return p.lo == q2.lo; }),
                r.end());
        rank = 3;
        break;
      }
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        if (!exact(f, c.values[0], &v) || !fits(f, v)) continue;
        std::string e = enc(f, v, index);
        if (c.op == Op::kLt) r.push_back(KeyRange{low, e});
        if (c.op == Op::kLe) r.push_back(KeyRange{low, prefix_successor(e)});
        if (c.op == Op::kGt) r.push_back(KeyRange{prefix_successor(e), ""});
        if (c.op == Op::kGe) r.push_back(KeyRange{e, ""});
        if (!r.back().hi.empty() && !(r.back().lo < r.back().hi)) r.clear();
        rank = 1;
        break;
      }
      case Op::kPrefix: {
        std::string p = (index ? "\1" : "");
        for (char ch : c.values[0].s) {
          p += ch;
          if (ch == '\0') p += '\xff';
        }
        r.push_back(KeyRange{p, prefix_successor(p)});
        rank = 2;
        break;
      }
      case Op::kIsNull:
        if (!index) {
          r.clear();  // primary keys are never null
        } else {
          r.push_back(KeyRange{std::string(1, '\0'), "\1"});
        }
        rank = 2;
        break;
      default:
        continue;  // != and notnull bound nothing useful
    }
    out.ranges = intersect(out.ranges, r);
    out.usable = true;
    out.rank = std::max(out.rank, rank);
  }
  // Two half-open bounds make a bounded range.
  if (out.usable && out.rank == 1 && out.ranges.size() == 1 && !out.ranges[0].hi.empty() &&
      out.ranges[0].lo != low && !out.ranges[0].lo.empty())
    out.rank = 2;
  return out;
}

// Whether the table's newest version indexes field `f`: a tree Block 0 still holds for a
// version that dropped the index is no longer used (bdb_index_drop), though not collected yet.
bool indexed_now(const TableSchema &s, size_t f) {
  const auto &ixs = s.indexes();
  return std::find(ixs.begin(), ixs.end(), f) != ixs.end();
}

// An index plan reading rows in the order of its field, when the query orders by that field
// and is limited: a scan would read every block to sort, the index reads only what it returns.
void prefer_index_order(const TableRoot *root, const QuerySpec &q, Plan &p) {
  // Several keys: the index gives the first only, and ties need the others (a sort).
  if (!root || !q.order_field || *q.order_field == q.schema->primary_key() ||
      !q.single_key_order() || q.limit == std::numeric_limits<uint64_t>::max())
    return;
  const Field &f = q.schema->field(*q.order_field);
  const IndexRoot *ix = nullptr;
  for (const IndexRoot &i : root->indexes)
    if (i.built && i.field == f.name && i.type_id == static_cast<uint32_t>(f.type_id) &&
        indexed_now(*q.schema, *q.order_field))
      ix = &i;
  // Without conditions, or with the plan already on that index: otherwise selective
  // conditions on other fields could cost a lookup per index entry instead of one block read.
  bool unconditioned = q.where.empty() && q.or_groups.empty();
  if (!ix || !((p.kind == Plan::kScan && unconditioned) ||
               (p.kind == Plan::kIndex && p.index_field == f.name)))
    return;
  if (p.kind == Plan::kScan) p.ranges = {KeyRange{"", ""}};
  p.kind = Plan::kIndex;
  p.index_field = ix->field;
  p.index_root = ix->root;
  p.ordered = true;
  if (q.after && q.after->field == *q.order_field) {  // the next page: entries past the token
    const std::string &v = q.after->value_key;
    std::string past = v + q.after->pk_key + std::string(1, '\0');
    std::vector<KeyRange> rest;
    if (q.after->descending) {
      rest.push_back(KeyRange{"", v});
      rest.push_back(KeyRange{past, prefix_successor(v)});
    } else {
      rest.push_back(KeyRange{past, ""});
    }
    p.ranges = intersect(p.ranges, rest);
    p.past_token = true;
  }
}

// Descending primary-key order from a scan or a primary-key plan: read it backwards instead
// of sorting, and a page token's key bounds it (the rows below it).
void read_keys_backwards(const QuerySpec &q, Plan &p) {
  size_t pk = q.schema->primary_key();
  if (!q.order_field || *q.order_field != pk || !q.descending) return;
  if (p.kind != Plan::kScan && p.kind != Plan::kPrimaryKey) return;
  p.reverse = true;
  p.ordered = true;
  if (q.after && q.after->field == pk && q.after->descending) {
    if (p.kind == Plan::kScan) p.ranges = {KeyRange{"", ""}};
    p.kind = Plan::kPrimaryKey;
    p.ranges = intersect(p.ranges, {KeyRange{"", q.after->pk_key}});
    p.past_token = true;
  }
}

// OR between groups: the union of the groups' own plans when each finds its rows by keys (an
// index, or primary-key points); a group that would scan or read a key range makes it a scan.
void plan_union(Database &db, const Snapshot &snap, const QuerySpec &q, Plan &p) {
  std::vector<Plan> parts;
  auto add = [&](const std::vector<Condition> &group) {
    QuerySpec sub;
    sub.schema = q.schema;
    sub.where = group;
    Plan part = plan_query(db, snap, sub);
    if (part.kind == Plan::kScan || (part.kind == Plan::kPrimaryKey && !part.key_points))
      return false;
    parts.push_back(std::move(part));
    return true;
  };
  for (const auto &group : q.or_groups)
    if (!add(group)) return;
  if (!add(q.where)) return;
  p.kind = Plan::kUnion;
  p.parts = std::move(parts);
}

}  // namespace

Plan plan_query(Database &db, const Snapshot &snap, const QuerySpec &q) {
  Plan p;
  const std::string &table = q.schema->name();
  const TableRoot *root = snap.table_root(table);
  std::shared_ptr<const ManifestPage> page;
  if (root) page = db.load_manifest(*root);
  p.blocks_total = page ? page->blocks.size() : 0;
  if (!q.or_groups.empty()) {
    plan_union(db, snap, q, p);
    prefer_index_order(root, q, p);
    return p;
  }

  Ranges pk = ranges_for(q, q.schema->primary_key(), false);
  if (q.after && q.after->by_key(*q.schema)) {  // the next page: keys past the last one
    pk.ranges = intersect(pk.ranges, {KeyRange{q.after->pk_key + std::string(1, '\0'), ""}});
    pk.usable = true;
    pk.rank = std::max(pk.rank, 1);
  }
  Ranges best_ix;
  const IndexRoot *best = nullptr;
  if (root)
    for (const IndexRoot &ix : root->indexes) {
      int f = q.schema->field_index(ix.field);
      if (!ix.built || f < 0 ||
          q.schema->field(static_cast<size_t>(f)).type_id != static_cast<int>(ix.type_id) ||
          !indexed_now(*q.schema, static_cast<size_t>(f)))
        continue;
      Ranges r = ranges_for(q, static_cast<size_t>(f), true);
      if (r.usable && (!best || r.rank > best_ix.rank)) {
        best = &ix;
        best_ix = r;
      }
    }
  if (pk.usable && (!best || pk.rank >= best_ix.rank)) {
    p.kind = Plan::kPrimaryKey;
    p.ranges = pk.ranges;
    p.key_points = pk.rank == 3;  // keys are prefix-free: a range within a point holds only it
  } else if (best && best_ix.rank > 0) {
    p.kind = Plan::kIndex;
    p.ranges = best_ix.ranges;
    p.index_field = best->field;
    p.index_root = best->root;
  }
  prefer_index_order(root, q, p);
  read_keys_backwards(q, p);
  if (p.kind == Plan::kPrimaryKey && page)
    for (const BlockRef &b : page->blocks)
      for (const KeyRange &r : p.ranges)
        if (b.last_key >= r.lo && (r.hi.empty() || b.first_key < r.hi)) {
          p.blocks_touched++;
          break;
        }
  return p;
}

std::string explain_plan(const Plan &p, const QuerySpec &q) {
  std::string table = q.schema->name();
  const std::string backwards = p.reverse ? ", read backwards (descending, no sort)" : "";
  switch (p.kind) {
    case Plan::kPrimaryKey:
      return "primary key of " + table + ": " + std::to_string(p.ranges.size()) +
             (p.ranges.size() == 1 ? " range" : " ranges") + ", reads at most " +
             std::to_string(p.blocks_touched) + " of " + std::to_string(p.blocks_total) +
             " data blocks, plus the committed cache" + backwards;
    case Plan::kIndex:
      return "index on " + table + "." + p.index_field + ": " + std::to_string(p.ranges.size()) +
             (p.ranges.size() == 1 ? " range" : " ranges") +
             (p.ordered ? " in " + q.schema->field(*q.order_field).name +
                              (q.descending ? " descending" : "") +
                              " order (no sort), reads index nodes and the blocks of the rows "
                              "it returns until the limit"
                        : ", reads the index nodes on the path, then the blocks of the "
                          "matching rows") +
             " (at most " + std::to_string(p.blocks_total) + "), plus the committed cache";
    case Plan::kUnion: {
      std::string text =
          "union of " + std::to_string(p.parts.size()) + " plans, one per group joined by OR (";
      for (size_t i = 0; i < p.parts.size(); i++) {
        const Plan &part = p.parts[i];
        text += (i ? "; " : "") +
                (part.kind == Plan::kIndex ? "index on " + table + "." + part.index_field
                                           : "primary key of " + table) +
                ": " + std::to_string(part.ranges.size()) +
                (part.ranges.size() == 1 ? " range" : " ranges");
      }
      return text + "), then the blocks of the rows found (at most " +
             std::to_string(p.blocks_total) + "), plus the committed cache";
    }
    case Plan::kScan:
      break;
  }
  std::string why = q.or_groups.empty()
                        ? ""
                        : " (" + std::to_string(q.or_groups.size() + 1) + " groups joined by OR)";
  return "full scan of " + table + why + ": reads " + std::to_string(p.blocks_total) +
         " data blocks, plus the committed cache" + backwards;
}

std::string Plan::describe() const {
  return kind == kPrimaryKey ? "primary-key"
         : kind == kIndex    ? "index"
         : kind == kUnion    ? "union"
                             : "scan";
}

}  // namespace bucketdb
