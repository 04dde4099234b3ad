#include "model.h"

namespace schemac {

int TableModel::field_index(const std::string &field) const {
  for (size_t i = 0; i < fields.size(); i++)
    if (fields[i].name == field) return static_cast<int>(i);
  return -1;
}

void compute_layout(TableModel &t) {
  t.bitmap_bytes = static_cast<uint32_t>((t.fields.size() + 7) / 8);
  uint32_t off = t.bitmap_bytes;
  for (auto &f : t.fields) {
    f.type = type_info(f.type_id);
    f.offset = off;
    off += f.type->slot;
  }
  t.row_width = off;
}

}  // namespace schemac
