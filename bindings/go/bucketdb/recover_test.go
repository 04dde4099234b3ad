package bucketdb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// A database whose Block 0 was lost: Open refuses it, Recover reports it and, with Write,
// rebuilds it from what remains, after which every row reads back.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	uri := "file:" + dir
	db := must(Open(uri, Options{LogLevel: "silent", Settings: map[string]string{"autoMerge": "0"}}))
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "u1", "age": 30}))
	must(db.Merge())
	must(db.Insert("users", map[string]any{"id": "u2", "age": 40})) // only in the log
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "main", "block0")); err != nil {
		t.Fatal(err)
	}
	_, err := Open(uri, Options{LogLevel: "silent"})
	wantCode(t, err, CodeCorrupt, "Block 0 missing", "recover")

	report := must(Recover(uri, Options{}, RecoverOptions{}))
	if report["block0"] != "missing" || report["written"] != false {
		t.Fatalf("report %v", report)
	}
	entries, ok := report["log"].(map[string]any)["entries"].(json.Number)
	if !ok || entries.String() == "0" {
		t.Fatalf("log in report %v", report["log"])
	}
	if _, err := Open(uri, Options{LogLevel: "silent"}); err == nil {
		t.Fatal("a report alone wrote something")
	}

	report = must(Recover(uri, Options{}, RecoverOptions{Write: true}))
	if report["written"] != true {
		t.Fatalf("report %v", report)
	}
	db = must(Open(uri, Options{LogLevel: "silent"}))
	defer db.Close()
	for id, age := range map[string]uint8{"u1": 30, "u2": 40} {
		if got := must(db.Get("users", id)); got["age"] != age {
			t.Fatal(id, got)
		}
	}

	// Another prefix holds nothing to rebuild from; a bad URI is the library's to refuse.
	empty := must(Recover(uri, Options{Prefix: "none"}, RecoverOptions{}))
	if empty["block0"] != "missing" {
		t.Fatalf("report %v", empty)
	}
	_, err = Recover("bogus:x", Options{}, RecoverOptions{})
	wantCode(t, err, CodeURI, "bogus")
}

// Once the log entry that registered a schema is collected, only the program can give it back.
func TestRecoverNeedsTheSchemaOnceItsEntryIsCollected(t *testing.T) {
	dir := t.TempDir()
	uri := "file:" + dir
	db := must(Open(uri, Options{LogLevel: "silent", Settings: map[string]string{"autoMerge": "0", "gcGraceMs": "0"}}))
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "u1", "age": 30}))
	must(db.Merge())
	must(db.GC())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "main", "block0")); err != nil {
		t.Fatal(err)
	}
	_, err := Recover(uri, Options{}, RecoverOptions{Write: true})
	wantCode(t, err, CodeCorrupt, "users")
	report := must(Recover(uri, Options{}, RecoverOptions{Write: true, Schemas: users}))
	if report["written"] != true {
		t.Fatalf("report %v", report)
	}
	db = must(Open(uri, Options{LogLevel: "silent"}))
	defer db.Close()
	if got := must(db.Get("users", "u1")); got["age"] != uint8(30) {
		t.Fatal(got)
	}
}
