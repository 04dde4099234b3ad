package bucketdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The delay of every GET and LIST of slowStore; an interrupted call returns well before.
const slowDelay = 1500 * time.Millisecond

// A memory store holding users u1 (merged, so an open reads little), and its URI behind the
// faulty: layer with every GET and LIST taking slowDelay.
func slowStore(t *testing.T) string {
	t.Helper()
	plain := fmt.Sprintf("memory:go-interrupt-%d", memoryNames.Add(1))
	db := must(Open(plain, Options{LogLevel: "silent", Settings: map[string]string{"autoMerge": "0"}}))
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "u1", "name": "Ann", "age": 30}))
	must(db.Merge())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("faulty:%s?faulty.every=1&faulty.ops=get,list&faulty.action=delay&faulty.delay_ms=%d",
		plain, slowDelay.Milliseconds())
}

// openSlow opens slowStore's database; every read looks at the log (a GET).
func openSlow(t *testing.T) *DB {
	t.Helper()
	db := must(Open(slowStore(t), Options{LogLevel: "silent",
		Settings: map[string]string{"autoMerge": "0", "readStalenessMs": "0"}}))
	t.Cleanup(func() { db.Close() })
	return db
}

// wantEnded asserts err is the error of a call its context ended: ctx's error, ErrInterrupted
// and an *Error naming the call, returned well before slowDelay.
func wantEnded(t *testing.T, err, ctxErr error, start time.Time, call string) {
	t.Helper()
	if !errors.Is(err, ctxErr) || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want %v and ErrInterrupted, got %v", ctxErr, err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInterrupted || !strings.Contains(e.Message, call) {
		t.Fatalf("want an *Error of code interrupted naming %s, got %#v", call, e)
	}
	if took := time.Since(start); took > slowDelay*2/3 {
		t.Fatalf("took %v (the request takes %v)", took, slowDelay)
	}
}

func TestContextEndsSlowCalls(t *testing.T) {
	db := openSlow(t)

	// A deadline ends a read waiting on storage.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	start := time.Now()
	_, err := db.GetContext(ctx, "users", "u1")
	cancel()
	wantEnded(t, err, context.DeadlineExceeded, start, "bdb_get")

	// A cancel ends a collection.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	_, err = db.GCContext(ctx)
	wantEnded(t, err, context.Canceled, start, "bdb_db_gc")

	// A context that already ended: at once, without calling the library.
	start = time.Now()
	_, err = db.Query("users").CountContext(ctx)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want Canceled and ErrInterrupted, got %v", err)
	}
	if time.Since(start) > 100*time.Millisecond {
		t.Fatal("an ended context still called the library")
	}

	// Later calls run normally (slowly), and see the row.
	row, err := db.GetContext(context.Background(), "users", "u1")
	if err != nil || row["name"] != "Ann" {
		t.Fatalf("after the interrupts: %v %v", row, err)
	}
}

// Interrupt from another goroutine stops a call without a context.
func TestInterruptFromAnotherGoroutine(t *testing.T) {
	db := openSlow(t)
	time.AfterFunc(200*time.Millisecond, db.Interrupt)
	start := time.Now()
	_, err := db.Get("users", "u1")
	wantCode(t, err, CodeInterrupted, "bdb_get", "interrupted")
	if errors.Is(err, context.Canceled) {
		t.Fatal("no context was involved")
	}
	if took := time.Since(start); took > slowDelay*2/3 {
		t.Fatalf("took %v", took)
	}
}

// countRows reads q's rows with a cursor on ctx.
func countRows(ctx context.Context, q *Query) (int, error) {
	c, err := q.CursorContext(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	n := 0
	for c.NextContext(ctx) {
		n++
	}
	return n, c.Err()
}

// A cursor read on a context that ends stops; its error says why.
func TestCursorContext(t *testing.T) {
	db := openSlow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := countRows(ctx, db.Query("users"))
	wantEnded(t, err, context.DeadlineExceeded, start, "interrupted")
	n, err := countRows(context.Background(), db.Query("users"))
	if err != nil || n != 1 {
		t.Fatalf("after: %d rows, %v", n, err)
	}
}

// An open cannot be interrupted: OpenContext returns when the context ends, and the database
// it opens later is closed.
func TestOpenContext(t *testing.T) {
	slow := slowStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	db, err := OpenContext(ctx, slow, Options{LogLevel: "silent"})
	if db != nil || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want DeadlineExceeded, got %v %v", db, err)
	}
	if took := time.Since(start); took > slowDelay*2/3 {
		t.Fatalf("took %v", took)
	}
}

// CommitContext: a context that ended leaves the batch intact; one that did not commits.
func TestCommitContext(t *testing.T) {
	db := open(t)
	b := must(db.Batch())
	defer b.Close()
	if err := b.Insert("users", map[string]any{"id": "c1", "age": 5}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.CommitContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
	if b.Len() != 1 {
		t.Fatalf("the batch holds %d operations, want 1", b.Len())
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	must(b.CommitContext(ctx))
	if row := must(db.GetContext(ctx, "users", "c1")); row["age"] != uint8(5) {
		t.Fatalf("row %v", row)
	}
}
