// Package bucketdb is the Go binding of BucketDB, an embedded document database whose durable
// state lives in object storage (S3 and compatibles, or a local directory).
//
//	db, err := bucketdb.Open("file:./data", bucketdb.Options{})
//	if err != nil { ... }
//	defer db.Close()
//	err = db.RegisterSchema(`{"name":"users","version":1,"fields":{...},"primaryKey":"id"}`)
//	seq, err := db.Update("users", map[string]any{"id": "u1", "age": 30})
//	user, err := db.Get("users", "u1")                   // map[string]any
//	cur, err := db.Query("users").Where("age", ">=", 18).OrderBy("age", true).Cursor()
//	for cur.Next() { row, _ := cur.Map(); ... }
//	err = cur.Err()
//
// Every error is an *Error carrying the library's code and message. A DB is safe for concurrent
// use; a Batch, Query, Cursor or Doc belongs to one goroutine at a time. Close releases the C
// resources at once; what a program forgets to close is released by finalizers.
//
// Calls that reach storage have a ...Context variant (GetContext, Batch.CommitContext,
// Cursor.NextContext, MergeContext, GCContext, ...), the database/sql way: when the context
// ends first, the call returns an error matching both ctx.Err() and ErrInterrupted. It ends the
// call through DB.Interrupt (bdb_db_interrupt, sqlite3_interrupt's model, as mattn/go-sqlite3
// uses it), which stops every call on that DB under way at that moment, other goroutines'
// too. An interrupted commit either landed (no error) or left its batch intact.
//
// The package links libbucketdb with cgo: set CGO_CFLAGS to name abi/include and bindings/,
// and CGO_LDFLAGS to find libbucketdb (see bindings/README.md).
package bucketdb

import (
	"encoding/json"
	"runtime"
	"strconv"
	"sync"

	"github.com/bucketdb/bucketdb/bindings/go/internal/native"
)

// Version is the library's version, e.g. "0.1.0".
func Version() string { return native.Version() }

// ABIVersion is the ABI version of the loaded library; HeaderABIVersion that of the bucketdb.h
// this package was compiled against.
func ABIVersion() int { return native.AbiVersion() }

// HeaderABIVersion is BDB_ABI_VERSION of the header the binding was built with.
func HeaderABIVersion() int { return native.HeaderAbiVersion() }

// DriverCheck runs the storage-driver conformance checks against the store of uri (any URI
// Open takes) under a scratch key prefix it deletes afterwards, and returns the report as JSON:
// {"driver","capabilities","passed","failed","skipped","checks":[...]}. The error is nil when
// the checks ran, whatever their results; it takes seconds.
func DriverCheck(uri string) (json.RawMessage, error) {
	s, err := run(nil, func() string { return native.DriverCheck(uri) })
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// Options configures Open. The zero value opens with the library's defaults, creating the
// database when it does not exist yet.
type Options struct {
	Prefix   string // dbPrefix: root of the database in the bucket ("" = "main")
	NodeID   int    // nodeId, 0-255
	RingSize int    // ringSize (0 = the default, 1)
	LogLevel string // debug, info, warn, error or silent ("" = the default, info)
	// ErrorIfMissing makes Open of a database that does not exist fail with ErrNotFound
	// instead of creating it (createIfMissing=0; goleveldb's name for it).
	ErrorIfMissing bool
	// ReadOnly opens a handle that sends only GETs and LISTs and never creates anything:
	// commits, schema registration, Merge and GC fail with ErrInvalid (readOnly=1).
	ReadOnly bool
	// MaxRequestsInFlight bounds the storage requests kept in flight at once for read-ahead,
	// merges, log catch-up and collection (1 to 1024; 0 = the default, 64).
	MaxRequestsInFlight int
	// Logger receives the database's log lines (engine and drivers alike, filtered by
	// LogLevel) instead of stderr: level "debug", "info", "warn" or "error", the subsystem
	// ("engine", "merge", "driver") and one line of text. It is called from the library's
	// threads, several at once, and must return quickly without calling into the database.
	// LogTo(*log.Logger) makes one for the standard library's logger. (A func, not a
	// log/slog.Handler: this module supports Go 1.19, which has no log/slog.)
	Logger func(level, subsystem, message string)
	// Progress receives the progress of long work: task "merge TABLE", "gc", "verify",
	// "export" or "import", done of total (0 when not known yet). Called from the thread
	// doing the work, often: it must return quickly without calling into the database.
	Progress func(task string, done, total uint64)
	// Settings sets any option by its name in bucketdb.h, e.g. "readStalenessMs": "0",
	// "autoMerge": "0", "gcGraceMs": "60000". It wins over the fields above.
	Settings map[string]string
}

func (o Options) pairs() [][2]string {
	var p [][2]string
	if o.Prefix != "" {
		p = append(p, [2]string{"dbPrefix", o.Prefix})
	}
	if o.NodeID != 0 {
		p = append(p, [2]string{"nodeId", strconv.Itoa(o.NodeID)})
	}
	if o.RingSize != 0 {
		p = append(p, [2]string{"ringSize", strconv.Itoa(o.RingSize)})
	}
	if o.LogLevel != "" {
		p = append(p, [2]string{"logLevel", o.LogLevel})
	}
	if o.ErrorIfMissing {
		p = append(p, [2]string{"createIfMissing", "0"})
	}
	if o.ReadOnly {
		p = append(p, [2]string{"readOnly", "1"})
	}
	if o.MaxRequestsInFlight != 0 {
		p = append(p, [2]string{"maxRequestsInFlight", strconv.Itoa(o.MaxRequestsInFlight)})
	}
	for k, v := range o.Settings {
		p = append(p, [2]string{k, v})
	}
	return p
}

// native makes the shim's options; the caller deletes them.
func (o Options) native() (native.Options, error) {
	n, err := run(nil, func() native.Options { return native.NewOptions() })
	if err != nil {
		return nil, err
	}
	for _, p := range o.pairs() {
		if err := run0(nil, func() { n.Set(p[0], p[1]) }); err != nil {
			native.DeleteOptions(n)
			return nil, err
		}
	}
	if o.Logger != nil {
		h := native.NewLogHandle(logFunc(o.Logger))
		if err := run0(nil, func() { n.SetLogger(h) }); err != nil {
			native.DeleteOptions(n)
			return nil, err
		}
	}
	if o.Progress != nil {
		h := native.NewLogHandle(progressFunc(o.Progress))
		if err := run0(nil, func() { n.SetProgress(h) }); err != nil {
			native.DeleteOptions(n)
			return nil, err
		}
	}
	return n, nil
}

// DB is an open database. It is safe for concurrent use by several goroutines.
type DB struct {
	n native.Database

	mu     sync.RWMutex
	tables map[tableKey]*tableInfo // field layout by table and schema version
}

// Open opens the database at uri: "file:PATH", "memory:", "memory:NAME", "s3://...",
// "plugin:/path/driver.so?config" or any "scheme:..." whose driver plugin is installed.
func Open(uri string, opts Options) (*DB, error) {
	o, err := opts.native()
	if err != nil {
		return nil, err
	}
	defer native.DeleteOptions(o)
	n, err := run(nil, func() native.Database { return native.NewDatabase(uri, o) })
	if err != nil {
		if n != nil && n.Swigcptr() != 0 {
			native.DeleteDatabase(n)
		}
		return nil, err
	}
	db := &DB{n: n, tables: map[tableKey]*tableInfo{}}
	runtime.SetFinalizer(db, (*DB).finalize)
	return db, nil
}

// finalize runs when a DB is unreachable. Its Batches, Queries and Cursors may outlive it
// (a closed database stays allocated until the last of them is freed); a failed merge at
// close is only logged here.
func (db *DB) finalize() { native.DeleteDatabase(db.n) }

// Close waits for calls under way and background work, runs the merge at close when one is
// due, and closes the database: every later call on it or on a Batch, Query or Cursor made
// from it fails with CodeInvalid. A merge at close that failed is returned (CodeIO, ...) but
// loses nothing: every commit is in the log already, and the database is closed all the same.
// Closing twice is harmless. Docs stay usable.
func (db *DB) Close() error {
	_, err := run(db, func() struct{} { db.n.Close(); return struct{}{} })
	return err
}

// SchemaFlag changes how RegisterSchema treats a new version of a table.
type SchemaFlag int

// AllowLossy registers a version that drops a field, narrows a maxLength or changes a type in a
// way some value could not survive (RegisterSchema refuses it otherwise, with ErrSchema naming
// each field): reads then convert what fits and null the rest. The primary key never changes.
const AllowLossy SchemaFlag = SchemaFlag(native.BDB_SCHEMA_ALLOW_LOSSY)

// RegisterSchema registers a table schema in its JSON form, or a JSON array of them (all or
// none):
//
//	{"name":"users","version":1,"fields":{"id":{"typeId":10,"maxLength":36},"age":{"typeId":1}},
//	 "primaryKey":"id","indexes":["age"]}
//
// Registering the same version again with the same definition does nothing. A new version
// must not lose what the newest one holds unless flags has AllowLossy.
func (db *DB) RegisterSchema(schemaJSON string, flags ...SchemaFlag) error {
	var f SchemaFlag
	for _, x := range flags {
		f |= x
	}
	return run0(db, func() { db.n.RegisterSchema(schemaJSON, int(f)) })
}

// Schemas returns every registered schema version as a JSON array.
func (db *DB) Schemas() (json.RawMessage, error) {
	s, err := run(db, func() string { return db.n.SchemasJson() })
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// NewDoc returns an empty document for the newest schema of table.
func (db *DB) NewDoc(table string) (*Doc, error) {
	return db.ownDoc(run(db, func() native.Doc { return db.n.NewDoc(table) }))
}

// DocFromJSON parses a JSON object into a document of table.
func (db *DB) DocFromJSON(table, text string) (*Doc, error) {
	return db.ownDoc(run(db, func() native.Doc { return db.n.DocFromJson(table, text) }))
}

// DocFromMap makes a document of table from a map (see Doc.Set for the accepted values).
func (db *DB) DocFromMap(table string, m map[string]any) (*Doc, error) {
	d, err := db.NewDoc(table)
	if err != nil {
		return nil, err
	}
	if err := d.SetMap(m); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// DocFromRow decodes an encoded row (see Doc.Row) of the given version of table.
func (db *DB) DocFromRow(table string, r Row) (*Doc, error) {
	return db.ownDoc(run(db, func() native.Doc {
		return db.n.DocFromRow(table, uint(r.Version), r.Fixed, r.Heap)
	}))
}

// KeyDoc returns a document holding only a primary key of table.
func (db *DB) KeyDoc(table string, key any) (*Doc, error) {
	text, err := keyText(key)
	if err != nil {
		return nil, err
	}
	return db.ownDoc(run(db, func() native.Doc { return db.n.KeyDoc(table, text) }))
}

// Get returns the row of table with the primary key key, as a map; an error matching
// ErrNotFound when there is none.
func (db *DB) Get(table string, key any) (map[string]any, error) {
	d, err := db.GetDoc(table, key)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Map()
}

// GetDoc is Get returning the document, for its typed accessors.
func (db *DB) GetDoc(table string, key any) (*Doc, error) {
	k, err := db.KeyDoc(table, key)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return db.Lookup(k)
}

// Lookup returns the row with the primary key held by keyDoc (a KeyDoc, or a NewDoc with the
// key field set).
func (db *DB) Lookup(keyDoc *Doc) (*Doc, error) {
	kn, err := keyDoc.native()
	if err != nil {
		return nil, err
	}
	d, err := db.ownDoc(run(db, func() native.Doc { return db.n.Get(kn) }))
	runtime.KeepAlive(keyDoc)
	return d, err
}

// GetJSON returns the row as a JSON object.
func (db *DB) GetJSON(table string, key any) (string, error) {
	text, err := keyText(key)
	if err != nil {
		return "", err
	}
	return run(db, func() string { return db.n.GetJson(table, text) })
}

// Batch starts a batch of writes, applied atomically by Commit.
func (db *DB) Batch() (*Batch, error) {
	n, err := run(db, func() native.Batch { return db.n.Batch() })
	if err != nil {
		return nil, err
	}
	b := &Batch{db: db, n: n}
	runtime.SetFinalizer(b, (*Batch).finalize)
	return b, nil
}

// write commits one operation in its own batch.
func (db *DB) write(stage func(b *Batch) error) (uint64, error) {
	b, err := db.Batch()
	if err != nil {
		return 0, err
	}
	defer b.Close()
	if err := stage(b); err != nil {
		return 0, err
	}
	return b.Commit()
}

// Insert commits one insert (which fails with ErrExists if the key is taken) and returns the
// log sequence number: the row's version.
func (db *DB) Insert(table string, doc map[string]any) (uint64, error) {
	return db.write(func(b *Batch) error { return b.Insert(table, doc) })
}

// Update commits one upsert of a whole row.
func (db *DB) Update(table string, doc map[string]any) (uint64, error) {
	return db.write(func(b *Batch) error { return b.Update(table, doc) })
}

// Patch commits new values for some fields of an existing row.
func (db *DB) Patch(table string, doc map[string]any) (uint64, error) {
	return db.write(func(b *Batch) error { return b.Patch(table, doc) })
}

// Delete commits the deletion of the row with the primary key key.
func (db *DB) Delete(table string, key any) (uint64, error) {
	return db.write(func(b *Batch) error { return b.Delete(table, key) })
}

// Query starts a query on table. Errors of the builder calls are reported by Count, Cursor
// and All.
func (db *DB) Query(table string) *Query {
	n, err := run(db, func() native.Query { return db.n.Query(table) })
	q := &Query{db: db, err: err}
	if err == nil {
		q.n = n
		runtime.SetFinalizer(q, (*Query).finalize)
	}
	return q
}

// ReadBlob returns the bytes of the managed blob with the given id (see Doc.BlobID).
func (db *DB) ReadBlob(id string) ([]byte, error) {
	return run(db, func() []byte { return db.n.BlobRead(id) })
}

// Merge folds the committed log into data blocks now and returns how many log entries it
// folded.
func (db *DB) Merge() (uint64, error) { return run(db, func() uint64 { return db.n.Merge() }) }

// GC deletes garbage older than gcGraceMs and returns how many objects it deleted.
func (db *DB) GC() (uint64, error) { return run(db, func() uint64 { return db.n.Gc() }) }

// Inspect describes "block0", "log" or "blocks" as JSON.
func (db *DB) Inspect(what string) (json.RawMessage, error) {
	s, err := run(db, func() string { return db.n.InspectJson(what) })
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// Stats returns the counters (objects, bytes, requests by kind, commits, merges) as JSON.
func (db *DB) Stats() (json.RawMessage, error) {
	s, err := run(db, func() string { return db.n.StatsJson() })
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

// Refresh makes the next read look at the log whatever readStalenessMs says.
func (db *DB) Refresh() error { return run0(db, func() { db.n.Refresh() }) }

// DropTable drops a table: its rows, schema versions and indexes are gone from the next read
// on, and its name is free. History queries from before the drop still read it until
// gcGraceMs after the next merge. ErrSchema for an unknown table.
func (db *DB) DropTable(table string) error {
	if err := run0(db, func() { db.n.DropTable(table) }); err != nil {
		return err
	}
	db.forgetTable(table)
	return nil
}

// forgetTable drops the field layouts of a dropped table: a table registered later under its
// name starts again at any version, with fields of its own.
func (db *DB) forgetTable(table string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	for k := range db.tables {
		if k.table == table {
			delete(db.tables, k)
		}
	}
}

// DropIndex drops the index on field: it registers the table's next version without it.
func (db *DB) DropIndex(table, field string) error {
	return run0(db, func() { db.n.DropIndex(table, field) })
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	OK      bool              `json:"ok"`
	Objects uint64            `json:"objects"`
	Bytes   uint64            `json:"bytes"`
	Rows    uint64            `json:"rows"`
	Checked map[string]uint64 `json:"checked"` // objects checked by kind
	Damaged []Damage          `json:"damaged"`
}

// Damage is one damaged or missing object.
type Damage struct {
	Key     string `json:"key"`
	Kind    string `json:"kind"` // "block0", "manifest page", "data block", "blob", ...
	Problem string `json:"problem"`
}

// Verify reads and checks every object the database reaches, straight from storage. It
// fails only when storage does; damage is in the report.
func (db *DB) Verify() (*VerifyReport, error) {
	s, err := run(db, func() string { return db.n.VerifyJson() })
	if err != nil {
		return nil, err
	}
	r := &VerifyReport{}
	if err := json.Unmarshal([]byte(s), r); err != nil {
		return nil, &Error{Code: CodeInternal, Message: "verify: unreadable report: " + err.Error()}
	}
	return r, nil
}

// Export writes the whole database to the file at path as NDJSON and returns the rows.
func (db *DB) Export(path string) (uint64, error) {
	return run(db, func() uint64 { return db.n.ExportTo(path) })
}

// ImportOption changes how Import treats rows whose key exists.
type ImportOption int

// Upsert replaces rows whose key exists instead of failing with ErrExists.
const Upsert ImportOption = ImportOption(native.BDB_IMPORT_UPSERT)

// Import reads an export into the database, committing every batchRows rows (0: one batch),
// and returns the rows imported.
func (db *DB) Import(path string, batchRows uint64, opts ...ImportOption) (uint64, error) {
	flags := 0
	for _, o := range opts {
		flags |= int(o)
	}
	return run(db, func() uint64 { return db.n.ImportFrom(path, batchRows, flags) })
}

// ownDoc wraps a new C document in a *Doc that a finalizer frees if the program does not.
func (db *DB) ownDoc(n native.Doc, err error) (*Doc, error) {
	if err != nil {
		if n != nil && n.Swigcptr() != 0 {
			native.DeleteDoc(n)
		}
		return nil, err
	}
	if n == nil || n.Swigcptr() == 0 {
		return nil, &Error{Code: CodeInternal, Message: "no document and no error"}
	}
	d := &Doc{db: db, n: n}
	runtime.SetFinalizer(d, (*Doc).finalize)
	return d, nil
}
