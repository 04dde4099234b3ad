package bucketdb

import (
	"encoding/json"
	"math"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// Type is a field's type id (bdb_type in bucketdb.h).
type Type int

// The field types, and the Go type each maps to in Doc.Map.
const (
	TypeUint8     Type = 1  // uint8
	TypeUint32    Type = 2  // uint32
	TypeUint64    Type = 3  // uint64
	TypeInt32     Type = 4  // int32
	TypeInt64     Type = 5  // int64
	TypeBool      Type = 6  // bool
	TypeFloat64   Type = 7  // float64
	TypeTimestamp Type = 8  // time.Time (UTC, millisecond precision)
	TypeJSON      Type = 9  // json.RawMessage
	TypeVarchar   Type = 10 // string
	TypeBlob      Type = 11 // string: the blob's id (ReadBlob reads it)
	TypeUint16    Type = 12 // uint16
	TypeInt8      Type = 13 // int8
	TypeInt16     Type = 14 // int16
	TypeFloat32   Type = 15 // float32
	TypeBytes     Type = 16 // []byte
)

var typeNames = map[Type]string{
	TypeUint8: "uint8", TypeUint32: "uint32", TypeUint64: "uint64", TypeInt32: "int32",
	TypeInt64: "int64", TypeBool: "boolean", TypeFloat64: "float64", TypeTimestamp: "timestamp",
	TypeJSON: "json", TypeVarchar: "varchar", TypeBlob: "blob", TypeUint16: "uint16",
	TypeInt8: "int8", TypeInt16: "int16", TypeFloat32: "float32", TypeBytes: "bytes",
}

func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "unknown"
}

func (t Type) unsigned() bool {
	return t == TypeUint8 || t == TypeUint16 || t == TypeUint32 || t == TypeUint64
}

// Doc is a document (a row) with typed accessors by field name. A Doc from NewDoc, GetDoc or
// the like is the caller's: Close frees it at once, a finalizer otherwise. A Doc from
// Cursor.Doc belongs to the cursor and is valid until its next Next or Close.
type Doc struct {
	db *DB // keeps the database (and its schema cache) alive
	n  native.Doc
}

func (d *Doc) finalize() {
	if d.n != nil {
		native.DeleteDoc(d.n)
	}
}

// Close frees the document. Closing twice is harmless.
func (d *Doc) Close() error {
	if d.n != nil {
		native.DeleteDoc(d.n)
		d.n = nil
		runtime.SetFinalizer(d, nil)
	}
	return nil
}

func (d *Doc) native() (native.Doc, error) {
	if d == nil || d.n == nil {
		return nil, invalid("the document is closed")
	}
	return d.n, nil
}

// do runs f on the document's C handle with the thread locked, returning the shim's status.
func docRun[T any](d *Doc, f func(n native.Doc) T) (T, error) {
	n, err := d.native()
	if err != nil {
		var zero T
		return zero, err
	}
	return run(d, func() T { return f(n) })
}

// Table is the name of the document's table.
func (d *Doc) Table() string {
	s, _ := docRun(d, func(n native.Doc) string { return n.Table() })
	return s
}

// SchemaVersion is the version of the table's schema the document is laid out in.
func (d *Doc) SchemaVersion() uint32 {
	v, _ := docRun(d, func(n native.Doc) uint { return n.SchemaVersion() })
	return uint32(v)
}

// Fields lists the table's fields in declaration order.
func (d *Doc) Fields() []string {
	info, err := d.info()
	if err != nil {
		return nil
	}
	return append([]string(nil), info.names...)
}

// FieldType is the type of a field, 0 if the table has no such field.
func (d *Doc) FieldType(field string) Type {
	t, _ := docRun(d, func(n native.Doc) int { return n.FieldType(field) })
	return Type(t)
}

// Has tells whether the field holds a value (false when null, unset or unknown).
func (d *Doc) Has(field string) bool {
	h, _ := docRun(d, func(n native.Doc) int { return n.Has(field) })
	return h != 0
}

// Version is the log sequence number that last wrote the row (0 for a new document).
func (d *Doc) Version() uint64 {
	v, _ := docRun(d, func(n native.Doc) uint64 { return n.Version() })
	return v
}

// Misc is the MISC stamp (ms since the epoch) of that commit, 0 for a new document.
func (d *Doc) Misc() uint64 {
	v, _ := docRun(d, func(n native.Doc) uint64 { return n.Misc() })
	return v
}

// CommitTime is Misc as a time.
func (d *Doc) CommitTime() time.Time { return time.UnixMilli(int64(d.Misc())).UTC() }

// MarshalJSON returns the document as one JSON object (fields with a value only), so that
// json.Marshal(doc) works.
func (d *Doc) MarshalJSON() ([]byte, error) {
	s, err := docRun(d, func(n native.Doc) string { return n.ToJson() })
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// Row is a document encoded as a row, for generated codecs (bucketdb-schemac): the fixed part
// and the heap its variable-length slots point into, in schema version Version.
type Row struct {
	Version uint32
	Fixed   []byte
	Heap    []byte
}

// Row encodes the document in its own schema version.
func (d *Doc) Row() (Row, error) {
	n, err := d.native()
	if err != nil {
		return Row{}, err
	}
	r, err := run(d, func() native.Row { return n.ToRow() })
	if err != nil {
		return Row{}, err
	}
	defer native.DeleteRow(r)
	return Row{Version: uint32(r.Version()), Fixed: r.Fixed(), Heap: r.Heap()}, nil
}

// ---- typed setters -----------------------------------------------------------------------

// SetNull makes the field null.
func (d *Doc) SetNull(field string) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetNull(field); return 0 })
	return err
}

// SetBool sets a boolean field.
func (d *Doc) SetBool(field string, v bool) error {
	i := 0
	if v {
		i = 1
	}
	_, err := docRun(d, func(n native.Doc) int { n.SetBool(field, i); return 0 })
	return err
}

// SetInt sets an integer (or timestamp, or float) field; out of range is an ErrType error.
func (d *Doc) SetInt(field string, v int64) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetInt(field, v); return 0 })
	return err
}

// SetUint sets an integer field from an unsigned value.
func (d *Doc) SetUint(field string, v uint64) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetUint(field, v); return 0 })
	return err
}

// SetFloat sets a float field.
func (d *Doc) SetFloat(field string, v float64) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetDouble(field, v); return 0 })
	return err
}

// SetString sets a varchar field (or a json field to this JSON text, verbatim).
func (d *Doc) SetString(field string, v string) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetString(field, []byte(v)); return 0 })
	return err
}

// SetBytes sets a bytes field.
func (d *Doc) SetBytes(field string, v []byte) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetBytes(field, v); return 0 })
	return err
}

// SetJSON sets a field from a JSON value: a literal of its type, or any JSON for a json field
// (stored re-serialised compactly).
func (d *Doc) SetJSON(field string, text string) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetJson(field, text); return 0 })
	return err
}

// SetBlob stages bytes for a blob field; they are uploaded when the batch commits.
func (d *Doc) SetBlob(field string, data []byte) error {
	_, err := docRun(d, func(n native.Doc) int { n.SetBlob(field, data); return 0 })
	return err
}

// SetTime sets a timestamp field (millisecond precision).
func (d *Doc) SetTime(field string, t time.Time) error { return d.SetInt(field, t.UnixMilli()) }

// Set sets a field from a Go value, by the field's type:
//
//	nil                        null
//	bool                       boolean
//	any int or uint type       integer, float or timestamp fields (exact, range-checked)
//	float32, float64           float fields
//	time.Time                  timestamp (ms)
//	string                     varchar; for a blob field, the id it already holds (a row
//	                           written back as read); for a json field, a JSON string;
//	                           for bytes, its bytes
//	[]byte                     bytes; for a blob field, new content to upload; for varchar
//	                           and json, UTF-8 text / JSON text
//	json.RawMessage            any field, as JSON text (for a json field: the value itself)
//	json.Number                a number, exactly as written
//	anything else              a json field: json.Marshal of it
func (d *Doc) Set(field string, v any) error {
	info, err := d.info()
	if err != nil {
		return err
	}
	return d.set(info.types[field], field, v)
}

// SetMap sets every field of m (see Set).
func (d *Doc) SetMap(m map[string]any) error {
	info, err := d.info()
	if err != nil {
		return err
	}
	for k, v := range m {
		if err := d.set(info.types[k], k, v); err != nil {
			return err
		}
	}
	return nil
}

func (d *Doc) set(t Type, field string, v any) error {
	switch x := v.(type) {
	case nil:
		return d.SetNull(field)
	case bool:
		return d.SetBool(field, x)
	case int:
		return d.setSigned(t, field, int64(x))
	case int8:
		return d.setSigned(t, field, int64(x))
	case int16:
		return d.setSigned(t, field, int64(x))
	case int32:
		return d.setSigned(t, field, int64(x))
	case int64:
		return d.setSigned(t, field, x)
	case uint:
		return d.SetUint(field, uint64(x))
	case uint8:
		return d.SetUint(field, uint64(x))
	case uint16:
		return d.SetUint(field, uint64(x))
	case uint32:
		return d.SetUint(field, uint64(x))
	case uint64:
		return d.SetUint(field, x)
	case float32:
		return d.SetFloat(field, float64(x))
	case float64:
		return d.SetFloat(field, x)
	case time.Time:
		return d.SetTime(field, x)
	case json.RawMessage:
		if t == TypeJSON {
			return d.SetString(field, string(x))
		}
		return d.SetJSON(field, string(x))
	case json.Number:
		return d.SetJSON(field, x.String())
	case string:
		switch t {
		case TypeBytes:
			return d.SetBytes(field, []byte(x))
		case TypeBlob, TypeJSON:
			return d.setMarshalled(field, x)
		}
		return d.SetString(field, x)
	case []byte:
		switch t {
		case TypeBlob:
			return d.SetBlob(field, x)
		case TypeVarchar, TypeJSON:
			return d.SetString(field, string(x))
		}
		return d.SetBytes(field, x)
	}
	return d.setMarshalled(field, v)
}

func (d *Doc) setSigned(t Type, field string, v int64) error {
	if t.unsigned() && v >= 0 {
		return d.SetUint(field, uint64(v))
	}
	return d.SetInt(field, v)
}

func (d *Doc) setMarshalled(field string, v any) error {
	text, err := json.Marshal(v)
	if err != nil {
		return &Error{Code: CodeType, Message: "field '" + field + "': " + err.Error()}
	}
	return d.SetJSON(field, string(text))
}

// ---- typed getters: ErrNotFound when the field is null, ErrSchema when unknown, ErrType
// when the value does not convert ------------------------------------------------------------

// Bool reads a boolean field.
func (d *Doc) Bool(field string) (bool, error) {
	v, err := docRun(d, func(n native.Doc) int { return n.GetBool(field) })
	return v != 0, err
}

// Int reads an integer field as int64 (ErrType for a uint64 beyond it).
func (d *Doc) Int(field string) (int64, error) {
	return docRun(d, func(n native.Doc) int64 { return n.GetInt(field) })
}

// Uint reads an integer field as uint64 (ErrType for a negative value).
func (d *Doc) Uint(field string) (uint64, error) {
	return docRun(d, func(n native.Doc) uint64 { return n.GetUint(field) })
}

// Float reads a number field as float64.
func (d *Doc) Float(field string) (float64, error) {
	return docRun(d, func(n native.Doc) float64 { return n.GetDouble(field) })
}

// Text reads a varchar field (or a json field's text).
func (d *Doc) Text(field string) (string, error) {
	b, err := docRun(d, func(n native.Doc) []byte { return n.GetString(field) })
	return string(b), err
}

// Bytes reads a bytes field.
func (d *Doc) Bytes(field string) ([]byte, error) {
	return docRun(d, func(n native.Doc) []byte { return n.GetBytes(field) })
}

// Time reads a timestamp field.
func (d *Doc) Time(field string) (time.Time, error) {
	ms, err := d.Int(field)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms).UTC(), nil
}

// FieldJSON reads any field as JSON text (for a json field, its text).
func (d *Doc) FieldJSON(field string) (json.RawMessage, error) {
	s, err := docRun(d, func(n native.Doc) string { return n.GetJson(field) })
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// BlobID reads a blob field: the id ReadBlob takes.
func (d *Doc) BlobID(field string) (string, error) {
	return docRun(d, func(n native.Doc) string { return n.GetBlobId(field) })
}

// Map returns the fields that hold a value, converted as listed at Type.
func (d *Doc) Map() (map[string]any, error) {
	info, err := d.info()
	if err != nil {
		return nil, err
	}
	n := d.n
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	present := n.Present()
	if err := lastError(); err != nil {
		return nil, err
	}
	m := make(map[string]any, len(present))
	for i, t := range present {
		if t == 0 || i >= len(info.names) {
			continue
		}
		name := info.names[i]
		v := getValue(n, Type(t), name)
		if err := lastError(); err != nil {
			return nil, err
		}
		m[name] = v
	}
	runtime.KeepAlive(d)
	return m, nil
}

// getValue reads one field of a known type; the caller checks lastError.
func getValue(n native.Doc, t Type, name string) any {
	switch t {
	case TypeUint8:
		return uint8(n.GetUint(name))
	case TypeUint16:
		return uint16(n.GetUint(name))
	case TypeUint32:
		return uint32(n.GetUint(name))
	case TypeUint64:
		return n.GetUint(name)
	case TypeInt8:
		return int8(n.GetInt(name))
	case TypeInt16:
		return int16(n.GetInt(name))
	case TypeInt32:
		return int32(n.GetInt(name))
	case TypeInt64:
		return n.GetInt(name)
	case TypeBool:
		return n.GetBool(name) != 0
	case TypeFloat64:
		return n.GetDouble(name)
	case TypeFloat32:
		return float32(n.GetDouble(name))
	case TypeTimestamp:
		return time.UnixMilli(n.GetInt(name)).UTC()
	case TypeJSON:
		return json.RawMessage(n.GetString(name))
	case TypeVarchar:
		return string(n.GetString(name))
	case TypeBlob:
		return n.GetBlobId(name)
	case TypeBytes:
		b := n.GetBytes(name)
		if b == nil {
			b = []byte{}
		}
		return b
	}
	s := n.GetJson(name) // a type this binding does not know yet
	return json.RawMessage(s)
}

// ---- field layouts, cached per database, table and schema version ----------------------------

type tableKey struct {
	table   string
	version uint
}

type tableInfo struct {
	names []string
	types map[string]Type
}

func (d *Doc) info() (*tableInfo, error) {
	n, err := d.native()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	key := tableKey{n.Table(), n.SchemaVersion()}
	if err := lastError(); err != nil {
		return nil, err
	}
	db := d.db
	db.mu.RLock()
	info := db.tables[key]
	db.mu.RUnlock()
	if info != nil {
		return info, nil
	}
	count := n.FieldCount()
	info = &tableInfo{types: make(map[string]Type, count)}
	for i := uint64(0); i < count; i++ {
		name := n.FieldName(i)
		info.names = append(info.names, name)
		info.types[name] = Type(n.FieldType(name))
	}
	if err := lastError(); err != nil {
		return nil, err
	}
	runtime.KeepAlive(d)
	db.mu.Lock()
	db.tables[key] = info
	db.mu.Unlock()
	return info, nil
}

// ---- values as JSON literals (keys and query values) -----------------------------------------

// jsonLiteral renders a Go value as the JSON the library expects for a field value: integers
// exact, []byte as base64, time.Time as milliseconds, slices as arrays (for "in").
func jsonLiteral(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case json.RawMessage:
		return string(x), nil
	case json.Number:
		return x.String(), nil
	case time.Time:
		return jsonLiteral(x.UnixMilli())
	case float64:
		return floatLiteral(x)
	case float32:
		return floatLiteral(float64(x))
	case []byte:
		b, err := json.Marshal(x)
		return string(b), err
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		parts := make([]string, rv.Len())
		for i := range parts {
			s, err := jsonLiteral(rv.Index(i).Interface())
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ",") + "]", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", &Error{Code: CodeType, Message: err.Error()}
	}
	return string(b), nil
}

// floatLiteral writes NaN and the infinities as the library's strings.
func floatLiteral(f float64) (string, error) {
	switch {
	case math.IsNaN(f):
		return `"NaN"`, nil
	case math.IsInf(f, 1):
		return `"Infinity"`, nil
	case math.IsInf(f, -1):
		return `"-Infinity"`, nil
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// keyText is a primary key as bdb_key_doc_from_text reads it: always a JSON literal, so that a
// string key starting with a quote is not mistaken for JSON.
func keyText(key any) (string, error) { return jsonLiteral(key) }
