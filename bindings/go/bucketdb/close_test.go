package bucketdb

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

var memoryNames atomic.Int64

// A memory store of its own, and the same store with every put failing: a database opened on
// that one cannot write its merge at close.
func failingMergeURIs(t *testing.T) (plain, failing string) {
	plain = fmt.Sprintf("memory:go-close-%d", memoryNames.Add(1))
	db := must(Open(plain, Options{LogLevel: "silent"}))
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "a", "age": 1}))
	must(db.Insert("users", map[string]any{"id": "b", "age": 2}))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return plain, "faulty:" + plain + "?faulty.ops=put&faulty.every=1&faulty.status=io"
}

var mergeDue = map[string]string{"mergeThresholdEntries": "1", "writeForwardInterval": "60000"}

// Close returns a merge at close that failed; the database is closed all the same, a second
// Close does nothing, and nothing was lost.
func TestCloseReportsAFailedMerge(t *testing.T) {
	plain, failing := failingMergeURIs(t)
	db := must(Open(failing, Options{LogLevel: "silent", Settings: mergeDue}))
	wantCode(t, db.Close(), CodeIO, "merge at close failed", "injected")
	if err := db.Close(); err != nil {
		t.Fatal("second close:", err)
	}
	_, err := db.Get("users", "a")
	wantCode(t, err, CodeInvalid, "closed")

	again := must(Open(plain, Options{LogLevel: "silent"}))
	defer again.Close()
	if got := must(again.Get("users", "b")); got["age"] != uint8(2) {
		t.Fatal(got)
	}
}

// A database the program forgets is closed by its finalizer, which cannot return an error: the
// failed merge goes to the log instead.
func TestForgottenCloseLogsAFailedMerge(t *testing.T) {
	_, failing := failingMergeURIs(t)
	var c captured
	func() {
		must(Open(failing, Options{LogLevel: "error", Logger: c.log, Settings: mergeDue}))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !c.find("error", "merge", "merge at close failed") {
		if time.Now().After(deadline) {
			t.Fatalf("no failed merge logged: %+v", c.lines)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// Children outlive a closed database: each call on them fails by name, freeing them in any
// order is safe, and the database is freed with the last of them (ASan would see the rest).
func TestChildrenOfAClosedDatabase(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	cur := must(db.Query("users").OrderBy("age", false).Cursor())
	if !cur.Next() {
		t.Fatal(cur.Err())
	}
	q := db.Query("users")
	b := must(db.Batch())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if cur.Next() {
		t.Fatal("a cursor of a closed database went on")
	}
	wantCode(t, cur.Err(), CodeInvalid, "bdb_cursor_next", "closed")
	_, err := q.Count()
	wantCode(t, err, CodeInvalid, "closed")
	wantCode(t, b.InsertJSON("users", `{"id":"z"}`), CodeInvalid, "closed")
	q.Close()
	b.Close()
	cur.Close()
}
