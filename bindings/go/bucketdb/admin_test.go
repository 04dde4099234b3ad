package bucketdb

// Whole-database calls of issue 18: drops, verify, export and import, progress, a delete that
// must find its row, orders of several keys.

import (
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestDropTableAndIndex(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	v2 := strings.Replace(strings.Replace(users, `"version":1`, `"version":2`, 1),
		`"primaryKey"`, `"indexes":["age"],"primaryKey"`, 1)
	if err := db.RegisterSchema(v2); err != nil {
		t.Fatal(err)
	}
	if err := db.DropIndex("users", "age"); err != nil {
		t.Fatal(err)
	}
	if s := string(must(db.Schemas())); !strings.Contains(s, `"version":3`) {
		t.Fatalf("no version 3 after the index drop: %s", s)
	}
	wantCode(t, db.DropIndex("users", "age"), CodeSchema, "age")
	if err := db.DropTable("users"); err != nil {
		t.Fatal(err)
	}
	_, err := db.Get("users", "u1")
	wantCode(t, err, CodeSchema, "users")
	wantCode(t, db.DropTable("users"), CodeSchema, "users")
	// The name is free again: a new, empty table with fields of its own, at version 1.
	if err := db.RegisterSchema(`{"name":"users","version":1,"primaryKey":"id",
	  "fields":{"id":{"typeId":10,"maxLength":8},"email":{"typeId":10,"maxLength":40}}}`); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, db.Query("users")); len(got) != 0 {
		t.Fatalf("a new table holds %v", got)
	}
	must(db.Insert("users", map[string]any{"id": "x", "email": "a@b"}))
	if got := must(db.Get("users", "x")); !reflect.DeepEqual(got, map[string]any{"id": "x", "email": "a@b"}) {
		t.Fatalf("the new table's row: %v", got)
	}
}

func TestVerifyExportImportProgress(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	must(db.Merge())
	r := must(db.Verify())
	if !r.OK || r.Rows != 5 || len(r.Damaged) != 0 || r.Checked["block0"] != 1 {
		t.Fatalf("verify: %+v", r)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dump.ndjson")
	if n := must(db.Export(path)); n != 5 {
		t.Fatalf("exported %d rows", n)
	}
	var mu sync.Mutex
	tasks := map[string]int{}
	copyDB, err := Open("file:"+filepath.Join(dir, "copy"), Options{LogLevel: "silent",
		Progress: func(task string, done, total uint64) {
			mu.Lock()
			tasks[task]++
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if n := must(copyDB.Import(path, 2)); n != 5 {
		t.Fatalf("imported %d rows", n)
	}
	if a, b := must(db.Get("users", "u3")), must(copyDB.Get("users", "u3")); !reflect.DeepEqual(a, b) {
		t.Fatalf("u3: %v, imported %v", a, b)
	}
	_, err = copyDB.Import(path, 0)
	wantCode(t, err, CodeExists, "line")
	if n := must(copyDB.Import(path, 0, Upsert)); n != 5 {
		t.Fatalf("upserted %d rows", n)
	}
	if r := must(copyDB.Verify()); !r.OK {
		t.Fatalf("verify of the copy: %+v", r)
	}
	mu.Lock()
	defer mu.Unlock()
	if tasks["import"] == 0 || tasks["verify"] == 0 {
		t.Fatalf("progress reported %v", tasks)
	}
}

func TestExpectExistsAndThenBy(t *testing.T) {
	db := open(t)
	seedUsers(t, db)
	b := must(db.Batch())
	defer b.Close()
	if err := b.Delete("users", "u1"); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete("users", "zzz"); err != nil {
		t.Fatal(err)
	}
	if err := b.ExpectExists(); err != nil {
		t.Fatal(err)
	}
	_, err := b.Commit()
	wantCode(t, err, CodeNotFound, "users", "zzz")
	if _, err := db.Get("users", "u1"); err != nil {
		t.Fatalf("the batch was written in part: %v", err)
	}
	must(db.Insert("users", map[string]any{"id": "u6", "name": "Anna", "age": 3}))
	q := db.Query("users").OrderBy("name", false).ThenBy("age", true)
	if got, want := ids(t, q), []string{"u1", "u4", "u6", "u2", "u3", "u5"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	_, err = db.Query("users").OrderBy("name", false).ThenBy("name", false).All()
	wantCode(t, err, CodeInvalid, "name")
}
