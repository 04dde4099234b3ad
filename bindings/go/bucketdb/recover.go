package bucketdb

import (
	"bytes"
	"encoding/json"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// RecoverOptions says what Recover may do beyond reporting.
type RecoverOptions struct {
	// Write rebuilds what is missing (a lost Block 0, from the manifest pages, blocks and log
	// entries that remain); without it Recover only looks. It creates only absent objects.
	Write bool
	// AcceptLostEntries (with Write) replaces each missing log entry that others follow with an
	// empty one, so the log reads on: that commit is lost for good.
	AcceptLostEntries bool
	// Schemas holds schema JSON (one, or an array) for tables whose blocks are in a version no
	// remaining log entry registers.
	Schemas string
}

// Recover examines the database at uri (under opts.Prefix) without opening it, as SQLite's
// .recover does, and returns its report: "block0" ("present" or "missing"), "log" ({"entries",
// "first", "last", "missing"}), "tables", "problems", "actions" and "written". Numbers are
// json.Number (exact). When a problem stands in the way of writing it writes nothing and
// returns ErrCorrupt naming it.
func Recover(uri string, opts Options, ro RecoverOptions) (map[string]any, error) {
	o, err := opts.native()
	if err != nil {
		return nil, err
	}
	defer native.DeleteOptions(o)
	flags := 0
	if ro.Write {
		flags |= int(native.BDB_RECOVER_WRITE)
	}
	if ro.AcceptLostEntries {
		flags |= int(native.BDB_RECOVER_ACCEPT_LOST_ENTRIES)
	}
	text, err := run(nil, func() string { return native.RecoverJson(uri, o, ro.Schemas, flags) })
	if err != nil {
		return nil, err
	}
	return jsonObject(text)
}

// jsonObject parses a JSON object the library made, numbers kept exact.
func jsonObject(text string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, &Error{Code: CodeInternal,
			Message: "the library's report is not a JSON object: " + err.Error()}
	}
	return m, nil
}
