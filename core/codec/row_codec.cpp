#include "core/codec/row_codec.h"

#include <cstring>

#include "core/util/bytes.h"
#include "core/util/error.h"

namespace bucketdb {

void encode_row(const TableSchema &schema, const Values &values, std::string &fixed,
                std::string &heap) {
  size_t base = fixed.size();
  fixed.resize(base + schema.row_width(), '\0');
  auto *row = reinterpret_cast<uint8_t *>(&fixed[base]);
  for (size_t i = 0; i < schema.fields().size(); i++) {
    const Field &f = schema.field(i);
    const Value &v = values[i];
    uint8_t *slot = row + f.offset;
    if (is_null(v)) {
      row[i >> 3] = static_cast<uint8_t>(row[i >> 3] | (1u << (i & 7)));
      continue;
    }
    switch (f.type->kind) {
      case Kind::kUInt:
        store_le(slot, std::get<uint64_t>(v), f.type->width);
        break;
      case Kind::kInt:
        store_le(slot, static_cast<uint64_t>(std::get<int64_t>(v)), f.type->width);
        break;
      case Kind::kBool:
        slot[0] = std::get<bool>(v) ? 1 : 0;
        break;
      case Kind::kFloat:
        if (f.type->width == 4) {
          float x = static_cast<float>(std::get<double>(v));
          uint32_t bits;
          std::memcpy(&bits, &x, 4);
          store_le(slot, bits, 4);
        } else {
          double x = std::get<double>(v);
          uint64_t bits;
          std::memcpy(&bits, &x, 8);
          store_le(slot, bits, 8);
        }
        break;
      case Kind::kText:
      case Kind::kBytes: {
        const std::string &s = std::get<std::string>(v);
        if (heap.size() > 0xffffffffu - s.size())
          fail(BDB_E_TYPE, "row of table " + schema.name() + " is larger than 4 GiB");
        store_le(slot, heap.size(), 4);
        store_le(slot + 4, s.size(), 4);
        heap += s;
        break;
      }
      case Kind::kBlob: {
        const Id128 &id = std::get<Id128>(v);
        std::memcpy(slot, id.data(), 16);
        break;
      }
    }
  }
}

std::string_view RowView::heap_value(size_t field) const {
  const uint8_t *slot = fixed_ + schema_->field(field).offset;
  uint64_t off = load_le(slot, 4), len = load_le(slot + 4, 4);
  if (off > heap_.size() || len > heap_.size() - off)
    fail(BDB_E_CORRUPT, "corrupt object " + (what_ ? *what_ : std::string("?")) + ": field '" +
                            schema_->field(field).name + "' points outside the heap");
  return heap_.substr(static_cast<size_t>(off), static_cast<size_t>(len));
}

Value RowView::get(size_t i) const {
  if (null(i)) return std::monostate{};
  const Field &f = schema_->field(i);
  const uint8_t *slot = fixed_ + f.offset;
  switch (f.type->kind) {
    case Kind::kUInt:
      return load_le(slot, f.type->width);
    case Kind::kInt: {
      uint64_t raw = load_le(slot, f.type->width);
      int bits = f.type->width * 8;
      if (bits < 64 && (raw >> (bits - 1)) & 1) raw |= ~uint64_t{0} << bits;  // sign-extend
      return static_cast<int64_t>(raw);
    }
    case Kind::kBool:
      return slot[0] != 0;
    case Kind::kFloat:
      if (f.type->width == 4) {
        uint32_t bits = static_cast<uint32_t>(load_le(slot, 4));
        float x;
        std::memcpy(&x, &bits, 4);
        return static_cast<double>(x);
      } else {
        uint64_t bits = load_le(slot, 8);
        double x;
        std::memcpy(&x, &bits, 8);
        return x;
      }
    case Kind::kText:
    case Kind::kBytes:
      return std::string(heap_value(i));
    case Kind::kBlob: {
      Id128 id;
      std::memcpy(id.data(), slot, 16);
      return id;
    }
  }
  return std::monostate{};
}

Values RowView::decode() const {
  size_t n = schema_->fields().size();
  Values out;
  out.reserve(n);
  for (size_t i = 0; i < n; i++) out.push_back(get(i));
  return out;
}

}  // namespace bucketdb
