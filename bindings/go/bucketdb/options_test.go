package bucketdb

import (
	"bytes"
	"errors"
	"log"
	"strings"
	"sync"
	"testing"
)

// A database that does not exist is created unless ErrorIfMissing or ReadOnly says otherwise;
// a read-only handle reads and refuses every write with ErrInvalid.
func TestCreateIfMissingAndReadOnly(t *testing.T) {
	uri := "file:" + t.TempDir()
	_, err := Open(uri, Options{ErrorIfMissing: true, LogLevel: "silent"})
	wantCode(t, err, CodeNotFound, "no database", "createIfMissing")
	_, err = Open(uri, Options{ReadOnly: true, LogLevel: "silent"})
	wantCode(t, err, CodeNotFound, "no database")

	db := must(Open(uri, Options{LogLevel: "silent"})) // created
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "u1", "age": 7}))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ro := must(Open(uri, Options{ReadOnly: true, LogLevel: "silent"}))
	defer ro.Close()
	if got := must(ro.Get("users", "u1")); got["age"] != uint8(7) {
		t.Fatal(got)
	}
	_, err = ro.Insert("users", map[string]any{"id": "u2"})
	wantCode(t, err, CodeInvalid, "read-only")
	if !errors.Is(err, ErrInvalid) {
		t.Fatal("errors.Is(err, ErrInvalid)")
	}
	wantCode(t, ro.RegisterSchema(strings.Replace(users, `"users"`, `"others"`, 1)), CodeInvalid, "read-only")
	_, err = ro.Merge()
	wantCode(t, err, CodeInvalid, "read-only")
	_, err = ro.GC()
	wantCode(t, err, CodeInvalid, "read-only")
	// Settings still wins over the fields.
	rw := must(Open(uri, Options{ReadOnly: true, Settings: map[string]string{"readOnly": "0"}, LogLevel: "silent"}))
	defer rw.Close()
	must(rw.Insert("users", map[string]any{"id": "u2"}))
}

func TestMaxRequestsInFlight(t *testing.T) {
	_, err := Open("memory:", Options{MaxRequestsInFlight: 2000})
	wantCode(t, err, CodeInvalid, "maxRequestsInFlight")
	db := must(Open("memory:", Options{MaxRequestsInFlight: 1, LogLevel: "silent"}))
	defer db.Close()
	if err := db.RegisterSchema(users); err != nil {
		t.Fatal(err)
	}
	must(db.Insert("users", map[string]any{"id": "u1"}))
}

type logLine struct{ level, subsystem, message string }

type captured struct {
	mu    sync.Mutex
	lines []logLine
}

func (c *captured) log(level, subsystem, message string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, logLine{level, subsystem, message})
}

func (c *captured) find(level, subsystem, part string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lines {
		if l.level == level && l.subsystem == subsystem && strings.Contains(l.message, part) {
			return true
		}
	}
	return false
}

// A store without conditional writes makes the engine warn at open: the line reaches the
// Logger (not stderr) with its level and subsystem; LogTo prints to a *log.Logger.
func TestLogger(t *testing.T) {
	var c captured
	db := must(Open("faulty:memory:?faulty.conditional=0", Options{Logger: c.log}))
	if !c.find("warn", "engine", "no conditional writes") {
		t.Fatalf("no warning logged: %+v", c.lines)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	db = must(Open("faulty:memory:?faulty.conditional=0", Options{Logger: LogTo(log.New(&buf, "", 0))}))
	db.Close()
	if !strings.Contains(buf.String(), "bucketdb: engine: warn: storage faulty:memory:") {
		t.Fatalf("LogTo wrote %q", buf.String())
	}

	// logLevel filters before the Logger; a Logger that panics does not take the library down.
	c = captured{}
	db = must(Open("faulty:memory:?faulty.conditional=0", Options{LogLevel: "error", Logger: c.log}))
	db.Close()
	if len(c.lines) != 0 {
		t.Fatalf("logLevel error let through %+v", c.lines)
	}
	db = must(Open("faulty:memory:?faulty.conditional=0", Options{Logger: func(string, string, string) { panic("boom") }}))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
