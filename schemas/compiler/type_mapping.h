// FlatBuffers IDL -> BucketDB schema: the type table of SPEC section 3 and the bdb_*
// attributes. Whatever does not map is an error naming the file, line and field.
#pragma once

#include <string>
#include <vector>

#include <flatbuffers/idl.h>

#include "diagnostics.h"
#include "idl_loader.h"
#include "model.h"

namespace schemac {

// Every table declared in `file` itself (not in its includes), in declaration order.
// Tables with errors are reported in diag and left out.
std::vector<TableModel> map_tables(const IdlFile &file, SourceCache &sources, Diagnostics &diag);

}  // namespace schemac
