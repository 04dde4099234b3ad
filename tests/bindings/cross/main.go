// The Go side of bindings.cross: writes a row of extreme values for cross.rb and cross.py to
// check, and checks the rows they wrote back (the same values, under their own id), exactly.
//
//	cross write URI   |   cross check URI ruby|python
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"time"

	"github.com/bucketdb/bucketdb/bindings/go/bucketdb"
)

// Shared with cross.rb and cross.py.
const schema = `{"name":"extremes","version":1,"primaryKey":"id","fields":{
  "id":{"typeId":10},"u64":{"typeId":3},"i64":{"typeId":5},"u8":{"typeId":1},
  "f64":{"typeId":7},"b":{"typeId":6},"ts":{"typeId":8},"js":{"typeId":9},
  "name":{"typeId":10},"raw":{"typeId":16},"blob":{"typeId":11}}}`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cross (go):", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 || (args[0] == "check") != (len(args) == 3) {
		return fmt.Errorf("usage: cross write URI | cross check URI ruby|python")
	}
	db, err := bucketdb.Open(args[1], bucketdb.Options{LogLevel: "warn",
		Settings: map[string]string{"readStalenessMs": "0"}})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RegisterSchema(schema); err != nil {
		return err
	}
	blob := bytes.Repeat([]byte{0, 0xff, 'g', 'o'}, 1000)
	switch args[0] {
	case "write":
		_, err := db.Update("extremes", map[string]any{
			"id": "go", "u64": uint64(math.MaxUint64), "i64": int64(math.MinInt64), "u8": 255,
			"f64": math.Pi, "b": true, "ts": time.UnixMilli(-1).UTC(),
			"js":   json.RawMessage(`{"n":18446744073709551615,"s":"Zoë 😀","a":[true,null]}`),
			"name": "Zoë 😀", "raw": []byte{0, 1, 0xfe, 0xff}, "blob": blob,
		})
		if err == nil {
			fmt.Println("go wrote its row")
		}
		return err
	case "check":
		from := args[2]
		row, err := db.Get("extremes", from)
		if err != nil {
			return err
		}
		blobID, _ := row["blob"].(string)
		js, _ := row["js"].(json.RawMessage)
		delete(row, "blob")
		delete(row, "js")
		var doc map[string]any // the library stores json compactly, keys in its own order
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return err
		}
		if !reflect.DeepEqual(doc, map[string]any{"from": from, "big": json.Number("18446744073709551614")}) {
			return fmt.Errorf("%s's json field: %s", from, js)
		}
		want := map[string]any{
			"id": from, "u64": uint64(math.MaxUint64 - 1), "i64": int64(math.MinInt64 + 1),
			"u8": uint8(254), "f64": -math.E, "b": false, "ts": time.UnixMilli(1234567890123).UTC(),
			"name": "Ünïcödé ✓",
			"raw":  []byte{0xff, 0, 'r'},
		}
		if !reflect.DeepEqual(row, want) {
			return fmt.Errorf("%s's row:\n got  %#v\n want %#v", from, row, want)
		}
		data, err := db.ReadBlob(blobID)
		if err != nil {
			return err
		}
		if !bytes.Equal(data, bytes.Repeat([]byte(from+"\x00"), 999)) {
			return fmt.Errorf("%s's blob differs (%d bytes)", from, len(data))
		}
		fmt.Printf("go read %s's row exactly\n", from)
		return nil
	}
	return fmt.Errorf("unknown command %s", args[0])
}
