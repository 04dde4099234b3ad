// A todo list on BucketDB, from Go. The same app exists in examples/java and examples/ruby;
// they share one database file format, so any of them can work on the same list.
//
//	todo [-db URI] add TEXT...   add an item
//	todo [-db URI] list          list the items
//	todo [-db URI] done ID       mark an item done
//	todo [-db URI] remove ID     remove an item
//
// URI defaults to file:./todo-db. Build with the cgo flags of bindings/README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bucketdb/bucketdb/bindings/go/bucketdb"
)

const todos = `{"name":"todos","version":1,"primaryKey":"id","fields":{
  "id":{"typeId":3},"title":{"typeId":10,"maxLength":200},
  "done":{"typeId":6},"created":{"typeId":8}}}`

const counters = `{"name":"counters","version":1,"primaryKey":"name","fields":{
  "name":{"typeId":10,"maxLength":40},"value":{"typeId":3}}}`

func main() {
	uri := flag.String("db", "file:./todo-db", "database URI")
	flag.Parse()
	if err := run(*uri, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "todo:", err)
		os.Exit(1)
	}
}

func run(uri string, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: todo [-db URI] add TEXT... | list | done ID | remove ID")
	}
	// readStalenessMs=0: see what other processes wrote a moment ago.
	db, err := bucketdb.Open(uri, bucketdb.Options{LogLevel: "warn",
		Settings: map[string]string{"readStalenessMs": "0"}})
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range []string{todos, counters} {
		if err := db.RegisterSchema(s); err != nil { // a no-op once registered
			return err
		}
	}
	switch args[0] {
	case "add":
		id, err := add(db, strings.Join(args[1:], " "))
		if err != nil {
			return err
		}
		fmt.Printf("added #%d\n", id)
	case "list":
		cur, err := db.Query("todos").OrderBy("id", false).Cursor()
		if err != nil {
			return err
		}
		defer cur.Close()
		for cur.Next() {
			d := cur.Doc() // typed accessors: no map for each row
			id, _ := d.Uint("id")
			title, _ := d.Text("title")
			done, _ := d.Bool("done")
			mark := " "
			if done {
				mark = "x"
			}
			fmt.Printf("[%s] #%d %s\n", mark, id, title)
		}
		return cur.Err()
	case "done", "remove":
		if len(args) != 2 {
			return errors.New(args[0] + " takes one ID")
		}
		id, err := strconv.ParseUint(args[1], 10, 64)
		if err != nil {
			return err
		}
		if _, err := db.Get("todos", id); err != nil {
			return err // e.g. "no row in todos with id = 7 (not found)"
		}
		if args[0] == "done" {
			_, err = db.Patch("todos", map[string]any{"id": id, "done": true})
		} else {
			_, err = db.Delete("todos", id)
		}
		return err
	default:
		return errors.New("unknown command " + args[0])
	}
	return nil
}

// add takes the next id from a counter row and inserts the item in the same batch. The
// counter update expects the version it read, so two processes adding at once never get the
// same id: the loser's commit fails with ErrConflict and it tries again.
func add(db *bucketdb.DB, title string) (uint64, error) {
	for {
		var next, version uint64 = 1, 0
		c, err := db.GetDoc("counters", "todos")
		switch {
		case err == nil:
			v, _ := c.Uint("value")
			next, version = v+1, c.Version()
			c.Close()
		case !errors.Is(err, bucketdb.ErrNotFound):
			return 0, err
		}
		b, err := db.Batch()
		if err != nil {
			return 0, err
		}
		err = b.Update("counters", map[string]any{"name": "todos", "value": next})
		if err == nil {
			err = b.ExpectVersion(version) // 0: the counter must not exist yet
		}
		if err == nil {
			err = b.Insert("todos", map[string]any{"id": next, "title": title, "done": false,
				"created": time.Now()})
		}
		if err == nil {
			_, err = b.Commit()
		}
		b.Close()
		if errors.Is(err, bucketdb.ErrConflict) {
			continue
		}
		return next, err
	}
}
