package bucketdb

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bucketdb/bucketdb/bindings/go/internal/leakcheck"
)

// forget opens databases and makes every kind of handle from them, closing none of it (and
// closing some databases while their children live on), then drops all of it.
func forget(t *testing.T, dir string) {
	for i := 0; i < 10; i++ {
		uri := "memory:"
		if i%2 == 1 {
			uri = "file:" + dir
		}
		db, err := Open(uri, Options{LogLevel: "silent"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RegisterSchema(allTypes); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Update("all", map[string]any{"id": "k", "blob": []byte("blob"), "u8": i}); err != nil {
			t.Fatal(err)
		}
		b, _ := db.Batch()
		b.Update("all", map[string]any{"id": "staged", "raw": []byte{1}})
		q := db.Query("all").Where("u8", ">=", 0)
		c, _ := q.Cursor()
		c.Next() // holds a current row
		d, _ := db.GetDoc("all", "k")
		r, _ := d.Row()
		_ = r
		k, _ := db.KeyDoc("all", "k")
		n, _ := db.NewDoc("all")
		n.SetBlob("blob", []byte("staged blob"))
		if i%3 == 0 {
			db.Close() // children outlive their database's handle
		}
		_, _, _, _, _, _ = b, q, c, d, k, n
	}
}

// Handles a program forgets are freed by finalizers, whatever order they run in: the shim's
// count of live structs drops to zero, and (in the sanitized build, which preloads the ASan
// runtime) LeakSanitizer finds no unreachable block. Double frees would abort under ASan.
func TestForgottenHandlesAreFreed(t *testing.T) {
	forget(t, t.TempDir())
	deadline := time.Now().Add(10 * time.Second)
	for liveHandles() != 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := liveHandles(); n != 0 {
		t.Fatalf("%d shim handles still alive after finalizers", n)
	}
	if !leakcheck.Available() {
		t.Log("no ASan runtime in this process: checked the handle count only")
		return
	}
	if leakcheck.Check() {
		t.Fatal("LeakSanitizer found leaks (report above)")
	}
}

// The control: a document whose finalizer is removed must be reported, so the check above
// means something. Runs in a child process (LSan would report this leak on every later check).
func TestLeakCheckControl(t *testing.T) {
	if os.Getenv("BDB_LEAK_CONTROL") == "1" {
		db, err := Open("memory:", Options{LogLevel: "silent"})
		if err != nil {
			t.Fatal(err)
		}
		db.RegisterSchema(users)
		d, _ := db.NewDoc("users")
		runtime.SetFinalizer(d, nil) // the bug: nobody frees it
		db.Close()
		d, db = nil, nil
		runtime.GC()
		if !leakcheck.Check() {
			t.Fatal("the leaked document was not reported")
		}
		return
	}
	if !leakcheck.Available() {
		t.Skip("needs the ASan runtime (the sanitized build preloads it)")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakCheckControl$", "-test.v")
	cmd.Env = append(os.Environ(), "BDB_LEAK_CONTROL=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("control run failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "LeakSanitizer: detected memory leaks") {
		t.Fatalf("no leak report in the control run:\n%s", out)
	}
	if !strings.Contains(string(out), "bdb_doc_new") {
		t.Fatalf("the leak report does not name bdb_doc_new:\n%s", out)
	}
}
