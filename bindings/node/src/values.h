// JavaScript values to and from documents, JSON field text and query literals.
//
// Out: integers are Numbers while they are safe (|n| <= 2^53 - 1) and BigInts beyond, so no
// value is ever rounded; timestamps are Dates; bytes are Buffers; json fields are parsed with
// the same integer rule; a blob is its id.
// In: each field takes only the JavaScript types that hold its values exactly (an integer
// field a safe integer Number or a BigInt, a varchar a string, bytes a Buffer or Uint8Array,
// ...); anything else is a TypeMismatchError naming table and field, never a conversion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "addon.h"

namespace bdbnode {

const char *TypeName(int type);

Napi::Value IntToJs(Napi::Env env, int64_t v);
Napi::Value UintToJs(Napi::Env env, uint64_t v);
// A JSON text (the engine's, so well formed) as a JavaScript value.
Napi::Value JsonTextToJs(Napi::Env env, std::string_view text);

// A document's fields that hold a value, as a plain object.
Napi::Object DocToObject(Napi::Env env, const bdb_doc *doc);
// {row, version, misc}: the row with the version (the commit that last wrote it) and its
// MISC time in ms.
Napi::Object DocToRecord(Napi::Env env, const bdb_doc *doc);

// Sets a document's fields from an object's own enumerable properties (undefined ones are
// left unset). Throws the engine's or the binding's error naming table and field.
void SetFields(Napi::Env env, bdb_doc *doc, Napi::Object values);

// A key or query value as a JSON literal (Dates as ms, Buffers as base64, arrays of those for
// "in"); `what` names it in errors.
std::string ToJsonLiteral(Napi::Env env, Napi::Value v, const std::string &what);
// A non-negative integer (a safe Number or a BigInt), e.g. a limit or a version.
uint64_t ToUint64(Napi::Env env, Napi::Value v, const std::string &what);

}  // namespace bdbnode
