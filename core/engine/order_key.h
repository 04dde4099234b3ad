// One key of a query's order: a field of the table and its direction. An order is a list of
// them, each breaking the ties of those before it; rows equal in every key come in
// primary-key order (ascending).
#pragma once

#include <cstddef>

namespace bucketdb {

struct OrderKey {
  size_t field = 0;
  bool descending = false;
  bool operator==(const OrderKey &o) const {
    return field == o.field && descending == o.descending;
  }
  bool operator!=(const OrderKey &o) const { return !(*this == o); }
};

}  // namespace bucketdb
