package bucketdb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every field type, for round trips.
const allTypes = `{"name":"all","version":1,"fields":{
  "id":{"typeId":10,"maxLength":36},
  "u8":{"typeId":1},"u16":{"typeId":12},"u32":{"typeId":2},"u64":{"typeId":3},
  "i8":{"typeId":13},"i16":{"typeId":14},"i32":{"typeId":4},"i64":{"typeId":5},
  "b":{"typeId":6},"f64":{"typeId":7},"f32":{"typeId":15},"ts":{"typeId":8},
  "js":{"typeId":9},"name":{"typeId":10,"maxLength":8},"blob":{"typeId":11},"raw":{"typeId":16}},
  "primaryKey":"id"}`

const users = `{"name":"users","version":1,"fields":{
  "id":{"typeId":10,"maxLength":36},"name":{"typeId":10,"maxLength":50},
  "age":{"typeId":1},"score":{"typeId":7}},"primaryKey":"id"}`

// open opens a fresh in-process database without background merges.
func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open("memory:", Options{LogLevel: "silent", Settings: map[string]string{"autoMerge": "0"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range []string{allTypes, users} {
		if err := db.RegisterSchema(s); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// must returns v, or panics on an error (which fails the run, naming the line): Go cannot
// pass a (value, error) call along with a *testing.T.
func must[T any](v T, err error) T {
	if err != nil {
		_, file, line, _ := runtime.Caller(1)
		panic(fmt.Sprintf("%s:%d: %v", filepath.Base(file), line, err))
	}
	return v
}

// wantCode asserts err is an *Error with code want (through errors.As and errors.Is) whose
// message contains every part.
func wantCode(t *testing.T, err error, want Code, parts ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want a *bucketdb.Error with code %v", err, err, want)
	}
	if e.Code != want {
		t.Fatalf("got code %d (%v): %s, want %d (%v)", e.Code, e.Code, e.Message, want, want)
	}
	if !errors.Is(err, &Error{Code: want}) {
		t.Fatalf("errors.Is(%v, code %v) is false", err, want)
	}
	for _, p := range parts {
		if !strings.Contains(e.Message, p) {
			t.Fatalf("message %q does not contain %q", e.Message, p)
		}
	}
}

func seedUsers(t *testing.T, db *DB) []uint64 {
	t.Helper()
	var seqs []uint64
	for i, u := range []map[string]any{
		{"id": "u1", "name": "Alice", "age": 30, "score": 1.5},
		{"id": "u2", "name": "Bob", "age": 41},
		{"id": "u3", "name": "Carol", "age": 25, "score": 9.0},
		{"id": "u4", "name": "Anna", "age": 17, "score": -2.0},
		{"id": "u5", "name": "Dave"},
	} {
		seq := must(db.Insert("users", u))
		if i > 0 && seq <= seqs[len(seqs)-1] {
			t.Fatalf("sequence numbers not increasing: %v then %d", seqs, seq)
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

func TestVersions(t *testing.T) {
	if Version() == "" || ABIVersion() != HeaderABIVersion() || ABIVersion() < 1 {
		t.Fatalf("version %q abi %d header %d", Version(), ABIVersion(), HeaderABIVersion())
	}
	if CodeNotFound.String() != "not found" || Code(99).String() != "unknown status" {
		t.Fatal(CodeNotFound.String(), Code(99).String())
	}
	if TypeUint64.String() != "uint64" || Type(0).String() != "unknown" {
		t.Fatal(TypeUint64.String())
	}
}

func TestCodesMatchHeader(t *testing.T) {
	got := []Code{CodeNotFound, CodeInvalid, CodeSchema, CodeType, CodeJSON, CodeExists,
		CodeConflict, CodeCorrupt, CodeIO, CodePermission, CodeURI, CodeNoMemory, CodeNoSpace,
		CodeBusy, CodeInternal, CodeInterrupted}
	want := nativeCodes()
	if len(got) != len(want) {
		t.Fatalf("%d codes, the header has %d", len(got), len(want))
	}
	for i := range got {
		if int(got[i]) != want[i] {
			t.Fatalf("code %d is %d in the header", got[i], want[i])
		}
	}
	types := nativeTypes()
	for i, ty := range []Type{TypeUint8, TypeUint32, TypeUint64, TypeInt32, TypeInt64, TypeBool,
		TypeFloat64, TypeTimestamp, TypeJSON, TypeVarchar, TypeBlob, TypeUint16, TypeInt8,
		TypeInt16, TypeFloat32, TypeBytes} {
		if int(ty) != types[i] {
			t.Fatalf("type %v is %d in the header", ty, types[i])
		}
	}
}

func TestErrorFormatting(t *testing.T) {
	e := &Error{Code: CodeConflict, Message: "row u1 changed"}
	if e.Error() != "bucketdb: row u1 changed (conflict)" {
		t.Fatal(e.Error())
	}
	if (&Error{Code: CodeBusy}).Error() != "bucketdb: busy" {
		t.Fatal((&Error{Code: CodeBusy}).Error())
	}
	if !errors.Is(e, ErrConflict) || errors.Is(e, ErrNotFound) || errors.Is(e, errors.New("x")) {
		t.Fatal("errors.Is")
	}
	if !errors.Is(e, &Error{Code: CodeConflict, Message: "row u1 changed"}) ||
		errors.Is(e, &Error{Code: CodeConflict, Message: "other"}) {
		t.Fatal("errors.Is with a message")
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Open("bogus:whatever", Options{})
	wantCode(t, err, CodeURI, "bogus")
	if !errors.Is(err, ErrURI) {
		t.Fatal("errors.Is(err, ErrURI)")
	}
	_, err = Open("no-scheme", Options{})
	wantCode(t, err, CodeURI)
	_, err = Open("memory:", Options{Settings: map[string]string{"noSuchOption": "1"}})
	wantCode(t, err, CodeInvalid, "noSuchOption")
	_, err = Open("memory:", Options{NodeID: 999})
	wantCode(t, err, CodeInvalid, "nodeId")
	_, err = Open("memory:", Options{RingSize: 1000})
	wantCode(t, err, CodeInvalid, "ringSize")
	_, err = Open("memory:", Options{LogLevel: "loud"})
	wantCode(t, err, CodeInvalid, "logLevel")
}

func TestOptionsAndPrefixes(t *testing.T) {
	dir := t.TempDir()
	uri := "file:" + dir
	a := must(Open(uri, Options{Prefix: "a", NodeID: 3, RingSize: 4, LogLevel: "silent",
		Settings: map[string]string{"autoMerge": "0", "readStalenessMs": "0"}}))
	defer a.Close()
	b := must(Open(uri, Options{Prefix: "b", LogLevel: "silent"}))
	defer b.Close()
	if err := a.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(a.Insert("users", map[string]any{"id": "x"}))
	// Another prefix is another database in the same bucket.
	_, err := b.Get("users", "x")
	wantCode(t, err, CodeSchema, "users")
	if _, err := os.Stat(filepath.Join(dir, "a")); err != nil {
		t.Fatal("no objects under prefix a:", err)
	}
}

func TestCloseIsIdempotentAndFinal(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	batch := must(db.Batch())
	query := db.Query("users")
	cur := must(db.Query("users").Cursor())
	doc := must(db.GetDoc("users", "u1"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := db.Get("users", "u1")
	wantCode(t, err, CodeInvalid, "closed")
	wantCode(t, db.RegisterSchema(users), CodeInvalid, "closed")
	_, err = db.Batch()
	wantCode(t, err, CodeInvalid, "closed")
	_, err = db.Query("users").Count()
	wantCode(t, err, CodeInvalid, "closed")
	// Children of a closed database fail cleanly; their handles were freed by Close.
	wantCode(t, batch.InsertJSON("users", `{"id":"z"}`), CodeInvalid, "database")
	_, err = batch.Commit()
	wantCode(t, err, CodeInvalid, "database")
	_, err = query.Count()
	wantCode(t, err, CodeInvalid, "database")
	_, err = query.Explain()
	wantCode(t, err, CodeInvalid, "database")
	if cur.Next() {
		t.Fatal("a cursor of a closed database returned a row")
	}
	wantCode(t, cur.Err(), CodeInvalid, "database")
	// Documents do not depend on the database.
	if name, err := doc.Text("name"); err != nil || name != "Alice" {
		t.Fatal(name, err)
	}
	for _, c := range []interface{ Close() error }{batch, query, cur, doc, doc, batch} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, batch.Clear(), CodeInvalid, "closed")
	_, err = doc.Text("name")
	wantCode(t, err, CodeInvalid, "closed")
	if batch.Len() != 0 || doc.Has("name") || doc.Table() != "" || doc.Fields() != nil {
		t.Fatal("closed handles answer")
	}
}

func TestSchemas(t *testing.T) {
	db := open(t)
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal("registering the same schema again:", err)
	}
	changed := strings.Replace(users, `"maxLength":50`, `"maxLength":60`, 1)
	wantCode(t, db.RegisterSchema(changed), CodeSchema, "users")
	wantCode(t, db.RegisterSchema(`{"name":`), CodeJSON)
	wantCode(t, db.RegisterSchema(`{"name":"t","version":1,"fields":{"id":{"typeId":99}},"primaryKey":"id"}`), CodeSchema)
	v2 := strings.Replace(strings.Replace(users, `"version":1`, `"version":2`, 1),
		`"score":{"typeId":7}`, `"score":{"typeId":7},"email":{"typeId":10}`, 1)
	if err := db.RegisterSchema(v2); err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Name    string `json:"name"`
		Version int    `json:"version"`
	}
	raw := must(db.Schemas())
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err, string(raw))
	}
	seen := map[string]bool{}
	for _, s := range list {
		seen[s.Name+"/"+string(rune('0'+s.Version))] = true
	}
	if !seen["users/1"] || !seen["users/2"] || !seen["all/1"] {
		t.Fatal(string(raw))
	}
	d := must(db.NewDoc("users"))
	defer d.Close()
	if d.SchemaVersion() != 2 || d.FieldType("email") != TypeVarchar {
		t.Fatal(d.SchemaVersion(), d.FieldType("email"))
	}
}

// A version that loses values needs AllowLossy; an array registers all of its schemas or none.
func TestLossySchemasAndArrays(t *testing.T) {
	db := open(t)
	must(db.Insert("users", map[string]any{"id": "u1", "name": "Alice", "score": 2.5}))
	noScore := strings.Replace(strings.Replace(users, `"version":1`, `"version":2`, 1),
		`,"score":{"typeId":7}`, "", 1)
	wantCode(t, db.RegisterSchema(noScore), CodeSchema, "score")
	if err := db.RegisterSchema(noScore, AllowLossy); err != nil {
		t.Fatal(err)
	}
	got := must(db.Get("users", "u1"))
	if _, has := got["score"]; has || got["name"] != "Alice" {
		t.Fatal(got)
	}

	a := `{"name":"a","version":1,"fields":{"k":{"typeId":10}},"primaryKey":"k"}`
	bad := `{"name":"b","version":1,"fields":{"k":{"typeId":99}},"primaryKey":"k"}`
	b := strings.Replace(bad, "99", "10", 1)
	wantCode(t, db.RegisterSchema("["+a+","+bad+"]"), CodeSchema)
	_, err := db.NewDoc("a")
	wantCode(t, err, CodeSchema, "a")
	if err := db.RegisterSchema("[" + a + "," + b + "]"); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"a", "b"} {
		d := must(db.NewDoc(table))
		d.Close()
	}
}

// A row with the extremes of every type, as Go values, and what Get gives back.
func extremes() (in, out map[string]any) {
	ts := time.Date(2024, 2, 29, 23, 59, 58, 123e6, time.UTC)
	in = map[string]any{
		"id": "max", "u8": uint8(255), "u16": uint16(65535), "u32": uint32(4294967295),
		"u64": uint64(math.MaxUint64), "i8": int8(-128), "i16": int16(-32768),
		"i32": int32(math.MinInt32), "i64": int64(math.MinInt64), "b": true,
		"f64": math.SmallestNonzeroFloat64, "f32": float32(3.25), "ts": ts,
		"js":   json.RawMessage(`{"big":18446744073709551615,"list":[1,"two",null]}`),
		"name": "Zoë 😀", "raw": []byte{0, 1, 2, 255},
	}
	out = map[string]any{}
	for k, v := range in {
		out[k] = v
	}
	return in, out
}

func TestRoundTripEveryType(t *testing.T) {
	db := open(t)
	in, want := extremes()
	seq := must(db.Insert("all", in))
	got := must(db.Get("all", "max"))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	text := must(db.GetJSON("all", "max"))
	for _, s := range []string{`"u64":18446744073709551615`, `"i64":-9223372036854775808`, `"raw":"AAEC/w=="`} {
		if !strings.Contains(text, s) {
			t.Fatalf("%s lacks %s", text, s)
		}
	}
	d := must(db.GetDoc("all", "max"))
	defer d.Close()
	if d.Version() != seq || d.Misc() == 0 || d.CommitTime().Year() < 2020 || d.Table() != "all" {
		t.Fatal(d.Version(), seq, d.Misc())
	}
	// Plain Go ints and floats convert to any numeric field, exactly.
	must(db.Update("all", map[string]any{"id": "ints", "u64": 42, "i8": -1, "f64": 2, "f32": 0.5,
		"ts": int64(1000), "js": map[string]any{"a": []int{1, 2}}, "raw": "text as bytes",
		"name": []byte("bytes"), "b": false}))
	got = must(db.Get("all", "ints"))
	want = map[string]any{"id": "ints", "u64": uint64(42), "i8": int8(-1), "f64": float64(2),
		"f32": float32(0.5), "ts": time.UnixMilli(1000).UTC(), "js": json.RawMessage(`{"a":[1,2]}`),
		"raw": []byte("text as bytes"), "name": "bytes", "b": false}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	// Nulls are absent from the map; json.Number and RawMessage pass through exactly.
	must(db.Update("all", map[string]any{"id": "n", "u64": json.Number("18446744073709551615"),
		"i64": json.RawMessage("-5"), "name": nil, "js": "a JSON string"}))
	got = must(db.Get("all", "n"))
	want = map[string]any{"id": "n", "u64": uint64(math.MaxUint64), "i64": int64(-5), "js": json.RawMessage(`"a JSON string"`)}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	// NaN and the infinities.
	must(db.Update("all", map[string]any{"id": "nan", "f64": math.Inf(-1), "f32": float32(math.NaN())}))
	got = must(db.Get("all", "nan"))
	if !math.IsInf(got["f64"].(float64), -1) || !math.IsNaN(float64(got["f32"].(float32))) {
		t.Fatal(got)
	}
}

func TestMapWriteErrors(t *testing.T) {
	db := open(t)
	for _, c := range []struct {
		row   map[string]any
		code  Code
		parts []string
	}{
		{map[string]any{"id": "a", "nope": 1}, CodeSchema, []string{"nope"}},
		{map[string]any{"id": "a", "u8": 256}, CodeType, []string{"u8"}},
		{map[string]any{"id": "a", "u8": -1}, CodeType, []string{"u8"}},
		{map[string]any{"id": "a", "i64": uint64(math.MaxUint64)}, CodeType, []string{"i64"}},
		{map[string]any{"id": "a", "u32": 1.5}, CodeType, []string{"u32"}},
		{map[string]any{"id": "a", "name": "123456789"}, CodeType, []string{"name"}},
		{map[string]any{"id": "a", "name": string([]byte{0xff})}, CodeType, []string{"name"}},
		{map[string]any{"id": "a", "b": "yes"}, CodeType, []string{"b"}},
		{map[string]any{"id": "a", "js": make(chan int)}, CodeType, []string{"js"}},
		{map[string]any{"id": "a", "i8": json.RawMessage("{")}, CodeJSON, nil},
		{map[string]any{"id": "a", "blob": "not-a-uuid"}, CodeType, []string{"blob"}},
		{map[string]any{"id": "a", "ts": "yesterday"}, CodeType, []string{"ts"}},
	} {
		_, err := db.Insert("all", c.row)
		wantCode(t, err, c.code, c.parts...)
	}
	_, err := db.Insert("nope", map[string]any{"id": "a"})
	wantCode(t, err, CodeSchema, "nope")
	if n := must(db.Query("all").Count()); n != 0 {
		t.Fatalf("%d rows after failed writes", n)
	}
}

func TestTypedAccessors(t *testing.T) {
	db := open(t)
	d := must(db.NewDoc("all"))
	defer d.Close()
	if d.Version() != 0 || d.Misc() != 0 || d.Has("id") || d.FieldType("u8") != TypeUint8 ||
		d.FieldType("nope") != 0 || len(d.Fields()) != 17 || d.Fields()[0] != "id" {
		t.Fatal("new doc", d.Fields())
	}
	ts := time.UnixMilli(-1).UTC()
	for _, err := range []error{
		d.SetString("id", "k1"), d.SetUint("u64", math.MaxUint64), d.SetInt("i64", math.MinInt64),
		d.SetInt("u8", 7), d.SetBool("b", true), d.SetFloat("f64", 0.1), d.SetFloat("f32", 2),
		d.SetTime("ts", ts), d.SetJSON("js", `[1, 2,  3]`), d.SetBytes("raw", []byte{}),
		d.SetString("name", "ok"), d.SetJSON("i32", "-7"), d.SetBlob("blob", []byte("blob bytes")),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if v := must(d.Uint("u64")); v != math.MaxUint64 {
		t.Fatal(v)
	}
	if v := must(d.Int("i64")); v != math.MinInt64 {
		t.Fatal(v)
	}
	if v := must(d.Int("u8")); v != 7 {
		t.Fatal(v)
	}
	if v := must(d.Bool("b")); !v {
		t.Fatal(v)
	}
	if v := must(d.Float("f64")); v != 0.1 {
		t.Fatal(v)
	}
	if v := must(d.Float("u8")); v != 7 {
		t.Fatal(v)
	}
	if v := must(d.Time("ts")); !v.Equal(ts) {
		t.Fatal(v)
	}
	if v := must(d.Text("js")); v != "[1,2,3]" {
		t.Fatal(v)
	}
	if v := must(d.FieldJSON("js")); string(v) != "[1,2,3]" {
		t.Fatal(string(v))
	}
	if v := must(d.FieldJSON("u64")); string(v) != "18446744073709551615" {
		t.Fatal(string(v))
	}
	if v := must(d.Bytes("raw")); v == nil || len(v) != 0 {
		t.Fatal(v)
	}
	if v := must(d.Text("name")); v != "ok" {
		t.Fatal(v)
	}
	if v := must(d.BlobID("blob")); len(v) != 36 {
		t.Fatal(v)
	}
	if b, _ := json.Marshal(d); !bytes.Contains(b, []byte(`"i32":-7`)) {
		t.Fatal(string(b))
	}
	// The string setter stores json text verbatim.
	if err := d.SetString("js", `{ "a" : 1 }`); err != nil {
		t.Fatal(err)
	}
	if v := must(d.Text("js")); v != `{ "a" : 1 }` {
		t.Fatal(v)
	}
	// Error paths of getters and setters.
	_, err := d.Int("u64")
	wantCode(t, err, CodeType, "u64")
	if err := d.SetInt("i32", -1); err != nil {
		t.Fatal(err)
	}
	_, err = d.Uint("i32")
	wantCode(t, err, CodeType, "i32")
	_, err = d.Bool("u8")
	wantCode(t, err, CodeType, "u8")
	_, err = d.Text("u8")
	wantCode(t, err, CodeType, "u8")
	_, err = d.Bytes("u8")
	wantCode(t, err, CodeType, "u8")
	_, err = d.Float("name")
	wantCode(t, err, CodeType, "name")
	_, err = d.BlobID("name")
	wantCode(t, err, CodeType, "name")
	_, err = d.Int("nope")
	wantCode(t, err, CodeSchema, "nope")
	if err := d.SetNull("u8"); err != nil {
		t.Fatal(err)
	}
	_, err = d.Uint("u8")
	wantCode(t, err, CodeNotFound, "u8")
	_, err = d.FieldJSON("u8")
	wantCode(t, err, CodeNotFound, "u8")
	_, err = d.Time("u8")
	wantCode(t, err, CodeNotFound, "u8")
	wantCode(t, d.SetUint("u8", 256), CodeType, "u8")
	wantCode(t, d.SetInt("u8", -1), CodeType, "u8")
	wantCode(t, d.SetFloat("u8", 0.5), CodeType, "u8")
	wantCode(t, d.SetString("raw", "x"), CodeType, "raw")
	wantCode(t, d.SetBytes("name", []byte("x")), CodeType, "name")
	wantCode(t, d.SetString("name", "way too long"), CodeType, "name")
	wantCode(t, d.SetJSON("js", "{"), CodeJSON)
	wantCode(t, d.SetBool("nope", true), CodeSchema, "nope")
	wantCode(t, d.SetNull("nope"), CodeSchema, "nope")
	wantCode(t, d.Set("nope", 1), CodeSchema, "nope")
	wantCode(t, d.SetBlob("name", []byte("x")), CodeType, "name")
	// A document can be committed after all that, and read back by typed getters.
	seq := must(db.Update("all", map[string]any{"id": "k0"}))
	b := must(db.Batch())
	defer b.Close()
	if err := b.UpdateDoc(d); err != nil {
		t.Fatal(err)
	}
	seq2 := must(b.Commit())
	got := must(db.GetDoc("all", "k1"))
	defer got.Close()
	if got.Version() != seq2 || seq2 <= seq || got.Has("u8") || !got.Has("i32") {
		t.Fatal(got.Version(), seq2)
	}
	blob := must(db.ReadBlob(must(got.BlobID("blob"))))
	if string(blob) != "blob bytes" {
		t.Fatal(string(blob))
	}
}

func TestKeysAndGets(t *testing.T) {
	db := open(t)
	// Keys that would confuse bucketdb.h's key text if passed verbatim.
	for _, k := range []string{`"quoted"`, "", "42", "with space", "ünï"} {
		must(db.Insert("users", map[string]any{"id": k, "name": "n"}))
		got := must(db.Get("users", k))
		if got["id"] != k {
			t.Fatalf("key %q came back as %q", k, got["id"])
		}
		if text := must(db.GetJSON("users", k)); !strings.Contains(text, `"name":"n"`) {
			t.Fatal(text)
		}
	}
	_, err := db.Get("users", "missing")
	wantCode(t, err, CodeNotFound, "missing")
	if !errors.Is(err, ErrNotFound) {
		t.Fatal("not ErrNotFound")
	}
	_, err = db.GetJSON("users", "missing")
	wantCode(t, err, CodeNotFound)
	_, err = db.Get("nope", "x")
	wantCode(t, err, CodeSchema, "nope")
	// bucketdb.h reads any unquoted key text of a varchar key verbatim: 42 is the key "42".
	if got := must(db.Get("users", 42)); got["id"] != "42" {
		t.Fatal(got)
	}
	_, err = db.Get("users", make(chan int))
	wantCode(t, err, CodeType)
	_, err = db.GetJSON("users", make(chan int))
	wantCode(t, err, CodeType)
	_, err = db.KeyDoc("users", make(chan int))
	wantCode(t, err, CodeType)
	// Lookup by a key document built with a typed setter.
	k := must(db.NewDoc("users"))
	defer k.Close()
	if err := k.SetString("id", "42"); err != nil {
		t.Fatal(err)
	}
	row := must(db.Lookup(k))
	defer row.Close()
	if name := must(row.Text("name")); name != "n" {
		t.Fatal(name)
	}
	closed := must(db.KeyDoc("users", "42"))
	closed.Close()
	_, err = db.Lookup(closed)
	wantCode(t, err, CodeInvalid, "closed")
	_, err = db.DocFromJSON("users", `{"id":"j","age":300}`)
	wantCode(t, err, CodeType, "age")
	_, err = db.DocFromJSON("users", `{"id":`)
	wantCode(t, err, CodeJSON)
	j := must(db.DocFromJSON("users", `{"id":"j","age":3}`))
	defer j.Close()
	if m := must(j.Map()); !reflect.DeepEqual(m, map[string]any{"id": "j", "age": uint8(3)}) {
		t.Fatal(m)
	}
	_, err = db.DocFromMap("users", map[string]any{"id": "x", "age": "old"})
	wantCode(t, err, CodeType, "age")
	_, err = db.DocFromMap("nope", nil)
	wantCode(t, err, CodeSchema)
}

func TestBatches(t *testing.T) {
	db := open(t)
	b := must(db.Batch())
	defer b.Close()
	for _, err := range []error{
		b.Insert("users", map[string]any{"id": "a", "name": "A", "age": 1}),
		b.InsertJSON("users", `{"id":"b","name":"B","age":2}`),
		b.UpdateJSON("users", `{"id":"c","name":"C","age":3}`),
		b.Update("users", map[string]any{"id": "d", "name": "D"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if b.Len() != 4 {
		t.Fatal(b.Len())
	}
	seq1 := must(b.Commit())
	if b.Len() != 0 {
		t.Fatal("batch not empty after commit")
	}
	if n := must(db.Query("users").Count()); n != 4 {
		t.Fatal(n)
	}
	// Patch, delete (by map key, JSON key text and key doc) and preconditions.
	kd := must(db.KeyDoc("users", "d"))
	defer kd.Close()
	for _, err := range []error{
		b.Patch("users", map[string]any{"id": "a", "age": 10}),
		b.ExpectVersion(seq1),
		b.PatchJSON("users", `{"id":"b","name":"Bee"}`),
		b.Delete("users", "c"),
		b.ExpectVersion(seq1),
		b.DeleteDoc(kd),
		b.DeleteKeyText("users", "absent"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	seq2 := must(b.Commit())
	rows := must(db.Query("users").All())
	want := []map[string]any{
		{"id": "a", "name": "A", "age": uint8(10)},
		{"id": "b", "name": "Bee", "age": uint8(2)},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("%#v", rows)
	}
	// A failed precondition: nothing applies, the batch keeps its operations until Clear.
	if err := b.Patch("users", map[string]any{"id": "a", "age": 11}); err != nil {
		t.Fatal(err)
	}
	if err := b.ExpectVersion(seq1); err != nil {
		t.Fatal(err)
	}
	if err := b.Insert("users", map[string]any{"id": "new"}); err != nil {
		t.Fatal(err)
	}
	_, err := b.Commit()
	wantCode(t, err, CodeConflict, "users")
	if !errors.Is(err, ErrConflict) || b.Len() != 2 {
		t.Fatal(err, b.Len())
	}
	if err := b.Clear(); err != nil || b.Len() != 0 {
		t.Fatal(err, b.Len())
	}
	// ExpectVersion(0): the row must not exist.
	if err := b.Update("users", map[string]any{"id": "a"}); err != nil {
		t.Fatal(err)
	}
	if err := b.ExpectVersion(0); err != nil {
		t.Fatal(err)
	}
	_, err = b.Commit()
	wantCode(t, err, CodeConflict)
	b.Clear()
	// Insert of an existing key.
	_, err = db.Insert("users", map[string]any{"id": "a"})
	wantCode(t, err, CodeExists, "a")
	if !errors.Is(err, ErrExists) {
		t.Fatal(err)
	}
	// Patch of a missing row.
	_, err = db.Patch("users", map[string]any{"id": "missing", "age": 1})
	wantCode(t, err, CodeNotFound, "missing")
	// Misuse and bad input.
	wantCode(t, b.ExpectVersion(1), CodeInvalid, "no operation")
	wantCode(t, b.InsertJSON("users", `{"id":`), CodeJSON)
	wantCode(t, b.InsertJSON("nope", `{}`), CodeSchema, "nope")
	wantCode(t, b.Delete("nope", "x"), CodeSchema, "nope")
	wantCode(t, b.Delete("users", make(chan int)), CodeType)
	wantCode(t, b.Insert("users", map[string]any{"id": "x", "age": -1}), CodeType, "age")
	closedDoc := must(db.NewDoc("users"))
	closedDoc.Close()
	wantCode(t, b.InsertDoc(closedDoc), CodeInvalid, "closed")
	// Docs staged through every typed op.
	d := must(db.DocFromMap("users", map[string]any{"id": "t", "name": "T"}))
	defer d.Close()
	if err := b.InsertDoc(d); err != nil {
		t.Fatal(err)
	}
	seq3 := must(b.Commit())
	d.SetUint("age", 5)
	if err := b.PatchDoc(d); err != nil {
		t.Fatal(err)
	}
	if err := b.ExpectVersion(seq3); err != nil {
		t.Fatal(err)
	}
	must(b.Commit())
	if got := must(db.Get("users", "t")); got["age"] != uint8(5) {
		t.Fatal(got)
	}
	// Single-operation helpers.
	must(db.Update("users", map[string]any{"id": "t", "name": "T2"}))
	must(db.Delete("users", "t"))
	_, err = db.Get("users", "t")
	wantCode(t, err, CodeNotFound)
	// A batch with no effect commits nothing and gets the current position.
	if err := b.Delete("users", "never-there"); err != nil {
		t.Fatal(err)
	}
	if seq := must(b.Commit()); seq < seq2 {
		t.Fatal(seq, seq2)
	}
	// Empty batch commit.
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Close()
	wantCode(t, b.Insert("users", map[string]any{"id": "late"}), CodeInvalid, "closed")
	_, err = b.Commit()
	wantCode(t, err, CodeInvalid, "closed")
	wantCode(t, b.ExpectVersion(1), CodeInvalid, "closed")
}

func ids(t *testing.T, q *Query) []string {
	t.Helper()
	rows, err := q.All()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, r := range rows {
		out = append(out, r["id"].(string))
	}
	return out
}

func TestQueries(t *testing.T) {
	db := open(t)
	seqs := seedUsers(t, db)
	for _, c := range []struct {
		q    *Query
		want []string
	}{
		{db.Query("users"), []string{"u1", "u2", "u3", "u4", "u5"}},
		{db.Query("users").Where("age", "=", 30), []string{"u1"}},
		{db.Query("users").Where("age", "!=", 30), []string{"u2", "u3", "u4"}},
		{db.Query("users").Where("age", "<", 25), []string{"u4"}},
		{db.Query("users").Where("age", "<=", 25), []string{"u3", "u4"}},
		{db.Query("users").Where("age", ">", 30), []string{"u2"}},
		{db.Query("users").Where("age", ">=", 30), []string{"u1", "u2"}},
		{db.Query("users").Where("name", "in", []string{"Bob", "Dave", "Zed"}), []string{"u2", "u5"}},
		{db.Query("users").Where("age", "in", []any{17, uint8(41)}), []string{"u2", "u4"}},
		{db.Query("users").Where("age", "in", []int{}), []string{}},
		{db.Query("users").Where("name", "prefix", "A"), []string{"u1", "u4"}},
		{db.Query("users").Where("score", "isnull", nil), []string{"u2", "u5"}},
		{db.Query("users").Where("age", "notnull", "ignored"), []string{"u1", "u2", "u3", "u4"}},
		{db.Query("users").Where("name", "prefix", "A").Where("age", ">", 20), []string{"u1"}},
		{db.Query("users").Where("score", ">", -1.5).Where("score", "<", 2), []string{"u1"}},
		{db.Query("users").OrderBy("age", false), []string{"u5", "u4", "u3", "u1", "u2"}},
		{db.Query("users").OrderBy("age", true), []string{"u2", "u1", "u3", "u4", "u5"}},
		{db.Query("users").OrderBy("id", true).Limit(2), []string{"u5", "u4"}},
		{db.Query("users").OrderBy("age", true).Offset(1).Limit(2), []string{"u1", "u3"}},
		{db.Query("users").Offset(10), []string{}},
		{db.Query("users").AsOf(seqs[1]), []string{"u1", "u2"}},
		{db.Query("users").AsOf(seqs[0]).Where("age", ">", 0), []string{"u1"}},
		{db.Query("users").Where("age", "=", 30).Or().Where("name", "prefix", "A"), []string{"u1", "u4"}},
		{db.Query("users").Where("age", ">", 30).Or().Where("score", "isnull", nil).OrderBy("age", true), []string{"u2", "u5"}},
	} {
		if got := ids(t, c.q); !reflect.DeepEqual(got, c.want) {
			t.Fatalf("got %v, want %v", got, c.want)
		}
	}
	// Projection: the primary key always comes back.
	rows := must(db.Query("users").Select("name").Where("id", "=", "u1").All())
	if !reflect.DeepEqual(rows, []map[string]any{{"id": "u1", "name": "Alice"}}) {
		t.Fatal(rows)
	}
	// Count applies offset and limit; a query runs several times.
	q := db.Query("users").Where("age", "notnull", nil)
	defer q.Close()
	if n := must(q.Count()); n != 4 {
		t.Fatal(n)
	}
	q.Offset(1).Limit(2)
	if n := must(q.Count()); n != 2 {
		t.Fatal(n)
	}
	if n := must(q.Count()); n != 2 {
		t.Fatal(n)
	}
	// History by commit time: the MISC stamp of a row's commit.
	d := must(db.GetDoc("users", "u1"))
	at := d.CommitTime()
	d.Close()
	must(db.Delete("users", "u1"))
	if got := ids(t, db.Query("users").AsOfTime(at).Where("id", "=", "u1")); !reflect.DeepEqual(got, []string{"u1"}) {
		t.Fatal(got)
	}
	if got := ids(t, db.Query("users").Where("id", "=", "u1")); len(got) != 0 {
		t.Fatal(got)
	}
	// Errors from the builder surface at Count, Cursor and All, first one wins.
	for _, c := range []struct {
		q     *Query
		code  Code
		parts []string
	}{
		{db.Query("nope"), CodeSchema, []string{"nope"}},
		{db.Query("users").Where("nope", "=", 1), CodeSchema, []string{"nope"}},
		{db.Query("users").Where("age", "~", 1), CodeInvalid, []string{"~"}},
		{db.Query("users").Where("age", "=", "x"), CodeType, []string{"age"}},
		{db.Query("users").Where("age", "in", 5), CodeType, []string{"array"}},
		{db.Query("users").Where("age", "=", make(chan int)).Where("nope", "=", 1), CodeType, nil},
		{db.Query("users").OrderBy("nope", false), CodeSchema, []string{"nope"}},
		{db.Query("users").Select("nope"), CodeSchema, []string{"nope"}},
		{db.Query("users").Or(), CodeInvalid, []string{"before it"}},
	} {
		_, err := c.q.Count()
		wantCode(t, err, c.code, c.parts...)
		_, err = c.q.Cursor()
		wantCode(t, err, c.code, c.parts...)
		_, err = c.q.All()
		wantCode(t, err, c.code, c.parts...)
		if c.q.Err() == nil && c.code != CodeNotFound {
			t.Fatal("Err() is nil")
		}
	}
	// An OR with nothing after it fails when the query runs.
	dangling := db.Query("users").Where("age", "=", 30).Or()
	_, countErr := dangling.Count()
	wantCode(t, countErr, CodeInvalid, "after it")
	_, allErr := dangling.All()
	wantCode(t, allErr, CodeInvalid, "after it")
	dangling.Close()
	// History that is no longer retained.
	short := must(Open("memory:", Options{LogLevel: "silent", Settings: map[string]string{"gcGraceMs": "0", "autoMerge": "0"}}))
	defer short.Close()
	if err := short.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	old := must(short.Insert("users", map[string]any{"id": "a"}))
	must(short.Update("users", map[string]any{"id": "a", "age": 2}))
	must(short.Merge())
	must(short.GC())
	_, err := short.Query("users").AsOf(old).Count()
	wantCode(t, err, CodeNotFound, "retained")
	_, err = short.Query("users").AsOf(old).Cursor()
	wantCode(t, err, CodeNotFound, "retained")
	// Explain: a primary-key lookup, or a scan of a field without an index.
	if s := must(db.Query("users").Where("id", "=", "u2").Explain()); !strings.Contains(s, "primary key") {
		t.Fatal(s)
	}
	if s := must(db.Query("users").Where("age", ">", 1).Explain()); !strings.Contains(s, "full scan") {
		t.Fatal(s)
	}
	_, err = db.Query("users").Where("nope", "=", 1).Explain()
	wantCode(t, err, CodeSchema, "nope")
	closed := db.Query("users")
	closed.Close()
	_, err = closed.Count()
	wantCode(t, err, CodeInvalid, "closed")
	_, err = closed.Cursor()
	wantCode(t, err, CodeInvalid, "closed")
	_, err = closed.Explain()
	wantCode(t, err, CodeInvalid, "closed")
	wantCode(t, closed.Limit(1).Err(), CodeInvalid, "closed")
}

func TestPageTokens(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	var walked []string
	token := ""
	for page := 0; page < 4; page++ {
		c := must(db.Query("users").OrderBy("age", false).Limit(2).After(token).Cursor())
		n := 0
		for c.Next() {
			walked = append(walked, must(c.Map())["id"].(string))
			n++
		}
		if c.Err() != nil {
			t.Fatal(c.Err())
		}
		next := must(c.PageToken()) // readable after the cursor closed itself
		if n == 0 && next != token {
			t.Fatalf("an empty page moved the position: %q -> %q", token, next)
		}
		token = next
	}
	if want := []string{"u5", "u4", "u3", "u1", "u2"}; !reflect.DeepEqual(walked, want) {
		t.Fatalf("pages walked %v, want %v", walked, want)
	}
	c := must(db.Query("users").Cursor())
	if tok := must(c.PageToken()); tok != "" {
		t.Fatalf("token before any row: %q", tok)
	}
	c.Close()
	_, err := db.Query("users").After("not a token!").Count()
	wantCode(t, err, CodeInvalid, "page token")
	_, err = db.Query("users").After(token).Count()
	wantCode(t, err, CodeInvalid, "ordered by age")
}

func TestCursor(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	cur := must(db.Query("users").Where("age", ">=", 18).OrderBy("age", true).Cursor())
	var names []string
	var ages []uint64
	var first *Doc
	for cur.Next() {
		d := cur.Doc()
		if first == nil {
			first = d
		}
		names = append(names, must(d.Text("name")))
		ages = append(ages, must(d.Uint("age")))
		m := must(cur.Map())
		if m["name"] != names[len(names)-1] {
			t.Fatal(m)
		}
	}
	if err := cur.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, []string{"Bob", "Alice", "Carol"}) || !reflect.DeepEqual(ages, []uint64{41, 30, 25}) {
		t.Fatal(names, ages)
	}
	// A row is valid until the next Next; the cursor closed itself at the end.
	_, err := first.Text("name")
	wantCode(t, err, CodeInvalid, "closed")
	if cur.Next() || cur.Doc() != nil {
		t.Fatal("Next after the end")
	}
	_, err = cur.Map()
	wantCode(t, err, CodeInvalid, "no current row")
	cur.Close()
	// A cursor sees the database as of its creation.
	cur = must(db.Query("users").Cursor())
	defer cur.Close()
	must(db.Insert("users", map[string]any{"id": "u0"}))
	n := 0
	for cur.Next() {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 || cur.Doc() == nil {
		t.Fatal(n)
	}
	if err := cur.Close(); err != nil || cur.Next() {
		t.Fatal(err)
	}
}

func TestBlobs(t *testing.T) {
	db := open(t)
	big := bytes.Repeat([]byte{0, 1, 2, 3, 254, 255}, 50000)
	must(db.Insert("all", map[string]any{"id": "b1", "blob": big}))
	row := must(db.Get("all", "b1"))
	id := row["blob"].(string)
	if got := must(db.ReadBlob(id)); !bytes.Equal(got, big) {
		t.Fatal("blob differs", len(got))
	}
	// A row written back as read keeps its blob; another row cannot take it by id.
	row["u8"] = 1
	must(db.Update("all", row))
	if got := must(db.Get("all", "b1")); got["blob"] != id || got["u8"] != uint8(1) {
		t.Fatal(got)
	}
	_, err := db.Insert("all", map[string]any{"id": "b2", "blob": id})
	wantCode(t, err, CodeType, "blob", "one row")
	// An empty blob is fine.
	must(db.Insert("all", map[string]any{"id": "b3", "blob": []byte{}}))
	empty := must(db.Get("all", "b3"))["blob"].(string)
	if got := must(db.ReadBlob(empty)); got == nil || len(got) != 0 {
		t.Fatal(got)
	}
	_, err = db.ReadBlob("00000000-0000-0000-0000-000000000000")
	wantCode(t, err, CodeNotFound)
	_, err = db.ReadBlob("not a uuid")
	wantCode(t, err, CodeInvalid)
}

func TestMaintenance(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	if n := must(db.Merge()); n != 7 { // two schemas and five inserts
		t.Fatal("merged", n)
	}
	if n := must(db.Merge()); n != 0 {
		t.Fatal("merged again", n)
	}
	must(db.GC())
	for _, what := range []string{"block0", "log", "blocks"} {
		var v any
		if err := json.Unmarshal(must(db.Inspect(what)), &v); err != nil {
			t.Fatal(what, err)
		}
	}
	_, err := db.Inspect("nope")
	wantCode(t, err, CodeInvalid, "nope")
	var stats map[string]any
	if err := json.Unmarshal(must(db.Stats()), &stats); err != nil || len(stats) == 0 {
		t.Fatal(err, stats)
	}
	if err := db.Refresh(); err != nil {
		t.Fatal(err)
	}
	// Everything still reads after the merge.
	if n := must(db.Query("users").Count()); n != 5 {
		t.Fatal(n)
	}
}

func TestDriverCheck(t *testing.T) {
	var report struct {
		Driver                  string
		Passed, Failed, Skipped int
		Checks                  []struct{ Name, Result, Message string }
	}
	// A named memory store: every handle the checks open must see the same objects.
	if err := json.Unmarshal(must(DriverCheck("memory:driver-check")), &report); err != nil {
		t.Fatal(err)
	}
	if report.Driver != "memory" || report.Passed == 0 || report.Passed+report.Failed+report.Skipped != len(report.Checks) {
		t.Fatalf("%+v", report)
	}
	_, err := DriverCheck("bogus:whatever")
	wantCode(t, err, CodeURI, "bogus")
}

func TestRows(t *testing.T) {
	db := open(t)
	in, want := extremes()
	delete(in, "blob")
	d := must(db.DocFromMap("all", in))
	defer d.Close()
	r := must(d.Row())
	if r.Version != 1 || len(r.Fixed) == 0 || len(r.Heap) == 0 {
		t.Fatal(r)
	}
	back := must(db.DocFromRow("all", r))
	defer back.Close()
	if got := must(back.Map()); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	_, err := db.DocFromRow("all", Row{Version: 1, Fixed: []byte{1, 2, 3}})
	if err == nil {
		t.Fatal("a truncated row decoded")
	}
	_, err = db.DocFromRow("all", Row{Version: 9, Fixed: r.Fixed, Heap: r.Heap})
	wantCode(t, err, CodeSchema)
	_, err = db.DocFromRow("nope", r)
	wantCode(t, err, CodeSchema, "nope")
	d.Close()
	_, err = d.Row()
	wantCode(t, err, CodeInvalid, "closed")
}

// One DB shared by goroutines; Close while they run: every call either works or fails with
// CodeInvalid, nothing crashes (the sanitized build would report a use after free).
func TestConcurrentUseAndClose(t *testing.T) {
	db := open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		g := g
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				key := string(rune('a'+g)) + string(rune('0'+i%10))
				if _, err := db.Update("users", map[string]any{"id": key, "age": i % 200}); err != nil {
					errs <- err
					return
				}
				if _, err := db.Query("users").Where("age", ">=", 0).Count(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	db.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		wantCode(t, err, CodeInvalid, "closed")
	}
}

// A panic inside the bindings (here: a nil *DB) comes back as an error, not a crash.
func TestNoPanicEscapes(t *testing.T) {
	var db *DB
	_, err := db.Get("users", "x")
	wantCode(t, err, CodeInternal, "panic")
	var d *Doc
	_, err = d.Text("x")
	wantCode(t, err, CodeInvalid, "closed")
	var nilQuery Query
	_, err = nilQuery.Count()
	wantCode(t, err, CodeInvalid, "closed")
}
